/**
 * The authorization policy, table-driven, through the real HTTP server: every role × every
 * personal field × every path to it (direct query, nested relations, node/nodes, aliases, named
 * and inline fragments, the Applicant union and the Node interface), then the row scopes.
 *
 * The expectations are written out by hand below from DESIGN.md (Authorization) and the table in
 * src/auth/policy.ts; the test never asks the policy module, or it could not fail.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../../src/auth/tokens.js';
import { personalFields } from '../../src/access/graphql/personal.js';
import { toGlobalId } from '../../src/platform/relay/global-id.js';
import '../../src/modules/schema.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from '../support/gateway.js';

// ---------------------------------------------------------------------------------------------
// Callers
// ---------------------------------------------------------------------------------------------

/** The officer's agency ("agency A"); the tiny seed gives it about 50 dossiers, most by citizens. */
const AGENCY_A = 'UBND-HC';

const ROLES = ['public', 'citizen', 'officer', 'officerNoPurpose', 'analyst', 'auditor', 'admin', 'adminNoPurpose'] as const;
type RoleName = (typeof ROLES)[number];

// ---------------------------------------------------------------------------------------------
// THE EXPECTATION TABLE (by hand, from DESIGN.md and policy.ts)
//
// Subjects: C, a citizen who applied for a dossier of agency A (the calling citizen is C);
// D, a citizen who never applied to A and is the legal representative of a business; H, C's
// household. V visible, M masked, D denied (null + FORBIDDEN at the field's path).
// ---------------------------------------------------------------------------------------------

type Outcome = 'visible' | 'masked' | 'denied';
const OUTCOME: Record<string, Outcome> = { V: 'visible', M: 'masked', D: 'denied' };

const CITIZEN_COLUMNS = ['fullName', 'gender', 'nationalId', 'birthDate', 'phone', 'email', 'address', 'ward', 'household'] as const;
const CITIZEN_TABLE: Record<RoleName, { C: string; D: string }> = {
  //                  fullName gender nationalId birthDate phone email address ward household
  public:           { C: 'D D D D D D D D D', D: 'V D D D D D D D D' },
  citizen:          { C: 'V V V V V V V V V', D: 'V D D D D D D D D' }, // self only
  officer:          { C: 'V V V V V V V V V', D: 'V D D D D D D D D' }, // applicants of A, with a purpose (DOSSIER_PROCESSING of C's dossier)
  officerNoPurpose: { C: 'V D D D D D D V D', D: 'V D D D D D D D D' }, // name and ward without a purpose
  analyst:          { C: 'D D M D D D D D D', D: 'V D M D D D D D D' }, // national id masked, nothing else
  auditor:          { C: 'D D D D D D D D D', D: 'V D D D D D D D D' },
  admin:            { C: 'V V V V V V V V V', D: 'V V V V V V V V V' }, // with a purpose
  adminNoPurpose:   { C: 'V D D D D D D V D', D: 'V D D D D D D V D' }, // name and ward only
};
/**
 * L5, one answer per fact: D legally represents a business, and a representative's full name is
 * public register data (printed in the register, and in most household businesses' names, which
 * are public and searchable): D's fullName is V for every role, on every path. D's other fields
 * follow the rules above.
 */

/**
 * L10: a household's structure (memberCount, head, members) is household data, under the same rule
 * as its code: members and admins with a purpose. An officer who follows Citizen.household gets the
 * household's id and nothing else of it.
 */
const HOUSEHOLD_COLUMNS = ['code', 'address', 'memberCount', 'head', 'members'] as const;
const HOUSEHOLD_TABLE: Record<RoleName, string> = {
  //                code address memberCount head members
  public:           'D D D D D',
  citizen:          'V V V V V', // their own household
  officer:          'D D D D D', // officers are not given household records, nor who lives with whom
  officerNoPurpose: 'D D D D D',
  analyst:          'D D D D D',
  auditor:          'D D D D D',
  admin:            'V V V V V',
  adminNoPurpose:   'D D D D D',
};

function row<C extends string>(columns: readonly C[], line: string): Record<C, Outcome> {
  const cells = line.trim().split(/\s+/);
  expect(cells).toHaveLength(columns.length);
  return Object.fromEntries(columns.map((c, i) => [c, OUTCOME[cells[i]!]!])) as Record<C, Outcome>;
}

type SubjectName = 'C' | 'D' | 'H';
function expectedOutcome(role: RoleName, subject: SubjectName, field: string): Outcome {
  const table = subject === 'H' ? row(HOUSEHOLD_COLUMNS, HOUSEHOLD_TABLE[role]) : row(CITIZEN_COLUMNS, CITIZEN_TABLE[role][subject]);
  const outcome = (table as Record<string, Outcome | undefined>)[field];
  if (!outcome) throw new Error(`No expectation for ${subject === 'H' ? 'Household' : 'Citizen'}.${field}: add a column to the table`);
  return outcome;
}

/** Who can find each subject at all (row scopes), by hand from the design's table. */
const FINDS_C: readonly RoleName[] = ['citizen', 'officer', 'officerNoPurpose', 'admin', 'adminNoPurpose']; // self, applicants of A, all
const FINDS_D: readonly RoleName[] = ['admin', 'adminNoPurpose']; // D is nobody's self and no applicant of A
const FINDS_H: readonly RoleName[] = ['citizen', 'admin', 'adminNoPurpose']; // members and admins
const EVERYONE: readonly RoleName[] = ROLES; // a business's public profile leads everyone to its representative
/** Citizen.household of C is visible (see CITIZEN_TABLE, last column) and C can be found. */
const FOLLOWS_C_HOUSEHOLD: readonly RoleName[] = ['citizen', 'officer', 'admin'];
/** C is found but Citizen.household is denied: null with FORBIDDEN on the link. */
const DENIED_C_HOUSEHOLD: readonly RoleName[] = ['officerNoPurpose', 'adminNoPurpose'];

/**
 * Looking a citizen up by national id (`citizen(nationalId)`, `citizens(filter: { nationalId })`)
 * reveals the national id: refused (null + FORBIDDEN at the root field) to callers who find
 * citizens but may not read national ids. Public, analyst and auditor find no one: null or an
 * empty list, without error.
 */
const NATIONAL_ID_LOOKUP_REFUSED: readonly RoleName[] = ['officerNoPurpose', 'adminNoPurpose'];
const FINDS_C_BY_NATIONAL_ID: readonly RoleName[] = ['citizen', 'officer', 'admin'];
const FINDS_D_BY_NATIONAL_ID: readonly RoleName[] = ['admin'];
/**
 * `households` is ordered by CODE by default, which reveals Household.code: refused to the admin
 * without a purpose (officers find no household: an empty list, without error).
 */
const HOUSEHOLD_LIST_REFUSED: readonly RoleName[] = ['adminNoPurpose'];
const FINDS_H_IN_LIST: readonly RoleName[] = ['citizen', 'admin'];

/** The end of a refusal's message: which filters, orderings or lookups were refused. */
const REFUSED = {
  lookUp: 'look up by national id',
  nationalIdFilter: 'filter by national id',
  codeOrder: 'order by CODE',
} as const;

// ---------------------------------------------------------------------------------------------
// Fixtures, picked by SQL
// ---------------------------------------------------------------------------------------------

interface CitizenRow {
  id: number;
  national_id: string;
  full_name: string;
  gender: string;
  birth_date: string | Date;
  phone: string | null;
  email: string | null;
  address: string;
  ward_id: number;
  household_id: number;
}

interface Fixtures {
  agencyId: number;
  C: CitizenRow;
  D: CitizenRow;
  H: { id: number; code: string; address: string; ward_id: number; member_count: number; head_citizen_id: number | null };
  /** A's dossier filed by C. */
  cDossier: string;
  /** Another agency's dossier, not filed by C. */
  otherDossier: { id: number; code: string; agency_id: number };
  /** A's dossier filed by a citizen other than C. */
  otherDossierOfA: string;
  /** A's dossier filed by a business, and that business's legal representative. */
  businessDossierOfA: { code: string; applicant_id: number };
  /** A business whose legal representative is D. */
  business: { id: number; code: string };
  missingNationalId: string;
  missingDossierCode: string;
  counts: { all: number; agencyA: number; ofC: number };
}

let gw: TestGateway;
let f: Fixtures;
const headers = {} as Record<RoleName, Record<string, string>>;

const gid = toGlobalId;
const q = (value: string | number): string => JSON.stringify(String(value));

async function pickFixtures(): Promise<Fixtures> {
  const s = gw.databases.connections.sources;
  // Each source may be its own database: no joins across sources, the test joins in TypeScript.
  const [agency] = (await sql<{ id: number }>`select id from reference.agencies where code = ${AGENCY_A}`.execute(s.reference.root)).rows;
  const agencyId = agency!.id;
  const applicantsOfA = new Set(
    (
      await sql<{ applicant_id: number }>`select distinct applicant_id from services.dossiers
        where agency_id = ${agencyId} and applicant_kind = 'CITIZEN'`.execute(s.services.root)
    ).rows.map((r) => r.applicant_id),
  );
  const businesses = (await sql<{ id: number; code: string; legal_representative_id: number }>`
    select id, code, legal_representative_id from business.businesses order by id`.execute(s.business.root)).rows;
  const representatives = new Set(businesses.map((b) => b.legal_representative_id));
  // Prefer people whose phone and e-mail are known, so that "visible" and "null" differ.
  const citizens = (await sql<CitizenRow>`select id, national_id, full_name, gender, birth_date, phone, email, address, ward_id, household_id
    from population.citizens order by (phone is null), (email is null), id`.execute(s.population.root)).rows;
  const shared = new Set(
    (await sql<{ id: number }>`select id from population.households where member_count > 1`.execute(s.population.root)).rows.map((r) => r.id),
  );
  // C lives with others, so that their household has members C may not read.
  const C = citizens.find((c) => applicantsOfA.has(c.id) && shared.has(c.household_id))!;
  const D = citizens.find((c) => representatives.has(c.id) && !applicantsOfA.has(c.id) && c.household_id !== C.household_id)!;
  expect(C, 'a citizen who applied to agency A').toBeDefined();
  expect(D, 'a legal representative who never applied to agency A').toBeDefined();
  const [H] = (await sql<Fixtures['H']>`select id, code, address, ward_id, member_count, head_citizen_id from population.households where id = ${C.household_id}`.execute(s.population.root)).rows;
  const [cDossier] = (await sql<{ code: string }>`select code from services.dossiers
    where agency_id = ${agencyId} and applicant_kind = 'CITIZEN' and applicant_id = ${C.id} order by id limit 1`.execute(s.services.root)).rows;
  const [otherDossier] = (await sql<Fixtures['otherDossier']>`select id, code, agency_id from services.dossiers
    where agency_id <> ${agencyId} and not (applicant_kind = 'CITIZEN' and applicant_id = ${C.id}) order by id limit 1`.execute(s.services.root)).rows;
  const [otherOfA] = (await sql<{ code: string }>`select code from services.dossiers
    where agency_id = ${agencyId} and applicant_kind = 'CITIZEN' and applicant_id <> ${C.id} order by id limit 1`.execute(s.services.root)).rows;
  const [businessOfA] = (await sql<{ code: string; applicant_id: number }>`select code, applicant_id from services.dossiers
    where agency_id = ${agencyId} and applicant_kind = 'BUSINESS' order by id limit 1`.execute(s.services.root)).rows;
  expect(businessOfA, "a business's dossier at agency A").toBeDefined();
  const counts = (await sql<{ all: number; agency_a: number; of_c: number }>`select count(*)::int as "all",
      count(*) filter (where agency_id = ${agencyId})::int as agency_a,
      count(*) filter (where applicant_kind = 'CITIZEN' and applicant_id = ${C.id})::int as of_c
    from services.dossiers`.execute(s.services.root)).rows[0]!;
  const existingIds = new Set(citizens.map((c) => c.national_id));
  let missingNationalId = '048099000001';
  while (existingIds.has(missingNationalId)) missingNationalId = String(Number(missingNationalId) + 1).padStart(12, '0');
  return {
    agencyId,
    C,
    D,
    H: H!,
    cDossier: cDossier!.code,
    otherDossier: otherDossier!,
    otherDossierOfA: otherOfA!.code,
    businessDossierOfA: businessOfA!,
    business: businesses.find((b) => b.legal_representative_id === D.id)!,
    missingNationalId,
    missingDossierCode: `${cDossier!.code.slice(0, -3)}XYZ`,
    counts: { all: counts.all, agencyA: counts.agency_a, ofC: counts.of_c },
  };
}

beforeAll(async () => {
  // One document batches every path of a role (to keep the run short): far above the default cost limit.
  gw = await startTestGateway('tiny', { MAX_QUERY_COST: '2000000', MAX_ALIASES: '500', MAX_TOKENS: '100000' });
  f = await pickFixtures();
  const auth = gw.databases.config.auth;
  const bearer = async (request: Parameters<typeof mintDevToken>[1]) => ({ authorization: `Bearer ${await mintDevToken(auth, request)}` });
  const officer = await bearer({ role: 'officer', agency: AGENCY_A });
  const admin = await bearer({ role: 'admin' });
  headers.public = {};
  headers.citizen = await bearer({ role: 'citizen', citizenId: f.C.national_id });
  headers.officer = { ...officer, 'x-purpose': 'DOSSIER_PROCESSING', 'x-case-reference': f.cDossier };
  headers.officerNoPurpose = officer;
  // A purpose unlocks nothing for analysts and auditors.
  headers.analyst = { ...(await bearer({ role: 'analyst' })), 'x-purpose': 'LEGAL_OBLIGATION' };
  headers.auditor = { ...(await bearer({ role: 'auditor' })), 'x-purpose': 'SECURITY_INVESTIGATION' };
  headers.admin = { ...admin, 'x-purpose': 'LEGAL_OBLIGATION' };
  headers.adminNoPurpose = admin;
});
afterAll(async () => gw?.close());

// ---------------------------------------------------------------------------------------------
// Selections: the personal fields come from personalFields() (every @Personal field)
// ---------------------------------------------------------------------------------------------

type Style = 'plain' | 'aliased' | 'named fragment' | 'inline fragment';
/** Personal fields whose value is an object: what to select inside. */
const OBJECT_FIELDS: Record<string, string> = { 'Citizen.ward': '{ id }', 'Citizen.household': '{ id }', 'Household.head': '{ id }', 'Household.members': '{ totalCount }' };

function fieldsOf(typeName: 'Citizen' | 'Household'): string[] {
  return personalFields()
    .filter((p) => p.typeName === typeName)
    .map((p) => p.field);
}

const keyOf = (field: string, style: Style): string => (style === 'aliased' ? `${field}Seen` : field);

function fieldList(typeName: 'Citizen' | 'Household', style: Style): string {
  return fieldsOf(typeName)
    .map((field) => `${style === 'aliased' ? `${keyOf(field, style)}: ` : ''}${field} ${OBJECT_FIELDS[`${typeName}.${field}`] ?? ''}`)
    .join(' ');
}

const FRAGMENT_NAMES = { Citizen: 'CitizenFields', Household: 'HouseholdFields' } as const;

/** The selection of a subject's fields in a style; named fragments are collected for the document. */
function selection(typeName: 'Citizen' | 'Household', style: Style, fragments: Set<string>): string {
  if (style === 'named fragment') {
    fragments.add(`fragment ${FRAGMENT_NAMES[typeName]} on ${typeName} { __typename id ${fieldList(typeName, style)} }`);
    return `{ ...${FRAGMENT_NAMES[typeName]} }`;
  }
  if (style === 'inline fragment') return `{ __typename ... on ${typeName} { id ${fieldList(typeName, style)} } }`;
  return `{ __typename id ${fieldList(typeName, style)} }`;
}

// ---------------------------------------------------------------------------------------------
// Paths to the subjects
// ---------------------------------------------------------------------------------------------

type Key = string | number;
type Located = { found: true; object: Record<string, unknown>; path: Key[] } | { found: false; brokenAt?: Key[] };

interface MatrixPath {
  name: string;
  subject: SubjectName;
  style: Style;
  /** The roles that reach the subject this way; for the others it is absent (null, or not listed). */
  reach: readonly RoleName[];
  /** Roles for which a personal link on the way is denied (null + FORBIDDEN there). */
  linkDenied?: readonly RoleName[];
  /**
   * Roles for which the root field itself is refused (null + FORBIDDEN at the root): its lookup,
   * filter or ordering would reveal a personal field they may not read; `because` ends the message.
   */
  refused?: { roles: readonly RoleName[]; because: string };
  /** The root field, without alias; `sel` gives the selection of a type's personal fields in the path's style. */
  field(sel: (typeName: 'Citizen' | 'Household') => string): string;
  locate(value: unknown, path: Key[]): Located;
}

const NOT_FOUND: Located = { found: false };

function obj(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

/** The subject itself at `path`, or absent where null. */
function direct(value: unknown, path: Key[]): Located {
  const object = obj(value);
  return object ? { found: true, object, path } : NOT_FOUND;
}

/** Follows keys; absent where a link is null (`brokenAt` names the null link). */
function follow(value: unknown, path: Key[], keys: Key[]): Located {
  let current = value;
  const at = [...path];
  for (const key of keys) {
    const object = obj(current);
    if (!object) return { found: false, brokenAt: at };
    current = Array.isArray(current) ? (current as unknown[])[key as number] : object[key];
    at.push(key);
  }
  return obj(current) ? { found: true, object: obj(current)!, path: at } : { found: false, brokenAt: at };
}

/** The edge of a connection whose node (after `keys`) has the given id. */
function edgeWithId(connection: unknown, path: Key[], keys: Key[], id: string): Located {
  const edges = (obj(connection)?.edges as unknown[] | undefined) ?? [];
  for (const [index, edge] of edges.entries()) {
    const located = follow(edge, [...path, 'edges', index], keys);
    if (located.found && located.object.id === id) return located;
  }
  return NOT_FOUND;
}

function paths(): MatrixPath[] {
  const C = () => gid('Citizen', f.C.id);
  const D = () => gid('Citizen', f.D.id);
  const H = () => gid('Household', f.H.id);
  const missingCitizen = () => gid('Citizen', 99_999_999);
  const list: MatrixPath[] = [];
  const citizenStyles: Style[] = ['plain', 'aliased', 'named fragment', 'inline fragment'];

  // C, the applicant of A's dossiers (and the calling citizen).
  for (const style of citizenStyles) {
    list.push({
      name: `citizen(nationalId) of C, ${style}`,
      subject: 'C',
      style,
      reach: FINDS_C_BY_NATIONAL_ID,
      refused: { roles: NATIONAL_ID_LOOKUP_REFUSED, because: REFUSED.lookUp },
      field: (sel) => `citizen(nationalId: ${q(f.C.national_id)}) ${sel('Citizen')}`,
      locate: direct,
    });
  }
  list.push(
    { name: 'me', subject: 'C', style: 'plain', reach: ['citizen'], field: (sel) => `me ${sel('Citizen')}`, locate: direct },
    {
      name: 'citizens(filter: nationalId) list',
      subject: 'C',
      style: 'plain',
      reach: FINDS_C_BY_NATIONAL_ID,
      refused: { roles: NATIONAL_ID_LOOKUP_REFUSED, because: REFUSED.nationalIdFilter },
      field: (sel) => `citizens(filter: { nationalId: ${q(f.C.national_id)} }) { edges { node ${sel('Citizen')} } }`,
      locate: (v, p) => edgeWithId(v, p, ['node'], C()),
    },
    {
      name: 'dossiers list → applicant (Applicant union)',
      subject: 'C',
      style: 'inline fragment',
      reach: FINDS_C,
      field: (sel) => `dossiers(filter: { applicantId: ${q(C())} }, first: 5) { edges { node { applicant ${sel('Citizen')} } } }`,
      locate: (v, p) => edgeWithId(v, p, ['node', 'applicant'], C()),
    },
    {
      name: 'dossiers list → applicant (union, named fragment)',
      subject: 'C',
      style: 'named fragment',
      reach: FINDS_C,
      field: (sel) => `dossiers(filter: { applicantId: ${q(C())} }, first: 5) { edges { node { applicant ${sel('Citizen')} } } }`,
      locate: (v, p) => edgeWithId(v, p, ['node', 'applicant'], C()),
    },
    {
      name: 'dossier(code) → applicant',
      subject: 'C',
      style: 'inline fragment',
      reach: FINDS_C,
      field: (sel) => `dossier(code: ${q(f.cDossier)}) { code applicant ${sel('Citizen')} }`,
      locate: (v, p) => follow(v, p, ['applicant']),
    },
    {
      name: 'agency(code) → dossiers → applicant',
      subject: 'C',
      style: 'named fragment',
      reach: FINDS_C,
      field: (sel) => `agency(code: ${q(AGENCY_A)}) { code dossiers(first: 100) { edges { node { applicant ${sel('Citizen')} } } } }`,
      locate: (v, p) => edgeWithId(obj(v)?.dossiers, [...p, 'dossiers'], ['node', 'applicant'], C()),
    },
    {
      name: 'citizen(nationalId) → dossiers → applicant',
      subject: 'C',
      style: 'inline fragment',
      reach: FINDS_C_BY_NATIONAL_ID,
      refused: { roles: NATIONAL_ID_LOOKUP_REFUSED, because: REFUSED.lookUp },
      field: (sel) => `citizen(nationalId: ${q(f.C.national_id)}) { id dossiers(first: 5) { edges { node { applicant ${sel('Citizen')} } } } }`,
      locate: (v, p) => edgeWithId(obj(v)?.dossiers, [...p, 'dossiers'], ['node', 'applicant'], C()),
    },
    { name: 'node(id) of C (Node interface)', subject: 'C', style: 'inline fragment', reach: FINDS_C, field: (sel) => `node(id: ${q(C())}) ${sel('Citizen')}`, locate: direct },
    { name: 'node(id) of C, named fragment', subject: 'C', style: 'named fragment', reach: FINDS_C, field: (sel) => `node(id: ${q(C())}) ${sel('Citizen')}`, locate: direct },
    {
      name: 'nodes(ids) of [missing, C]',
      subject: 'C',
      style: 'inline fragment',
      reach: FINDS_C,
      field: (sel) => `nodes(ids: [${q(missingCitizen())}, ${q(C())}]) ${sel('Citizen')}`,
      locate: (v, p) => {
        expect((v as unknown[])[0]).toBeNull();
        return follow(v, p, [1]);
      },
    },
    {
      name: 'households → members (C)',
      subject: 'C',
      style: 'plain',
      reach: FINDS_H_IN_LIST,
      refused: { roles: HOUSEHOLD_LIST_REFUSED, because: REFUSED.codeOrder },
      field: (sel) => `households(filter: { wardId: ${q(gid('AdministrativeUnit', f.H.ward_id))} }, first: 100) { edges { node { id members(first: 50) { edges { node ${sel('Citizen')} } } } } }`,
      locate: (v, p) => {
        const household = edgeWithId(v, p, ['node'], H());
        return household.found ? edgeWithId(household.object.members, [...household.path, 'members'], ['node'], C()) : NOT_FOUND;
      },
    },
  );

  // D, the legal representative of a business, who never applied to A.
  list.push(
    { name: 'business(code) → legalRepresentative', subject: 'D', style: 'plain', reach: EVERYONE, field: (sel) => `business(code: ${q(f.business.code)}) { code legalRepresentative ${sel('Citizen')} }`, locate: (v, p) => follow(v, p, ['legalRepresentative']) },
    { name: 'business(code) → legalRepresentative, aliased', subject: 'D', style: 'aliased', reach: EVERYONE, field: (sel) => `business(code: ${q(f.business.code)}) { code legalRepresentative ${sel('Citizen')} }`, locate: (v, p) => follow(v, p, ['legalRepresentative']) },
    {
      name: 'businesses list → legalRepresentative',
      subject: 'D',
      style: 'inline fragment',
      reach: EVERYONE,
      field: (sel) => `businesses(first: 100) { edges { node { code legalRepresentative ${sel('Citizen')} } } }`,
      locate: (v, p) => edgeWithId(v, p, ['node', 'legalRepresentative'], D()),
    },
    {
      name: 'node(id) of a Business → legalRepresentative',
      subject: 'D',
      style: 'named fragment',
      reach: EVERYONE,
      field: (sel) => `node(id: ${q(gid('Business', f.business.id))}) { ... on Business { code legalRepresentative ${sel('Citizen')} } }`,
      locate: (v, p) => follow(v, p, ['legalRepresentative']),
    },
    {
      name: 'citizen(nationalId) of D',
      subject: 'D',
      style: 'plain',
      reach: FINDS_D_BY_NATIONAL_ID,
      refused: { roles: NATIONAL_ID_LOOKUP_REFUSED, because: REFUSED.lookUp },
      field: (sel) => `citizen(nationalId: ${q(f.D.national_id)}) ${sel('Citizen')}`,
      locate: direct,
    },
    { name: 'node(id) of D', subject: 'D', style: 'inline fragment', reach: FINDS_D, field: (sel) => `node(id: ${q(D())}) ${sel('Citizen')}`, locate: direct },
    {
      name: 'nodes(ids) of [D, missing]',
      subject: 'D',
      style: 'named fragment',
      reach: FINDS_D,
      field: (sel) => `nodes(ids: [${q(D())}, ${q(missingCitizen())}]) ${sel('Citizen')}`,
      locate: (v, p) => {
        expect((v as unknown[])[1]).toBeNull();
        return follow(v, p, [0]);
      },
    },
  );

  // H, C's household.
  list.push(
    {
      name: 'citizen(nationalId) → household',
      subject: 'H',
      style: 'plain',
      reach: FOLLOWS_C_HOUSEHOLD,
      // The roles whose Citizen.household is denied may not look C up by national id at all.
      refused: { roles: NATIONAL_ID_LOOKUP_REFUSED, because: REFUSED.lookUp },
      field: (sel) => `citizen(nationalId: ${q(f.C.national_id)}) { id household ${sel('Household')} }`,
      locate: (v, p) => follow(v, p, ['household']),
    },
    {
      name: 'dossier(code) → applicant → household',
      subject: 'H',
      style: 'aliased',
      reach: FOLLOWS_C_HOUSEHOLD,
      linkDenied: DENIED_C_HOUSEHOLD,
      field: (sel) => `dossier(code: ${q(f.cDossier)}) { applicant { ... on Citizen { id household ${sel('Household')} } } }`,
      locate: (v, p) => follow(v, p, ['applicant', 'household']),
    },
    { name: 'me → household', subject: 'H', style: 'named fragment', reach: ['citizen'], field: (sel) => `me { id household ${sel('Household')} }`, locate: (v, p) => follow(v, p, ['household']) },
    {
      name: 'households list',
      subject: 'H',
      style: 'plain',
      reach: FINDS_H_IN_LIST,
      refused: { roles: HOUSEHOLD_LIST_REFUSED, because: REFUSED.codeOrder },
      field: (sel) => `households(filter: { wardId: ${q(gid('AdministrativeUnit', f.H.ward_id))} }, first: 100) { edges { node ${sel('Household')} } }`,
      locate: (v, p) => edgeWithId(v, p, ['node'], H()),
    },
    { name: 'node(id) of H', subject: 'H', style: 'inline fragment', reach: FINDS_H, field: (sel) => `node(id: ${q(H())}) ${sel('Household')}`, locate: direct },
    { name: 'nodes(ids) of [H]', subject: 'H', style: 'named fragment', reach: FINDS_H, field: (sel) => `nodes(ids: [${q(H())}]) ${sel('Household')}`, locate: (v, p) => follow(v, p, [0]) },
  );
  return list;
}

/** Path names are known when the tests are collected; their queries only once fixtures exist. */
const PATH_NAMES = [
  ...['plain', 'aliased', 'named fragment', 'inline fragment'].map((style) => `citizen(nationalId) of C, ${style}`),
  'me',
  'citizens(filter: nationalId) list',
  'dossiers list → applicant (Applicant union)',
  'dossiers list → applicant (union, named fragment)',
  'dossier(code) → applicant',
  'agency(code) → dossiers → applicant',
  'citizen(nationalId) → dossiers → applicant',
  'node(id) of C (Node interface)',
  'node(id) of C, named fragment',
  'nodes(ids) of [missing, C]',
  'households → members (C)',
  'business(code) → legalRepresentative',
  'business(code) → legalRepresentative, aliased',
  'businesses list → legalRepresentative',
  'node(id) of a Business → legalRepresentative',
  'citizen(nationalId) of D',
  'node(id) of D',
  'nodes(ids) of [D, missing]',
  'citizen(nationalId) → household',
  'dossier(code) → applicant → household',
  'me → household',
  'households list',
  'node(id) of H',
  'nodes(ids) of [H]',
];

/** Cases that reveal a bug or a policy hole in the gateway: `${role} / ${path}` → why. */
const KNOWN_HOLES: Record<string, string> = {};

// ---------------------------------------------------------------------------------------------
// Running a role's paths: one request per subject, every path under its own alias
// ---------------------------------------------------------------------------------------------

interface RoleRun {
  byPath: Map<string, { alias: string; response: GraphQLResponse }>;
}

async function runRole(role: RoleName): Promise<RoleRun> {
  const all = paths();
  expect(all.map((p) => p.name)).toEqual(PATH_NAMES);
  const byPath = new Map<string, { alias: string; response: GraphQLResponse }>();
  for (const subject of ['C', 'D', 'H'] as const) {
    const fragments = new Set<string>();
    const batch = all.map((p, i) => ({ p, alias: `p${i}` })).filter(({ p }) => p.subject === subject);
    const fields = batch.map(({ p, alias }) => `${alias}: ${p.field((typeName) => selection(typeName, p.style, fragments))}`);
    const document = `query Matrix${subject} {\n  ${fields.join('\n  ')}\n}\n${[...fragments].join('\n')}`;
    const response = await gw.query(document, undefined, headers[role]);
    expect(response.status, JSON.stringify(response.errors)).toBe(200);
    for (const { p, alias } of batch) byPath.set(p.name, { alias, response });
  }
  return { byPath };
}

function expectedValue(subject: SubjectName, field: string): unknown {
  if (subject === 'H') {
    const values: Record<string, unknown> = {
      code: f.H.code,
      address: f.H.address,
      memberCount: f.H.member_count,
      head: f.H.head_citizen_id === null ? null : { id: gid('Citizen', f.H.head_citizen_id) },
      members: { totalCount: f.H.member_count },
    };
    if (!(field in values)) throw new Error(`No expected value for Household.${field}`);
    return values[field];
  }
  const c = subject === 'C' ? f.C : f.D;
  const birth = c.birth_date instanceof Date ? c.birth_date.toISOString().slice(0, 10) : c.birth_date;
  const values: Record<string, unknown> = {
    fullName: c.full_name,
    gender: c.gender,
    nationalId: c.national_id,
    birthDate: birth,
    // Stored nationally (09x...), served in E.164 (+849x...).
    phone: c.phone === null ? null : `+84${c.phone.replace(/^0/, '')}`,
    email: c.email,
    address: c.address,
    ward: { id: gid('AdministrativeUnit', c.ward_id) },
    household: { id: gid('Household', c.household_id) },
  };
  if (!(field in values)) throw new Error(`No expected value for Citizen.${field}`);
  return values[field];
}

const same = (a: readonly Key[] | undefined, b: readonly Key[]): boolean => a !== undefined && a.length === b.length && a.every((k, i) => k === b[i]);

function checkPath(role: RoleName, path: MatrixPath, run: RoleRun): void {
  const { alias, response } = run.byPath.get(path.name)!;
  const data = obj(response.data);
  expect(data, 'the rest of the response is served').not.toBeNull();
  const mine = (response.errors ?? []).filter((e) => e.path?.[0] === alias);
  const located = path.locate(data![alias], [alias]);
  const typeName = path.subject === 'H' ? 'Household' : 'Citizen';
  const subjectId = path.subject === 'C' ? gid('Citizen', f.C.id) : path.subject === 'D' ? gid('Citizen', f.D.id) : gid('Household', f.H.id);

  if (path.refused?.roles.includes(role)) {
    expect(path.reach, `${path.name}: a refused role reaches nothing`).not.toContain(role);
    expect(data![alias], `${role}: ${path.name} is refused at the root field`).toBeNull();
    expect(mine.map((e) => [e.path, e.extensions?.code])).toEqual([[[alias], 'FORBIDDEN']]);
    // The message names exactly what was refused, and nothing else.
    expect(mine[0]!.message).toMatch(new RegExp(`: ${path.refused.because}$`));
    return;
  }

  if (!path.reach.includes(role)) {
    expect(located.found, `${role} must not reach ${path.subject} through ${path.name}`).toBe(false);
    if (path.linkDenied?.includes(role)) {
      expect(located.found ? undefined : located.brokenAt).toBeDefined();
      const brokenAt = (located as { brokenAt: Key[] }).brokenAt;
      expect(mine.map((e) => [e.path, e.extensions?.code])).toEqual([[brokenAt, 'FORBIDDEN']]);
    } else {
      expect(mine, 'an unreachable subject raises no error').toEqual([]);
    }
    return;
  }

  expect(located.found, `${role} reaches ${path.subject} through ${path.name}`).toBe(true);
  const { object, path: at } = located as Extract<Located, { found: true }>;
  expect(object.id).toBe(subjectId);
  if (path.style !== 'plain' && path.style !== 'aliased') expect(object.__typename).toBe(typeName);
  const expectedErrors: Key[][] = [];
  for (const field of fieldsOf(typeName)) {
    const key = keyOf(field, path.style);
    const outcome = expectedOutcome(role, path.subject, field);
    const value = object[key];
    const where = `${role} ${typeName}.${field} via ${path.name}`;
    expect(key in object, `${where}: the key is in the response`).toBe(true);
    if (outcome === 'denied') {
      expect(value, where).toBeNull();
      expectedErrors.push([...at, key]);
    } else if (outcome === 'masked') {
      const real = String(expectedValue(path.subject, field));
      // Only the serial's last 4 digits: no province, century, gender or birth-year digit.
      expect(value, where).toBe(`********${real.slice(-4)}`);
      expect(value, where).toMatch(/^\*{8}\d{4}$/);
    } else {
      expect(value, where).toEqual(expectedValue(path.subject, field));
    }
  }
  // Exactly the denied fields of the subject fail, each FORBIDDEN with a path naming the field.
  const underSubject = mine.filter((e) => same(e.path?.slice(0, at.length), at));
  for (const error of underSubject) expect(error.extensions?.code, error.message).toBe('FORBIDDEN');
  const actual = underSubject.map((e) => e.path!);
  expect(actual.length, JSON.stringify(actual)).toBe(expectedErrors.length);
  for (const expected of expectedErrors) expect(actual.some((p) => same(p, expected)), `FORBIDDEN at ${expected.join('.')}`).toBe(true);
}

describe.each(ROLES)('personal fields as %s', (role) => {
  let run: RoleRun;
  beforeAll(async () => {
    run = await runRole(role);
  });

  it('answers every path with data (no other errors than FORBIDDEN)', () => {
    for (const { response } of run.byPath.values()) {
      for (const error of response.errors ?? []) expect(error.extensions?.code, error.message).toBe('FORBIDDEN');
    }
  });

  for (const name of PATH_NAMES) {
    const hole = KNOWN_HOLES[`${role} / ${name}`];
    const test = hole ? it.fails : it;
    test(`${name}${hole ? ` (known hole: ${hole})` : ''}`, () => {
      checkPath(role, paths().find((p) => p.name === name)!, run);
    });
  }
});

describe('L10: household structure follows the household rule', () => {
  it("an officer (with a purpose) who follows C's household gets its id and nothing else: no member count, head, members or their businesses", async () => {
    const res = await gw.query<{ c: { household: Record<string, unknown> } }>(
      `query($n: String!) { c: citizen(nationalId: $n) { household { id code address memberCount head { id } members(first: 10) { edges { node { id businesses { totalCount } } } } } } }`,
      { n: f.C.national_id },
      headers.officer,
    );
    expect(res.data!.c.household).toEqual({ id: gid('Household', f.H.id), code: null, address: null, memberCount: null, head: null, members: null });
    expect((res.errors ?? []).map((e) => [e.path!.slice(2).join('.'), e.extensions?.code]).sort()).toEqual([
      ['address', 'FORBIDDEN'],
      ['code', 'FORBIDDEN'],
      ['head', 'FORBIDDEN'],
      ['memberCount', 'FORBIDDEN'],
      ['members', 'FORBIDDEN'],
    ]);
  });

  it('a member and an admin with a purpose see the structure', async () => {
    for (const role of ['citizen', 'admin'] as const) {
      const res = await gw.query<{ node: { memberCount: number; members: { totalCount: number } } }>(
        `query($id: ID!) { node(id: $id) { ... on Household { memberCount members { totalCount } } } }`,
        { id: gid('Household', f.H.id) },
        headers[role],
      );
      expect(res.errors, role).toBeUndefined();
      expect(res.data!.node).toEqual({ memberCount: f.H.member_count, members: { totalCount: f.H.member_count } });
    }
  });
});

describe('the list of personal fields', () => {
  it('has an expectation for every @Personal field and a field for every column of the table', () => {
    const marked = personalFields().map((p) => `${p.typeName}.${p.field}`).sort();
    const tabled = [...CITIZEN_COLUMNS.map((c) => `Citizen.${c}`), ...HOUSEHOLD_COLUMNS.map((c) => `Household.${c}`)].sort();
    expect(marked).toEqual(tabled);
  });
});

// ---------------------------------------------------------------------------------------------
// Row scopes
// ---------------------------------------------------------------------------------------------

/** The parts of a response a client sees, without the development-only statement counts. */
const visible = (r: GraphQLResponse) => ({ status: r.status, data: r.data, errors: r.errors });

describe('dossier row scopes', () => {
  const DOSSIER_PAGE = `query Page($after: String) { dossiers(first: 100, after: $after, orderBy: CODE) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { code agency { code } applicant { __typename ... on Citizen { id } ... on Business { id } } } } } }`;

  type DossierNode = { code: string; agency: { code: string }; applicant: { __typename: string; id: string } };
  async function allDossiers(role: RoleName): Promise<{ totalCount: number; nodes: DossierNode[] }> {
    const nodes: DossierNode[] = [];
    let after: string | null = null;
    for (;;) {
      const res: GraphQLResponse<{ dossiers: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: DossierNode }> } }> =
        await gw.query(DOSSIER_PAGE, { after }, headers[role]);
      expect(res.errors).toBeUndefined();
      nodes.push(...res.data!.dossiers.edges.map((e) => e.node));
      if (!res.data!.dossiers.pageInfo.hasNextPage) return { totalCount: res.data!.dossiers.totalCount, nodes };
      after = res.data!.dossiers.pageInfo.endCursor;
    }
  }

  it("an officer of A sees A's dossiers and only those (list and totalCount)", async () => {
    const { totalCount, nodes } = await allDossiers('officer');
    expect(totalCount).toBe(f.counts.agencyA);
    expect(nodes).toHaveLength(f.counts.agencyA);
    expect(new Set(nodes.map((n) => n.agency.code))).toEqual(new Set([AGENCY_A]));
  });

  it('a citizen sees their own dossiers and only those', async () => {
    const { totalCount, nodes } = await allDossiers('citizen');
    expect(totalCount).toBe(f.counts.ofC);
    expect(f.counts.ofC).toBeGreaterThan(0);
    expect(nodes.every((n) => n.applicant.__typename === 'Citizen' && n.applicant.id === gid('Citizen', f.C.id))).toBe(true);
  });

  it('an admin sees every dossier', async () => {
    const res = await gw.query<{ dossiers: { totalCount: number } }>(`{ dossiers(first: 1) { totalCount } }`, undefined, headers.admin);
    expect(res.data!.dossiers.totalCount).toBe(f.counts.all);
  });

  it.each(['public', 'analyst', 'auditor'] as const)('%s sees no dossier in full', async (role) => {
    const res = await gw.query<Record<string, unknown>>(
      `query($a: ID!, $d: ID!) {
        list: dossiers(first: 100) { totalCount edges { node { code } } }
        one: dossier(code: ${q(f.cDossier)}) { code }
        node: node(id: $d) { id }
        agency: agency(code: ${q(AGENCY_A)}) { dossiers(first: 10) { totalCount edges { node { code } } } }
        citizen: node(id: $a) { id }
      }`,
      { a: gid('Citizen', f.C.id), d: gid('Dossier', f.otherDossier.id) },
      headers[role],
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ list: { totalCount: 0, edges: [] }, one: null, node: null, agency: { dossiers: { totalCount: 0, edges: [] } }, citizen: null });
  });

  it("another agency's dossier answers an officer of A exactly like a missing one: dossier(code) and node(id)", async () => {
    const ask = (code: string, id: string) =>
      gw.query(`query($code: String!, $id: ID!) { d: dossier(code: $code) { code status } n: node(id: $id) { id ... on Dossier { code } } }`, { code, id }, headers.officer);
    const other = await ask(f.otherDossier.code, gid('Dossier', f.otherDossier.id));
    const missing = await ask(f.missingDossierCode, gid('Dossier', 99_999_999));
    expect(visible(other)).toEqual({ status: 200, data: { d: null, n: null }, errors: undefined });
    expect(visible(other)).toEqual(visible(missing));
    // A's own dossier is there, through both.
    const [own] = (await sql<{ id: number }>`select id from services.dossiers where code = ${f.cDossier}`.execute(gw.databases.connections.sources.services.root)).rows;
    const mine = await ask(f.cDossier, gid('Dossier', own!.id));
    expect(mine.data).toMatchObject({ d: { code: f.cDossier }, n: { id: gid('Dossier', own!.id), code: f.cDossier } });
  });

  it("an officer of A gets nothing of another agency's dossiers through Agency.dossiers or a filter", async () => {
    const [other] = (await sql<{ code: string }>`select code from reference.agencies where id = ${f.otherDossier.agency_id}`.execute(gw.databases.connections.sources.reference.root)).rows;
    const res = await gw.query<{ agency: { dossiers: { totalCount: number; edges: unknown[] } }; filtered: { totalCount: number } }>(
      `query($agencyId: ID!) { agency(code: ${q(other!.code)}) { dossiers(first: 10) { totalCount edges { node { code } } } }
        filtered: dossiers(filter: { agencyId: $agencyId }) { totalCount } }`,
      { agencyId: gid('Agency', f.otherDossier.agency_id) },
      headers.officer,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ agency: { dossiers: { totalCount: 0, edges: [] } }, filtered: { totalCount: 0 } });
  });

  it("someone else's dossier answers a citizen exactly like a missing one", async () => {
    const ask = (code: string) => gw.query(`query($code: String!) { d: dossier(code: $code) { code } }`, { code }, headers.citizen);
    const other = await ask(f.otherDossier.code);
    expect(visible(other)).toEqual({ status: 200, data: { d: null }, errors: undefined });
    expect(visible(other)).toEqual(visible(await ask(f.missingDossierCode)));
    expect((await ask(f.cDossier)).data).toEqual({ d: { code: f.cDossier } });
  });

  describe('dossierStatus(code): the public lookup', () => {
    const LOOKUP = `query($code: String!) { dossierStatus(code: $code) { code status } }`;
    it.each(['public', 'citizen', 'officer', 'analyst', 'admin'] as const)('answers %s, for any dossier', async (role) => {
      const [expected] = (await sql<{ status: string }>`select status from services.dossiers where code = ${f.otherDossier.code}`.execute(gw.databases.connections.sources.services.root)).rows;
      const res = await gw.query(LOOKUP, { code: f.otherDossier.code }, headers[role]);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ dossierStatus: { code: f.otherDossier.code, status: expected!.status } });
    });

    it('is FORBIDDEN to auditors', async () => {
      const res = await gw.query(LOOKUP, { code: f.otherDossier.code }, headers.auditor);
      expect(res.data).toEqual({ dossierStatus: null });
      expect(res.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([[['dossierStatus'], 'FORBIDDEN']]);
    });
  });

  describe('dossierStatistics: aggregates', () => {
    const STATS = `{ dossierStatistics { totals { total } } }`;
    it.each(['analyst', 'admin'] as const)('%s sees every dossier counted', async (role) => {
      const res = await gw.query(STATS, undefined, headers[role]);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ dossierStatistics: { totals: { total: f.counts.all } } });
    });

    it("an officer sees their agency's dossiers counted, whatever the filter asks", async () => {
      const res = await gw.query<{ own: { totals: { total: number } }; other: { totals: { total: number } } }>(
        `query($other: ID!) { own: dossierStatistics { totals { total } } other: dossierStatistics(filter: { agencyId: $other }) { totals { total } } }`,
        { other: gid('Agency', f.otherDossier.agency_id) },
        headers.officer,
      );
      expect(res.data!.own.totals.total).toBe(f.counts.agencyA);
      // Another agency's dossiers are none of the officer's: fewer than k, so no figures (as for an empty filter).
      expect(res.data!.other).toBeNull();
      expect(res.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([[['other'], 'FORBIDDEN']]);
    });

    it.each(['public', 'citizen', 'auditor'] as const)('is FORBIDDEN to %s', async (role) => {
      const res = await gw.query(STATS, undefined, headers[role]);
      expect(res.data?.dossierStatistics ?? null).toBeNull();
      expect(res.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([[['dossierStatistics'], 'FORBIDDEN']]);
    });

    // dossierStatistics is nullable: its FORBIDDEN error nulls that field only.
    it.each(['public', 'citizen', 'auditor'] as const)('a denied dossierStatistics leaves the rest of the response served (%s)', async (role) => {
      const res = await gw.query(`{ dossierStatistics { totals { total } } agency(code: ${q(AGENCY_A)}) { code } }`, undefined, headers[role]);
      expect(res.status).toBe(200);
      expect(res.errors!.map((e) => [e.path, e.extensions?.code])).toEqual([[['dossierStatistics'], 'FORBIDDEN']]);
      expect(res.data).toEqual({ dossierStatistics: null, agency: { code: AGENCY_A } });
    });
  });
});

describe('the access log: auditors and admins only, and a refusal nulls only its own field', () => {
  const LOG = `{ accessLog(first: 1) { totalCount } accessLogVerification { intact } agency(code: ${q(AGENCY_A)}) { code } }`;

  it.each(['public', 'citizen', 'officer', 'officerNoPurpose', 'analyst'] as const)('%s: accessLog and accessLogVerification are null with FORBIDDEN, the rest is served', async (role) => {
    const res = await gw.query(LOG, undefined, headers[role]);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ accessLog: null, accessLogVerification: null, agency: { code: AGENCY_A } });
    const errors = (res.errors ?? []).map((e) => [String(e.path), e.extensions?.code]).sort();
    expect(errors).toEqual([
      ['accessLog', 'FORBIDDEN'],
      ['accessLogVerification', 'FORBIDDEN'],
    ]);
  });

  it.each(['auditor', 'admin'] as const)('%s reads both', async (role) => {
    const res = await gw.query<{ accessLog: { totalCount: number }; accessLogVerification: { intact: boolean } }>(LOG, undefined, headers[role]);
    expect(res.errors).toBeUndefined();
    expect(res.data!.accessLog.totalCount).toEqual(expect.any(Number));
    expect(res.data!.accessLogVerification.intact).toBe(true);
  });
});

describe('citizen row scopes: a hidden citizen answers like a missing one', () => {
  const ASK = `query($nid: String!, $id: ID!) {
    byNationalId: citizen(nationalId: $nid) { id fullName }
    byNode: node(id: $id) { id ... on Citizen { fullName } }
    list: citizens(filter: { nationalId: $nid }) { totalCount edges { node { id } } }
  }`;
  const cases: Array<[RoleName, 'C' | 'D']> = [
    ['public', 'C'],
    ['citizen', 'D'],
    ['officer', 'D'],
    ['officerNoPurpose', 'D'],
    ['analyst', 'C'],
    ['auditor', 'C'],
  ];
  /**
   * The officer without a purpose finds A's applicants but may not read national ids: the lookup
   * and the filter by national id are refused before anything is fetched, whoever is asked for.
   */
  const REFUSED_BY_NATIONAL_ID: readonly RoleName[] = ['officerNoPurpose'];
  it.each(cases)('%s asking for %s', async (role, who) => {
    const hiddenRow = who === 'C' ? f.C : f.D;
    const hidden = await gw.query(ASK, { nid: hiddenRow.national_id, id: gid('Citizen', hiddenRow.id) }, headers[role]);
    const missing = await gw.query(ASK, { nid: f.missingNationalId, id: gid('Citizen', 99_999_999) }, headers[role]);
    if (REFUSED_BY_NATIONAL_ID.includes(role)) {
      expect(hidden.status).toBe(200);
      expect(hidden.data).toEqual({ byNationalId: null, byNode: null, list: null });
      expect((hidden.errors ?? []).map((e) => [e.path, e.extensions?.code, e.message.replace(/^.*: /, '')])).toEqual([
        [['byNationalId'], 'FORBIDDEN', 'look up by national id'],
        [['list'], 'FORBIDDEN', 'filter by national id'],
      ]);
    } else {
      expect(visible(hidden)).toEqual({ status: 200, data: { byNationalId: null, byNode: null, list: { totalCount: 0, edges: [] } }, errors: undefined });
    }
    // Byte for byte (messages and locations included), hidden and missing answer alike.
    expect(visible(hidden)).toEqual(visible(missing));
  });

  it('while the officer of A finds C, and the citizen finds themselves, the same way', async () => {
    const args = { nid: f.C.national_id, id: gid('Citizen', f.C.id) };
    for (const role of ['officer', 'citizen', 'admin'] as const) {
      const res = await gw.query(ASK, args, headers[role]);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({
        byNationalId: { id: args.id, fullName: f.C.full_name },
        byNode: { id: args.id, fullName: f.C.full_name },
        list: { totalCount: 1, edges: [{ node: { id: args.id } }] },
      });
    }
  });
});

describe('a hidden record and a missing one cost the same SQL statements (nothing leaks through counts or timing)', () => {
  const statements = (r: GraphQLResponse) => r.extensions?.sqlStatements;

  it("dossier(code) and node(id): another agency's dossier and a missing one, for an officer of A", async () => {
    const ask = (code: string, id: string) => gw.query(`query($code: String!, $id: ID!) { d: dossier(code: $code) { code } n: node(id: $id) { id } }`, { code, id }, headers.officer);
    const other = await ask(f.otherDossier.code, gid('Dossier', f.otherDossier.id));
    const missing = await ask(f.missingDossierCode, gid('Dossier', 99_999_999));
    expect(statements(other)).toBeDefined();
    expect(statements(other)).toEqual(statements(missing));
  });

  it.each(['officer', 'citizen'] as const)(
    '%s: citizen(nationalId) of a hidden citizen and of a missing one',
    async (role) => {
      const ask = (nid: string) => gw.query(`query($nid: String!) { c: citizen(nationalId: $nid) { id } }`, { nid }, headers[role]);
      const hidden = await ask(f.D.national_id);
      const missing = await ask(f.missingNationalId);
      expect(statements(hidden)).toBeDefined();
      expect(statements(hidden)).toEqual(statements(missing));
    },
  );

  it.each(['officer', 'citizen'] as const)(
    '%s: node(id) of a hidden citizen and of a missing one',
    async (role) => {
      const ask = (id: string) => gw.query(`query($id: ID!) { n: node(id: $id) { id } }`, { id }, headers[role]);
      const hidden = await ask(gid('Citizen', f.D.id));
      const missing = await ask(gid('Citizen', 99_999_999));
      expect(statements(hidden)).toBeDefined();
      expect(statements(hidden)).toEqual(statements(missing));
    },
  );
});

describe('side channels to denied fields: cursors and filters', () => {
  const bytesOf = (cursor: string): Buffer => Buffer.from(cursor, 'base64url');
  const dateText = (value: string | Date): string => (value instanceof Date ? value.toISOString().slice(0, 10) : value);

  async function citizensById(ids: number[]): Promise<Map<number, CitizenRow>> {
    const rows = (await sql<CitizenRow>`select id, national_id, full_name, gender, birth_date, phone, email, address, ward_id, household_id
      from population.citizens where id = any(${ids})`.execute(gw.databases.connections.sources.population.root)).rows;
    return new Map(rows.map((r) => [r.id, r]));
  }
  const rowIdOf = (globalId: string): number => Number(Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1]);

  /** A cursor is sealed: its bytes are not JSON, and none of `secrets` (sort values, the ordering's name) is in them. */
  function expectSealed(cursor: string, secrets: readonly string[]): void {
    const bytes = bytesOf(cursor);
    expect(() => JSON.parse(bytes.toString('utf8')) as unknown, `cursor ${cursor} is not readable JSON`).toThrow();
    for (const secret of secrets) expect(bytes.includes(Buffer.from(secret, 'utf8')), `cursor ${cursor} carries "${secret}"`).toBe(false);
  }

  const refusal = (res: GraphQLResponse) => (res.errors ?? []).map((e) => [e.path, e.extensions?.code, e.message.replace(/^.*: /, '')]);

  it('officer without a purpose: ordering citizens by BIRTH_DATE is refused (null + FORBIDDEN), so neither an order nor a cursor is handed out', async () => {
    const res = await gw.query(`{ citizens(first: 10, orderBy: BIRTH_DATE) { edges { cursor node { id birthDate } } } }`, undefined, headers.officerNoPurpose);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ citizens: null });
    expect(refusal(res)).toEqual([[['citizens'], 'FORBIDDEN', 'order by BIRTH_DATE']]);
  });

  // An admin with LEGAL_OBLIGATION: an officer's DOSSIER_PROCESSING orders only among the case's people (one).
  it('cursors of citizens ordered by BIRTH_DATE carry no birth date, are not JSON, and still page (admin with a purpose)', async () => {
    type Page = { citizens: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ cursor: string; node: { id: string; birthDate: string } }> } };
    const PAGE = `query($after: String) { citizens(first: 5, after: $after, orderBy: BIRTH_DATE) { pageInfo { hasNextPage endCursor } edges { cursor node { id birthDate } } } }`;
    const first = await gw.query<Page>(PAGE, { after: null }, headers.admin);
    expect(first.errors).toBeUndefined();
    const edges = first.data!.citizens.edges;
    expect(edges).toHaveLength(5);
    expect(first.data!.citizens.pageInfo.hasNextPage).toBe(true);
    const rows = await citizensById(edges.map((e) => rowIdOf(e.node.id)));
    for (const edge of edges) {
      const row = rows.get(rowIdOf(edge.node.id))!;
      // The admin may read these birth dates; the cursor still must not hold them.
      expect(edge.node.birthDate).toBe(dateText(row.birth_date));
      expectSealed(edge.cursor, [dateText(row.birth_date), row.full_name, 'citizen:birth_date']);
    }
    const next = await gw.query<Page>(PAGE, { after: first.data!.citizens.pageInfo.endCursor }, headers.admin);
    expect(next.errors).toBeUndefined();
    const following = next.data!.citizens.edges;
    expect(following.length).toBeGreaterThan(0);
    expect(following.some((e) => edges.some((d) => d.node.id === e.node.id))).toBe(false);
    expect(following[0]!.node.birthDate >= edges.at(-1)!.node.birthDate).toBe(true);
  });

  it.each(['CODE', 'ADDRESS'] as const)('admin without a purpose: listing households ordered by %s is refused (null + FORBIDDEN)', async (order) => {
    const res = await gw.query(`{ households(first: 10, orderBy: ${order}) { edges { cursor node { id code } } } }`, undefined, headers.adminNoPurpose);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ households: null });
    expect(refusal(res)).toEqual([[['households'], 'FORBIDDEN', `order by ${order}`]]);
  });

  it.each(['CODE', 'ADDRESS'] as const)('cursors of households ordered by %s carry neither codes nor addresses (admin with a purpose)', async (order) => {
    const res = await gw.query<{ households: { edges: Array<{ cursor: string; node: { id: string; code: string; address: string } }> } }>(
      `{ households(first: 10, orderBy: ${order}) { edges { cursor node { id code address } } } }`,
      undefined,
      headers.admin,
    );
    expect(res.errors).toBeUndefined();
    const edges = res.data!.households.edges;
    expect(edges).toHaveLength(10);
    const stored = (await sql<{ id: number; code: string; address: string }>`select id, code, address from population.households where id = any(${edges.map((e) => rowIdOf(e.node.id))})`.execute(
      gw.databases.connections.sources.population.root,
    )).rows;
    for (const edge of edges) {
      const row = stored.find((h) => h.id === rowIdOf(edge.node.id))!;
      expect(edge.node).toMatchObject({ code: row.code, address: row.address });
      expectSealed(edge.cursor, [row.code, row.address, `household:${order.toLowerCase()}`]);
    }
  });

  it("citizen: their household's members come newest registration first (not by name), and the cursors do not carry the other members' denied names", async () => {
    const res = await gw.query<{ me: { household: { members: { edges: Array<{ cursor: string; node: { id: string; fullName: string | null } }> } } } }>(
      `{ me { household { members(first: 50) { edges { cursor node { id fullName } } } } } }`,
      undefined,
      headers.citizen,
    );
    const edges = res.data!.me.household.members.edges;
    const ids = edges.map((e) => rowIdOf(e.node.id));
    expect(ids, 'members by registration, newest (highest id) first').toEqual([...ids].sort((a, b) => b - a));
    const others = edges.filter((e) => e.node.id !== gid('Citizen', f.C.id));
    expect(others.length, 'C shares a household').toBeGreaterThan(0);
    expect(others.every((e) => e.node.fullName === null)).toBe(true);
    const rows = await citizensById(others.map((e) => rowIdOf(e.node.id)));
    for (const edge of others) expectSealed(edge.cursor, [rows.get(rowIdOf(edge.node.id))!.full_name]);
  });

  /** Asks for C by national id AND a personal value; the answer must not depend on whether the value is C's. */
  const filterC = (values: string, variables: string) => async (value: string, caller: Record<string, string>) =>
    gw.query<{ citizens: { totalCount: number } | null }>(
      `query($nid: String!, $v: ${variables}) { citizens(filter: { nationalId: $nid, ${values} }) { totalCount } }`,
      { nid: f.C.national_id, v: value },
      caller,
    );
  const byBirthDate = filterC('bornFrom: $v, bornTo: $v', 'LocalDate!');
  const byGender = filterC('gender: $v', 'Gender!');
  const bornOfC = (): string => dateText(f.C.birth_date);
  const notBornOfC = (): string => (bornOfC().startsWith('1900') ? '1901-01-01' : '1900-01-01');
  const notGenderOfC = (): string => (f.C.gender === 'MALE' ? 'FEMALE' : 'MALE');

  it("officer without a purpose: filtering by birth date is refused, so C's denied birth date cannot be told from the count", async () => {
    const right = await byBirthDate(bornOfC(), headers.officerNoPurpose);
    const wrong = await byBirthDate(notBornOfC(), headers.officerNoPurpose);
    expect(right.data).toEqual({ citizens: null });
    // The national id filter is refused too: both are named.
    expect(refusal(right)).toEqual([[['citizens'], 'FORBIDDEN', 'filter by birth date, filter by national id']]);
    expect(visible(right)).toEqual(visible(wrong));
  });

  it("officer without a purpose: filtering by gender is refused, so C's denied gender cannot be told from the count", async () => {
    const right = await byGender(f.C.gender, headers.officerNoPurpose);
    const wrong = await byGender(notGenderOfC(), headers.officerNoPurpose);
    expect(right.data).toEqual({ citizens: null });
    expect(refusal(right)).toEqual([[['citizens'], 'FORBIDDEN', 'filter by gender, filter by national id']]);
    expect(visible(right)).toEqual(visible(wrong));
  });

  it('officer with a purpose (and a standing case): the birth date and gender filters are allowed and find C', async () => {
    expect((await byBirthDate(bornOfC(), headers.officer)).data).toEqual({ citizens: { totalCount: 1 } });
    expect((await byBirthDate(notBornOfC(), headers.officer)).data).toEqual({ citizens: { totalCount: 0 } });
    expect((await byGender(f.C.gender, headers.officer)).data).toEqual({ citizens: { totalCount: 1 } });
    expect((await byGender(notGenderOfC(), headers.officer)).data).toEqual({ citizens: { totalCount: 0 } });
  });
});

describe('filters, orderings and lookups on personal fields need read access to that field', () => {
  interface Use {
    name: string;
    /** The root field; every filter matches C (or H), so an allowed use finds at least one row. */
    field: () => string;
    kind: 'list' | 'lookup';
    /** The end of the FORBIDDEN message when refused (filters isolated with orderBy: NEWEST, which needs nothing). */
    refusal: string;
  }
  let districtId: string;
  beforeAll(async () => {
    const [ward] = (await sql<{ parent_id: number }>`select parent_id from reference.administrative_units where id = ${f.C.ward_id}`.execute(
      gw.databases.connections.sources.reference.root,
    )).rows;
    districtId = gid('AdministrativeUnit', ward!.parent_id);
  });
  const born = () => q(f.C.birth_date instanceof Date ? f.C.birth_date.toISOString().slice(0, 10) : f.C.birth_date);
  const citizens = (args: string) => () => `citizens(${args}) { totalCount }`;
  const households = (args: string) => () => `households(${args}) { totalCount }`;

  const USES: Use[] = [
    { name: 'citizens(filter: nationalId)', kind: 'list', field: () => citizens(`filter: { nationalId: ${q(f.C.national_id)} }, orderBy: NEWEST`)(), refusal: 'filter by national id' },
    { name: 'citizens(filter: bornFrom, bornTo)', kind: 'list', field: () => citizens(`filter: { bornFrom: ${born()}, bornTo: ${born()} }, orderBy: NEWEST`)(), refusal: 'filter by birth date' },
    { name: 'citizens(filter: gender)', kind: 'list', field: () => citizens(`filter: { gender: ${f.C.gender} }, orderBy: NEWEST`)(), refusal: 'filter by gender' },
    { name: 'citizens(filter: householdId)', kind: 'list', field: () => citizens(`filter: { householdId: ${q(gid('Household', f.H.id))} }, orderBy: NEWEST`)(), refusal: 'filter by household' },
    { name: 'citizens(filter: search)', kind: 'list', field: () => citizens(`filter: { search: ${q(f.C.full_name)} }, orderBy: NEWEST`)(), refusal: 'search by name' },
    { name: 'citizens(filter: wardId)', kind: 'list', field: () => citizens(`filter: { wardId: ${q(gid('AdministrativeUnit', f.C.ward_id))} }, orderBy: NEWEST`)(), refusal: 'filter by ward or district' },
    { name: 'citizens(filter: districtId)', kind: 'list', field: () => citizens(`filter: { districtId: ${q(districtId)} }, orderBy: NEWEST`)(), refusal: 'filter by ward or district' },
    { name: 'citizens (default order: NAME)', kind: 'list', field: citizens('first: 1'), refusal: 'order by NAME' },
    { name: 'citizens(orderBy: BIRTH_DATE)', kind: 'list', field: citizens('first: 1, orderBy: BIRTH_DATE'), refusal: 'order by BIRTH_DATE' },
    { name: 'citizens(orderBy: NEWEST)', kind: 'list', field: citizens('first: 1, orderBy: NEWEST'), refusal: 'order by NEWEST' },
    { name: 'citizen(nationalId)', kind: 'lookup', field: () => `citizen(nationalId: ${q(f.C.national_id)}) { id }`, refusal: 'look up by national id' },
    { name: 'households (default order: CODE)', kind: 'list', field: households('first: 1'), refusal: 'order by CODE' },
    { name: 'households(orderBy: ADDRESS)', kind: 'list', field: households('first: 1, orderBy: ADDRESS'), refusal: 'order by ADDRESS' },
    { name: 'households(filter: search, orderBy: ADDRESS)', kind: 'list', field: () => households(`filter: { search: ${q(f.H.address)} }, orderBy: ADDRESS`)(), refusal: 'search by address, order by ADDRESS' },
    { name: 'households(filter: wardId)', kind: 'list', field: () => households(`filter: { wardId: ${q(gid('AdministrativeUnit', f.H.ward_id))} }`)(), refusal: 'order by CODE' }, // the ward is identity: only the order is refused
  ];

  /**
   * By hand from the policy's table. A: served, finds C or H; F: null + FORBIDDEN naming the use;
   * E: the caller finds no one, so the field answers empty (or null) without error, whatever it asks.
   */
  const TABLE: Record<RoleName, string> = {
    //                citizens(filter: …)           citizens(orderBy) citizen households
    //                nid born gen hh srch ward dist NAME BIRTH NEWEST (nid)   CODE ADDR srch ward
    public:           'E   E    E   E  E    E    E    E    E     E      E       E    E    E    E',
    citizen:          'A   A    A   A  A    A    A    A    A     A      A       A    A    A    A', // their scope is themselves
    officer:          'A   A    A   A  A    A    A    A    A     A      A       E    E    E    E', // no household records for officers
    officerNoPurpose: 'F   F    F   F  A    A    A    A    F     A      F       E    E    E    E', // name and ward only
    analyst:          'E   E    E   E  E    E    E    E    E     E      E       E    E    E    E',
    auditor:          'E   E    E   E  E    E    E    E    E     E      E       E    E    E    E',
    admin:            'A   A    A   A  A    A    A    A    A     A      A       A    A    A    A',
    adminNoPurpose:   'F   F    F   F  A    A    A    A    F     A      F       F    F    F    F', // name and ward only
  };

  it.each(ROLES)('%s', async (role) => {
    const cells = TABLE[role].trim().split(/\s+/);
    expect(cells).toHaveLength(USES.length);
    const document = `{\n${USES.map((use, i) => `  u${i}: ${use.field()}`).join('\n')}\n}`;
    const res = await gw.query(document, undefined, headers[role]);
    expect(res.status).toBe(200);
    for (const [i, use] of USES.entries()) {
      const alias = `u${i}`;
      const where = `${role} ${use.name}`;
      const value = res.data?.[alias];
      const errors = (res.errors ?? []).filter((e) => e.path?.[0] === alias);
      if (cells[i] === 'F') {
        expect(value, where).toBeNull();
        expect(errors.map((e) => [e.path, e.extensions?.code, e.message.replace(/^.*: /, '')]), where).toEqual([[[alias], 'FORBIDDEN', use.refusal]]);
        continue;
      }
      expect(errors, where).toEqual([]);
      if (cells[i] === 'E') expect(value, where).toEqual(use.kind === 'lookup' ? null : { totalCount: 0 });
      else if (use.kind === 'lookup') expect(value, where).toEqual({ id: gid('Citizen', f.C.id) });
      else expect((value as { totalCount: number }).totalCount, where).toBeGreaterThan(0);
    }
    expect(res.errors?.length ?? 0, 'no other error').toBe(cells.filter((c) => c === 'F').length);
  });
});

describe("DOSSIER_PROCESSING: X-Case-Reference must name a dossier handled by the caller's agency (an admin: any dossier)", () => {
  const READ = `query($id: ID!) { c: node(id: $id) { ... on Citizen { fullName ward { id } phone nationalId birthDate } } }`;
  const read = (caller: Record<string, string>) => gw.query(READ, { id: gid('Citizen', f.C.id) }, caller);
  const as = (bearer: 'officerNoPurpose' | 'adminNoPurpose', purpose: string, caseReference?: string): Record<string, string> => ({
    ...headers[bearer],
    'x-purpose': purpose,
    ...(caseReference === undefined ? {} : { 'x-case-reference': caseReference }),
  });
  const identity = () => ({ fullName: f.C.full_name, ward: { id: gid('AdministrativeUnit', f.C.ward_id) } });

  function expectCaseRefused(res: GraphQLResponse): void {
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ c: { ...identity(), phone: null, nationalId: null, birthDate: null } });
    expect((res.errors ?? []).map((e) => [String(e.path), e.extensions?.code]).sort()).toEqual([
      ['c,birthDate', 'FORBIDDEN'],
      ['c,nationalId', 'FORBIDDEN'],
      ['c,phone', 'FORBIDDEN'],
    ]);
    for (const error of res.errors!) expect(error.message).toMatch(/X-Case-Reference/);
  }
  function expectVisible(res: GraphQLResponse): void {
    expect(res.errors).toBeUndefined();
    expect(f.C.phone, 'C has a phone, so visible and denied differ').not.toBeNull();
    expect(res.data).toEqual({ c: { ...identity(), phone: expectedValue('C', 'phone'), nationalId: f.C.national_id, birthDate: expectedValue('C', 'birthDate') } });
  }

  it("officer of A with the code of another agency's dossier: personal fields denied, name and ward visible", async () => {
    expectCaseRefused(await read(as('officerNoPurpose', 'DOSSIER_PROCESSING', f.otherDossier.code)));
  });

  it('officer of A with a made-up dossier code: personal fields denied, name and ward visible', async () => {
    expectCaseRefused(await read(as('officerNoPurpose', 'DOSSIER_PROCESSING', f.missingDossierCode)));
  });

  it("officer of A with A's dossier code: visible", async () => {
    expectVisible(await read(as('officerNoPurpose', 'DOSSIER_PROCESSING', f.cDossier)));
  });

  /** The purpose stands but opens only someone else: the fields beyond name and ward are denied, naming the rule. */
  function expectOtherSubjectRefused(res: GraphQLResponse, because: RegExp): void {
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ c: { ...identity(), phone: null, nationalId: null, birthDate: null } });
    expect((res.errors ?? []).map((e) => [String(e.path), e.extensions?.code]).sort()).toEqual([
      ['c,birthDate', 'FORBIDDEN'],
      ['c,nationalId', 'FORBIDDEN'],
      ['c,phone', 'FORBIDDEN'],
    ]);
    for (const error of res.errors!) expect(error.message).toMatch(because);
  }

  /**
   * THE PURPOSE TABLE (by hand, from policy.ts): what each purpose opens for an officer of A and
   * for an admin, reading C's phone, national id and birth date. "case": only the applicant of
   * the dossier in X-Case-Reference (a business applicant: its legal representative).
   */
  const PURPOSE_TABLE: Array<[string, 'officerNoPurpose' | 'adminNoPurpose', string, () => string | undefined, 'visible' | 'phone only' | 'not the case' | 'nothing']> = [
    ['officer, DOSSIER_PROCESSING, C\'s dossier of A', 'officerNoPurpose', 'DOSSIER_PROCESSING', () => f.cDossier, 'visible'],
    ["officer, DOSSIER_PROCESSING, A's dossier of someone else", 'officerNoPurpose', 'DOSSIER_PROCESSING', () => f.otherDossierOfA, 'not the case'],
    ['officer, CITIZEN_REQUEST, no reference', 'officerNoPurpose', 'CITIZEN_REQUEST', () => undefined, 'phone only'],
    ['officer, LEGAL_OBLIGATION', 'officerNoPurpose', 'LEGAL_OBLIGATION', () => undefined, 'nothing'],
    ['officer, SECURITY_INVESTIGATION', 'officerNoPurpose', 'SECURITY_INVESTIGATION', () => undefined, 'nothing'],
    ["admin, DOSSIER_PROCESSING, C's dossier", 'adminNoPurpose', 'DOSSIER_PROCESSING', () => f.cDossier, 'visible'],
    ["admin, DOSSIER_PROCESSING, another agency's dossier of someone else", 'adminNoPurpose', 'DOSSIER_PROCESSING', () => f.otherDossier.code, 'not the case'],
    ['admin, CITIZEN_REQUEST', 'adminNoPurpose', 'CITIZEN_REQUEST', () => undefined, 'visible'],
    ['admin, LEGAL_OBLIGATION', 'adminNoPurpose', 'LEGAL_OBLIGATION', () => undefined, 'visible'],
    ['admin, SECURITY_INVESTIGATION', 'adminNoPurpose', 'SECURITY_INVESTIGATION', () => undefined, 'visible'],
  ];

  it.each(PURPOSE_TABLE)('%s', async (_name, bearer, purpose, reference, expected) => {
    const res = await read(as(bearer, purpose, reference()));
    if (expected === 'visible') return expectVisible(res);
    if (expected === 'not the case') return expectOtherSubjectRefused(res, /opens only the applicant of the dossier in X-Case-Reference/);
    if (expected === 'nothing') return expectOtherSubjectRefused(res, new RegExp(`X-Purpose ${purpose} opens no personal data`));
    // CITIZEN_REQUEST: the officer may call the applicant back, and learns nothing else.
    expect(res.data).toEqual({ c: { ...identity(), phone: expectedValue('C', 'phone'), nationalId: null, birthDate: null } });
    expect((res.errors ?? []).map((e) => [String(e.path), e.extensions?.code, /opens only phone and email/.test(e.message)]).sort()).toEqual([
      ['c,birthDate', 'FORBIDDEN', true],
      ['c,nationalId', 'FORBIDDEN', true],
    ]);
  });

  it("DOSSIER_PROCESSING with A's dossier filed by a business opens that business's legal representative, and no other representative", async () => {
    const [business] = (await sql<{ legal_representative_id: number }>`select legal_representative_id from business.businesses where id = ${f.businessDossierOfA.applicant_id}`.execute(
      gw.databases.connections.sources.business.root,
    )).rows;
    const [rep] = (await sql<{ national_id: string }>`select national_id from population.citizens where id = ${business!.legal_representative_id}`.execute(
      gw.databases.connections.sources.population.root,
    )).rows;
    const caller = as('officerNoPurpose', 'DOSSIER_PROCESSING', f.businessDossierOfA.code);
    const res = await gw.query<{ d: { applicant: { legalRepresentative: { id: string; nationalId: string | null } } } }>(
      `query($code: String!) { d: dossier(code: $code) { applicant { ... on Business { legalRepresentative { id nationalId } } } } }`,
      { code: f.businessDossierOfA.code },
      caller,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.d.applicant.legalRepresentative).toEqual({ id: gid('Citizen', business!.legal_representative_id), nationalId: rep!.national_id });
    // Another business's representative: still denied under this case.
    const [otherBusiness] = (await sql<{ code: string }>`select code from business.businesses where legal_representative_id <> ${business!.legal_representative_id} order by id limit 1`.execute(
      gw.databases.connections.sources.business.root,
    )).rows;
    const other = await gw.query(`query($code: String!) { business(code: $code) { legalRepresentative { nationalId } } }`, { code: otherBusiness!.code }, caller);
    expect(other.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it("admin with DOSSIER_PROCESSING of C's dossier: a household address search finds no household (a case opens its person, not household records)", async () => {
    const ask = (caller: Record<string, string>) =>
      gw.query<{ households: { totalCount: number } }>(`query($s: String!) { households(filter: { search: $s }, orderBy: ADDRESS) { totalCount } }`, { s: f.H.address }, caller);
    expect((await ask(as('adminNoPurpose', 'DOSSIER_PROCESSING', f.cDossier))).data).toEqual({ households: { totalCount: 0 } });
    expect((await ask(headers.admin)).data!.households.totalCount).toBeGreaterThan(0);
  });

  it("L4 reproduction: with A's dossier of another applicant as the case, the officer reads nothing of C beyond name and ward, and a birth-date search finds no one", async () => {
    const caller = as('officerNoPurpose', 'DOSSIER_PROCESSING', f.otherDossierOfA);
    expectOtherSubjectRefused(await read(caller), /opens only the applicant/);
    const bornText = f.C.birth_date instanceof Date ? f.C.birth_date.toISOString().slice(0, 10) : f.C.birth_date;
    const res = await gw.query(`query($nid: String!, $d: LocalDate!) { citizens(filter: { nationalId: $nid, bornFrom: $d, bornTo: $d }) { totalCount } }`, { nid: f.C.national_id, d: bornText }, caller);
    expect(visible(res)).toEqual({ status: 200, data: { citizens: { totalCount: 0 } }, errors: undefined });
    const lookup = await gw.query(`query($nid: String!) { citizen(nationalId: $nid) { id } }`, { nid: f.C.national_id }, caller);
    expect(visible(lookup)).toEqual({ status: 200, data: { citizen: null }, errors: undefined });
  });

  it('admin with a made-up dossier code: personal fields denied, name and ward visible', async () => {
    expectCaseRefused(await read(as('adminNoPurpose', 'DOSSIER_PROCESSING', f.missingDossierCode)));
  });

  // Filters, orderings and lookups follow the same case rule as the fields they would reveal.
  const HOLE = 'a case reference that does not stand unlocks no filter, ordering or lookup';

  it.each([
    ["another agency's dossier", () => f.otherDossier.code],
    ['a made-up dossier code', () => f.missingDossierCode],
  ])(`officer of A with %s as X-Case-Reference: the answer to a birth-date filter on C does not depend on C's denied birth date (${HOLE})`, async (_name, code) => {
    const caller = as('officerNoPurpose', 'DOSSIER_PROCESSING', code());
    const ask = (d: string) =>
      gw.query(`query($nid: String!, $d: LocalDate!) { citizens(filter: { nationalId: $nid, bornFrom: $d, bornTo: $d }) { totalCount } }`, { nid: f.C.national_id, d }, caller);
    const bornText = f.C.birth_date instanceof Date ? f.C.birth_date.toISOString().slice(0, 10) : f.C.birth_date;
    expect(visible(await ask(bornText))).toEqual(visible(await ask(bornText.startsWith('1900') ? '1901-01-01' : '1900-01-01')));
  });

  it(`officer of A with another agency's dossier as X-Case-Reference: ordering citizens by BIRTH_DATE is refused, as without a purpose (${HOLE}: the order reveals the denied birth dates)`, async () => {
    const res = await gw.query(`{ citizens(first: 10, orderBy: BIRTH_DATE) { edges { node { id } } } }`, undefined, as('officerNoPurpose', 'DOSSIER_PROCESSING', f.otherDossier.code));
    expect(res.data).toEqual({ citizens: null });
  });

  it(`admin with a made-up X-Case-Reference: citizen(nationalId) of D answers like a missing national id (${HOLE}: D's name is found by national id, refused without a purpose)`, async () => {
    const caller = as('adminNoPurpose', 'DOSSIER_PROCESSING', f.missingDossierCode);
    const ask = (nid: string) => gw.query(`query($nid: String!) { c: citizen(nationalId: $nid) { id fullName } }`, { nid }, caller);
    expect(visible(await ask(f.D.national_id))).toEqual(visible(await ask(f.missingNationalId)));
  });

  it(`admin with a made-up X-Case-Reference: a household address search does not depend on H's denied address (${HOLE})`, async () => {
    const caller = as('adminNoPurpose', 'DOSSIER_PROCESSING', f.missingDossierCode);
    const ask = (search: string) => gw.query(`query($s: String!) { households(filter: { search: $s }, orderBy: ADDRESS) { totalCount } }`, { s: search }, caller);
    expect(visible(await ask(f.H.address))).toEqual(visible(await ask('Không có địa chỉ này 999999')));
  });
});

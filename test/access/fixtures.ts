/**
 * The fixture people of the authorization matrix, picked by SQL from the tiny seed: the subjects
 * the grids speak of (C, D, H, R: see expectations.ts), the dossiers a case reference can name, the
 * counts the row scopes are checked against, and the callers (their headers, through `as`).
 *
 * Each source may be its own database: no joins across sources, the fixtures join in TypeScript.
 *
 * A module whose records the grids also speak of adds its part in `test/modules/<source>/fixtures.ts`
 * (a `fixtures` export, a FixtureHook, read here over MODULES): what it asks of C, its own rows and
 * counts, and its subjects. Its fields join the Fixtures type by declaration merging (`declare module`
 * on this file, augmenting ModuleFixtures), so that its tests read them typed.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Purpose } from '../../src/access/roles.js';
import type { AuthConfig } from '../../src/config.js';
import { MODULES } from '../../src/modules/index.js';
import { toGlobalId as gid } from '../../src/platform/relay/global-id.js';
import { as, type CallerHeaders } from '../support/as.js';
import type { TestGateway } from '../support/gateway.js';
import { SUBJECTS, type CallerName, type CaseName, type SubjectName, type TypeName } from './expectations.js';

/** The officer's agency ("agency A"); the tiny seed gives it about 50 dossiers, most by citizens. */
export const AGENCY_A = 'UBND-HC';

export interface CitizenRow {
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

/** The fixtures of the access package's own subjects (C, D, H) and of what finds them. */
export interface CoreFixtures {
  agencyId: number;
  C: CitizenRow;
  D: CitizenRow;
  H: { id: number; code: string; address: string; ward_id: number; member_count: number; head_citizen_id: number | null };
  /** The district of C's ward. */
  districtId: number;
  /** A's dossier filed by C. */
  cDossier: string;
  /** Another agency's dossier, not filed by C. */
  otherDossier: { id: number; code: string; agency_id: number };
  /** A's dossier filed by a citizen other than C. */
  otherDossierOfA: string;
  /** A's dossier filed by a business, and that business's id. */
  businessDossierOfA: { code: string; applicant_id: number };
  /** A business whose legal representative is D. */
  business: { id: number; code: string };
  missingNationalId: string;
  missingDossierCode: string;
  counts: { all: number; agencyA: number; ofC: number };
}

/**
 * What the modules add to the fixtures: empty here, augmented by each `test/modules/<source>/fixtures.ts`
 * (`declare module '../../access/fixtures.js' { interface ModuleFixtures { ... } }`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the modules' declaration merging
export interface ModuleFixtures {}

export type Fixtures = CoreFixtures & ModuleFixtures;

/** The sources' connections, as the fixtures query them (each its own database). */
export type FixtureSources = TestGateway['databases']['connections']['sources'];

/** A module's part of the fixtures: `fixtures` exported by `test/modules/<source>/fixtures.ts`. */
export interface FixtureHook<Part extends Partial<ModuleFixtures> = Partial<ModuleFixtures>> {
  /** What the module asks of C, said as in "a citizen who ... and <that>" (the message if no citizen fits). */
  forC?: { says: string; candidates(s: FixtureSources, core: { agencyId: number }): Promise<ReadonlySet<number>> };
  /** The module's rows and counts, once the core subjects are chosen (checking them against those). */
  pick(s: FixtureSources, core: CoreFixtures): Promise<Part>;
  /** The subjects of the grids the module's records are (expectations.ts's SUBJECTS). */
  subjects?(f: Fixtures): Partial<Record<SubjectName, Subject>>;
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Every module's fixture hook, in MODULES order (a module without a fixtures file adds nothing). */
async function fixtureHooks(): Promise<FixtureHook[]> {
  const hooks: FixtureHook[] = [];
  for (const m of MODULES) {
    const file = path.join(ROOT, 'test', 'modules', m.name, 'fixtures.ts');
    if (!existsSync(file)) continue;
    const { fixtures } = (await import(pathToFileURL(file).href)) as { fixtures?: FixtureHook };
    if (!fixtures) throw new Error(`${path.relative(ROOT, file)} exports no \`fixtures\` (a FixtureHook: test/access/fixtures.ts)`);
    hooks.push(fixtures);
  }
  return hooks;
}

let loadedHooks: Promise<FixtureHook[]> | undefined;
const hooks = () => (loadedHooks ??= fixtureHooks());

/** "a, b and c". */
const inProse = (parts: readonly string[]) => (parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`);

/** A date column as the API serves it (LocalDate). */
export const dateText = (value: string | Date): string => (value instanceof Date ? value.toISOString().slice(0, 10) : value);

export async function pickFixtures(gw: TestGateway): Promise<Fixtures> {
  const s = gw.databases.connections.sources;
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
  // What the modules ask of C (their hooks' `forC`), each a set of citizen ids.
  const modules = await hooks();
  const asked = await Promise.all(modules.flatMap((h) => (h.forC ? [h.forC.candidates(s, { agencyId })] : [])));
  // C lives with others, so that their household has members C may not read.
  const C = citizens.find((c) => applicantsOfA.has(c.id) && shared.has(c.household_id) && asked.every((ids) => ids.has(c.id)))!;
  const D = citizens.find((c) => representatives.has(c.id) && !applicantsOfA.has(c.id) && c.household_id !== C.household_id)!;
  expect(C, `a citizen who ${inProse(['applied to agency A', 'lives with others', ...modules.flatMap((h) => (h.forC ? [h.forC.says] : []))])}`).toBeDefined();
  expect(D, 'a legal representative who never applied to agency A').toBeDefined();
  const [H] = (await sql<Fixtures['H']>`select id, code, address, ward_id, member_count, head_citizen_id from population.households where id = ${C.household_id}`.execute(s.population.root)).rows;
  const [ward] = (await sql<{ parent_id: number }>`select parent_id from reference.administrative_units where id = ${C.ward_id}`.execute(s.reference.root)).rows;
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
  const core: CoreFixtures = {
    agencyId,
    C,
    D,
    H: H!,
    districtId: ward!.parent_id,
    cDossier: cDossier!.code,
    otherDossier: otherDossier!,
    otherDossierOfA: otherOfA!.code,
    businessDossierOfA: businessOfA!,
    business: businesses.find((b) => b.legal_representative_id === D.id)!,
    missingNationalId,
    missingDossierCode: `${cDossier!.code.slice(0, -3)}XYZ`,
    counts: { all: counts.all, agencyA: counts.agency_a, ofC: counts.of_c },
  };
  const parts = await Promise.all(modules.map((h) => h.pick(s, core)));
  // Each part is what its hook declares in ModuleFixtures; together they are the whole of it.
  return Object.assign({}, core, ...parts) as Fixtures;
}

// ---------------------------------------------------------------------------------------------
// The subjects: their ids, and what each personal field shows when visible
// ---------------------------------------------------------------------------------------------

export interface Subject {
  typeName: TypeName;
  /**
   * The subject's global id, selected and compared on every path; none for a type without one (a
   * copy printed on a document, such as PrintedCitizenHolder): the path alone finds it.
   */
  id?: string;
  /** The value each personal field must show when visible (masked values are derived from it). */
  values: Readonly<Record<string, unknown>>;
}

function citizenValues(c: CitizenRow): Record<string, unknown> {
  return {
    fullName: c.full_name,
    gender: c.gender,
    nationalId: c.national_id,
    birthDate: dateText(c.birth_date),
    // Stored nationally (09x...), served in E.164 (+849x...).
    phone: c.phone === null ? null : `+84${c.phone.replace(/^0/, '')}`,
    email: c.email,
    address: c.address,
    ward: { id: gid('AdministrativeUnit', c.ward_id) },
    household: { id: gid('Household', c.household_id) },
  };
}

/** Every subject of the grids: the access package's own (C, D, H), then the modules' (their hooks' `subjects`). */
export async function subjectsOf(f: Fixtures): Promise<Record<SubjectName, Subject>> {
  const subjects: Partial<Record<SubjectName, Subject>> = Object.assign(coreSubjects(f), ...(await hooks()).map((h) => h.subjects?.(f) ?? {}));
  const missing = SUBJECTS.filter((name) => !subjects[name]);
  if (missing.length) throw new Error(`No fixture gives the subjects ${missing.join(', ')}: add them to a module's test/modules/<source>/fixtures.ts (\`subjects\`)`);
  return subjects as Record<SubjectName, Subject>;
}

function coreSubjects(f: Fixtures): Partial<Record<SubjectName, Subject>> {
  return {
    C: { typeName: 'Citizen', id: gid('Citizen', f.C.id), values: citizenValues(f.C) },
    D: { typeName: 'Citizen', id: gid('Citizen', f.D.id), values: citizenValues(f.D) },
    H: {
      typeName: 'Household',
      id: gid('Household', f.H.id),
      values: {
        code: f.H.code,
        address: f.H.address,
        memberCount: f.H.member_count,
        head: f.H.head_citizen_id === null ? null : { id: gid('Citizen', f.H.head_citizen_id) },
        members: { totalCount: f.H.member_count },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Case references and callers
// ---------------------------------------------------------------------------------------------

/** The code each case name of expectations.ts stands for. */
export function caseCode(f: Fixtures, name: CaseName): string {
  switch (name) {
    case "C's dossier of A":
      return f.cDossier;
    case "A's dossier of someone else":
      return f.otherDossierOfA;
    case "another agency's dossier":
      return f.otherDossier.code;
    case 'a made-up dossier code':
      return f.missingDossierCode;
    case "A's dossier filed by a business":
      return f.businessDossierOfA.code;
  }
}

/** The headers of every caller of the grids. */
export async function callerHeaders(auth: AuthConfig, f: Fixtures): Promise<Record<CallerName, CallerHeaders>> {
  return {
    public: await as('public'),
    citizen: await as('citizen', { auth, citizenId: f.C.national_id }),
    officer: await as('officer', { auth, agency: AGENCY_A, purpose: 'DOSSIER_PROCESSING', caseReference: f.cDossier }),
    officerNoPurpose: await as('officer', { auth, agency: AGENCY_A }),
    // A purpose unlocks nothing for analysts and auditors.
    analyst: await as('analyst', { auth, purpose: 'LEGAL_OBLIGATION' }),
    auditor: await as('auditor', { auth, purpose: 'SECURITY_INVESTIGATION' }),
    admin: await as('admin', { auth, purpose: 'LEGAL_OBLIGATION' }),
    adminNoPurpose: await as('admin', { auth }),
  };
}

/** The officer of A, or an admin, declaring a purpose and (optionally) a case reference. */
export function declaring(auth: AuthConfig, role: 'officer' | 'admin', purpose: Purpose, caseReference?: string): Promise<CallerHeaders> {
  return as(role, { auth, ...(role === 'officer' ? { agency: AGENCY_A } : {}), purpose, caseReference });
}

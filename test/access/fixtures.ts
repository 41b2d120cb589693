/**
 * The fixture people of the authorization matrix, picked by SQL from the tiny seed: the subjects
 * the grids speak of (C, D, H, R: see expectations.ts), the dossiers a case reference can name, the
 * counts the row scopes are checked against, and the callers (their headers, through `as`).
 *
 * Each source may be its own database: no joins across sources, the fixtures join in TypeScript.
 */
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Purpose } from '../../src/access/roles.js';
import type { AuthConfig } from '../../src/config.js';
import { toGlobalId as gid } from '../../src/platform/relay/global-id.js';
import { as, type CallerHeaders } from '../support/as.js';
import type { TestGateway } from '../support/gateway.js';
import type { CallerName, CaseName, SubjectName, TypeName } from './expectations.js';

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

/** A procedure result, as the results source holds it (holder data as printed on the document). */
export interface ResultRow {
  id: number;
  number: string;
  issuing_agency_id: number;
  holder_id: number;
  dossier_id: number;
  issued_at: Date;
  document_sha256: string;
  holder_name: string;
  holder_national_id: string;
  holder_birth_date: string | Date;
}

export interface Fixtures {
  agencyId: number;
  C: CitizenRow;
  D: CitizenRow;
  H: { id: number; code: string; address: string; ward_id: number; member_count: number; head_citizen_id: number | null };
  /** C's result issued by A (valid today, so that its verification answers VALID), and its dossier's code. */
  R: ResultRow & { dossierCode: string };
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
  /** Procedure results: all, those A issued, those C holds. */
  resultCounts: { all: number; agencyA: number; ofC: number };
}

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
  // The citizens holding a result A issued (when one of their dossiers completed) that is valid today.
  const holdersOfValidResultsOfA = new Set(
    (
      await sql<{ holder_id: number }>`select distinct holder_id from results.procedure_results
        where issuing_agency_id = ${agencyId} and holder_kind = 'CITIZEN' and status = 'VALID' and (valid_until is null or valid_until > now())`.execute(s.results.root)
    ).rows.map((r) => r.holder_id),
  );
  // C lives with others, so that their household has members C may not read; C holds a result of A (R).
  const C = citizens.find((c) => applicantsOfA.has(c.id) && shared.has(c.household_id) && holdersOfValidResultsOfA.has(c.id))!;
  const D = citizens.find((c) => representatives.has(c.id) && !applicantsOfA.has(c.id) && c.household_id !== C.household_id)!;
  expect(C, 'a citizen who applied to agency A, lives with others and holds a valid result of A').toBeDefined();
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
  // R: C's result issued by A, valid today (without an end of validity where there is one).
  const [R] = (await sql<ResultRow>`select id, number, issuing_agency_id, holder_id, dossier_id, issued_at, document_sha256, holder_name, holder_national_id, holder_birth_date
    from results.procedure_results
    where issuing_agency_id = ${agencyId} and holder_kind = 'CITIZEN' and holder_id = ${C.id} and status = 'VALID' and (valid_until is null or valid_until > now())
    order by (valid_until is not null), id limit 1`.execute(s.results.root)).rows;
  expect(R, 'a valid result A issued to C').toBeDefined();
  const [rDossier] = (await sql<{ code: string; agency_id: number; applicant_kind: string; applicant_id: number }>`select code, agency_id, applicant_kind, applicant_id
    from services.dossiers where id = ${R!.dossier_id}`.execute(s.services.root)).rows;
  // R answers one of C's dossiers at A, and prints C's data.
  expect(rDossier).toMatchObject({ agency_id: agencyId, applicant_kind: 'CITIZEN', applicant_id: C.id });
  expect(R!.holder_national_id).toBe(C.national_id);
  const resultCounts = (await sql<{ all: number; agency_a: number; of_c: number }>`select count(*)::int as "all",
      count(*) filter (where issuing_agency_id = ${agencyId})::int as agency_a,
      count(*) filter (where holder_kind = 'CITIZEN' and holder_id = ${C.id})::int as of_c
    from results.procedure_results`.execute(s.results.root)).rows[0]!;
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
    R: { ...R!, dossierCode: rDossier!.code },
    districtId: ward!.parent_id,
    cDossier: cDossier!.code,
    otherDossier: otherDossier!,
    otherDossierOfA: otherOfA!.code,
    businessDossierOfA: businessOfA!,
    business: businesses.find((b) => b.legal_representative_id === D.id)!,
    missingNationalId,
    missingDossierCode: `${cDossier!.code.slice(0, -3)}XYZ`,
    counts: { all: counts.all, agencyA: counts.agency_a, ofC: counts.of_c },
    resultCounts: { all: resultCounts.all, agencyA: resultCounts.agency_a, ofC: resultCounts.of_c },
  };
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

export function subjectsOf(f: Fixtures): Record<SubjectName, Subject> {
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
    R: {
      typeName: 'PrintedCitizenHolder',
      // No id: R is found through its result (paths.ts locates it by the result's id).
      values: { fullName: f.R.holder_name, nationalId: f.R.holder_national_id, birthDate: dateText(f.R.holder_birth_date) },
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

/**
 * THE EXPECTATIONS of the authorization matrix, as data: caller × field → outcome, caller × path
 * → reach, caller × filter, ordering or lookup → outcome, purpose → what it opens.
 *
 * Written out by hand from DESIGN.md (Authorization) and the table at the top of
 * src/access/policy.ts, and never computed from the policy module: this file imports no rule from
 * src/ (only a vocabulary type), or the matrix could not fail. Where the gateway and a line here
 * disagree, the matrix fails.
 *
 * Subjects (the records the grids speak of; fixtures.ts picks them by SQL):
 * - C, a citizen who applied for a dossier of agency A (the calling citizen is C);
 * - D, a citizen who never applied to A and is the legal representative of a business;
 * - H, C's household;
 * - R, the holder printed on C's procedure result (a PrintedCitizenHolder: C's name, national id
 *   and birth date as printed on the document), issued by agency A when one of C's dossiers
 *   completed. Printed data of C: the same person, so the same cells as C's own fields.
 * Cells: V visible, M masked, D denied (null + FORBIDDEN at the field's path).
 *
 * ADDING A SOURCE (for example `results`, whose ProcedureResult shows its holder's personal data
 * as printed on the document):
 * 1. Mark its personal fields in the module (src/): "the list of personal fields" then fails,
 *    naming every marked field with no column here (e.g. PrintedCitizenHolder.fullName).
 * 2. Here, a subject for each record the grids speak of (say R, the holder printed on C's result:
 *    add 'R' to SUBJECTS and `R: 'PrintedCitizenHolder'` to SUBJECT_TYPES) and a FieldGrid for
 *    the type: its personal fields as columns, one line per caller for each of its subjects (by
 *    hand, from DESIGN.md), listed in FIELD_GRIDS.
 * 3. Here, who reaches each subject (a FINDS_R list), a PATH_GRID row for each path to it
 *    (reach, linkDenied, refused), and a USE_GRID row for each filter, ordering or lookup on a
 *    personal field of it.
 * 4. The module's `matrixPaths` (test/modules/<source>/samples.ts, collected by paths.ts): the
 *    paths (root fields, relations such as Dossier.result or Citizen.results, node(id)) under the
 *    names of the rows; paths.ts: USES, and OBJECT_FIELDS for object-valued fields.
 * 5. test/modules/<source>/fixtures.ts (a FixtureHook, read by fixtures.ts over MODULES), for a
 *    new subject: pick it by SQL (and what it asks of C), and give its id (none for a type without
 *    one, such as a printed holder) and the value each personal field must show when visible
 *    (`subjects`); the matrix stops at start, naming a subject of SUBJECTS no fixture gives.
 * Nothing in runner.ts, matrix.test.ts or scenarios.test.ts changes: they iterate these grids,
 * and fail on a path with no row, a row with no path, or a field with no column.
 */
import type { Purpose } from '../../src/access/roles.js';

// ---------------------------------------------------------------------------------------------
// Callers and subjects
// ---------------------------------------------------------------------------------------------

/** The callers of every grid: the six roles, the officer and the admin also without a purpose (fixtures.ts builds their headers). */
export const CALLERS = ['public', 'citizen', 'officer', 'officerNoPurpose', 'analyst', 'auditor', 'admin', 'adminNoPurpose'] as const;
export type CallerName = (typeof CALLERS)[number];

export const SUBJECTS = ['C', 'D', 'H', 'R'] as const;
export type SubjectName = (typeof SUBJECTS)[number];

/** The GraphQL type of each subject: the grid of that type holds its lines. */
export const SUBJECT_TYPES = { C: 'Citizen', D: 'Citizen', H: 'Household', R: 'PrintedCitizenHolder' } as const satisfies Record<SubjectName, string>;
export type TypeName = (typeof SUBJECT_TYPES)[SubjectName];

// ---------------------------------------------------------------------------------------------
// Personal fields: caller × field → outcome, per subject
// ---------------------------------------------------------------------------------------------

export type Outcome = 'visible' | 'masked' | 'denied';
export const OUTCOME: Readonly<Record<string, Outcome>> = { V: 'visible', M: 'masked', D: 'denied' };

export interface FieldGrid {
  typeName: TypeName;
  /** Every personal field of the type, in the order of the cells. */
  columns: readonly string[];
  /** For each caller, one line of cells per subject of the type. */
  rows: Record<CallerName, Partial<Record<SubjectName, string>>>;
}

/**
 * L5, one answer per fact: D legally represents a business, and a representative's full name is
 * public register data (printed in the register, and in most household businesses' names, which
 * are public and searchable): D's fullName is V for every role, on every path. D's other fields
 * follow the rules of the grid below.
 */
const CITIZEN = {
  typeName: 'Citizen',
  columns: ['fullName', 'gender', 'nationalId', 'birthDate', 'phone', 'email', 'address', 'ward', 'household'],
  rows: {
    //                  fullName gender nationalId birthDate phone email address ward household
    public:           { C: 'D D D D D D D D D', D: 'V D D D D D D D D' },
    citizen:          { C: 'V V V V V V V V V', D: 'V D D D D D D D D' }, // self only
    officer:          { C: 'V V V V V V V V V', D: 'V D D D D D D D D' }, // applicants of A, with a purpose (DOSSIER_PROCESSING of C's dossier)
    officerNoPurpose: { C: 'V D D D D D D V D', D: 'V D D D D D D D D' }, // name and ward without a purpose
    analyst:          { C: 'D D M D D D D D D', D: 'V D M D D D D D D' }, // national id masked, nothing else
    auditor:          { C: 'D D D D D D D D D', D: 'V D D D D D D D D' },
    admin:            { C: 'V V V V V V V V V', D: 'V V V V V V V V V' }, // with a purpose
    adminNoPurpose:   { C: 'V D D D D D D V D', D: 'V D D D D D D V D' }, // name and ward only
  },
} as const satisfies FieldGrid;

/**
 * L10: a household's structure (memberCount, head, members) is household data, under the same rule
 * as its code: members and admins with a purpose. An officer who follows Citizen.household gets the
 * household's id and nothing else of it.
 */
const HOUSEHOLD = {
  typeName: 'Household',
  columns: ['code', 'address', 'memberCount', 'head', 'members'],
  rows: {
    //                   code address memberCount head members
    public:           { H: 'D D D D D' },
    citizen:          { H: 'V V V V V' }, // their own household
    officer:          { H: 'D D D D D' }, // officers are not given household records, nor who lives with whom
    officerNoPurpose: { H: 'D D D D D' },
    analyst:          { H: 'D D D D D' },
    auditor:          { H: 'D D D D D' },
    admin:            { H: 'V V V V V' },
    adminNoPurpose:   { H: 'D D D D D' },
  },
} as const satisfies FieldGrid;

/**
 * R: C's name, national id and birth date as printed on C's result. Whose data it is does not
 * change with where it is printed: each cell is C's cell for the same kind in CITIZEN (fullName,
 * nationalId, birthDate), for every caller. Who reaches R at all is the results' row scope
 * (FINDS_R); the lines of the callers who find no result are what they would get if they did.
 */
const PRINTED_CITIZEN_HOLDER = {
  typeName: 'PrintedCitizenHolder',
  columns: ['fullName', 'nationalId', 'birthDate'],
  rows: {
    //                  fullName nationalId birthDate
    public:           { R: 'D D D' },
    citizen:          { R: 'V V V' }, // their own result
    officer:          { R: 'V V V' }, // C applied to A, with a purpose (DOSSIER_PROCESSING of C's dossier)
    officerNoPurpose: { R: 'V D D' }, // the name without a purpose
    analyst:          { R: 'D M D' }, // national id masked, nothing else
    auditor:          { R: 'D D D' },
    admin:            { R: 'V V V' }, // with a purpose
    adminNoPurpose:   { R: 'V D D' }, // the name only
  },
} as const satisfies FieldGrid;

/** One grid per type with personal fields; "the list of personal fields" checks it against the schema. */
export const FIELD_GRIDS: readonly FieldGrid[] = [CITIZEN, HOUSEHOLD, PRINTED_CITIZEN_HOLDER];

// ---------------------------------------------------------------------------------------------
// Paths: caller × path → reach (paths.ts has the paths, under the same names)
// ---------------------------------------------------------------------------------------------

/** Who can find each subject at all (row scopes), by hand from the design's table. */
const FINDS_C: readonly CallerName[] = ['citizen', 'officer', 'officerNoPurpose', 'admin', 'adminNoPurpose']; // self, applicants of A, all
const FINDS_D: readonly CallerName[] = ['admin', 'adminNoPurpose']; // D is nobody's self and no applicant of A
const FINDS_H: readonly CallerName[] = ['citizen', 'admin', 'adminNoPurpose']; // members and admins
/**
 * Results in full: the holder (C), officers of the issuing agency (A), admins; analysts get
 * aggregates only. Every path to R goes through a result (and `Dossier.result` through its dossier
 * too, which the same callers find), so these callers also reach C through `ProcedureResult.holder`.
 */
const FINDS_R: readonly CallerName[] = ['citizen', 'officer', 'officerNoPurpose', 'admin', 'adminNoPurpose'];
const EVERYONE: readonly CallerName[] = CALLERS; // a business's public profile leads everyone to its representative
const ONLY_THE_CITIZEN: readonly CallerName[] = ['citizen']; // `me`
/** Citizen.household of C is visible (see CITIZEN, last column) and C can be found. */
const FOLLOWS_C_HOUSEHOLD: readonly CallerName[] = ['citizen', 'officer', 'admin'];
/** C is found but Citizen.household is denied: null with FORBIDDEN on the link. */
const DENIED_C_HOUSEHOLD: readonly CallerName[] = ['officerNoPurpose', 'adminNoPurpose'];

/**
 * Looking a citizen up by national id (`citizen(nationalId)`, `citizens(filter: { nationalId })`)
 * reveals the national id: refused (null + FORBIDDEN at the root field) to callers who find
 * citizens but may not read national ids. Public, analyst and auditor find no one: null or an
 * empty list, without error.
 */
const NATIONAL_ID_LOOKUP_REFUSED: readonly CallerName[] = ['officerNoPurpose', 'adminNoPurpose'];
const FINDS_C_BY_NATIONAL_ID: readonly CallerName[] = ['citizen', 'officer', 'admin'];
const FINDS_D_BY_NATIONAL_ID: readonly CallerName[] = ['admin'];
/**
 * `households` is ordered by CODE by default, which reveals Household.code: refused to the admin
 * without a purpose (officers find no household: an empty list, without error).
 */
const HOUSEHOLD_LIST_REFUSED: readonly CallerName[] = ['adminNoPurpose'];
const FINDS_H_IN_LIST: readonly CallerName[] = ['citizen', 'admin'];

/** The end of a refusal's message: which filters, orderings or lookups were refused. */
const REFUSED = {
  lookUp: 'look up by national id',
  nationalIdFilter: 'filter by national id',
  codeOrder: 'order by CODE',
} as const;

export interface PathExpectation {
  /** The callers that reach the subject this way; for the others it is absent (null, or not listed). */
  reach: readonly CallerName[];
  /** Callers for which a personal link on the way is denied (null + FORBIDDEN there). */
  linkDenied?: readonly CallerName[];
  /**
   * Callers for which the root field itself is refused (null + FORBIDDEN at the root): its lookup,
   * filter or ordering would reveal a personal field they may not read; `because` ends the message.
   */
  refused?: { callers: readonly CallerName[]; because: string };
}

const LOOKUP_REFUSED = { callers: NATIONAL_ID_LOOKUP_REFUSED, because: REFUSED.lookUp };

export const PATH_GRID: Readonly<Record<string, PathExpectation>> = {
  // C, the applicant of A's dossiers (and the calling citizen).
  'citizen(nationalId) of C, plain': { reach: FINDS_C_BY_NATIONAL_ID, refused: LOOKUP_REFUSED },
  'citizen(nationalId) of C, aliased': { reach: FINDS_C_BY_NATIONAL_ID, refused: LOOKUP_REFUSED },
  'citizen(nationalId) of C, named fragment': { reach: FINDS_C_BY_NATIONAL_ID, refused: LOOKUP_REFUSED },
  'citizen(nationalId) of C, inline fragment': { reach: FINDS_C_BY_NATIONAL_ID, refused: LOOKUP_REFUSED },
  me: { reach: ONLY_THE_CITIZEN },
  'citizens(filter: nationalId) list': { reach: FINDS_C_BY_NATIONAL_ID, refused: { callers: NATIONAL_ID_LOOKUP_REFUSED, because: REFUSED.nationalIdFilter } },
  'dossiers list → applicant (Applicant union)': { reach: FINDS_C },
  'dossiers list → applicant (union, named fragment)': { reach: FINDS_C },
  'dossier(code) → applicant': { reach: FINDS_C },
  'agency(code) → dossiers → applicant': { reach: FINDS_C },
  'citizen(nationalId) → dossiers → applicant': { reach: FINDS_C_BY_NATIONAL_ID, refused: LOOKUP_REFUSED },
  'node(id) of C (Node interface)': { reach: FINDS_C },
  'node(id) of C, named fragment': { reach: FINDS_C },
  'nodes(ids) of [missing, C]': { reach: FINDS_C },
  'households → members (C)': { reach: FINDS_H_IN_LIST, refused: { callers: HOUSEHOLD_LIST_REFUSED, because: REFUSED.codeOrder } },
  // C as the holder of R's result (ProcedureResultHolder union): the result's row scope decides.
  'procedureResult(number) → holder (ProcedureResultHolder union)': { reach: FINDS_R },
  'procedureResults list → holder (union, named fragment)': { reach: FINDS_R },
  'me → results → holder': { reach: ONLY_THE_CITIZEN },

  // D, the legal representative of a business, who never applied to A.
  'business(code) → legalRepresentative': { reach: EVERYONE },
  'business(code) → legalRepresentative, aliased': { reach: EVERYONE },
  'businesses list → legalRepresentative': { reach: EVERYONE },
  'node(id) of a Business → legalRepresentative': { reach: EVERYONE },
  'citizen(nationalId) of D': { reach: FINDS_D_BY_NATIONAL_ID, refused: LOOKUP_REFUSED },
  'node(id) of D': { reach: FINDS_D },
  'nodes(ids) of [D, missing]': { reach: FINDS_D },

  // H, C's household.
  // The callers whose Citizen.household is denied may not look C up by national id at all.
  'citizen(nationalId) → household': { reach: FOLLOWS_C_HOUSEHOLD, refused: LOOKUP_REFUSED },
  'dossier(code) → applicant → household': { reach: FOLLOWS_C_HOUSEHOLD, linkDenied: DENIED_C_HOUSEHOLD },
  'me → household': { reach: ONLY_THE_CITIZEN },
  'households list': { reach: FINDS_H_IN_LIST, refused: { callers: HOUSEHOLD_LIST_REFUSED, because: REFUSED.codeOrder } },
  'node(id) of H': { reach: FINDS_H },
  'nodes(ids) of [H]': { reach: FINDS_H },

  // R, the holder printed on C's result (ProcedureResultPrintedHolder union; no id of its own).
  'procedureResults list → printedHolder (union, inline fragment)': { reach: FINDS_R },
  'procedureResults list → printedHolder (union, named fragment)': { reach: FINDS_R },
  'procedureResult(number) → printedHolder': { reach: FINDS_R },
  'node(id) of a ProcedureResult → printedHolder': { reach: FINDS_R },
  'nodes(ids) of [missing, ProcedureResult] → printedHolder': { reach: FINDS_R },
  'dossier(code) → result → printedHolder': { reach: FINDS_R }, // the dossier's scope and the result's
  'me → results → printedHolder': { reach: ONLY_THE_CITIZEN },
  'node(id) of C → results → printedHolder': { reach: FINDS_R }, // FINDS_C, then the result's scope
  'citizen(nationalId) → results → printedHolder': { reach: FINDS_C_BY_NATIONAL_ID, refused: LOOKUP_REFUSED },
};

// ---------------------------------------------------------------------------------------------
// Filters, orderings and lookups on personal fields: use × caller → outcome
// ---------------------------------------------------------------------------------------------

/**
 * By hand from the policy's table. A: served, finds C or H; F: null + FORBIDDEN naming the use
 * (`refusal` ends the message; filters are isolated with orderBy: NEWEST, which needs nothing);
 * E: the caller finds no one, so the field answers empty (or null) without error, whatever it
 * asks. One line per use (paths.ts has the uses, under the same names), one cell per caller:
 * the citizen's scope is themselves; officers get no household records; the officer and the
 * admin without a purpose read name and ward only. Results (R) have none: `procedureResults`
 * filters by kind, status, issuing agency, holder kind and issue time and orders by ISSUED_AT or
 * NUMBER, `procedureResult` looks up by result number, and `verifyProcedureResult` by number and
 * document hash, none of them a personal field.
 */
export const USE_GRID: Readonly<Record<string, { outcomes: string; refusal: string }>> = {
  //                                                          public citizen officer officerNoPurpose analyst auditor admin adminNoPurpose
  'citizens(filter: nationalId)':                     { outcomes: 'E A A F E E A F', refusal: 'filter by national id' },
  'citizens(filter: bornFrom, bornTo)':               { outcomes: 'E A A F E E A F', refusal: 'filter by birth date' },
  'citizens(filter: gender)':                         { outcomes: 'E A A F E E A F', refusal: 'filter by gender' },
  'citizens(filter: householdId)':                    { outcomes: 'E A A F E E A F', refusal: 'filter by household' },
  'citizens(filter: search)':                         { outcomes: 'E A A A E E A A', refusal: 'search by name' },
  'citizens(filter: wardId)':                         { outcomes: 'E A A A E E A A', refusal: 'filter by ward or district' },
  'citizens(filter: districtId)':                     { outcomes: 'E A A A E E A A', refusal: 'filter by ward or district' },
  'citizens (default order: NAME)':                   { outcomes: 'E A A A E E A A', refusal: 'order by NAME' },
  'citizens(orderBy: BIRTH_DATE)':                    { outcomes: 'E A A F E E A F', refusal: 'order by BIRTH_DATE' },
  'citizens(orderBy: NEWEST)':                        { outcomes: 'E A A A E E A A', refusal: 'order by NEWEST' },
  'citizen(nationalId)':                              { outcomes: 'E A A F E E A F', refusal: 'look up by national id' },
  'households (default order: CODE)':                 { outcomes: 'E A E E E E A F', refusal: 'order by CODE' },
  'households(orderBy: ADDRESS)':                     { outcomes: 'E A E E E E A F', refusal: 'order by ADDRESS' },
  'households(filter: search, orderBy: ADDRESS)':     { outcomes: 'E A E E E E A F', refusal: 'search by address, order by ADDRESS' },
  'households(filter: wardId)':                       { outcomes: 'E A E E E E A F', refusal: 'order by CODE' }, // the ward is identity: only the order is refused
};

// ---------------------------------------------------------------------------------------------
// Purposes: what each purpose opens, reading C's phone, national id and birth date
// ---------------------------------------------------------------------------------------------

/** The dossier an X-Case-Reference names (fixtures.ts gives each one's code). */
export type CaseName = "C's dossier of A" | "A's dossier of someone else" | "another agency's dossier" | 'a made-up dossier code' | "A's dossier filed by a business";

/**
 * visible: everything read; phone only: phone (and e-mail) open, national id and birth date
 * denied; not the case: the purpose stands but opens only someone else; nothing: the purpose
 * opens no personal data. Name and ward stay visible in every case.
 */
export type Opens = 'visible' | 'phone only' | 'not the case' | 'nothing';

/**
 * THE PURPOSE TABLE (by hand, from policy.ts): what each purpose opens for an officer of A and
 * for an admin, reading C's phone, national id and birth date. "case": only the applicant of
 * the dossier in X-Case-Reference (a business applicant: its legal representative).
 */
export const PURPOSE_GRID: ReadonlyArray<{ name: string; role: 'officer' | 'admin'; purpose: Purpose; case?: CaseName; opens: Opens }> = [
  { name: "officer, DOSSIER_PROCESSING, C's dossier of A", role: 'officer', purpose: 'DOSSIER_PROCESSING', case: "C's dossier of A", opens: 'visible' },
  { name: "officer, DOSSIER_PROCESSING, A's dossier of someone else", role: 'officer', purpose: 'DOSSIER_PROCESSING', case: "A's dossier of someone else", opens: 'not the case' },
  { name: 'officer, CITIZEN_REQUEST, no reference', role: 'officer', purpose: 'CITIZEN_REQUEST', opens: 'phone only' },
  { name: 'officer, LEGAL_OBLIGATION', role: 'officer', purpose: 'LEGAL_OBLIGATION', opens: 'nothing' },
  { name: 'officer, SECURITY_INVESTIGATION', role: 'officer', purpose: 'SECURITY_INVESTIGATION', opens: 'nothing' },
  { name: "admin, DOSSIER_PROCESSING, C's dossier", role: 'admin', purpose: 'DOSSIER_PROCESSING', case: "C's dossier of A", opens: 'visible' },
  { name: "admin, DOSSIER_PROCESSING, another agency's dossier of someone else", role: 'admin', purpose: 'DOSSIER_PROCESSING', case: "another agency's dossier", opens: 'not the case' },
  { name: 'admin, CITIZEN_REQUEST', role: 'admin', purpose: 'CITIZEN_REQUEST', opens: 'visible' },
  { name: 'admin, LEGAL_OBLIGATION', role: 'admin', purpose: 'LEGAL_OBLIGATION', opens: 'visible' },
  { name: 'admin, SECURITY_INVESTIGATION', role: 'admin', purpose: 'SECURITY_INVESTIGATION', opens: 'visible' },
];

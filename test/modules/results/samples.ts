import { sql } from 'kysely';
import { expect } from 'vitest';
import { andThen, edgeWithId, follow, gid, obj, q, type Key, type MatrixPath } from '../../access/path-language.js';
import type { Fixtures } from '../../access/fixtures.js';
import type { ModuleSamples } from '../../support/samples/index.js';

/** R's result: R itself has no id, the paths find the result that prints it. */
const RESULT = (f: Fixtures) => gid('ProcedureResult', f.R.id);
const missingResult = () => gid('ProcedureResult', 99_999_999);
/** The results of A issued in the very millisecond R was: R (a list to find it in, kept short). */
const resultsOfR = (f: Fixtures) => {
  const issued = new Date(f.R.issued_at);
  const filter = `issuingAgencyId: ${q(gid('Agency', f.agencyId))}, holderKind: CITIZEN, issuedFrom: ${q(issued.toISOString())}, issuedTo: ${q(new Date(issued.getTime() + 1).toISOString())}`;
  return `procedureResults(filter: { ${filter} }, first: 10)`;
};
/** A connection of results (`Citizen.results`, `procedureResults`): the edge of R's result, then `keys` in it. */
const inResults = (f: Fixtures, connection: unknown, path: Key[], keys: Key[]) => andThen(edgeWithId(connection, path, ['node'], RESULT(f)), keys);
const C = (f: Fixtures) => gid('Citizen', f.C.id);

/** The matrix's paths through results (test/access/paths.ts adds them to its catalogue; PATH_GRID in expectations.ts says who reaches what). */
const matrixPaths: readonly MatrixPath[] = [
  // C as the holder of R's result: ProcedureResult.holder (the ProcedureResultHolder union).
  {
    name: 'procedureResult(number) → holder (ProcedureResultHolder union)',
    subject: 'C',
    style: 'inline fragment',
    field: (f, sel) => `procedureResult(number: ${q(f.R.number)}) { id holder ${sel('Citizen')} }`,
    locate: (_f, v, p) => follow(v, p, ['holder']),
  },
  {
    name: 'procedureResults list → holder (union, named fragment)',
    subject: 'C',
    style: 'named fragment',
    field: (f, sel) => `${resultsOfR(f)} { edges { node { id holder ${sel('Citizen')} } } }`,
    locate: (f, v, p) => inResults(f, v, p, ['holder']),
  },
  {
    name: 'me → results → holder',
    subject: 'C',
    style: 'inline fragment',
    field: (_f, sel) => `me { id results(first: 20) { edges { node { id holder ${sel('Citizen')} } } } }`,
    locate: (f, v, p) => inResults(f, obj(v)?.results, [...p, 'results'], ['holder']),
  },

  // R, the holder printed on C's result (ProcedureResult.printedHolder: the ProcedureResultPrintedHolder union).
  {
    name: 'procedureResults list → printedHolder (union, inline fragment)',
    subject: 'R',
    style: 'inline fragment',
    field: (f, sel) => `${resultsOfR(f)} { edges { node { id printedHolder ${sel('PrintedCitizenHolder')} } } }`,
    locate: (f, v, p) => inResults(f, v, p, ['printedHolder']),
  },
  {
    name: 'procedureResults list → printedHolder (union, named fragment)',
    subject: 'R',
    style: 'named fragment',
    field: (f, sel) => `${resultsOfR(f)} { edges { node { id printedHolder ${sel('PrintedCitizenHolder')} } } }`,
    locate: (f, v, p) => inResults(f, v, p, ['printedHolder']),
  },
  {
    name: 'procedureResult(number) → printedHolder',
    subject: 'R',
    style: 'inline fragment',
    field: (f, sel) => `procedureResult(number: ${q(f.R.number)}) { id number printedHolder ${sel('PrintedCitizenHolder')} }`,
    locate: (_f, v, p) => follow(v, p, ['printedHolder']),
  },
  {
    name: 'node(id) of a ProcedureResult → printedHolder',
    subject: 'R',
    style: 'named fragment',
    field: (f, sel) => `node(id: ${q(RESULT(f))}) { id ... on ProcedureResult { printedHolder ${sel('PrintedCitizenHolder')} } }`,
    locate: (_f, v, p) => follow(v, p, ['printedHolder']),
  },
  {
    name: 'nodes(ids) of [missing, ProcedureResult] → printedHolder',
    subject: 'R',
    style: 'inline fragment',
    field: (f, sel) => `nodes(ids: [${q(missingResult())}, ${q(RESULT(f))}]) { id ... on ProcedureResult { printedHolder ${sel('PrintedCitizenHolder')} } }`,
    locate: (_f, v, p) => {
      expect((v as unknown[])[0]).toBeNull();
      return follow(v, p, [1, 'printedHolder']);
    },
  },
  {
    name: 'dossier(code) → result → printedHolder',
    subject: 'R',
    style: 'named fragment',
    field: (f, sel) => `dossier(code: ${q(f.R.dossierCode)}) { code result { id printedHolder ${sel('PrintedCitizenHolder')} } }`,
    locate: (_f, v, p) => follow(v, p, ['result', 'printedHolder']),
  },
  {
    name: 'me → results → printedHolder',
    subject: 'R',
    style: 'inline fragment',
    field: (_f, sel) => `me { id results(first: 20) { edges { node { id printedHolder ${sel('PrintedCitizenHolder')} } } } }`,
    locate: (f, v, p) => inResults(f, obj(v)?.results, [...p, 'results'], ['printedHolder']),
  },
  {
    name: 'node(id) of C → results → printedHolder',
    subject: 'R',
    style: 'named fragment',
    field: (f, sel) => `node(id: ${q(C(f))}) { id ... on Citizen { results(first: 20) { edges { node { id printedHolder ${sel('PrintedCitizenHolder')} } } } } }`,
    locate: (f, v, p) => inResults(f, obj(v)?.results, [...p, 'results'], ['printedHolder']),
  },
  {
    name: 'citizen(nationalId) → results → printedHolder',
    subject: 'R',
    style: 'inline fragment',
    field: (f, sel) => `citizen(nationalId: ${q(f.C.national_id)}) { id results(orderBy: NUMBER, first: 20) { edges { node { id printedHolder ${sel('PrintedCitizenHolder')} } } } }`,
    locate: (f, v, p) => inResults(f, obj(v)?.results, [...p, 'results'], ['printedHolder']),
  },
];

/** The results source's sample values for the cross-source tests (test/support/samples/index.ts). */
export const samples: ModuleSamples = {
  nodes: {
    ProcedureResult: { identifying: 'number status', candidates: sql`select id from results.procedure_results order by id limit 20`, personalData: 'related' },
  },
  injectionTargets: ['procedureResult(number)', 'verifyProcedureResult(number)', 'verifyProcedureResult(documentSha256)'],
  // The public verification answers for any number and hash: a document it does not know is UNKNOWN, telling nothing else.
  noMatch: { ProcedureResultVerification: { status: 'UNKNOWN', kind: null, issuedAt: null, validUntil: null, issuingAgency: null } },
  matrixPaths,
  coverage: {
    nonPersonal: {
      Citizen: { results: 'Row-scoped in SQL: only the procedure results the caller may see in full (the holder, the issuing agency, admin)' },
    },
    nonPersonalInputs: Object.fromEntries(
      ['kind', 'status', 'issuingAgencyId', 'holderKind', 'issuedFrom', 'issuedTo'].map((f) => [`ProcedureResultFilter.${f}`, "a result's own facts, within the caller's result scope"]),
    ),
    nonPersonalFieldArgs: {
      'Query.procedureResult(number)': "a result's number, within the caller's result scope",
      ...Object.fromEntries(
        ['Citizen.results', 'Business.results', 'Query.procedureResults'].map((f) => [`${f}(orderBy)`, 'orders by dates or numbers of the results listed, never by a personal field']),
      ),
    },
  },
};

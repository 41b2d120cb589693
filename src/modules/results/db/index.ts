import type { Kysely } from 'kysely';
import { ProcedureResultsRepository } from './procedure-results.repository.js';
import type { ResultsDatabase } from './tables.js';

export type { ProcedureResultRow, VerificationRow } from './tables.js';
export { statusAt } from './tables.js';
export * from './vocabulary.js';
export type { HolderRef, ResultWhere } from './result-conditions.js';
export type { PresentedDocument } from './procedure-results.repository.js';

export function resultsRepositories(db: Kysely<ResultsDatabase>) {
  return { procedureResults: new ProcedureResultsRepository(db) };
}

export type ResultsRepositories = ReturnType<typeof resultsRepositories>;

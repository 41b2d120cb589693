import type { HolderKind, PresentedDocument, ResultOrder, ResultsRepositories, ResultWhere } from './db/index.js';
import { countLoaderFamily, idLoader, keyLoader, loaderFamily, pageLoaderFamily, type LoaderOptions } from '../../platform/loaders/batch.js';

/** The loader key of a presented document: number and hash together. */
export const documentKey = (document: PresentedDocument): string => JSON.stringify([document.number, document.documentSha256]);

function presented(key: string): PresentedDocument {
  const [number, documentSha256] = JSON.parse(key) as [string, string];
  return { number, documentSha256 };
}

export function resultsLoaders(repos: ResultsRepositories, options: LoaderOptions) {
  const { procedureResults } = repos;
  return {
    /** Results by id within a row scope: a hidden result loads as null, like a missing one. */
    resultInScope: loaderFamily((scope: ResultWhere) => idLoader((ids) => procedureResults.findByIds(ids, scope), options)),
    /** Results by number within a row scope. */
    resultByNumber: loaderFamily((scope: ResultWhere) =>
      keyLoader((numbers: readonly string[]) => procedureResults.findByNumbers(numbers, scope), (row) => row.number, options),
    ),
    /** The result of a dossier (by dossier id) within a row scope; null when it has none or it is hidden. */
    resultByDossier: loaderFamily((scope: ResultWhere) =>
      keyLoader((ids: readonly number[]) => procedureResults.findByDossierIds(ids, scope), (row) => row.dossier_id, options),
    ),
    resultsByHolder: pageLoaderFamily(
      (parentIds, { kind, scope, order }: { kind: HolderKind; scope: ResultWhere; order: ResultOrder }, page) =>
        procedureResults.pagesByHolder({ kind, parentIds, filter: scope, order, page }),
      options,
    ),
    resultCountByHolder: countLoaderFamily(
      (parentIds, { kind, scope }: { kind: HolderKind; scope: ResultWhere }) => procedureResults.countByHolder({ kind, parentIds, filter: scope }),
      options,
    ),
    /** The public verification, by `documentKey` (number and hash): anyone's, no row scope, no holder data. */
    verification: keyLoader(
      (keys: readonly string[]) => procedureResults.verify(keys.map(presented)),
      (row) => documentKey({ number: row.number, documentSha256: row.document_sha256 }),
      options,
    ),
  };
}

export type ResultsLoaders = ReturnType<typeof resultsLoaders>;

/** Anything that loads one row by key, or null (a DataLoader of the request, a row scope's loader). */
export interface RowLoader<K, Row> {
  load(key: K): Promise<Row | null>;
}

/**
 * The object a field answers with, for a row loaded by key: `as(row)`, or null when there is no
 * key, no such row, or a row the loader hides (outside the caller's scope). The one way graph
 * code turns a loaded row into a GraphQL object:
 * `loadAs(loaders.reference.agencyById, dossier.agencyId, Agency.from)`.
 */
export async function loadAs<K, Row, T>(loader: RowLoader<K, Row>, key: K | null | undefined, as: (row: Row) => T): Promise<T | null> {
  if (key === null || key === undefined) return null;
  const row = await loader.load(key);
  return row ? as(row) : null;
}

/** Anything that loads one row by key, or null (a DataLoader of the request, a row scope's loader). */
export interface RowLoader<K, Row> {
  /** `fields`: the GraphQL fields the document asks of the object, for loaders that select by column (loaders/batch.ts columnLoader). */
  load(key: K, fields?: ReadonlySet<string>): Promise<Row | null>;
}

/**
 * The object a field answers with, for a row loaded by key: `as(row)`, or null when there is no
 * key, no such row, or a row the loader hides (outside the caller's scope). The one way graph
 * code turns a loaded row into a GraphQL object:
 * `loadAs(loaders.reference.agencyById, dossier.agencyId, Agency.from)`; with `fields`
 * (`fieldsAsked(info, 'Agency')`), a column-aware loader selects only what they are made from.
 */
export async function loadAs<K, Row, T>(loader: RowLoader<K, Row>, key: K | null | undefined, as: (row: Row) => T, fields?: ReadonlySet<string>): Promise<T | null> {
  if (key === null || key === undefined) return null;
  const row = await (fields ? loader.load(key, fields) : loader.load(key));
  return row ? as(row) : null;
}

/**
 * `loadAs` for a row the caller's scope must also admit: the row and the scope are fetched
 * together, whether or not the row exists, so a hidden row costs the same statements as a missing
 * one and answers null like it.
 * `loadInScopeAs(loaders.ioc.indicatorById, id, () => indicatorRowScope(ctx), isIndicatorInScope, Indicator.from)`.
 */
export async function loadInScopeAs<K, Row, Scope, T>(
  loader: RowLoader<K, Row>,
  key: K | null | undefined,
  scope: () => Promise<Scope>,
  admits: (row: Row, scope: Scope) => boolean,
  as: (row: Row) => T,
  fields?: ReadonlySet<string>,
): Promise<T | null> {
  if (key === null || key === undefined) return null;
  const [row, granted] = await Promise.all([fields ? loader.load(key, fields) : loader.load(key), scope()]);
  return row && admits(row, granted) ? as(row) : null;
}

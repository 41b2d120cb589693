import { sql, type Kysely } from 'kysely';
import {
  countByParent,
  fetchPage,
  fetchPagesByParent,
  type CountsPerParent,
  type Keyset,
  type Page,
  type PageRequest,
  type PagesPerParent,
} from '../../../platform/db/keyset.js';
import { foldedContains } from '../../../platform/db/search.js';
import { fetchPageWith } from '../../../platform/paging/page-with.js';
import type { DatasetResourceRow, DatasetRow, OpendataDatabase } from './tables.js';
import type { DatasetAccessLevel, DatasetLicence, DatasetOrder, ResourceFormat } from './vocabulary.js';

export interface DatasetWhere {
  category?: string | null;
  /** Datasets carrying this tag (exact match). */
  tag?: string | null;
  publisherId?: number | null;
  accessLevel?: DatasetAccessLevel | null;
  /** Row scope from the auth layer: only these access levels are visible (empty: none)... */
  accessLevels?: readonly DatasetAccessLevel[] | null;
  /** ...and, with `accessLevels`, every dataset this agency publishes (an officer's own agency). */
  ownAgencyId?: number | null;
  /** Datasets with at least one resource in this format. */
  format?: ResourceFormat | null;
  licence?: DatasetLicence | null;
  /** Matches the title without regard to case or diacritics. */
  search?: string | null;
  updatedFrom?: Date | null;
}

export interface CategoryCount {
  category: string;
  count: number;
}

/** Every column of a resource (a Record: a column added to the table must be added here), fetched with its dataset's page. */
const RESOURCE_COLUMNS = Object.keys({
  id: true,
  dataset_id: true,
  name: true,
  format: true,
  url: true,
  size_bytes: true,
  created_at: true,
} satisfies Record<keyof DatasetResourceRow, true>) as Array<keyof DatasetResourceRow & string>;

/** The names a resource's columns come under in its datasets' statement (no dataset column has a `$`). */
const RESOURCE_PREFIX = 'resource$';

/** A page of datasets, with every resource of its rows when they were asked for. */
export interface DatasetPage extends Page<DatasetRow> {
  /** Per dataset of the statement (the row past the page's end too), all its resources by id; undefined when not asked. */
  resources?: Map<number, DatasetResourceRow[]>;
}

const KEYSETS: Record<DatasetOrder, Keyset<DatasetRow>> = {
  // The stored Vietnamese sort key (vietnamese-order.ts): đ after d, tones after the base letter.
  TITLE: { name: 'dataset:title.vi', columns: ['title_sort', 'id'], direction: 'asc' },
  UPDATED_AT: { name: 'dataset:updated', columns: ['updated_at', 'id'], direction: 'desc' },
  DOWNLOADS: { name: 'dataset:downloads', columns: ['downloads', 'id'], direction: 'desc' },
};

export class DatasetsRepository {
  constructor(private readonly db: Kysely<OpendataDatabase>) {}

  async findByIds(ids: readonly number[]): Promise<DatasetRow[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('datasets').selectAll().where('id', '=', sql<number>`any(${[...ids]}::int[])`).execute();
  }

  async findBySlugs(slugs: readonly string[]): Promise<DatasetRow[]> {
    if (slugs.length === 0) return [];
    return this.db.selectFrom('datasets').selectAll().where('slug', '=', sql<string>`any(${[...slugs]}::text[])`).execute();
  }

  private filtered(filter: DatasetWhere) {
    let q = this.db.selectFrom('datasets').selectAll();
    if (filter.category) q = q.where('category', '=', filter.category);
    if (filter.tag) q = q.where(sql<boolean>`${sql.ref('tags')} @> array[${filter.tag}]::text[]`);
    if (filter.publisherId != null) q = q.where('publisher_id', '=', filter.publisherId);
    if (filter.accessLevel) q = q.where('access_level', '=', filter.accessLevel);
    if (filter.accessLevels) {
      const levels = sql<boolean>`${sql.ref('access_level')} = any(${[...filter.accessLevels]}::text[])`;
      const own = filter.ownAgencyId;
      q = q.where(own == null ? levels : sql<boolean>`(${levels} or ${sql.ref('publisher_id')} = ${own})`);
    }
    if (filter.licence) q = q.where('licence', '=', filter.licence);
    if (filter.updatedFrom) q = q.where('updated_at', '>=', filter.updatedFrom);
    if (filter.search) q = q.where(foldedContains('opendata', sql.ref('title'), filter.search));
    if (filter.format) {
      const format = filter.format;
      q = q.where(({ exists, selectFrom }) =>
        exists(
          selectFrom('dataset_resources as r')
            .select(sql`1`.as('one'))
            .whereRef('r.dataset_id', '=', 'datasets.id')
            .where('r.format', '=', format),
        ),
      );
    }
    return q;
  }

  /**
   * A page of datasets. With `columns`, only those (and the id and the ordering's, which the
   * cursors carry). With `withResources`, every resource of the page's datasets in the same
   * statement (the same database): joined to the page's rows once the page is cut, in id order.
   */
  async list(
    filter: DatasetWhere,
    order: DatasetOrder,
    page: PageRequest,
    columns?: readonly (keyof DatasetRow & string)[],
    withResources = false,
  ): Promise<DatasetPage> {
    const keyset = KEYSETS[order];
    let query = this.filtered(filter);
    if (columns) query = query.clearSelect().select([...new Set<keyof DatasetRow & string>(['id', ...keyset.columns, ...columns])]) as unknown as typeof query;
    if (!withResources) return fetchPage(query, keyset, page);
    const { page: fetched, joined } = await fetchPageWith(this.db, {
      query,
      keyset,
      page,
      join: (outer) =>
        outer
          .leftJoin('dataset_resources as resource', 'resource.dataset_id', 'page.id')
          .select(RESOURCE_COLUMNS.map((column) => sql.ref(`resource.${column}`).as(RESOURCE_PREFIX + column))),
      thenBy: sql`${sql.ref('resource.id')} asc`,
    });
    return { ...fetched, resources: resourcesOf(joined) };
  }

  /** The number of each agency's datasets within a filter (a row scope), in one statement. */
  async countByPublisher({ parentIds, filter }: CountsPerParent<DatasetWhere>): Promise<Map<number, number>> {
    return countByParent(this.filtered(filter ?? {}), 'publisher_id', parentIds);
  }

  async count(filter: DatasetWhere): Promise<number> {
    const row = await this.filtered(filter).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * One page of datasets per publisher, for a batch of publishers in one statement: a lateral
   * subquery walks each publisher's keyset separately, so every page is as cheap as one list().
   * Every requested agency gets an entry (an empty page when it publishes nothing).
   */
  async pagesByPublisher({ parentIds, filter, order, page }: PagesPerParent<DatasetWhere, DatasetOrder>): Promise<Map<number, Page<DatasetRow>>> {
    return fetchPagesByParent(this.db, {
      parentIds,
      children: (agencyId) => this.filtered(filter ?? {}).where('publisher_id', '=', agencyId),
      parentOf: (row) => row.publisher_id,
      keyset: KEYSETS[order],
      page,
    });
  }

  /** Facets: how many datasets match the filter in each category, largest first. */
  async categoryCounts(filter: DatasetWhere): Promise<CategoryCount[]> {
    const rows = await this.filtered(filter)
      .clearSelect()
      .select((eb) => ['category', eb.fn.countAll<number>().as('n')])
      .groupBy('category')
      .orderBy('n', 'desc')
      .orderBy('category')
      .execute();
    return rows.map((r) => ({ category: r.category, count: Number(r.n) }));
  }
}

/** Each dataset's resources (an empty list for one without), from their RESOURCE_PREFIX columns. */
function resourcesOf(rows: readonly DatasetRow[]): Map<number, DatasetResourceRow[]> {
  const byDataset = new Map<number, DatasetResourceRow[]>();
  for (const row of rows as unknown as ReadonlyArray<Record<string, unknown>>) {
    const datasetId = row.id as number;
    let resources = byDataset.get(datasetId);
    if (!resources) byDataset.set(datasetId, (resources = []));
    if (row[`${RESOURCE_PREFIX}id`] === null) continue;
    const resource: Record<string, unknown> = {};
    for (const column of RESOURCE_COLUMNS) resource[column] = row[RESOURCE_PREFIX + column];
    resources.push(resource as unknown as DatasetResourceRow);
  }
  return byDataset;
}

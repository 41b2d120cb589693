import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
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
import { columnsOf, JoinedColumns, selectingOnly } from '../../../platform/paging/columns.js';
import { fetchPageWith, fetchPageWithShape } from '../../../platform/paging/page-with.js';
import { filterShape, slottedFilter } from '../../../platform/paging/filter-shape.js';
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

/** Every column of a resource. */
const RESOURCE_COLUMNS = columnsOf<DatasetResourceRow>({ id: true, dataset_id: true, name: true, format: true, url: true, size_bytes: true, created_at: true });

/**
 * A resource's columns as a dataset page's statement brings them (`resource$<column>`), per set
 * of columns asked (the id and the dataset's id always): made once per set, and there are at
 * most 2^5 sets.
 */
const joinedResources = new Map<string, JoinedColumns<DatasetResourceRow>>();
function resourceColumns(asked: readonly (keyof DatasetResourceRow & string)[] | true): JoinedColumns<DatasetResourceRow> {
  // In the table's order: the same set asked in another order is the same statement.
  const columns = asked === true ? RESOURCE_COLUMNS : RESOURCE_COLUMNS.filter((column) => column === 'id' || column === 'dataset_id' || asked.includes(column));
  const key = columns.join(',');
  let joined = joinedResources.get(key);
  if (!joined) joinedResources.set(key, (joined = new JoinedColumns<DatasetResourceRow>('resource', columns)));
  return joined;
}

/** Each filter of DatasetWhere (a Record: a filter added there must be added here), for the shape of a page's statement. */
const FILTERS = columnsOf<DatasetWhere>({
  category: true,
  tag: true,
  publisherId: true,
  accessLevel: true,
  accessLevels: true,
  ownAgencyId: true,
  format: true,
  licence: true,
  search: true,
  updatedFrom: true,
});

/** A page of datasets, with every resource of its rows when they were asked for. */
export interface DatasetPage extends Page<DatasetRow> {
  /**
   * Per dataset of the statement (the row past the page's end too), all its resources by id,
   * with the columns asked only (the others absent); undefined when not asked.
   */
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
      // The array as given (not copied): in a template (`slottedFilter`) it is a slot.
      const levels = sql<boolean>`${sql.ref('access_level')} = any(${filter.accessLevels as DatasetAccessLevel[]}::text[])`;
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
   * cursors carry). With `resources`, every resource of the page's datasets in the same
   * statement (the same database): joined to the page's rows once the page is cut, in id order,
   * with these of their columns (and the id and the dataset's), or all of them (`true`).
   */
  async list(
    filter: DatasetWhere,
    order: DatasetOrder,
    page: PageRequest,
    columns?: readonly (keyof DatasetRow & string)[],
    resources: readonly (keyof DatasetResourceRow & string)[] | boolean = false,
  ): Promise<DatasetPage> {
    const keyset = KEYSETS[order];
    if (resources === false) return fetchPage(this.selected(filter, keyset, columns), keyset, page);
    const joinedColumns = resourceColumns(resources);
    const join = {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the page's outer query
      join: (outer: SelectQueryBuilder<any, 'page', DatasetRow>) =>
        outer.leftJoin('dataset_resources as resource', 'resource.dataset_id', 'page.id').select(joinedColumns.selection) as typeof outer,
      thenBy: sql`${sql.ref('resource.id')} asc`,
    };
    const given = filterShape(FILTERS, filter, ['search']);
    const { page: fetched, joined } =
      given === undefined
        ? await fetchPageWith(this.db, { query: this.selected(filter, keyset, columns), keyset, page, ...join })
        : await fetchPageWithShape(this.db, {
            key: `datasets+resources|${given}|${columns?.join(',') ?? '*'}|${joinedColumns.columns.join(',')}`,
            input: filter,
            keyset,
            page,
            build: (slot) => ({ query: this.selected(slottedFilter(FILTERS, filter, slot), keyset, columns), ...join }),
          });
    return { ...fetched, resources: resourcesOf(joined, joinedColumns) };
  }

  /** The filtered query with only `columns` (and the id and the keyset's, which the cursors carry), every column without. */
  private selected(filter: DatasetWhere, keyset: Keyset<DatasetRow>, columns?: readonly (keyof DatasetRow & string)[]) {
    return selectingOnly(this.filtered(filter), keyset, columns);
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

/** Each dataset's resources (an empty list for one without), from their `resource$` columns. */
function resourcesOf(rows: readonly DatasetRow[], joined: JoinedColumns<DatasetResourceRow>): Map<number, DatasetResourceRow[]> {
  const byDataset = new Map<number, DatasetResourceRow[]>();
  for (const row of rows) {
    let resources = byDataset.get(row.id);
    if (!resources) byDataset.set(row.id, (resources = []));
    const resource = joined.from(row);
    if (resource) resources.push(resource);
  }
  return byDataset;
}


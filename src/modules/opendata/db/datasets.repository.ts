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
import type { DatasetRow, OpendataDatabase } from './tables.js';
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

  async list(filter: DatasetWhere, order: DatasetOrder, page: PageRequest): Promise<Page<DatasetRow>> {
    return fetchPage(this.filtered(filter), KEYSETS[order], page);
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

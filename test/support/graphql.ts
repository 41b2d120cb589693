import type { Kysely, RawBuilder } from 'kysely';
import { expect } from 'vitest';
import type { GraphQLResponse } from './gateway.js';

/** The response's data, once it is checked to carry no errors. */
export function ok<T>(res: GraphQLResponse<T>): T {
  expect(res.errors).toBeUndefined();
  return res.data!;
}

/** Lower case without diacritics, as a Vietnamese reader would type it (đ → d included). */
export const fold = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();

/**
 * A `rows(query, on?)` helper that runs raw SQL and returns its rows, on `on` or else on the
 * connection `defaultDb()` returns (read at each call: test files assign it in `beforeAll`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connections of any source
export function sqlRows(defaultDb: () => Kysely<any>) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any source
  return async <T>(query: RawBuilder<T>, on: Kysely<any> = defaultDb()): Promise<T[]> => (await query.execute(on)).rows;
}

import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- placeholder until the source has tables
export function businessRepositories(_db: Kysely<any>) {
  return {};
}

export type BusinessRepositories = ReturnType<typeof businessRepositories>;

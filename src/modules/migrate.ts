import { Migrator, sql, type MigrationResult } from 'kysely';
import type { Connections } from '../platform/db/connection.js';
import { createSearchExtensions } from '../platform/db/search.js';
import { MODULES, type SourceName } from './index.js';

export interface MigrationReport {
  source: SourceName;
  applied: string[];
}

/**
 * Brings every source to its latest schema. Sources migrate one after another: several may
 * share a database, and `create extension` is per database.
 */
export async function migrateAll(connections: Connections): Promise<MigrationReport[]> {
  const reports: MigrationReport[] = [];
  for (const { name, migrations } of MODULES) {
    const source = connections.sources[name];
    await createSearchExtensions(source.root);
    await sql`create schema if not exists ${sql.id(source.schema)}`.execute(source.root);
    const migrator = new Migrator({
      db: source.root,
      provider: { getMigrations: async () => migrations },
      migrationTableSchema: source.schema,
    });
    // migrateToLatest reports failure in its result instead of throwing.
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r: MigrationResult) => r.status === 'Error');
    if (error) {
      const which = failed ? ` in migration ${failed.migrationName}` : '';
      throw new Error(`${name}: migration failed${which}: ${(error as Error).message ?? String(error)}`);
    }
    reports.push({ source: name, applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) });
  }
  return reports;
}

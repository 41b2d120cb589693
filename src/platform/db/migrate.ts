import { Migrator, sql, type Migration, type MigrationResult } from 'kysely';
import type { Connections } from './connection.js';
import { migrations as audit } from '../../modules/audit/db/migrations/index.js';
import { migrations as business } from '../../modules/business/db/migrations/index.js';
import { migrations as ioc } from '../../modules/ioc/db/migrations/index.js';
import { migrations as opendata } from '../../modules/opendata/db/migrations/index.js';
import { migrations as population } from '../../modules/population/db/migrations/index.js';
import { migrations as reference } from '../../modules/reference/db/migrations/index.js';
import { migrations as services } from '../../modules/services/db/migrations/index.js';
import { createSearchExtensions } from './search.js';
import { SOURCE_NAMES, type SourceName } from './source-names.js';

const MIGRATIONS: Record<SourceName, Record<string, Migration>> = {
  reference,
  population,
  business,
  services,
  opendata,
  ioc,
  audit,
};

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
  for (const name of SOURCE_NAMES) {
    const source = connections.sources[name];
    await createSearchExtensions(source.root);
    await sql`create schema if not exists ${sql.id(source.schema)}`.execute(source.root);
    const migrator = new Migrator({
      db: source.root,
      provider: { getMigrations: async () => MIGRATIONS[name] },
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

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULES } from '../../src/modules/index.js';
import { migrateAll } from '../../src/modules/migrate.js';
import { openConnections, type Connections } from '../../src/platform/db/connection.js';
import { checkIn, readVocabularyChecks } from '../../src/platform/db/vocabulary.js';
import { createTestDatabases, type TestDatabases } from '../support/databases.js';

/**
 * Each vocabulary is an `as const` array of its module's db layer; the check constraints that
 * migrations already created keep their literal lists. What the database enforces must be what
 * the arrays say: a value added to an array without a migration that widens its constraint (or a
 * constraint on a vocabulary column that no module declares) fails here.
 */

let databases: TestDatabases;
let connections: Connections;

beforeAll(async () => {
  databases = await createTestDatabases();
  connections = await openConnections(databases.config);
  await migrateAll(connections);
});
afterAll(async () => {
  await connections?.close();
  await databases?.drop();
});

describe('vocabularies and check constraints', () => {
  for (const module of MODULES) {
    it(`${module.name}: every check on a vocabulary column allows exactly its array, in order`, async () => {
      const source = connections.sources[module.name];
      const found = await readVocabularyChecks(source.root, source.schema);
      const declared = module.checks ?? [];
      // Each declared constraint exists and allows the array's values.
      for (const check of declared) {
        const match = found.filter((f) => f.constraint === check.constraint && f.column === check.column);
        expect(match, `${check.constraint} (${check.column})`).toHaveLength(1);
        expect(match[0]!.table).toBe(check.table);
        expect(match[0]!.values, check.constraint).toEqual([...check.values]);
      }
      // And no constraint on a vocabulary column goes undeclared.
      const undeclared = found.filter((f) => !declared.some((d) => d.constraint === f.constraint && d.column === f.column));
      expect(undeclared, 'check constraints no module declares in its manifest (`checks`)').toEqual([]);
    });
  }

  it('checkIn builds from an array the constraint PostgreSQL keeps, read back the same', async () => {
    const { root } = connections.sources.reference;
    await sql`create schema vocabulary_probe`.execute(root);
    try {
      await root.schema
        .withSchema('vocabulary_probe')
        .createTable('probe')
        .addColumn('status', 'text', (c) => c.notNull().check(checkIn('status', ['VALID', 'REVOKED', 'EXPIRED'])))
        .execute();
      expect(await readVocabularyChecks(root, 'vocabulary_probe')).toEqual([
        { table: 'probe', constraint: 'probe_status_check', column: 'status', values: ['VALID', 'REVOKED', 'EXPIRED'] },
      ]);
      await expect(sql`insert into vocabulary_probe.probe (status) values ('LOST')`.execute(root)).rejects.toThrow(/probe_status_check/);
    } finally {
      await sql`drop schema vocabulary_probe cascade`.execute(root);
    }
  });
});

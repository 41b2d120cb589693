import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openConnections, type Connections } from '../../../src/platform/db/connection.js';
import { createTestDatabases, type TestDatabases } from '../../support/databases.js';

/**
 * Node takes one queued connection per turn of the event loop (test/server/drain.test.ts): a
 * source whose statements settle without giving the loop a turn keeps new clients waiting in the
 * kernel's queue for as long as the requests in flight take. Counted, not timed: an immediate that
 * re-arms itself runs once per turn.
 */
let databases: TestDatabases;
let connections: Connections;
beforeAll(async () => {
  databases = await createTestDatabases();
  connections = await openConnections(databases.config);
}, 60_000);
afterAll(async () => {
  await connections?.close();
  await databases?.drop();
});

describe('a source gives the event loop a turn for each statement', () => {
  it('20 statements in a row let at least 20 turns of the loop pass', async () => {
    const { db } = connections.sources.population;
    let turns = 0;
    let running = true;
    const tick = () => {
      turns += 1;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    const before = turns;
    for (let i = 0; i < 20; i++) await sql`select 1`.execute(db);
    running = false;
    expect(turns - before).toBeGreaterThanOrEqual(20);
  });
});

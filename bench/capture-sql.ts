/**
 * Prints the SQL statements (text and parameters) the gateway issues for one request of a
 * scenario: how the floor server's statements were written. `npx tsx bench/capture-sql.ts
 * [--scale medium] [--embedded] [scenario…]`.
 */
import pg from 'pg';
import { parseArgs } from 'node:util';
import { startGateway } from '../src/server/gateway.js';
import { DEFAULT_ADMIN_URL, DEFAULT_SEED, prepareBenchDatabase } from './lib/database.js';
import { buildScenarios, loadFixtures } from './lib/scenarios.js';
import { loadConfig } from '../src/config.js';

const { values, positionals } = parseArgs({
  options: { scale: { type: 'string', default: 'medium' }, embedded: { type: 'boolean', default: false } },
  allowPositionals: true,
});

let capturing = false;
const statements: Array<{ text: string; values: unknown }> = [];
const original = pg.Client.prototype.query;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- patched for the capture only
(pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
  if (capturing && typeof args[0] === 'string') statements.push({ text: args[0], values: args[1] });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (original as any).apply(this, args);
};

const db = await prepareBenchDatabase({
  backend: values.embedded ? 'embedded' : 'postgres',
  scale: values.scale!,
  seed: DEFAULT_SEED,
  adminUrl: DEFAULT_ADMIN_URL,
});
const fixtures = await loadFixtures(db.connections);
await db.connections.close();
const config = loadConfig({ ...db.env, RATE_LIMIT_PER_MINUTE: "0", LOG_LEVEL: "warn" });
const scenarios = await buildScenarios(config, fixtures);
const gateway = await startGateway(config, { port: 0 });
try {
  for (const scenario of scenarios.filter((s) => positionals.length === 0 || positionals.includes(s.name))) {
    statements.length = 0;
    capturing = true;
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...scenario.headers },
      body: JSON.stringify({ query: scenario.query, variables: scenario.variables }),
    });
    const body = (await response.json()) as { errors?: unknown; extensions?: unknown };
    capturing = false;
    console.log(`\n### ${scenario.name}: HTTP ${response.status}, ${JSON.stringify(body.extensions)}${body.errors ? ` errors ${JSON.stringify(body.errors)}` : ''}`);
    for (const s of statements) console.log(`\n${s.text}\n  -- ${JSON.stringify(s.values)}`);
  }
} finally {
  await gateway.close();
}

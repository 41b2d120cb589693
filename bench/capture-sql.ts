/**
 * Prints the SQL statements (text and parameters) the gateway issues for one request of a
 * scenario: how the floor server's statements were written. `npx tsx bench/capture-sql.ts
 * [--scale medium] [--embedded] [--cold] [scenario…]`. By default the request printed is the
 * second of the process (the steady statements, as the bench counts them: the first also fills
 * the process caches of reference rows and of the officer's agency); `--cold` prints the first.
 */
import pg from 'pg';
import { parseArgs } from 'node:util';
import { startGateway } from '../src/server/gateway.js';
import { DEFAULT_ADMIN_URL, DEFAULT_SEED, prepareBenchDatabase } from './lib/database.js';
import { adminHeaders, buildScenarios, CITIZEN_PAGE_QUERY, loadFixtures, type Scenario } from './lib/scenarios.js';
import { loadConfig } from '../src/config.js';

const { values, positionals } = parseArgs({
  options: { scale: { type: 'string', default: 'medium' }, embedded: { type: 'boolean', default: false }, cold: { type: 'boolean', default: false } },
  allowPositionals: true,
});

let capturing = false;
const statements: Array<{ text: string; values: unknown }> = [];
const original = pg.Client.prototype.query;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- patched for the capture only
(pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
  if (capturing && typeof args[0] === 'string') statements.push({ text: args[0], values: args[1] });
  else if (capturing && args[0] && typeof args[0].text === 'string') statements.push({ text: args[0].text, values: args[0].values });
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
/** The deep citizens page (bench/run.ts builds its cursor from the data): here, the page after the first. */
async function citizensScenario(): Promise<Scenario> {
  const headers = await adminHeaders(config);
  const first = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: CITIZEN_PAGE_QUERY }) });
  const after = ((await first.json()) as { data: { citizens: { pageInfo: { endCursor: string } } } }).data.citizens.pageInfo.endCursor;
  return { name: 'citizens', title: 'the second page of 50 citizens', query: CITIZEN_PAGE_QUERY, variables: { after }, headers };
}
if (positionals.length === 0 || positionals.includes('citizens')) scenarios.push(await citizensScenario());
try {
  for (const scenario of scenarios.filter((s) => positionals.length === 0 || positionals.includes(s.name))) {
    const send = () =>
      fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...scenario.headers },
        body: JSON.stringify({ query: scenario.query, variables: scenario.variables }),
      });
    if (!values.cold) await (await send()).arrayBuffer();
    statements.length = 0;
    capturing = true;
    const response = await send();
    const body = (await response.json()) as { errors?: unknown; extensions?: unknown };
    capturing = false;
    console.log(`\n### ${scenario.name}: HTTP ${response.status}, ${JSON.stringify(body.extensions)}${body.errors ? ` errors ${JSON.stringify(body.errors)}` : ''}`);
    for (const s of statements) console.log(`\n${s.text}\n  -- ${JSON.stringify(s.values)}`);
  }
} finally {
  await gateway.close();
}

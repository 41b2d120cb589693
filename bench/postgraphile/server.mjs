/**
 * PostGraphile v5 (amber preset) over the bench's database: the peer the gateway is measured
 * against. A child of `bench/run.ts` (`node --import ./polyfill.mjs server.mjs`, from this folder,
 * with its own node_modules): the database URL comes from BENCH_SOURCE_ENV, it reports
 * `{ ready: url }` over IPC and stops when the parent disconnects or sends SIGTERM.
 *
 * SQL statements are counted here, in the process that sends them: every `pg` Client#query
 * (prepared or not, BEGIN/COMMIT included), read by the bench at GET /bench/statements around one
 * request while no other request runs. pg_stat_statements would need a server restart to load.
 */
import { createServer } from 'node:http';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

let statements = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(...args) {
  statements += 1;
  return query.apply(this, args);
};

const env = JSON.parse(process.env.BENCH_SOURCE_ENV ?? '{}');
if (!env.DATABASE_URL) throw new Error('PostGraphile needs a PostgreSQL DATABASE_URL in BENCH_SOURCE_ENV');
// The schemas of the sources the peer's scenarios read (bench/lib/postgraphile.ts); the others stay unexposed.
const SCHEMAS = (env.POSTGRAPHILE_SCHEMAS ?? '').split(',').filter(Boolean);
if (SCHEMAS.length === 0) throw new Error('POSTGRAPHILE_SCHEMAS is empty');
const poolSize = Number(env.DB_POOL_SIZE ?? 10);

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString: env.DATABASE_URL, schemas: SCHEMAS, poolConfig: { max: poolSize } })],
  grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false, maxRequestLength: 1_000_000 },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
// Build the schema before announcing readiness: the first measured request must not pay for it.
await pgl.getSchema();
const handle = serv.createHandler();
const server = createServer((req, res) => {
  if (req.url === '/bench/statements') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ statements }));
    return;
  }
  handle(req, res);
});
server.keepAliveTimeout = 60_000;
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections();
  await Promise.race([Promise.resolve(pgl.release()).catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3_000))]);
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('disconnect', () => void stop());
process.send?.({ ready: `http://127.0.0.1:${port}/graphql` });

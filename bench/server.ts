/**
 * The gateway as the bench runs it: a child process of `bench/run.ts`, so that its memory is
 * its own. Flags choose the variant: `--batch off` (the naive baseline: one query per row),
 * `--security off` (no field guard, no access log). The sources come from BENCH_SOURCE_ENV (a
 * JSON object of DATABASE_URL or DATA_DIR plus settings); it reports `{ ready: url }` over IPC
 * and stops when the parent disconnects or sends SIGTERM. GRAPHQL_EXECUTOR from the bench's own
 * environment (jit or graphql-js) chooses the executor, for A/B runs of the same scenarios.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { startGateway } from '../src/server/gateway.js';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: 'on' },
    security: { type: 'string', default: 'on' },
  },
});

const onOff = (name: string, value: string | undefined): boolean => {
  if (value !== 'on' && value !== 'off') throw new Error(`--${name} must be on or off`);
  return value === 'on';
};

async function main(): Promise<void> {
  const env = JSON.parse(process.env.BENCH_SOURCE_ENV ?? '{}') as Record<string, string>;
  const executor = process.env.GRAPHQL_EXECUTOR;
  const config = loadConfig(executor ? { ...env, GRAPHQL_EXECUTOR: executor } : env);
  const gateway = await startGateway(config, {
    port: 0,
    host: '127.0.0.1',
    loaderOptions: { batch: onOff('batch', values.batch) },
    security: onOff('security', values.security),
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // A short grace: the bench has stopped firing; keep-alive sockets need not be waited for.
    await Promise.race([gateway.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3_000))]);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
  process.send?.({ ready: gateway.url });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult, VariantRun } from '../bench/lib/results.js';
import { TEST_BACKEND } from './support/databases.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Issue 8's scenarios (every baseline), then issue 14's beside PostGraphile (no batching baseline). */
const ISSUE_8 = ['catalogue', 'worklist', 'dashboard', 'portal', 'nodes'];
const PEER_SCENARIOS = ['worklist', 'datasets', 'citizens', 'node'];
const TARGETS = [
  'batching', 'security', 'floor-catalogue', 'floor-worklist', 'growth',
  'worklist-cpu', 'peer-worklist', 'peer-datasets', 'peer-node', 'citizens-guard', 'batching-cpu', 'dashboard-city', 'peak-rss',
];

const wellFormed = (run: VariantRun | undefined) => {
  expect(run).toBeDefined();
  const r = run!;
  expect(r.probe.status).toBe(200);
  expect(r.probe.graphqlErrors).toEqual([]);
  expect(r.requests).toBeGreaterThan(0);
  expect(r.non2xx).toBe(0);
  for (const value of [r.requestsPerSecond, r.latencyP50Ms, r.latencyP99Ms, r.latencyMeanMs]) {
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThanOrEqual(0);
  }
  expect(r.bytesPerResponse).toBeGreaterThan(0);
  expect(r.peakRssMiB).toBeGreaterThan(0);
  expect(r.serverCpuMsPerRequest === null || r.serverCpuMsPerRequest >= 0).toBe(true);
  return r;
};

/**
 * `npm run bench:smoke` end to end: embedded, tiny scale, each scenario for about a second with
 * 2 connections against the gateway and every baseline, then the cost-growth pages. Asserts that
 * every scenario produced a well-formed result, never on timings. The smoke bench always runs on
 * embedded PGlite, so the PostgreSQL run of the suite skips it rather than repeat it.
 */
describe.skipIf(TEST_BACKEND === 'postgres')('bench smoke run', () => {
  let dir: string;
  let result: BenchResult;
  let markdown: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gateway-bench-smoke-'));
    const out = path.join(dir, 'results');
    await run(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke', '--out', out, '--data-dir', path.join(dir, 'data')], {
      cwd: ROOT,
      timeout: 900_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const files = await readdir(out);
    const json = files.filter((f) => f.endsWith('.json'));
    expect(json).toHaveLength(1);
    expect(files).not.toContain('latest.md');
    result = JSON.parse(await readFile(path.join(out, json[0]!), 'utf8')) as BenchResult;
    markdown = await readFile(path.join(out, json[0]!.replace(/\.json$/, '.md')), 'utf8');
  }, 900_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('describes the run: smoke, embedded, tiny, machine and settings', () => {
    expect(result.version).toBe(1);
    expect(result.kind).toBe('smoke');
    expect(result.database).toMatchObject({ backend: 'embedded', scale: 'tiny' });
    expect(result.settings).toMatchObject({ durationSeconds: 1, connections: 2 });
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.machine.node).toMatch(/^v\d+/);
  });

  it('measures every scenario against the gateway and each baseline, with the same data', () => {
    expect(result.scenarios.map((s) => s.name)).toEqual([...ISSUE_8, 'datasets', 'citizens', 'node']);
    for (const scenario of result.scenarios) {
      const gateway = wellFormed(scenario.variants.gateway);
      const insecure = wellFormed(scenario.variants.insecure);
      // Statement counts come from the gateway's own extensions.
      expect(Number.isInteger(gateway.sqlStatements) && gateway.sqlStatements! > 0).toBe(true);
      expect(insecure.sqlStatements).toBeGreaterThan(0);
      expect(insecure.sameDataAsGateway).toBe(true);
      // PostGraphile needs PostgreSQL: left out on embedded PGlite.
      expect(scenario.variants.postgraphile).toBeUndefined();
      if (!ISSUE_8.includes(scenario.name)) {
        expect(scenario.variants.naive).toBeUndefined();
        continue;
      }
      // Batching off never issues fewer statements.
      const naive = wellFormed(scenario.variants.naive);
      expect(naive.sqlStatements).toBeGreaterThanOrEqual(gateway.sqlStatements!);
      expect(naive.sameDataAsGateway).toBe(true);
    }
  });

  it('runs the floor for scenarios 1, 2 and 6 to 8, answering the same JSON data as the gateway with statements it counts', () => {
    for (const name of ['catalogue', 'worklist', 'datasets', 'citizens', 'node']) {
      const floor = wellFormed(result.scenarios.find((s) => s.name === name)?.variants.floor);
      expect(floor.sameDataAsGateway).toBe(true);
      expect(floor.sqlStatements).toBeGreaterThan(0);
    }
    for (const name of ['dashboard', 'portal', 'nodes']) expect(result.scenarios.find((s) => s.name === name)?.variants.floor).toBeUndefined();
  });

  it('reports ratios and a verdict for each target', () => {
    expect(result.ratios.map((r) => r.scenario)).toEqual(result.scenarios.map((s) => s.name));
    for (const ratio of result.ratios) {
      // Batching off runs on issue 8's scenarios only; every scenario has the guard-off baseline and the floor but 3 to 5.
      expect(Number.isFinite(ratio.batchingSpeedup)).toBe(ISSUE_8.includes(ratio.scenario));
      expect(Number.isFinite(ratio.securityCost)).toBe(true);
      expect(Number.isFinite(ratio.securityCpuFactor) || ratio.securityCpuFactor === null).toBe(true);
      expect(Number.isFinite(ratio.floorRatio)).toBe(!['dashboard', 'portal', 'nodes'].includes(ratio.scenario));
      expect(ratio.peerRatio).toBeNull();
    }
    expect(result.targets.map((t) => t.name)).toEqual(TARGETS);
    // Without PostGraphile (embedded) and without the city scale, those targets are not measured; every other has a verdict.
    const unmeasured = ['peer-worklist', 'peer-datasets', 'peer-node', 'dashboard-city'];
    for (const target of result.targets) expect(target.met === null ? 'null' : typeof target.met).toBe(unmeasured.includes(target.name) ? 'null' : 'boolean');
  });

  it('pages the citizens list from the start and deep into it', () => {
    expect(result.growth?.cases.map((c) => c.page)).toEqual(['first', 'deep']);
    for (const c of result.growth!.cases) {
      expect(c.firstRowMatches).toBe(true);
      expect(c.graphqlErrors).toEqual([]);
      expect(c.sqlStatements).toBeGreaterThan(0);
    }
    expect(result.growth!.cases[1]!.offset).toBeGreaterThan(0);
  });

  it('writes the Markdown tables', () => {
    for (const scenario of result.scenarios) expect(markdown).toContain(scenario.title);
    expect(markdown).toContain('| target | measured | |');
    expect(markdown).toContain('Cost growth');
  });
});

/**
 * The PostGraphile peer end to end, on the PostgreSQL run of the suite: tiny scale in a database
 * of the test's own, the four scenarios it serves, a second each. Asserts that PostGraphile
 * answered the gateway's data with the statements it counts, and that the ratios and verdicts
 * follow; never timings.
 */
describe.skipIf(TEST_BACKEND !== 'postgres')('bench beside PostGraphile (PostgreSQL)', () => {
  const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = `gw_test_bench_peer_${process.pid}_${Date.now().toString(36)}`;
  let dir: string;
  let result: BenchResult;
  let markdown: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gateway-bench-peer-'));
    const out = path.join(dir, 'results');
    const args = ['--scale', 'tiny', '--database', database, '--admin-url', adminUrl, '--duration', '1', '--connections', '2', '--warmup', '0'];
    args.push('--scenarios', PEER_SCENARIOS.join(','), '--variants', 'gateway,floor,postgraphile', '--skip-growth', '--skip-readme', '--runtime', 'tsx', '--out', out);
    await run(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { cwd: ROOT, timeout: 900_000, maxBuffer: 16 * 1024 * 1024 });
    const files = await readdir(out);
    const json = files.filter((f) => f.endsWith('.json'));
    expect(json).toHaveLength(1);
    result = JSON.parse(await readFile(path.join(out, json[0]!), 'utf8')) as BenchResult;
    markdown = await readFile(path.join(out, json[0]!.replace(/\.json$/, '.md')), 'utf8');
  }, 900_000);

  afterAll(async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`drop database if exists ${database} with (force)`);
    } finally {
      await admin.end();
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('measures PostGraphile on each scenario it serves, with the gateway\'s data and its own statement count', () => {
    expect(result.database).toMatchObject({ backend: 'postgres', scale: 'tiny' });
    expect(result.database.describe).toContain(database);
    expect(result.settings.postgraphile).toMatch(/^5\./);
    expect(result.scenarios.map((s) => s.name)).toEqual(PEER_SCENARIOS);
    for (const scenario of result.scenarios) {
      const gateway = wellFormed(scenario.variants.gateway);
      const peer = wellFormed(scenario.variants.postgraphile);
      const floor = wellFormed(scenario.variants.floor);
      expect(peer.sameDataAsGateway).toBe(true);
      expect(floor.sameDataAsGateway).toBe(true);
      expect(gateway.sqlStatements).toBeGreaterThan(0);
      // One planned statement per document: PostGraphile joins within the database.
      expect(peer.sqlStatements).toBe(1);
      // The floor sends the gateway's reads of a warm request (bench/floor-server.ts): one statement
      // per source and level, so the worklist's page (with its procedures), citizens and businesses.
      expect(floor.sqlStatements).toBe(scenario.name === 'worklist' ? 3 : 1);
    }
  });

  it('gives the ratios and a verdict for each PostGraphile target', () => {
    for (const ratio of result.ratios) {
      expect(Number.isFinite(ratio.peerRatio)).toBe(true);
      expect(Number.isFinite(ratio.floorRatio)).toBe(true);
    }
    for (const name of ['peer-worklist', 'peer-datasets', 'peer-node', 'worklist-cpu']) {
      expect(typeof result.targets.find((t) => t.name === name)?.met).toBe('boolean');
    }
    expect(markdown).toContain('Beside PostGraphile v5 and the floor');
    for (const scenario of result.scenarios) expect(markdown).toContain(scenario.title);
  });
});

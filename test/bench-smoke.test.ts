import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResult, VariantRun } from '../bench/lib/results.js';
import { TEST_BACKEND } from './support/databases.js';

const run = promisify(execFile);

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
      cwd: fileURLToPath(new URL('..', import.meta.url)),
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

  it('describes the run: smoke, embedded, tiny, machine and settings', () => {
    expect(result.version).toBe(1);
    expect(result.kind).toBe('smoke');
    expect(result.database).toMatchObject({ backend: 'embedded', scale: 'tiny' });
    expect(result.settings).toMatchObject({ durationSeconds: 1, connections: 2 });
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(result.machine.node).toMatch(/^v\d+/);
  });

  it('measures every scenario against the gateway and each baseline, with the same data', () => {
    expect(result.scenarios.map((s) => s.name)).toEqual(['catalogue', 'worklist', 'dashboard', 'portal', 'nodes']);
    for (const scenario of result.scenarios) {
      const gateway = wellFormed(scenario.variants.gateway);
      const naive = wellFormed(scenario.variants.naive);
      const insecure = wellFormed(scenario.variants.insecure);
      // Statement counts come from the gateway's own extensions; batching off never issues fewer.
      expect(Number.isInteger(gateway.sqlStatements) && gateway.sqlStatements! > 0).toBe(true);
      expect(naive.sqlStatements).toBeGreaterThanOrEqual(gateway.sqlStatements!);
      expect(insecure.sqlStatements).toBeGreaterThan(0);
      expect(naive.sameDataAsGateway).toBe(true);
      expect(insecure.sameDataAsGateway).toBe(true);
    }
  });

  it('runs the floor for scenarios 1 and 2, answering the same JSON data as the gateway', () => {
    for (const name of ['catalogue', 'worklist']) {
      const floor = wellFormed(result.scenarios.find((s) => s.name === name)?.variants.floor);
      expect(floor.sameDataAsGateway).toBe(true);
    }
    for (const name of ['dashboard', 'portal', 'nodes']) expect(result.scenarios.find((s) => s.name === name)?.variants.floor).toBeUndefined();
  });

  it('reports ratios and a verdict for each target', () => {
    expect(result.ratios.map((r) => r.scenario)).toEqual(result.scenarios.map((s) => s.name));
    for (const ratio of result.ratios) {
      expect(Number.isFinite(ratio.batchingSpeedup)).toBe(true);
      expect(Number.isFinite(ratio.securityCost)).toBe(true);
    }
    expect(result.targets.map((t) => t.name)).toEqual(['batching', 'security', 'floor-catalogue', 'floor-worklist', 'growth']);
    for (const target of result.targets) expect(typeof target.met).toBe('boolean');
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

/** What one bench run writes to bench/results/<stamp>.json (and renders as Markdown). */

export const VARIANT_NAMES = ['gateway', 'naive', 'insecure', 'floor', 'postgraphile'] as const;
export type VariantName = (typeof VARIANT_NAMES)[number];

export const VARIANT_LABELS: Record<VariantName, string> = {
  gateway: 'gateway',
  naive: 'batching off',
  insecure: 'authz + access log off',
  floor: 'floor (pg, no GraphQL)',
  postgraphile: 'PostGraphile v5',
};

export interface VariantRun {
  variant: VariantName;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /**
   * From one request's extensions.sqlStatements.total; for PostGraphile and the floor, the
   * statements their process sent during one request (their GET /bench/statements).
   */
  sqlStatements: number | null;
  bytesPerResponse: number;
  /** Peak resident set size of the server process during the measurement. */
  peakRssMiB: number | null;
  /**
   * CPU time the server process spent per request during the measurement (user + system). Less
   * sensitive than throughput to other work on the machine; null where /proc is missing.
   */
  serverCpuMsPerRequest: number | null;
  probe: { status: number; graphqlErrors: Array<{ message: string; code?: unknown; path?: unknown }> };
  /** Whether the answer's data equals the gateway's (key order aside); null for the gateway itself. */
  sameDataAsGateway: boolean | null;
  /** With --rounds: the throughput of every round (this record is the median one). */
  requestsPerSecondRounds?: number[];
}

export interface ScenarioResult {
  name: string;
  title: string;
  variants: Partial<Record<VariantName, VariantRun>>;
}

export interface Ratio {
  scenario: string;
  /** gateway ÷ batching off, in requests per second. */
  batchingSpeedup: number | null;
  /** 1 − gateway ÷ (authz + access log off): the share of throughput security costs. */
  securityCost: number | null;
  /** gateway ÷ floor. */
  floorRatio: number | null;
  /** gateway ÷ PostGraphile, in requests per second. */
  peerRatio: number | null;
  /** The same in server CPU per request: batching off ÷ gateway, 1 − authz-off ÷ gateway, floor ÷ gateway, PostGraphile ÷ gateway. */
  cpu: { batchingSpeedup: number | null; securityCost: number | null; floorRatio: number | null; peerRatio: number | null };
  /** Server CPU per request with guard and access log on ÷ off. */
  securityCpuFactor: number | null;
}

export interface Target {
  name: string;
  description: string;
  measured: string;
  met: boolean | null;
}

export interface GrowthCase {
  scale: string;
  citizens: number;
  page: 'first' | 'deep';
  /** Rows before the page. */
  offset: number;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  non2xx: number;
  sqlStatements: number | null;
  bytesPerResponse: number;
  /** The page starts at the row the SQL keyset construction expected (the cursor was honoured). */
  firstRowMatches: boolean;
  graphqlErrors: Array<{ message: string; code?: unknown }>;
}

export interface BenchResult {
  version: 1;
  kind: 'full' | 'smoke';
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: {
    cpuModel: string;
    cores: number;
    memoryGiB: number;
    node: string;
    platform: string;
    loadAverageStart: number[];
    loadAverageEnd: number[];
  };
  git: { commit: string | null; dirty: boolean | null };
  database: { backend: 'postgres' | 'embedded'; describe: string; serverVersion: string; scale: string; seed: number; seededSeconds: number | null };
  settings: { durationSeconds: number; connections: number; warmupSeconds: number; rounds: number; autocannon: string; runtime?: string; executor?: string; gatewayFlags?: string; postgraphile?: string | null };
  fixtures: { officerAgency: string; caseReference: string; citizenNationalId: string; citizenDossiers: number; nodeIds: number; catalogueSearch: string };
  scenarios: ScenarioResult[];
  ratios: Ratio[];
  targets: Target[];
  growth: {
    durationSeconds: number;
    connections: number;
    cases: GrowthCase[];
    /** Slowest p50 ÷ fastest p50 over every case. */
    spread: number | null;
    /** The dashboard scenario measured at the `city` scale (when it is one of the growth scales). */
    dashboard?: { scale: string; requestsPerSecond: number; latencyP50Ms: number; latencyP99Ms: number; connections: number; non2xx: number; graphqlErrors: Array<{ message: string; code?: unknown }> } | null;
  } | null;
}

const num = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const times = (value: number | null) => (value === null ? '–' : `${num(value, value < 10 ? 2 : 1)}×`);
const ms = (value: number | null | undefined) => num(value, value !== null && value !== undefined && value < 10 ? 1 : 0);
const pct = (value: number | null) => (value === null ? '–' : `${num(value * 100, 1)} %`);
const verdict = (met: boolean | null) => (met === null ? 'n/a' : met ? '**met**' : '**missed**');

/** The run as Markdown: scenarios, ratios side by side, targets, cost growth, machine. */
export function renderMarkdown(result: BenchResult, heading = '#'): string {
  const h = (level: number) => heading + '#'.repeat(level - 1);
  const m = result.machine;
  const lines: string[] = [];
  lines.push(`${h(1)} Gateway benchmark, ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC${result.kind === 'smoke' ? ' (smoke run)' : ''}`);
  lines.push('');
  lines.push(
    `Scale \`${result.database.scale}\` on ${result.database.describe}, server version ${result.database.serverVersion}; ` +
      `autocannon ${result.settings.autocannon}, ${result.settings.connections} connections, ${result.settings.durationSeconds} s per measurement after ${result.settings.warmupSeconds} s of warm-up` +
      `${result.settings.rounds > 1 ? `, median of ${result.settings.rounds} rounds` : ''}; each server in its own process, one at a time` +
      `${result.settings.runtime ? `, the gateway and the floor as ${result.settings.runtime}` : ''}${result.settings.executor ? `, the gateway executing with ${result.settings.executor}` : ''}${result.settings.gatewayFlags !== undefined ? ` (node ${result.settings.gatewayFlags || 'with V8 defaults'})` : ''}${result.settings.postgraphile ? `; PostGraphile ${result.settings.postgraphile}` : ''}.`,
  );
  lines.push('');
  lines.push(
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${num(m.memoryGiB, 1)} GiB, Node ${m.node}, ${m.platform}; ` +
      `load average ${num(m.loadAverageStart[0], 1)} at the start and ${num(m.loadAverageEnd[0], 1)} at the end` +
      `${(m.loadAverageStart[0] ?? 0) > m.cores * 0.5 ? ' (other work was running: figures are noisy)' : ''}. ` +
      `Commit ${result.git.commit?.slice(0, 10) ?? 'unknown'}${result.git.dirty ? ' with local changes' : ''}.`,
  );
  lines.push('');

  lines.push(`${h(2)} Scenarios`);
  lines.push('');
  lines.push('| scenario | server | req/s | p50 ms | p99 ms | SQL/request | bytes/response | peak RSS MiB | server CPU ms/request | same data |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const scenario of result.scenarios) {
    let first = true;
    for (const run of Object.values(scenario.variants)) {
      if (!run) continue;
      const flags = run.non2xx + run.errors + run.timeouts > 0 ? ` (${run.non2xx} non-2xx, ${run.errors} errors, ${run.timeouts} timeouts)` : '';
      lines.push(
        `| ${first ? scenario.title : ''} | ${VARIANT_LABELS[run.variant]} | ${num(run.requestsPerSecond, 1)}${flags} | ${ms(run.latencyP50Ms)} | ${ms(run.latencyP99Ms)} | ` +
          `${run.sqlStatements ?? (run.variant === 'floor' ? 'same as gateway' : '–')} | ${num(run.bytesPerResponse)} | ${num(run.peakRssMiB)} | ${num(run.serverCpuMsPerRequest, 1)} | ` +
          `${run.sameDataAsGateway === null ? '' : run.sameDataAsGateway ? 'yes' : '**no**'} |`,
      );
      first = false;
    }
  }
  lines.push('');

  lines.push(`${h(2)} Side by side (requests per second)`);
  lines.push('');
  lines.push('| scenario | gateway | batching off | authz + log off | floor | gateway ÷ batching off | authz + log cost | gateway ÷ floor |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const scenario of result.scenarios) {
    const ratio = result.ratios.find((r) => r.scenario === scenario.name);
    const rps = (variant: VariantName) => num(scenario.variants[variant]?.requestsPerSecond, 1);
    lines.push(
      `| ${scenario.title} | ${rps('gateway')} | ${rps('naive')} | ${rps('insecure')} | ${rps('floor')} | ` +
        `${times(ratio?.batchingSpeedup ?? null)} | ${pct(ratio?.securityCost ?? null)} | ${times(ratio?.floorRatio ?? null)} |`,
    );
  }
  lines.push('');

  lines.push(`${h(2)} Side by side (server CPU per request, ms)`);
  lines.push('');
  lines.push(
    'Throughput on a busy machine follows what else runs; the CPU time the server process spends per request follows less. ' +
      'Ratios here are written the same way as above (higher is better for the gateway).',
  );
  lines.push('');
  lines.push('| scenario | gateway | batching off | authz + log off | floor | batching off ÷ gateway | authz + log share | floor ÷ gateway |');
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const scenario of result.scenarios) {
    const ratio = result.ratios.find((r) => r.scenario === scenario.name);
    const cpu = (variant: VariantName) => num(scenario.variants[variant]?.serverCpuMsPerRequest, 1);
    lines.push(
      `| ${scenario.title} | ${cpu('gateway')} | ${cpu('naive')} | ${cpu('insecure')} | ${cpu('floor')} | ` +
        `${times(ratio?.cpu.batchingSpeedup ?? null)} | ${pct(ratio?.cpu.securityCost ?? null)} | ${times(ratio?.cpu.floorRatio ?? null)} |`,
    );
  }
  lines.push('');

  const peers = result.scenarios.filter((s) => s.variants.postgraphile);
  if (peers.length > 0) {
    lines.push(`${h(2)} Beside PostGraphile v5 and the floor`);
    lines.push('');
    lines.push(
      'The same data from PostGraphile v5 (amber preset, over the same database, smart tags for the relations across sources; answers compared) ' +
        'and from the floor. CPU ratios are the other server\'s CPU per request ÷ the gateway\'s (higher is better for the gateway, like req/s ratios). ' +
        'PostGraphile\'s and the floor\'s SQL statements are counted in their process (every query sent during one request); ' +
        'the gateway\'s are its `extensions.sqlStatements.total`. The floor issues the gateway\'s reads and leaves out the access log\'s writes.',
    );
    lines.push('');
    lines.push('| scenario | req/s gateway | PostGraphile | floor | CPU ms/req gateway | PostGraphile | floor | SQL/req gateway | PostGraphile | floor | gateway ÷ PostGraphile (req/s) | (CPU) | gateway ÷ floor (req/s) | (CPU) |');
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const scenario of peers) {
      const ratio = result.ratios.find((r) => r.scenario === scenario.name);
      const v = scenario.variants;
      const same = v.postgraphile?.sameDataAsGateway === false ? ' (**answer differs**)' : '';
      lines.push(
        `| ${scenario.title} | ${num(v.gateway?.requestsPerSecond, 1)} | ${num(v.postgraphile?.requestsPerSecond, 1)}${same} | ${num(v.floor?.requestsPerSecond, 1)} | ` +
          `${num(v.gateway?.serverCpuMsPerRequest, 2)} | ${num(v.postgraphile?.serverCpuMsPerRequest, 2)} | ${num(v.floor?.serverCpuMsPerRequest, 2)} | ` +
          `${v.gateway?.sqlStatements ?? '–'} | ${v.postgraphile?.sqlStatements ?? '–'} | ${v.floor?.sqlStatements ?? '–'} | ` +
          `${times(ratio?.peerRatio ?? null)} | ${times(ratio?.cpu.peerRatio ?? null)} | ${times(ratio?.floorRatio ?? null)} | ${times(ratio?.cpu.floorRatio ?? null)} |`,
      );
    }
    lines.push('');
  }

  lines.push(`${h(2)} Targets`);
  lines.push('');
  lines.push('| target | measured | |');
  lines.push('| --- | --- | --- |');
  for (const target of result.targets) lines.push(`| ${target.description} | ${target.measured} | ${verdict(target.met)} |`);
  lines.push('');

  if (result.growth) {
    const g = result.growth;
    lines.push(`${h(2)} Cost growth: a page of 50 citizens (admin with a purpose)`);
    lines.push('');
    lines.push(
      `\`citizens(first: 50, after: …) { fullName nationalId ward { name } }\`, the first page and a page deep in the list ` +
        `(its cursor built from the row found by SQL); ${g.connections} connections, ${g.durationSeconds} s each.`,
    );
    lines.push('');
    lines.push('| scale | citizens | page | rows before it | p50 ms | p99 ms | req/s | SQL/request | bytes/response |');
    lines.push('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const c of g.cases) {
      const bad = !c.firstRowMatches || c.graphqlErrors.length > 0 || c.non2xx > 0 ? ' (**wrong page**)' : '';
      lines.push(
        `| \`${c.scale}\` | ${num(c.citizens)} | ${c.page}${bad} | ${num(c.offset)} | ${ms(c.latencyP50Ms)} | ${ms(c.latencyP99Ms)} | ${num(c.requestsPerSecond, 1)} | ${c.sqlStatements ?? '–'} | ${num(c.bytesPerResponse)} |`,
      );
    }
    lines.push('');
    if (g.dashboard) {
      const d = g.dashboard;
      lines.push(
        `Dashboard (scenario 3) at \`${d.scale}\`, ${d.connections} connections: p50 ${ms(d.latencyP50Ms)} ms, p99 ${ms(d.latencyP99Ms)} ms, ${num(d.requestsPerSecond, 1)} req/s` +
          `${d.non2xx + d.graphqlErrors.length > 0 ? ` (**${d.non2xx} failed, ${d.graphqlErrors.length} errors**)` : ''}.`,
      );
      lines.push('');
    }
  }
  return lines.join('\n');
}

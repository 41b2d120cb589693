import autocannon from 'autocannon';

/** One HTTP request of a scenario, as the load generator fires it. */
export interface Request {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requestsPerSecond: number;
  requests: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMeanMs: number;
  /** Responses that were not 2xx, connection errors and timeouts: a healthy run has none. */
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
}

/** Fires the request over `connections` keep-alive connections for `seconds` (autocannon). */
export async function fire(request: Request, seconds: number, connections: number): Promise<LoadResult> {
  const common = { url: request.url, method: request.method, headers: request.headers, body: request.body, connections, timeout: 30 };
  let result = await autocannon({ ...common, duration: seconds });
  // A request slower than the whole (smoke) duration completes none: then measure a fixed number instead.
  if (result.requests.total === 0) result = await autocannon({ ...common, amount: connections * 2 });
  const elapsed = result.duration > 0 ? result.duration : seconds;
  return {
    requestsPerSecond: result.requests.total / elapsed,
    requests: result.requests.total,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMeanMs: result.latency.average,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: elapsed,
  };
}

export interface Probe {
  status: number;
  /** Bytes of the response body. */
  bytes: number;
  /** extensions.sqlStatements.total (the gateway outside production); null for the floor. */
  sqlStatements: number | null;
  graphqlErrors: Array<{ message: string; code?: unknown; path?: unknown }>;
  data: unknown;
  ms: number;
}

/** One request, read whole: its size, statement count, errors and data. */
export async function probe(request: Request): Promise<Probe> {
  const started = performance.now();
  const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
  const text = await response.text();
  const ms = performance.now() - started;
  let body: { data?: unknown; errors?: Array<{ message: string; path?: unknown; extensions?: { code?: unknown } }>; extensions?: { sqlStatements?: { total?: number } } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
  }
  return {
    status: response.status,
    bytes: Buffer.byteLength(text),
    sqlStatements: body.extensions?.sqlStatements?.total ?? null,
    graphqlErrors: (body.errors ?? []).map((e) => ({ message: e.message, code: e.extensions?.code, path: e.path })),
    data: body.data ?? null,
    ms,
  };
}

/** JSON with object keys sorted: two answers with the same data compare equal whatever their key order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

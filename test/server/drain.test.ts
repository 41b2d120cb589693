import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminToken, GatewayChild, tryConnect, type Exit, type Outcome } from '../support/gateway-child.js';

/**
 * SIGTERM under load: 50 clients, each on a keep-alive connection of its own, send personal-data
 * reads back to back against a gateway process (`node --import tsx src/cli/start.ts`, as
 * production runs it), and SIGTERM arrives in the middle. Every request the gateway accepted
 * must be answered in full, with its access-log entries; the only failures allowed are
 * connections refused once the listener has closed. The clients go on until they are refused.
 */

const CLIENTS = 50;
const PAGE = 10;
/** Answers before SIGTERM: the clients are all under way. */
const WARM_UP = 300;

describe('SIGTERM with 50 clients on keep-alive connections', () => {
  let gateway: GatewayChild;
  const outcomes: Outcome[] = [];
  let exit: Exit;
  let afterwards: string;

  beforeAll(async () => {
    // The default grace period: /readyz says "draining" and answers say `Connection: close`
    // for 2 s while the gateway still accepts; then the listener closes.
    gateway = await GatewayChild.start({ SHUTDOWN_GRACE_MS: '2000' });
    const token = await adminToken();
    let signalSent = false;
    let signal!: () => void;
    const warm = new Promise<void>((resolve) => (signal = resolve));
    let sequence = 0;
    const client = async (index: number) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (;;) {
          const { outcome } = gateway.read(`drain-${process.pid}-${index}-${sequence++}`, token, () => signalSent, { agent, first: PAGE });
          const result = await outcome;
          outcomes.push(result);
          if (outcomes.length === WARM_UP) signal();
          // Refused: the listener is closed, the gateway is done with this client.
          if (result.code === 'ECONNREFUSED') return;
          // Anything else that is not an answer is a failure, counted below; no point hammering a dead port.
          if (result.status === undefined && gateway.process.exitCode !== null) return;
        }
      } finally {
        agent.destroy();
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, i) => client(i));
    await warm;
    signalSent = true;
    gateway.process.kill('SIGTERM');
    await Promise.all(clients);
    exit = await gateway.exited;
    afterwards = await tryConnect(gateway.port);
  }, 300_000);
  afterAll(async () => gateway?.cleanUp());

  it('SIGTERM arrived mid-load: answers came after it, then refusals', () => {
    const answeredAfter = outcomes.filter((o) => o.afterSignal && o.status === 200).length;
    const refused = outcomes.filter((o) => o.code === 'ECONNREFUSED').length;
    console.log(
      `drain (${process.env.TEST_DATABASE ?? 'embedded'}): ${outcomes.length} requests, ${outcomes.filter((o) => o.status === 200).length} answered 200 ` +
        `(${answeredAfter} after SIGTERM, ${outcomes.filter((o) => o.connectionClose).length} with Connection: close), ` +
        `${refused} refused after the listener closed, ${outcomes.filter((o) => o.status !== 200 && o.code !== 'ECONNREFUSED').length} failures`,
    );
    expect(answeredAfter).toBeGreaterThan(0);
    // Each client ends with exactly one refusal, after the signal.
    expect(refused).toBe(CLIENTS);
    expect(outcomes.filter((o) => o.code === 'ECONNREFUSED').every((o) => o.afterSignal)).toBe(true);
  });

  it('no failure other than refused connections: every accepted request got its complete answer', () => {
    const failures = outcomes.filter((o) => o.code !== 'ECONNREFUSED' && !(o.status === 200 && o.people === PAGE && o.error === undefined));
    expect(failures, `stderr: ${gateway.stderr.slice(-800)}`).toEqual([]);
  });

  it('every answer with personal data has its access-log entries, one per person', async () => {
    const answered = outcomes.filter((o) => o.status === 200);
    const { granted, total } = await gateway.accessLogEntries(answered.map((o) => o.requestId));
    const missing = answered.filter((o) => granted[o.requestId] !== o.people).map((o) => o.requestId);
    expect(missing).toEqual([]);
    expect(total).toBe(answered.length * PAGE);
  });

  it('exits 0 after the drain, nothing cut, and refuses connections afterwards', () => {
    expect({ ...exit, stopped: /"msg":"stopped"/.test(gateway.stdout), cut: /shutdown deadline reached/.test(gateway.stdout) }).toEqual({
      code: 0,
      signal: null,
      stopped: true,
      cut: false,
    });
    expect(gateway.stdout).not.toMatch(/destroyed|INTERNAL_SERVER_ERROR/);
    expect(afterwards).toBe('refused');
  });
});

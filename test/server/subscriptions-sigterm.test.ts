import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { gatewaySubscriptions, SubscriptionClosedError } from '../../src/clients/subscribe.js';
import { LiveDossierStatisticsDocument } from '../../src/generated/graphql.js';
import { adminToken, GatewayChild, type Exit } from '../support/gateway-child.js';

/**
 * SIGTERM with subscribers connected, the gateway as a child process as in production
 * (`node --import tsx src/cli/start.ts`): each subscriber is closed with 1001 (going away) during
 * the drain, and the process exits 0.
 */
describe('SIGTERM with subscriptions open', () => {
  let gateway: GatewayChild;
  let closes: Array<{ code: number; reason: string } | string>;
  let exit: Exit;
  let signalledAt: number;
  let closedAt: number[];

  beforeAll(async () => {
    gateway = await GatewayChild.start({ SHUTDOWN_GRACE_MS: '0' });
    const token = await adminToken();
    const clients = [0, 1].map(() => gatewaySubscriptions({ url: `http://127.0.0.1:${gateway.port}/graphql`, token, webSocketImpl: WebSocket }));
    const iterators = clients.map((client) => client.subscribe(LiveDossierStatisticsDocument, {}));
    // Open (each has answered its figures now) before the signal.
    for (const it of iterators) expect((await it.next()).value?.data?.dossierStatisticsChanged).toBeTruthy();
    signalledAt = Date.now();
    gateway.process.kill('SIGTERM');
    closedAt = [];
    closes = await Promise.all(
      iterators.map((it) =>
        it.next().then(
          () => 'answered',
          (error: unknown) => {
            closedAt.push(Date.now());
            return error instanceof SubscriptionClosedError ? { code: error.code, reason: error.reason } : String(error);
          },
        ),
      ),
    );
    exit = await gateway.exited;
    await Promise.all(clients.map((client) => client.dispose()));
  }, 240_000);
  afterAll(async () => gateway?.cleanUp());

  it('every subscriber is closed with 1001 (going away)', () => {
    expect(closes).toEqual([
      { code: 1001, reason: 'Going away: the gateway is shutting down' },
      { code: 1001, reason: 'Going away: the gateway is shutting down' },
    ]);
  });

  it('within the drain, and the process exits 0 after "stopped"', () => {
    expect(Math.max(...closedAt) - signalledAt).toBeLessThan(5_000);
    expect({ ...exit, stopped: /"msg":"stopped"/.test(gateway.stdout) }).toEqual({ code: 0, signal: null, stopped: true });
  });
});

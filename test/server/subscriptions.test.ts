import { randomBytes } from 'node:crypto';
import { getNamedType, isObjectType, type GraphQLSchema } from 'graphql';
import { sql } from 'kysely';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { PERSONAL_FIELD } from '../../src/access/graphql/personal.js';
import { documentHash, GatewayRequestError } from '../../src/clients/client.js';
import { gatewaySubscriptions, SubscriptionClosedError, type GatewaySubscriptions } from '../../src/clients/subscribe.js';
import { LiveDossierStatisticsDocument, LiveObservationsDocument } from '../../src/generated/graphql.js';
import { buildGatewaySchema } from '../../src/modules/schema.js';
import { observationFeedStats } from '../../src/modules/ioc/graph/observation.subscription.js';
import { statisticsFeedStats } from '../../src/modules/services/graph/dossier-statistics.subscription.js';
import { toGlobalId } from '../../src/platform/relay/global-id.js';
import { as, type Caller } from '../support/as.js';
import { TEST_BACKEND } from '../support/databases.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * Subscriptions (issue 16): a real graphql-ws client against the running gateway over HTTP's
 * port; rows inserted by SQL into the test's own source databases (as a department's system
 * writes them) reach the subscribers through the sources' NOTIFY, within the same row scopes
 * and small-cell rule as the queries.
 */

const WAIT_MS = 10_000;
/** Observation periods no seed uses: one month further for each insert. */
let month = 0;
const nextPeriod = () => {
  const n = month++;
  return `${2200 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}-01`;
};

type Iter<T> = AsyncIterator<T>;

/** A call to next() that timed out is still waiting for the next event: the one the following call must get. */
const waiting = new WeakMap<object, Promise<IteratorResult<unknown>>>();

/** The next result, or a failure after `ms` (a missing event fails the test instead of hanging it). */
async function next<T>(iterator: Iter<T>, ms = WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no event within ${ms} ms`)), ms);
  });
  const pending = (waiting.get(iterator) as Promise<IteratorResult<T>> | undefined) ?? iterator.next();
  waiting.set(iterator, pending as Promise<IteratorResult<unknown>>);
  try {
    const result = await Promise.race([pending, timeout]);
    waiting.delete(iterator);
    if (result.done) throw new Error('the subscription completed');
    return result.value;
  } catch (error) {
    // A rejection of the iterator itself is consumed; a timeout leaves the call waiting.
    if (!(error instanceof Error && error.message.startsWith('no event within'))) waiting.delete(iterator);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** The outcome of the next call: a value, or the error thrown. */
async function outcome<T>(iterator: Iter<T>, ms = WAIT_MS): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await next(iterator, ms) };
  } catch (error) {
    return { error };
  }
}

describe('subscriptions over graphql-ws', () => {
  let gw: TestGateway;
  const clients: GatewaySubscriptions[] = [];
  let publicIndicator: { id: number; code: string };
  let internalIndicator: { id: number; code: string; ownerCode: string; ownerId: number };
  let otherAgency: string;

  const token = async (role: 'officer' | 'analyst' | 'admin' | 'citizen', caller: Caller = {}) =>
    (await as(role, { auth: gw.databases.config.auth, ...caller })).authorization!.replace(/^Bearer /, '');
  const connect = async (role: 'officer' | 'analyst' | 'admin', caller: Caller = {}) => {
    const client = gatewaySubscriptions({ url: gw.url, token: await token(role, caller), webSocketImpl: WebSocket });
    clients.push(client);
    return client;
  };
  const insertObservation = async (indicatorId: number) => {
    const row = await gw.databases.connections.sources.ioc.db
      .insertInto('observations')
      .values({ indicator_id: indicatorId, period: nextPeriod(), ward_id: null, value: 42.5 })
      .returning(['id'])
      .executeTakeFirstOrThrow();
    return toGlobalId('Observation', Number(row.id));
  };
  type ObservationEvent = { data?: { observationAdded: { id: string; indicator: { code: string } | null } } | null; errors?: unknown };

  /**
   * Inserts public observations until every subscriber has received one: from then on each is
   * registered at the gateway (there is no acknowledgement of a subscription in graphql-ws).
   */
  async function warmUp(iterators: Array<Iter<ObservationEvent>>): Promise<void> {
    const pending = new Set(iterators);
    for (let attempt = 0; attempt < 20 && pending.size > 0; attempt++) {
      const id = await insertObservation(publicIndicator.id);
      for (const it of [...pending]) {
        const got = await outcome(it, 500);
        if (got.value?.data?.observationAdded.id === id) pending.delete(it);
        // Under load an event may arrive later than 500 ms: drain until this insert's.
        else if (got.value) {
          for (let more = 0; more < 20; more++) {
            const again = await outcome(it, 1_000);
            if (again.value?.data?.observationAdded.id === id) {
              pending.delete(it);
              break;
            }
            if (!again.value) break;
          }
        }
      }
    }
    expect(pending.size, 'every subscriber got a warm-up event').toBe(0);
  }

  beforeAll(async () => {
    gw = await startTestGateway('tiny', { SUBSCRIPTIONS_PER_SUBJECT: '3' });
    const { ioc, reference } = gw.databases.connections.sources;
    const indicators = await ioc.db.selectFrom('indicators').select(['id', 'code', 'owner_id', 'visibility']).orderBy('id').execute();
    const agencies = await reference.db.selectFrom('agencies').select(['id', 'code']).orderBy('id').execute();
    const codeOf = new Map(agencies.map((a: { id: number; code: string }) => [a.id, a.code]));
    const pub = indicators.find((i: { visibility: string }) => i.visibility === 'PUBLIC')!;
    const internal = indicators.find((i: { visibility: string }) => i.visibility === 'INTERNAL')!;
    publicIndicator = { id: pub.id, code: pub.code };
    internalIndicator = { id: internal.id, code: internal.code, ownerId: internal.owner_id, ownerCode: codeOf.get(internal.owner_id)! };
    otherAgency = agencies.find((a: { id: number }) => a.id !== internal.owner_id && !indicators.some((i: { owner_id: number; visibility: string }) => i.owner_id === a.id && i.visibility === 'INTERNAL'))!.code;
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.dispose()));
    await gw?.close();
  });

  it('events carry no personal data: no type reachable from Subscription has a personal field', async () => {
    const schema: GraphQLSchema = await buildGatewaySchema();
    const root = schema.getSubscriptionType()!;
    expect(Object.keys(root.getFields()).sort()).toEqual(['dossierStatisticsChanged', 'observationAdded']);
    const seen = new Set<string>();
    const personal: string[] = [];
    const visit = (typeName: string) => {
      if (seen.has(typeName)) return;
      seen.add(typeName);
      const type = schema.getType(typeName);
      if (!isObjectType(type)) return;
      for (const field of Object.values(type.getFields())) {
        if (field.extensions?.[PERSONAL_FIELD]) personal.push(`${typeName}.${field.name}`);
        visit(getNamedType(field.type).name);
      }
    };
    visit(root.name);
    // The walk reached the payload types and their relations.
    expect([...seen]).toEqual(expect.arrayContaining(['Observation', 'Indicator', 'Agency', 'AdministrativeUnit', 'DossierStatistics', 'DossierGroupRates']));
    expect(personal).toEqual([]);
    // And the same walk over Query does find the personal fields (the check can fail).
    seen.clear();
    visit(schema.getQueryType()!.name);
    expect(personal.length).toBeGreaterThan(0);
  });

  it('an inserted observation reaches the subscriber; the row scope keeps an internal indicator from another agency', async () => {
    const owner = await connect('officer', { agency: internalIndicator.ownerCode, subject: `owner-${randomBytes(3).toString('hex')}` });
    const other = await connect('officer', { agency: otherAgency, subject: `other-${randomBytes(3).toString('hex')}` });
    const mine = owner.subscribe(LiveObservationsDocument, {});
    const theirs = other.subscribe(LiveObservationsDocument, {});
    const onlyInternal = owner.subscribe(LiveObservationsDocument, { indicatorCode: internalIndicator.code });
    await warmUp([mine, theirs]);

    const hidden = await insertObservation(internalIndicator.id);
    const visible = await insertObservation(publicIndicator.id);

    const ownerGot = [await next(mine), await next(mine)].map((e) => e.data?.observationAdded);
    expect(ownerGot.map((o) => o?.id)).toEqual([hidden, visible]);
    expect(ownerGot[0]?.indicator?.code).toBe(internalIndicator.code);
    // The other agency's officer gets the public one next: the internal one never came.
    const otherGot = await next(theirs);
    expect(otherGot.data?.observationAdded.id).toBe(visible);
    // Filtered by indicator: the internal one only (not the warm-up or public ones).
    expect((await next(onlyInternal)).data?.observationAdded.id).toBe(hidden);

    // One listening connection for the ioc source, and per notice one fetch per distinct scope (two officers: two scopes).
    expect(gw.gateway.subscriptions.notifications.connectionCount).toBeGreaterThanOrEqual(1);
    const stats = observationFeedStats(gw.gateway.subscriptions.notifications)!;
    expect(stats.scopedFetches).toBeLessThanOrEqual(stats.notices * 2);
    await Promise.all([mine.return!(), theirs.return!(), onlyInternal.return!()]);
  }, 120_000);

  it.runIf(TEST_BACKEND === 'postgres')('a lost listening connection is opened again: events flow after the server ended it', async () => {
    const client = await connect('admin', { subject: `relisten-${randomBytes(3).toString('hex')}` });
    const it = client.subscribe(LiveObservationsDocument, { indicatorCode: publicIndicator.code });
    await warmUp([it]);
    const { ioc } = gw.databases.connections.sources;
    // The server ends the gateway's LISTEN session (as a restart or a failover would).
    const { rows } = await sql<{ ended: boolean }>`select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = current_database() and query ilike 'listen %'`.execute(ioc.db);
    expect(rows.map((r) => r.ended)).toEqual([true]);
    await warmUp([it]);
    const id = await insertObservation(publicIndicator.id);
    expect((await next(it)).data?.observationAdded.id).toBe(id);
    await it.return!();
  }, 120_000);

  it('an observation of a hidden indicator cannot be asked for by code (NOT_FOUND, as a missing one)', async () => {
    const other = await connect('officer', { agency: otherAgency, subject: `nf-${randomBytes(3).toString('hex')}` });
    const it = other.subscribe(LiveObservationsDocument, { indicatorCode: internalIndicator.code });
    // graphql-js answers a refused subscription with one result carrying the error, then completes.
    const got = await next(it);
    expect(got.data ?? null).toBeNull();
    expect(got.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(await it.next()).toEqual({ done: true, value: undefined });
  }, 60_000);

  describe('dossier statistics of a filter', () => {
    // One Đà Nẵng day no seeded dossier falls on: only this test's dossiers are counted.
    const from = '2031-03-04T00:00:00+07:00';
    const to = '2031-03-05T00:00:00+07:00';
    let agency: { id: number; code: string };
    let procedureId: number;

    beforeAll(async () => {
      const { services, reference } = gw.databases.connections.sources;
      const procedure = await services.db.selectFrom('procedures').select(['id', 'agency_id']).orderBy('id').executeTakeFirstOrThrow();
      procedureId = procedure.id;
      const row = await reference.db.selectFrom('agencies').select(['id', 'code']).where('id', '=', procedure.agency_id).executeTakeFirstOrThrow();
      agency = { id: row.id, code: row.code };
    });

    const insertDossiers = async (n: number) => {
      const ward = await gw.databases.connections.sources.reference.db.selectFrom('administrative_units').select('id').where('parent_id', 'is not', null).executeTakeFirstOrThrow();
      const tag = randomBytes(4).toString('hex');
      await gw.databases.connections.sources.services.db
        .insertInto('dossiers')
        .values(
          Array.from({ length: n }, (_, i) => ({
            code: `LIVE-${tag}-${i}`,
            procedure_id: procedureId,
            agency_id: agency.id,
            applicant_kind: 'CITIZEN',
            applicant_id: 1,
            channel: 'ONLINE',
            status: 'RECEIVED',
            submitted_at: new Date('2031-03-04T09:00:00+07:00'),
            due_at: new Date('2031-03-14T09:00:00+07:00'),
            completed_at: null,
            ward_id: ward.id,
          })),
        )
        .execute();
    };
    type StatsEvent = { data?: { dossierStatisticsChanged: { totals: { total: number; online: number } } | null } | null; errors?: Array<{ extensions?: { code?: string } }> };

    it('the small-cell rule holds per event; the figures follow the inserts; one recomputation per filter and scope', async () => {
      const filter = { from, to, agencyId: toGlobalId('Agency', agency.id) };
      const officerA = await connect('officer', { agency: agency.code, subject: `stats-a-${randomBytes(3).toString('hex')}` });
      const officerB = await connect('officer', { agency: agency.code, subject: `stats-b-${randomBytes(3).toString('hex')}` });
      const analyst = await connect('analyst', { subject: `stats-analyst-${randomBytes(3).toString('hex')}` });
      const a = officerA.subscribe(LiveDossierStatisticsDocument, { filter }) as Iter<StatsEvent>;
      const b = officerB.subscribe(LiveDossierStatisticsDocument, { filter }) as Iter<StatsEvent>;
      const c = analyst.subscribe(LiveDossierStatisticsDocument, { filter }) as Iter<StatsEvent>;

      // Now: no dossier that day, under the minimum: FORBIDDEN for every one of them, no figures.
      for (const it of [a, b, c]) {
        const first = await next(it);
        expect(first.data?.dossierStatisticsChanged ?? null).toBeNull();
        expect(first.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      }
      const stats = statisticsFeedStats(gw.gateway.subscriptions.notifications)!;
      const before = stats.recomputations;

      // Two dossiers: still under the minimum (5): recomputed, unchanged, nothing is sent.
      await insertDossiers(2);
      // Three more in one statement: 5, the figures are sent.
      await new Promise((resolve) => setTimeout(resolve, 600));
      await insertDossiers(3);
      for (const it of [a, b, c]) {
        const event = await next(it);
        expect(event.errors).toBeUndefined();
        expect(event.data?.dossierStatisticsChanged?.totals).toMatchObject({ total: 5, online: 5 });
      }
      // Two distinct filter+scope pairs (the officers share one, the analyst has all agencies):
      // each change window recomputed each once, never per subscriber (3).
      const runs = stats.recomputations - before;
      expect(runs % 2).toBe(0);
      expect(runs).toBeGreaterThanOrEqual(2);
      expect(runs).toBeLessThanOrEqual(4);
      await Promise.all([a.return!(), b.return!(), c.return!()]);
    }, 120_000);

    it('a citizen is refused the figures (FORBIDDEN), as by the query', async () => {
      const citizen = gatewaySubscriptions({ url: gw.url, token: await token('citizen', { citizenId: '048000000001' }), webSocketImpl: WebSocket });
      clients.push(citizen);
      const it = citizen.subscribe(LiveDossierStatisticsDocument, { filter: { from, to } });
      const got = await next(it);
      expect(got.data ?? null).toBeNull();
      expect(got.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }, 60_000);
  });

  it('a connection without a token, or with a forged one, is refused with 4401 and the reason', async () => {
    // A plain graphql-ws client with an empty connection_init.
    const anonymous = createClient({ url: gw.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const none = await anonymous
      .iterate({ query: 'subscription { observationAdded { id } }' })
      .next()
      .then(
        () => ({ code: 0, reason: 'answered' }),
        (error: { code: number; reason: string }) => error,
      );
    await anonymous.dispose();
    expect({ code: none.code, reason: none.reason }).toEqual({ code: 4401, reason: 'UNAUTHENTICATED: connection_init needs {"Authorization": "Bearer <JWT>"}' });

    const empty = gatewaySubscriptions({ url: gw.url, token: '', webSocketImpl: WebSocket });
    clients.push(empty);
    const blank = await outcome(empty.subscribe(LiveObservationsDocument, {}));
    expect(blank.error).toBeInstanceOf(SubscriptionClosedError);
    expect((blank.error as SubscriptionClosedError).code).toBe(4401);
    expect((blank.error as SubscriptionClosedError).reason).toBe('UNAUTHENTICATED: The Authorization header must be "Bearer <JWT>"');

    const forged = (await token('admin')).replace(/\.[^.]+$/, '.AAAA');
    const bad = gatewaySubscriptions({ url: gw.url, token: forged, webSocketImpl: WebSocket });
    clients.push(bad);
    const refused = await outcome(bad.subscribe(LiveObservationsDocument, {}));
    expect((refused.error as SubscriptionClosedError).code).toBe(4401);
    expect((refused.error as SubscriptionClosedError).reason).toMatch(/^UNAUTHENTICATED: The token's signature does not verify/);
  }, 60_000);

  it('the typed client sends a document by its manifest hash alone, and its text once more only when the hash is unknown', async () => {
    const client = await connect('admin');
    const filter = { from: '2031-03-04T00:00:00+07:00', to: '2031-03-05T00:00:00+07:00' };
    // Known hash, no text: the gateway runs the manifest's document.
    const raw = client.client.iterate({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(LiveDossierStatisticsDocument) } }, variables: { filter } });
    expect(((await raw.next()).value as { data?: { dossierStatisticsChanged: unknown } }).data?.dossierStatisticsChanged).toBeTruthy();
    await raw.return!();
    // Unknown hash alone: PERSISTED_QUERY_NOT_FOUND ...
    const unknown = 'f'.repeat(64);
    const byHash = client.client.iterate({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: unknown } } });
    await expect(byHash.next()).rejects.toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'PERSISTED_QUERY_NOT_FOUND' }) })]);
    // ... which the typed client answers by sending the text (a development gateway runs it).
    const stale = { ...LiveDossierStatisticsDocument, __meta__: { hash: unknown } } as typeof LiveDossierStatisticsDocument;
    expect((await next(client.subscribe(stale, { filter }))).data?.dossierStatisticsChanged).toBeTruthy();
  }, 60_000);

  it('queries are not served over WebSocket (BAD_USER_INPUT): they go over HTTP', async () => {
    const client = await connect('admin');
    const it = client.client.iterate({ query: '{ indicators(first: 1) { totalCount } }' });
    await expect(it.next()).rejects.toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
  }, 60_000);

  it('limits subscriptions per subject (SUBSCRIPTIONS_PER_SUBJECT=3), across connections; a completed one frees its place', async () => {
    const subject = `limit-${randomBytes(3).toString('hex')}`;
    const first = await connect('admin', { subject });
    const second = await connect('admin', { subject });
    const filter = { from: '2031-03-04T00:00:00+07:00', to: '2031-03-05T00:00:00+07:00' };
    const open = [first.subscribe(LiveDossierStatisticsDocument, { filter }), first.subscribe(LiveDossierStatisticsDocument, { filter }), second.subscribe(LiveDossierStatisticsDocument, { filter })];
    // Each answers its figures now: all three are open.
    for (const it of open) expect((await next(it)).data?.dossierStatisticsChanged).toBeTruthy();
    expect(gw.gateway.subscriptions.open).toBeGreaterThanOrEqual(3);

    const fourth = await outcome(second.subscribe(LiveDossierStatisticsDocument, { filter }));
    expect((fourth.error as GatewayRequestError).codes).toEqual(['QUERY_TOO_COMPLEX']);
    expect((fourth.error as GatewayRequestError).errors[0]?.extensions?.reason).toBe('SUBSCRIPTION_LIMIT');

    // Another subject is not limited by this one.
    const someoneElse = await connect('admin', { subject: `${subject}-2` });
    expect((await next(someoneElse.subscribe(LiveDossierStatisticsDocument, { filter }))).data?.dossierStatisticsChanged).toBeTruthy();

    await open[0]!.return!();
    // The completion reaches the gateway asynchronously: retry until the place is free.
    let again: { value?: unknown; error?: unknown } = {};
    for (let attempt = 0; attempt < 20; attempt++) {
      again = await outcome(first.subscribe(LiveDossierStatisticsDocument, { filter }));
      if (again.value) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(again.value).toBeTruthy();
  }, 120_000);
});

describe('shutdown', () => {
  it('closing the gateway (what SIGTERM does: src/cli/start.ts) closes subscribers with 1001 within the drain', async () => {
    const gw = await startTestGateway('tiny');
    try {
      const client = gatewaySubscriptions({ url: gw.url, token: (await as('admin', { auth: gw.databases.config.auth })).authorization!.replace(/^Bearer /, ''), webSocketImpl: WebSocket });
      const it = client.subscribe(LiveDossierStatisticsDocument, {});
      expect((await next(it)).data?.dossierStatisticsChanged).toBeTruthy();
      const started = Date.now();
      const closing = gw.gateway.close({ deadlineMs: 10_000 });
      const got = await outcome(it);
      await closing;
      expect(got.error).toBeInstanceOf(SubscriptionClosedError);
      expect((got.error as SubscriptionClosedError).code).toBe(1001);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(gw.gateway.subscriptions.connections).toBe(0);
      expect(gw.gateway.subscriptions.notifications.connectionCount).toBe(0);
      await client.dispose();
    } finally {
      await gw.databases.close();
    }
  }, 120_000);
});

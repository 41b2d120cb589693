import { Arg, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { notFound } from '../../../platform/errors.js';
import { optionalGlobalId } from '../../../platform/relay/global-id.js';
import { idsOf, liveOf, pushQueue, type ChangeNotice, type LiveFeeds, type SourceNotifications } from '../../../platform/db/notifications.js';
import type { IndicatorRow, ObservationRow } from '../db/index.js';
import { indicatorRowScope, isIndicatorInScope, type IndicatorRowScope } from '../scope.js';
import { Observation } from './observation.type.js';

type LiveContext = GraphContext & { live?: LiveFeeds<GraphContext> };

interface ObservationArgs {
  indicatorCode?: string | null;
  ownerId?: string | null;
}

/** One subscriber: its row scope (applied in SQL) and its optional indicator or owner. */
interface Subscriber {
  scope: IndicatorRowScope;
  indicatorId: number | null;
  ownerId: number | null;
  push(row: ObservationRow): void;
}

/** Statements per notice: one per distinct row scope among the subscribers, plus one for the indicators' owners. */
export interface ObservationFeedStats {
  notices: number;
  scopedFetches: number;
}

/**
 * The new observations of the gateway's one `ioc` listener, fanned out to its subscribers: per
 * notice, the rows are read once per distinct row scope (in SQL, as `node(id)` reads them), never
 * once per subscriber.
 */
class ObservationFeed {
  private readonly subscribers = new Set<Subscriber>();
  private unlisten: Promise<() => void> | undefined;
  readonly stats: ObservationFeedStats = { notices: 0, scopedFetches: 0 };
  /** The last notice's delivery: the next waits for it. */
  private delivered: Promise<void> = Promise.resolve();

  constructor(
    private readonly notifications: SourceNotifications,
    private readonly repos: () => GraphContext['repos'],
  ) {}

  async add(subscriber: Subscriber): Promise<() => void> {
    this.subscribers.add(subscriber);
    // A notice whose rows cannot be read (the ioc source down) is dropped: its observations are
    // not replayed later, as for a lost listening connection (README, Live dashboard).
    // One notice after the other: each reads its rows asynchronously, and a later insert's
    // observations must not overtake an earlier one's on their way to a subscriber.
    this.unlisten ??= this.notifications.on('ioc', (notice) => {
      this.delivered = this.delivered.then(() => this.onNotice(notice)).catch(() => undefined);
    });
    try {
      await this.unlisten;
    } catch (error) {
      this.subscribers.delete(subscriber);
      this.unlisten = undefined;
      throw error;
    }
    return () => {
      this.subscribers.delete(subscriber);
    };
  }

  private async onNotice(notice: ChangeNotice | null): Promise<void> {
    // Only inserts are new observations (a corrected value is not a new one); a lost connection's
    // missed inserts are not replayed.
    if (!notice || notice.table !== 'observations' || notice.op !== 'INSERT' || this.subscribers.size === 0) return;
    this.stats.notices += 1;
    const ids = idsOf(notice);
    const repos = this.repos();
    const byScope = new Map<string, { scope: IndicatorRowScope; subscribers: Subscriber[] }>();
    for (const subscriber of this.subscribers) {
      const key = JSON.stringify(subscriber.scope);
      const group = byScope.get(key) ?? { scope: subscriber.scope, subscribers: [] };
      group.subscribers.push(subscriber);
      byScope.set(key, group);
    }
    const owners = new Map<number, number>();
    if ([...this.subscribers].some((s) => s.ownerId !== null)) {
      const rows = await repos.ioc.observations.findByIds(ids);
      const indicators: IndicatorRow[] = await repos.ioc.indicators.findByIds([...new Set(rows.map((r) => r.indicator_id))]);
      for (const indicator of indicators) owners.set(indicator.id, indicator.owner_id);
    }
    await Promise.all(
      [...byScope.values()].map(async ({ scope, subscribers }) => {
        this.stats.scopedFetches += 1;
        const rows = (await repos.ioc.observations.findByIdsInScope(ids, scope)).sort((a, b) => Number(a.id) - Number(b.id));
        for (const row of rows) {
          for (const s of subscribers) {
            if (s.indicatorId !== null && row.indicator_id !== s.indicatorId) continue;
            if (s.ownerId !== null && owners.get(row.indicator_id) !== s.ownerId) continue;
            s.push(row);
          }
        }
      }),
    );
  }
}

/** One feed per gateway (per its notifications), shared by every subscriber. */
const feeds = new WeakMap<SourceNotifications, ObservationFeed>();

/** The feed of a gateway, for tests that count its statements. */
export function observationFeedStats(notifications: SourceNotifications): ObservationFeedStats | undefined {
  return feeds.get(notifications)?.stats;
}

async function observationEvents({ args, context }: SubscribeResolverData<unknown, ObservationArgs, LiveContext>): Promise<AsyncIterable<ObservationRow>> {
  const live = liveOf(context);
  const scope = await indicatorRowScope(context);
  let indicatorId: number | null = null;
  if (args.indicatorCode != null) {
    const row = await context.loaders.ioc.indicatorByCode.load(args.indicatorCode);
    // A hidden indicator answers as a missing one.
    if (!row || !isIndicatorInScope(row, scope)) throw notFound(`No indicator has the code ${args.indicatorCode}`);
    indicatorId = row.id;
  }
  const ownerId = optionalGlobalId(args.ownerId, 'Agency', 'ownerId') ?? null;
  let feed = feeds.get(live.notifications);
  if (!feed) {
    feed = new ObservationFeed(live.notifications, () => live.fresh().repos);
    feeds.set(live.notifications, feed);
  }
  // The queue ends (client completes, socket closes) before or after the feed has taken it.
  const registration: { remove?: () => void } = {};
  const queue = pushQueue<ObservationRow>(() => registration.remove?.());
  registration.remove = await feed.add({ scope, indicatorId, ownerId, push: (row) => queue.push(row) });
  return queue.iterator;
}

@Resolver()
export class ObservationSubscriptionResolver {
  @Subscription(() => Observation, {
    description:
      'New indicator observations as the IOC records them (WebSocket, graphql-ws, at /graphql): the same indicators as `indicators` shows the caller (public ones, and internal ones of the own agency for officers).',
    subscribe: observationEvents,
  })
  observationAdded(
    @Root() row: ObservationRow,
    @Arg('indicatorCode', () => String, { nullable: true, description: 'Only the observations of this indicator (its code).' }) _indicatorCode: string | null,
    @Arg('ownerId', () => ID, { nullable: true, description: 'Only the observations of the indicators of this agency (global id of an Agency).' }) _ownerId: string | null,
  ): Observation {
    return Observation.from(row);
  }
}

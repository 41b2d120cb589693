import { GraphQLError } from 'graphql';
import { Arg, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { GraphContext } from '../../context.js';
import { gatewayError } from '../../../platform/errors.js';
import { liveOf, pushQueue, type ChangeNotice, type LiveFeeds, type SourceNotifications } from '../../../platform/db/notifications.js';
import { statisticsAgencyScope } from '../scope.js';
import { DossierStatisticsResolver } from './dossier-statistics.resolver.js';
import { DossierStatistics } from './dossier-statistics.type.js';
import { DossierDimension } from './services.enums.js';
import { DossierStatisticsFilter } from './services.inputs.js';

type LiveContext = GraphContext & { live?: LiveFeeds<GraphContext> };

interface StatisticsArgs {
  filter?: DossierStatisticsFilter | null;
  groupBy?: DossierDimension[] | null;
}

/** A recomputation's outcome: the figures, or the error the query would answer (the small-cell rule's FORBIDDEN). */
type StatisticsEvent = { statistics: DossierStatistics } | { error: GraphQLError };

/** Changes within this window are counted in one recomputation (a bulk load is one, not thousands). */
export const STATISTICS_DEBOUNCE_MS = 150;

/** Of a gateway: how many recomputations ran (one per distinct filter and scope per change, whatever the subscribers). */
export interface StatisticsFeedStats {
  recomputations: number;
}

/**
 * The figures of one filter within one scope (the caller's agencies and small-cell protection),
 * shared by every subscriber with the same: computed by the `dossierStatistics` query's own
 * resolver (its scope, its small-cell rule, whatever table it reads), once per change.
 */
class StatisticsFeed {
  readonly subscribers = new Set<(event: StatisticsEvent) => void>();
  private last: { event: StatisticsEvent; json: string } | undefined;
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly args: StatisticsArgs,
    /** A fresh context of the first subscriber (same scope as every other: the feed's key says so). */
    private readonly fresh: () => GraphContext,
    private readonly stats: StatisticsFeedStats,
  ) {}

  /** The figures now, for a new subscriber: the shared last ones once computed. */
  async current(): Promise<StatisticsEvent> {
    if (!this.last) await this.recompute();
    return this.last!.event;
  }

  /** Recomputes (one at a time; a change during a run asks for one more run) and tells subscribers when the figures changed. */
  recompute(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        const event = await this.compute();
        const json = JSON.stringify('error' in event ? { error: event.error.message } : event.statistics);
        const changed = this.last !== undefined && this.last.json !== json;
        this.last = { event, json };
        if (changed) for (const tell of [...this.subscribers]) tell(event);
      } while (this.again);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async compute(): Promise<StatisticsEvent> {
    this.stats.recomputations += 1;
    try {
      const statistics = await new DossierStatisticsResolver().dossierStatistics(this.args.filter ?? null, this.args.groupBy ?? [], this.fresh());
      return { statistics };
    } catch (error) {
      // The query's own refusals (FORBIDDEN, BAD_USER_INPUT) go to the subscriber as they are; anything else is masked by the server.
      return { error: error instanceof GraphQLError ? error : gatewayError('INTERNAL_SERVER_ERROR', 'Internal server error') };
    }
  }
}

/** A gateway's statistics feeds (by filter and scope) and its one `services` listener. */
class StatisticsFeeds {
  readonly byKey = new Map<string, StatisticsFeed>();
  readonly stats: StatisticsFeedStats = { recomputations: 0 };
  private unlisten: Promise<() => void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly notifications: SourceNotifications) {}

  listen(): Promise<() => void> {
    this.unlisten ??= this.notifications.on('services', (notice) => this.onNotice(notice));
    this.unlisten.catch(() => {
      this.unlisten = undefined;
    });
    return this.unlisten;
  }

  private onNotice(notice: ChangeNotice | null): void {
    if (notice && notice.table !== 'dossiers') return;
    // Debounced: one recomputation per feed for the changes of one window.
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      for (const feed of this.byKey.values()) void feed.recompute();
    }, STATISTICS_DEBOUNCE_MS);
    this.timer.unref();
  }
}

const gateways = new WeakMap<SourceNotifications, StatisticsFeeds>();

/** The recomputations of a gateway's statistics feeds, for tests. */
export function statisticsFeedStats(notifications: SourceNotifications): StatisticsFeedStats | undefined {
  return gateways.get(notifications)?.stats;
}

/** What makes two subscriptions' figures the same: the arguments and the caller's scope. */
function feedKey(args: StatisticsArgs, agencyIds: number[] | undefined, minimumCell: number | null): string {
  const filter = args.filter ?? {};
  return JSON.stringify({
    from: filter.from?.toISOString() ?? null,
    to: filter.to?.toISOString() ?? null,
    agencyId: filter.agencyId ?? null,
    procedureId: filter.procedureId ?? null,
    groupBy: args.groupBy ?? [],
    agencyIds: agencyIds ?? null,
    minimumCell,
  });
}

async function statisticsEvents({ args, context }: SubscribeResolverData<unknown, StatisticsArgs, LiveContext>): Promise<AsyncIterable<StatisticsEvent>> {
  const live = liveOf(context);
  const agencyIds = await statisticsAgencyScope(context);
  if (agencyIds === null) throw gatewayError('FORBIDDEN', 'Dossier statistics are for analysts, admins and officers (their own agency)');
  let feeds = gateways.get(live.notifications);
  if (!feeds) {
    feeds = new StatisticsFeeds(live.notifications);
    gateways.set(live.notifications, feeds);
  }
  await feeds.listen();
  const key = feedKey(args, agencyIds, context.access.statisticsProtection()?.minimumCell ?? null);
  let feed = feeds.byKey.get(key);
  if (!feed) {
    feed = new StatisticsFeed(args, live.fresh, feeds.stats);
    feeds.byKey.set(key, feed);
  }
  const shared = feed;
  const registry = feeds;
  const tell = (event: StatisticsEvent) => queue.push(event);
  const queue = pushQueue<StatisticsEvent>(() => {
    shared.subscribers.delete(tell);
    if (shared.subscribers.size === 0 && registry.byKey.get(key) === shared) registry.byKey.delete(key);
  });
  shared.subscribers.add(tell);
  // The figures as they are now, then as they change.
  queue.push(await shared.current());
  return queue.iterator;
}

@Resolver()
export class DossierStatisticsSubscriptionResolver {
  @Subscription(() => DossierStatistics, {
    nullable: true,
    description:
      'The figures of `dossierStatistics` for the same arguments (WebSocket, graphql-ws, at /graphql): now, and again whenever dossiers are added or change them. The same scope and the same small-cell rule as the query: a change that brings the figures under the minimum answers FORBIDDEN for that event.',
    subscribe: statisticsEvents,
  })
  dossierStatisticsChanged(
    @Root() event: StatisticsEvent,
    @Arg('filter', () => DossierStatisticsFilter, { nullable: true, description: 'Which dossiers to count; all of them in the caller’s scope when absent.' }) _filter: DossierStatisticsFilter | null,
    @Arg('groupBy', () => [DossierDimension], { nullable: true, defaultValue: [], description: 'Dimensions to group by; none (totals only) when null or absent.' })
    _groupBy: DossierDimension[] | null,
  ): DossierStatistics {
    if ('error' in event) throw event.error;
    return event.statistics;
  }
}

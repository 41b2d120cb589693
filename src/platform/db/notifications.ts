import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { badUserInput } from '../errors.js';
import type { SourceName } from './source-names.js';
import type { Connections } from './connection.js';

/**
 * Change notifications from the sources (PostgreSQL LISTEN/NOTIFY), for the gateway's
 * subscriptions: a source's migration adds statement-level triggers that send one NOTIFY per
 * INSERT or UPDATE statement on a table (`notifyChanges`); the gateway holds ONE listening
 * connection per source, whatever the number of subscribers, and fans the notices out in
 * process (`SourceNotifications`).
 *
 * Embedded (PGlite): the triggers' NOTIFY is delivered by the same instance (`PGlite.listen`),
 * and since one process owns an embedded folder, every write to it is seen: no poll is needed.
 */

/** The channel a source's triggers notify on: one per source, so that sources may share a database. */
export const changeChannel = (schema: string): string => `${schema}_changes`;

/** Above this many rows a statement's notice carries the id range only (NOTIFY payloads stop at 8000 bytes). */
export const MAX_IDS_PER_NOTICE = 500;

/** What one INSERT or UPDATE statement changed in a table. */
export interface ChangeNotice {
  table: string;
  op: 'INSERT' | 'UPDATE';
  count: number;
  /** The rows' ids; null when there were more than MAX_IDS_PER_NOTICE (then see minId, maxId). */
  ids: number[] | null;
  minId: number | null;
  maxId: number | null;
}

/**
 * A notice, or null when notices may have been missed (the listening connection was lost and is
 * back): listeners that keep a derived state recompute it.
 */
export type ChangeListener = (notice: ChangeNotice | null) => void;

/**
 * Migration step: a trigger function in the source's schema and, per table, an AFTER INSERT and
 * an AFTER UPDATE statement-level trigger (transition tables allow one event per trigger) that
 * send the statement's row ids on the source's channel. Statement-level: a bulk load of a
 * million rows sends one notice per statement, not a million.
 */
export async function notifyChanges(root: Kysely<unknown>, schema: string, tables: readonly string[]): Promise<void> {
  const fn = sql.id(schema, 'notify_change');
  await sql`
    create or replace function ${fn}() returns trigger language plpgsql as $$
    declare
      n bigint;
      lo bigint;
      hi bigint;
      ids json;
    begin
      select count(*), min(id), max(id) into n, lo, hi from changed_rows;
      if n = 0 then return null; end if;
      if n <= ${sql.lit(MAX_IDS_PER_NOTICE)} then select json_agg(id order by id) into ids from changed_rows; end if;
      perform pg_notify(${sql.lit(changeChannel(schema))}, json_build_object('table', tg_table_name, 'op', tg_op, 'count', n, 'ids', ids, 'minId', lo, 'maxId', hi)::text);
      return null;
    end $$`.execute(root);
  for (const table of tables) {
    for (const op of ['insert', 'update'] as const) {
      await sql`
        create trigger ${sql.id(`${table}_notify_${op}`)} after ${sql.raw(op)} on ${sql.id(schema, table)}
        referencing new table as changed_rows for each statement execute function ${fn}()`.execute(root);
    }
  }
}

/** The ids a notice names (the whole range when it carries only the range). */
export function idsOf(notice: ChangeNotice): number[] {
  if (notice.ids) return notice.ids;
  if (notice.minId === null || notice.maxId === null) return [];
  return Array.from({ length: notice.maxId - notice.minId + 1 }, (_, i) => notice.minId! + i);
}

function parseNotice(payload: string | undefined): ChangeNotice | undefined {
  if (!payload) return undefined;
  try {
    const value = JSON.parse(payload) as Partial<ChangeNotice>;
    if (typeof value.table !== 'string' || (value.op !== 'INSERT' && value.op !== 'UPDATE')) return undefined;
    const number = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return {
      table: value.table,
      op: value.op,
      count: Number(value.count ?? 0),
      ids: Array.isArray(value.ids) ? value.ids.map(Number) : null,
      minId: number(value.minId),
      maxId: number(value.maxId),
    };
  } catch {
    return undefined;
  }
}

/** One listening connection: started once, stopped once. */
interface Listening {
  stop(): Promise<void>;
}

type StartListening = (source: SourceName, channel: string, deliver: (payload: string | undefined) => void, resync: () => void) => Promise<Listening>;

export interface NotificationsOptions {
  /** Waits between attempts to listen again after the connection was lost (server only). */
  reconnectMs?: number;
  /** Told when a listening connection is lost or cannot be opened (the gateway's log). */
  onProblem?: (source: SourceName, error: unknown) => void;
}

/**
 * The gateway's listening connections, one per source that has listeners, opened with its first
 * listener and kept until `close()`.
 */
export class SourceNotifications {
  private readonly listeners = new Map<SourceName, Set<ChangeListener>>();
  private readonly listening = new Map<SourceName, Promise<Listening>>();
  private closed = false;

  constructor(
    private readonly connections: Connections,
    /** The primary's URL of each source on a server (NOTIFY is not sent to read replicas' listeners). */
    private readonly urls: Partial<Record<SourceName, string>>,
    private readonly options: NotificationsOptions = {},
  ) {}

  /** Listens to a source's changes; resolves once its LISTEN is in force. Returns the unsubscribe. */
  async on(source: SourceName, listener: ChangeListener): Promise<() => void> {
    if (this.closed) throw new Error('notifications are closed');
    let set = this.listeners.get(source);
    if (!set) {
      set = new Set();
      this.listeners.set(source, set);
    }
    set.add(listener);
    const unsubscribe = () => {
      set.delete(listener);
    };
    try {
      await this.listen(source);
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  /** Number of listening connections (one per source with listeners, never one per subscriber). */
  get connectionCount(): number {
    return this.listening.size;
  }

  private listen(source: SourceName): Promise<Listening> {
    let started = this.listening.get(source);
    if (!started) {
      const channel = changeChannel(this.connections.sources[source].schema);
      const deliver = (payload: string | undefined) => {
        const notice = parseNotice(payload);
        if (notice) this.fanOut(source, notice);
      };
      started = this.start(source, channel, deliver, () => this.fanOut(source, null));
      // A failed start is not kept: the next subscriber tries again.
      started.catch(() => this.listening.delete(source));
      this.listening.set(source, started);
    }
    return started;
  }

  private fanOut(source: SourceName, notice: ChangeNotice | null): void {
    for (const listener of [...(this.listeners.get(source) ?? [])]) {
      try {
        listener(notice);
      } catch (error) {
        this.options.onProblem?.(source, error);
      }
    }
  }

  private readonly start: StartListening = async (source, channel, deliver, resync) => {
    const connection = this.connections.sources[source];
    if (connection.embedded) return listenEmbedded(connection.root, channel, deliver);
    const url = this.urls[source];
    if (!url) throw new Error(`no connection URL for ${source}`);
    return listenOnServer(url, channel, deliver, resync, { ...this.options, source, isClosed: () => this.closed });
  };

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.listening.values()];
    this.listening.clear();
    this.listeners.clear();
    await Promise.allSettled(all.map(async (started) => (await started).stop()));
  }
}

interface PGliteLike {
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

/**
 * Embedded: PGlite's own listen(), on the instance behind the source's driver (kysely-pglite-
 * dialect's connection holds it as `client`; the connection is given back at once).
 */
async function listenEmbedded(root: Kysely<unknown>, channel: string, deliver: (payload: string | undefined) => void): Promise<Listening> {
  const client = await root.getExecutor().provideConnection(async (connection) => (connection as unknown as { client?: PGliteLike }).client);
  if (!client || typeof client.listen !== 'function') throw new Error('the embedded driver does not expose PGlite');
  const unlisten = await client.listen(channel, (payload) => deliver(payload));
  return { stop: () => unlisten() };
}

/** A server: one dedicated `pg` client (not from the pool: LISTEN lasts as long as its session), reopened when lost. */
async function listenOnServer(
  url: string,
  channel: string,
  deliver: (payload: string | undefined) => void,
  resync: () => void,
  options: NotificationsOptions & { source: SourceName; isClosed: () => boolean },
): Promise<Listening> {
  let client: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const open = async (): Promise<pg.Client> => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      if (message.channel === channel) deliver(message.payload);
    });
    // Lost (server restart, network): listen again, and tell the listeners they may have missed notices.
    const lost = (error?: unknown) => {
      if (client !== next || stopped || options.isClosed()) return;
      client = undefined;
      options.onProblem?.(options.source, error ?? new Error('listening connection ended'));
      void next.end().catch(() => undefined);
      reopen();
    };
    // Before connecting: an error event with no listener would end the process.
    next.on('error', lost);
    next.on('end', () => lost());
    try {
      await next.connect();
      await next.query(`listen ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      void next.end().catch(() => undefined);
      throw error;
    }
    return next;
  };
  const reopen = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      open()
        .then((next) => {
          if (stopped) return void next.end().catch(() => undefined);
          client = next;
          resync();
        })
        .catch((error: unknown) => {
          options.onProblem?.(options.source, error);
          if (!stopped) reopen();
        });
    }, options.reconnectMs ?? 1_000);
    timer.unref();
  };
  client = await open();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      const last = client;
      client = undefined;
      await last?.end().catch(() => undefined);
    },
  };
}

/** What a subscription's resolvers get on their context: the change feed and fresh contexts. */
export interface LiveFeeds<TContext> {
  notifications: SourceNotifications;
  /** A new request context for the same caller (fresh loaders, a new "now"), per event or recomputation. */
  fresh(): TContext;
}

/** The subscription's live feeds; a subscription field reached any other way is refused. */
export function liveOf<TContext>(context: { live?: LiveFeeds<TContext> }): LiveFeeds<TContext> {
  if (!context.live) throw badUserInput('Subscriptions are served over WebSocket (graphql-ws) at /graphql');
  return context.live;
}

/**
 * A push queue read as an async iterator: `push` from the feed, `for await` in graphql-ws. Its
 * `return()` (the client completes, the socket closes) ends it at once, even while it waits for
 * a value (an async generator would queue the return until its next value), and runs `onEnd`.
 */
export function pushQueue<T>(onEnd: () => void): { push(value: T): void; fail(error: unknown): void; iterator: AsyncGenerator<T, void, unknown> } {
  const values: T[] = [];
  let failure: { error: unknown } | undefined;
  let waiting: { resolve(result: IteratorResult<T, void>): void; reject(error: unknown): void } | undefined;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd();
    const w = waiting;
    waiting = undefined;
    w?.resolve({ done: true, value: undefined });
  };
  const iterator = {
    next(): Promise<IteratorResult<T, void>> {
      if (values.length > 0) return Promise.resolve({ done: false, value: values.shift()! });
      if (failure) {
        const { error } = failure;
        end();
        return Promise.reject(error);
      }
      if (ended) return Promise.resolve({ done: true, value: undefined });
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    return(): Promise<IteratorResult<T, void>> {
      end();
      return Promise.resolve({ done: true, value: undefined });
    },
    throw(error: unknown): Promise<IteratorResult<T, void>> {
      end();
      return Promise.reject(error);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return {
    push(value) {
      if (ended) return;
      const w = waiting;
      waiting = undefined;
      if (w) w.resolve({ done: false, value });
      else values.push(value);
    },
    fail(error) {
      if (ended) return;
      const w = waiting;
      waiting = undefined;
      if (w) {
        end();
        w.reject(error);
      } else failure = { error };
    },
    iterator: iterator as unknown as AsyncGenerator<T, void, unknown>,
  };
}

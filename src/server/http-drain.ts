import type { Server, ServerResponse } from 'node:http';
import net, { type Socket } from 'node:net';

/**
 * How long an idle keep-alive connection stays open. Longer than any load balancer's idle
 * timeout in front of the gateway (HAProxy's `timeout http-keep-alive`, cloud balancers' 60 s),
 * so that the balancer or client, which reuses connections, is always the side that gives up on
 * one first. With Node's default (5 s, advertised to clients as `Keep-Alive: timeout=5`) a client
 * reuses a connection idle for up to about 3 s while the server drops it at 6 s: a process that
 * stalls for the difference (a loaded machine, a long synchronous stretch of embedded PGlite)
 * resets a request the client has already sent (ECONNRESET).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * While draining, a connection with no request in progress is closed once nothing has arrived on
 * it for this long. Not at once: a client that has just connected, or that got its last answer
 * a moment ago, may be sending a request right now, and closing under it loses that request.
 */
const QUIET_MS = 500;

/**
 * At least this long the listener may stay open after a drain starts, taking connections already
 * queued; at most half the drain's deadline when that is longer. libuv (Node 20) takes one queued
 * connection per turn of the event loop, and a turn on a loaded machine can last hundreds of
 * milliseconds (on embedded PGlite before its statements yielded: 38 queued connections were
 * taken one per ~0.6 s, and a fixed 1 s, then 3 s, reset the last ones: test/server/drain.test.ts).
 */
const ACCEPT_WAIT_MS = 3_000;

export interface DrainResult {
  /** Requests still unanswered at the deadline; their connections were closed. */
  cut: number;
  ms: number;
}

export interface HttpDrain {
  /**
   * From now on every response carries `Connection: close`, including those of requests already
   * running whose headers have not left: each client learns with its answer that the connection
   * ends, instead of finding it closed under its next request. drain() calls it.
   */
  startDraining(): void;
  /** Counts a request until `work` settles, even if its client went away (the access log is still written). */
  track<T>(work: T): T;
  /**
   * Stops accepting connections, then says `Connection: close` (startDraining), and waits until every request accepted has been answered and
   * has finished its work and every connection has closed (after a `Connection: close` answer,
   * or once quiet); at `deadlineMs` closes what is left.
   */
  drain(deadlineMs: number): Promise<DrainResult>;
}

interface ConnectionState {
  /** Requests on this connection whose response has not finished. */
  open: number;
  /** performance.now() of the connection, its last bytes received, or its last response. */
  lastActivity: number;
}

export function httpDrain(httpServer: Server): HttpDrain {
  httpServer.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Node's advice: the headers timeout above the keep-alive timeout.
  httpServer.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;

  let draining = false;
  const responses = new Set<ServerResponse>();
  const connections = new Map<Socket, ConnectionState>();
  let running = 0;
  let settle: (() => void) | undefined;
  const check = () => {
    if (settle && responses.size === 0 && running === 0 && connections.size === 0) settle();
  };

  let accepted = 0;
  /** Set once the drain starts: from then on every byte received counts as activity. */
  let watching = false;
  const watch = (socket: Socket, state: ConnectionState) => {
    // Bytes of a request whose headers are still incomplete count too (no 'request' event yet).
    // Only while draining: a 'data' listener takes the socket off Node's native HTTP parsing path.
    socket.on('data', () => (state.lastActivity = performance.now()));
  };
  httpServer.on('connection', (socket: Socket) => {
    accepted += 1;
    const state: ConnectionState = { open: 0, lastActivity: performance.now() };
    connections.set(socket, state);
    if (watching) watch(socket, state);
    socket.once('close', () => {
      connections.delete(socket);
      check();
    });
  });

  // Before Express: the header must be set before any handler can send its response.
  httpServer.prependListener('request', (req, res: ServerResponse) => {
    const state = connections.get(req.socket);
    if (state) state.open += 1;
    responses.add(res);
    if (draining) res.setHeader('connection', 'close');
    res.once('close', () => {
      responses.delete(res);
      if (state) {
        state.open -= 1;
        state.lastActivity = performance.now();
      }
      check();
    });
  });

  /**
   * Resolves in a check phase (setImmediate) that followed a poll phase in which no connection
   * was accepted: the kernel's accept queue was empty then. Node takes one queued connection per
   * turn of the event loop, so closing the listener right after a signal resets connections
   * (and requests sent on them) still waiting in that queue. Gives up after `waitMs` of
   * constant arrivals: a client that keeps connecting is refused then.
   */
  const acceptQueued = (waitMs: number) =>
    new Promise<void>((resolve) => {
      const until = performance.now() + waitMs;
      let seen = accepted;
      const turn = () => {
        if (accepted === seen || performance.now() > until) return resolve();
        seen = accepted;
        setImmediate(turn);
      };
      // The first turn has no poll phase behind it yet: look from the next one.
      seen = -1;
      setImmediate(turn);
    });

  /** Closes the connections with no request in progress that have been quiet for QUIET_MS. */
  const closeQuiet = () => {
    const now = performance.now();
    for (const [socket, state] of connections) {
      if (state.open === 0 && now - state.lastActivity >= QUIET_MS) socket.destroy();
    }
  };

  return {
    startDraining() {
      if (draining) return;
      draining = true;
      for (const res of responses) if (!res.headersSent) res.setHeader('connection', 'close');
    },

    track<T>(work: T): T {
      running += 1;
      void Promise.resolve(work)
        .catch(() => undefined)
        .finally(() => {
          running -= 1;
          check();
        });
      return work;
    },

    async drain(deadlineMs) {
      const started = performance.now();
      watching = true;
      for (const [socket, state] of connections) watch(socket, state);
      // Stop accepting once the connections already in the kernel's queue are taken. Not with
      // Node's own http close(): it also closes every connection with no request parsed at that
      // instant, among them connections just accepted whose request is on its way, and keep-
      // alive ones whose client is sending its next request. Connections close below, once quiet.
      await acceptQueued(Math.max(ACCEPT_WAIT_MS, deadlineMs / 2));
      net.Server.prototype.close.call(httpServer);
      // Only now: a client told to close its connection opens a new one for its next request.
      // Before the listener closed, that new connection could sit in the kernel's accept queue
      // when it closes and be reset; now it is refused, which a client knows to retry elsewhere.
      this.startDraining();
      // Also from the check phase: bytes already waiting in the kernel have been read by then
      // and count as activity.
      const sweeper = setInterval(() => setImmediate(closeQuiet), QUIET_MS / 5);
      const answered = new Promise<'answered'>((resolve) => {
        settle = () => resolve('answered');
        check();
      });
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'deadline'>((resolve) => {
        timer = setTimeout(() => resolve('deadline'), deadlineMs);
      });
      const outcome = await Promise.race([answered, deadline]);
      clearTimeout(timer);
      clearInterval(sweeper);
      const cut = outcome === 'deadline' ? Math.max(responses.size, running) : 0;
      if (outcome === 'deadline') httpServer.closeAllConnections();
      // Node's close(): its housekeeping (the timeout checks' interval); the listener is closed already.
      httpServer.close();
      return { cut, ms: Math.round(performance.now() - started) };
    },
  };
}

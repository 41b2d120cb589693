import http from 'node:http';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { httpDrain, type HttpDrain } from '../../src/server/http-drain.js';

/** The HTTP side of the gateway's drain (src/server/http-drain.ts) on a plain server. */

let server: http.Server;
let drain: HttpDrain;
let port: number;
let release: (() => void) | undefined;

/** A server whose /slow answers only when `release` is called, /fast at once, each tracked as the gateway tracks GraphQL. */
async function serve(): Promise<void> {
  server = http.createServer((req, res) => {
    const work =
      req.url === '/slow'
        ? new Promise<void>((resolve) => (release = resolve)).then(() => void res.end('slow'))
        : Promise.resolve().then(() => void res.end('fast'));
    drain.track(work);
  });
  drain = httpDrain(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.address() as net.AddressInfo).port;
}

function get(path: string, agent: http.Agent | false = false): Promise<{ status?: number; body?: string; connection?: string; code?: string }> {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode, body, connection: response.headers.connection }));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ code: error.code }));
  });
}

afterEach(async () => {
  release?.();
  release = undefined;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('draining the HTTP server', () => {
  it('answers the request in flight with Connection: close, then refuses new connections', async () => {
    await serve();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect(await get('/fast', agent)).toMatchObject({ status: 200, connection: 'keep-alive' });
    const slow = get('/slow', agent);
    await expect.poll(() => release).toBeDefined();
    const drained = drain.drain(10_000);
    // Answered once the listener has closed (a new connection is refused).
    await expect.poll(async () => (await get('/fast')).code).toBe('ECONNREFUSED');
    release!();
    expect(await slow).toEqual({ status: 200, body: 'slow', connection: 'close' });
    expect(await drained).toMatchObject({ cut: 0 });
    agent.destroy();
  });

  it('a connection accepted before the listener closed gets its answer, even if its request comes a moment later', async () => {
    await serve();
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    // The gateway has accepted it (connection counted); no request bytes yet.
    const drained = drain.drain(10_000);
    await sleep(100);
    let text = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    const ended = new Promise((resolve) => socket.once('close', resolve));
    socket.write('GET /fast HTTP/1.1\r\nHost: gateway\r\n\r\n');
    await ended;
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toMatch(/\r\nconnection: close\r\n/i);
    expect(text.endsWith('fast')).toBe(true);
    expect(await drained).toMatchObject({ cut: 0 });
  });

  it('at the deadline, gives up on what still runs and says how many were cut', async () => {
    await serve();
    const slow = get('/slow');
    await expect.poll(() => release).toBeDefined();
    expect(await drain.drain(200)).toMatchObject({ cut: 1 });
    expect(await slow).toEqual({ code: 'ECONNRESET' });
  });
});

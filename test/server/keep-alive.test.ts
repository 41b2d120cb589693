import { spawn } from 'node:child_process';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';

/**
 * The cause of `fetch failed … ECONNRESET` in the access log's load test: Node's default server
 * keep-alive (5 s, told to clients as `Keep-Alive: timeout=5`; the server drops the connection at
 * 6 s) against a client that reuses a connection idle for up to 3-4 s. A request sent on such a
 * connection while the server is busy in one synchronous stretch that spans the 6 s mark is
 * still unread when the server's timer fires after that stretch: the server closes the
 * connection with the request in it and the client gets a reset. The gateway keeps idle
 * connections 65 s (src/server/http-drain.ts), so a connection a client may still reuse is never
 * one the server is about to drop.
 */
it('a request on a reused keep-alive connection survives a server stall past Node’s default keep-alive', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/stalling-server.ts'], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, STALL_MS: '5000' } });
  try {
    const port = await new Promise<number>((resolve) => child.stdout!.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim()))));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const post = (path: string, via: http.Agent | false) =>
      new Promise<{ status?: number; reused: boolean; code?: string }>((resolve) => {
        const request = http.request({ host: '127.0.0.1', port, path, method: 'POST', agent: via }, (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode, reused: request.reusedSocket }));
        });
        request.on('error', (error: NodeJS.ErrnoException) => resolve({ reused: request.reusedSocket, code: error.code }));
        request.end('x');
      });
    expect(await post('/', agent)).toMatchObject({ status: 200, reused: false });
    // The connection idles; then the server works 5 s without a break (on another connection) …
    await sleep(2_500);
    const stalled = post('/stall', false);
    await sleep(400);
    // … and the client sends on its idle connection, which the server would drop at 6 s idle.
    expect(await post('/', agent)).toEqual({ status: 200, reused: true });
    expect(await stalled).toMatchObject({ status: 200 });
    agent.destroy();
  } finally {
    child.kill();
  }
});

import http from 'node:http';
import { httpDrain } from '../../src/server/http-drain.js';

/**
 * A server with the gateway's HTTP settings (httpDrain) whose /stall holds its event loop for
 * STALL_MS in one synchronous stretch, as embedded PGlite's WASM does on a loaded machine.
 * Prints its port. Run by test/keep-alive.test.ts as a child process.
 */
const stallMs = Number(process.env.STALL_MS ?? 5_000);
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url === '/stall') {
      const until = Date.now() + stallMs;
      while (Date.now() < until);
    }
    res.end('ok');
  });
});
httpDrain(server);
server.listen(0, '127.0.0.1', () => console.log((server.address() as { port: number }).port));

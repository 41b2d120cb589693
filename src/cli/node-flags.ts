/**
 * The V8 options the gateway's process runs with: in production (the Dockerfile's CMD,
 * `npm run start:prod`), in development (`npm start`) and in the bench's gateway servers
 * (bench/run.ts), so that what the bench measures is what is deployed. The scripts and the
 * Dockerfile write them out (node reads them before any module); test/node-flags.test.ts says
 * where they differ from this list.
 *
 * They must be on node's command line: V8 sizes its heap from them at start (a later
 * `v8.setFlagsFromString` changes nothing there) and NODE_OPTIONS refuses them.
 *
 * `--heap-growing-percent=100`: after a full collection V8 lets the old generation grow by a
 * factor it picks between 1.1 and 4 from its own speed; under load it picks near 4, and the
 * gateway's 40-46 MiB that stay live grew the process to 311 MiB before the next collection.
 * A factor of 2 kept the bench's peak near 200 MiB at no measured cost in CPU per request
 * (issue 14's closing note has the A/B).
 *
 * `--max-semi-space-size=32` (MiB; V8's default is 16): a request allocates mostly objects that
 * die when it ends, and with 20 requests in flight a young generation of 16 MiB fills before
 * they do, so each scavenge copies (and promotes) live request state. Five alternating pairs on
 * 2026-12-07 (worklist and citizens, gateway and insecure): CPU per request 13-20 % lower at the
 * median in each of the four series, peak RSS 192 → 226 MiB.
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--heap-growing-percent=100', '--max-semi-space-size=32'];

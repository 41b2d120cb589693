import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { GATEWAY_NODE_FLAGS } from '../src/cli/node-flags.js';

/** The gateway's V8 options are written out where node starts it; they must say the same as src/cli/node-flags.ts. */
describe("the gateway's node options", () => {
  it('are those of npm start and npm run start:prod, before the entry point', async () => {
    const { scripts } = JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(GATEWAY_NODE_FLAGS.length).toBeGreaterThan(0);
    expect(scripts.start).toBe(`exec node ${GATEWAY_NODE_FLAGS.join(' ')} --import tsx src/cli/start.ts`);
    expect(scripts['start:prod']).toBe(`exec node ${GATEWAY_NODE_FLAGS.join(' ')} dist/src/cli/start.js`);
  });

  it("are those of the README's systemd unit", async () => {
    const readme = await readFile('README.md', 'utf8');
    const execStart = readme.split('\n').filter((line) => line.trim().startsWith('ExecStart='));
    expect(execStart).toEqual([`  ExecStart=/usr/bin/node ${GATEWAY_NODE_FLAGS.join(' ')} dist/src/cli/start.js`]);
  });

  it('are accepted by this node (an unknown V8 option would stop the start)', async () => {
    const { execFileSync } = await import('node:child_process');
    const out = execFileSync(process.execPath, [...GATEWAY_NODE_FLAGS, '-e', 'process.stdout.write("ok")'], { encoding: 'utf8' });
    expect(out).toBe('ok');
  });
});

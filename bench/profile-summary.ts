/**
 * Where a server's CPU time went: `npx tsx bench/profile-summary.ts [--callers <function>]
 * <file.cpuprofile | folder>…` (profiles written by `npm run bench -- --cpu-prof`). Prints self
 * time by area (a package under node_modules, a folder of src/, Node's internals, garbage
 * collection, idle) and the functions with the most self time; `--callers` adds the stacks that
 * lead to a function (e.g. `writev`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return 'node internals';
  const src = /\/(src|bench|seeds)\/([^/]+)/.exec(url);
  if (src) return `${src[1]}/${src[2]}`;
  return url;
}

function files(args: string[]): string[] {
  return args.flatMap((arg) =>
    statSync(arg).isDirectory()
      ? readdirSync(arg, { recursive: true, encoding: 'utf8' })
          .filter((f) => f.endsWith('.cpuprofile'))
          .map((f) => path.join(arg, f))
      : [arg],
  );
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${area(url, functionName)}${url && !url.startsWith('node:') ? `:${lineNumber + 1}` : ''}`;
}

function summarize(file: string, top = 25, callersOf?: string): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  if (busy < total * 0.05) return; // a helper thread that did nothing (tsx's loader)
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, time] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const where = area(url, functionName);
    areas.set(where, (areas.get(where) ?? 0) + time);
    const key = `${functionName || '(anonymous)'}  ${where}${url && !url.startsWith('node:') ? `:${lineNumber + 1}` : ''}`;
    functions.set(key, (functions.get(key) ?? 0) + time);
  }
  const pct = (t: number) => `${((t / busy) * 100).toFixed(1).padStart(5)} %`;
  console.log(`\n${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (percentages of busy time)`);
  console.log('\n  by area');
  for (const [name, time] of [...areas].filter(([n]) => n !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`  ${pct(time)}  ${name}`);
  // Inclusive: time with an area anywhere on the (synchronous) stack.
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const inclusive = new Map<string, number>();
  for (const [id, time] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const { functionName, url } = byId.get(at)!.callFrame;
      seen.add(area(url, functionName));
    }
    for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + time);
  }
  console.log('\n  by area, inclusive (the area anywhere on the synchronous stack)');
  for (const [name, time] of [...inclusive].filter(([n]) => !['(idle)', '(root)', '(program)', '(native)', 'node internals'].includes(n)).sort((a, b) => b[1] - a[1]).slice(0, 16)) {
    console.log(`  ${pct(time)}  ${name}`);
  }
  console.log('\n  functions (self time)');
  for (const [name, time] of [...functions].filter(([n]) => !n.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(time)}  ${name}`);
  if (callersOf) {
    const parent = new Map<number, number>();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const stacks = new Map<string, number>();
    for (const [id, time] of self) {
      if (byId.get(id)!.callFrame.functionName !== callersOf) continue;
      const frames: string[] = [];
      for (let at = parent.get(id); at !== undefined && frames.length < 12; at = parent.get(at)) frames.push(frameName(byId.get(at)!));
      const key = frames.join('\n      < ');
      stacks.set(key, (stacks.get(key) ?? 0) + time);
    }
    console.log(`\n  stacks into ${callersOf}`);
    for (const [stack, time] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`  ${pct(time)}  < ${stack}`);
  }
}

const args = process.argv.slice(2);
const at = args.indexOf('--callers');
const callers = at === -1 ? undefined : args.splice(at, 2)[1];
if (args.length === 0) {
  console.log('usage: npx tsx bench/profile-summary.ts [--callers <function>] <file.cpuprofile | folder>…');
  process.exit(1);
}
for (const file of files(args)) summarize(file, 25, callers);

/**
 * No import circle in src/. The imports of every file (static `import` and `export ... from`, and
 * `import()` of a literal path) form a graph: without cycles when run (value imports), and,
 * counting type-only imports too, without any cycle through the access package or the auth layer,
 * which sit below everything else (the circle of issue 12 was access/guard.ts →
 * access/graphql/personal.ts → mask.middleware.ts → modules/context.ts → access/guard.ts, most of
 * it type-only imports: they tie layers together as tightly). Counting type-only imports, src/
 * has no cycle at all.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|[\s;])(import|export)\s+(type\s+)?([^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Whether an import brings values (not only types): `import type`, or every name marked `type`, bring none. */
function bringsValues(keyword: string | undefined, typeOnly: string | undefined, clause: string | undefined): boolean {
  if (typeOnly) return false;
  if (!clause) return keyword === 'import' || keyword === undefined;
  const names = /\{([^}]*)\}/.exec(clause);
  const outside = clause.replace(/\{[^}]*\}/, '').replace(/from\s*$/, '').replace(/[\s,]/g, '');
  if (outside !== '') return true;
  return !!names && names[1]!.split(',').some((name) => name.trim() !== '' && !name.trim().startsWith('type '));
}

/** The src files a file imports (relative specifiers, `.js` written for `.ts`); `values`: leaving out type-only imports. */
export function importsOf(file: string, text: string, values = false): string[] {
  const out = new Set<string>();
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  for (const match of code.matchAll(IMPORT)) {
    if (values && !bringsValues(match[1], match[2], match[3])) continue;
    const spec = match[4] ?? match[5]!;
    const base = resolve(dirname(file), spec);
    const candidates = [base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, join(base, 'index.ts')];
    const found = candidates.find((c) => {
      try {
        return statSync(c).isFile();
      } catch {
        return false;
      }
    });
    if (found) out.add(found);
  }
  return [...out];
}

/**
 * Cycles found by a depth-first walk (one per back edge), as paths relative to src/; with `from`,
 * only the cycles through the files it accepts (a walk from each of them, back to it).
 */
export function cyclesOf(graph: Map<string, string[]>, from?: (file: string) => boolean): string[][] {
  if (from) {
    const cycles: string[][] = [];
    for (const start of [...graph.keys()].filter((f) => from(relative(ROOT, f))).sort()) {
      const seen = new Set<string>();
      const walk = (file: string, path: string[]): string[] | null => {
        for (const next of graph.get(file) ?? []) {
          if (next === start) return [...path, next];
          if (seen.has(next)) continue;
          seen.add(next);
          const found = walk(next, [...path, next]);
          if (found) return found;
        }
        return null;
      };
      const cycle = walk(start, [start]);
      if (cycle) cycles.push(cycle.map((f) => relative(ROOT, f)));
    }
    return cycles;
  }
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(ROOT, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('the imports of src/', () => {
  const files = sources(ROOT).map((file) => [file, readFileSync(file, 'utf8')] as const);
  const graph = new Map(files.map(([file, text]) => [file, importsOf(file, text)]));
  const valueGraph = new Map(files.map(([file, text]) => [file, importsOf(file, text, true)]));
  const LOW_LAYERS = ['access/', 'auth/'];

  it('are read (the scan finds the access package and its importers)', () => {
    expect(graph.size).toBeGreaterThan(100);
    const guard = join(ROOT, 'access/guard.ts');
    expect([...graph.values()].some((imports) => imports.includes(guard))).toBe(true);
  });

  it('form no cycle of value imports', () => {
    expect(cyclesOf(valueGraph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('form no cycle through the access package or the auth layer, type-only imports counted', () => {
    // Each file of those layers is a start: a cycle through one is found from it.
    const through = cyclesOf(graph, (file) => LOW_LAYERS.some((layer) => file.startsWith(layer)));
    expect(through.map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('form no cycle at all, type-only imports counted', () => {
    // The platform takes its source names from a registry the modules list fills (declaration
    // merging is no import), and the manifests' types come from type-only leaves.
    expect(cyclesOf(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('the platform imports nothing of the modules, nor config.ts (which reads the modules list)', () => {
    const config = join(ROOT, 'config.ts');
    const upward = [...graph.entries()]
      .filter(([file]) => relative(ROOT, file).startsWith('platform/'))
      .flatMap(([file, imports]) => imports.filter((i) => relative(ROOT, i).startsWith('modules/') || i === config).map((i) => `${relative(ROOT, file)} → ${relative(ROOT, i)}`));
    expect(upward).toEqual([]);
  });

  it('the access package imports nothing of the modules, the server or the platform', () => {
    const outside = [...graph.entries()]
      .filter(([file]) => relative(ROOT, file).startsWith('access/'))
      .flatMap(([file, imports]) => imports.filter((i) => /^(modules|server)\//.test(relative(ROOT, i)) || (/^platform\//.test(relative(ROOT, i)) && !relative(ROOT, file).startsWith('access/graphql/'))).map((i) => `${relative(ROOT, file)} → ${relative(ROOT, i)}`));
    expect(outside).toEqual([]);
  });

  it('the scan finds a cycle when there is one', () => {
    const a = join(ROOT, 'a.ts');
    const b = join(ROOT, 'b.ts');
    expect(cyclesOf(new Map([[a, [b]], [b, [a]]]))).toEqual([['a.ts', 'b.ts', 'a.ts']]);
  });
});

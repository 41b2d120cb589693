/**
 * Module resolution hook for bench/tracing.ts's "no hooks" variant: the gateway's two tracing
 * modules resolve to the pass-throughs beside this file, and any @opentelemetry package fails to
 * resolve, so a run proves that no OpenTelemetry code is loaded at all (a stub that missed a
 * caller fails at start, not silently).
 */
import { URL } from 'node:url';

const SWAPS = [
  [/\/src\/platform\/telemetry\/spans\.(?:ts|js)$/, new URL('./spans.ts', import.meta.url).href],
  [/\/src\/server\/plugins\/tracing\/index\.(?:ts|js)$/, new URL('./plugin.ts', import.meta.url).href],
];

export async function resolve(specifier, context, nextResolve) {
  if (specifier.startsWith('@opentelemetry/')) throw new Error(`no-hooks variant: ${specifier} imported by ${context.parentURL}`);
  const resolved = await nextResolve(specifier, context);
  for (const [pattern, replacement] of SWAPS) {
    if (pattern.test(resolved.url)) return { ...resolved, url: replacement };
  }
  return resolved;
}

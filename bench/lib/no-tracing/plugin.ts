/**
 * bench/tracing.ts's "no hooks" variant of src/server/plugins/tracing/index.ts: nothing installed,
 * no OpenTelemetry import (see ./spans.ts). Swapped in by ./hooks.mjs.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestHandler } from 'express';
import type { GraphContext } from '../../../src/modules/context.js';
import type { LoaderOptions } from '../../../src/modules/loaders.js';

export function tracingOn(): boolean {
  return false;
}

export function requestTracing(): RequestHandler[] {
  return [];
}

export function batchTracing(): Pick<LoaderOptions, 'traceBatch'> {
  return {};
}

export function tracingPlugin(): ApolloServerPlugin<GraphContext> {
  return {};
}

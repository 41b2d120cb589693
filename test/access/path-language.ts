/**
 * The path language of the authorization matrix (paths.ts): a path is a root field, written from
 * the fixtures, whose selection of the subject's personal fields is left to `sel` (in the path's
 * style); `locate` finds the subject in the answer (or says where a null link broke the way).
 * In a file of its own so that a module's samples (`matrixPaths`) can write paths without
 * importing the catalogue that collects them.
 */
import { toGlobalId as gid } from '../../src/platform/relay/global-id.js';
import type { SubjectName, TypeName } from './expectations.js';
import type { Fixtures } from './fixtures.js';

export { gid };
/** A GraphQL string literal. */
export const q = (value: string | number): string => JSON.stringify(String(value));

export type Style = 'plain' | 'aliased' | 'named fragment' | 'inline fragment';
export const STYLES: readonly Style[] = ['plain', 'aliased', 'named fragment', 'inline fragment'];

// ---------------------------------------------------------------------------------------------
// Finding the subject in an answer
// ---------------------------------------------------------------------------------------------

export type Key = string | number;
export type Located = { found: true; object: Record<string, unknown>; path: Key[] } | { found: false; brokenAt?: Key[] };

export const NOT_FOUND: Located = { found: false };

export function obj(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

/** The subject itself at `path`, or absent where null. */
export function direct(value: unknown, path: Key[]): Located {
  const object = obj(value);
  return object ? { found: true, object, path } : NOT_FOUND;
}

/** Follows keys; absent where a link is null (`brokenAt` names the null link). */
export function follow(value: unknown, path: Key[], keys: Key[]): Located {
  let current = value;
  const at = [...path];
  for (const key of keys) {
    const object = obj(current);
    if (!object) return { found: false, brokenAt: at };
    current = Array.isArray(current) ? (current as unknown[])[key as number] : object[key];
    at.push(key);
  }
  return obj(current) ? { found: true, object: obj(current)!, path: at } : { found: false, brokenAt: at };
}

/** Follows keys from where a way was located (absent stays absent). */
export function andThen(located: Located, keys: Key[]): Located {
  return located.found ? follow(located.object, located.path, keys) : located;
}

/** The edge of a connection whose node (after `keys`) has the given id. */
export function edgeWithId(connection: unknown, path: Key[], keys: Key[], id: string): Located {
  const edges = (obj(connection)?.edges as unknown[] | undefined) ?? [];
  for (const [index, edge] of edges.entries()) {
    const located = follow(edge, [...path, 'edges', index], keys);
    if (located.found && located.object.id === id) return located;
  }
  return NOT_FOUND;
}

export interface MatrixPath {
  /** Its row in PATH_GRID. */
  name: string;
  subject: SubjectName;
  style: Style;
  /** The root field, without alias; `sel` gives the selection of a type's personal fields in the path's style. */
  field(f: Fixtures, sel: (typeName: TypeName) => string): string;
  locate(f: Fixtures, value: unknown, path: Key[]): Located;
}


export const atRoot = (_f: Fixtures, value: unknown, path: Key[]): Located => direct(value, path);

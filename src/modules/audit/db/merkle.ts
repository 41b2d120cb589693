import { createHash, hash } from 'node:crypto';

/**
 * The Merkle tree of the access log, hashed as RFC 9162 §2.1 says (the same as RFC 6962):
 *
 *   leaf hash  = SHA-256(0x00 || leaf)
 *   node hash  = SHA-256(0x01 || left || right)
 *   MTH({})    = SHA-256()            (the empty tree)
 *   MTH(D[n])  = node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of two below n
 *
 * Storage keeps every perfect subtree once it is complete (level L, index i: the leaves
 * [i·2^L, (i+1)·2^L)); any hash the RFC's recursion needs over [0, n) is a fold of at most
 * log2(n) of them. Proofs are computed in two passes over a node getter: the first records which
 * perfect subtrees are needed (one query fetches them), the second computes.
 */

export const HASH_BYTES = 32;

function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export const EMPTY_ROOT: Buffer = sha256();

export function leafHash(leaf: Uint8Array): Buffer {
  return sha256(LEAF_PREFIX, leaf);
}

/** 0x01 || left || right of two hashes, reused (synchronous use only). */
const NODE_INPUT = Buffer.alloc(1 + 2 * HASH_BYTES);

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_BYTES || right.length !== HASH_BYTES) return sha256(NODE_PREFIX, left, right);
  // The integrator hashes about one node per entry: one one-shot call over a reused buffer
  // costs about a third of a Hash object per node (Node 20); 'binary' text out is its fast
  // output (one character per byte), turned back into the same bytes.
  NODE_INPUT[0] = 0x01;
  NODE_INPUT.set(left, 1);
  NODE_INPUT.set(right, 1 + HASH_BYTES);
  return Buffer.from(hash('sha256', NODE_INPUT, 'binary'), 'latin1');
}

/** A perfect subtree: `level` 0 is a leaf; it covers the leaves [index·2^level, (index+1)·2^level). */
export interface NodeKey {
  level: number;
  index: number;
}

/** Returns the hash of a perfect subtree (a stored leaf hash or node). */
export type NodeGetter = (level: number, index: number) => Uint8Array;

/** The largest power of two smaller than n (n ≥ 2): the RFC's split point. */
export function splitPoint(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2) throw new RangeError(`no split point for ${n} leaves`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees that make up [start, end), left to right, largest first: the only ranges
 * that the RFC's recursion over a tree [0, n) ever hashes (each starts at a multiple of its
 * largest part). Throws for a range the recursion never produces.
 */
export function rangeNodes(start: number, end: number): NodeKey[] {
  if (!(Number.isSafeInteger(start) && Number.isSafeInteger(end) && 0 <= start && start < end)) throw new RangeError(`bad range [${start}, ${end})`);
  const keys: NodeKey[] = [];
  let position = start;
  let previous = Number.POSITIVE_INFINITY;
  while (position < end) {
    let size = 1;
    while (size * 2 <= end - position && position % (size * 2) === 0) size *= 2;
    if (size >= previous) throw new RangeError(`[${start}, ${end}) is not a range of an RFC 9162 tree`);
    previous = size;
    const level = Math.log2(size);
    keys.push({ level, index: position / size });
    position += size;
  }
  return keys;
}

/** MTH(D[start:end]) from the perfect subtrees that compose it. */
export function rangeHash(start: number, end: number, get: NodeGetter): Uint8Array {
  const keys = rangeNodes(start, end);
  let hash = get(keys[keys.length - 1]!.level, keys[keys.length - 1]!.index);
  for (let i = keys.length - 2; i >= 0; i -= 1) hash = nodeHash(get(keys[i]!.level, keys[i]!.index), hash);
  return hash;
}

/** The root of the tree of `size` leaves. */
export function treeRoot(size: number, get: NodeGetter): Uint8Array {
  return size === 0 ? EMPTY_ROOT : rangeHash(0, size, get);
}

/** RFC 9162 §2.1.3.1 PATH(m, D[start:end]): the audit path of leaf m (relative to start). */
function path(m: number, start: number, end: number, get: NodeGetter): Uint8Array[] {
  const n = end - start;
  if (n === 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...path(m, start, start + k, get), rangeHash(start + k, end, get)];
  return [...path(m - k, start + k, end, get), rangeHash(start, start + k, get)];
}

/** The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1). */
export function inclusionProof(index: number, size: number, get: NodeGetter): Uint8Array[] {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && 0 <= index && index < size)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  return path(index, 0, size, get);
}

/** RFC 9162 §2.1.4.1 SUBPROOF(m, D[start:end], b). */
function subproof(m: number, start: number, end: number, complete: boolean, get: NodeGetter): Uint8Array[] {
  const n = end - start;
  if (m === n) return complete ? [] : [rangeHash(start, end, get)];
  const k = splitPoint(n);
  if (m <= k) return [...subproof(m, start, start + k, complete, get), rangeHash(start + k, end, get)];
  return [...subproof(m - k, start + k, end, false, get), rangeHash(start, start + k, get)];
}

/** The consistency proof from the tree of `from` leaves to the tree of `to` leaves (RFC 9162 §2.1.4.1). */
export function consistencyProof(from: number, to: number, get: NodeGetter): Uint8Array[] {
  if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && 0 <= from && from <= to)) throw new RangeError(`no consistency proof from ${from} to ${to}`);
  if (from === 0 || from === to) return [];
  return subproof(from, 0, to, true, get);
}

/**
 * Runs `compute` twice: once to learn which perfect subtrees it reads, then with them fetched
 * (`fetch` gets every key at once: one query). The computation must not branch on hash values,
 * which holds for every function above.
 */
export async function withNodes<T>(compute: (get: NodeGetter) => T, fetch: (keys: NodeKey[]) => Promise<Map<string, Uint8Array>>): Promise<T> {
  const wanted = new Map<string, NodeKey>();
  const placeholder = Buffer.alloc(HASH_BYTES);
  compute((level, index) => {
    wanted.set(nodeId(level, index), { level, index });
    return placeholder;
  });
  const nodes = wanted.size === 0 ? new Map<string, Uint8Array>() : await fetch([...wanted.values()]);
  return compute((level, index) => {
    const hash = nodes.get(nodeId(level, index));
    if (!hash) throw new Error(`the tree has no node at level ${level}, index ${index}`);
    return hash;
  });
}

export function nodeId(level: number, index: number): string {
  return `${level}:${index}`;
}

/** A node completed by an append: stored once, never changed. */
export interface CompletedNode extends NodeKey {
  hash: Buffer;
}

/**
 * The right edge of the tree (RFC 9162's compact range over [0, size)): the perfect subtrees the
 * next leaves will join. Appending leaves yields the nodes they complete and the new root.
 */
export class Frontier {
  private constructor(
    private size_: number,
    /** Left to right, largest first. */
    private readonly stack: CompletedNode[],
  ) {}

  static empty(): Frontier {
    return new Frontier(0, []);
  }

  /** The perfect subtrees a frontier of `size` leaves consists of (what to fetch to resume). */
  static keysFor(size: number): NodeKey[] {
    return size === 0 ? [] : rangeNodes(0, size);
  }

  static resume(size: number, get: NodeGetter): Frontier {
    return new Frontier(
      size,
      Frontier.keysFor(size).map((key) => ({ ...key, hash: Buffer.from(get(key.level, key.index)) })),
    );
  }

  get size(): number {
    return this.size_;
  }

  /** Adds one leaf (its leaf hash); returns the nodes of level ≥ 1 it completed. */
  append(leaf: Uint8Array): CompletedNode[] {
    const completed: CompletedNode[] = [];
    this.stack.push({ level: 0, index: this.size_, hash: Buffer.from(leaf) });
    this.size_ += 1;
    while (this.stack.length >= 2 && this.stack[this.stack.length - 1]!.level === this.stack[this.stack.length - 2]!.level) {
      const right = this.stack.pop()!;
      const left = this.stack.pop()!;
      const node = { level: right.level + 1, index: Math.floor(right.index / 2), hash: nodeHash(left.hash, right.hash) };
      this.stack.push(node);
      completed.push(node);
    }
    return completed;
  }

  /**
   * Adds `count` leaves (their leaf hashes, 32 bytes each, side by side in `leaves`), as `count`
   * calls of append would, and returns the nodes they completed in the same order, as columns:
   * their levels and indexes as comma-separated text, their hashes side by side in one buffer.
   * The integrator's batch (thousands of leaves a second): no object, copy or buffer per leaf or
   * node; the frontier's hashes are views of one copy of the leaves (a driver may reuse the
   * memory it handed over) and of the returned buffer.
   */
  appendBatch(given: Uint8Array, count: number): { count: number; levels: string; indexes: string; hashes: Buffer } {
    if (given.length < count * HASH_BYTES) throw new RangeError(`appendBatch: ${count} leaves need ${count * HASH_BYTES} bytes, ${given.length} given`);
    const leaves = Buffer.from(given.subarray(0, count * HASH_BYTES));
    // n leaves complete at most n + (the frontier's size in nodes) nodes.
    const out = Buffer.allocUnsafe((count + this.stack.length) * HASH_BYTES);
    let nodes = 0;
    let levels = '';
    let indexes = '';
    const stack = this.stack;
    for (let i = 0; i < count; i++) {
      stack.push({ level: 0, index: this.size_, hash: leaves.subarray(i * HASH_BYTES, (i + 1) * HASH_BYTES) });
      this.size_ += 1;
      while (stack.length >= 2 && stack[stack.length - 1]!.level === stack[stack.length - 2]!.level) {
        const right = stack.pop()!;
        const left = stack.pop()!;
        NODE_INPUT[0] = 0x01;
        NODE_INPUT.set(left.hash, 1);
        NODE_INPUT.set(right.hash, 1 + HASH_BYTES);
        const at = nodes * HASH_BYTES;
        out.write(hash('sha256', NODE_INPUT, 'binary'), at, 'latin1');
        const node = { level: right.level + 1, index: Math.floor(right.index / 2), hash: out.subarray(at, at + HASH_BYTES) };
        stack.push(node);
        levels += nodes === 0 ? `${node.level}` : `,${node.level}`;
        indexes += nodes === 0 ? `${node.index}` : `,${node.index}`;
        nodes += 1;
      }
    }
    return { count: nodes, levels, indexes, hashes: out.subarray(0, nodes * HASH_BYTES) };
  }

  root(): Buffer {
    if (this.stack.length === 0) return EMPTY_ROOT;
    let hash = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i -= 1) hash = nodeHash(this.stack[i]!.hash, hash);
    return hash;
  }

  clone(): Frontier {
    return new Frontier(this.size_, this.stack.map((node) => ({ ...node })));
  }
}

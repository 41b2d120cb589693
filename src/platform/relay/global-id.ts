const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Per type: the base64url of the longest prefix of "Type:" that is whole 3-byte groups, and the
 * 0-2 characters left over. Only the rest ("…:id") is encoded per id: every object of every page
 * gets its id, and Buffer.from + toString cost more than the few characters that vary.
 */
const heads = new Map<string, readonly [string, string]>();
const ASCII = /^\p{ASCII}*$/u;

function headOf(type: string): readonly [string, string] | undefined {
  let head = heads.get(type);
  if (!head) {
    if (!ASCII.test(type)) return undefined;
    const prefix = `${type}:`;
    const whole = prefix.length - (prefix.length % 3);
    head = [Buffer.from(prefix.slice(0, whole)).toString('base64url'), prefix.slice(whole)];
    if (heads.size < 256) heads.set(type, head);
  }
  return head;
}

/** base64url (no padding) of an ASCII string, appended to `out`. */
function appendAscii(out: string, text: string): string {
  const n = text.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (text.charCodeAt(i) << 16) | (text.charCodeAt(i + 1) << 8) | text.charCodeAt(i + 2);
    out += BASE64URL[v >> 18]! + BASE64URL[(v >> 12) & 63]! + BASE64URL[(v >> 6) & 63]! + BASE64URL[v & 63]!;
  }
  if (n - i === 1) {
    const v = text.charCodeAt(i) << 16;
    out += BASE64URL[v >> 18]! + BASE64URL[(v >> 12) & 63]!;
  } else if (n - i === 2) {
    const v = (text.charCodeAt(i) << 16) | (text.charCodeAt(i + 1) << 8);
    out += BASE64URL[v >> 18]! + BASE64URL[(v >> 12) & 63]! + BASE64URL[(v >> 6) & 63]!;
  }
  return out;
}

/** Opaque global ids: base64url of "Type:id", so clients never build ids themselves. */
export function toGlobalId(type: string, id: number | string): string {
  const head = headOf(type);
  // Anything not ASCII (an id given as text may be) goes through Buffer as UTF-8, as before.
  if (!head || (typeof id === 'string' && !ASCII.test(id))) return Buffer.from(`${type}:${id}`).toString('base64url');
  return appendAscii(head[0], `${head[1]}${id}`);
}

export interface GlobalId {
  type: string;
  id: number;
}

const MAX_ROW_ID = 2_147_483_647;

/** Decodes a global id; returns undefined for anything that is not one of ours. */
export function fromGlobalId(globalId: string): GlobalId | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(globalId)) return undefined;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const match = /^([A-Z][A-Za-z]*):([1-9][0-9]{0,15})$/.exec(decoded);
  if (!match) return undefined;
  const id = Number(match[2]);
  // Row ids are PostgreSQL integers: anything larger names no row.
  return id <= MAX_ROW_ID ? { type: match[1]!, id } : undefined;
}

/** The row id behind a global id that must be of `type`; a wrong id is the client's error. */
export function expectGlobalId(globalId: string, type: string, argument = 'id'): number {
  const decoded = fromGlobalId(globalId);
  if (!decoded || decoded.type !== type) throw new InvalidGlobalIdError(`${argument} is not a valid ${type} id`);
  return decoded.id;
}

/** Reported to clients as BAD_USER_INPUT. */
export class InvalidGlobalIdError extends Error {}

/** Like expectGlobalId for an optional argument. */
export function optionalGlobalId(globalId: string | null | undefined, type: string, argument: string): number | undefined {
  return globalId == null ? undefined : expectGlobalId(globalId, type, argument);
}

/** Opaque global ids: base64url of "Type:id", so clients never build ids themselves. */
export function toGlobalId(type: string, id: number | string): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
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

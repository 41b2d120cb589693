import { createHmac } from 'node:crypto';

/**
 * Searched values in the access log: a keyed hash (HMAC-SHA-256), never the value. The same value
 * gives the same hash, so an auditor sees who searched for the same person, and a citizen's view
 * finds the look-ups of their own national id; without the key a hash cannot be reversed by
 * trying every national id. Replicas share the key (AUDIT_HASH_KEY, else CURSOR_SECRET).
 */
let criterionKey = derive('city-data-gateway development cursor key');

function derive(secret: string): Buffer {
  // A key of its own, derived from the secret: a cursor key never doubles as the audit key.
  return createHmac('sha256', secret).update('access-log criterion hash v1').digest();
}

export function setCriterionSecret(secret: string): void {
  criterionKey = derive(secret);
}

/** How a value is compared: trimmed, case-folded, Unicode-normalized. */
function normalized(value: string): string {
  return value.normalize('NFC').trim().toLowerCase();
}

/** The subject id of a CRITERION entry: `<field>:<hex HMAC of field and value>`. */
export function criterionSubjectId(field: string, value: string): string {
  const digest = createHmac('sha256', criterionKey).update(`${field}\u0000${normalized(value)}`).digest('hex');
  return `${field}:${digest}`;
}

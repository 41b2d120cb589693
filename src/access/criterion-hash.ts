import { createHmac } from 'node:crypto';

/**
 * Searched values in the access log: a keyed hash (HMAC-SHA-256), never the value. The same value
 * gives the same hash, so an auditor sees who searched for the same person, and a citizen's view
 * finds the look-ups of their own national id; without the key a hash cannot be reversed by
 * trying every national id. Replicas share the key (AUDIT_HASH_KEY, else CURSOR_SECRET): the
 * gateway builds its hasher from configuration and hands it to every request's context.
 */
export interface CriterionHasher {
  /** The subject id of a CRITERION entry: `<field>:<hex HMAC of field and value>`. */
  subjectId(field: string, value: string): string;
}

/** The secret of the development configuration (no AUDIT_HASH_KEY, no CURSOR_SECRET). */
export const DEVELOPMENT_CRITERION_SECRET = 'city-data-gateway development cursor key';

/** How a value is compared: trimmed, case-folded, Unicode-normalized. */
function normalized(value: string): string {
  return value.normalize('NFC').trim().toLowerCase();
}

export function createCriterionHasher(secret: string): CriterionHasher {
  // A key of its own, derived from the secret: a cursor key never doubles as the audit key.
  const key = createHmac('sha256', secret).update('access-log criterion hash v1').digest();
  return {
    subjectId(field, value) {
      const digest = createHmac('sha256', key).update(`${field}\u0000${normalized(value)}`).digest('hex');
      return `${field}:${digest}`;
    },
  };
}

const development = createCriterionHasher(DEVELOPMENT_CRITERION_SECRET);

/** The subject id under the development configuration's key (tests and tools of a development gateway). */
export function criterionSubjectId(field: string, value: string): string {
  return development.subjectId(field, value);
}

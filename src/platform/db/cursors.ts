import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';

/** Relay-style page arguments as they arrive from a client (cursors still opaque). */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** Bad page arguments or a cursor that is not ours; the API reports it as BAD_USER_INPUT. */
export class PageArgumentError extends Error {}

/** Anonymous callers share one binding, the same as code that serves no caller (scripts, repository tests). */
const ANONYMOUS_BINDING = 'anonymous';

/** What a cursor names: the ordering it belongs to, and the number of sort values it carries. */
export interface CursorShape {
  name: string;
  columns: readonly unknown[];
}

/**
 * Makes and reads pagination cursors. Cursors are encrypted (AES-256-GCM): they carry the sort
 * values of a row, which may be personal data (a birth date, a name) that the caller is not
 * allowed to read. The IV is derived from the content, so a row's cursor is stable. Replicas
 * share the key (CURSOR_SECRET); two gateways with different secrets refuse each other's cursors.
 *
 * A codec is bound to one caller: the caller's binding (subject, role, agency, citizen) is the
 * AEAD's associated data, so another caller's cursor fails authentication, and a cursor of a row
 * hidden from this caller cannot start a page right after that row. The gateway builds one codec
 * from its configuration and binds it to each request's caller on the request context
 * (`ctx.cursors`); repositories and relay helpers receive it with the page asked for
 * (`ctx.cursors.page(args)`, a PageRequest). Nothing about cursors is held by the process.
 */
export class CursorCodec {
  private constructor(
    private readonly key: Buffer,
    private readonly binding: Buffer,
  ) {}

  /** A codec keyed by the secret (CURSOR_SECRET), for anonymous callers until bound to one. */
  static fromSecret(secret: string): CursorCodec {
    if (!secret) throw new Error('The cursor secret must not be empty');
    return new CursorCodec(createHash('sha256').update(secret).digest(), bindingOf(null));
  }

  /** The same key bound to a caller (null: anonymous): only cursors made for that caller are read. */
  boundTo(binding: string | null): CursorCodec {
    return new CursorCodec(this.key, bindingOf(binding));
  }

  /** Page arguments together with this codec: what repositories and relay helpers page with. */
  page<Args extends PageArgs>(args: Args): Args & { cursors: CursorCodec } {
    return { ...args, cursors: this };
  }

  encode(keyset: { name: string }, values: readonly unknown[]): string {
    const plain = Buffer.from(JSON.stringify([keyset.name, ...values.map((v) => (v instanceof Date ? v.toISOString() : v))]));
    // The binding goes into the IV too: one IV under two associated data would be a GCM nonce reuse.
    const iv = createHmac('sha256', this.key).update(this.binding).update(Buffer.from([0])).update(plain).digest().subarray(0, 12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(this.binding);
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** The sort values a cursor carries; PageArgumentError for a forged, damaged, foreign or other-list cursor. */
  decode(keyset: CursorShape, cursor: string): unknown[] {
    let parsed: unknown;
    try {
      const raw = Buffer.from(cursor, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12), { authTagLength: 16 });
      decipher.setAuthTag(raw.subarray(12, 28));
      decipher.setAAD(this.binding);
      parsed = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8'));
    } catch {
      // Forged, damaged, another caller's and another gateway's cursors look alike: nothing tells them apart.
      throw new PageArgumentError('Invalid cursor');
    }
    if (!Array.isArray(parsed) || parsed[0] !== keyset.name || parsed.length !== keyset.columns.length + 1) {
      throw new PageArgumentError('Invalid cursor (it belongs to another list or ordering)');
    }
    const values = parsed.slice(1);
    if (!values.every((v) => typeof v === 'string' || typeof v === 'number')) throw new PageArgumentError('Invalid cursor');
    return values;
  }
}

function bindingOf(binding: string | null): Buffer {
  return Buffer.from(`cursor-binding:${binding ?? ANONYMOUS_BINDING}`);
}

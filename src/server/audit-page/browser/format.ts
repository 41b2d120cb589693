/** What the page shows, as text: times, entry ids, the token's claims. */

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** A time in the browser's time zone, e.g. 2024-10-31 14:05:09. */
export function localTime(time: string | number): string {
  const d = new Date(time);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

const fromBase64Url = (text: string) => atob(text.replace(/-/g, '+').replace(/_/g, '/'));

/** The row id inside an entry's global id (base64url of "AccessLogEntry:<id>"). */
export function rowIdOf(globalId: string): number | null {
  try {
    const match = /^AccessLogEntry:(\d+)$/.exec(fromBase64Url(globalId));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export interface TokenClaims {
  sub?: unknown;
  role?: unknown;
  exp?: unknown;
}

/** What the token says about its bearer, for display only: the gateway verifies it. */
export function claimsOf(token: string): TokenClaims | null {
  try {
    const bytes = Uint8Array.from(fromBase64Url(token.split('.')[1] ?? ''), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return claims !== null && typeof claims === 'object' ? (claims as TokenClaims) : null;
  } catch {
    return null;
  }
}

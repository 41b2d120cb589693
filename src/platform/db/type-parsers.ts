/**
 * One set of value parsers for both drivers, so rows look the same from PGlite and from `pg`:
 * PGlite returns int8 as number or bigint by size where `pg` returns a string.
 */
export const PG_TYPES = { INT8: 20, NUMERIC: 1700, DATE: 1082, TIMESTAMPTZ: 1184 } as const;

const toNumber = (value: string): number => Number(value);

export const VALUE_PARSERS: Record<number, (value: string) => unknown> = {
  [PG_TYPES.INT8]: toNumber,
  [PG_TYPES.NUMERIC]: toNumber,
  // A calendar date has no time zone: keep it as 'YYYY-MM-DD' instead of a local-midnight Date.
  [PG_TYPES.DATE]: (value: string) => value,
};

const ZERO = 48;

/** The number of `length` decimal digits at `at`, or -1 when one of them is not a digit. */
function digits(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i += 1) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * `pg`'s timestamptz parser (pg-types' postgres-date) with a fast path for what a server in UTC
 * sends: `YYYY-MM-DD HH:MM:SS[.ffffff]+00`. Every page row has a few timestamps, and the general
 * parser runs three regular expressions and six parseInts for each. The fast path computes the
 * same Date with the same arithmetic (milliseconds as `1000 * parseFloat('.ffffff')`); anything
 * else (another offset, BC, infinity, a year before 1000) goes to `general`.
 */
export function timestamptzParser(general: (value: string) => unknown): (value: string) => unknown {
  return (text: string) => {
    const n = text.length;
    // '+00' last, and either no fraction (22 characters) or '.' and 1-6 digits after the seconds.
    if (n < 22 || n > 29 || n === 23 || text.charCodeAt(n - 3) !== 43 || text.charCodeAt(n - 2) !== ZERO || text.charCodeAt(n - 1) !== ZERO) return general(text);
    if (text[4] !== '-' || text[7] !== '-' || text[10] !== ' ' || text[13] !== ':' || text[16] !== ':') return general(text);
    const year = digits(text, 0, 4);
    const month = digits(text, 5, 2);
    const day = digits(text, 8, 2);
    const hour = digits(text, 11, 2);
    const minute = digits(text, 14, 2);
    const second = digits(text, 17, 2);
    if (year < 1000 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return general(text);
    let ms = 0;
    if (n > 22) {
      if (text[19] !== '.' || digits(text, 20, n - 23) < 0) return general(text);
      ms = 1000 * parseFloat(text.slice(19, n - 3));
    }
    return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  };
}

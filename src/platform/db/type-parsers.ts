/**
 * One set of value parsers for both drivers, so rows look the same from PGlite and from `pg`:
 * PGlite returns int8 as number or bigint by size where `pg` returns a string.
 */
export const PG_TYPES = { INT8: 20, NUMERIC: 1700, DATE: 1082 } as const;

const toNumber = (value: string): number => Number(value);

export const VALUE_PARSERS: Record<number, (value: string) => unknown> = {
  [PG_TYPES.INT8]: toNumber,
  [PG_TYPES.NUMERIC]: toNumber,
  // A calendar date has no time zone: keep it as 'YYYY-MM-DD' instead of a local-midnight Date.
  [PG_TYPES.DATE]: (value: string) => value,
};

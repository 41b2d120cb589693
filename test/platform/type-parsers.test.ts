import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PG_TYPES, timestamptzParser } from '../../src/platform/db/type-parsers.js';

const general = pg.types.getTypeParser(PG_TYPES.TIMESTAMPTZ, 'text') as (value: string) => unknown;
const parse = timestamptzParser(general);
const time = (value: unknown) => (value instanceof Date ? value.getTime() : value);

describe('timestamptzParser', () => {
  it('gives the same instant as pg-types for what a UTC server sends, every fraction length', () => {
    const seconds = ['2024-04-30 04:58:18', '2022-12-07 03:35:28', '1999-12-31 23:59:59', '2000-02-29 00:00:00', '1000-01-01 00:00:00'];
    const fractions = ['', '.1', '.29', '.009', '.123', '.5785', '.99999', '.123456', '.000001', '.999999'];
    for (const s of seconds) for (const f of fractions) {
      const text = `${s}${f}+00`;
      expect(time(parse(text)), text).toBe(time(general(text)));
      expect(parse(text)).toBeInstanceOf(Date);
    }
    for (let i = 0; i < 2000; i += 1) {
      const d = new Date(Date.UTC(2020, 0, 1) + i * 7_919_311_013 + (i % 1000) * 1.001);
      const text = `${d.toISOString().replace('T', ' ').replace('Z', '')}${String(i % 1000).padStart(3, '0')}+00`;
      expect(time(parse(text)), text).toBe(time(general(text)));
    }
  });

  it('hands everything else to the general parser', () => {
    for (const text of ['2024-04-30 04:58:18+07', '2024-04-30 04:58:18.5-05:30', '0050-01-01 00:00:00+00', '2024-04-30 04:58:18+00 BC', 'infinity', '-infinity', '2024-4-30 04:58:18+00', '2024-04-30 04:58:18.1234567+00']) {
      expect(time(parse(text)), text).toEqual(time(general(text)));
    }
  });
});

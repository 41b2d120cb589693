import { sql, type Kysely, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESULT_KINDS } from '../../../src/modules/results/db/index.js';
import { REVOKED_SHARE, seedResults } from '../../../src/modules/results/seed/seed.js';
import { resultKindOf } from '../../../src/modules/results/seed/documents.js';
import type { SourceName } from '../../../src/modules/index.js';
import { scaleNamed, SEED_TODAY } from '../../../src/seed/scales.js';
import { seededDatabases, type SeededDatabases } from '../../support/databases.js';

const SEED = 20241031;

let dbs: SeededDatabases;
beforeAll(async () => {
  dbs = await seededDatabases('tiny', SEED);
});
afterAll(async () => dbs?.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connection of any source
const root = (source: SourceName): Kysely<any> => dbs.connections.sources[source].root;
async function rows<T>(source: SourceName, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(root(source))).rows;
}

interface ResultRow {
  id: number;
  number: string;
  kind: string;
  issuing_agency_id: number;
  holder_kind: 'CITIZEN' | 'BUSINESS';
  holder_id: number;
  dossier_id: number;
  issued_at: Date;
  valid_until: Date | null;
  status: string;
  document_sha256: string;
  holder_name: string;
  holder_national_id: string | null;
  holder_birth_date: string | null;
  holder_business_code: string | null;
}

const results = () => rows<ResultRow>('results', sql`select * from results.procedure_results order by id`);

/** md5 of the whole table: what "the same rows" means. */
async function fingerprint(): Promise<string> {
  const [row] = await rows<{ hash: string }>('results', sql`select md5(string_agg(t::text, '|' order by t.id)) as hash from results.procedure_results t`);
  return row!.hash;
}

const seedContext = (seed: number) => ({ scale: scaleNamed('tiny'), seed, sources: dbs.connections.sources, log: () => undefined });

describe('results seed: every completed dossier has its result, and the result agrees with it', () => {
  it('gives every completed dossier exactly one result, and no other dossier any', async () => {
    const dossiers = await rows<{ id: number; status: string }>('services', sql`select id, status from services.dossiers`);
    const all = await results();
    const completed = dossiers.filter((d) => d.status === 'COMPLETED').map((d) => Number(d.id)).sort((a, b) => a - b);
    expect(completed.length).toBeGreaterThan(500);
    expect(all.map((r) => Number(r.dossier_id)).sort((a, b) => a - b)).toEqual(completed);
    expect(new Set(all.map((r) => r.number)).size).toBe(all.length);
  });

  it('is issued by the dossier’s agency, to its applicant, at its completion time', async () => {
    const dossiers = await rows<{ id: number; code: string; agency_id: number; applicant_kind: string; applicant_id: number; completed_at: Date }>(
      'services',
      sql`select id, code, agency_id, applicant_kind, applicant_id, completed_at from services.dossiers where status = 'COMPLETED'`,
    );
    const byId = new Map(dossiers.map((d) => [Number(d.id), d]));
    const disagreeing = (await results()).filter((r) => {
      const d = byId.get(Number(r.dossier_id))!;
      return d.agency_id !== r.issuing_agency_id || d.applicant_kind !== r.holder_kind || d.applicant_id !== r.holder_id || d.completed_at.getTime() !== r.issued_at.getTime();
    });
    expect(disagreeing.map((r) => r.number)).toEqual([]);
  });

  it('prints the holder as the registers have them: a citizen’s national id, name and birth date, a business’s name and code', async () => {
    const citizens = new Map(
      (await rows<{ id: number; national_id: string; full_name: string; birth_date: string }>('population', sql`select id, national_id, full_name, birth_date from population.citizens`)).map((c) => [
        Number(c.id),
        c,
      ]),
    );
    const businesses = new Map((await rows<{ id: number; code: string; name: string }>('business', sql`select id, code, name from business.businesses`)).map((b) => [Number(b.id), b]));
    const all = await results();
    let citizenHeld = 0;
    let businessHeld = 0;
    for (const r of all) {
      if (r.holder_kind === 'CITIZEN') {
        const c = citizens.get(r.holder_id)!;
        expect([r.holder_national_id, r.holder_name, r.holder_birth_date, r.holder_business_code], r.number).toEqual([c.national_id, c.full_name, c.birth_date, null]);
        citizenHeld += 1;
      } else {
        const b = businesses.get(r.holder_id)!;
        expect([r.holder_business_code, r.holder_name, r.holder_national_id, r.holder_birth_date], r.number).toEqual([b.code, b.name, null, null]);
        businessHeld += 1;
      }
    }
    expect(citizenHeld).toBeGreaterThan(100);
    expect(businessHeld).toBeGreaterThan(10);
  });

  it('numbers results by kind, issuing agency and year, serially in the order they were issued', async () => {
    const agencies = new Map((await rows<{ id: number; code: string }>('reference', sql`select id, code from reference.agencies`)).map((a) => [Number(a.id), a.code]));
    const all = await results();
    const serials = new Map<string, number[]>();
    for (const r of [...all].sort((a, b) => a.issued_at.getTime() - b.issued_at.getTime() || a.dossier_id - b.dossier_id)) {
      const year = new Date(r.issued_at.getTime() + 7 * 3_600_000).getUTCFullYear();
      const match = /^([A-Z]+)-(.+)-(\d{4})-(\d{6})$/.exec(r.number);
      expect(match, r.number).not.toBeNull();
      const [, , agency, printedYear, serial] = match!;
      expect([agency, Number(printedYear)], r.number).toEqual([agencies.get(r.issuing_agency_id), year]);
      const key = `${agency}:${year}`;
      serials.set(key, [...(serials.get(key) ?? []), Number(serial)]);
    }
    for (const [key, list] of serials) expect(list, key).toEqual(list.map((_, i) => i + 1));
  });

  it('knows what each procedure issues, and has every kind', async () => {
    const procedures = await rows<{ id: number; name: string }>('services', sql`select id, name from services.procedures`);
    expect(resultKindOf('Cấp giấy phép xây dựng nhà ở riêng lẻ')).toBe('LICENCE');
    expect(resultKindOf('Đăng ký khai sinh')).toBe('EXTRACT');
    expect(resultKindOf('Cấp Giấy xác nhận tình trạng hôn nhân')).toBe('CONFIRMATION');
    expect(resultKindOf('Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất')).toBe('CERTIFICATE');
    expect(resultKindOf('Thành lập hội')).toBe('DECISION');
    expect(new Set(procedures.map((p) => resultKindOf(p.name)))).toEqual(new Set(RESULT_KINDS));
    const kinds = await rows<{ kind: string }>('results', sql`select distinct kind from results.procedure_results`);
    expect(new Set(kinds.map((k) => k.kind))).toEqual(new Set(RESULT_KINDS));
  });

  it('has most valid, some revoked, and expired exactly those past their validity on the seed day', async () => {
    const all = await results();
    const count = (status: string) => all.filter((r) => r.status === status).length;
    expect(count('VALID') / all.length).toBeGreaterThan(0.8);
    expect(count('REVOKED')).toBeGreaterThan(0);
    expect(count('REVOKED') / all.length).toBeLessThan(REVOKED_SHARE * 3);
    expect(count('EXPIRED')).toBeGreaterThan(0);
    for (const r of all) {
      const lapsed = r.valid_until !== null && r.valid_until.getTime() <= SEED_TODAY.getTime();
      if (r.status !== 'REVOKED') expect(r.status === 'EXPIRED', r.number).toBe(lapsed);
      if (r.valid_until) expect(r.valid_until.getTime(), r.number).toBeGreaterThan(r.issued_at.getTime());
      expect(r.document_sha256, r.number).toMatch(/^[0-9a-f]{64}$/);
    }
    // Some valid without a time limit, some with one still ahead.
    expect(all.some((r) => r.status === 'VALID' && r.valid_until === null)).toBe(true);
    expect(all.some((r) => r.status === 'VALID' && r.valid_until !== null)).toBe(true);
    expect(new Set(all.map((r) => r.document_sha256)).size).toBe(all.length);
  });

  it('gives the same rows for the same seed value, and other ones for another', async () => {
    const first = await fingerprint();
    await seedResults(seedContext(SEED));
    expect(await fingerprint()).toBe(first);
    // Another seed value over the same dossiers: other revocations, validity periods and documents.
    await seedResults(seedContext(SEED + 1));
    expect(await fingerprint()).not.toBe(first);
    const other = await results();
    await seedResults(seedContext(SEED));
    expect(await fingerprint()).toBe(first);
    // Derived from the dossiers: the same results, numbers, issuers and holders.
    const again = await results();
    expect(other.map((r) => [r.number, r.dossier_id, r.holder_id])).toEqual(again.map((r) => [r.number, r.dossier_id, r.holder_id]));
  });
});

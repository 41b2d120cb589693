import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintDevToken } from '../src/auth/tokens.js';
import { toGlobalId } from '../src/platform/relay/global-id.js';
import { addSortKeyColumn } from '../src/platform/db/vietnamese-order.js';
import type { SourceName } from '../src/modules/index.js';
import { TEST_BACKEND } from './support/databases.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';
import { fold, ok } from './support/graphql.js';
import { walk, type Conn } from './support/relay.js';

/**
 * Issue 18: names and titles in the order of the Vietnamese alphabet (a ă â b c d đ e ê g h i k
 * l m n o ô ơ p q r s t u ư v x y), tones after the base letter (none, grave, hook, tilde,
 * acute, dot below), lower case before upper case. Runs on embedded PGlite and, with
 * TEST_DATABASE=postgres, on the server, where ICU's "vi-x-icu" collation is the reference too.
 */

// Each list in the expected order; every one of them differs from the code point order.
const TITLES = [
  'An ninh trật tự',
  'an toàn thực phẩm',
  'An toàn thực phẩm',
  'Ăn uống và dinh dưỡng',
  'Âm nhạc truyền thống',
  'Ẩm thực đường phố',
  'Bản đồ điểm du lịch',
  'Bản đồ quy hoạch sử dụng đất',
  'Chỉ số giá tiêu dùng',
  'Chương trình mục tiêu quốc gia',
  'Con đường di sản',
  'Cổng thông tin điện tử',
  'Cơ sở dữ liệu dân cư',
  'Danh mục thủ tục hành chính',
  'Dân số theo phường',
  'Dự án đầu tư công',
  'Đất đai và tài nguyên',
  'Điện năng tiêu thụ',
  'Ma',
  'Mà',
  'Mả',
  'Mã',
  'Má',
  'Mạ',
  'Quy hoạch chung',
  'Quyết định hành chính',
  'Suất đầu tư',
  'Sức khỏe cộng đồng',
  'Sưu tầm hiện vật',
  'Ý kiến người dân',
  'Y tế dự phòng',
];

const NAMES = [
  'Doãn Thị Hằng',
  'Dương Văn Minh',
  'Đào Thị Hoa',
  'Đặng Văn Lâm',
  'Đinh Công Tráng',
  'Lê Thị Anh',
  'Lê Thị Ánh',
  'Lê Thị Ân',
  'Lê Văn An',
  'Ngô Bảo Châu',
  'Nguyễn Thị Hà',
  'Nguyễn Thị Hải',
  'Phạm Văn Đồng',
  'Phan Bội Châu',
  'Trần Hưng Đạo',
  'Trương Thị Mai',
  'Võ Nguyên Giáp',
  'Vũ Trọng Phụng',
];

const CATEGORY = 'Kiểm thử thứ tự';

let gw: TestGateway;
let admin: Record<string, string>;
let householdId: number;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connection of a source
const root = (source: SourceName): Kysely<any> => gw.databases.connections.sources[source].root;

beforeAll(async () => {
  gw = await startTestGateway();
  const token = await mintDevToken(gw.databases.config.auth, { role: 'admin' });
  admin = { authorization: `Bearer ${token}`, 'x-purpose': 'CITIZEN_REQUEST' };

  // Inserted in reverse, through INSERT rather than the seeds' COPY: the key is filled on every write.
  const { rows: publishers } = await sql<{ publisher_id: number }>`select publisher_id from opendata.datasets order by id limit 1`.execute(root('opendata'));
  for (const [i, title] of [...TITLES].reverse().entries()) {
    await sql`insert into opendata.datasets (slug, title, description, category, licence, publisher_id, access_level, update_frequency, created_at, updated_at)
      values (${`kiem-thu-thu-tu-${i}`}, ${title}, ${'Bộ dữ liệu kiểm thử thứ tự chữ cái.'}, ${CATEGORY}, 'CC-BY-4.0', ${publishers[0]!.publisher_id},
              'PUBLIC', 'YEARLY', now(), now())`.execute(root('opendata'));
  }
  const { rows: wards } = await sql<{ ward_id: number }>`select ward_id from population.citizens order by id limit 1`.execute(root('population'));
  const ward = wards[0]!.ward_id;
  const { rows: households } = await sql<{ id: number }>`insert into population.households (code, ward_id, address, member_count)
    values ('HK-KIEM-THU-000001', ${ward}, ${'12 Nguyễn Văn Linh'}, ${NAMES.length}) returning id`.execute(root('population'));
  householdId = households[0]!.id;
  for (const [i, name] of [...NAMES].reverse().entries()) {
    await sql`insert into population.citizens (national_id, full_name, gender, birth_date, address, ward_id, household_id)
      values (${`0489900000${String(i).padStart(2, '0')}`}, ${name}, ${i % 2 ? 'MALE' : 'FEMALE'}, '1980-01-01', ${'12 Nguyễn Văn Linh'}, ${ward}, ${householdId})`.execute(
      root('population'),
    );
  }
});
afterAll(async () => gw?.close());

const DATASETS = `query($filter: DatasetFilter, $first: Int, $after: String, $last: Int, $before: String) {
  datasets(filter: $filter, orderBy: TITLE, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id title } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }`;

const CITIZENS = `query($filter: CitizenFilter, $first: Int, $after: String, $last: Int, $before: String) {
  citizens(filter: $filter, orderBy: NAME, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id fullName } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }`;

async function datasets(variables: Record<string, unknown>): Promise<Conn<{ id: string; title: string }>> {
  return ok(await gw.query<{ datasets: Conn<{ id: string; title: string }> }>(DATASETS, variables)).datasets;
}

async function citizens(variables: Record<string, unknown>): Promise<Conn<{ id: string; fullName: string }>> {
  return ok(await gw.query<{ citizens: Conn<{ id: string; fullName: string }> }>(CITIZENS, variables, admin)).citizens;
}

describe(`Vietnamese alphabetical order (${TEST_BACKEND})`, () => {
  it('lists datasets by TITLE in Vietnamese alphabetical order, and pages it exactly both ways', async () => {
    const filter = { category: CATEGORY };
    const page = await datasets({ filter, first: 100 });
    expect(page.edges.map((e) => e.node.title)).toEqual(TITLES);
    // The issue's examples, by name.
    const titles = page.edges.map((e) => e.node.title);
    expect(titles.indexOf('Bản đồ điểm du lịch')).toBeLessThan(titles.indexOf('Bản đồ quy hoạch sử dụng đất'));
    expect(titles.indexOf('Chỉ số giá tiêu dùng')).toBeLessThan(titles.indexOf('Chương trình mục tiêu quốc gia'));

    const forward = await walk((args) => datasets({ filter, ...args }), 'forward', 4);
    const backward = await walk((args) => datasets({ filter, ...args }), 'backward', 3);
    expect(forward).toHaveLength(TITLES.length);
    expect(backward).toEqual(forward);
  });

  it('lists citizens by NAME in Vietnamese alphabetical order (admin with a purpose), and pages it exactly both ways', async () => {
    const filter = { householdId: toGlobalId('Household', householdId) };
    const page = await citizens({ filter, first: 100 });
    expect(page.edges.map((e) => e.node.fullName)).toEqual(NAMES);

    const forward = await walk((args) => citizens({ filter, ...args }), 'forward', 5);
    const backward = await walk((args) => citizens({ filter, ...args }), 'backward', 2);
    expect(forward).toHaveLength(NAMES.length);
    expect(backward).toEqual(forward);
  });

  it('keeps the word search, which ignores case and diacritics, in the same order', async () => {
    const page = await datasets({ filter: { category: CATEGORY, search: 'ban do' }, first: 10 });
    expect(page.edges.map((e) => e.node.title)).toEqual(['Bản đồ điểm du lịch', 'Bản đồ quy hoạch sử dụng đất']);
    const people = await citizens({ filter: { householdId: toGlobalId('Household', householdId), search: 'le thi' }, first: 10 });
    expect(people.edges.map((e) => e.node.fullName)).toEqual(['Lê Thị Anh', 'Lê Thị Ánh', 'Lê Thị Ân']);
    expect(people.edges.every((e) => fold(e.node.fullName).startsWith('le thi'))).toBe(true);
  });

  it('recomputes the key when a title changes', async () => {
    const db = root('opendata');
    await sql`update opendata.datasets set title = 'Ăn uống và dinh dưỡng 2' where category = ${CATEGORY} and title = 'Ma'`.execute(db);
    try {
      const titles = (await datasets({ filter: { category: CATEGORY }, first: 100 })).edges.map((e) => e.node.title);
      expect(titles.slice(3, 5)).toEqual(['Ăn uống và dinh dưỡng', 'Ăn uống và dinh dưỡng 2']);
      expect(titles).not.toContain('Ma');
    } finally {
      await sql`update opendata.datasets set title = 'Ma' where category = ${CATEGORY} and title = 'Ăn uống và dinh dưỡng 2'`.execute(db);
    }
  });
});

/** Every ordered name or title, and its stored key. */
const ORDERED: Array<{ source: SourceName; table: string; column: string }> = [
  { source: 'reference', table: 'administrative_units', column: 'name' },
  { source: 'reference', table: 'agencies', column: 'name' },
  { source: 'population', table: 'citizens', column: 'full_name' },
  { source: 'population', table: 'households', column: 'address' },
  { source: 'business', table: 'businesses', column: 'name' },
  { source: 'services', table: 'procedures', column: 'name' },
  { source: 'opendata', table: 'datasets', column: 'title' },
  { source: 'ioc', table: 'indicators', column: 'name' },
];

/**
 * ICU's `vi` collation as Node.js has it (full ICU), with PostgreSQL's tie-break for strings it
 * calls equal (their bytes), then the id: the reference on both backends.
 */
const vietnamese = new Intl.Collator('vi');
function icuOrder<T extends { id: number; text: string }>(rows: readonly T[]): number[] {
  return [...rows]
    .sort((a, b) => vietnamese.compare(a.text, b.text) || Buffer.compare(Buffer.from(a.text), Buffer.from(b.text)) || a.id - b.id)
    .map((r) => r.id);
}

/** A fixed pseudo-random sequence (mulberry32), so the strings are the same at every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe(`the stored sort key equals ICU's vi collation (${TEST_BACKEND})`, () => {
  it.each(ORDERED)('orders every seeded $table.$column as ICU does', async ({ source, table, column }) => {
    const db = root(source);
    const { rows } = await sql<{ id: number; text: string }>`
      select id, ${sql.ref(column)} as text from ${sql.table(`${source}.${table}`)} order by ${sql.ref(`${column}_sort`)}, id`.execute(db);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.map((r) => r.id)).toEqual(icuOrder(rows));
    if (TEST_BACKEND === 'postgres') {
      const { rows: icu } = await sql<{ id: number }>`
        select id from ${sql.table(`${source}.${table}`)} order by ${sql.ref(column)} collate "vi-x-icu", id`.execute(db);
      expect(rows.map((r) => r.id)).toEqual(icu.map((r) => r.id));
    }
  });

  it('orders random strings of Vietnamese letters, tones, cases, spaces, punctuation and digits as ICU does', async () => {
    const next = random(18);
    const pick = (chars: string) => [...chars][Math.floor(next() * [...chars].length)]!;
    const vowels = 'aăâeêioôơuưyAĂÂEÊIOÔƠUƯY';
    const tones = ['', '\u0300', '\u0309', '\u0303', '\u0301', '\u0323'];
    const strings = new Set<string>();
    while (strings.size < 4000) {
      let text = '';
      for (let n = 1 + Math.floor(next() * 6); n > 0; n -= 1) {
        const r = next();
        if (r < 0.45) text += (pick(vowels) + tones[Math.floor(next() * tones.length)]).normalize('NFC');
        else if (r < 0.8) text += pick('bcdđghklmnpqrstvxBCDĐGHKLMNPQRSTVX');
        else if (r < 0.95) text += pick(` -,.'"()/&:;0123456789\u00A0`);
        else text += pick('fjwzçñüéèÇÉ');
      }
      strings.add(text);
    }
    const texts = [...strings];
    const db = root('opendata');
    const { rows } = await sql<{ id: number; text: string }>`
      select i::int as id, t as text from unnest(${texts}::text[]) with ordinality as s(t, i) order by opendata.vi_sort_key(t), i`.execute(db);
    expect(rows.map((r) => r.id)).toEqual(icuOrder(rows));
    // No two different strings share a key (the order between them would be left to the id).
    const { rows: distinct } = await sql<{ n: number }>`select count(distinct opendata.vi_sort_key(t))::int as n from unnest(${texts}::text[]) as t`.execute(db);
    expect(distinct[0]!.n).toBe(texts.length);
  });

  it('gives decomposed (NFD) text the key of its composed form, and puts other scripts after z', async () => {
    const db = root('opendata');
    const key = async (text: string) =>
      (await sql<{ k: string }>`select opendata.vi_sort_key(${text}) as k`.execute(db)).rows[0]!.k;
    expect(await key('Nguyễn Văn Quảng'.normalize('NFD'))).toBe(await key('Nguyễn Văn Quảng'));
    const { rows } = await sql<{ t: string }>`
      select t from unnest(${['Ωmega', 'Zô', 'Đà Nẵng', '東京', 'Ýên']}::text[]) as t order by opendata.vi_sort_key(t)`.execute(db);
    expect(rows.map((r) => r.t)).toEqual(['Đà Nẵng', 'Ýên', 'Zô', 'Ωmega', '東京']);
  });

  it('fills the key of the rows already in a table when the column is added (the migrations\' backfill)', async () => {
    const db = root('opendata');
    await sql`create table opendata.vi_backfill_probe (id int primary key, title text not null)`.execute(db);
    try {
      await sql`insert into opendata.vi_backfill_probe select i, t from unnest(${TITLES}::text[]) with ordinality as s(t, i)`.execute(db);
      await addSortKeyColumn(db, 'opendata', 'vi_backfill_probe', 'title');
      const { rows } = await sql<{ title: string }>`select title from opendata.vi_backfill_probe order by title_sort desc, id`.execute(db);
      expect(rows.map((r) => r.title)).toEqual([...TITLES].reverse());
    } finally {
      await sql`drop table opendata.vi_backfill_probe`.execute(db);
    }
  });
});

/**
 * The floor: the SQL the gateway issues for scenarios 1 (catalogue search), 2 (officer's
 * worklist) and 6 to 8 (catalogue page, deep citizens page, one citizen by id), issued directly by a minimal node:http handler, with no GraphQL, no token
 * verification, no field guard and no access log, answering the same JSON the gateway answers.
 * The statements are the ones the gateway's repositories issue on a request after the first
 * (captured with `npx tsx bench/capture-sql.ts catalogue worklist datasets citizens node`), in the
 * same number but for the access log's, with each level's independent statements issued in
 * parallel. Agencies and administrative units are read once at start, as the gateway answers them
 * from its process cache of reference rows.
 *
 * A child of `bench/run.ts`: it reads the sources from BENCH_SOURCE_ENV (a JSON object of
 * DATABASE_URL or DATA_DIR) and reports `{ ready: url }` over IPC.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { cursorBindingOf } from '../src/auth/authenticate.js';
import { PUBLIC_PRINCIPAL } from '../src/access/principal.js';
import { CursorCodec } from '../src/platform/db/cursors.js';
import { VALUE_PARSERS } from '../src/platform/db/type-parsers.js';

type Row = Record<string, unknown>;
type Query = (text: string, params: unknown[]) => Promise<Row[]>;

const SOURCES = ['reference', 'population', 'business', 'services', 'opendata'] as const;
type Source = (typeof SOURCES)[number];

/** Statements sent so far, read by the bench at GET /bench/statements around one request (as for PostGraphile). */
let statements = 0;

/** One `pg` pool per source (as the gateway has), or the one embedded database. */
async function openSources(env: Record<string, string>): Promise<{ query: Record<Source, Query>; close(): Promise<void> }> {
  if (env.DATABASE_URL) {
    const types = {
      getTypeParser: (oid: number, format?: 'text' | 'binary') => VALUE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format),
    } as pg.CustomTypesConfig;
    const pools = SOURCES.map((source) => [source, new pg.Pool({ connectionString: env.DATABASE_URL, max: 10, types })] as const);
    const query = Object.fromEntries(
      pools.map(([source, pool]) => [source, async (text: string, params: unknown[]) => {
        statements += 1;
        return (await pool.query(text, params)).rows as Row[];
      }]),
    ) as Record<Source, Query>;
    return { query, close: async () => void (await Promise.all(pools.map(([, pool]) => pool.end()))) };
  }
  const db = await PGlite.create({ dataDir: env.DATA_DIR, extensions: { unaccent, pg_trgm }, parsers: VALUE_PARSERS });
  const run: Query = async (text, params) => {
    statements += 1;
    return (await db.query<Row>(text, params)).rows;
  };
  return { query: Object.fromEntries(SOURCES.map((source) => [source, run])) as Record<Source, Query>, close: () => db.close() };
}

// Output conventions of the gateway: opaque ids and cursors, enum names, ISO date-times.
const globalId = (type: string, id: unknown) => Buffer.from(`${type}:${id}`).toString('base64url');
/** The gateway's own cursor encoding (encrypted with the configured cursor secret, bound to the caller). */
const cursor = (cursors: CursorCodec, name: string, values: unknown[]) => cursors.encode({ name }, values);
/** Phones are stored nationally (09x…); the API gives E.164, as the Citizen type does. */
const e164 = (phone: unknown) => (typeof phone === 'string' && phone ? `+84${phone.replace(/^0/, '')}` : null);
const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value);
const LICENCES: Record<string, string> = { 'CC-BY-4.0': 'CC_BY_4_0', 'ODC-BY': 'ODC_BY', 'CC0-1.0': 'CC0_1_0', 'ODbL-1.0': 'ODBL_1_0', 'GOV-OPEN': 'GOV_OPEN' };
const FORMATS: Record<string, string> = { GeoJSON: 'GEOJSON' };
const byId = (rows: Row[]) => new Map(rows.map((row) => [row.id as number, row]));
const distinct = (values: unknown[]) => [...new Set(values)] as number[];

/** `%word%` per word, as the gateway's search does (the fold() wrapper ignores case and diacritics). */
function searchWords(term: string): string[] {
  return term
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 8)
    .map((word) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}

/** Reference rows the gateway answers from its process cache (REFERENCE_CACHE_MS): read once here. */
interface Reference {
  agencyById: Map<number, Row>;
  agencyByCode: Map<string, Row>;
  unitById: Map<number, Row>;
}

async function loadReference(q: Record<Source, Query>): Promise<Reference> {
  const [agencies, units] = await Promise.all([q.reference(`select * from "reference"."agencies"`, []), q.reference(`select * from "reference"."administrative_units"`, [])]);
  return { agencyById: byId(agencies), agencyByCode: new Map(agencies.map((a) => [a.code as string, a])), unitById: byId(units) };
}

/** Rows of a page statement with its same-source relation (`relation$column`), grouped under each page row. */
function pageWith(rows: Row[], relation: string): Array<{ row: Row; related: Row[] }> {
  const prefix = `${relation}$`;
  const out: Array<{ row: Row; related: Row[] }> = [];
  let current: { row: Row; related: Row[] } | undefined;
  for (const raw of rows) {
    if (!current || current.row.id !== raw.id) {
      const row: Row = {};
      for (const key in raw) if (!key.startsWith(prefix)) row[key] = raw[key];
      current = { row, related: [] };
      out.push(current);
    }
    if (raw[`${prefix}id`] === null) continue;
    const related: Row = {};
    for (const key in raw) if (key.startsWith(prefix)) related[key.slice(prefix.length)] = raw[key];
    current.related.push(related);
  }
  return out;
}

const RESOURCE_COLUMNS = ['id', 'dataset_id', 'name', 'format', 'url', 'size_bytes', 'created_at'].map((c) => `"resource"."${c}" as "resource$${c}"`).join(', ');

/** Datasets of a page (the columns given) with their resources, in the gateway's one statement. */
function datasetsPageStatement(columns: string, where: string, limitParam: number): string {
  return (
    `select "page".*, ${RESOURCE_COLUMNS} from (select ${columns} from "opendata"."datasets" where ${where} order by "downloads" desc, "id" desc limit $${limitParam}) as "page" ` +
    `left join "opendata"."dataset_resources" as "resource" on "resource"."dataset_id" = "page"."id" order by "page"."downloads" desc, "page"."id" desc, "resource"."id" asc`
  );
}

/** Scenario 1: the public catalogue search, 20 most downloaded, publisher, 5 resources, category facets. */
async function catalogue(q: Record<Source, Query>, ref: Reference, cursors: CursorCodec, search: string): Promise<unknown> {
  const words = searchWords(search);
  const matches = words.map((_, i) => `"opendata"."fold"("title") like "opendata"."fold"($${i + 2})`);
  const where = `"access_level" = any($1::text[]) and ${matches.length ? `(${matches.join(' and ')})` : 'true'}`;
  const params = [['PUBLIC'], ...words];
  const limit = 20;
  const [categories, rows, [count]] = await Promise.all([
    q.opendata(`select "category", count(*) as "n" from "opendata"."datasets" where ${where} group by "category" order by "n" desc, "category"`, params),
    q.opendata(datasetsPageStatement('"id", "downloads", "slug", "title", "category", "licence", "updated_at", "publisher_id"', where, params.length + 1), [...params, limit + 1]),
    q.opendata(`select count(*) as "n" from "opendata"."datasets" where ${where}`, params),
  ]);
  const all = pageWith(rows, 'resource');
  const page = all.slice(0, limit);
  const edges = page.map(({ row, related }) => ({
    cursor: cursor(cursors, 'dataset:downloads', [row.downloads, row.id]),
    node: {
      id: globalId('Dataset', row.id),
      slug: row.slug,
      title: row.title,
      category: row.category,
      licence: LICENCES[row.licence as string] ?? row.licence,
      downloads: row.downloads,
      updatedAt: iso(row.updated_at),
      publisher: ref.agencyById.has(row.publisher_id as number) ? { name: ref.agencyById.get(row.publisher_id as number)!.name } : null,
      resources: {
        edges: related.slice(0, 5).map((r) => ({ node: { format: FORMATS[r.format as string] ?? r.format, url: r.url } })),
      },
    },
  }));
  return {
    data: {
      datasets: {
        totalCount: Number(count!.n),
        pageInfo: { hasNextPage: all.length > limit, endCursor: edges.at(-1)?.cursor ?? null },
        edges,
      },
      datasetCategories: categories.map((c) => ({ category: c.category, count: Number(c.n) })),
    },
  };
}

function timeliness(row: Row, now: Date): string {
  const due = row.due_at as Date;
  const completed = row.completed_at as Date | null;
  if (completed === null) return due < now ? 'OPEN_OVERDUE' : 'OPEN';
  return completed <= due ? 'ON_TIME' : 'LATE';
}

/** Scenario 2: an officer's worklist, 50 open dossiers due soonest, procedure, agency, applicant and ward. */
async function worklist(q: Record<Source, Query>, ref: Reference, cursors: CursorCodec, agencyCode: string): Promise<unknown> {
  const now = new Date();
  const limit = 50;
  const agency = ref.agencyByCode.get(agencyCode);
  if (!agency) return { data: { dossiers: { pageInfo: { hasNextPage: false, endCursor: null }, edges: [] } } };
  const all = pageWith(
    await q.services(
      `select "page".*, "procedure"."id" as "procedure$id", "procedure"."code" as "procedure$code", "procedure"."name" as "procedure$name", "procedure"."processing_days" as "procedure$processing_days" ` +
        `from (select "id", "due_at", "code", "status", "channel", "submitted_at", "completed_at", "procedure_id", "agency_id", "applicant_kind", "applicant_id" from "services"."dossiers" ` +
        `where "agency_id" = any($1::int[]) and "completed_at" is null order by "due_at" asc, "id" asc limit $2) as "page" ` +
        `left join "services"."procedures" as "procedure" on "procedure"."id" = "page"."procedure_id" order by "page"."due_at" asc, "page"."id" asc`,
      [[agency.id], limit + 1],
    ),
    'procedure',
  );
  const page = all.slice(0, limit);
  const citizenIds = distinct(page.filter(({ row }) => row.applicant_kind === 'CITIZEN').map(({ row }) => row.applicant_id));
  const businessIds = distinct(page.filter(({ row }) => row.applicant_kind === 'BUSINESS').map(({ row }) => row.applicant_id));
  const [citizens, businesses] = await Promise.all([
    q.population(`select "full_name", "id", "national_id", "phone", "ward_id" from "population"."citizens" where "id" = any($1::int[])`, [citizenIds]),
    q.business(`select "code", "id", "name", "ward_id" from "business"."businesses" where "id" = any($1::int[])`, [businessIds]),
  ]);
  const [citizenOf, businessOf] = [byId(citizens), byId(businesses)];
  // The policy's relation: the officer sees applicants of the own agency's dossiers, which every row of this page is.
  const visible = new Set(page.filter(({ row }) => row.agency_id === agency.id && row.applicant_kind === 'CITIZEN').map(({ row }) => row.applicant_id));
  const ward = (id: unknown) => (ref.unitById.has(id as number) ? { fullName: ref.unitById.get(id as number)!.full_name } : null);
  const applicant = (row: Row) => {
    if (row.applicant_kind === 'CITIZEN') {
      const c = citizenOf.get(row.applicant_id as number);
      if (!c) return null;
      const shown = visible.has(c.id);
      return { __typename: 'Citizen', id: globalId('Citizen', c.id), fullName: shown ? c.full_name : null, phone: shown ? e164(c.phone) : null, ward: shown ? ward(c.ward_id) : null };
    }
    const b = businessOf.get(row.applicant_id as number);
    return b ? { __typename: 'Business', id: globalId('Business', b.id), name: b.name, code: b.code, ward: ward(b.ward_id) } : null;
  };
  const edges = page.map(({ row, related: [procedure] }) => {
    const handling = ref.agencyById.get(row.agency_id as number);
    return {
      node: {
        id: globalId('Dossier', row.id),
        code: row.code,
        status: row.status,
        channel: row.channel,
        submittedAt: iso(row.submitted_at),
        dueAt: iso(row.due_at),
        timeliness: timeliness(row, now),
        procedure: procedure ? { code: procedure.code, name: procedure.name, processingDays: procedure.processing_days } : null,
        agency: handling ? { code: handling.code, name: handling.name } : null,
        applicant: applicant(row),
      },
    };
  });
  const last = page.at(-1)?.row;
  return {
    data: {
      dossiers: {
        pageInfo: { hasNextPage: all.length > limit, endCursor: last ? cursor(cursors, 'dossier:due', [last.due_at, last.id]) : null },
        edges,
      },
    },
  };
}

/** Scenario 6: the catalogue page, 20 most downloaded public datasets, publisher, 5 resources each. */
async function datasets(q: Record<Source, Query>, ref: Reference): Promise<unknown> {
  const limit = 20;
  const all = pageWith(await q.opendata(datasetsPageStatement('"id", "downloads", "slug", "title", "publisher_id"', '"access_level" = any($1::text[])', 2), [['PUBLIC'], limit + 1]), 'resource');
  const page = all.slice(0, limit);
  return {
    data: {
      datasets: {
        pageInfo: { hasNextPage: all.length > limit },
        edges: page.map(({ row, related }) => ({
          node: {
            id: globalId('Dataset', row.id),
            slug: row.slug,
            title: row.title,
            downloads: row.downloads,
            publisher: ref.agencyById.has(row.publisher_id as number) ? { name: ref.agencyById.get(row.publisher_id as number)!.name } : null,
            resources: { edges: related.slice(0, 5).map((r) => ({ node: { name: r.name, url: r.url } })) },
          },
        })),
      },
    },
  };
}

/** Scenario 7: 50 citizens after a keyset (full_name_sort, id), name, national id, ward. */
async function citizens(q: Record<Source, Query>, ref: Reference, cursors: CursorCodec, sortKey: string, afterId: number): Promise<unknown> {
  const limit = 50;
  const rows = await q.population(
    `select "id", "full_name_sort", "national_id", "full_name", "ward_id" from "population"."citizens" where ("full_name_sort", "id") > ($1, $2) order by "full_name_sort" asc, "id" asc limit $3`,
    [sortKey, afterId, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: {
      citizens: {
        pageInfo: { hasNextPage: rows.length > limit, endCursor: last ? cursor(cursors, 'citizen:name.vi', [last.full_name_sort, last.id]) : null },
        edges: page.map((row) => ({
          node: { fullName: row.full_name, nationalId: row.national_id, ward: ref.unitById.has(row.ward_id as number) ? { name: ref.unitById.get(row.ward_id as number)!.name } : null },
        })),
      },
    },
  };
}

/** Scenario 8: one citizen by id, name, national id, ward. */
async function node(q: Record<Source, Query>, ref: Reference, id: number): Promise<unknown> {
  const [row] = await q.population(`select "full_name", "id", "national_id", "ward_id" from "population"."citizens" where "id" = any($1::int[])`, [[id]]);
  if (!row) return { data: { node: null } };
  const unit = ref.unitById.get(row.ward_id as number);
  return {
    data: { node: { __typename: 'Citizen', id: globalId('Citizen', row.id), fullName: row.full_name, nationalId: row.national_id, ward: unit ? { name: unit.name } : null } },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

async function main(): Promise<void> {
  const env = JSON.parse(process.env.BENCH_SOURCE_ENV ?? '{}') as Record<string, string>;
  // The gateway's key: the floor's cursors are the ones the gateway would give.
  const cursors = CursorCodec.fromSecret(loadConfig(env).cursorSecret);
  const sources = await openSources(env);
  const ref = await loadReference(sources.query);
  statements = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // The request body (if any) is drained unread: the floor takes its arguments from the URL.
    req.resume();
    const url = new URL(req.url ?? '/', 'http://floor');
    try {
      if (url.pathname === '/catalogue') return send(res, 200, await catalogue(sources.query, ref, cursors, url.searchParams.get('search') ?? ''));
      if (url.pathname === '/worklist') {
        const agency = url.searchParams.get('agency') ?? '';
        // Cursors are bound to their caller: the floor seals its cursor for the same officer the gateway serves.
        const officer = { ...PUBLIC_PRINCIPAL, role: 'officer' as const, subject: url.searchParams.get('subject') ?? '', agency };
        return send(res, 200, await worklist(sources.query, ref, cursors.boundTo(cursorBindingOf(officer)), agency));
      }
      if (url.pathname === '/bench/statements') return send(res, 200, { statements });
      if (url.pathname === '/datasets') return send(res, 200, await datasets(sources.query, ref));
      if (url.pathname === '/citizens') {
        const admin = { ...PUBLIC_PRINCIPAL, role: 'admin' as const, subject: url.searchParams.get('subject') ?? '', clientApp: 'gateway-bench' };
        const bound = cursors.boundTo(cursorBindingOf(admin));
        return send(res, 200, await citizens(sources.query, ref, bound, url.searchParams.get('sort') ?? '', Number(url.searchParams.get('id'))));
      }
      if (url.pathname === '/node') return send(res, 200, await node(sources.query, ref, Number(url.searchParams.get('id'))));
      send(res, 404, { error: 'not found' });
    } catch (error) {
      console.error(error);
      send(res, 500, { error: (error as Error).message });
    }
  };
  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stop = async () => {
    server.close();
    server.closeAllConnections();
    await sources.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
  process.send?.({ ready: `http://127.0.0.1:${port}` });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

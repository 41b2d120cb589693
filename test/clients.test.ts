import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { Kind, parse } from 'graphql';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { criterionSubjectId } from '../src/access/criterion-hash.js';
import { createGatewayClient, documentHash, GatewayRequestError, verifyCheckpoint, verifyConsistency, verifyEntry, type GatewayClientOptions } from '../src/clients/client.js';
import { mintDevToken, type DevTokenRequest } from '../src/auth/tokens.js';
import { fromGlobalId } from '../src/platform/relay/global-id.js';
import {
  AccessLogConsistencyDocument,
  AccessLogVerificationDocument,
  AuditorAccessLogDocument,
  CitizenAccessLogDocument,
  CitizenPortalDocument,
  DatasetCategoriesDocument,
  DatasetPageDocument,
  DatasetSearchDocument,
  DossierStatusDocument,
  IocDashboardDocument,
  OfficerWorklistDocument,
  type DossierStatus,
} from '../src/generated/graphql.js';
import { startTestGateway, type TestGateway } from './support/gateway.js';

/**
 * Every operation of the internal apps (src/clients/operations), run through the live gateway
 * with the typed client and a token of the app's role, checked against what SQL says.
 */

let gw: TestGateway;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the unscoped root connections
type Db = Kysely<any>;
let services: Db;
let population: Db;
let business: Db;
let reference: Db;
let opendata: Db;
let ioc: Db;
let audit: Db;

/** Every request body the clients sent, to check what went over the wire. */
const sent: Array<{ operationName: string; extensions?: { persistedQuery?: { sha256Hash: string } }; query?: string }> = [];
const recordingFetch: typeof fetch = async (input, init) => {
  sent.push(JSON.parse(String(init?.body)) as (typeof sent)[number]);
  return fetch(input, init);
};

async function clientFor(token: DevTokenRequest | null, options: Partial<GatewayClientOptions> = {}) {
  return createGatewayClient({
    url: gw.url,
    token: token ? await mintDevToken(gw.databases.config.auth, token) : undefined,
    fetch: recordingFetch,
    ...options,
  });
}

async function rows<T>(on: Db, query: ReturnType<typeof sql<T>>): Promise<T[]> {
  return (await query.execute(on)).rows;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());
const e164 = (phone: string | null) => (phone ? `+84${phone.replace(/^0/, '')}` : null);
const fold = (text: string) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase();
const OPEN: DossierStatus[] = ['RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED'];
/** The worklist's nodes without their opaque global ids. */
const withoutIds = <T extends { id: string; applicant: { id: string } | null }>(nodes: T[]) =>
  nodes.map(({ id: _id, applicant, ...rest }) => ({ ...rest, applicant: applicant && (({ id: _applicantId, ...fields }) => fields)(applicant) }));
/** The agency whose officer read applicants' phones with a declared purpose (the auditor looks for them). */
let purposeAgency: string;
const ALL_STATUSES: DossierStatus[] = [...OPEN, 'COMPLETED', 'REJECTED', 'WITHDRAWN'];
/**
 * An answer without its `__typename`s, to compare with what SQL says. Every generated document
 * selects `__typename` on every object (codegen.ts, for normalised caches: test/apollo-client.test.ts).
 */
const untyped = <T>(value: T): T => JSON.parse(JSON.stringify(value, (key, v: unknown) => (key === '__typename' ? undefined : v))) as T;

interface DossierRow {
  id: number;
  code: string;
  status: string;
  channel: string;
  agency_id: number;
  procedure_id: number;
  applicant_kind: 'CITIZEN' | 'BUSINESS';
  applicant_id: number;
  submitted_at: Date;
  due_at: Date;
  completed_at: Date | null;
}

function timeliness(row: DossierRow, now: number): string {
  if (row.completed_at === null) return new Date(row.due_at).getTime() < now ? 'OPEN_OVERDUE' : 'OPEN';
  return new Date(row.completed_at).getTime() <= new Date(row.due_at).getTime() ? 'ON_TIME' : 'LATE';
}

async function agencyCode(id: number): Promise<{ code: string; name: string }> {
  const [row] = await rows<{ code: string; name: string }>(reference, sql`select code, name from reference.agencies where id = ${id}`);
  return row!;
}

beforeAll(async () => {
  gw = await startTestGateway();
  const { sources } = gw.databases.connections;
  services = sources.services.root;
  population = sources.population.root;
  business = sources.business.root;
  reference = sources.reference.root;
  opendata = sources.opendata.root;
  ioc = sources.ioc.root;
  audit = sources.audit.root;
});
afterAll(async () => gw?.close());

/** What the worklist must show for these dossier rows: applicant, procedure and agency from their own sources. */
async function expectedWorklist(dossiers: DossierRow[], withPhone: boolean) {
  const now = Date.now();
  return Promise.all(
    dossiers.map(async (d) => {
      const [procedure] = await rows<{ code: string; name: string; processing_days: number }>(
        services,
        sql`select code, name, processing_days from services.procedures where id = ${d.procedure_id}`,
      );
      let applicant: Record<string, unknown>;
      if (d.applicant_kind === 'CITIZEN') {
        const [citizen] = await rows<{ full_name: string; phone: string | null }>(population, sql`select full_name, phone from population.citizens where id = ${d.applicant_id}`);
        applicant = { __typename: 'Citizen', fullName: citizen!.full_name, ...(withPhone ? { phone: e164(citizen!.phone) } : {}) };
      } else {
        const [firm] = await rows<{ name: string; code: string }>(business, sql`select name, code from business.businesses where id = ${d.applicant_id}`);
        applicant = { __typename: 'Business', name: firm!.name, code: firm!.code };
      }
      return {
        code: d.code,
        status: d.status,
        channel: d.channel,
        submittedAt: iso(d.submitted_at),
        dueAt: iso(d.due_at),
        timeliness: timeliness(d, now),
        agency: await agencyCode(d.agency_id),
        procedure: { code: procedure!.code, name: procedure!.name, processingDays: procedure!.processing_days },
        applicant,
      };
    }),
  );
}

describe("the officer's worklist (role officer)", () => {
  it('lists the open dossiers handled by the own agency, due soonest first, with applicants and procedures', async () => {
    const [busiest] = await rows<{ agency_id: number; n: number }>(
      services,
      sql`select agency_id, count(*)::int as n from services.dossiers where status in ('RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED')
          group by 1 order by 2 desc, 1 limit 1`,
    );
    expect(busiest!.n).toBeGreaterThan(0);
    const agency = await agencyCode(busiest!.agency_id);
    const expected = await rows<DossierRow>(
      services,
      sql`select * from services.dossiers where agency_id = ${busiest!.agency_id}
          and status in ('RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED') order by due_at, id limit 50`,
    );

    const officer = await clientFor({ role: 'officer', agency: agency.code, clientApp: 'officer-worklist' });
    const { dossiers } = await officer.request(OfficerWorklistDocument);
    expect(dossiers!.totalCount).toBe(busiest!.n);
    expect(dossiers!.edges.map((e) => e.node.code)).toEqual(expected.map((d) => d.code));
    expect(untyped(withoutIds(dossiers!.edges.map((e) => e.node)))).toEqual(untyped(await expectedWorklist(expected, false)));
    expect(dossiers!.edges.map((e) => e.node.applicant?.__typename)).toEqual(expected.map((d) => (d.applicant_kind === 'CITIZEN' ? 'Citizen' : 'Business')));
    expect(untyped(dossiers!.edges[0]!.node.agency)).toEqual(agency);
    // Not asked for: not in the result at all.
    expect(dossiers!.edges.some((e) => e.node.applicant && 'phone' in e.node.applicant)).toBe(false);
  });

  it('pages through any statuses, and shows phones only when asked for with a declared purpose', async () => {
    const [agencyRow] = await rows<{ agency_id: number }>(
      services,
      sql`select agency_id from services.dossiers where applicant_kind = 'CITIZEN' group by 1 order by count(*) desc, 1 limit 1`,
    );
    const agency = await agencyCode(agencyRow!.agency_id);
    purposeAgency = agency.code;
    const expected = await rows<DossierRow>(services, sql`select * from services.dossiers where agency_id = ${agencyRow!.agency_id} order by due_at, id limit 20`);
    expect(expected.filter((d) => d.applicant_kind === 'CITIZEN').length).toBeGreaterThan(3);

    const officer = await clientFor({ role: 'officer', agency: agency.code, clientApp: 'officer-worklist' }, { purpose: 'CITIZEN_REQUEST' });
    const page1 = await officer.request(OfficerWorklistDocument, { first: 10, statuses: ALL_STATUSES, withContact: true });
    expect(page1.dossiers!.pageInfo.hasNextPage).toBe(true);
    const page2 = await officer.request(OfficerWorklistDocument, { first: 10, after: page1.dossiers!.pageInfo.endCursor, statuses: ALL_STATUSES, withContact: true });
    const shown = withoutIds([...page1.dossiers!.edges, ...page2.dossiers!.edges].map((e) => e.node));
    expect(untyped(shown)).toEqual(untyped(await expectedWorklist(expected, true)));

    // Without a purpose the phone is personal data the officer may not read: the typed error says
    // FORBIDDEN and still carries the rest of the page; execute() returns both.
    const noPurpose = await clientFor({ role: 'officer', agency: agency.code });
    const failure = await noPurpose.request(OfficerWorklistDocument, { first: 10, statuses: ALL_STATUSES, withContact: true }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GatewayRequestError);
    expect((failure as GatewayRequestError).codes).toEqual(['FORBIDDEN']);
    const partial = await noPurpose.execute(OfficerWorklistDocument, { first: 10, statuses: ALL_STATUSES, withContact: true });
    expect(partial.data!.dossiers!.edges.map((e) => e.node.code)).toEqual(expected.slice(0, 10).map((d) => d.code));
    expect(partial.errors.length).toBe(expected.slice(0, 10).filter((d) => d.applicant_kind === 'CITIZEN').length);
    expect(partial.errors.every((e) => e.extensions?.code === 'FORBIDDEN' && e.path?.at(-1) === 'phone')).toBe(true);
  });
});

describe('the citizen portal (role citizen)', () => {
  it("shows the citizen's own record, dossiers and who read their data", async () => {
    const [applicant] = await rows<{ applicant_id: number; n: number }>(
      services,
      sql`select applicant_id, count(*)::int as n from services.dossiers where applicant_kind = 'CITIZEN' group by 1 order by 2 desc, 1 limit 1`,
    );
    expect(applicant!.n).toBeGreaterThan(1);
    const [citizen] = await rows<{
      id: number;
      national_id: string;
      full_name: string;
      gender: string;
      birth_date: string;
      phone: string | null;
      email: string | null;
      address: string;
      ward_id: number;
    }>(population, sql`select id, national_id, full_name, gender, birth_date::text as birth_date, phone, email, address, ward_id from population.citizens where id = ${applicant!.applicant_id}`);
    const [ward] = await rows<{ name: string; full_name: string; district: string }>(
      reference,
      sql`select w.name, w.full_name, d.name as district from reference.administrative_units w join reference.administrative_units d on d.id = w.parent_id where w.id = ${citizen!.ward_id}`,
    );

    // An admin reads the citizen's record for a request of theirs: the portal must show it.
    const adminRead = await gw.query(
      `query AdminLookup($id: String!) { citizen(nationalId: $id) { fullName phone } }`,
      { id: citizen!.national_id },
      { authorization: `Bearer ${await mintDevToken(gw.databases.config.auth, { role: 'admin' })}`, 'x-purpose': 'CITIZEN_REQUEST' },
    );
    expect(adminRead.errors).toBeUndefined();

    const dossiers = await rows<DossierRow>(
      services,
      sql`select * from services.dossiers where applicant_kind = 'CITIZEN' and applicant_id = ${citizen!.id} order by submitted_at desc, id desc`,
    );
    const log = await rows<{ occurred_at: Date; actor_role: string; actor_agency: string | null; purpose: string | null; fields: string[]; outcome: string; found_by: string[] }>(
      audit,
      sql`select occurred_at, actor_role, actor_agency, purpose, fields, outcome, found_by from audit.access_log
          where (subject_type = 'CITIZEN' and subject_id = ${String(citizen!.id)})
             or (subject_type = 'CRITERION' and subject_id = ${criterionSubjectId('nationalId', citizen!.national_id)}) order by id desc`,
    );
    expect(log.some((entry) => entry.actor_role === 'admin' && entry.purpose === 'CITIZEN_REQUEST')).toBe(true);

    const portal = await clientFor({ role: 'citizen', citizenId: citizen!.national_id, clientApp: 'citizen-portal' }, { purpose: 'SELF_SERVICE' });
    const { me } = await portal.request(CitizenPortalDocument, { dossiersFirst: 10, accessFirst: 10 });
    expect(me).toMatchObject({
      fullName: citizen!.full_name,
      nationalId: citizen!.national_id,
      birthDate: citizen!.birth_date,
      gender: citizen!.gender,
      phone: e164(citizen!.phone),
      email: citizen!.email,
      address: citizen!.address,
      ward: { name: ward!.name, fullName: ward!.full_name, district: { name: ward!.district } },
    });
    const now = Date.now();
    expect(me!.dossiers!.totalCount).toBe(dossiers.length);
    expect(untyped(me!.dossiers!.edges.map((e) => e.node))).toEqual(
      await Promise.all(
        dossiers.slice(0, 10).map(async (d) => {
          const [procedure] = await rows<{ code: string; name: string }>(services, sql`select code, name from services.procedures where id = ${d.procedure_id}`);
          return {
            code: d.code,
            status: d.status,
            channel: d.channel,
            submittedAt: iso(d.submitted_at),
            dueAt: iso(d.due_at),
            completedAt: iso(d.completed_at),
            timeliness: timeliness(d, now),
            procedure: { code: procedure!.code, name: procedure!.name },
            agency: await agencyCode(d.agency_id),
          };
        }),
      ),
    );
    expect(me!.accessLog!.totalCount).toBe(log.length);
    expect(untyped(me!.accessLog!.edges.map(({ node: { id: _id, ...entry } }) => entry))).toEqual(
      log.slice(0, 10).map((entry) => ({
        occurredAt: iso(entry.occurred_at),
        actorRole: entry.actor_role,
        actorAgency: entry.actor_agency,
        purpose: entry.purpose,
        fields: entry.fields,
        outcome: entry.outcome,
        foundBy: entry.found_by,
      })),
    );
    // The admin found the citizen by national id, and read the name and phone: one entry says both.
    expect(log).toContainEqual(expect.objectContaining({ actor_role: 'admin', outcome: 'GRANTED', fields: ['fullName', 'phone'], found_by: ['nationalId'] }));
  });

  it('proves each read of their data is in the log (CitizenAccessLog: commitments and inclusion proofs, verified)', async () => {
    // The citizen the admin read in the test before (the applicant of the most dossiers).
    const [citizen] = await rows<{ national_id: string }>(
      population,
      sql`select national_id from population.citizens where id = ${(await rows<{ id: number }>(services, sql`select applicant_id as id from services.dossiers where applicant_kind = 'CITIZEN' group by 1 order by count(*) desc, 1 limit 1`))[0]!.id}`,
    );
    const portal = await clientFor({ role: 'citizen', citizenId: citizen!.national_id, clientApp: 'citizen-portal' }, { purpose: 'SELF_SERVICE' });
    const { verifierKey } = (await (await fetch(new URL('/.well-known/access-log/key', gw.url))).json()) as { verifierKey: string };
    // The reads of the test before are in the tree within about a second.
    let reads;
    for (const started = Date.now(); ; ) {
      reads = (await portal.request(CitizenAccessLogDocument, { first: 10 })).me!.accessLog!.edges.map((e) => e.node);
      if (reads.every((read) => read.inclusionProof) || Date.now() - started > 10_000) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(reads.length).toBeGreaterThan(0);
    for (const { occurredAt, actorRole, actorAgency, purpose, fields, outcome, commitment, inclusionProof } of reads) {
      const result = await verifyEntry({ shown: { occurredAt, actorRole, actorAgency, purpose, fields, outcome }, commitment, inclusionProof }, verifierKey);
      expect(result).toMatchObject({ verified: true, checkpoint: { treeSize: inclusionProof!.treeSize } });
    }
  });
});

describe('the IOC dashboard (role analyst)', () => {
  it('shows every indicator with its target and latest city-wide value, and dossier figures per month', async () => {
    const indicators = await rows<{ id: number; code: string; name: string; category: string; unit: string; visibility: string; target: number | null; target_year: number | null; owner_id: number }>(
      ioc,
      sql`select id, code, name, category, unit, visibility, target::float8 as target, target_year, owner_id from ioc.indicators order by code, id`,
    );
    const latest = await rows<{ indicator_id: number; period: string; value: number }>(
      ioc,
      sql`select distinct on (indicator_id) indicator_id, period::text as period, value::float8 as value from ioc.observations
          where ward_id is null order by indicator_id, period desc, id desc`,
    );
    const latestOf = new Map(latest.map((r) => [r.indicator_id, { period: r.period, value: r.value }]));
    expect(indicators.some((i) => i.visibility === 'INTERNAL')).toBe(true);

    const from = '2024-01-01T00:00:00+07:00';
    const to = '2024-07-01T00:00:00+07:00';
    const months = await rows<{ month: string; total: number; online: number; resolved: number; on_time: number; overdue: number }>(
      services,
      sql`select to_char(submitted_at at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM') as month, count(*)::int as total,
            count(*) filter (where channel = 'ONLINE')::int as online,
            count(*) filter (where status in ('COMPLETED', 'REJECTED'))::int as resolved,
            count(*) filter (where status in ('COMPLETED', 'REJECTED') and completed_at <= due_at)::int as on_time,
            count(*) filter (where (completed_at is null and due_at < now()) or (completed_at is not null and completed_at > due_at))::int as overdue
          from services.dossiers where submitted_at >= ${new Date(from)} and submitted_at < ${new Date(to)} group by 1 order by 1`,
    );
    expect(months).toHaveLength(6);

    const analyst = await clientFor({ role: 'analyst', clientApp: 'ioc-dashboard' });
    const data = await analyst.request(IocDashboardDocument, { from, to });
    expect(data.indicators!.totalCount).toBe(indicators.length);
    expect(untyped(data.indicators!.edges.map(({ node: { id: _id, ...node } }) => node))).toEqual(
      await Promise.all(
        indicators.map(async (i) => ({
          code: i.code,
          name: i.name,
          category: i.category,
          unit: i.unit,
          visibility: i.visibility,
          target: i.target,
          targetYear: i.target_year,
          latest: latestOf.get(i.id) ?? null,
          owner: await agencyCode(i.owner_id),
        })),
      ),
    );

    const sum = (key: 'total' | 'online' | 'resolved' | 'on_time' | 'overdue') => months.reduce((n, m) => n + m[key], 0);
    const stats = data.dossierStatistics!;
    expect(stats.totals).toMatchObject({ total: sum('total'), online: sum('online'), resolved: sum('resolved'), onTime: sum('on_time'), overdue: sum('overdue') });
    expect(stats.totals.onlineRate).toBeCloseTo(sum('online') / sum('total'), 10);
    expect(stats.totals.onTimeRate).toBeCloseTo(sum('on_time') / sum('resolved'), 10);
    expect(stats.groups.map((g) => [g.month, g.total, g.online, g.resolved, g.onTime, g.overdue])).toEqual(
      months.map((m) => [m.month, m.total, m.online, m.resolved, m.on_time, m.overdue]),
    );
  });
});

describe('the open-data portal (public, no token)', () => {
  interface DatasetRow {
    id: number;
    slug: string;
    title: string;
    category: string;
    downloads: number;
  }

  it('searches by words and category, page by page', async () => {
    const all = await rows<DatasetRow>(opendata, sql`select id, slug, title, category, downloads from opendata.datasets where access_level = 'PUBLIC' order by downloads desc, id desc`);
    const [category] = await rows<{ category: string }>(opendata, sql`select category from opendata.datasets where access_level = 'PUBLIC' group by 1 order by count(*) desc, 1 limit 1`);
    const inCategory = all.filter((d) => d.category === category!.category);
    // A word of the titles that picks some of the category's datasets, typed without diacritics.
    const counts = new Map<string, number>();
    for (const d of inCategory) for (const word of new Set(fold(d.title).split(/[^a-z0-9]+/))) if (word.length >= 3) counts.set(word, (counts.get(word) ?? 0) + 1);
    const [word] = [...counts.entries()].filter(([, n]) => n >= 5 && n < inCategory.length).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]!;
    const expected = inCategory.filter((d) => fold(d.title).includes(word));
    expect(expected.length).toBeGreaterThanOrEqual(5);

    const portal = await clientFor(null, { clientApp: 'open-data-portal' });
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { datasets }: Awaited<ReturnType<typeof searchPage>> = await searchPage(after);
      expect(datasets!.totalCount).toBe(expected.length);
      seen.push(...datasets!.edges.map((e) => e.node.slug));
      for (const { node } of datasets!.edges) expect(node.category).toBe(category!.category);
      pages += 1;
      if (!datasets!.pageInfo.hasNextPage) break;
      after = datasets!.pageInfo.endCursor;
    }
    expect(pages).toBe(Math.ceil(expected.length / 2));
    expect(seen).toEqual(expected.map((d) => d.slug));

    function searchPage(cursor: string | null) {
      return portal.request(DatasetSearchDocument, { search: word.toUpperCase(), category: category!.category, orderBy: 'DOWNLOADS', first: 2, after: cursor });
    }

    // Restricted datasets are not in the public catalogue.
    const { datasets } = await portal.request(DatasetSearchDocument, { first: 1 });
    expect(datasets!.totalCount).toBe(all.length);
  });

  it("shows a dataset's page with its resources, and the category facets", async () => {
    const [dataset] = await rows<{ id: number; slug: string; title: string; description: string; category: string; tags: string[]; downloads: number; publisher_id: number }>(
      opendata,
      sql`select d.id, d.slug, d.title, d.description, d.category, d.tags, d.downloads, d.publisher_id from opendata.datasets d
          where access_level = 'PUBLIC' and (select count(*) from opendata.dataset_resources r where r.dataset_id = d.id) > 1 order by downloads desc, id limit 1`,
    );
    const resources = await rows<{ name: string; url: string; size_bytes: string | number | null }>(
      opendata,
      sql`select name, url, size_bytes from opendata.dataset_resources where dataset_id = ${dataset!.id} order by id`,
    );
    const portal = await clientFor(null);
    const page = await portal.request(DatasetPageDocument, { slug: dataset!.slug });
    const publisher = await agencyCode(dataset!.publisher_id);
    expect(page.dataset).toMatchObject({
      slug: dataset!.slug,
      title: dataset!.title,
      description: dataset!.description,
      category: dataset!.category,
      tags: dataset!.tags,
      accessLevel: 'PUBLIC',
      downloads: dataset!.downloads,
      publisher: { code: publisher.code, name: publisher.name },
    });
    expect(page.dataset!.resources.totalCount).toBe(resources.length);
    expect(page.dataset!.resources.edges.map((e) => [e.node.name, e.node.url, e.node.sizeBytes])).toEqual(
      resources.map((r) => [r.name, r.url, r.size_bytes === null ? null : Number(r.size_bytes)]),
    );
    expect((await portal.request(DatasetPageDocument, { slug: 'no-such-dataset' })).dataset).toBeNull();

    const facets = await rows<{ category: string; n: number }>(
      opendata,
      sql`select category, count(*)::int as n from opendata.datasets where access_level = 'PUBLIC' group by 1 order by 2 desc, 1`,
    );
    const { datasetCategories } = await portal.request(DatasetCategoriesDocument);
    expect(untyped(datasetCategories)).toEqual(facets.map((f) => ({ category: f.category, count: f.n })));
  });
});

describe('the public dossier lookup (no token)', () => {
  it('answers status and dates by code, and null for an unknown code', async () => {
    const picks = await rows<DossierRow>(
      services,
      sql`(select * from services.dossiers where completed_at is null order by id limit 1)
          union all (select * from services.dossiers where completed_at > due_at order by id limit 1)
          union all (select * from services.dossiers where completed_at <= due_at order by id limit 1)`,
    );
    expect(picks).toHaveLength(3);
    const lookup = await clientFor(null, { clientApp: 'dossier-lookup' });
    for (const d of picks) {
      const { dossierStatus } = await lookup.request(DossierStatusDocument, { code: d.code });
      expect(untyped(dossierStatus)).toEqual({ code: d.code, status: d.status, submittedAt: iso(d.submitted_at), dueAt: iso(d.due_at), completedAt: iso(d.completed_at) });
    }
    expect((await lookup.request(DossierStatusDocument, { code: 'H17.99-000000-0000000' })).dossierStatus).toBeNull();
  });
});

describe("the auditor's console (role auditor)", () => {
  interface LogRow {
    id: number;
    seq: number;
    request_id: string;
    actor_subject: string;
    actor_role: string;
    actor_agency: string | null;
    client_app: string | null;
    operation_name: string | null;
    document_hash: string | null;
    purpose: string | null;
    case_reference: string | null;
    subject_type: string;
    subject_id: string;
    fields: string[];
    outcome: string;
    occurred_at: Date;
    hash: string;
  }

  it('lists the access log filtered and page by page, with the document hashes the apps sent', async () => {
    const expected = await rows<LogRow>(audit, sql`select * from audit.access_log where purpose = 'CITIZEN_REQUEST' and outcome = 'GRANTED' order by id desc`);
    expect(expected.length).toBeGreaterThan(5);
    const auditor = await clientFor({ role: 'auditor', subject: 'auditor-07', clientApp: 'auditor-console' });
    const filter = { purpose: 'CITIZEN_REQUEST', outcome: 'GRANTED' as const };
    const seen: number[] = [];
    // Entries appended since the Merkle tree have no chain seq: their rows are matched by id.
    const rowId = (id: string) => fromGlobalId(id)!.id;
    let after: string | null = null;
    for (;;) {
      const data: Awaited<ReturnType<typeof page>> = await page(after);
      const log = data.accessLog!;
      expect(log.totalCount).toBe(expected.length);
      for (const { node } of log.edges) {
        const row = expected.find((r) => r.id === rowId(node.id))!;
        expect(node.seq).toBeGreaterThan(0);
        expect(node).toMatchObject({
          requestId: row.request_id,
          actorSubject: row.actor_subject,
          actorRole: row.actor_role,
          actorAgency: row.actor_agency,
          clientApp: row.client_app,
          operationName: row.operation_name,
          documentHash: row.document_hash,
          purpose: 'CITIZEN_REQUEST',
          subjectType: row.subject_type,
          subjectId: row.subject_id,
          fields: row.fields,
          outcome: 'GRANTED',
          occurredAt: iso(row.occurred_at),
          hash: row.hash,
        });
      }
      seen.push(...log.edges.map((e) => rowId(e.node.id)));
      if (!log.pageInfo.hasNextPage) break;
      after = log.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected.map((r) => r.id));

    function page(cursor: string | null) {
      return auditor.request(AuditorAccessLogDocument, { filter, first: 4, after: cursor });
    }

    // The worklist's reads above went by hash: the log names the very document of the manifest.
    const { accessLog } = await auditor.request(AuditorAccessLogDocument, { filter: { agency: purposeAgency, purpose: 'CITIZEN_REQUEST' } });
    expect(accessLog!.edges.length).toBeGreaterThan(3);
    for (const { node } of accessLog!.edges) {
      expect(node).toMatchObject({ actorRole: 'officer', operationName: 'OfficerWorklist', documentHash: documentHash(OfficerWorklistDocument), clientApp: 'officer-worklist' });
      expect(node.fields).toContain('phone');
    }
  });

  it('verifies the hash chain', async () => {
    // Every entry is checked once the integrator has taken it into the tree (within about a
    // second of its append, ACCESS_LOG_INTEGRATE_MS): the last reads' entries may still be pending.
    await expect.poll(async () => (await rows<{ n: number }>(audit, sql`select count(*)::int as n from audit.access_log_pending`))[0]!.n, { timeout: 15_000 }).toBe(0);
    const [count] = await rows<{ n: number }>(audit, sql`select count(*)::int as n from audit.access_log`);
    const auditor = await clientFor({ role: 'auditor' });
    const { accessLogVerification } = await auditor.request(AccessLogVerificationDocument);
    expect(accessLogVerification).toMatchObject({ intact: true, checked: count!.n, firstBadId: null, problem: null });
    // Anyone else is refused, with a typed error.
    const officer = await clientFor({ role: 'officer', agency: 'STTTT' });
    const refused = await officer.request(AccessLogVerificationDocument).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(GatewayRequestError);
    expect((refused as GatewayRequestError).codes).toEqual(['FORBIDDEN']);
  });

  it('proves the log extends its first signed checkpoint (AccessLogConsistency)', async () => {
    const { verifierKey } = (await (await fetch(new URL('/.well-known/access-log/key', gw.url))).json()) as { verifierKey: string };
    const [first] = await rows<{ note: string }>(audit, sql`select note from audit.access_log_checkpoint where tree_size > 0 order by tree_size limit 1`);
    const from = await verifyCheckpoint(first!.note, verifierKey);
    const to = await verifyCheckpoint(await (await fetch(new URL('/.well-known/access-log/checkpoint', gw.url))).text(), verifierKey);
    const auditor = await clientFor({ role: 'auditor', clientApp: 'auditor-console' });
    const { accessLogConsistency: proof } = await auditor.request(AccessLogConsistencyDocument, { fromSize: from.treeSize, toSize: to.treeSize });
    expect(proof).toMatchObject({ fromSize: from.treeSize, toSize: to.treeSize });
    expect(await verifyConsistency({ fromSize: from.treeSize, toSize: to.treeSize, fromRoot: from.rootHash, toRoot: to.rootHash, hashes: proof!.hashes })).toBe(true);
  });
});

describe('the example app examples/officer-worklist.ts, as a child process', () => {
  async function worklist(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    const { TOKEN: _token, ...inherited } = process.env;
    try {
      const { stdout, stderr } = await promisify(execFile)('npm', ['run', '-s', 'example:worklist', '--', '--url', gw.url, ...args], {
        env: { ...inherited, ...env },
        timeout: 60_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code: number; stdout: string; stderr: string };
      return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
    }
  }

  /** The table's rows: the cells of each line after the rule under the header. */
  function tableRows(stdout: string): string[][] {
    const lines = stdout.split('\n');
    const rule = lines.findIndex((line) => /^-+(\s+-+)+$/.test(line));
    expect(rule).toBeGreaterThan(0);
    return lines.slice(rule + 1).filter((line) => /^\d+\s/.test(line)).map((line) => line.split(/\s{2,}/));
  }

  it("prints the open dossiers of the officer's agency, due soonest first", async () => {
    const [busiest] = await rows<{ agency_id: number; n: number }>(
      services,
      sql`select agency_id, count(*)::int as n from services.dossiers where status in ('RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED')
          group by 1 order by 2 desc, 1 limit 1`,
    );
    const agency = await agencyCode(busiest!.agency_id);
    const expected = await rows<{ code: string; status: string }>(
      services,
      sql`select code, status from services.dossiers where agency_id = ${busiest!.agency_id}
          and status in ('RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED') order by due_at, id limit 25`,
    );
    const run = await worklist(['--agency', agency.code]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Worklist of ${agency.name} (${agency.code}): ${expected.length} of ${busiest!.n} open dossiers`);
    expect(tableRows(run.stdout).map((cells) => [cells[1], cells[2]])).toEqual(expected.map((d) => [d.code, d.status]));
  });

  it('pages further and shows phones with a purpose; takes a TOKEN instead of minting one', async () => {
    const [agencyRow] = await rows<{ agency_id: number; n: number }>(
      services,
      sql`select agency_id, count(*)::int as n from services.dossiers where applicant_kind = 'CITIZEN' group by 1 order by 2 desc, 1 limit 1`,
    );
    const agency = await agencyCode(agencyRow!.agency_id);
    const expected = await rows<DossierRow>(
      services,
      sql`select * from services.dossiers where agency_id = ${agencyRow!.agency_id} and status in ('PROCESSING', 'COMPLETED', 'REJECTED') order by due_at, id limit 40`,
    );
    expect(expected.length).toBe(40);
    const run = await worklist(['--agency', agency.code, '--first', '40', '--status', 'processing,completed,rejected', '--contact', '--purpose', 'CITIZEN_REQUEST']);
    expect(run.code).toBe(0);
    const table = tableRows(run.stdout);
    expect(table.map((cells) => cells[1])).toEqual(expected.map((d) => d.code));
    const phones = await Promise.all(
      expected.map(async (d) => {
        if (d.applicant_kind !== 'CITIZEN') return '';
        const [citizen] = await rows<{ phone: string | null }>(population, sql`select phone from population.citizens where id = ${d.applicant_id}`);
        return e164(citizen!.phone) ?? '';
      }),
    );
    expect(phones.filter(Boolean).length).toBeGreaterThan(10);
    expect(table.map((cells) => (cells.length === 8 ? cells[7] : ''))).toEqual(phones);

    // Another agency's officer by TOKEN (no --agency): that agency's dossiers, none of the other's.
    const [other] = await rows<{ agency_id: number }>(
      services,
      sql`select agency_id from services.dossiers where agency_id <> ${agencyRow!.agency_id} group by 1 order by count(*) desc, 1 limit 1`,
    );
    const otherAgency = await agencyCode(other!.agency_id);
    const otherCodes = await rows<{ code: string }>(
      services,
      sql`select code from services.dossiers where agency_id = ${other!.agency_id} and status in ('COMPLETED') order by due_at, id limit 10`,
    );
    const token = await mintDevToken(gw.databases.config.auth, { role: 'officer', agency: otherAgency.code });
    const byToken = await worklist(['--first', '10', '--status', 'COMPLETED'], { TOKEN: token });
    expect(byToken.code).toBe(0);
    expect(tableRows(byToken.stdout).map((cells) => cells[1])).toEqual(otherCodes.map((d) => d.code));
  });

  it('refuses to show phones without a purpose, and says how to use it', async () => {
    const run = await worklist(['--agency', 'STTTT', '--contact']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--purpose/);
    const unknown = await worklist(['--agency', 'STTTT', '--status', 'LOST']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown LOST/);
  });
});

describe('over the wire', () => {
  it('every operation of the manifest ran, each sent by its hash alone (no document text)', () => {
    const manifest = JSON.parse(readFileSync('src/generated/persisted-documents.json', 'utf8')) as Record<string, string>;
    const sentHashes = new Set(sent.map((body) => body.extensions?.persistedQuery?.sha256Hash));
    // Subscriptions travel over WebSocket, not this HTTP recorder: test/server/subscriptions.test.ts
    // sends them by hash alone through the typed client.
    const overHttp = Object.entries(manifest).filter(([, text]) => !parse(text).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'subscription'));
    expect(overHttp.length).toBeLessThan(Object.keys(manifest).length);
    expect(overHttp.map(([hash]) => hash).filter((hash) => !sentHashes.has(hash))).toEqual([]);
    expect(sent.filter((body) => body.query !== undefined)).toEqual([]);
  });
});

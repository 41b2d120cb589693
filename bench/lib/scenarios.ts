import { sql } from 'kysely';
import { PUBLIC_PRINCIPAL, type Principal } from '../../src/access/principal.js';
import { mintDevToken } from '../../src/auth/tokens.js';
import type { Config } from '../../src/config.js';
import { toGlobalId } from '../../src/platform/relay/global-id.js';
import type { Connections, SourceConnection } from '../../src/platform/db/connection.js';
import { CATALOGUE_PAGE_QUERY, cataloguePagePeer, citizensPeer, NODE_QUERY, nodePeer, worklistPeer, type Peer } from './peers.js';
import type { VariantName } from './results.js';

/** One named request the bench fires over and over: a GraphQL document, its variables, its caller. */
export interface Scenario {
  name: string;
  title: string;
  /** The path on the floor server that answers the same data without GraphQL (scenarios 1 and 2). */
  floorPath?: string;
  query: string;
  variables?: Record<string, unknown>;
  headers: Record<string, string>;
  /** The servers that run it (default: every one but PostGraphile, which runs where there is a peer document). */
  variants?: readonly VariantName[];
  /** PostGraphile's document for the same data, and how its answer compares with the gateway's. */
  peer?: Peer;
}

/** Where the deep citizens page starts: rows before it, the gateway's cursor for it and its first name. */
export interface DeepPage {
  offset: number;
  after: string;
  expected: string;
  /** The keyset of the row before the page (for the floor). */
  before: { sortKey: string; id: number };
}

/** Rows of the seeded data the scenarios need: who calls, and about what. */
export interface Fixtures {
  officerAgency: string;
  officerAgencyId: number;
  caseReference: string;
  citizenNationalId: string;
  citizenDossiers: number;
  nodeIds: string[];
  /** The citizen of the node look-up (row id). */
  nodeCitizenId: number;
  catalogueSearch: string;
}

export const CATALOGUE_SEARCH = 'da nang';

export const CATALOGUE_QUERY = /* GraphQL */ `
  query Catalogue($search: String!) {
    datasets(first: 20, filter: { search: $search }, orderBy: DOWNLOADS) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id slug title category licence downloads updatedAt
          publisher { name }
          resources(first: 5) { edges { node { format url } } }
        }
      }
    }
    datasetCategories(filter: { search: $search }) { category count }
  }
`;

export const WORKLIST_QUERY = /* GraphQL */ `
  query Worklist {
    dossiers(first: 50, orderBy: DUE_AT, filter: { status: [RECEIVED, PROCESSING, ADDITIONAL_INFO_REQUIRED] }) {
      pageInfo { hasNextPage endCursor }
      edges {
        node {
          id code status channel submittedAt dueAt timeliness
          procedure { code name processingDays }
          agency { code name }
          applicant {
            __typename
            ... on Citizen { id fullName phone ward { fullName } }
            ... on Business { id name code ward { fullName } }
          }
        }
      }
    }
  }
`;

const DASHBOARD_QUERY = /* GraphQL */ `
  query Dashboard {
    dossierStatistics(filter: { from: "2024-01-01T00:00:00+07:00" }, groupBy: [MONTH]) {
      totals { total onlineRate onTimeRate overdueRate }
      groups { month total online onlineRate onTimeRate overdueRate }
    }
    byAgency: dossierStatistics(groupBy: [AGENCY]) {
      groups { agency { code name } total onTimeRate overdueRate }
    }
    indicators(first: 30) {
      totalCount
      edges { node { code name unit category target targetYear owner { name } latest { period value } } }
    }
  }
`;

const PORTAL_QUERY = /* GraphQL */ `
  query Portal {
    me {
      id fullName nationalId birthDate gender phone email address
      ward { fullName district { name } }
      dossiers(first: 10) {
        totalCount
        edges { node { code status submittedAt dueAt timeliness procedure { name } agency { name } } }
      }
    }
  }
`;

const NODES_QUERY = /* GraphQL */ `
  query Lookup($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename id
      ... on Citizen { citizenName: fullName nationalId ward { name } }
      ... on Dossier { code dossierStatus: status procedure { name } }
      ... on Business { name code businessStatus: status }
      ... on Dataset { title publisher { name } }
      ... on Agency { code name }
      ... on AdministrativeUnit { fullName level }
      ... on Indicator { code name }
    }
  }
`;

/** The page of 50 citizens the cost-growth cases measure (admin with a purpose). */
export const CITIZEN_PAGE_QUERY = /* GraphQL */ `
  query CitizenPage($after: String) {
    citizens(first: 50, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { fullName nationalId ward { name } } }
    }
  }
`;

const OPEN_STATUSES = ['RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED'];

/** Picks the scenario subjects from the data: the busiest agency, a citizen with dossiers, ids of each kind. */
export async function loadFixtures(connections: Connections): Promise<Fixtures> {
  const { reference, population, business, services, opendata, ioc } = connections.sources;
  const busiest = await services.db
    .selectFrom('dossiers')
    .select(['agency_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('status', 'in', OPEN_STATUSES)
    .groupBy('agency_id')
    .orderBy('n', 'desc')
    .orderBy('agency_id')
    .limit(1)
    .executeTakeFirstOrThrow();
  const agency = await reference.db.selectFrom('agencies').select('code').where('id', '=', busiest.agency_id).executeTakeFirstOrThrow();
  const caseDossier = await services.db
    .selectFrom('dossiers')
    .select('code')
    .where('agency_id', '=', busiest.agency_id)
    .where('status', 'in', OPEN_STATUSES)
    .orderBy('due_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirstOrThrow();
  // A citizen with several dossiers (the portal lists them).
  const applicant = await services.db
    .selectFrom('dossiers')
    .select(['applicant_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('applicant_kind', '=', 'CITIZEN')
    .groupBy('applicant_id')
    .orderBy('n', 'desc')
    .orderBy('applicant_id')
    .limit(1)
    .executeTakeFirstOrThrow();
  const citizen = await population.db.selectFrom('citizens').select('national_id').where('id', '=', applicant.applicant_id).executeTakeFirstOrThrow();

  // 100 mixed objects, spread over each table (every 7th row or so), one query per kind.
  const sample = async (source: SourceConnection, table: string, n: number): Promise<number[]> => {
    const { rows } = await sql<{ id: number }>`
      select id from (select id, row_number() over (order by id) as r, count(*) over () as c from ${sql.table(`${source.schema}.${table}`)}) t
      where r % greatest(c / ${n}, 1) = 0 order by id limit ${n}`.execute(source.root);
    return rows.map((r) => r.id);
  };
  const kinds: Array<[string, number[]]> = [
    ['Citizen', await sample(population, 'citizens', 25)],
    ['Dossier', await sample(services, 'dossiers', 25)],
    ['Business', await sample(business, 'businesses', 15)],
    ['Dataset', await sample(opendata, 'datasets', 15)],
    ['Agency', await sample(reference, 'agencies', 8)],
    ['AdministrativeUnit', await sample(reference, 'administrative_units', 7)],
    ['Indicator', await sample(ioc, 'indicators', 5)],
  ];
  // Interleaved, so that one request asks for every kind throughout.
  const nodeIds: string[] = [];
  for (let i = 0; nodeIds.length < 100 && i < 100; i += 1) {
    for (const [type, ids] of kinds) if (ids[i] !== undefined && nodeIds.length < 100) nodeIds.push(toGlobalId(type, ids[i]!));
  }
  return {
    officerAgency: agency.code,
    officerAgencyId: busiest.agency_id,
    caseReference: caseDossier.code,
    citizenNationalId: citizen.national_id,
    citizenDossiers: Number(applicant.n),
    nodeIds,
    nodeCitizenId: kinds[0]![1][0]!,
    catalogueSearch: CATALOGUE_SEARCH,
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The servers of the scenarios that compare the gateway with PostGraphile (issue 14); the batching baseline stays with issue 8's. */
const PEER_VARIANTS: readonly VariantName[] = ['gateway', 'insecure', 'floor', 'postgraphile'];

/**
 * The five named scenarios of issue 8, then those of issue 14 that PostGraphile serves too (the
 * worklist is one of both), with development tokens for their callers.
 */
export async function buildScenarios(config: Config, fixtures: Fixtures, deep?: DeepPage): Promise<Scenario[]> {
  const app = { clientApp: 'gateway-bench', expiresIn: '24h' };
  const officer = await mintDevToken(config.auth, { role: 'officer', agency: fixtures.officerAgency, subject: 'bench-officer', ...app });
  const analyst = await mintDevToken(config.auth, { role: 'analyst', subject: 'bench-analyst', ...app });
  const citizen = await mintDevToken(config.auth, { role: 'citizen', citizenId: fixtures.citizenNationalId, subject: 'bench-citizen', ...app });
  const admin = await mintDevToken(config.auth, { role: 'admin', subject: 'bench-admin', ...app });
  return [
    {
      name: 'catalogue',
      title: '1. Open-data catalogue search (public)',
      floorPath: `/catalogue?search=${encodeURIComponent(fixtures.catalogueSearch)}`,
      query: CATALOGUE_QUERY,
      variables: { search: fixtures.catalogueSearch },
      headers: {},
    },
    {
      name: 'worklist',
      title: "2. Officer's worklist: 50 dossiers, applicant, ward, procedure, agency",
      floorPath: `/worklist?agency=${encodeURIComponent(fixtures.officerAgency)}&case=${encodeURIComponent(fixtures.caseReference)}&subject=bench-officer`,
      query: WORKLIST_QUERY,
      // CITIZEN_REQUEST opens the applicants' phones; DOSSIER_PROCESSING opens only its case's applicant (policy.ts).
      headers: { ...bearer(officer), 'x-purpose': 'CITIZEN_REQUEST', 'x-case-reference': fixtures.caseReference },
      peer: worklistPeer(fixtures.officerAgencyId),
    },
    {
      name: 'dashboard',
      title: '3. IOC dashboard: indicators with targets, dossier statistics (analyst)',
      query: DASHBOARD_QUERY,
      headers: bearer(analyst),
    },
    {
      name: 'portal',
      title: '4. Citizen portal: me with personal data, own dossiers (citizen)',
      query: PORTAL_QUERY,
      headers: bearer(citizen),
    },
    {
      name: 'nodes',
      title: '5. nodes(ids): 100 mixed objects (admin with purpose)',
      query: NODES_QUERY,
      variables: { ids: fixtures.nodeIds },
      headers: { ...bearer(admin), 'x-purpose': 'LEGAL_OBLIGATION' },
    },
    {
      name: 'datasets',
      title: '6. Catalogue page: 20 datasets, publisher, 5 resources each (public)',
      floorPath: '/datasets',
      query: CATALOGUE_PAGE_QUERY,
      headers: {},
      variants: PEER_VARIANTS,
      peer: cataloguePagePeer,
    },
    // The deep page needs its cursor, built by the caller from the data (absent: no such scenario).
    ...(deep ? [citizensScenario(deep, admin)] : []),
    {
      name: 'node',
      title: '8. One citizen by node(id): name, national id, ward (admin with purpose)',
      floorPath: `/node?id=${fixtures.nodeCitizenId}`,
      query: NODE_QUERY,
      variables: { id: toGlobalId('Citizen', fixtures.nodeCitizenId) },
      headers: { ...bearer(admin), 'x-purpose': 'LEGAL_OBLIGATION' },
      variants: PEER_VARIANTS,
      peer: nodePeer(fixtures.nodeCitizenId),
    },
  ];
}

/** The admin of the cost-growth cases, to whom the deep page's cursor is bound. */
export const GROWTH_ADMIN: Principal = { ...PUBLIC_PRINCIPAL, role: 'admin', subject: 'bench-admin', clientApp: 'gateway-bench' };

export async function adminHeaders(config: Config): Promise<Record<string, string>> {
  const admin = await mintDevToken(config.auth, { role: 'admin', subject: GROWTH_ADMIN.subject, clientApp: 'gateway-bench', expiresIn: '24h' });
  return { ...bearer(admin), 'x-purpose': 'LEGAL_OBLIGATION' };
}

function citizensScenario(deep: DeepPage, adminToken: string): Scenario {
  return {
    name: 'citizens',
    title: `7. 50 citizens ${deep.offset.toLocaleString('en-US')} rows deep: name, national id, ward (admin with purpose)`,
    floorPath: `/citizens?sort=${encodeURIComponent(deep.before.sortKey)}&id=${deep.before.id}&subject=${encodeURIComponent(GROWTH_ADMIN.subject)}`,
    query: CITIZEN_PAGE_QUERY,
    variables: { after: deep.after },
    headers: { ...bearer(adminToken), 'x-purpose': 'LEGAL_OBLIGATION' },
    variants: PEER_VARIANTS,
    peer: citizensPeer(deep.offset),
  };
}

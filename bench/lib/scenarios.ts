import { sql } from 'kysely';
import { PUBLIC_PRINCIPAL, type Principal } from '../../src/access/principal.js';
import { mintDevToken } from '../../src/auth/tokens.js';
import type { Config } from '../../src/config.js';
import { toGlobalId } from '../../src/platform/relay/global-id.js';
import type { Connections, SourceConnection } from '../../src/platform/db/connection.js';

/** One named request the bench fires over and over: a GraphQL document, its variables, its caller. */
export interface Scenario {
  name: string;
  title: string;
  /** The path on the floor server that answers the same data without GraphQL (scenarios 1 and 2). */
  floorPath?: string;
  query: string;
  variables?: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Rows of the seeded data the scenarios need: who calls, and about what. */
export interface Fixtures {
  officerAgency: string;
  caseReference: string;
  citizenNationalId: string;
  citizenDossiers: number;
  nodeIds: string[];
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
    caseReference: caseDossier.code,
    citizenNationalId: citizen.national_id,
    citizenDossiers: Number(applicant.n),
    nodeIds,
    catalogueSearch: CATALOGUE_SEARCH,
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The five named scenarios of issue 8, with development tokens for their callers. */
export async function buildScenarios(config: Config, fixtures: Fixtures): Promise<Scenario[]> {
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
  ];
}

/** The admin caller of the cost-growth cases. */
/** The admin of the cost-growth cases, to whom the deep page's cursor is bound. */
export const GROWTH_ADMIN: Principal = { ...PUBLIC_PRINCIPAL, role: 'admin', subject: 'bench-admin', clientApp: 'gateway-bench' };

export async function adminHeaders(config: Config): Promise<Record<string, string>> {
  const admin = await mintDevToken(config.auth, { role: 'admin', subject: GROWTH_ADMIN.subject, clientApp: 'gateway-bench', expiresIn: '24h' });
  return { ...bearer(admin), 'x-purpose': 'LEGAL_OBLIGATION' };
}

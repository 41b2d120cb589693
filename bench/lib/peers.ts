/**
 * The PostGraphile documents of the scenarios it can serve, and how its answers and the
 * gateway's are brought to one shape to be compared: the gateway's shape, with global ids
 * replaced by row ids, date-times as ISO instants, and cursors (each server's own) left out.
 * PostGraphile knows no access rules: its documents ask for the rows the gateway's caller sees
 * (the officer's agency, the public datasets).
 */

type Json = Record<string, unknown>;
/** Sends one document to the running peer (for variables that only the peer can tell, such as its cursors). */
export type PeerCall = (query: string, variables: Record<string, unknown>) => Promise<Json>;

export interface Peer {
  query: string;
  /** Variables, worked out once the peer runs. */
  variables(call: PeerCall): Promise<Record<string, unknown>>;
  /** The peer's data in the gateway's shape. */
  toGatewayShape(data: Json): unknown;
}

const obj = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const iso = (value: unknown) => (typeof value === 'string' ? new Date(value).toISOString() : value);
const e164 = (phone: unknown) => (typeof phone === 'string' && phone ? `+84${phone.replace(/^0/, '')}` : null);

/** The gateway's data in the shape compared: row ids for global ids, ISO instants, no cursors. */
export function comparableGatewayData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparableGatewayData);
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value as Json)) {
    if (key === 'cursor' || key === 'endCursor' || key === 'startCursor') continue;
    if (key === 'id' && typeof v === 'string') out[key] = rowIdOf(v);
    else if (/At$/.test(key) && typeof v === 'string') out[key] = iso(v);
    else out[key] = comparableGatewayData(v);
  }
  return out;
}

/** The row id in a gateway global id (base64url of `Type:id`). */
function rowIdOf(globalId: string): number | string {
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const id = decoded.slice(decoded.indexOf(':') + 1);
  return /^\d+$/.test(id) ? Number(id) : globalId;
}

const ward = (unit: unknown, field: 'name' | 'fullName') => (unit ? { [field]: obj(unit)[field] } : null);

function timeliness(dueAt: unknown, completedAt: unknown, now: Date): string {
  const due = new Date(dueAt as string);
  if (completedAt === null || completedAt === undefined) return due < now ? 'OPEN_OVERDUE' : 'OPEN';
  return new Date(completedAt as string) <= due ? 'ON_TIME' : 'LATE';
}

/** Scenario 2, the officer's worklist: the agency's open dossiers by due date (completed_at is null, as the floor). */
export function worklistPeer(agencyId: number): Peer {
  return {
    query: /* GraphQL */ `
      query Worklist($agencyId: Int!) {
        allServicesDossiers(first: 50, orderBy: [DUE_AT_ASC, PRIMARY_KEY_ASC], condition: { agencyId: $agencyId, completedAt: null }) {
          pageInfo { hasNextPage }
          nodes {
            rowId code status channel submittedAt dueAt completedAt applicantKind
            servicesProcedureByProcedureId { code name processingDays }
            agencyByAgencyId { code name }
            populationCitizenByApplicantId { rowId fullName phone administrativeUnitByWardId { fullName } }
            businessBusinessByApplicantId { rowId name code administrativeUnitByWardId { fullName } }
          }
        }
      }
    `,
    variables: async () => ({ agencyId }),
    toGatewayShape(data) {
      const now = new Date();
      const page = obj(data.allServicesDossiers);
      return {
        dossiers: {
          pageInfo: { hasNextPage: obj(page.pageInfo).hasNextPage },
          edges: list(page.nodes).map((row) => {
            // applicant_id names a citizen or a business by applicant_kind: the peer asked both.
            const citizen = row.applicantKind === 'CITIZEN' ? obj(row.populationCitizenByApplicantId) : null;
            const business = row.applicantKind === 'BUSINESS' ? obj(row.businessBusinessByApplicantId) : null;
            return {
              node: {
                id: row.rowId,
                code: row.code,
                status: row.status,
                channel: row.channel,
                submittedAt: iso(row.submittedAt),
                dueAt: iso(row.dueAt),
                timeliness: timeliness(row.dueAt, row.completedAt, now),
                procedure: row.servicesProcedureByProcedureId ?? null,
                agency: row.agencyByAgencyId ?? null,
                applicant: citizen
                  ? { __typename: 'Citizen', id: citizen.rowId, fullName: citizen.fullName, phone: e164(citizen.phone), ward: ward(citizen.administrativeUnitByWardId, 'fullName') }
                  : business
                    ? { __typename: 'Business', id: business.rowId, name: business.name, code: business.code, ward: ward(business.administrativeUnitByWardId, 'fullName') }
                    : null,
              },
            };
          }),
        },
      };
    },
  };
}

/** The catalogue page: the 20 most downloaded public datasets, publisher, 5 resources each. */
export const CATALOGUE_PAGE_QUERY = /* GraphQL */ `
  query CataloguePage {
    datasets(first: 20, orderBy: DOWNLOADS) {
      pageInfo { hasNextPage }
      edges { node { id slug title downloads publisher { name } resources(first: 5) { edges { node { name url } } } } }
    }
  }
`;

export const cataloguePagePeer: Peer = {
  query: /* GraphQL */ `
    query CataloguePage {
      allOpendataDatasets(first: 20, orderBy: [DOWNLOADS_DESC, PRIMARY_KEY_DESC], condition: { accessLevel: "PUBLIC" }) {
        pageInfo { hasNextPage }
        nodes {
          rowId slug title downloads
          agencyByPublisherId { name }
          opendataDatasetResourcesByDatasetId(first: 5, orderBy: PRIMARY_KEY_ASC) { nodes { name url } }
        }
      }
    }
  `,
  variables: async () => ({}),
  toGatewayShape(data) {
    const page = obj(data.allOpendataDatasets);
    return {
      datasets: {
        pageInfo: { hasNextPage: obj(page.pageInfo).hasNextPage },
        edges: list(page.nodes).map((row) => ({
          node: {
            id: row.rowId,
            slug: row.slug,
            title: row.title,
            downloads: row.downloads,
            publisher: row.agencyByPublisherId ?? null,
            resources: { edges: list(obj(row.opendataDatasetResourcesByDatasetId).nodes).map((node) => ({ node })) },
          },
        })),
      },
    };
  },
};

/** The deep citizens page (the cost-growth page, at the run's scale): PostGraphile's own cursor for the same row. */
export function citizensPeer(rowsBefore: number): Peer {
  const order = '[FULL_NAME_SORT_ASC, PRIMARY_KEY_ASC]';
  return {
    query: /* GraphQL */ `
      query CitizenPage($after: Cursor) {
        allPopulationCitizens(first: 50, after: $after, orderBy: ${order}) {
          pageInfo { hasNextPage }
          nodes { fullName nationalId administrativeUnitByWardId { name } }
        }
      }
    `,
    async variables(call) {
      const data = await call(`query Before($offset: Int!) { allPopulationCitizens(first: 1, offset: $offset, orderBy: ${order}) { edges { cursor } } }`, {
        offset: rowsBefore - 1,
      });
      const after = list(obj(data.allPopulationCitizens).edges)[0]?.cursor;
      if (typeof after !== 'string') throw new Error(`PostGraphile gave no cursor for row ${rowsBefore}`);
      return { after };
    },
    toGatewayShape(data) {
      const page = obj(data.allPopulationCitizens);
      return {
        citizens: {
          pageInfo: { hasNextPage: obj(page.pageInfo).hasNextPage },
          edges: list(page.nodes).map((row) => ({
            node: { fullName: row.fullName, nationalId: row.nationalId, ward: ward(row.administrativeUnitByWardId, 'name') },
          })),
        },
      };
    },
  };
}

/** One citizen by `node(id)`. */
export const NODE_QUERY = /* GraphQL */ `
  query Node($id: ID!) {
    node(id: $id) { __typename id ... on Citizen { fullName nationalId ward { name } } }
  }
`;

export function nodePeer(citizenId: number): Peer {
  return {
    query: /* GraphQL */ `
      query Node($id: ID!) {
        node(id: $id) { __typename ... on PopulationCitizen { rowId fullName nationalId administrativeUnitByWardId { name } } }
      }
    `,
    async variables(call) {
      // PostGraphile's own node id for the row.
      const data = await call(`query Id($rowId: Int!) { populationCitizenByRowId(rowId: $rowId) { id } }`, { rowId: citizenId });
      const id = obj(data.populationCitizenByRowId).id;
      if (typeof id !== 'string') throw new Error(`PostGraphile has no citizen ${citizenId}`);
      return { id };
    },
    toGatewayShape(data) {
      const node = data.node ? obj(data.node) : null;
      if (!node) return { node: null };
      const typename = node.__typename === 'PopulationCitizen' ? 'Citizen' : node.__typename;
      return {
        node: { __typename: typename, id: node.rowId, fullName: node.fullName, nationalId: node.nationalId, ward: ward(node.administrativeUnitByWardId, 'name') },
      };
    },
  };
}

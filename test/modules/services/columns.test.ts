import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectsDuring, type CompiledSelect } from '../../support/compiled-selects.js';
import { as } from '../../support/as.js';
import { columnsFor } from '../../../src/platform/relay/selection.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from '../../support/gateway.js';

/**
 * Each request fetches what its document asks (issue 14): the dossiers of a worklist-like page
 * are selected by column, only the columns of the fields asked for (and the id and ordering the
 * cursors carry); a union member the document asks nothing of is not loaded. Counted on the
 * statements as Kysely compiles them.
 */
let gw: TestGateway;
let admin: Record<string, string>;

beforeAll(async () => {
  gw = await startTestGateway();
  admin = await as('admin', { purpose: 'CITIZEN_REQUEST', auth: gw.databases.config.auth });
});
afterAll(async () => gw?.close());

interface Worklist {
  dossiers: { edges: Array<{ node: { code: string; applicant: Record<string, unknown> | null } }> };
}

/** The tables each select statement of a request reads from, with its select list (a `*` for select *). */
async function statementsOf(query: string): Promise<{ res: GraphQLResponse<Worklist>; selects: CompiledSelect[] }> {
  const { result, selects } = await selectsDuring(() => gw.query<Worklist>(query, {}, admin));
  return { res: result, selects };
}

const PAGE = (applicant: string) => `{
  dossiers(first: 50, orderBy: DUE_AT, filter: { status: [RECEIVED, PROCESSING, ADDITIONAL_INFO_REQUIRED] }) {
    pageInfo { hasNextPage endCursor }
    edges { node { id code status dueAt timeliness procedure { code name } agency { code name } applicant { ${applicant} } } }
  }
}`;

describe('a worklist-like page', () => {
  it('selects only the dossier columns its fields are made from', async () => {
    const { res, selects } = await statementsOf(PAGE('... on Citizen { id fullName phone ward { fullName } }'));
    expect(res.errors).toBeUndefined();
    const dossiers = selects.filter((s) => s.table === 'dossiers');
    expect(dossiers).toHaveLength(1);
    // id and due_at (the cursor's), code, status, completed_at with due_at (timeliness), the relations' keys.
    expect(dossiers[0]!.columns.sort()).toEqual(['agency_id', 'applicant_id', 'applicant_kind', 'code', 'completed_at', 'due_at', 'id', 'procedure_id', 'status']);
  });

  it('loads no business applicant when the document asks nothing of businesses', async () => {
    const { res, selects } = await statementsOf(PAGE('... on Citizen { id fullName }'));
    expect(res.errors).toBeUndefined();
    const applicants = res.data!.dossiers.edges.map((e) => e.node.applicant);
    // The page has business applicants: they answer with nothing asked of them, as before.
    expect(applicants.filter((a) => a !== null && Object.keys(a).length === 0).length).toBeGreaterThan(0);
    expect(selects.filter((s) => s.table === 'businesses')).toHaveLength(0);
    expect(res.extensions!.sqlStatements!.bySource.business).toBeUndefined();

    const asked = await statementsOf(PAGE('... on Citizen { id fullName } ... on Business { name }'));
    expect(asked.res.errors).toBeUndefined();
    expect(asked.selects.filter((s) => s.table === 'businesses')).toHaveLength(1);
    expect(asked.res.extensions!.sqlStatements!.bySource.business).toBe(1);
    const named = asked.res.data!.dossiers.edges.map((e) => e.node.applicant).filter((a) => a !== null && 'name' in a);
    expect(named.length).toBe(applicants.filter((a) => a !== null && Object.keys(a).length === 0).length);
  });

  it('follows the selection: other fields, their columns, and the default ordering columns', async () => {
    const { res, selects } = await statementsOf('{ dossiers(first: 5) { edges { node { id code submittedAt completedAt channel ward { name } } } } }');
    expect(res.errors).toBeUndefined();
    const dossiers = selects.filter((s) => s.table === 'dossiers');
    expect(dossiers[0]!.columns.sort()).toEqual(['channel', 'code', 'completed_at', 'id', 'submitted_at', 'ward_id']);
  });
});

describe('columnsFor', () => {
  const MAP = { id: ['id'], name: ['name', 'name_sort'], owner: ['owner_id'] } as const;
  it('adds each selected field\'s columns to those always fetched, once each', () => {
    expect(columnsFor<Record<'id' | 'name' | 'name_sort' | 'owner_id', unknown>>(new Set(['name', 'owner']), MAP, ['id', 'name_sort'])).toEqual(['id', 'name_sort', 'name', 'owner_id']);
  });
  it('falls back to every column (undefined) for a field the map does not know', () => {
    expect(columnsFor<Record<'id' | 'name' | 'name_sort' | 'owner_id', unknown>>(new Set(['name', 'addedLater']), MAP, ['id'])).toBeUndefined();
  });
});

/**
 * The authorization matrix over `_entities`, the way a federation router fetches our objects
 * (/subgraph, src/server/subgraph): every caller, every node(id) and nodes(ids) path of the
 * matrix (paths.ts), asked again as `_entities(representations: [{ __typename, id }])`, must give
 * the same outcome grid (expectations.ts, checked by runner.ts's checkPath: the same visible,
 * masked and refused fields, the same row-scope refusals) and the same access-log entries as
 * through node(id) on /graphql. Nothing here restates a grid.
 */
import { getNamedType, isUnionType, Kind, parse, print, type FieldNode, type GraphQLObjectType, type OperationDefinitionNode } from 'graphql';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalDataTypes } from '../../src/access/graphql/personal.js';
import { fromGlobalId } from '../../src/platform/relay/global-id.js';
import { NODE_TYPES } from '../../src/modules/schema.js';
import type { GraphQLResponse } from '../support/gateway.js';
import { nodeSamples } from '../support/samples/index.js';
import { CALLERS, type CallerName, type SubjectName } from './expectations.js';
import { PATHS, q, selection, USES, type MatrixPath } from './paths.js';
import { checkPath, startMatrix, type CallerRun, type Matrix } from './runner.js';

let m: Matrix;
beforeAll(async () => {
  m = await startMatrix();
});
afterAll(async () => m?.gw.close());

const subgraphUrl = () => m.gw.url.replace(/\/graphql$/, '/subgraph');

/** A path's root field as written for a caller's document, with its named fragments. */
function written(path: MatrixPath, fragments: Set<string>): string {
  return path.field(m.f, (typeName) => selection(m.schema, typeName, path.style, fragments, m.subjects[path.subject].id !== undefined));
}

function rootField(text: string): FieldNode {
  const operation = parse(`{ ${text} }`).definitions[0] as OperationDefinitionNode;
  return operation.selectionSet.selections[0] as FieldNode;
}

/** The global ids a node(id) or nodes(ids) field asks for, in order; undefined for any other root field. */
function idsOf(field: FieldNode): { many: boolean; ids: string[] } | undefined {
  const name = field.name.value;
  if (name !== 'node' && name !== 'nodes') return undefined;
  const argument = field.arguments?.find((a) => a.name.value === (name === 'node' ? 'id' : 'ids'));
  const values = argument?.value.kind === Kind.LIST ? argument.value.values : argument ? [argument.value] : [];
  return { many: name === 'nodes', ids: values.map((v) => (v.kind === Kind.STRING ? v.value : expect.fail(`${name}: a literal id`))) };
}

/** The matrix's node(id) and nodes(ids) paths. */
const nodePaths = () => PATHS.filter((path) => idsOf(rootField(written(path, new Set()))) !== undefined);

/**
 * The same request as a router sends it: `_entities` with one representation per id, the
 * path's selection inside `... on <Type>` (an entity is asked for by its type, not through Node).
 */
function asEntities(path: MatrixPath, fragments: Set<string>): string {
  const field = rootField(written(path, fragments));
  const { ids } = idsOf(field)!;
  const types = new Set(ids.map((id) => fromGlobalId(id)?.type));
  expect(types.size, `${path.name}: one type`).toBe(1);
  const [typeName] = [...types];
  const representations = ids.map((id) => `{ __typename: ${q(typeName!)}, id: ${q(id)} }`).join(', ');
  return `_entities(representations: [${representations}]) { ... on ${typeName} ${print(field.selectionSet!)} }`;
}

/**
 * An `_entities` answer in the shape of the node(id) answer it stands for: for a node(id) path,
 * the one entity instead of the list, and the errors' paths without its index.
 */
function asNodeAnswer(response: GraphQLResponse, singles: ReadonlySet<string>): GraphQLResponse {
  const data = response.data && Object.fromEntries(Object.entries(response.data).map(([alias, value]) => [alias, singles.has(alias) ? (value as unknown[])[0] : value]));
  const errors = response.errors?.map((error) => {
    const [alias, index, ...rest] = error.path ?? [];
    if (typeof alias !== 'string' || !singles.has(alias)) return error;
    expect(index, `${alias}: the error is under the one entity`).toBe(0);
    return { ...error, path: [alias, ...rest] };
  });
  return { ...response, data, errors };
}

async function post(url: string, document: string, headers: Record<string, string>): Promise<GraphQLResponse> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: document }) });
  return { status: response.status, ...((await response.json()) as object) };
}

/** The access-log entries of a request, without what tells one request from another (time, id, document). */
async function entriesOf(requestId: string) {
  const { rows } = await sql<{ subject_type: string; subject_id: string; fields: string[]; outcome: string; purpose: string | null; case_reference: string | null; actor_role: string; actor_subject: string }>`
    select subject_type, subject_id, fields, outcome, purpose, case_reference, actor_role, actor_subject from audit.access_log where request_id = ${requestId}`.execute(m.gw.databases.connections.sources.audit.root);
  return rows.map((r) => JSON.stringify({ ...r, fields: [...r.fields].sort() })).sort();
}

describe('the node paths of the matrix', () => {
  it('cover node(id) and nodes(ids) of every subject type with an id, each a node type of the gateway', async () => {
    const paths = nodePaths();
    const types = new Set(paths.map((p) => fromGlobalId(idsOf(rootField(written(p, new Set())))!.ids.at(-1)!)!.type));
    for (const type of types) expect(NODE_TYPES.has(type), type).toBe(true);
    // The node types the modules declare as reaching personal data (`personalData` in their samples).
    const declared = new Map([...(await nodeSamples())].flatMap(([type, node]) => (node.personalData ? [[type, node.personalData] as const] : [])));
    expect([...types].sort()).toEqual([...declared.keys()].sort());
    // The declarations hold on the schema served: `own` exactly the node types that are personal-data
    // types, `related` a type with a field whose type is one (or a union of one).
    const personal = personalDataTypes(m.schema);
    expect([...declared].filter(([, how]) => how === 'own').map(([type]) => type).sort()).toEqual([...NODE_TYPES.keys()].filter((type) => personal.has(type)).sort());
    const leadsToPersonal = (type: string) =>
      Object.values((m.schema.getType(type) as GraphQLObjectType).getFields()).some((field) => {
        const named = getNamedType(field.type);
        return personal.has(named.name) || (isUnionType(named) && named.getTypes().some((member) => personal.has(member.name)));
      });
    for (const [type, how] of declared) if (how === 'related') expect(leadsToPersonal(type), `${type}: a field of a personal-data type`).toBe(true);
    expect(paths.some((p) => idsOf(rootField(written(p, new Set())))!.many)).toBe(true);
  });
});

describe.each(CALLERS)('_entities as %s', (caller: CallerName) => {
  const byPath = new Map<string, { alias: string; response: GraphQLResponse }>();
  /** Per subject, the access-log entries of node(id) on /graphql and of _entities on /subgraph. */
  const logs: Array<{ subject: SubjectName; viaNode: string[]; viaEntities: string[] }> = [];

  beforeAll(async () => {
    const paths = nodePaths();
    for (const subject of [...new Set(paths.map((p) => p.subject))]) {
      const batch = paths.map((p, i) => ({ p, alias: `e${i}` })).filter(({ p }) => p.subject === subject);
      const nodeFragments = new Set<string>();
      const entityFragments = new Set<string>();
      const nodeDocument = `query Node${subject} {\n  ${batch.map(({ p, alias }) => `${alias}: ${written(p, nodeFragments)}`).join('\n  ')}\n}\n${[...nodeFragments].join('\n')}`;
      const entityDocument = `query Entities${subject} {\n  ${batch.map(({ p, alias }) => `${alias}: ${asEntities(p, entityFragments)}`).join('\n  ')}\n}\n${[...entityFragments].join('\n')}`;
      const id = `entities-matrix-${caller}-${subject}`;
      const viaNodeAnswer = await post(m.gw.url, nodeDocument, { ...m.headers[caller], 'x-request-id': `${id}-node` });
      const viaEntities = await post(subgraphUrl(), entityDocument, { ...m.headers[caller], 'x-request-id': `${id}-entities` });
      expect(viaNodeAnswer.status, JSON.stringify(viaNodeAnswer.errors)).toBe(200);
      expect(viaEntities.status, JSON.stringify(viaEntities.errors)).toBe(200);
      const singles = new Set(batch.filter(({ p }) => !idsOf(rootField(written(p, new Set())))!.many).map(({ alias }) => alias));
      const response = asNodeAnswer(viaEntities, singles);
      for (const { p, alias } of batch) byPath.set(p.name, { alias, response });
      logs.push({ subject, viaNode: await entriesOf(`${id}-node`), viaEntities: await entriesOf(`${id}-entities`) });
    }
  });

  it('answers every path with data (no other errors than FORBIDDEN)', () => {
    for (const { response } of byPath.values()) {
      for (const error of response.errors ?? []) expect(error.extensions?.code, error.message).toBe('FORBIDDEN');
    }
  });

  it('gives every node(id) and nodes(ids) path the outcome grid of node(id) (checkPath, expectations.ts)', () => {
    const paths = nodePaths();
    expect(paths.length).toBeGreaterThan(0);
    const run: CallerRun = { byPath };
    for (const path of paths) {
      try {
        checkPath(m, caller, path, run);
      } catch (error) {
        throw new Error(`${path.name}, as _entities: ${(error as Error).message}`, { cause: error });
      }
    }
  });

  it('writes the same access-log entries as node(id)', () => {
    for (const { subject, viaNode, viaEntities } of logs) expect(viaEntities, `${caller} × ${subject}`).toEqual(viaNode);
    // The callers who read anything leave entries: the comparison is not of two empty lists only.
    if (['citizen', 'officer', 'admin'].includes(caller)) expect(logs.some((l) => l.viaNode.length > 0)).toBe(true);
  });
});

describe("/subgraph's own root fields keep the query guard (its declarations are carried onto the subgraph schema)", () => {
  it.each(CALLERS)('%s: every filter, ordering and lookup of USE_GRID answers as on /graphql', async (caller) => {
    const document = `{\n${USES.map((use, i) => `  u${i}: ${use.field(m.f)}`).join('\n')}\n}`;
    const [viaGraphql, viaSubgraph] = await Promise.all([post(m.gw.url, document, m.headers[caller]), post(subgraphUrl(), document, m.headers[caller])]);
    expect(viaSubgraph.status).toBe(200);
    expect({ data: viaSubgraph.data, errors: viaSubgraph.errors }).toEqual({ data: viaGraphql.data, errors: viaGraphql.errors });
    if (caller === 'officerNoPurpose') expect(viaSubgraph.errors?.some((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
  });
});

describe('a representation whose id is not of its __typename', () => {
  it('answers null, as an unknown id, and logs nothing', async () => {
    const citizen = m.subjects.C.id!;
    const requestId = 'entities-matrix-wrong-type';
    const res = await post(subgraphUrl(), `{ _entities(representations: [{ __typename: "Household", id: ${q(citizen)} }]) { ... on Household { id code } } }`, { ...m.headers.admin, 'x-request-id': requestId });
    expect({ data: res.data, errors: res.errors }).toEqual({ data: { _entities: [null] }, errors: undefined });
    expect(await entriesOf(requestId)).toEqual([]);
  });
});

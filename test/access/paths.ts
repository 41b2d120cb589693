/**
 * The path catalogue of the authorization matrix: every way to reach a subject's personal fields
 * (direct query, nested relations, node/nodes, aliases, named and inline fragments, unions such
 * as Applicant and the Node interface), and every filter, ordering and lookup on a personal field.
 * A module adds the paths through its own relations (`matrixPaths` in
 * test/modules/<source>/samples.ts, read through test/support/samples).
 *
 * The path language is in path-language.ts. Names are the keys of PATH_GRID and USE_GRID in
 * expectations.ts, which say who reaches what.
 */
import type { GraphQLSchema } from 'graphql';
import { expect } from 'vitest';
import { personalFields } from '../../src/access/graphql/personal.js';
import { moduleSamples } from '../support/samples/index.js';
import type { SubjectName, TypeName } from './expectations.js';
import { AGENCY_A, dateText, type Fixtures } from './fixtures.js';
import { atRoot, edgeWithId, follow, gid, NOT_FOUND, obj, q, STYLES, type MatrixPath, type Style } from './path-language.js';

export { andThen, edgeWithId, follow, gid, obj, q, STYLES, type Key, type Located, type MatrixPath, type Style } from './path-language.js';

// ---------------------------------------------------------------------------------------------
// Selections: the personal fields come from personalFields(schema), the schema served
// (buildGatewaySchema: runner.ts builds it once), every @Personal field of it
// ---------------------------------------------------------------------------------------------

/** Personal fields whose value is an object: what to select inside. */
const OBJECT_FIELDS: Record<string, string> = { 'Citizen.ward': '{ id }', 'Citizen.household': '{ id }', 'Household.head': '{ id }', 'Household.members': '{ totalCount }' };

const fieldsByType = new WeakMap<GraphQLSchema, ReadonlyMap<string, readonly string[]>>();

/** The personal fields of a type in the schema, in the schema's order. */
export function fieldsOf(schema: GraphQLSchema, typeName: TypeName): readonly string[] {
  let byType = fieldsByType.get(schema);
  if (!byType) {
    const map = new Map<string, string[]>();
    for (const p of personalFields(schema)) map.set(p.typeName, [...(map.get(p.typeName) ?? []), p.field]);
    byType = map;
    fieldsByType.set(schema, byType);
  }
  return byType.get(typeName) ?? [];
}

/** The response key of a field in a style. */
export const keyOf = (field: string, style: Style): string => (style === 'aliased' ? `${field}Seen` : field);

function fieldList(schema: GraphQLSchema, typeName: TypeName, style: Style): string {
  return fieldsOf(schema, typeName)
    .map((field) => `${style === 'aliased' ? `${keyOf(field, style)}: ` : ''}${field} ${OBJECT_FIELDS[`${typeName}.${field}`] ?? ''}`)
    .join(' ');
}

/**
 * The selection of a subject's fields in a style (with its `id`, unless the type has none);
 * named fragments are collected for the document. On a union (the printed holder, the holder),
 * only the fragment styles select anything.
 */
export function selection(schema: GraphQLSchema, typeName: TypeName, style: Style, fragments: Set<string>, withId = true): string {
  const fields = `${withId ? 'id ' : ''}${fieldList(schema, typeName, style)}`;
  const fragment = `${typeName}Fields`;
  if (style === 'named fragment') {
    fragments.add(`fragment ${fragment} on ${typeName} { __typename ${fields} }`);
    return `{ ...${fragment} }`;
  }
  if (style === 'inline fragment') return `{ __typename ... on ${typeName} { ${fields} } }`;
  return `{ __typename ${fields} }`;
}

// ---------------------------------------------------------------------------------------------
// Paths to the subjects
// ---------------------------------------------------------------------------------------------

const C = (f: Fixtures) => gid('Citizen', f.C.id);
const D = (f: Fixtures) => gid('Citizen', f.D.id);
const H = (f: Fixtures) => gid('Household', f.H.id);
const missingCitizen = () => gid('Citizen', 99_999_999);
/** The paths of the access package's own subjects; each module adds its own (`matrixPaths` in test/modules/<source>/samples.ts). */
const ACCESS_PATHS: readonly MatrixPath[] = [
  // C, the applicant of A's dossiers (and the calling citizen).
  ...STYLES.map(
    (style): MatrixPath => ({
      name: `citizen(nationalId) of C, ${style}`,
      subject: 'C',
      style,
      field: (f, sel) => `citizen(nationalId: ${q(f.C.national_id)}) ${sel('Citizen')}`,
      locate: atRoot,
    }),
  ),
  { name: 'me', subject: 'C', style: 'plain', field: (_f, sel) => `me ${sel('Citizen')}`, locate: atRoot },
  {
    name: 'citizens(filter: nationalId) list',
    subject: 'C',
    style: 'plain',
    field: (f, sel) => `citizens(filter: { nationalId: ${q(f.C.national_id)} }) { edges { node ${sel('Citizen')} } }`,
    locate: (f, v, p) => edgeWithId(v, p, ['node'], C(f)),
  },
  {
    name: 'dossiers list → applicant (Applicant union)',
    subject: 'C',
    style: 'inline fragment',
    field: (f, sel) => `dossiers(filter: { applicantId: ${q(C(f))} }, first: 5) { edges { node { applicant ${sel('Citizen')} } } }`,
    locate: (f, v, p) => edgeWithId(v, p, ['node', 'applicant'], C(f)),
  },
  {
    name: 'dossiers list → applicant (union, named fragment)',
    subject: 'C',
    style: 'named fragment',
    field: (f, sel) => `dossiers(filter: { applicantId: ${q(C(f))} }, first: 5) { edges { node { applicant ${sel('Citizen')} } } }`,
    locate: (f, v, p) => edgeWithId(v, p, ['node', 'applicant'], C(f)),
  },
  {
    name: 'dossier(code) → applicant',
    subject: 'C',
    style: 'inline fragment',
    field: (f, sel) => `dossier(code: ${q(f.cDossier)}) { code applicant ${sel('Citizen')} }`,
    locate: (_f, v, p) => follow(v, p, ['applicant']),
  },
  {
    name: 'agency(code) → dossiers → applicant',
    subject: 'C',
    style: 'named fragment',
    field: (_f, sel) => `agency(code: ${q(AGENCY_A)}) { code dossiers(first: 100) { edges { node { applicant ${sel('Citizen')} } } } }`,
    locate: (f, v, p) => edgeWithId(obj(v)?.dossiers, [...p, 'dossiers'], ['node', 'applicant'], C(f)),
  },
  {
    name: 'citizen(nationalId) → dossiers → applicant',
    subject: 'C',
    style: 'inline fragment',
    field: (f, sel) => `citizen(nationalId: ${q(f.C.national_id)}) { id dossiers(first: 5) { edges { node { applicant ${sel('Citizen')} } } } }`,
    locate: (f, v, p) => edgeWithId(obj(v)?.dossiers, [...p, 'dossiers'], ['node', 'applicant'], C(f)),
  },
  { name: 'node(id) of C (Node interface)', subject: 'C', style: 'inline fragment', field: (f, sel) => `node(id: ${q(C(f))}) ${sel('Citizen')}`, locate: atRoot },
  { name: 'node(id) of C, named fragment', subject: 'C', style: 'named fragment', field: (f, sel) => `node(id: ${q(C(f))}) ${sel('Citizen')}`, locate: atRoot },
  {
    name: 'nodes(ids) of [missing, C]',
    subject: 'C',
    style: 'inline fragment',
    field: (f, sel) => `nodes(ids: [${q(missingCitizen())}, ${q(C(f))}]) ${sel('Citizen')}`,
    locate: (_f, v, p) => {
      expect((v as unknown[])[0]).toBeNull();
      return follow(v, p, [1]);
    },
  },
  {
    name: 'households → members (C)',
    subject: 'C',
    style: 'plain',
    field: (f, sel) => `households(filter: { wardId: ${q(gid('AdministrativeUnit', f.H.ward_id))} }, first: 100) { edges { node { id members(first: 50) { edges { node ${sel('Citizen')} } } } } }`,
    locate: (f, v, p) => {
      const household = edgeWithId(v, p, ['node'], H(f));
      return household.found ? edgeWithId(household.object.members, [...household.path, 'members'], ['node'], C(f)) : NOT_FOUND;
    },
  },
  // D, the legal representative of a business, who never applied to A.
  { name: 'business(code) → legalRepresentative', subject: 'D', style: 'plain', field: (f, sel) => `business(code: ${q(f.business.code)}) { code legalRepresentative ${sel('Citizen')} }`, locate: (_f, v, p) => follow(v, p, ['legalRepresentative']) },
  { name: 'business(code) → legalRepresentative, aliased', subject: 'D', style: 'aliased', field: (f, sel) => `business(code: ${q(f.business.code)}) { code legalRepresentative ${sel('Citizen')} }`, locate: (_f, v, p) => follow(v, p, ['legalRepresentative']) },
  {
    name: 'businesses list → legalRepresentative',
    subject: 'D',
    style: 'inline fragment',
    field: (_f, sel) => `businesses(first: 100) { edges { node { code legalRepresentative ${sel('Citizen')} } } }`,
    locate: (f, v, p) => edgeWithId(v, p, ['node', 'legalRepresentative'], D(f)),
  },
  {
    name: 'node(id) of a Business → legalRepresentative',
    subject: 'D',
    style: 'named fragment',
    field: (f, sel) => `node(id: ${q(gid('Business', f.business.id))}) { ... on Business { code legalRepresentative ${sel('Citizen')} } }`,
    locate: (_f, v, p) => follow(v, p, ['legalRepresentative']),
  },
  { name: 'citizen(nationalId) of D', subject: 'D', style: 'plain', field: (f, sel) => `citizen(nationalId: ${q(f.D.national_id)}) ${sel('Citizen')}`, locate: atRoot },
  { name: 'node(id) of D', subject: 'D', style: 'inline fragment', field: (f, sel) => `node(id: ${q(D(f))}) ${sel('Citizen')}`, locate: atRoot },
  {
    name: 'nodes(ids) of [D, missing]',
    subject: 'D',
    style: 'named fragment',
    field: (f, sel) => `nodes(ids: [${q(D(f))}, ${q(missingCitizen())}]) ${sel('Citizen')}`,
    locate: (_f, v, p) => {
      expect((v as unknown[])[1]).toBeNull();
      return follow(v, p, [0]);
    },
  },

  // H, C's household.
  { name: 'citizen(nationalId) → household', subject: 'H', style: 'plain', field: (f, sel) => `citizen(nationalId: ${q(f.C.national_id)}) { id household ${sel('Household')} }`, locate: (_f, v, p) => follow(v, p, ['household']) },
  {
    name: 'dossier(code) → applicant → household',
    subject: 'H',
    style: 'aliased',
    field: (f, sel) => `dossier(code: ${q(f.cDossier)}) { applicant { ... on Citizen { id household ${sel('Household')} } } }`,
    locate: (_f, v, p) => follow(v, p, ['applicant', 'household']),
  },
  { name: 'me → household', subject: 'H', style: 'named fragment', field: (_f, sel) => `me { id household ${sel('Household')} }`, locate: (_f, v, p) => follow(v, p, ['household']) },
  {
    name: 'households list',
    subject: 'H',
    style: 'plain',
    field: (f, sel) => `households(filter: { wardId: ${q(gid('AdministrativeUnit', f.H.ward_id))} }, first: 100) { edges { node ${sel('Household')} } }`,
    locate: (f, v, p) => edgeWithId(v, p, ['node'], H(f)),
  },
  { name: 'node(id) of H', subject: 'H', style: 'inline fragment', field: (f, sel) => `node(id: ${q(H(f))}) ${sel('Household')}`, locate: atRoot },
  { name: 'nodes(ids) of [H]', subject: 'H', style: 'named fragment', field: (f, sel) => `nodes(ids: [${q(H(f))}]) ${sel('Household')}`, locate: (_f, v, p) => follow(v, p, [0]) },

];

export const PATHS: readonly MatrixPath[] = [...ACCESS_PATHS, ...(await moduleSamples()).flatMap((m) => m.matrixPaths ?? [])];

// ---------------------------------------------------------------------------------------------
// Filters, orderings and lookups on personal fields
// ---------------------------------------------------------------------------------------------

interface UseOf {
  /** Its row in USE_GRID. */
  name: string;
  /** The root field; every filter matches C (or H), so an allowed use finds at least one row. */
  field(f: Fixtures): string;
}
/** A list answers a totalCount; a lookup, the subject it finds (or null). */
export type Use = (UseOf & { kind: 'list' }) | (UseOf & { kind: 'lookup'; finds: SubjectName });

const born = (f: Fixtures) => q(dateText(f.C.birth_date));
const citizens = (args: string) => `citizens(${args}) { totalCount }`;
const households = (args: string) => `households(${args}) { totalCount }`;

/** Filters are isolated with orderBy: NEWEST, which needs nothing. */
export const USES: readonly Use[] = [
  { name: 'citizens(filter: nationalId)', kind: 'list', field: (f) => citizens(`filter: { nationalId: ${q(f.C.national_id)} }, orderBy: NEWEST`) },
  { name: 'citizens(filter: bornFrom, bornTo)', kind: 'list', field: (f) => citizens(`filter: { bornFrom: ${born(f)}, bornTo: ${born(f)} }, orderBy: NEWEST`) },
  { name: 'citizens(filter: gender)', kind: 'list', field: (f) => citizens(`filter: { gender: ${f.C.gender} }, orderBy: NEWEST`) },
  { name: 'citizens(filter: householdId)', kind: 'list', field: (f) => citizens(`filter: { householdId: ${q(gid('Household', f.H.id))} }, orderBy: NEWEST`) },
  { name: 'citizens(filter: search)', kind: 'list', field: (f) => citizens(`filter: { search: ${q(f.C.full_name)} }, orderBy: NEWEST`) },
  { name: 'citizens(filter: wardId)', kind: 'list', field: (f) => citizens(`filter: { wardId: ${q(gid('AdministrativeUnit', f.C.ward_id))} }, orderBy: NEWEST`) },
  { name: 'citizens(filter: districtId)', kind: 'list', field: (f) => citizens(`filter: { districtId: ${q(gid('AdministrativeUnit', f.districtId))} }, orderBy: NEWEST`) },
  { name: 'citizens (default order: NAME)', kind: 'list', field: () => citizens('first: 1') },
  { name: 'citizens(orderBy: BIRTH_DATE)', kind: 'list', field: () => citizens('first: 1, orderBy: BIRTH_DATE') },
  { name: 'citizens(orderBy: NEWEST)', kind: 'list', field: () => citizens('first: 1, orderBy: NEWEST') },
  { name: 'citizen(nationalId)', kind: 'lookup', finds: 'C', field: (f) => `citizen(nationalId: ${q(f.C.national_id)}) { id }` },
  { name: 'households (default order: CODE)', kind: 'list', field: () => households('first: 1') },
  { name: 'households(orderBy: ADDRESS)', kind: 'list', field: () => households('first: 1, orderBy: ADDRESS') },
  { name: 'households(filter: search, orderBy: ADDRESS)', kind: 'list', field: (f) => households(`filter: { search: ${q(f.H.address)} }, orderBy: ADDRESS`) },
  { name: 'households(filter: wardId)', kind: 'list', field: (f) => households(`filter: { wardId: ${q(gid('AdministrativeUnit', f.H.ward_id))} }`) },
];

import { createHash } from 'node:crypto';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { addTypenameSelectionDocumentTransform } from '@graphql-codegen/client-preset';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';

/**
 * `__typename` on every object: the client preset's `addTypenameSelectionDocumentTransform` adds
 * it to every selection set before the documents are printed, hashed and typed, so the
 * manifest's text, which is what a production gateway runs, answers `__typename` on every object
 * and normalised caches (Apollo Client's InMemoryCache, urql's Graphcache) can key entities
 * (`Dataset:<id>`): a refetch by id updates every list that shows the entity
 * (test/apollo-client.test.ts). As Apollo Client's own transform does, the operation's root is
 * left as written: `{ __typename: "Query", … }` would tell a cache nothing and put a key beside
 * every root field of every answer.
 */
const typenameOnObjects: typeof addTypenameSelectionDocumentTransform = {
  async transform(options) {
    const transformed = await addTypenameSelectionDocumentTransform.transform(options);
    return transformed.map((file, index) => {
      const written = options.documents[index]?.document;
      return file.document && written ? { ...file, document: withRootsAsWritten(file.document, written) } : file;
    });
  },
};

/** `document` with each operation's root selection set as in `written` (same definitions, same order). */
function withRootsAsWritten(document: DocumentNode, written: DocumentNode): DocumentNode {
  const hasTypename = (operation: OperationDefinitionNode) =>
    operation.selectionSet.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename' && !s.alias);
  return {
    ...document,
    definitions: document.definitions.map((definition, index) => {
      const original = written.definitions[index];
      if (definition.kind !== Kind.OPERATION_DEFINITION || original?.kind !== Kind.OPERATION_DEFINITION || hasTypename(original)) return definition;
      const selections = definition.selectionSet.selections.filter((s) => !(s.kind === Kind.FIELD && s.name.value === '__typename' && !s.alias));
      return { ...definition, selectionSet: { ...definition.selectionSet, selections } };
    }),
  };
}

/**
 * Typed document nodes for the city's internal apps, generated from the committed schema and
 * the operations in src/clients/operations. Run `npm run codegen`; the output is committed and
 * `npm run codegen:check` (CI) fails when it is stale.
 *
 * `persistedDocuments` also writes src/generated/persisted-documents.json, the manifest of
 * trusted documents (hash → document) that the gateway executes in production, and embeds each
 * document's hash in its node (`__meta__.hash`), which the client sends instead of the text.
 * The hash is the plain hex sha256 of the printed document: the same value Apollo Server's
 * persisted-query protocol (`sha256Hash`) and the access log's `documentHash` use.
 *
 * Every object selects `__typename` (typenameOnObjects), so that normalised caches work in
 * production too, where the gateway runs the manifest's text.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/clients/operations/**/*.graphql'],
  ignoreNoDocuments: true,
  generates: {
    'src/generated/': {
      preset: 'client',
      documentTransforms: [typenameOnObjects],
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: {
          mode: 'embedHashInDocument',
          hashPropertyName: 'hash',
          hashAlgorithm: (document: string) => createHash('sha256').update(document).digest('hex'),
        },
      },
      config: {
        importExtension: '.js',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: {
          DateTime: 'string',
          LocalDate: 'string',
          EmailAddress: 'string',
          PhoneNumber: 'string',
          URL: 'string',
          NonNegativeInt: 'number',
          NonNegativeFloat: 'number',
        },
      },
    },
  },
};

export default config;

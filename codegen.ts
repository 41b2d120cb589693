import { createHash } from 'node:crypto';
import type { CodegenConfig } from '@graphql-codegen/cli';

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
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/clients/operations/**/*.graphql'],
  ignoreNoDocuments: true,
  generates: {
    'src/generated/': {
      preset: 'client',
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

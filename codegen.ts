import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed document nodes for the city's internal apps, generated from the committed schema and
 * the operations in src/clients/operations. Run `npm run codegen`; the output is committed.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/clients/operations/**/*.graphql'],
  ignoreNoDocuments: true,
  generates: {
    'src/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
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

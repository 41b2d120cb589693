import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Synthetic data is the commands' business (npm start, db:seed), never the server's. */
const SEED_PATTERNS = [
  { group: ['**/seed', '**/seed/**'], message: "src/seed and each module's seed/ are synthetic data: only src/cli (and tests, bench, scripts) may import them.", allowTypeImports: true },
  { group: ['@faker-js/*'], message: 'faker is a development dependency, for seeds only.' },
];

/** One way to make a DataLoader: the factories, which report every batch to the gateway's metrics. */
const LOADER_PATTERNS = [
  { group: ['dataloader'], message: 'Make loaders with the factories of src/platform/loaders/batch.ts (idLoader, keyLoader, mapLoader...): they batch alike and report to the metrics.', allowTypeImports: true },
];

/** The OpenTelemetry SDK is started in one place (src/platform/telemetry/sdk.ts, loaded only with an endpoint); the rest uses the API. */
const OTEL_SDK_PATTERNS = [
  { group: ['@opentelemetry/sdk-*', '@opentelemetry/exporter-*', '@opentelemetry/instrumentation*'], message: 'Only src/platform/telemetry/sdk.ts starts the OpenTelemetry SDK; spans go through @opentelemetry/api (src/platform/telemetry/spans.ts).', allowTypeImports: true },
];

/**
 * The platform sits below the modules: it imports none of them (not even types: the list of
 * modules imports the platform), nor config.ts, which reads the list; it declares the settings
 * it takes, and its source names come from a registry the list fills (platform/db/source-names.ts).
 */
const PLATFORM_PATTERNS = [
  { group: ['**/modules', '**/modules/**'], message: 'src/platform imports no module: it names sources with SourceName (platform/db/source-names.ts), which src/modules/index.ts fills.' },
  { group: ['**/config', '**/config.js'], message: 'src/platform does not import config.ts (it reads the modules list): declare the settings taken here, and let config.ts import them.' },
];

/** Modules reach each other only through their manifests (`<source>/module.js`). */
const OTHER_MODULE_FROM_DEPTH = (ups) => ({
  regex: `^${'\\.\\./'.repeat(ups)}[a-z-]+/(?!module\\.js$)`,
  message: "Another module is reached only through its manifest: import from '<source>/module.js' (and export what it should share there).",
});

/** The database layer knows tables and SQL, nothing of GraphQL. */
const DB_PATTERNS = [
  { group: ['graphql', 'type-graphql', 'graphql-scalars'], message: "A module's db layer imports no GraphQL: map rows to types in graph/." },
  { group: ['**/graph/**', '**/access/graphql/**', '**/server/**'], message: "A module's db layer imports no GraphQL code and no server." },
];

/**
 * The access package decides who may see what, and nothing else: it imports no module, no server,
 * no platform code and no GraphQL; its GraphQL adapters (src/access/graphql/) import GraphQL and
 * type-graphql, and still no module or server (they work with any context carrying `access`).
 */
const ACCESS_PATTERNS = [
  { group: ['**/modules', '**/modules/**'], message: 'src/access imports no module: the modules ask it (their scope.ts translates its row scopes), and the context hands it lookups.' },
  { group: ['**/server', '**/server/**'], message: 'src/access imports nothing of the server.' },
];
const ACCESS_CORE_PATTERNS = [
  ...ACCESS_PATTERNS,
  { group: ['**/platform', '**/platform/**'], message: 'src/access (outside access/graphql/) imports no platform code.' },
  { group: ['graphql', 'graphql/*', 'type-graphql', 'type-graphql/*', 'graphql-scalars'], message: 'src/access is GraphQL-free outside access/graphql/ (signal refusals with AccessDenied; the adapter makes them FORBIDDEN).' },
];

const restrict = (...patterns) => ({ '@typescript-eslint/no-restricted-imports': ['error', { patterns: patterns.flat() }] });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/generated/**', 'data/**', 'bench/results/**', '.test-build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // A production gateway must not be able to load seeds, nor need faker installed.
    files: ['src/**'],
    ignores: ['src/cli/**', 'src/seed/**', 'src/modules/*/seed/**'],
    rules: {
      ...restrict(SEED_PATTERNS, LOADER_PATTERNS, OTEL_SDK_PATTERNS),
      // The same for import(), which no-restricted-imports does not see.
      'no-restricted-syntax': ['error', { selector: 'ImportExpression[source.value=/(^|\\/)seed(\\/|$)|^@faker-js\\//]', message: 'seeds and faker: only src/cli may load them.' }],
    },
  },
  { files: ['src/platform/**'], rules: restrict(SEED_PATTERNS, LOADER_PATTERNS, OTEL_SDK_PATTERNS, PLATFORM_PATTERNS) },
  // The loader factories themselves.
  { files: ['src/platform/loaders/**'], rules: restrict(SEED_PATTERNS, OTEL_SDK_PATTERNS, PLATFORM_PATTERNS) },
  { files: ['src/platform/telemetry/sdk.ts'], rules: restrict(SEED_PATTERNS, LOADER_PATTERNS, PLATFORM_PATTERNS) },
  {
    // A manifest names its seeder lazily (`seed: () => import('./seed/seed.js')`): only seedAll
    // (src/seed, run by src/cli) calls it, so the server never loads it.
    files: ['src/modules/*/module.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  // Module boundaries. Seeds may share each other's generators (a seed reads the rows of the
  // sources before it); everything else goes through manifests.
  { files: ['src/modules/*/*.ts'], ignores: ['src/modules/*/module.ts'], rules: restrict(SEED_PATTERNS, LOADER_PATTERNS, OTHER_MODULE_FROM_DEPTH(1)) },
  { files: ['src/modules/*/module.ts'], rules: restrict(LOADER_PATTERNS, OTHER_MODULE_FROM_DEPTH(1)) },
  { files: ['src/modules/*/graph/**/*.ts'], rules: restrict(SEED_PATTERNS, LOADER_PATTERNS, OTHER_MODULE_FROM_DEPTH(2)) },
  { files: ['src/modules/*/db/*.ts'], rules: restrict(SEED_PATTERNS, DB_PATTERNS, LOADER_PATTERNS, OTHER_MODULE_FROM_DEPTH(2)) },
  { files: ['src/modules/*/db/migrations/*.ts'], rules: restrict(SEED_PATTERNS, DB_PATTERNS, OTHER_MODULE_FROM_DEPTH(3)) },
  // The access package's boundaries (see ACCESS_PATTERNS).
  { files: ['src/access/**/*.ts'], ignores: ['src/access/graphql/**'], rules: restrict(SEED_PATTERNS, LOADER_PATTERNS, ACCESS_CORE_PATTERNS) },
  { files: ['src/access/graphql/**/*.ts'], rules: restrict(SEED_PATTERNS, LOADER_PATTERNS, ACCESS_PATTERNS) },
);

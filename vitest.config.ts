import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Suites that do not depend on the backend under test (they start their own processes on
 * embedded data or fake servers): `npm test` runs them, `npm run test:postgres` need not again.
 */
const BACKEND_INDEPENDENT = ['test/front-door.test.ts', 'test/cli-errors.test.ts', 'test/built-server.test.ts'];

export default defineConfig({
  // graphql 16 ships `module` without `exports`: without this alias vite loads index.mjs while
  // Apollo and type-graphql load index.js, and the schema fails with "another module or realm".
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(process.env.TEST_DATABASE === 'postgres' ? BACKEND_INDEPENDENT : [])],
    // PGlite takes 4-6 s to start on 2 cores; one instance per test file.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    setupFiles: ['test/setup.ts'],
  },
});

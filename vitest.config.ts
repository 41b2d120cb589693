import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql 16 ships `module` without `exports`: without this alias vite loads index.mjs while
  // Apollo and type-graphql load index.js, and the schema fails with "another module or realm".
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    // PGlite takes 4-6 s to start on 2 cores; one instance per test file.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
    setupFiles: ['test/setup.ts'],
  },
});

import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    // Synthetic data is the commands' business (npm start, db:seed), never the server's: a
    // production gateway must not be able to load it, nor need faker installed.
    files: ['src/**'],
    ignores: ['src/cli/**', 'src/seed/**', 'src/modules/*/seed/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/seed', '**/seed/**'], message: 'src/seed and each module\'s seed/ are synthetic data: only src/cli (and tests, bench, scripts) may import them.' },
            { group: ['@faker-js/*'], message: 'faker is a development dependency, for seeds only.' },
          ],
        },
      ],
      // The same for import(), which no-restricted-imports does not see.
      'no-restricted-syntax': ['error', { selector: 'ImportExpression[source.value=/(^|\\/)seed(\\/|$)|^@faker-js\\//]', message: 'seeds and faker: only src/cli may load them.' }],
    },
  },
);

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layout's boundaries are ESLint rules (eslint.config.js): each case lints a file that
 * breaks one, at the path where it would live, and expects lint to fail with that rule; the
 * same import from a place it is allowed passes.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

const CASES: ReadonlyArray<{ what: string; file: string; code: string; rule: RegExp }> = [
  {
    what: "a module's graph layer reaching into another module's files",
    file: 'src/modules/ioc/graph/violation.ts',
    code: "import { Dossier } from '../../services/graph/dossier.type.js';\nexport const x = Dossier;\n",
    rule: /no-restricted-imports: .*only through its manifest/,
  },
  {
    what: "a module's loaders reaching into another module's db layer",
    file: 'src/modules/ioc/violation.ts',
    code: "import { DossiersRepository } from '../services/db/dossiers.repository.js';\nexport const x = DossiersRepository;\n",
    rule: /no-restricted-imports: .*only through its manifest/,
  },
  {
    what: "a module's db layer importing GraphQL",
    file: 'src/modules/ioc/db/violation.ts',
    code: "import { GraphQLError } from 'graphql';\nexport const x = GraphQLError;\n",
    rule: /no-restricted-imports: .*db layer imports no GraphQL/,
  },
  {
    what: "a module's db layer importing its graph layer",
    file: 'src/modules/ioc/db/violation.ts',
    code: "import { Indicator } from '../graph/indicator.type.js';\nexport const x = Indicator;\n",
    rule: /no-restricted-imports: .*db layer imports no GraphQL code/,
  },
  {
    what: 'a migration importing GraphQL',
    file: 'src/modules/ioc/db/migrations/violation.ts',
    code: "import { buildSchema } from 'type-graphql';\nexport const x = buildSchema;\n",
    rule: /no-restricted-imports: .*db layer imports no GraphQL/,
  },
  {
    what: 'the platform importing the modules list (even a type)',
    file: 'src/platform/db/violation.ts',
    code: "import type { SourceName } from '../../modules/index.js';\nexport type X = SourceName;\n",
    rule: /no-restricted-imports: .*src\/platform imports no module/,
  },
  {
    what: 'the server importing a seed',
    file: 'src/server/violation.ts',
    code: "import { seedAll } from '../seed/index.js';\nexport const x = seedAll;\n",
    rule: /no-restricted-imports: .*synthetic data/,
  },
  {
    what: "the server loading a module's seed lazily",
    file: 'src/server/violation.ts',
    code: "export const x = () => import('../modules/services/seed/seed.js');\n",
    rule: /no-restricted-syntax: seeds and faker/,
  },
  {
    what: 'a graph file importing faker',
    file: 'src/modules/population/graph/violation.ts',
    code: "import { faker } from '@faker-js/faker';\nexport const x = faker;\n",
    rule: /no-restricted-imports: .*faker is a development dependency/,
  },
];

describe('layout boundaries enforced by lint', () => {
  it.each(CASES)('fails: $what', async ({ file, code, rule }) => {
    const found = await problems(file, code);
    expect(found.some((p) => rule.test(p)), found.join('\n')).toBe(true);
  });

  it.each([
    ['another module through its manifest', 'src/modules/ioc/graph/allowed.ts', "import { Agency } from '../../reference/module.js';\nexport const x = Agency;\n"],
    ['own db layer from the graph layer', 'src/modules/ioc/graph/allowed.ts', "import { iocRepositories } from '../db/index.js';\nexport const x = iocRepositories;\n"],
    ['a seed from the command line', 'src/cli/allowed.ts', "import { seedAll } from '../seed/index.js';\nexport const x = seedAll;\n"],
    ["another module's seed data from a seed", 'src/modules/ioc/seed/allowed.ts', "import { agencies } from '../../reference/seed/agencies.js';\nexport const x = agencies;\n"],
  ])('passes: %s', async (_what, file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});

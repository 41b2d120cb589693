/**
 * The schema documents itself: `npm run schema:lint` (CI) runs graphql-schema-linter with the
 * rules of .graphql-schema-linterrc. Here the same command, with the same configuration, runs
 * over the schema the code builds (clean), and over that schema with one thing of each kind left
 * undocumented (each one found): the check can fail.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { getNamedType, isEnumType, isObjectType, Kind, parse, print, visit, type GraphQLSchema } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGatewaySchema, printGatewaySchema } from '../src/modules/schema.js';

const run = promisify(execFile);
const LINTER = 'node_modules/graphql-schema-linter/lib/cli.js';

interface Finding {
  message: string;
  rule: string;
}

/** Runs the linter as `npm run schema:lint` does (the repository's configuration), on SDL from stdin. */
async function lint(sdl: string): Promise<{ exitCode: number; findings: Finding[] }> {
  const child = run(process.execPath, [LINTER, '--stdin', '--format', 'json'], { cwd: process.cwd() });
  child.child.stdin!.end(sdl);
  const { stdout, exitCode } = await child.then(
    (out) => ({ stdout: out.stdout, exitCode: 0 }),
    (error: { stdout: string; code: number }) => ({ stdout: error.stdout, exitCode: error.code }),
  );
  return { exitCode, findings: (JSON.parse(stdout) as { errors: Finding[] }).errors };
}

let schema: GraphQLSchema;
let sdl: string;

beforeAll(async () => {
  schema = await buildGatewaySchema();
  sdl = printGatewaySchema(schema);
});

describe('schema linter', () => {
  it('runs the documented rule set, Relay, naming and deprecation rules included', async () => {
    const config = JSON.parse(await readFile('.graphql-schema-linterrc', 'utf8')) as { rules: string[]; schemaPaths: string[] };
    expect(config.schemaPaths).toEqual(['schema.graphql']);
    expect(config.rules).toEqual(
      expect.arrayContaining([
        'types-have-descriptions',
        'fields-have-descriptions',
        'arguments-have-descriptions',
        'enum-values-have-descriptions',
        'input-object-values-have-descriptions',
        'descriptions-are-capitalized',
        'defined-types-are-used',
        'deprecations-have-a-reason',
        'relay-connection-types-spec',
        'relay-connection-arguments-spec',
        'relay-page-info-spec',
      ]),
    );
  });

  it('finds nothing in the schema the code builds', async () => {
    const result = await lint(sdl);
    expect(result.findings).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it('finds an undocumented type, field, argument, enum value and input field, and a lowercase description', async () => {
    const undocumented = visit(parse(sdl), {
      ObjectTypeDefinition: (node) => (node.name.value === 'DatasetCategoryCount' ? { ...node, description: undefined } : undefined),
      FieldDefinition: (node) => {
        if (node.name.value === 'title' || node.name.value === 'slug') {
          // Dataset.title: no description; Dataset.slug: one that starts in lower case.
          if (node.name.value === 'title') return { ...node, description: undefined };
          return { ...node, description: { kind: Kind.STRING, value: 'url name on the portal.', block: false } };
        }
        if (node.name.value === 'citizen') {
          return { ...node, arguments: node.arguments?.map((arg) => ({ ...arg, description: undefined })) };
        }
        return undefined;
      },
      EnumValueDefinition: (node) => (node.name.value === 'DOWNLOADS' ? { ...node, description: undefined } : undefined),
      InputValueDefinition: (node) => (node.name.value === 'bornFrom' ? { ...node, description: undefined } : undefined),
    });
    const result = await lint(print(undocumented));
    expect(result.exitCode).toBe(1);
    expect(result.findings.map((f) => `${f.rule}: ${f.message}`).sort()).toEqual([
      'arguments-have-descriptions: The `nationalId` argument of `citizen` is missing a description.',
      'descriptions-are-capitalized: The description for field `Dataset.slug` should be capitalized.',
      'enum-values-have-descriptions: The enum value `DatasetOrder.DOWNLOADS` is missing a description.',
      'fields-have-descriptions: The field `Dataset.title` is missing a description.',
      'input-object-values-have-descriptions: The input value `CitizenFilter.bornFrom` is missing a description.',
      'types-have-descriptions: The object type `DatasetCategoryCount` is missing a description.',
    ]);
  });

  it('finds a type no field uses', async () => {
    const result = await lint(`${sdl}\n"Reachable from nowhere."\ntype Orphan {\n  "A field."\n  value: Int\n}\n`);
    expect(result.findings.map((f) => f.rule)).toEqual(['defined-types-are-used']);
  });
});

describe('orderBy arguments', () => {
  it('are nullable with a default on every list, so that Relay fragments can mirror them', () => {
    const found: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const orderBy = field.args.find((arg) => arg.name === 'orderBy');
        if (!orderBy) continue;
        found.push(`${type.name}.${field.name}`);
        const order = getNamedType(orderBy.type);
        expect(orderBy.type, `${type.name}.${field.name}`).toBe(order);
        expect(isEnumType(order) && order.getValues().map((v) => v.value), `${type.name}.${field.name}`).toContain(orderBy.defaultValue);
      }
    }
    // Each list found was checked above; these must be among them, so that the check is never vacuous
    // (a new source's ordered lists are checked without a line here).
    expect(found).toEqual(
      expect.arrayContaining([
        'Agency.datasets',
        'Agency.dossiers',
        'Agency.indicators',
        'Business.dossiers',
        'Citizen.dossiers',
        'Query.administrativeUnits',
        'Query.agencies',
        'Query.businesses',
        'Query.citizens',
        'Query.datasets',
        'Query.dossiers',
        'Query.households',
        'Query.indicators',
        'Query.procedures',
      ]),
    );
  });
});

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RawBuilder } from 'kysely';
import type { MatrixPath } from '../../access/path-language.js';
import { MODULES, type SourceName } from '../../../src/modules/index.js';

/**
 * What the cross-source tests need to know of each source that the served schema does not say:
 * declared by each module in `test/modules/<source>/samples.ts` (a new source brings its own),
 * read here by iterating MODULES. Lists, node types, arguments and their shapes come from the
 * schema; only values live in these files.
 */
export interface NodeTypeSamples {
  /** Fields that identify one object of the type: compared when it is refetched by node(id). */
  identifying: string;
  /** Row ids of the type to try in node(id), the likeliest hidden first (restricted parents, internal ones). */
  candidates: RawBuilder<{ id: number }>;
  /** Every object of the type is public: none is hidden from anyone. */
  public?: true;
  /**
   * The authorization matrix reaches personal data through node(id) of the type (test/access/
   * entities.test.ts asks each such path again as `_entities`): `own`, a personal-data type
   * (@PersonalDataType); `related`, a type with a field that leads to one (a business's legal
   * representative, the holder printed on a result).
   */
  personalData?: 'own' | 'related';
}

export interface ModuleSamples {
  /** One entry per Node type of the module's manifest (`nodes`). */
  nodes: Record<string, NodeTypeSamples>;
  /** Strings the SQL-injection sweep (test/server/bad-input.test.ts) must find among its targets: `field(arg)`, `field(filter.x)`, `list.field(arg)`. */
  injectionTargets?: readonly string[];
  /** What a look-up answers, by its `__typename`, for a value that names nothing, when that answer is an object and not null. */
  noMatch?: Readonly<Record<string, Record<string, unknown>>>;
  /** A root field reaching one object with many items in its lists, by type: its ordered lists are tried there (`agency(code: "…")`). */
  listParents?: Readonly<Record<string, string>>;
  /** The module's paths of the authorization matrix (test/access/paths.ts collects them into PATHS). */
  matrixPaths?: readonly MatrixPath[];
  /** What the module adds to test/access/coverage.test.ts's declarations of things that reveal nothing personal, each with the reason. */
  coverage?: CoverageReasons;
}

export interface CoverageReasons {
  /** Fields of personal-data types that are not personal data, by type and field. */
  nonPersonal?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Input fields of arguments of queries for personal data, by `Input.field`. */
  nonPersonalInputs?: Readonly<Record<string, string>>;
  /** Look-up and ordering arguments of such queries, by `Type.field(argument)`. */
  nonPersonalFieldArgs?: Readonly<Record<string, string>>;
}

export interface SourceSamples extends ModuleSamples {
  source: SourceName;
}

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Every module's samples, in MODULES order; a module without `test/modules/<source>/samples.ts` fails, naming the file. */
export async function moduleSamples(): Promise<SourceSamples[]> {
  return Promise.all(
    MODULES.map(async (m) => {
      const file = path.join(ROOT, 'test', 'modules', m.name, 'samples.ts');
      let loaded: { samples?: ModuleSamples };
      try {
        loaded = (await import(pathToFileURL(file).href)) as { samples?: ModuleSamples };
      } catch (error) {
        throw new Error(`source "${m.name}" has no test samples: add ${path.relative(ROOT, file)} exporting \`samples\` (test/support/samples/index.ts says what)`, { cause: error });
      }
      if (!loaded.samples) throw new Error(`${path.relative(ROOT, file)} exports no \`samples\``);
      const missing = Object.keys(m.nodes).filter((type) => !(type in loaded.samples!.nodes));
      if (missing.length) throw new Error(`${path.relative(ROOT, file)}: no samples for the node types ${missing.join(', ')}`);
      return { source: m.name, ...loaded.samples };
    }),
  );
}

/** Every node type's samples, with its source. */
export async function nodeSamples(): Promise<Map<string, NodeTypeSamples & { source: SourceName }>> {
  return new Map((await moduleSamples()).flatMap((s) => Object.entries(s.nodes).map(([type, node]) => [type, { ...node, source: s.source }] as const)));
}

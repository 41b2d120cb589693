import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { EVERY_CALLER, parseTrustedDocumentsSetting, type TrustedDocumentsManifestSetting, type TrustedDocumentsSetting } from '../../config.js';

/** sha256 of a document's text, in hex: the key of the manifest, Apollo's queryHash and the access log's documentHash. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `sha256:<hex>` (GraphQL over HTTP persisted documents) and `<hex>` (Apollo's APQ) name the same document. */
export function normalizeHash(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const hex = value.startsWith('sha256:') ? value.slice('sha256:'.length) : value;
  return /^[0-9a-fA-F]{64}$/.test(hex) ? hex.toLowerCase() : null;
}

/** A document id as looked up: a sha256 in any of its spellings as its hex; any other id (Relay's md5, a custom id) exactly as given. */
export function normalizeId(value: unknown): string | null {
  if (typeof value !== 'string' || value === '' || value.length > 512) return null;
  return normalizeHash(value) ?? value;
}

/** The folder holding the project's package.json, from this module (src/… under tsx, dist/src/… when built). */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export const DEFAULT_MANIFEST = path.join('src', 'generated', 'persisted-documents.json');

export class ManifestError extends Error {}

/**
 * The manifests of a gateway: the gateway's own (src/generated/persisted-documents.json, or the
 * bare file of TRUSTED_DOCUMENTS), for every caller, then the client apps' manifests.
 */
export function manifestSources(setting?: TrustedDocumentsSetting): TrustedDocumentsManifestSetting[] {
  return [{ file: setting?.own ?? path.join(projectRoot(), DEFAULT_MANIFEST), app: EVERY_CALLER }, ...(setting?.apps ?? [])];
}

/** TRUSTED_DOCUMENTS of an environment, read as the configuration reads it; a bad setting throws one line. */
export function settingFromEnv(env: Record<string, string | undefined> = process.env): TrustedDocumentsSetting | undefined {
  if (!env.TRUSTED_DOCUMENTS?.trim()) return undefined;
  const { setting, problems } = parseTrustedDocumentsSetting(env.TRUSTED_DOCUMENTS);
  if (problems.length) throw new ManifestError(problems.join('; '));
  return setting;
}

/** Where the gateway's own manifest is: the bare file of `TRUSTED_DOCUMENTS`, or src/generated/persisted-documents.json. */
export function manifestPath(env: Record<string, string | undefined> = process.env): string {
  return manifestSources(settingFromEnv(env))[0]!.file;
}

/** How a manifest names its documents; all three are read the same way once loaded (id → text). */
export type ManifestFormat =
  /** GraphQL Code Generator's client preset (the gateway's own): `{ "<sha256>": "<text>" }`. */
  | 'persisted-documents'
  /** The Relay compiler's `persistConfig` output: `{ "<id>": "<text>" }`, ids md5 by default. */
  | 'relay'
  /** @apollo/generate-persisted-query-manifest: `{ format, version: 1, operations: [{ id, name, type, body }] }`. */
  | 'apollo';

export interface ManifestContents {
  format: ManifestFormat;
  /** id → document text; sha256 ids in hex. */
  documents: Map<string, string>;
}

const APOLLO_FORMAT = 'apollo-persisted-query-manifest';
const KNOWN_FORMATS =
  'expected { "<id or sha256>": "<document>" } (the gateway\'s own persisted documents, Relay\'s persistedQueries) or an Apollo persisted query manifest ({ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [...] })';

/**
 * The members of the JSON object `json`, in order and with any key given twice (JSON.parse keeps
 * only the last, which would hide a second document under the same id). `json` is valid JSON.
 */
function objectMembers(json: string): Array<[string, unknown]> {
  const members: Array<[string, unknown]> = [];
  let i = json.indexOf('{') + 1;
  const space = () => {
    while (i < json.length && ' \t\n\r'.includes(json[i]!)) i++;
  };
  const skipString = () => {
    i++;
    while (json[i] !== '"') i += json[i] === '\\' ? 2 : 1;
    i++;
  };
  const skipValue = () => {
    let depth = 0;
    while (i < json.length) {
      const c = json[i]!;
      if (c === '"') {
        skipString();
        if (depth === 0) return;
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        if (depth === 0) return;
        depth--;
        if (depth === 0) {
          i++;
          return;
        }
      } else if (depth === 0 && (c === ',' || ' \t\n\r'.includes(c))) return;
      i++;
    }
  };
  for (;;) {
    space();
    if (json[i] !== '"') break;
    const keyStart = i;
    skipString();
    const key = JSON.parse(json.slice(keyStart, i)) as string;
    space();
    i++; // the colon
    space();
    const valueStart = i;
    skipValue();
    members.push([key, JSON.parse(json.slice(valueStart, i)) as unknown]);
    space();
    if (json[i] === ',') i++;
  }
  return members;
}

/** Adds one document under its id, refusing an id that already names another text. */
function addDocument(documents: Map<string, string>, key: string, text: string): void {
  const id = normalizeId(key);
  if (id === null) throw new Error(`"${key}" is not a document id (a non-empty string of at most 512 characters)`);
  const hash = normalizeHash(key);
  // An id that is a sha256 must be that of its text: what runs is what was reviewed, and the
  // access log's documentHash (the sha256 of the text run) is the manifest's key.
  if (hash !== null && sha256Hex(text) !== hash) throw new Error(`${key} is not the sha256 of its document`);
  const before = documents.get(id);
  if (before !== undefined && before !== text) throw new Error(`the id "${key}" is given twice, with different documents`);
  documents.set(id, text);
}

/** Reads the text of a manifest file in any of the formats it may come in. Throws the problem in plain words. */
export function manifestContents(json: string): ManifestContents {
  const parsed = JSON.parse(json) as unknown;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`not a manifest the gateway knows: ${KNOWN_FORMATS}`);
  const documents = new Map<string, string>();
  const record = parsed as Record<string, unknown>;

  if ('format' in record) {
    if (record.format !== APOLLO_FORMAT) throw new Error(`unknown format ${JSON.stringify(record.format)}: ${KNOWN_FORMATS}`);
    if (record.version !== 1) throw new Error(`Apollo persisted query manifest version ${JSON.stringify(record.version)} is not supported (version 1 is)`);
    if (!Array.isArray(record.operations)) throw new Error('an Apollo persisted query manifest needs an "operations" array');
    for (const [n, operation] of (record.operations as unknown[]).entries()) {
      const { id, body } = (operation ?? {}) as { id?: unknown; body?: unknown };
      if (typeof id !== 'string' || typeof body !== 'string') throw new Error(`operation ${n + 1} of "operations" needs a string "id" and "body"`);
      addDocument(documents, id, body);
    }
    if (documents.size === 0) throw new Error('has no documents');
    return { format: 'apollo', documents };
  }

  let allHashes = true;
  for (const [key, text] of objectMembers(json)) {
    if (typeof text !== 'string') throw new Error(`the document of "${key}" is not a string: ${KNOWN_FORMATS}`);
    addDocument(documents, key, text);
    if (normalizeHash(key) === null) allHashes = false;
  }
  if (documents.size === 0) throw new Error('has no documents');
  return { format: allHashes ? 'persisted-documents' : 'relay', documents };
}

function describeSource(source: TrustedDocumentsManifestSetting): string {
  return source.app === EVERY_CALLER ? source.file : `${source.file} (client app "${source.app}")`;
}

/** Reads one manifest file; every problem is one line naming the file. */
export function readManifestFile(source: TrustedDocumentsManifestSetting): ManifestContents {
  let json: string;
  try {
    json = readFileSync(source.file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ManifestError(`Trusted documents manifest ${describeSource(source)}: ${reason}`);
  }
  try {
    return manifestContents(json);
  } catch (error) {
    throw new ManifestError(`Trusted documents manifest ${describeSource(source)}: ${oneLine((error as Error).message)}`);
  }
}

/** Reads a manifest of any format: id → document text. */
export function readManifest(file: string): Map<string, string> {
  return readManifestFile({ file, app: EVERY_CALLER }).documents;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

/** The first operation's name, to name a document in a message. */
function operationName(document: DocumentNode): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) return definition.name?.value;
  }
  return undefined;
}

/** What is wrong with a document for this schema, in one line; null when it parses and validates. */
function documentProblem(text: string, schema: GraphQLSchema): { name?: string; problem: string } | null {
  let document: DocumentNode;
  try {
    document = parse(text);
  } catch (error) {
    return { problem: `does not parse: ${oneLine((error as Error).message)}` };
  }
  const name = operationName(document);
  if (!document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION)) return { name, problem: 'has no operation' };
  const errors = validate(schema, document);
  if (errors.length === 0) return null;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return { name, problem: `does not validate against the schema: ${oneLine(errors[0]!.message)}${more}` };
}

interface Entry {
  text: string;
  /** Every caller may run it (a document of the gateway's own manifest, or of a `*` one). */
  everyone: boolean;
  /** Client apps whose tokens may run it. */
  apps: Set<string>;
}

export interface LoadedManifest {
  file: string;
  app: string;
  format: ManifestFormat | null;
  documents: number;
}

/**
 * The trusted documents in force, from every manifest, each document tagged with who may run it.
 * A document is found by any id its manifests give it and by the sha256 of its text. Ids are
 * unique across all manifests: one id naming two texts stops the load. Replaced as a whole on
 * reload, never half-read.
 */
export class TrustedDocumentSet {
  private index: ReadonlyMap<string, Entry> = new Map();
  private documentCount = 0;
  /** Per manifest, what the last successful load found. */
  manifests: LoadedManifest[] = [];
  loadedAt = new Date();
  private schema?: GraphQLSchema;
  /** Validation results by sha256: the schema does not change while the gateway runs. */
  private readonly checked = new Map<string, ReturnType<typeof documentProblem>>();

  constructor(readonly sources: readonly TrustedDocumentsManifestSetting[]) {}

  get size(): number {
    return this.documentCount;
  }

  /**
   * Reads every manifest and checks every document against the schema. `strict` (production,
   * and every reload): the first problem throws and nothing changes. Otherwise (a development
   * start) problems are returned and what is sound is loaded; a missing own manifest is no
   * problem there (`npm run codegen` has not run yet).
   */
  load(options: { strict: boolean; schema?: GraphQLSchema }): string[] {
    if (options.schema) this.schema = options.schema;
    const problems: string[] = [];
    const fail = (message: string) => {
      if (options.strict) throw new ManifestError(message);
      problems.push(message);
    };
    const index = new Map<string, Entry>();
    const origin = new Map<string, string>();
    const manifests: LoadedManifest[] = [];
    const distinct = new Set<Entry>();
    for (const [n, source] of this.sources.entries()) {
      const label = describeSource(source);
      let contents: ManifestContents;
      try {
        contents = readManifestFile(source);
      } catch (error) {
        const ownMissing = n === 0 && !existsSync(source.file);
        if (options.strict || !ownMissing) fail((error as Error).message);
        manifests.push({ file: source.file, app: source.app, format: null, documents: 0 });
        continue;
      }
      let count = 0;
      for (const [id, text] of contents.documents) {
        const hash = sha256Hex(text);
        const problem = this.check(hash, text);
        if (problem) {
          fail(`Trusted documents manifest ${label}: the document ${problem.name ? `"${problem.name}" ` : ''}(id ${id}) ${problem.problem}`);
          continue;
        }
        const clash = [id, hash].find((key) => index.has(key) && index.get(key)!.text !== text);
        if (clash !== undefined) {
          fail(`Trusted documents manifest ${label}: the id "${clash}" names another document in ${origin.get(clash)}`);
          continue;
        }
        const entry = index.get(hash) ?? index.get(id) ?? { text, everyone: false, apps: new Set<string>() };
        if (source.app === EVERY_CALLER) entry.everyone = true;
        else entry.apps.add(source.app);
        for (const key of [id, hash]) {
          index.set(key, entry);
          if (!origin.has(key)) origin.set(key, label);
        }
        distinct.add(entry);
        count++;
      }
      manifests.push({ file: source.file, app: source.app, format: contents.format, documents: count });
    }
    this.index = index;
    this.documentCount = distinct.size;
    this.manifests = manifests;
    this.loadedAt = new Date();
    return problems;
  }

  private check(hash: string, text: string): ReturnType<typeof documentProblem> {
    if (!this.schema) return null;
    if (!this.checked.has(hash)) this.checked.set(hash, documentProblem(text, this.schema));
    return this.checked.get(hash)!;
  }

  /**
   * The text of the document with this id (an id its manifest gives it, or its sha256, `sha256:`
   * or not), if the caller's client app (null: none) may run it.
   */
  lookup(id: unknown, app: string | null): string | undefined {
    const key = normalizeId(id);
    const entry = key === null ? undefined : this.index.get(key);
    if (!entry) return undefined;
    return entry.everyone || (app !== null && entry.apps.has(app)) ? entry.text : undefined;
  }

  /** Whether this exact text is a trusted document the caller's client app may run. */
  contains(text: string, app: string | null): boolean {
    return this.lookup(sha256Hex(text), app) !== undefined;
  }

  /** Every document's text, once each (the jit executor plans them at start). */
  texts(): Set<string> {
    return new Set([...this.index.values()].map((entry) => entry.text));
  }
}

/** One manifest file for every caller: what a gateway had before client apps brought their own. */
export class TrustedDocumentManifest {
  private readonly set: TrustedDocumentSet;

  constructor(
    readonly file: string,
    options: { required: boolean },
  ) {
    this.set = new TrustedDocumentSet([{ file, app: EVERY_CALLER }]);
    this.set.load({ strict: options.required });
  }

  get size(): number {
    return this.set.size;
  }

  get loadedAt(): Date {
    return this.set.loadedAt;
  }

  lookup(hash: unknown): string | undefined {
    return this.set.lookup(hash, null);
  }

  contains(text: string): boolean {
    return this.set.contains(text, null);
  }

  reload(): number {
    this.set.load({ strict: true });
    return this.set.size;
  }
}

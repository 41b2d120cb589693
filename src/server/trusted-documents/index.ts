/**
 * Trusted documents: in production the gateway executes only the documents of its manifests, and
 * clients name them by id. The manifests are the gateway's own (hash → document, written by
 * `npm run codegen` to src/generated/persisted-documents.json), which every caller may run, and
 * the client apps' own (TRUSTED_DOCUMENTS, see parseTrustedDocumentsSetting in src/config.ts):
 * a Relay compiler's persisted queries, an Apollo persisted query manifest, or another
 * persisted-documents file, each tagged with the app (the token's `azp` or `client_id`) whose
 * tokens alone may run its documents.
 *
 * A request names its document in any of these ways (the first present wins):
 *
 *   { "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "6c16…ff18" } } }   Apollo (APQ, persisted query link)
 *   { "documentId": "sha256:6c16…ff18" }                                                GraphQL over HTTP persisted documents
 *   { "doc_id": "e106b7fc…" }, { "id": "e106b7fc…" }                                    Relay's network layer conventions
 *
 * (POST body, or the same names in a GET query string). An id is any id its manifest gives the
 * document, or the sha256 of the document's text.
 *
 * - A known id the caller's app may run runs that document (any text sent along is ignored).
 * - In production, an unknown id, another app's id, or the text of a document that is not one
 *   the caller may run is answered with PERSISTED_QUERY_NOT_FOUND before anything is parsed or
 *   validated. The message names the caller's client app, never which other app has the id.
 * - In development any document runs; ids of the manifests resolve too (for the same apps), and
 *   other hashes are left to Apollo Server's automatic persisted queries (APQ).
 *
 * Apollo's APQ never registers anything in production (so it needs no `persistedQueries: false`):
 * every request carrying a hash is resolved here (and the hash removed) or refused before Apollo
 * sees it, and a text without a hash is let through only when it is a trusted document.
 *
 * Loading is checked: an unreadable file, an unknown format, one id for two texts, a document
 * that does not parse or validate against the schema: one line naming the file and the problem,
 * and a production gateway does not start (a development one logs it and starts).
 *
 * The manifests can be replaced without a restart: they are read again when one of their files
 * changes (fs.watch on their folders, so that an atomic rename is seen), on SIGHUP (production),
 * and by `reload()`. A set of manifests that cannot be read or does not check out leaves the
 * documents in force unchanged.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin, BaseContext, HTTPGraphQLRequest } from '@apollo/server';
import type { TrustedDocumentsSetting } from '../../config.js';
import type { ErrorCode } from '../../platform/errors.js';
import { manifestSources, settingFromEnv, TrustedDocumentSet } from './manifest.js';

export {
  manifestPath,
  manifestContents,
  normalizeHash,
  normalizeId,
  readManifest,
  sha256Hex,
  TrustedDocumentManifest,
  TrustedDocumentSet,
  ManifestError,
  type LoadedManifest,
  type ManifestFormat,
} from './manifest.js';

export interface TrustedDocumentsOptions {
  /** true (production): only trusted documents run. false (development): any document runs. */
  enforce: boolean;
  /** The manifests (config.trustedDocuments); default: env TRUSTED_DOCUMENTS, else the gateway's own only. */
  manifests?: TrustedDocumentsSetting;
  /** Replaces the gateway's own manifest (src/generated/persisted-documents.json). */
  file?: string;
  /** The caller's client app; default: `principal.clientApp` of the context (the token's azp or client_id). */
  clientAppOf?: (context: BaseContext) => string | null;
  /** Read the manifests again when one of their files changes (default true). */
  watch?: boolean;
  /**
   * Read the manifests again on SIGHUP (default: in production only). A SIGHUP listener keeps the
   * process alive when its terminal closes, which a developer running `npm start` would not expect.
   */
  reloadOnSighup?: boolean;
  /** Where loads and reloads are reported (a pino logger fits); stderr by default. */
  logger?: TrustedDocumentsLogger;
}

export interface TrustedDocumentsLogger {
  info(detail: object, message: string): void;
  warn(detail: object, message: string): void;
}

const consoleLogger: TrustedDocumentsLogger = {
  info: (detail, message) => console.error(message, detail),
  warn: (detail, message) => console.error(message, detail),
};

export interface TrustedDocumentsPlugin<TContext extends BaseContext> extends ApolloServerPlugin<TContext> {
  documents: TrustedDocumentSet;
}

/** Document sets of the gateways running in this process, for `reload()`. */
const inUse = new Set<TrustedDocumentSet>();

export interface ReloadResult {
  file: string;
  /** The client app the manifest is for (`*`: every caller). */
  app: string;
  documents: number;
}

/**
 * Reads every manifest in use in this process again (what SIGHUP does). Returns the number of
 * documents of each manifest of each gateway; throws if a gateway's manifests could not be read
 * (the other gateways are reloaded all the same, and that one keeps its documents).
 */
export function reload(): ReloadResult[] {
  const results: ReloadResult[] = [];
  const failures: unknown[] = [];
  for (const documents of inUse) {
    try {
      documents.load({ strict: true });
      results.push(...documents.manifests.map(({ file, app, documents: count }) => ({ file, app, documents: count })));
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, [...new Set(failures.map((e) => (e as Error).message))].join('; '));
  return results;
}

const NOT_FOUND: ErrorCode = 'PERSISTED_QUERY_NOT_FOUND';

/**
 * Stands in for a refused request's document: Apollo looks it up in its APQ cache, finds nothing
 * (it is not a sha256, so it can never have been registered) and answers PERSISTED_QUERY_NOT_FOUND
 * without parsing anything; willSendResponse then puts our message in.
 */
const REFUSED = 'trusted-documents:refused';

interface Refusal {
  message: string;
  status: number;
}

function persistedQueryOf(extensions: Record<string, unknown> | undefined): { version?: unknown; sha256Hash?: unknown } | undefined {
  const value = extensions?.persistedQuery;
  return value !== null && typeof value === 'object' ? (value as { version?: unknown; sha256Hash?: unknown }) : undefined;
}

function withoutPersistedQuery(extensions: Record<string, unknown>): Record<string, unknown> {
  const { persistedQuery: _persistedQuery, ...rest } = extensions;
  return rest;
}

/** Where a request may name its document outside extensions.persistedQuery. */
const DOCUMENT_ID_FIELDS = ['documentId', 'doc_id', 'id'] as const;

/**
 * The document id of a request's `documentId`, `doc_id` or `id` (POST body or GET query string):
 * none, one, or a problem (not a string, or two different ids).
 */
function documentIdOf(http: HTTPGraphQLRequest | undefined): { id?: string; problem?: string } {
  if (!http) return {};
  const values: unknown[] = [];
  if (http.method === 'GET') {
    const search = new URLSearchParams(http.search);
    for (const field of DOCUMENT_ID_FIELDS) values.push(...search.getAll(field));
  } else if (http.body !== null && typeof http.body === 'object' && !Array.isArray(http.body)) {
    const body = http.body as Record<string, unknown>;
    for (const field of DOCUMENT_ID_FIELDS) if (body[field] !== undefined && body[field] !== null) values.push(body[field]);
  }
  if (values.length === 0) return {};
  if (values.some((value) => typeof value !== 'string' || value === '')) return { problem: 'documentId (or doc_id, id) must be a non-empty string: the id of a trusted document.' };
  if (new Set(values).size > 1) return { problem: 'The request names two different documents (documentId, doc_id, id): send one.' };
  return { id: values[0] as string };
}

/** The caller's client app from the gateway's context (the principal built from the token). */
function principalClientApp(context: BaseContext): string | null {
  const app = (context as { principal?: { clientApp?: unknown } }).principal?.clientApp;
  return typeof app === 'string' ? app : null;
}

function forWhom(app: string | null): string {
  return app === null ? 'for callers without a client app (no token, or no azp or client_id claim)' : `for the client app "${app}" (the token's azp or client_id)`;
}

export function trustedDocumentsPlugin<TContext extends BaseContext>(options: TrustedDocumentsOptions): TrustedDocumentsPlugin<TContext> {
  const logger = options.logger ?? consoleLogger;
  const clientAppOf = options.clientAppOf ?? principalClientApp;
  const setting = options.manifests ?? settingFromEnv();
  const sources = manifestSources(options.file ? { ...setting, apps: setting?.apps ?? [], own: options.file } : setting);
  const documents = new TrustedDocumentSet(sources);

  const reloadNow = (why: string) => {
    try {
      documents.load({ strict: true });
      logger.info({ manifests: documents.manifests, documents: documents.size, why }, 'trusted documents reloaded');
    } catch (error) {
      logger.warn({ documentsInForce: documents.size, why, reason: (error as Error).message }, 'trusted documents not reloaded; the documents in force stay');
    }
  };

  return {
    documents,

    async serverWillStart({ schema }) {
      // In production any problem stops the start-up (before anything below is set up): a
      // gateway that refused an app's documents would fail every request of that app.
      const problems = documents.load({ strict: options.enforce, schema });
      for (const reason of problems) logger.warn({ reason }, 'trusted documents: a manifest problem; what is sound is loaded (development)');
      if (sources.length > 1) logger.info({ manifests: documents.manifests, documents: documents.size }, 'trusted documents loaded');

      inUse.add(documents);
      const watchers: FSWatcher[] = [];
      let timer: NodeJS.Timeout | undefined;
      if (options.watch ?? true) {
        // Folders, not files: editors and deploys replace a file by a rename.
        const folders = new Map<string, Set<string>>();
        for (const { file } of sources) {
          const names = folders.get(path.dirname(file)) ?? new Set<string>();
          names.add(path.basename(file));
          folders.set(path.dirname(file), names);
        }
        for (const [folder, names] of folders) {
          try {
            const watcher = watch(folder, { persistent: false }, (_event, changed) => {
              if (changed !== null && !names.has(changed)) return;
              clearTimeout(timer);
              timer = setTimeout(() => reloadNow('file changed'), 100);
              timer.unref();
            });
            watcher.on('error', (error) => logger.warn({ folder, reason: error.message }, 'trusted documents: watching the manifests failed; reload with SIGHUP'));
            watchers.push(watcher);
          } catch (error) {
            logger.warn({ folder, reason: (error as Error).message }, 'trusted documents: cannot watch the manifests; reload with SIGHUP');
          }
        }
      }
      const onHangUp = () => reloadNow('SIGHUP');
      const sighup = (options.reloadOnSighup ?? options.enforce) && process.platform !== 'win32';
      if (sighup) process.on('SIGHUP', onHangUp);
      return {
        async serverWillStop() {
          inUse.delete(documents);
          clearTimeout(timer);
          for (const watcher of watchers) watcher.close();
          if (sighup) process.off('SIGHUP', onHangUp);
        },
      };
    },

    async requestDidStart({ request, contextValue }) {
      const app = clientAppOf(contextValue);
      const persisted = persistedQueryOf(request.extensions);
      let refusal: Refusal | undefined;

      if (persisted && persisted.version === 1) {
        const document = documents.lookup(persisted.sha256Hash, app);
        if (document !== undefined) {
          // A trusted document: run the manifest's text, whatever text came along.
          request.query = document;
          request.extensions = withoutPersistedQuery(request.extensions ?? {});
        } else if (options.enforce) {
          refusal = {
            message: `No trusted document has the hash ${String(persisted.sha256Hash)} ${forWhom(app)}: this gateway runs only the documents of its manifests.`,
            status: 200,
          };
        }
        // Development: an unknown hash is Apollo's automatic persisted queries' business.
      } else if (persisted) {
        if (options.enforce) {
          refusal = { message: 'Unsupported persisted query version: send extensions.persistedQuery.version 1 with the sha256Hash of a trusted document.', status: 400 };
        }
      } else {
        const named = documentIdOf(request.http);
        if (named.problem !== undefined) {
          refusal = { message: named.problem, status: 400 };
        } else if (named.id !== undefined) {
          const document = documents.lookup(named.id, app);
          if (document !== undefined) request.query = document;
          // Development runs a text sent along; with none there is nothing to run.
          else if (options.enforce || typeof request.query !== 'string') {
            refusal = { message: `No trusted document has the id ${named.id} ${forWhom(app)}: this gateway runs only the documents of its manifests.`, status: 200 };
          }
        } else if (options.enforce && (typeof request.query !== 'string' || !documents.contains(request.query, app))) {
          refusal = {
            message:
              'This gateway runs only trusted documents: send the id of a document of its manifests (extensions.persistedQuery.sha256Hash, or documentId), not the text of another document.',
            status: 400,
          };
        }
      }

      if (!refusal) return;
      const { message, status } = refusal;
      request.query = undefined;
      request.extensions = { ...(request.extensions ?? {}), persistedQuery: { version: 1, sha256Hash: REFUSED } };
      return {
        async willSendResponse({ response }) {
          response.http.status = status;
          if (response.body.kind === 'single') {
            response.body.singleResult.errors = [{ message, extensions: { code: NOT_FOUND } }];
          }
        },
      };
    },
  };
}

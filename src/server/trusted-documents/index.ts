/**
 * Trusted documents: in production the gateway executes only the documents of a manifest
 * (hash → document, written by `npm run codegen` to src/generated/persisted-documents.json), and
 * clients name them by hash, as in Apollo's persisted-query protocol:
 *
 *   { "operationName": "OfficerWorklist", "variables": {…},
 *     "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "6c16…ff18" } } }
 *
 * - A hash found in the manifest runs that document (any text sent along is ignored).
 * - In production, an unknown hash, or the text of a document that is not in the manifest, is
 *   answered with PERSISTED_QUERY_NOT_FOUND before anything is parsed or validated.
 * - In development any document runs; hashes of the manifest resolve too, and other hashes are
 *   left to Apollo Server's automatic persisted queries (APQ).
 *
 * Apollo's APQ never registers anything in production (so it needs no `persistedQueries: false`):
 * every request carrying a hash is resolved here (and the hash removed) or refused before Apollo
 * sees it, and a text without a hash is let through only when it is a manifest document.
 *
 * The manifest can be replaced without a restart: it is read again when its file changes
 * (fs.watch on its folder, so that an atomic rename is seen), on SIGHUP (production), and by
 * `reload()`. A manifest that cannot be read or does not check out leaves the documents in force
 * unchanged.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { ErrorCode } from '../../graph/errors.js';
import { manifestPath, TrustedDocumentManifest } from './manifest.js';

export { manifestPath, normalizeHash, readManifest, sha256Hex, TrustedDocumentManifest, ManifestError } from './manifest.js';

export interface TrustedDocumentsOptions {
  /** true (production): only documents of the manifest run. false (development): any document runs. */
  enforce: boolean;
  /** The manifest; default: env TRUSTED_DOCUMENTS, else src/generated/persisted-documents.json of the project. */
  file?: string;
  /** Read the manifest again when its file changes (default true). */
  watch?: boolean;
  /**
   * Read the manifest again on SIGHUP (default: in production only). A SIGHUP listener keeps the
   * process alive when its terminal closes, which a developer running `npm start` would not expect.
   */
  reloadOnSighup?: boolean;
  /** Where reloads are reported (a pino logger fits); stderr by default. */
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
  manifest: TrustedDocumentManifest;
}

/** Manifests of the gateways running in this process, for `reload()`. */
const inUse = new Set<TrustedDocumentManifest>();

/**
 * Reads every manifest in use in this process again (what SIGHUP does). Returns the number of
 * documents of each; throws if one could not be read (the others are reloaded all the same, and
 * that one keeps its documents).
 */
export function reload(): Array<{ file: string; documents: number }> {
  const results: Array<{ file: string; documents: number }> = [];
  const failures: unknown[] = [];
  for (const manifest of inUse) {
    try {
      results.push({ file: manifest.file, documents: manifest.reload() });
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

export function trustedDocumentsPlugin<TContext extends BaseContext>(options: TrustedDocumentsOptions): TrustedDocumentsPlugin<TContext> {
  const logger = options.logger ?? consoleLogger;
  const file = options.file ?? manifestPath();
  // In production a missing or broken manifest stops the start-up: nothing could run.
  const manifest = new TrustedDocumentManifest(file, { required: options.enforce });

  const reloadNow = (why: string) => {
    try {
      const count = manifest.reload();
      logger.info({ file, documents: count, why }, 'trusted documents reloaded');
    } catch (error) {
      logger.warn({ file, documentsInForce: manifest.size, why, reason: (error as Error).message }, 'trusted documents not reloaded; the documents in force stay');
    }
  };

  return {
    manifest,

    async serverWillStart() {
      inUse.add(manifest);
      let watcher: FSWatcher | undefined;
      let timer: NodeJS.Timeout | undefined;
      if (options.watch ?? true) {
        try {
          // The folder, not the file: editors and deploys replace the file by a rename.
          watcher = watch(path.dirname(file), { persistent: false }, (_event, changed) => {
            if (changed !== null && changed !== path.basename(file)) return;
            clearTimeout(timer);
            timer = setTimeout(() => reloadNow('file changed'), 100);
            timer.unref();
          });
          watcher.on('error', (error) => logger.warn({ file, reason: error.message }, 'trusted documents: watching the manifest failed; reload with SIGHUP'));
        } catch (error) {
          logger.warn({ file, reason: (error as Error).message }, 'trusted documents: cannot watch the manifest; reload with SIGHUP');
        }
      }
      const onHangUp = () => reloadNow('SIGHUP');
      const sighup = (options.reloadOnSighup ?? options.enforce) && process.platform !== 'win32';
      if (sighup) process.on('SIGHUP', onHangUp);
      return {
        async serverWillStop() {
          inUse.delete(manifest);
          clearTimeout(timer);
          watcher?.close();
          if (sighup) process.off('SIGHUP', onHangUp);
        },
      };
    },

    async requestDidStart({ request }) {
      const persisted = persistedQueryOf(request.extensions);
      let refusal: Refusal | undefined;

      if (persisted && persisted.version === 1) {
        const document = manifest.lookup(persisted.sha256Hash);
        if (document !== undefined) {
          // A trusted document: run the manifest's text, whatever text came along.
          request.query = document;
          request.extensions = withoutPersistedQuery(request.extensions ?? {});
        } else if (options.enforce) {
          refusal = {
            message: `No trusted document has the hash ${String(persisted.sha256Hash)}: this gateway runs only the documents of its manifest.`,
            status: 200,
          };
        }
        // Development: an unknown hash is Apollo's automatic persisted queries' business.
      } else if (options.enforce) {
        if (persisted) {
          refusal = { message: 'Unsupported persisted query version: send extensions.persistedQuery.version 1 with the sha256Hash of a trusted document.', status: 400 };
        } else if (typeof request.query !== 'string' || !manifest.contains(request.query)) {
          refusal = {
            message:
              'This gateway runs only trusted documents: send the sha256Hash of a document of its manifest in extensions.persistedQuery, not the text of another document.',
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

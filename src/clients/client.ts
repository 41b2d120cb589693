/**
 * A small typed client for the city's internal apps.
 *
 * Each operation is a typed document node generated from src/clients/operations (`npm run
 * codegen`): the result and the variables are typed, and the document carries the hash under which
 * it stands in the manifest of trusted documents (`__meta__.hash`). The client sends only that
 * hash (`extensions.persistedQuery`); where the server does not know it (PERSISTED_QUERY_NOT_FOUND:
 * a development gateway whose manifest is older than the app) it sends the whole document once
 * more. A production gateway refuses documents outside its manifest, so there the error stands.
 *
 * Plain `fetch`, no dependency at run time but `graphql` (to print a document for the fallback).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { ErrorCode } from '../platform/errors.js';
import type { Purpose } from '../access/roles.js';

/** The access log's verifiers (checkpoints, inclusion and consistency proofs, entries): see verify.ts. */
export * from './verify.js';

/** The codes the gateway puts in `extensions.code` (plus any a proxy or a newer gateway may add). */
export type GatewayErrorCode = ErrorCode | (string & {});

export interface GatewayGraphQLError {
  message: string;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  extensions?: { code?: GatewayErrorCode; [key: string]: unknown };
}

/**
 * A request the gateway answered with errors (or could not be reached). `codes` lists the
 * distinct `extensions.code` values; `data` is whatever part of the result was served.
 */
export class GatewayRequestError extends Error {
  override readonly name = 'GatewayRequestError';
  readonly codes: readonly GatewayErrorCode[];

  constructor(
    readonly operationName: string | null,
    /** HTTP status of the answer (0 when the gateway could not be reached). */
    readonly status: number,
    readonly errors: readonly GatewayGraphQLError[],
    readonly data: unknown = null,
    options?: { cause?: unknown },
  ) {
    super(`${operationName ?? 'GraphQL request'} failed: ${errors.map((e) => `${e.message} [${e.extensions?.code ?? 'NO_CODE'}]`).join('; ')}`, options);
    this.codes = [...new Set(errors.map((e) => e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'))];
  }

  hasCode(code: GatewayErrorCode): boolean {
    return this.codes.includes(code);
  }
}

export interface GatewayClientOptions {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  /** A bearer token (JWT); none is the public caller. */
  token?: string;
  /** Why personal data is read (`X-Purpose`); required to see personal fields as an officer or admin. */
  purpose?: Purpose;
  /** The case the purpose refers to (`X-Case-Reference`), e.g. a dossier code for DOSSIER_PROCESSING. */
  caseReference?: string;
  /**
   * The calling app's name, sent as `apollographql-client-name` for server logs. The access log
   * records the token's `azp`/`client_id` claim, never this header (it is not authenticated).
   */
  clientApp?: string;
  /** Sent with every request. */
  headers?: Record<string, string>;
  /** Per request, in milliseconds (default 30 s). */
  timeoutMs?: number;
  /** Send the whole document when the server does not know its hash (default true). */
  fallbackToDocument?: boolean;
  /** Another fetch (tests, proxies); the global one by default. */
  fetch?: typeof fetch;
}

/** What may change for one request. */
export interface RequestOptions {
  purpose?: Purpose | null;
  caseReference?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Variables may be left out when the operation has no required one. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- "has no required key"
type VariablesArgs<TVariables> = {} extends TVariables
  ? [variables?: TVariables, options?: RequestOptions]
  : [variables: TVariables, options?: RequestOptions];

export interface ExecutionResult<TResult> {
  data: TResult | null;
  errors: readonly GatewayGraphQLError[];
}

export interface GatewayClient {
  /** Runs an operation; throws GatewayRequestError when the answer carries any error. */
  request<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, ...args: VariablesArgs<TVariables>): Promise<TResult>;
  /**
   * Runs an operation and returns partial data with its errors (e.g. a FORBIDDEN personal field
   * among served ones); throws only when there is no data at all.
   */
  execute<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, ...args: VariablesArgs<TVariables>): Promise<ExecutionResult<TResult>>;
}

/** The hash the client preset embeds in a persisted document node. */
export function documentHash(document: DocumentNode): string | undefined {
  const hash = (document as DocumentNode & { __meta__?: { hash?: unknown } }).__meta__?.hash;
  return typeof hash === 'string' ? hash.replace(/^sha256:/, '') : undefined;
}

export function operationNameOf(document: DocumentNode): string | null {
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
  return operation?.name?.value ?? null;
}

interface WireResponse {
  data?: unknown;
  errors?: GatewayGraphQLError[];
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const fallback = options.fallbackToDocument ?? true;
  /** Hashes this server answered PERSISTED_QUERY_NOT_FOUND for: their text goes along next time. */
  const unknownHashes = new Set<string>();
  const printed = new WeakMap<DocumentNode, string>();
  const textOf = (document: DocumentNode) => {
    let text = printed.get(document);
    if (text === undefined) printed.set(document, (text = print(document)));
    return text;
  };

  function headersFor(request: RequestOptions): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.clientApp) headers['apollographql-client-name'] = options.clientApp;
    const purpose = request.purpose === undefined ? options.purpose : request.purpose;
    const caseReference = request.caseReference === undefined ? options.caseReference : request.caseReference;
    if (purpose) headers['x-purpose'] = purpose;
    if (caseReference) headers['x-case-reference'] = caseReference;
    return { ...headers, ...request.headers };
  }

  async function post(operationName: string | null, body: Record<string, unknown>, request: RequestOptions): Promise<{ status: number; payload: WireResponse }> {
    const signal = request.signal ? AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetchImpl(options.url, { method: 'POST', headers: headersFor(request), body: JSON.stringify(body), signal });
    } catch (error) {
      throw new GatewayRequestError(operationName, 0, [{ message: `The gateway could not be reached: ${(error as Error).message}`, extensions: { code: 'SOURCE_UNAVAILABLE' } }], null, {
        cause: error,
      });
    }
    const text = await response.text();
    try {
      return { status: response.status, payload: JSON.parse(text) as WireResponse };
    } catch {
      const code = response.status === 401 ? 'UNAUTHENTICATED' : response.status === 404 ? 'NOT_FOUND' : 'INTERNAL_SERVER_ERROR';
      throw new GatewayRequestError(operationName, response.status, [{ message: `HTTP ${response.status}: the answer is not JSON`, extensions: { code } }]);
    }
  }

  async function run<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, variables: TVariables | undefined, request: RequestOptions) {
    const operationName = operationNameOf(document);
    const hash = documentHash(document);
    const base = { operationName, variables: variables ?? {} };
    let answer: { status: number; payload: WireResponse };
    if (hash && !unknownHashes.has(hash)) {
      answer = await post(operationName, { ...base, extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }, request);
      const notFound = answer.payload.errors?.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND') && answer.payload.data == null;
      if (notFound && fallback) {
        unknownHashes.add(hash);
        answer = await post(operationName, { ...base, query: textOf(document) }, request);
      }
    } else {
      answer = await post(operationName, { ...base, query: textOf(document) }, request);
    }
    return { operationName, status: answer.status, data: (answer.payload.data ?? null) as TResult | null, errors: answer.payload.errors ?? [] };
  }

  return {
    async request(document, ...[variables, request = {}]) {
      const { operationName, status, data, errors } = await run(document, variables, request);
      if (errors.length > 0 || data === null) {
        throw new GatewayRequestError(operationName, status, errors.length ? errors : [{ message: 'No data in the answer', extensions: { code: 'INTERNAL_SERVER_ERROR' } }], data);
      }
      return data;
    },
    async execute(document, ...[variables, request = {}]) {
      const { operationName, status, data, errors } = await run(document, variables, request);
      if (data === null) {
        throw new GatewayRequestError(operationName, status, errors.length ? errors : [{ message: 'No data in the answer', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
      }
      return { data, errors };
    },
  };
}

import {
  getOperationAST,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import type { LimitsConfig } from '../../config.js';
import { gatewayError, type ErrorCode } from '../../platform/errors.js';
import { limitExceeded, requestCost } from '../limits.js';
import { sha256Hex, type TrustedDocumentSet } from '../trusted-documents/index.js';

/** What a graphql-ws `subscribe` message carries. */
export interface SubscribePayload {
  query?: string | null;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
}

export interface OperationRules {
  schema: GraphQLSchema;
  /** The same documents as over HTTP (the trusted-documents plugin's set). */
  documents: TrustedDocumentSet;
  /** Production: only trusted documents run. */
  enforce: boolean;
  limits: LimitsConfig;
  /** The HTTP endpoint's validation rules (depth, aliases, directives: graphql-armor). */
  validationRules: readonly ValidationRule[];
}

export interface PreparedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | null;
  variables: Record<string, unknown>;
  /** The document's sha256, as the access log records it. */
  documentHash: string;
}

const NOT_TRUSTED = 'This gateway runs only trusted documents: send the id of a document of its manifests (extensions.persistedQuery.sha256Hash, or documentId), not the text of another document.';

function refusal(code: ErrorCode, message: string): GraphQLError[] {
  return [gatewayError(code, message)];
}

/** The document id a subscribe message names: extensions.persistedQuery (version 1) or extensions.documentId. */
function documentIdOf(extensions: Record<string, unknown> | null | undefined): unknown {
  const persisted = extensions?.persistedQuery;
  if (persisted !== null && typeof persisted === 'object') return (persisted as { sha256Hash?: unknown }).sha256Hash;
  return extensions?.documentId;
}

/** The text to run, by the same rule as over HTTP (trusted-documents plugin). */
function documentText(rules: OperationRules, payload: SubscribePayload, app: string | null): string | GraphQLError[] {
  const id = documentIdOf(payload.extensions);
  // graphql-ws requires a query string: an empty one is a request by id alone.
  const query = payload.query === '' ? null : payload.query;
  if (id !== undefined) {
    const text = rules.documents.lookup(id, app);
    if (text !== undefined) return text;
    if (rules.enforce || typeof query !== 'string') {
      return refusal('PERSISTED_QUERY_NOT_FOUND', `No trusted document has the id ${String(id)} for this caller's client app: this gateway runs only the documents of its manifests.`);
    }
  }
  if (typeof query !== 'string') return refusal('BAD_USER_INPUT', 'The subscribe message needs a query, or the id of a trusted document');
  if (rules.enforce && !rules.documents.contains(query, app)) return refusal('PERSISTED_QUERY_NOT_FOUND', NOT_TRUSTED);
  return query;
}

/** A validation or parse error with the code the HTTP endpoint gives it. */
function coded(error: GraphQLError): GraphQLError {
  const limit = limitExceeded(error.message);
  return new GraphQLError(limit ?? error.message, { nodes: error.nodes, extensions: { code: limit ? 'QUERY_TOO_COMPLEX' : 'BAD_USER_INPUT' } });
}

/**
 * A subscribe message checked as an HTTP request is: trusted documents in production, the
 * document size, token, depth, alias, directive and cost limits, and validation. Over
 * WebSocket only subscriptions run: queries go over HTTP, where their answers are logged.
 */
export function prepareOperation(rules: OperationRules, payload: SubscribePayload, app: string | null): PreparedOperation | GraphQLError[] {
  const text = documentText(rules, payload, app);
  if (typeof text !== 'string') return text;
  const bytes = Buffer.byteLength(text);
  if (bytes > rules.limits.maxDocumentBytes) {
    return refusal('QUERY_TOO_COMPLEX', `The document is ${bytes} bytes; the limit is ${rules.limits.maxDocumentBytes} bytes (MAX_DOCUMENT_BYTES)`);
  }
  let document: DocumentNode;
  try {
    document = parse(text, { maxTokens: rules.limits.maxTokens });
  } catch (error) {
    return [coded(error instanceof GraphQLError ? error : new GraphQLError(String(error)))];
  }
  const errors = validate(rules.schema, document, [...specifiedRules, ...rules.validationRules]);
  if (errors.length > 0) return errors.map(coded);
  const operationName = payload.operationName ?? null;
  const operation = getOperationAST(document, operationName);
  if (!operation) return refusal('BAD_USER_INPUT', 'The document has no operation of that name (or several operations and no operationName)');
  if (operation.operation !== 'subscription') {
    return refusal('BAD_USER_INPUT', `Over WebSocket this gateway serves subscriptions only; send ${operation.operation} operations over HTTP (POST /graphql)`);
  }
  const variables = payload.variables ?? {};
  const { cost, nodeLookups } = requestCost(rules.schema, document, operation, variables);
  if (nodeLookups > rules.limits.maxNodeLookups) {
    return refusal('QUERY_TOO_COMPLEX', `Node lookups limit of ${rules.limits.maxNodeLookups} exceeded, found ${nodeLookups} (MAX_NODE_LOOKUPS)`);
  }
  if (cost > rules.limits.maxCost) return refusal('QUERY_TOO_COMPLEX', `Query Cost limit of ${rules.limits.maxCost} exceeded, found ${Math.round(cost)} (MAX_QUERY_COST)`);
  return { document, operation, operationName: operation.name?.value ?? operationName, variables, documentHash: sha256Hex(text) };
}

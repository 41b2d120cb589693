import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { NextFunction, Request, Response } from 'express';
import type { ValidationRule } from 'graphql';
import type { LimitsConfig } from '../config.js';
import type { GraphContext } from '../graph/context.js';
import { refuse } from './http-errors.js';

/**
 * Query limits (graphql-armor): depth, cost, aliases, tokens and directives; field suggestions
 * hidden in production so that the schema cannot be guessed field by field.
 */
export function queryLimits(limits: LimitsConfig, production: boolean): { plugins: ApolloServerPlugin<GraphContext>[]; validationRules: ValidationRule[] } {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, flattenFragments: true },
    // Linear in depth: the default exponential factor prices ordinary nested queries like abuse.
    costLimit: { maxCost: limits.maxCost, depthCostFactor: 1 },
    maxAliases: { n: limits.maxAliases },
    // The token limit is graphql-js's own (Apollo's parseOptions): armor's checks it inside
    // Apollo's parsing hook, where any error, a plain syntax error too, becomes an HTTP 500.
    maxTokens: { enabled: false },
    maxDirectives: { n: limits.maxDirectives },
    blockFieldSuggestion: { enabled: production },
  });
  const { plugins, validationRules } = armor.protect();
  // graphql-armor's typings are CommonJS and name Apollo's base context.
  return { plugins: plugins as unknown as ApolloServerPlugin<GraphContext>[], validationRules };
}

/** Armor reports a limit as "Syntax Error: <limit> exceeded": the message that says which limit. */
const ARMOR_MESSAGE = /^Syntax Error: ((?:Query depth|Query Cost|Aliases|Directives|Token) limit.*)$/i;

/** graphql-js's parser, stopped by `maxTokens`. */
const TOKEN_MESSAGE = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/; // graphql 16 writes "more that"

export function limitExceeded(message: string): string | undefined {
  const tokens = TOKEN_MESSAGE.exec(message);
  if (tokens) return `Token limit of ${tokens[1]} exceeded (MAX_TOKENS)`;
  return ARMOR_MESSAGE.exec(message)?.[1];
}

/** Refuses a GraphQL document larger than the limit before it is parsed. */
export function documentSizeLimit(maxBytes: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const body = req.body as { query?: unknown } | undefined;
    const query = typeof body?.query === 'string' ? body.query : typeof req.query.query === 'string' ? req.query.query : undefined;
    if (query !== undefined && Buffer.byteLength(query) > maxBytes) {
      return refuse(res, 400, 'QUERY_TOO_COMPLEX', `The document is ${Buffer.byteLength(query)} bytes; the limit is ${maxBytes} bytes (MAX_DOCUMENT_BYTES)`);
    }
    next();
  };
}

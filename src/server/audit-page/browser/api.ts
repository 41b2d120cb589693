/**
 * How the auditors' page talks to the gateway: the typed client of src/clients with the bearer
 * token of this tab, the documents of src/clients/operations sent by their hash (the trusted
 * documents a production gateway runs), and one error type for the page to show.
 */
import { createGatewayClient, GatewayRequestError, type GatewayClient } from '../../../clients/client.js';

const TOKEN_KEY = 'gateway.audit.token';

/** The token stays in this tab only (session storage), never in a cookie or local storage. */
export const tokenStore = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** What the page shows of a failed request: a code (extensions.code, NETWORK, HTTP …) and a message. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function describe(error: unknown): string {
  if (!(error instanceof ApiError)) return String(error instanceof Error ? error.message : error);
  const hint = error.code === 'FORBIDDEN' ? ' (this page needs a token with the role auditor or admin)' : '';
  return `${error.code}: ${error.message}${hint}`;
}

function apiErrorOf(error: unknown): unknown {
  if (!(error instanceof GatewayRequestError)) return error;
  if (error.status === 0) {
    const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
    return new ApiError('NETWORK', `The gateway cannot be reached (${cause}).`);
  }
  const first = error.errors[0];
  return new ApiError(first?.extensions?.code ?? `HTTP ${error.status}`, first?.message ?? 'The gateway did not answer with data.');
}

/** The page's own requests: no cookies, no HTTP cache (the log changes under it). */
const pageFetch: typeof fetch = (input, init) => fetch(input, { ...init, credentials: 'omit', cache: 'no-store' });

const endpoint = document.querySelector('meta[name="graphql-endpoint"]')?.getAttribute('content') ?? '/graphql';

/**
 * Runs requests with the signed-in token: `call((gateway) => gateway.request(SomeDocument, variables))`,
 * typed by the document. Throws ApiError for what the gateway refused or could not answer.
 */
export async function call<T>(run: (gateway: GatewayClient) => Promise<T>): Promise<T> {
  const token = tokenStore.get();
  if (!token) throw new ApiError('UNAUTHENTICATED', 'Sign in with a token first.');
  const gateway = createGatewayClient({ url: endpoint, token, fetch: pageFetch });
  try {
    return await run(gateway);
  } catch (error) {
    throw apiErrorOf(error);
  }
}

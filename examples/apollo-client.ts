/**
 * Apollo Client (3.x, core: the same with React) set up for the gateway in production, where only
 * trusted documents run: the app's operations are the typed documents of src/generated (`npm run
 * codegen`), each carrying the hash it has in the gateway's manifest (`__meta__.hash`), and the
 * persisted-query link sends that hash instead of the text. The documents select `__typename`
 * on every object, so InMemoryCache normalises (`Dataset:<id>`) and relayStylePagination merges
 * the pages of a list. docs/frontend.md shows this file; test/apollo-client.test.ts runs it
 * against a production-mode gateway.
 */
import { ApolloClient, HttpLink, InMemoryCache, type NormalizedCacheObject } from '@apollo/client/core/index.js';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries/index.js';
import { relayStylePagination } from '@apollo/client/utilities/index.js';
import { documentHash, operationNameOf } from '../src/clients/client.js';

export interface ApolloClientOptions {
  /** The GraphQL endpoint, e.g. `https://gateway.danang.gov.vn/graphql`. */
  url: string;
  /** The user's access token (JWT from the city's identity provider); none is the public caller. */
  token?: string;
  /** Why personal data is read (`X-Purpose`), e.g. `DOSSIER_PROCESSING`, with `caseReference`. */
  purpose?: string;
  caseReference?: string;
  /** Another fetch (tests, proxies); the global one by default. */
  fetch?: typeof fetch;
}

/** The lists the app pages through: pages of one list (same `orderBy` and `filter`) are merged. */
const paged = () => relayStylePagination(['orderBy', 'filter']);

export function createApolloClient(options: ApolloClientOptions): ApolloClient<NormalizedCacheObject> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.purpose) headers['x-purpose'] = options.purpose;
  if (options.caseReference) headers['x-case-reference'] = options.caseReference;

  // The hash of the gateway's manifest, not one of Apollo's printed text (which no manifest has).
  const persisted = createPersistedQueryLink({
    generateHash: (document) => {
      const hash = documentHash(document);
      if (!hash) throw new Error(`${operationNameOf(document) ?? 'An operation'} is not a generated document: add it to src/clients/operations and run npm run codegen`);
      return hash;
    },
  });

  return new ApolloClient({
    link: persisted.concat(new HttpLink({ uri: options.url, headers, fetch: options.fetch ?? fetch })),
    cache: new InMemoryCache({
      // Citizen | Business: which types an `applicant` may be.
      possibleTypes: { Applicant: ['Citizen', 'Business'] },
      typePolicies: {
        Query: {
          fields: { datasets: paged(), dossiers: paged(), indicators: paged(), accessLog: paged() },
        },
        Citizen: { fields: { dossiers: paged(), accessLog: relayStylePagination() } },
        Dataset: { fields: { resources: relayStylePagination() } },
      },
    }),
  });
}

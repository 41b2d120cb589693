import { loadConfig } from '../../src/config.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { seededDatabases, type SeededDatabases } from './databases.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  extensions?: { sqlStatements?: { total: number; bySource: Record<string, number> } } & Record<string, unknown>;
}

export interface TestGateway {
  url: string;
  databases: SeededDatabases;
  gateway: RunningGateway;
  /** POSTs one GraphQL operation to the live server. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
}

/**
 * A real gateway over HTTP on a free port, on freshly seeded test databases. `env` adds settings
 * (limits, production mode) on top of the databases'.
 */
export async function startTestGateway(scale = 'tiny', env: Record<string, string> = {}): Promise<TestGateway> {
  const databases = await seededDatabases(scale);
  const config = loadConfig({ ...databases.env, ...env });
  const gateway = await startGateway(config, { port: 0, connections: databases.connections });
  return {
    url: gateway.url,
    databases,
    gateway,
    async query(query, variables, headers) {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as object) };
    },
    async close() {
      await gateway.close();
      await databases.close();
    },
  };
}

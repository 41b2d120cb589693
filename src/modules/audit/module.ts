import { defineModule } from '../module.js';
import { auditRepositories } from './db/index.js';
import { migrations } from './db/migrations/index.js';
import { auditResolvers } from './graph/index.js';

/** The access log: written by the access-log plugin, read through its own repository; never seeded. */
export const auditModule = defineModule({
  name: 'audit',
  migrations,
  repositories: auditRepositories,
  loaders: () => ({}),
  resolvers: auditResolvers,
  nodes: {},
});

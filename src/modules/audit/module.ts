import { defineModule } from '../module.js';
import { AUDIT_CHECKS, auditRepositories } from './db/index.js';
import { migrations } from './db/migrations/index.js';
import { auditResolvers } from './graph/index.js';
import { auditLoaders } from './loaders.js';

/** The access log: written by the access-log plugin, read through its own repository; never seeded. */
export const auditModule = defineModule({
  name: 'audit',
  describedAs: 'the access log',
  ownedByGateway: true,
  migrations,
  checks: AUDIT_CHECKS,
  repositories: auditRepositories,
  loaders: auditLoaders,
  resolvers: auditResolvers,
  nodes: {},
});

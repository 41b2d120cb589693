import { AccessLogResolver, CitizenAccessLogResolver } from './access-log.resolver.js';

export const auditResolvers = [AccessLogResolver, CitizenAccessLogResolver] as const;

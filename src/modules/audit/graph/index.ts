import { AccessLogResolver, CitizenAccessLogResolver } from './access-log.resolver.js';
import { AccessLogEntryTreeResolver, AccessLogTreeResolver, PersonalDataAccessTreeResolver } from './transparency.resolver.js';

export const auditResolvers = [AccessLogResolver, CitizenAccessLogResolver, AccessLogTreeResolver, AccessLogEntryTreeResolver, PersonalDataAccessTreeResolver] as const;

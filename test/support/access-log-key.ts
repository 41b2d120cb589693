/**
 * The access log's checkpoint key of the tests (ACCESS_LOG_SIGNING_KEY, required in production):
 * public, like the development token key; never a real log's.
 */
export const TEST_ACCESS_LOG_SIGNING_KEY = 'PRIVATE+KEY+city-data-gateway.test/access-log+e50cb82d+Afq9cfpFJ/jQP8dPGXFmqODiZ77ARDmEAgzfZKng+aFD';

import type { RequestAccess } from '../request.js';

/** What the access adapters need of a request's context: any context that carries the request's access. */
export interface AccessContext {
  access: RequestAccess;
}

/**
 * Roles and purposes, for the importers that name this file (clients, pages, tests): the
 * vocabulary itself is in vocabulary.ts, and which purposes need a case reference follows from the
 * purpose rules (purposes.ts).
 */
export { isPurpose, isRole, PURPOSES, ROLES, type Purpose, type Role } from './vocabulary.js';
export { PURPOSES_NEEDING_CASE } from './purposes.js';

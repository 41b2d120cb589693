/**
 * THE authorization policy of the gateway, read in one place. The rules are data, each in its own
 * file of this folder, and this file is their front door:
 *
 * - vocabulary.ts   roles, purposes, personal kinds, subject types, access outcomes
 * - principal.ts    the caller, resolved once per request into row ids (agency, citizen, household, case)
 * - field-rules.ts  role x personal kind x relation -> visible, masked, by purpose, or denied (with the reason)
 * - purposes.ts     what each declared purpose opens, and the case reference it needs
 * - row-scopes.ts   which rows of each resource a role may find (translated into SQL by each module's scope.ts)
 * - claims.ts       what a token of each role must say
 *
 * Who sees what (rendered from those rules by policy-table.ts; test/access/policy-table.test.ts
 * fails when this table, or README's, no longer says what the rules do):
 *
 * | data | public | citizen | officer of agency A | analyst | auditor | admin |
 * | --- | --- | --- | --- | --- | --- | --- |
 * | public datasets and indicators, business profiles | yes | yes | yes | yes | yes | yes |
 * | internal indicators, restricted datasets | no | no | A's own | yes | no | yes |
 * | dossier status by code | yes | yes | yes | yes | no | yes |
 * | dossiers in full | no | own | handled by A | no (aggregates) | no | yes |
 * | dossier statistics | no | no | A's | yes | no | yes |
 * | dossier statistics over fewer than k dossiers (STATS_MIN_CELL_SIZE, 5), windows shorter than a day | no | no | withheld (and their complements) | withheld (and their complements) | no | yes |
 * | citizen name and ward | no | self | applicants of A's dossiers | no | no | yes |
 * | citizen personal data (national id, birth date, gender, phone, e-mail, address, household) | no | self | applicants of A's dossiers, with a purpose | national id masked to its last 4 digits (`********5612`) | no | with a purpose |
 * | the name of a business's legal representative | yes (public register data) | yes (public register data) | yes (public register data) | yes (public register data) | yes (public register data) | yes (public register data) |
 * | household record (address, register number, members) | no | own | no | no | no | with a purpose |
 * | procedure results in full | no | own | issued by A | no (aggregates) | no | yes |
 * | result verification by number and document hash | yes | yes | yes | yes | yes | yes |
 * | access log | no | entries about self | no | no | yes | yes |
 *
 * What a declared purpose (X-Purpose) opens beyond name and ward; X-Case-Reference is written
 * to every access-log entry of the request, whatever the purpose:
 *
 * | purpose | officer of agency A | admin |
 * | --- | --- | --- |
 * | DOSSIER_PROCESSING | every field of the dossier's applicant (a business applicant: its legal representative); X-Case-Reference: a dossier of A's | every field of the dossier's applicant (a business applicant: its legal representative); X-Case-Reference: any dossier |
 * | CITIZEN_REQUEST | phone and e-mail of applicants of A's dossiers (to answer them) | every field of everyone |
 * | LEGAL_OBLIGATION | nothing (served to the administration, not to a desk officer) | every field of everyone |
 * | SECURITY_INVESTIGATION | nothing (served to the administration, not to a desk officer) | every field of everyone |
 * | SELF_SERVICE | nothing (a citizen reading their own data) | nothing (a citizen reading their own data) |
 *
 * Filters, orderings, look-ups, searches and counts on a personal field need read access to that
 * field (under a purpose bound to a case: among the people it opens), and are disclosures written
 * to the access log like reads (FOUND_BY, COUNTED_BY). Row scopes are applied in SQL, so that
 * counts, pages and look-ups never reveal rows outside them; a hidden row and a missing one look
 * alike.
 */
export { decidePersonalField, mayQueryBy, queryNarrowedToCase, isIdentity, FIELD_RULES, EVERY_ROLE_FIELD_RULES, RELATIONS } from './field-rules.js';
export type { Decision, FieldRule, Relation, RelationName } from './field-rules.js';
export { PURPOSE_RULES, purposeRule, needsCaseReference, PURPOSES_NEEDING_CASE } from './purposes.js';
export type { PurposeRule } from './purposes.js';
export { ROW_SCOPES, rowScope, scopeRule, statisticsProtection, SMALL_CELL_PROTECTION } from './row-scopes.js';
export type { Resource, RowScope, ScopeOf, ScopeRule } from './row-scopes.js';
export { ROLE_CLAIMS, roleCarries } from './claims.js';
export { mask } from './mask.js';

import type { PersonalDataGuard } from '../../../access/guard.js';
import type { AccessOutcome } from '../../../access/vocabulary.js';
import type { Principal } from '../../../access/principal.js';
import type { AccessLogEntry } from '../../../modules/audit/db/index.js';

export interface RequestFacts {
  requestId: string;
  principal: Principal;
  operationName: string | null;
  documentHash: string | null;
}

/**
 * The access-log entries of one request: one per person whose data was read, and outcome
 * (granted, masked, denied), listing the fields, and the fields the person was found by (look-up
 * keys, filters, orderings, searches) in `foundBy`; one per person found by personal fields and
 * not read (FOUND_BY, listing those fields in both); one per value searched for (subject
 * CRITERION, its keyed hash), whether anyone was found (FOUND_BY), counted (COUNTED_BY) or the
 * query refused (DENIED).
 */
export function accessEntries(guard: PersonalDataGuard, facts: RequestFacts): AccessLogEntry[] {
  const { principal } = facts;
  const entry = (subjectType: string, subjectId: string, fields: string[], outcome: AccessOutcome, foundBy: readonly string[]): AccessLogEntry => ({
    requestId: facts.requestId,
    actorSubject: principal.subject,
    actorRole: principal.role,
    actorAgency: principal.agency,
    clientApp: principal.clientApp,
    operationName: facts.operationName,
    documentHash: facts.documentHash,
    purpose: principal.purpose,
    caseReference: principal.caseReference,
    subjectType,
    subjectId,
    fields: fields.sort(),
    outcome,
    foundBy,
  });
  const entries: AccessLogEntry[] = [];
  // One pass over each person's fields (most often all of one outcome: one list, no map).
  const byOutcome = new Map<AccessOutcome, string[]>();
  // The found-by lists of a page's people are most often alike: one list for all of them.
  let lastFoundBy: string[] = [];
  const NONE: readonly string[] = [];
  for (const { subject, fields, foundBy } of guard.accesses.values()) {
    byOutcome.clear();
    for (const [field, outcome] of fields) {
      const names = byOutcome.get(outcome);
      if (names) names.push(field);
      else byOutcome.set(outcome, [field]);
    }
    let found = NONE;
    if (foundBy.size > 0) {
      const names = [...foundBy].sort();
      found = names.length === lastFoundBy.length && names.every((name, i) => name === lastFoundBy[i]) ? lastFoundBy : (lastFoundBy = names);
      if (byOutcome.size === 0) byOutcome.set('FOUND_BY', [...found]);
    }
    const subjectId = String(subject.rowId);
    for (const [outcome, names] of byOutcome) entries.push(entry(subject.type, subjectId, names, outcome, found));
  }
  for (const { subjectId, fields, outcome } of guard.criteria.values()) {
    const names = [...fields].sort();
    entries.push(entry('CRITERION', subjectId, names, outcome, outcome === 'FOUND_BY' ? names : NONE));
  }
  return entries;
}

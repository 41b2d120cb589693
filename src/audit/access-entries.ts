import type { AccessOutcome, PersonalDataGuard } from '../auth/guard.js';
import type { Principal } from '../auth/principal.js';
import type { AccessLogEntry } from '../sources/audit/index.js';

export interface RequestFacts {
  requestId: string;
  principal: Principal;
  operationName: string | null;
  documentHash: string | null;
}

/**
 * The access-log entries of one request: one per person whose data was read, and outcome
 * (granted, masked, denied), listing the fields.
 */
export function accessEntries(guard: PersonalDataGuard, facts: RequestFacts): AccessLogEntry[] {
  const { principal } = facts;
  const entries: AccessLogEntry[] = [];
  for (const { subject, fields } of guard.accesses.values()) {
    const byOutcome = new Map<AccessOutcome, string[]>();
    for (const [field, outcome] of fields) byOutcome.set(outcome, [...(byOutcome.get(outcome) ?? []), field]);
    for (const [outcome, names] of byOutcome) {
      entries.push({
        requestId: facts.requestId,
        actorSubject: principal.subject,
        actorRole: principal.role,
        actorAgency: principal.agency,
        clientApp: principal.clientApp,
        operationName: facts.operationName,
        documentHash: facts.documentHash,
        purpose: principal.purpose,
        caseReference: principal.caseReference,
        subjectType: subject.type,
        subjectId: String(subject.rowId),
        fields: names.sort(),
        outcome,
      });
    }
  }
  return entries;
}

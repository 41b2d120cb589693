/**
 * The policy's tables, rendered from the rules themselves (field rules, purpose rules, row
 * scopes), so that what auditors read is what the gateway does: a test compares them with the
 * header of policy.ts and with README's "Who sees what".
 */
import { EVERY_ROLE_FIELD_RULES, FIELD_RULES, kindsOf, RELATIONS, type FieldRule, type RelationName } from './field-rules.js';
import { mask, MASKS } from './mask.js';
import { CASE_OPENS, PURPOSE_ROLES, PURPOSE_RULES, type PurposeRole, type PurposeRule } from './purposes.js';
import { ROW_SCOPES, SCOPE_TABLE_ROWS, SMALL_CELL_PROTECTION, type Resource, type ScopeRule, type ScopeRuleKind, type ScopeTableRow } from './row-scopes.js';
import { IDENTITY_KINDS, PERSONAL_KIND_LABELS, PERSONAL_KINDS, PURPOSE_NAMES, ROLES, type PersonalKind, type Role, type SubjectType } from './vocabulary.js';

/** The column headers: one per role. */
export const ROLE_COLUMNS: Record<Role, string> = {
  public: 'public',
  citizen: 'citizen',
  officer: 'officer of agency A',
  analyst: 'analyst',
  auditor: 'auditor',
  admin: 'admin',
};

export interface PolicyRow {
  /** Names the row for the tests (README shows only some rows). */
  id: string;
  label: string;
  cell(role: Role): string;
}

// ---------------------------------------------------------------------------------------------
// Cells of row scopes
// ---------------------------------------------------------------------------------------------

const SCOPE_WORDS: Record<ScopeRuleKind, string> = {
  all: 'yes',
  none: 'no',
  self: 'own',
  ownHousehold: 'own',
  ownAgency: "A's",
  applicantsOfOwnAgency: "applicants of A's dossiers",
  public: 'public only',
  publicOrOwnAgency: "public and A's own",
};

function scopeCell(rule: ScopeRule, words: Partial<Record<ScopeRuleKind, string>> = {}): string {
  const text = words[rule.kind] ?? SCOPE_WORDS[rule.kind];
  return rule.note ? `${text} (${rule.note})` : text;
}

const scopeOf = (resource: Resource, role: Role): ScopeRule => ROW_SCOPES[resource][role];

/** The public rows of a "public, or the own agency's" resource. */
function publicPart(rule: ScopeRule): string {
  return rule.kind === 'all' || rule.kind === 'public' || rule.kind === 'publicOrOwnAgency' ? 'yes' : 'no';
}

/** The restricted rows of a "public, or the own agency's" resource. */
function restrictedPart(rule: ScopeRule): string {
  if (rule.kind === 'all') return 'yes';
  if (rule.kind === 'publicOrOwnAgency') return "A's own";
  return 'no';
}

/** One cell for several resources: their common answer, or each one's. */
function together(cells: readonly string[]): string {
  return new Set(cells).size === 1 ? cells[0]! : cells.join('; ');
}

// ---------------------------------------------------------------------------------------------
// Cells of field rules
// ---------------------------------------------------------------------------------------------

const labels = (kinds: readonly PersonalKind[]): string => kinds.map((k) => PERSONAL_KIND_LABELS[k]).join(', ');
const BEYOND_IDENTITY = PERSONAL_KINDS.filter((k) => !(IDENTITY_KINDS as readonly PersonalKind[]).includes(k));

/** Whom a rule is about, for a subject type: its relations' labels; '' for anyone. */
function whom(relations: readonly RelationName[] | undefined, subject: SubjectType): string {
  return (relations ?? []).flatMap((name) => RELATIONS[name].label?.[subject] ?? []).join(' or ');
}

function maskedText(kinds: readonly PersonalKind[]): string {
  return kinds
    .map((kind) => {
      const kept = MASKS[kind];
      return kept ? `${PERSONAL_KIND_LABELS[kind]} masked to ${kept.keeps} (\`${mask(kind, kept.example)}\`)` : `${PERSONAL_KIND_LABELS[kind]} masked`;
    })
    .join(', ');
}

/**
 * What a role may read of these kinds of a subject type, from its field rules in order: a rule
 * shadows the later ones for the kinds and relations it decided.
 */
export function fieldCell(rules: readonly FieldRule[], kinds: readonly PersonalKind[], subject: SubjectType): string {
  const decided = new Set<string>();
  const parts: string[] = [];
  for (const rule of rules) {
    const relations = rule.of ? rule.of.filter((name) => RELATIONS[name].subjects.includes(subject)) : ['*'];
    if (relations.length === 0) continue;
    const open = kindsOf(rule).filter((k) => kinds.includes(k) && !decided.has(`${k}|*`) && relations.some((r) => !decided.has(`${k}|${r}`)));
    if (open.length === 0) continue;
    for (const k of open) for (const r of relations) decided.add(`${k}|${r}`);
    if (typeof rule.then === 'object') {
      if (!rule.of) break;
      continue;
    }
    const who = whom(rule.of, subject);
    const which = open.length < kinds.length ? `${labels(open)}: ` : '';
    if (rule.then === 'masked') parts.push(maskedText(open));
    else if (rule.then === 'visible') parts.push(`${which}${who || 'yes'}${rule.note ? ` (${rule.note})` : ''}`);
    else parts.push(`${which}${who ? `${who}, with a purpose` : 'with a purpose'}`);
  }
  return parts.length ? parts.join('; ') : 'no';
}

const fieldRow = (role: Role, kinds: readonly PersonalKind[], subject: SubjectType): string => fieldCell(FIELD_RULES[role], kinds, subject);

// ---------------------------------------------------------------------------------------------
// The tables
// ---------------------------------------------------------------------------------------------

/** How the table names a relation that a rule for every role is about. */
const RELATIONS_TOLD: Record<RelationName, string> = {
  self: 'the caller',
  applicantOfOwnAgency: "an applicant of A's dossiers",
  caseSubject: 'the person the case opens',
  businessRepresentative: "a business's legal representative",
};

/** "Who sees what", one row per kind of data. */
export const POLICY_ROWS: readonly PolicyRow[] = [
  {
    id: 'public data',
    label: 'public datasets and indicators, business profiles',
    cell: (role) => together([publicPart(scopeOf('datasets', role)), publicPart(scopeOf('indicators', role)), scopeCell(scopeOf('businesses', role))]),
  },
  {
    id: 'restricted data',
    label: 'internal indicators, restricted datasets',
    cell: (role) => together([restrictedPart(scopeOf('indicators', role)), restrictedPart(scopeOf('datasets', role))]),
  },
  { id: 'dossier status', label: 'dossier status by code', cell: (role) => scopeCell(scopeOf('dossierStatus', role)) },
  { id: 'dossiers', label: 'dossiers in full', cell: (role) => scopeCell(scopeOf('dossiers', role), { ownAgency: 'handled by A' }) },
  { id: 'dossier statistics', label: 'dossier statistics', cell: (role) => scopeCell(scopeOf('dossierStatistics', role)) },
  {
    id: 'small cells',
    label: 'dossier statistics over fewer than k dossiers (STATS_MIN_CELL_SIZE, 5), windows shorter than a day',
    cell: (role) => (scopeOf('dossierStatistics', role).kind === 'none' ? 'no' : SMALL_CELL_PROTECTION[role] ? 'withheld (and their complements)' : 'yes'),
  },
  { id: 'identity', label: `citizen ${IDENTITY_KINDS.map((k) => PERSONAL_KIND_LABELS[k]).join(' and ')}`, cell: (role) => fieldRow(role, IDENTITY_KINDS, 'CITIZEN') },
  { id: 'personal data', label: `citizen personal data (${labels(BEYOND_IDENTITY)})`, cell: (role) => fieldRow(role, BEYOND_IDENTITY, 'CITIZEN') },
  ...EVERY_ROLE_FIELD_RULES.map(
    (rule, i): PolicyRow => ({
      id: `every role ${i + 1}`,
      label: `the ${labels(kindsOf(rule))} of ${rule.of?.map((name) => RELATIONS_TOLD[name]).join(' or ') ?? 'anyone'}`,
      cell: () => fieldCell([rule], kindsOf(rule), 'CITIZEN'),
    }),
  ),
  { id: 'household record', label: 'household record (address, register number, members)', cell: (role) => fieldRow(role, ['ADDRESS', 'HOUSEHOLD'], 'HOUSEHOLD') },
  ...(Object.entries(SCOPE_TABLE_ROWS) as [Resource, ScopeTableRow][]).map(
    ([resource, row]): PolicyRow => ({ id: row.id, label: row.label, cell: (role) => scopeCell(scopeOf(resource, role), row.words) }),
  ),
];

/** README's "Who sees what" shows these rows (a summary; the header of policy.ts has them all). */
export const README_ROWS: readonly string[] = ['public data', 'restricted data', 'dossier status', 'dossiers', 'dossier statistics', 'identity', 'personal data'];

function markdown(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** "Who sees what" as a Markdown table, all rows or those named. */
export function renderPolicyTable(ids: readonly string[] = POLICY_ROWS.map((r) => r.id)): string {
  const rows = ids.map((id) => {
    const row = POLICY_ROWS.find((r) => r.id === id);
    if (!row) throw new Error(`no policy row ${id}`);
    return [row.label, ...ROLES.map((role) => row.cell(role))];
  });
  return markdown(['data', ...ROLES.map((r) => ROLE_COLUMNS[r])], rows);
}

/** Anyone a role's purpose may open: whom its rule "by purpose" is about. */
function purposeScope(role: PurposeRole): string {
  const rule = FIELD_RULES[role].find((r) => r.then === 'by purpose');
  return whom(rule?.of, 'CITIZEN') || 'everyone';
}

function purposeCell(role: PurposeRole, rule: PurposeRule): string {
  const what = rule.kinds ? labels(rule.kinds).replace(/, ([^,]*)$/, ' and $1') : 'every field';
  const opens = rule.opens === 'nothing' ? 'nothing' : `${what} of ${rule.opens === 'case' ? CASE_OPENS : purposeScope(role)}`;
  const reference = rule.reference === 'ownAgencyDossier' ? "; X-Case-Reference: a dossier of A's" : rule.reference === 'anyDossier' ? '; X-Case-Reference: any dossier' : '';
  return `${opens}${rule.note ? ` (${rule.note})` : ''}${reference}`;
}

/** What each purpose opens beyond name and ward, as a Markdown table. */
export function renderPurposeTable(): string {
  const rows = PURPOSE_NAMES.map((purpose) => [purpose, ...PURPOSE_ROLES.map((role) => purposeCell(role, PURPOSE_RULES[role][purpose]))]);
  return markdown(['purpose', ...PURPOSE_ROLES.map((r) => ROLE_COLUMNS[r])], rows);
}

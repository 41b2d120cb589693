/**
 * The tables people read are the rules the gateway runs: "Who sees what" and the purposes table
 * in the header of src/access/policy.ts, and README's "Who sees what", are rendered from the rules
 * themselves (src/access/policy-table.ts) and compared here. Change a rule, and this test says
 * which table to update (and prints its new text).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLE_CLAIMS } from '../../src/access/claims.js';
import { decidePersonalField, FIELD_RULES, kindsOf, type Relation } from '../../src/access/field-rules.js';
import { POLICY_ROWS, README_ROWS, renderPolicyTable, renderPurposeTable, ROLE_COLUMNS } from '../../src/access/policy-table.js';
import { PURPOSE_RULES, PURPOSES_NEEDING_CASE } from '../../src/access/purposes.js';
import { ROW_SCOPES } from '../../src/access/row-scopes.js';
import { PERSONAL_KINDS, PURPOSE_NAMES, ROLES } from '../../src/access/vocabulary.js';

const read = (path: string) => readFileSync(resolve(import.meta.dirname, '../..', path), 'utf8');
const asComment = (table: string) => table.replace(/^/gm, ' * ');

describe('the header of src/access/policy.ts', () => {
  const policy = read('src/access/policy.ts');

  it('has "Who sees what" as the rules say it, every row', () => {
    const table = renderPolicyTable();
    expect(policy.includes(asComment(table)), `the header of src/access/policy.ts should have this table:\n${asComment(table)}`).toBe(true);
  });

  it('has what each purpose opens, as the purpose rules say it', () => {
    const table = renderPurposeTable();
    expect(policy.includes(asComment(table)), `the header of src/access/policy.ts should have this table:\n${asComment(table)}`).toBe(true);
  });
});

describe('README "Who sees what"', () => {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('**Who sees what**'));
  const lines = section.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| data |'));
  const table = lines.slice(start, lines.findIndex((line, i) => i > start && !line.startsWith('|')));

  it('is there, with a column per role', () => {
    expect(start).toBeGreaterThan(0);
    expect(table[0]).toBe(`| data | ${ROLES.map((r) => ROLE_COLUMNS[r]).join(' | ')} |`);
  });

  it('says what the rules do, row by row (README shows a summary: at least the rows README_ROWS names)', () => {
    const rendered = renderPolicyTable().split('\n');
    const wrong = table.slice(2).filter((row) => !rendered.includes(row));
    expect(wrong, `rows of README's table that the rules no longer say; the rules say:\n${renderPolicyTable()}`).toEqual([]);
    const shown = renderPolicyTable(README_ROWS).split('\n');
    expect(table, `README's table should read:\n${renderPolicyTable(README_ROWS)}`).toEqual(expect.arrayContaining(shown));
  });

  it("names the claims each role's token must carry", () => {
    const claimRow = (claim: string) => readme.split('\n').find((line) => line.startsWith(`| \`${claim}\` |`)) ?? '';
    const claimNames = { agency: 'agency', citizen: 'citizen_id' } as const;
    for (const [role, claims] of Object.entries(ROLE_CLAIMS)) {
      for (const claim of claims) expect(claimRow(claimNames[claim]), `README: ${claimNames[claim]} is required for ${role}s`).toContain(`required for ${role}s`);
    }
  });
});

describe('the rules are whole', () => {
  it('each role decides every kind for anyone: its field rules end with a rule for any kind and anyone', () => {
    for (const role of ROLES) {
      const last = FIELD_RULES[role].at(-1)!;
      expect(last.of, role).toBeUndefined();
      expect(kindsOf(last).length === PERSONAL_KINDS.length || FIELD_RULES[role].some((r) => !r.of && kindsOf(r).length === PERSONAL_KINDS.length), role).toBe(true);
    }
  });

  it('every role, kind and relation gets a decision with a reason when denied', () => {
    const relations: Relation[] = [
      { isSelf: false, isApplicantOfOwnAgency: false },
      { isSelf: true, isApplicantOfOwnAgency: false },
      { isSelf: false, isApplicantOfOwnAgency: true },
      { isSelf: false, isApplicantOfOwnAgency: false, caseStands: true, isCaseSubject: true },
      { isSelf: false, isApplicantOfOwnAgency: false, representsBusiness: true },
    ];
    for (const role of ROLES) {
      for (const purpose of [null, ...PURPOSE_NAMES]) {
        for (const kind of PERSONAL_KINDS) {
          for (const relation of relations) {
            const decision = decidePersonalField({ role, purpose }, kind, relation);
            if (decision.access === 'denied') expect(decision.reason.length, `${role} ${purpose} ${kind}`).toBeGreaterThan(10);
          }
        }
      }
    }
  });

  it('every resource has a rule for every role, and each table row a cell for every role', () => {
    for (const [resource, rules] of Object.entries(ROW_SCOPES)) expect(Object.keys(rules).sort(), resource).toEqual([...ROLES].sort());
    for (const row of POLICY_ROWS) for (const role of ROLES) expect(row.cell(role), `${row.id} ${role}`).not.toMatch(/^$|\|/);
  });

  it('the purposes needing a case reference follow from the purpose rules', () => {
    expect(PURPOSES_NEEDING_CASE).toEqual(['DOSSIER_PROCESSING']);
    for (const purpose of PURPOSE_NAMES) {
      const needs = Object.values(PURPOSE_RULES).some((rules) => rules[purpose].reference !== 'none');
      expect(PURPOSES_NEEDING_CASE.includes(purpose), purpose).toBe(needs);
    }
  });
});

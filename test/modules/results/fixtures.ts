/**
 * The results source's part of the authorization matrix's fixtures (test/access/fixtures.ts reads
 * it over MODULES): C must hold a result of agency A that is valid today; R is the holder printed
 * on it; the counts the results' row scope is checked against.
 */
import { sql } from 'kysely';
import { expect } from 'vitest';
import { dateText, type FixtureHook, type ModuleFixtures } from '../../access/fixtures.js';

/** A procedure result, as the results source holds it (holder data as printed on the document). */
export interface ResultRow {
  id: number;
  number: string;
  issuing_agency_id: number;
  holder_id: number;
  dossier_id: number;
  issued_at: Date;
  document_sha256: string;
  holder_name: string;
  holder_national_id: string;
  holder_birth_date: string | Date;
}

// The results part joins the fixtures' type (its tests and paths read f.R, f.resultCounts).
declare module '../../access/fixtures.js' {
  interface ModuleFixtures {
    /** C's result issued by A (valid today, so that its verification answers VALID), and its dossier's code. */
    R: ResultRow & { dossierCode: string };
    /** Procedure results: all, those A issued, those C holds. */
    resultCounts: { all: number; agencyA: number; ofC: number };
  }
}

type ResultsFixtures = Pick<ModuleFixtures, 'R' | 'resultCounts'>;

export const fixtures: FixtureHook<ResultsFixtures> = {
  forC: {
    says: 'holds a valid result of A',
    // The citizens holding a result A issued (when one of their dossiers completed) that is valid today.
    candidates: async (s, { agencyId }) =>
      new Set(
        (
          await sql<{ holder_id: number }>`select distinct holder_id from results.procedure_results
            where issuing_agency_id = ${agencyId} and holder_kind = 'CITIZEN' and status = 'VALID' and (valid_until is null or valid_until > now())`.execute(s.results.root)
        ).rows.map((r) => r.holder_id),
      ),
  },

  async pick(s, { agencyId, C }) {
    // R: C's result issued by A, valid today (without an end of validity where there is one).
    const [R] = (await sql<ResultRow>`select id, number, issuing_agency_id, holder_id, dossier_id, issued_at, document_sha256, holder_name, holder_national_id, holder_birth_date
      from results.procedure_results
      where issuing_agency_id = ${agencyId} and holder_kind = 'CITIZEN' and holder_id = ${C.id} and status = 'VALID' and (valid_until is null or valid_until > now())
      order by (valid_until is not null), id limit 1`.execute(s.results.root)).rows;
    expect(R, 'a valid result A issued to C').toBeDefined();
    const [rDossier] = (await sql<{ code: string; agency_id: number; applicant_kind: string; applicant_id: number }>`select code, agency_id, applicant_kind, applicant_id
      from services.dossiers where id = ${R!.dossier_id}`.execute(s.services.root)).rows;
    // R answers one of C's dossiers at A, and prints C's data.
    expect(rDossier).toMatchObject({ agency_id: agencyId, applicant_kind: 'CITIZEN', applicant_id: C.id });
    expect(R!.holder_national_id).toBe(C.national_id);
    const resultCounts = (await sql<{ all: number; agency_a: number; of_c: number }>`select count(*)::int as "all",
        count(*) filter (where issuing_agency_id = ${agencyId})::int as agency_a,
        count(*) filter (where holder_kind = 'CITIZEN' and holder_id = ${C.id})::int as of_c
      from results.procedure_results`.execute(s.results.root)).rows[0]!;
    return {
      R: { ...R!, dossierCode: rDossier!.code },
      resultCounts: { all: resultCounts.all, agencyA: resultCounts.agency_a, ofC: resultCounts.of_c },
    };
  },

  subjects: (f) => ({
    R: {
      typeName: 'PrintedCitizenHolder',
      // No id: R is found through its result (paths.ts locates it by the result's id).
      values: { fullName: f.R.holder_name, nationalId: f.R.holder_national_id, birthDate: dateText(f.R.holder_birth_date) },
    },
  }),
};

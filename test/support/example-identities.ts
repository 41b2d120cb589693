import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Connections } from '../../src/platform/db/connection.js';
import type { ExampleIdentities } from '../../src/seed/examples.js';

/**
 * Asserts that seeded databases hold the example identities: the citizen (with a phone), the
 * case dossier (open, of the officer's agency, filed by the citizen), the citizen's completed
 * dossiers, the agency, the ward and the district. Each source is read on its own.
 */
export async function expectExampleIdentities(connections: Connections, ids: ExampleIdentities): Promise<void> {
  const { population, services, reference } = connections.sources;
  const { rows: [citizen] } = await sql<{ id: number; national_id: string; full_name: string; phone: string | null; ward_id: number }>`
    select id, national_id, full_name, phone, ward_id from population.citizens where national_id = ${ids.citizen.nationalId}`.execute(population.root);
  expect(citizen, `citizen ${ids.citizen.nationalId}`).toMatchObject({ full_name: ids.citizen.fullName, ward_id: ids.citizen.ward.id });
  expect(Number(citizen!.id)).toBe(ids.citizen.id);
  expect(citizen!.phone).not.toBeNull();

  const codes = [ids.caseReference, ...ids.completedDossiers];
  const { rows: dossiers } = await sql<{ code: string; status: string; agency_id: number; applicant_kind: string; applicant_id: number }>`
    select code, status, agency_id, applicant_kind, applicant_id from services.dossiers where code = any(${codes}::text[])`.execute(services.root);
  expect(dossiers.map((d) => d.code).sort()).toEqual([...codes].sort());
  for (const d of dossiers) expect([d.code, d.applicant_kind, Number(d.applicant_id)]).toEqual([d.code, 'CITIZEN', ids.citizen.id]);
  const open = dossiers.find((d) => d.code === ids.caseReference)!;
  expect(['RECEIVED', 'PROCESSING', 'ADDITIONAL_INFO_REQUIRED']).toContain(open.status);
  expect(Number(open.agency_id)).toBe(ids.officerAgency.id);
  expect(ids.completedDossiers.length).toBeGreaterThan(0);
  expect(dossiers.filter((d) => d.code !== ids.caseReference).map((d) => d.status)).toEqual(ids.completedDossiers.map(() => 'COMPLETED'));

  const units = [ids.district, ids.citizen.ward].sort((a, b) => a.id - b.id);
  const { rows } = await sql<{ id: number; code: string; full_name: string }>`
    select id, code, full_name from reference.administrative_units where id = any(${units.map((u) => u.id)}::int[]) order by id`.execute(reference.root);
  expect(rows.map((u) => [Number(u.id), u.code, u.full_name])).toEqual(units.map((u) => [u.id, u.code, u.name]));
  const { rows: agency } = await sql<{ code: string; name: string }>`select code, name from reference.agencies where id = ${ids.officerAgency.id}`.execute(reference.root);
  expect(agency).toEqual([{ code: ids.officerAgency.code, name: ids.officerAgency.name }]);
}

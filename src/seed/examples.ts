/**
 * The example identities the README and docs/frontend.md use: an officer's agency with open
 * dossiers, a citizen with dossiers, a case reference (an open dossier of that agency filed by
 * that citizen), a ward and a district. They follow from the seed value alone, so every machine
 * seeded with the default value has them; test/seeds.test.ts checks that they exist and
 * test/examples.test.ts that the documented values are these.
 */
import { toGlobalId } from '../platform/relay/global-id.js';
import { localDateOf } from '../modules/population/seed/birthdays.js';
import { exampleCitizen } from '../modules/population/seed/example.js';
import { agencies } from '../modules/reference/seed/agencies.js';
import { administrativeUnits } from '../modules/reference/seed/units.js';
import { scaleNamed, SEED_TODAY } from './scales.js';
import { DossierGenerator } from '../modules/services/seed/dossiers.js';
import { procedures } from '../modules/services/seed/procedures.js';

/** The default seed value (SEED, src/config.ts): the one the documented identities belong to. */
export const EXAMPLE_SEED = 20241031;

export interface ExampleUnit {
  id: number;
  code: string;
  name: string;
  /** What the API takes and returns as `id` (`districtId`, `wardId` filters). */
  globalId: string;
}

export interface ExampleIdentities {
  seed: number;
  citizen: { id: number; nationalId: string; fullName: string; birthDate: string; phone: string; ward: ExampleUnit };
  /** The agency handling the case dossier: an officer of it has a worklist and may read the applicant. */
  officerAgency: { id: number; code: string; name: string };
  /** Code of an open dossier of the officer's agency whose applicant is the example citizen. */
  caseReference: string;
  /** The case dossier's global id (`node(id:)`). */
  caseDossierId: string;
  /** Codes of the citizen's completed dossiers. */
  completedDossiers: string[];
  /** Hải Châu, the central district: the businesses example filters by it. */
  district: ExampleUnit;
}

function unit(id: number): ExampleUnit {
  const row = administrativeUnits().find((u) => u.id === id);
  if (!row) throw new Error(`No administrative unit ${id}`);
  return { id: row.id, code: row.code, name: row.fullName, globalId: toGlobalId('AdministrativeUnit', row.id) };
}

/** The example identities of a seed value at a scale (the same at every scale for the default seed). */
export function exampleIdentities(seed = EXAMPLE_SEED, scaleName = 'small'): ExampleIdentities {
  const scale = scaleNamed(scaleName);
  const citizen = exampleCitizen(seed, localDateOf(SEED_TODAY.getTime()));
  const generator = new DossierGenerator(seed, scale, procedures(), SEED_TODAY);
  const [caseId, ...completedIds] = generator.exampleDossierIds;
  if (caseId === undefined) throw new Error(`seed ${seed}: no open dossier for the example citizen at scale ${scale.name}`);
  const caseDossier = generator.plan(caseId);
  const agency = agencies().find((a) => a.id === caseDossier.procedure.agencyId)!;
  const haiChau = administrativeUnits().find((u) => u.level === 'DISTRICT' && u.code === '492')!;
  return {
    seed,
    citizen: {
      id: citizen.id, nationalId: citizen.nationalId, fullName: citizen.fullName, birthDate: citizen.birthDate, phone: citizen.phone,
      ward: unit(citizen.wardId),
    },
    officerAgency: { id: agency.id, code: agency.code, name: agency.name },
    caseReference: caseDossier.code,
    caseDossierId: toGlobalId('Dossier', caseDossier.id),
    completedDossiers: completedIds.map((id) => generator.plan(id).code),
    district: unit(haiChau.id),
  };
}

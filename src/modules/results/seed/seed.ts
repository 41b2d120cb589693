import { sql } from 'kysely';
import type { SourceConnection } from '../../../platform/db/connection.js';
import type { SeedContext } from '../../../seed/context.js';
import { loadTable, truncateTables } from '../../../seed/load.js';
import { Random } from '../../../seed/random.js';
import { SEED_TODAY } from '../../../seed/scales.js';
import type { ResultStatus } from '../db/index.js';
import {
  addMonths,
  documentText,
  hexDigits,
  localYear,
  resultKindOf,
  resultNumber,
  sha256Hex,
  statusOn,
  validityMonths,
  type PrintedHolder,
} from './documents.js';

/** Results revoked by their issuing agency (thu hồi): a small share, drawn per dossier. */
export const REVOKED_SHARE = 0.02;
/** Completed dossiers read (and results loaded) at a time: memory stays flat at the city scale. */
const BATCH = 50_000;

const COLUMNS = [
  'id', 'number', 'kind', 'issuing_agency_id', 'holder_kind', 'holder_id', 'dossier_id', 'issued_at', 'valid_until', 'status',
  'document_sha256', 'holder_name', 'holder_national_id', 'holder_birth_date', 'holder_business_code',
] as const;

interface CompletedDossier {
  id: number;
  code: string;
  agency_id: number;
  applicant_kind: 'CITIZEN' | 'BUSINESS';
  applicant_id: number;
  completed_at: Date;
  procedure_name: string;
}

/** A page of completed dossiers in the order they completed, after `after` (services source only). */
async function completedDossiers(services: SourceConnection, after: CompletedDossier | null): Promise<CompletedDossier[]> {
  const dossiers = sql.id(services.schema, 'dossiers');
  const procedures = sql.id(services.schema, 'procedures');
  const bound = after ? sql`and (d.completed_at, d.id) > (${after.completed_at}, ${after.id})` : sql``;
  const { rows } = await sql<CompletedDossier>`
    select d.id, d.code, d.agency_id, d.applicant_kind, d.applicant_id, d.completed_at, p.name as procedure_name
    from ${dossiers} d join ${procedures} p on p.id = d.procedure_id
    where d.status = 'COMPLETED' ${bound}
    order by d.completed_at, d.id
    limit ${BATCH}`.execute(services.root);
  return rows.map((r) => ({ ...r, id: Number(r.id), agency_id: Number(r.agency_id), applicant_id: Number(r.applicant_id), completed_at: new Date(r.completed_at) }));
}

/** The holders' data as their registers have it now: one statement per source and batch. */
async function holdersOf(ctx: SeedContext, batch: readonly CompletedDossier[]): Promise<Map<string, PrintedHolder>> {
  const idsOf = (kind: 'CITIZEN' | 'BUSINESS') => [...new Set(batch.filter((d) => d.applicant_kind === kind).map((d) => d.applicant_id))];
  const { population, business } = ctx.sources;
  const [citizens, businesses] = await Promise.all([
    sql<{ id: number; national_id: string; full_name: string; birth_date: string }>`
      select id, national_id, full_name, birth_date from ${sql.id(population.schema, 'citizens')}
      where id = any(${idsOf('CITIZEN')}::int[])`.execute(population.root),
    sql<{ id: number; code: string; name: string }>`
      select id, code, name from ${sql.id(business.schema, 'businesses')}
      where id = any(${idsOf('BUSINESS')}::int[])`.execute(business.root),
  ]);
  const holders = new Map<string, PrintedHolder>();
  for (const c of citizens.rows) holders.set(`CITIZEN:${c.id}`, { kind: 'CITIZEN', name: c.full_name, nationalId: c.national_id, birthDate: c.birth_date });
  for (const b of businesses.rows) holders.set(`BUSINESS:${b.id}`, { kind: 'BUSINESS', name: b.name, code: b.code });
  return holders;
}

/**
 * Every completed dossier gets its result: issued by the dossier's agency, to its applicant, at
 * the moment it was completed. Read from the services, population, business and reference
 * sources through their own connections (one statement per source and batch, nothing joined
 * across sources); the same seeded sources give the same rows. Numbers count per issuing agency
 * and year in the order the results were issued; kind and validity follow from the procedure,
 * revocations are drawn per dossier, and the status is the one on the seed's reference day.
 */
export async function seedResults(ctx: SeedContext): Promise<void> {
  const source = ctx.sources.results;
  const { reference, services } = ctx.sources;
  await truncateTables(source, ['procedure_results']);

  const { rows: agencyRows } = await sql<{ id: number; code: string; name: string }>`
    select id, code, name from ${sql.id(reference.schema, 'agencies')}`.execute(reference.root);
  const agencies = new Map(agencyRows.map((a) => [Number(a.id), a]));
  const serials = new Map<string, number>();
  const counts: Record<ResultStatus, number> = { VALID: 0, REVOKED: 0, EXPIRED: 0 };
  let id = 0;
  const started = performance.now();

  for (let batch = await completedDossiers(services, null); batch.length > 0; batch = await completedDossiers(services, batch.at(-1)!)) {
    const holders = await holdersOf(ctx, batch);
    const rows: unknown[][] = [];
    for (const dossier of batch) {
      const agency = agencies.get(dossier.agency_id);
      const holder = holders.get(`${dossier.applicant_kind}:${dossier.applicant_id}`);
      if (!agency || !holder) throw new Error(`results: dossier ${dossier.code} names an agency or applicant that is not in its source`);
      const rng = Random.for(ctx.seed, 'results.procedure_results', dossier.id);
      const kind = resultKindOf(dossier.procedure_name);
      const issuedAt = dossier.completed_at;
      const months = validityMonths(kind, dossier.procedure_name, rng);
      const validUntil = months === null ? null : addMonths(issuedAt, months);
      const status = statusOn(SEED_TODAY, validUntil, rng.chance(REVOKED_SHARE));
      const year = localYear(issuedAt);
      const serialKey = `${agency.id}:${year}`;
      const serial = (serials.get(serialKey) ?? 0) + 1;
      serials.set(serialKey, serial);
      const number = resultNumber(kind, agency.code, year, serial);
      const text = documentText({
        number, kind, agencyName: agency.name, procedureName: dossier.procedure_name, dossierCode: dossier.code, holder, issuedAt, validUntil,
        securityCode: hexDigits(rng, 32),
      });
      id += 1;
      counts[status] += 1;
      rows.push([
        id, number, kind, agency.id, dossier.applicant_kind, dossier.applicant_id, dossier.id, issuedAt, validUntil, status, sha256Hex(text),
        holder.name,
        holder.kind === 'CITIZEN' ? holder.nationalId : null,
        holder.kind === 'CITIZEN' ? holder.birthDate : null,
        holder.kind === 'BUSINESS' ? holder.code : null,
      ]);
    }
    await loadTable(source, 'procedure_results', COLUMNS, rows);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  ctx.log(`results: ${id} results (${counts.VALID} valid, ${counts.EXPIRED} expired, ${counts.REVOKED} revoked) in ${seconds} s`);
}

import type { SeedContext } from '../../../seed/context.js';
import { loadTable, truncateTables } from '../../../seed/load.js';
import { SEED_TODAY } from '../../../seed/scales.js';
import { DossierGenerator } from './dossiers.js';
import { withoutForeignKeys } from './foreign-keys.js';
import { procedures, type ProcedureSeed } from './procedures.js';

const DOSSIER_COLUMNS = [
  'id', 'code', 'procedure_id', 'agency_id', 'applicant_kind', 'applicant_id', 'channel', 'status',
  'submitted_at', 'due_at', 'completed_at', 'ward_id',
] as const;
const EVENT_COLUMNS = ['id', 'dossier_id', 'seq', 'kind', 'occurred_at', 'agency_id', 'note'] as const;

function* dossierRows(generator: DossierGenerator, count: number): Generator<unknown[]> {
  for (let id = 1; id <= count; id += 1) {
    const d = generator.plan(id);
    yield [
      d.id, d.code, d.procedure.id, d.procedure.agencyId, d.applicantKind, d.applicantId, d.channel, d.status,
      generator.format(d.submittedAt), generator.format(d.dueAt), d.completedAt === null ? null : generator.format(d.completedAt), d.wardId,
    ];
  }
}

/** The events pass regenerates each dossier from its id rather than keeping them all in memory. */
function* eventRows(generator: DossierGenerator, count: number): Generator<unknown[]> {
  let eventId = 0;
  for (let id = 1; id <= count; id += 1) {
    const { events } = generator.plan(id);
    for (let seq = 0; seq < events.length; seq += 1) {
      const e = events[seq]!;
      eventId += 1;
      yield [eventId, id, seq + 1, e.kind, generator.format(e.at), e.agencyId, e.note];
    }
  }
}

const seconds = (since: number): string => ((performance.now() - since) / 1000).toFixed(1);

export async function seedServices(ctx: SeedContext): Promise<void> {
  const source = ctx.sources.services;
  const catalogue: ProcedureSeed[] = procedures();
  const generator = new DossierGenerator(ctx.seed, ctx.scale, catalogue, SEED_TODAY);

  await truncateTables(source, ['dossier_events', 'dossiers', 'procedures']);
  await loadTable(
    source,
    'procedures',
    ['id', 'code', 'name', 'agency_id', 'field', 'service_level', 'processing_days', 'fee'],
    catalogue.map((p) => [p.id, p.code, p.name, p.agencyId, p.field, p.serviceLevel, p.processingDays, p.fee]),
  );
  await withoutForeignKeys(source, ['dossiers', 'dossier_events'], async () => {
    let started = performance.now();
    const dossiers = await loadTable(source, 'dossiers', DOSSIER_COLUMNS, dossierRows(generator, ctx.scale.dossiers), { rebuildIndexes: true });
    ctx.log(`services: ${dossiers} dossiers in ${seconds(started)} s`);
    started = performance.now();
    const events = await loadTable(source, 'dossier_events', EVENT_COLUMNS, eventRows(generator, ctx.scale.dossiers), { rebuildIndexes: true });
    ctx.log(`services: ${events} dossier events in ${seconds(started)} s`);
  });
}

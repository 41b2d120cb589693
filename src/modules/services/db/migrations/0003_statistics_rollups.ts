import { sql, type Kysely, type Migration } from 'kysely';
import { RESOLVED_STATUSES } from '../vocabulary.js';
import { MONTH_AGENCY_COUNTS, MONTH_AGENCY_TABLE, OPEN_DUE_TABLE, ROLLUP_COUNTS, ROLLUP_GRAINS, ROLLUP_TIME_ZONE, rollupKey } from '../rollups.js';

const SCHEMA = 'services';

/*
 * The dossier rollups (issue 14; db/rollups.ts says what they hold), maintained on write by
 * statement-level triggers with transition tables on `dossiers`. Why triggers rather than a
 * rebuild on load: the city's systems write dossiers all day and the gateway only reads, so only
 * the database sees every write; a statement trigger adds one aggregate over the statement's rows
 * (a bulk COPY of a million dossiers: one pass, not a million row triggers), and the figures are
 * exact in the same transaction as the write. COPY FROM fires statement triggers with their
 * transition tables (copyfrom.c: ExecASInsertTriggers with the transition capture), so the seeds'
 * COPY goes through the same path; TRUNCATE empties the rollups.
 *
 * UPDATE triggers with transition tables cannot name columns (PostgreSQL refuses a column list):
 * every update statement fires it, and the old rows (-1) and new rows (+1) cancel out in the
 * aggregate unless a grouped or counted column changed, so nothing is written then.
 */

const q = (name: string): string => `${SCHEMA}.${name}`;
const list = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

/** Rows of `dossiers` with a sign: +1 counted in, -1 counted out. */
type Source = string;
const INSERTED: Source = `select r.*, 1 as sign from new_rows r`;
const DELETED: Source = `select r.*, -1 as sign from old_rows r`;
const UPDATED: Source = `${INSERTED} union all ${DELETED}`;
const EXISTING: Source = `select r.*, 1 as sign from ${q('dossiers')} r`;

/** The rollups a migration's statements keep: this one's, and from 0005 on the month × agency table too. */
export interface RollupSet {
  monthAgency: boolean;
}
const ORIGINAL: RollupSet = { monthAgency: false };

const DAY = `(r.submitted_at at time zone '${ROLLUP_TIME_ZONE}')::date`;

/**
 * One statement that adds the source's rows to every rollup: aggregated once at the finest grain,
 * then summed into each table; groups whose counts do not change are not written. Keys are
 * written in key order so that concurrent writers lock rollup rows in the same order.
 */
function applyStatement(source: Source, set: RollupSet = ORIGINAL): string {
  const counts = ROLLUP_COUNTS.join(', ');
  const finest = ['day', 'agency_id', 'procedure_id', 'channel', 'status'];
  const delta = `delta as materialized (
    select ${DAY} as day, r.agency_id, r.procedure_id, r.channel, r.status,
      sum(r.sign)::int as dossiers,
      sum(case when r.status in (${list(RESOLVED_STATUSES)}) and r.completed_at <= r.due_at then r.sign else 0 end)::int as on_time,
      sum(case when r.completed_at > r.due_at then r.sign else 0 end)::int as closed_late,
      sum(case when r.completed_at is null then r.sign else 0 end)::int as still_open
    from (${source}) r
    group by ${finest.map((_, i) => i + 1).join(', ')})`;
  const upserts = ROLLUP_GRAINS.map((grain, i) => {
    const key = rollupKey(grain);
    const select = key.map((k) => (k === 'month' ? `date_trunc('month', day::timestamp)::date as month` : k));
    const groupBy = key.map((_, j) => j + 1).join(', ');
    return `up_${i} as (
      insert into ${q(grain.table)} as t (${key.join(', ')}, ${counts})
      select ${select.join(', ')}, ${ROLLUP_COUNTS.map((c) => `sum(${c})`).join(', ')}
      from delta group by ${groupBy}
      having ${ROLLUP_COUNTS.map((c) => `sum(${c}) <> 0`).join(' or ')}
      order by ${groupBy}
      on conflict (${key.join(', ')}) do update set ${ROLLUP_COUNTS.map((c) => `${c} = t.${c} + excluded.${c}`).join(', ')})`;
  });
  if (set.monthAgency) upserts.push(monthAgencyUpsert());
  const openKey = ['day', 'agency_id', 'procedure_id', 'channel', 'status', 'due_at'];
  const openDue = `insert into ${q(OPEN_DUE_TABLE)} as t (${openKey.join(', ')}, dossiers)
    select ${DAY}, r.agency_id, r.procedure_id, r.channel, r.status, r.due_at, sum(r.sign)::int
    from (${source}) r where r.completed_at is null
    group by ${openKey.map((_, i) => i + 1).join(', ')}
    having sum(r.sign) <> 0
    order by ${openKey.map((_, i) => i + 1).join(', ')}
    on conflict (${openKey.join(', ')}) do update set dossiers = t.dossiers + excluded.dossiers`;
  return `with ${delta}, ${upserts.join(', ')} ${openDue}`;
}

/**
 * The month × agency upsert (db/rollups.ts), summed from the same delta: the channel and status
 * keys become the `online` and `resolved` counts. Written in key order, as the others.
 */
function monthAgencyUpsert(): string {
  const counts: Record<(typeof MONTH_AGENCY_COUNTS)[number], string> = {
    dossiers: 'sum(dossiers)',
    online: `sum(case when channel = 'ONLINE' then dossiers else 0 end)`,
    resolved: `sum(case when status in (${list(RESOLVED_STATUSES)}) then dossiers else 0 end)`,
    on_time: 'sum(on_time)',
    closed_late: 'sum(closed_late)',
    still_open: 'sum(still_open)',
  };
  return `up_month_agency as (
      insert into ${q(MONTH_AGENCY_TABLE)} as t (month, agency_id, ${MONTH_AGENCY_COUNTS.join(', ')})
      select date_trunc('month', day::timestamp)::date as month, agency_id, ${MONTH_AGENCY_COUNTS.map((c) => counts[c]).join(', ')}
      from delta group by 1, 2
      having ${MONTH_AGENCY_COUNTS.map((c) => `${counts[c]} <> 0`).join(' or ')}
      order by 1, 2
      on conflict (month, agency_id) do update set ${MONTH_AGENCY_COUNTS.map((c) => `${c} = t.${c} + excluded.${c}`).join(', ')})`;
}

function rollupTables(set: RollupSet = ORIGINAL): string[] {
  return [...ROLLUP_GRAINS.map((g) => g.table), OPEN_DUE_TABLE, ...(set.monthAgency ? [MONTH_AGENCY_TABLE] : [])];
}

/** After counting out: groups left with no dossier go (a raw aggregate has no empty group; every count of such a group is 0). */
const pruneStatements = (set: RollupSet): string => rollupTables(set).map((t) => `delete from ${q(t)} where dossiers = 0;`).join('\n');
const allTables = (set: RollupSet): string => rollupTables(set).map(q).join(', ');

function triggerFunction(name: string, body: string, replace = false): string {
  return `create ${replace ? 'or replace ' : ''}function ${q(name)}() returns trigger language plpgsql as $$
    begin
      ${body}
      return null;
    end $$`;
}

export const statisticsRollups: Migration = {
  async up(root: Kysely<unknown>) {
    const db = root.withSchema(SCHEMA);
    for (const grain of ROLLUP_GRAINS) {
      const key = rollupKey(grain);
      let table = db.schema
        .createTable(grain.table)
        .addColumn(grain.time, 'date', (c) => c.notNull())
        .addColumn('agency_id', 'integer', (c) => c.notNull());
      if (grain.procedure) table = table.addColumn('procedure_id', 'integer', (c) => c.notNull());
      table = table
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull());
      for (const count of ROLLUP_COUNTS) table = table.addColumn(count, 'integer', (c) => c.notNull());
      await table.addPrimaryKeyConstraint(`${grain.table}_pkey`, key as never).execute();
      // A procedure's or an agency's figures over all months read their own range.
      const by = grain.procedure ? 'procedure_id' : 'agency_id';
      await db.schema.createIndex(`${grain.table}_${by}_idx`).on(grain.table).columns([by, grain.time]).execute();
      // Emptied groups are found by this (almost always empty) index, not by a scan.
      await db.schema.createIndex(`${grain.table}_empty_idx`).on(grain.table).columns(key).where(sql.ref('dossiers'), '=', 0).execute();
    }
    await db.schema
      .createTable(OPEN_DUE_TABLE)
      .addColumn('day', 'date', (c) => c.notNull())
      .addColumn('agency_id', 'integer', (c) => c.notNull())
      .addColumn('procedure_id', 'integer', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('due_at', 'timestamptz(3)', (c) => c.notNull())
      .addColumn('dossiers', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${OPEN_DUE_TABLE}_pkey`, ['day', 'agency_id', 'procedure_id', 'channel', 'status', 'due_at'])
      .execute();
    // Open dossiers not yet due at `now`: a range at the end of this index.
    await db.schema.createIndex(`${OPEN_DUE_TABLE}_due_idx`).on(OPEN_DUE_TABLE).column('due_at').execute();
    await db.schema.createIndex(`${OPEN_DUE_TABLE}_empty_idx`).on(OPEN_DUE_TABLE).columns(['day', 'due_at']).where(sql.ref('dossiers'), '=', 0).execute();

    await createRollupFunctions(root, ORIGINAL, false);

    const dossiers = q('dossiers');
    await sql.raw(`create trigger dossier_rollups_insert after insert on ${dossiers}
      referencing new table as new_rows for each statement execute function ${q('dossier_rollups_on_insert')}()`).execute(root);
    await sql.raw(`create trigger dossier_rollups_update after update on ${dossiers}
      referencing old table as old_rows new table as new_rows for each statement execute function ${q('dossier_rollups_on_update')}()`).execute(root);
    await sql.raw(`create trigger dossier_rollups_delete after delete on ${dossiers}
      referencing old table as old_rows for each statement execute function ${q('dossier_rollups_on_delete')}()`).execute(root);
    await sql.raw(`create trigger dossier_rollups_truncate after truncate on ${dossiers}
      for each statement execute function ${q('dossier_rollups_on_truncate')}()`).execute(root);

    // The dossiers already there, counted after the triggers exist: creating a trigger locks out
    // writers until this migration commits, so no write is missed or counted twice.
    await sql.raw(`select ${q('dossier_rollups_rebuild')}()`).execute(root);
    for (const table of [...ROLLUP_GRAINS.map((g) => g.table), OPEN_DUE_TABLE]) await sql.raw(`analyze ${q(table)}`).execute(root);
  },
};

/**
 * The trigger functions and the rebuild of a set of rollups (`replace`: a later migration's set
 * takes their place, the triggers that call them unchanged).
 */
export async function createRollupFunctions(root: Kysely<unknown>, set: RollupSet, replace: boolean): Promise<void> {
  await sql.raw(triggerFunction('dossier_rollups_on_insert', `${applyStatement(INSERTED, set)};`, replace)).execute(root);
  await sql.raw(triggerFunction('dossier_rollups_on_update', `${applyStatement(UPDATED, set)};\n${pruneStatements(set)}`, replace)).execute(root);
  await sql.raw(triggerFunction('dossier_rollups_on_delete', `${applyStatement(DELETED, set)};\n${pruneStatements(set)}`, replace)).execute(root);
  await sql.raw(triggerFunction('dossier_rollups_on_truncate', `truncate ${allTables(set)};`, replace)).execute(root);
  // Also what an operator runs if the rollups were ever doubted: they are rebuilt from the dossiers.
  await sql
    .raw(
      `create ${replace ? 'or replace ' : ''}function ${q('dossier_rollups_rebuild')}() returns void language plpgsql as $$
          begin
            truncate ${allTables(set)};
            ${applyStatement(EXISTING, set)};
          end $$`,
    )
    .execute(root);
}

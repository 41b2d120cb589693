/**
 * The pre-aggregated dossier figures behind `dossierStatistics` (issue 14): what each rollup
 * table keys on. The migration builds tables, triggers and the rebuild function from these
 * definitions; the statistics repository picks the tables from them.
 *
 * Grain. The schema filters on submission time (`from`/`to`), agency and procedure, and groups by
 * agency, month, channel and status. Below admin the time bounds are whole days in Đà Nẵng time,
 * so the finest time grain is the day; a range is served by whole months from the month tables and
 * the days at its ends from the day tables. An admin may give any instant: the part of a day
 * before or after such a bound is counted from `dossiers` itself (at most two days, read by the
 * submitted_at index), which is the only grain that answers it exactly. Tables without the procedure
 * serve the filters that do not name one (a few thousand rows at city scale for all months).
 *
 * `overdue` depends on the moment asked (open past its due time at `now`): the day and month tables
 * count closed-late and open dossiers, and `dossier_rollup_open_due` keeps the open ones by due
 * time, so "open and not yet due at now" is subtracted exactly (the few open dossiers due after now).
 */
export type RollupTime = 'day' | 'month';

export interface RollupGrain {
  table: RollupTable;
  time: RollupTime;
  procedure: boolean;
}

export type RollupTable = 'dossier_rollup_day' | 'dossier_rollup_day_procedure' | 'dossier_rollup_month' | 'dossier_rollup_month_procedure';

export const ROLLUP_GRAINS: readonly RollupGrain[] = [
  { table: 'dossier_rollup_day_procedure', time: 'day', procedure: true },
  { table: 'dossier_rollup_day', time: 'day', procedure: false },
  { table: 'dossier_rollup_month_procedure', time: 'month', procedure: true },
  { table: 'dossier_rollup_month', time: 'month', procedure: false },
];

export const OPEN_DUE_TABLE = 'dossier_rollup_open_due';

/**
 * Month × agency, the channel and status counted in (`online`, `resolved`): what a grouping by
 * agency and month, without a procedure, reads (the IOC dashboard's trend and per-agency tables).
 * A ninth of `dossier_rollup_month`'s rows at city scale (552 against 4,882), which the dashboard
 * otherwise sums twice per request. Kept by the same triggers and rebuild (migration 0005).
 */
export const MONTH_AGENCY_TABLE = 'dossier_rollup_month_agency';

/** Its counts: those of the other tables, and the two their channel and status keys give. */
export const MONTH_AGENCY_COUNTS = ['dossiers', 'online', 'resolved', 'on_time', 'closed_late', 'still_open'] as const;

/** Đà Nẵng's zone: days and months of submission are counted there (as MONTH groups are). */
export const ROLLUP_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export function rollupGrain(time: RollupTime, procedure: boolean): RollupGrain {
  return ROLLUP_GRAINS.find((g) => g.time === time && g.procedure === procedure)!;
}

/** The key columns of a grain, in primary-key order. */
export function rollupKey(grain: Pick<RollupGrain, 'time' | 'procedure'>): string[] {
  return [grain.time, 'agency_id', ...(grain.procedure ? ['procedure_id'] : []), 'channel', 'status'];
}

/** The counts every day and month row holds. */
export const ROLLUP_COUNTS = ['dossiers', 'on_time', 'closed_late', 'still_open'] as const;

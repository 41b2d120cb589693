import { sql, WithSchemaPlugin, type CompiledQuery, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { sendCompiled } from '../../../platform/db/query-stats.js';
import { overdueAt } from './dossier-conditions.js';
import { rollupPlan, type DayRange, type RollupPlan } from './rollup-plan.js';
import { MONTH_AGENCY_TABLE, OPEN_DUE_TABLE, ROLLUP_TIME_ZONE, rollupGrain } from './rollups.js';
import type { ServicesDatabase } from './tables.js';
import { DOSSIER_DIMENSIONS, RESOLVED_STATUSES, type DossierChannel, type DossierDimension, type DossierStatus } from './vocabulary.js';

export interface DossierStatsWhere {
  /** Submitted at or after (inclusive). */
  from?: Date | null;
  /** Submitted before (exclusive). */
  to?: Date | null;
  agencyId?: number | null;
  /** Row scope: only these agencies' dossiers (empty: none). */
  agencyIds?: readonly number[] | null;
  procedureId?: number | null;
}

/** One group's key: the dimensions not grouped by are null. */
export interface DossierGroup {
  agencyId: number | null;
  /** 'YYYY-MM'. */
  month: string | null;
  channel: DossierChannel | null;
  status: DossierStatus | null;
}

export interface DossierCount extends DossierGroup {
  count: number;
}

/** Rates are fractions from 0 to 1, and 0 when their denominator is 0. */
export interface DossierRates {
  total: number;
  online: number;
  /** Closed with a decision returned (completed or rejected). */
  resolved: number;
  /** Resolved on or before the due time. */
  onTime: number;
  /** Closed after the due time, or open past it at `now`. */
  overdue: number;
  /** online / total: the article's "processed fully online" share. */
  onlineRate: number;
  /** onTime / resolved. */
  onTimeRate: number;
  /** overdue / total. */
  overdueRate: number;
}

export interface DossierGroupRates extends DossierGroup, DossierRates {}

/** The figures over everything the filter selects, and per group of the dimensions asked. */
export interface DossierRatesTable {
  totals: DossierRates;
  groups: DossierGroupRates[];
}

/** Column of the union below per dimension (MONTH: the month's first day, formatted only in the output). */
const DIMENSIONS: Record<DossierDimension, { part: string; alias: keyof DossierGroupRow; select: RawBuilder<unknown>; type: string }> = {
  AGENCY: { part: 'agency_id', alias: 'agency_id', select: sql`agency_id`, type: 'int' },
  MONTH: { part: 'month_start', alias: 'month', select: sql`to_char(month_start, 'YYYY-MM')`, type: 'text' },
  CHANNEL: { part: 'channel', alias: 'channel', select: sql`channel`, type: 'text' },
  STATUS: { part: 'status', alias: 'status', select: sql`status`, type: 'text' },
};

/** One table asked of `tables`: what `table` takes. */
export interface TableAsk {
  dimensions: readonly DossierDimension[];
  filter?: DossierStatsWhere;
  now?: Date;
}

interface QueuedAsk {
  ask: TableAsk;
  settle: { resolve: (table: DossierRatesTable) => void; reject: (error: unknown) => void };
}

interface DossierGroupRow {
  /** The place of the table in a `tables` batch. */
  q?: number;
  agency_id?: number;
  month?: string;
  channel?: DossierChannel;
  status?: DossierStatus;
  /** Non-zero on the row of the totals (the empty grouping set). */
  totals_row?: number;
  total: number | string | null;
  online: number | string | null;
  resolved: number | string | null;
  on_time: number | string | null;
  overdue: number | string | null;
}

const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);
const RESOLVED = sql.raw(`(${RESOLVED_STATUSES.map((s) => `'${s}'`).join(', ')})`);
const ZERO_RATES: DossierRates = { total: 0, online: 0, resolved: 0, onTime: 0, overdue: 0, onlineRate: 0, onTimeRate: 0, overdueRate: 0 };

/**
 * Aggregates for the IOC dashboards, read from the rollups that triggers keep on `dossiers`
 * (db/rollups.ts; the same figures as aggregating the dossiers, tested so at every scale): one
 * statement for the totals and the groups, and only numbers leave the database.
 */
export class DossierStatsRepository {
  constructor(private readonly db: Kysely<ServicesDatabase>) {}

  /** Dossier counts per group, ordered by the group key. No dimensions: one group, everything. */
  async countBy(dimensions: readonly DossierDimension[], filter: DossierStatsWhere = {}): Promise<DossierCount[]> {
    const { totals, groups } = await this.table(dimensions, filter, new Date());
    if (dimensions.length === 0) return [{ agencyId: null, month: null, channel: null, status: null, count: totals.total }];
    return groups.map(({ agencyId, month, channel, status, total }) => ({ agencyId, month, channel, status, count: total }));
  }

  /** The online, on-time and overdue figures over all dossiers the filter selects. */
  async rates(filter: DossierStatsWhere = {}, now: Date = new Date()): Promise<DossierRates> {
    return (await this.table([], filter, now)).totals;
  }

  /** The figures per group (for example per agency, or per month for a trend line). */
  async ratesBy(dimensions: readonly DossierDimension[], filter: DossierStatsWhere = {}, now: Date = new Date()): Promise<DossierGroupRates[]> {
    if (dimensions.length === 0) return [{ agencyId: null, month: null, channel: null, status: null, ...(await this.rates(filter, now)) }];
    return (await this.table(dimensions, filter, now)).groups;
  }

  /** The totals and the groups in one statement (grouping sets), groups ordered by their key. */
  async table(dimensions: readonly DossierDimension[], filter: DossierStatsWhere = {}, now: Date = new Date()): Promise<DossierRatesTable> {
    return (await this.tables([{ dimensions, filter, now }]))[0]!;
  }

  /**
   * Several tables (each `table`'s answer, in the order asked) in ONE statement: with two or more,
   * each table's aggregate is a branch of a `union all`, tagged with its place and selecting every
   * dimension (null where not grouped by), so that the dossierStatistics fields of one document,
   * whatever their filters, cost one round trip.
   */
  async tables(asks: readonly TableAsk[]): Promise<DossierRatesTable[]> {
    const tagged = asks.length > 1;
    const branches: Branch[] = [];
    const dimsOf = asks.map((ask, i) => {
      // Grouped and sorted in the vocabulary's order, whatever the order asked for.
      const dims = DOSSIER_DIMENSIONS.filter((d) => ask.dimensions.includes(d));
      const filter = ask.filter ?? {};
      // An empty row scope matches nothing: no branch, zero totals.
      if (!(filter.agencyIds && filter.agencyIds.length === 0)) {
        const plan = rollupPlan(filter.from, filter.to);
        const inputs: Inputs = { agencyId: filter.agencyId ?? null, agencyIds: filter.agencyIds ? [...filter.agencyIds] : null, procedureId: filter.procedureId ?? null, plan, now: ask.now ?? new Date() };
        if (plan.months || plan.days || plan.dayRanges.length > 0 || plan.raw.length > 0) branches.push({ dims, inputs, tag: tagged ? i : null });
      }
      return dims;
    });
    if (branches.length === 0) return asks.map(() => ({ totals: ZERO_RATES, groups: [] }));
    const rows = (await this.send(branches)) as DossierGroupRow[];
    if (!tagged) return [tableOf(dimsOf[0]!, rows)];
    const byAsk = asks.map((): DossierGroupRow[] => []);
    for (const row of rows) byAsk[Number(row.q)]!.push(row);
    // A table with no branch (nothing can match) has no rows: zero totals, no groups.
    return byAsk.map((rowsOfAsk, i) => tableOf(dimsOf[i]!, rowsOfAsk));
  }

  /**
   * `table`, batched: the tables asked in one turn of the event loop (the dossierStatistics fields
   * of one document, resolved side by side) go in one statement (`tables`). For a repository of
   * one request (the gateway's are: modules/repositories.ts), so that a batch is one request's.
   */
  tableInBatch(dimensions: readonly DossierDimension[], filter: DossierStatsWhere, now: Date): Promise<DossierRatesTable> {
    return new Promise((resolve, reject) => {
      let queue = this.queued;
      if (!queue) {
        const made: QueuedAsk[] = [];
        queue = this.queued = made;
        // DataLoader's schedule: after this turn's promise jobs, so asks made in their `then`s join.
        void Promise.resolve().then(() =>
          process.nextTick(() => {
            if (this.queued === made) this.queued = undefined;
            this.tables(made.map(({ ask }) => ask)).then(
              (tables) => made.forEach(({ settle }, i) => settle.resolve(tables[i]!)),
              (error: unknown) => made.forEach(({ settle }) => settle.reject(error)),
            );
          }),
        );
      }
      queue.push({ ask: { dimensions, filter, now }, settle: { resolve, reject } });
    });
  }

  private queued: QueuedAsk[] | undefined;

  /**
   * Sends the statement of the branches: built and compiled once per shape (the dimensions, which
   * filters are given, the plan's parts and their open ends) and source, then sent again with
   * this call's values. Building the union (a few dozen nodes frozen, visited by the schema
   * plugin) cost more of the dashboard than the rest of its statement's work in the gateway.
   */
  private async send(branches: readonly Branch[]): Promise<unknown[]> {
    const owner = this.db.getExecutor().plugins.find((plugin) => plugin instanceof WithSchemaPlugin) ?? NO_SCHEMA;
    let shapes = TEMPLATES.get(owner);
    if (!shapes) TEMPLATES.set(owner, (shapes = new Map()));
    const key = branches.map(shapeOf).join(';');
    let template = shapes.get(key);
    if (!template) {
      template = this.compile(branches);
      if (shapes.size < MAX_SHAPES) shapes.set(key, template);
    }
    const parameters = template.parameters.map((slot) => (slot as Slot).valueIn(branches));
    return (await sendCompiled(this.db, template, parameters)).rows;
  }

  /** The statement for branches of this shape, every value a Slot (filled by `send`). */
  private compile(branches: readonly Branch[]): CompiledQuery {
    const queries = branches.map(({ dims, inputs, tag }, i) => this.aggregate(dims, slotted(inputs, i), tag));
    let compiled: CompiledQuery;
    if (branches.length === 1 && branches[0]!.tag === null) {
      const { dims } = branches[0]!;
      const q = queries[0]!;
      compiled = (dims.length > 0 ? q.orderBy(sql.raw(dims.map((d) => DIMENSIONS[d].part).join(', '))) : q).compile();
    } else {
      const union = queries.slice(1).reduce((all, branch) => all.unionAll(branch), queries[0]!);
      // Each table's groups in its dimensions' order (the vocabulary's): the others are null in its rows.
      compiled = union.orderBy(sql.raw(['q', ...DOSSIER_DIMENSIONS.map((d) => DIMENSIONS[d].alias)].join(', '))).compile();
    }
    if (!compiled.parameters.every((p) => p instanceof Slot)) throw new Error('DossierStatsRepository: a value compiled in without its slot');
    return compiled;
  }

  /**
   * The statement of one table, unordered: sums over the parts, grouped by `dims` with the totals
   * as the empty grouping set. `tag` (a branch of `tables`): every dimension selected (null when
   * not grouped by) and the branch's place as `q`.
   */
  private aggregate(dims: readonly DossierDimension[], inputs: Inputs, tag: number | null) {
    const selected = tag === null ? dims : DOSSIER_DIMENSIONS;
    let q = this.db
      .selectFrom(this.parts(dims, inputs).as('parts'))
      .select(tag === null ? [] : [sql.lit(tag).as('q')])
      .select(selected.map((d) => (dims.includes(d) ? DIMENSIONS[d].select : sql`null::${sql.raw(DIMENSIONS[d].type)}`).as(DIMENSIONS[d].alias)))
      .select([
        sql<number>`sum(total)`.as('total'),
        sql<number>`sum(online)`.as('online'),
        sql<number>`sum(resolved)`.as('resolved'),
        sql<number>`sum(on_time)`.as('on_time'),
        sql<number>`sum(overdue)`.as('overdue'),
      ]);
    if (dims.length > 0) {
      const columns = sql.raw(dims.map((d) => DIMENSIONS[d].part).join(', '));
      q = q.select(sql<number>`grouping(${columns})`.as('totals_row')).groupBy(sql`grouping sets ((${columns}), ())`);
    } else if (tag !== null) {
      // Ungrouped: the one row is the totals (as `tableOf` reads a table without dimensions).
      q = q.select(sql<number>`1`.as('totals_row'));
    }
    return q;
  }

  /**
   * The rows to sum, disjoint and together exactly the filtered dossiers (db/rollup-plan.ts):
   * whole months, whole days, open dossiers not yet due at `now` (counted out of `overdue`), and
   * the parts of a day at an admin's bound that is not midnight. Each selects the keys of `dims`
   * only; whole months grouped by neither channel nor status, without a procedure, are read from
   * the month × agency table (a ninth of the rows).
   */
  private parts(dims: readonly DossierDimension[], { agencyId, agencyIds, procedureId, plan, now }: Inputs) {
    const procedure = procedureId !== null;
    const keyConditions = (): Expression<SqlBool>[] => {
      const conditions: Expression<SqlBool>[] = [];
      if (agencyId !== null) conditions.push(sql<boolean>`agency_id = ${agencyId}`);
      if (agencyIds !== null) conditions.push(sql<boolean>`agency_id = any(${agencyIds}::int[])`);
      if (procedure) conditions.push(sql<boolean>`procedure_id = ${procedureId}`);
      return conditions;
    };
    const within = (column: 'day' | 'month', range: DayRange): Expression<SqlBool>[] => [
      ...(range.from === null ? [] : [sql<boolean>`${sql.ref(column)} >= ${range.from}::date`]),
      ...(range.to === null ? [] : [sql<boolean>`${sql.ref(column)} < ${range.to}::date`]),
    ];
    // The grouped keys, in the same order in every part of the union.
    const keys = (monthStart: RawBuilder<string>): Record<string, RawBuilder<unknown>> => ({
      ...(dims.includes('AGENCY') ? { agency_id: sql<number>`agency_id` } : {}),
      ...(dims.includes('CHANNEL') ? { channel: sql<DossierChannel>`channel` } : {}),
      ...(dims.includes('STATUS') ? { status: sql<DossierStatus>`status` } : {}),
      ...(dims.includes('MONTH') ? { month_start: monthStart } : {}),
    });
    const rolled = (monthStart: RawBuilder<string>) => ({
      ...keys(monthStart),
      total: sql<number>`dossiers`,
      online: sql<number>`case when channel = 'ONLINE' then dossiers else 0 end`,
      resolved: sql<number>`case when status in ${RESOLVED} then dossiers else 0 end`,
      on_time: sql<number>`on_time`,
      overdue: sql<number>`closed_late + still_open`,
    });
    const select = (columns: Record<string, RawBuilder<unknown>>) => Object.entries(columns).map(([alias, expression]) => expression.as(alias));

    const queries = [];
    const { months, days } = plan;
    if (months && !procedure && !dims.includes('CHANNEL') && !dims.includes('STATUS')) {
      queries.push(
        this.db
          .selectFrom(MONTH_AGENCY_TABLE)
          .select(
            select({
              ...keys(sql<string>`month`),
              total: sql<number>`dossiers`,
              online: sql<number>`online`,
              resolved: sql<number>`resolved`,
              on_time: sql<number>`on_time`,
              overdue: sql<number>`closed_late + still_open`,
            }),
          )
          .where((eb) => eb.and([...keyConditions(), ...within('month', months)])),
      );
    } else if (months) {
      const table = rollupGrain('month', procedure).table;
      queries.push(this.db.selectFrom(table).select(select(rolled(sql<string>`month`))).where((eb) => eb.and([...keyConditions(), ...within('month', months)])));
    }
    for (const range of plan.dayRanges) {
      const table = rollupGrain('day', procedure).table;
      queries.push(
        this.db.selectFrom(table).select(select(rolled(sql<string>`date_trunc('month', day::timestamp)::date`))).where((eb) => eb.and([...keyConditions(), ...within('day', range)])),
      );
    }
    if (days) {
      // Counted as overdue above while open; those due at or after `now` are not overdue yet.
      queries.push(
        this.db
          .selectFrom(OPEN_DUE_TABLE)
          .select(
            select({
              ...keys(sql<string>`date_trunc('month', day::timestamp)::date`),
              total: sql<number>`0`,
              online: sql<number>`0`,
              resolved: sql<number>`0`,
              on_time: sql<number>`0`,
              overdue: sql<number>`-dossiers`,
            }),
          )
          // The upper bound is for the plan: a cached generic plan (the statement is named,
          // platform/db/connection.ts) estimates `due_at >= $n` alone at a third of the table and
          // scans it all; a two-sided range is estimated at 0.5% and read by the due_at index.
          // The open dossiers not yet due are few (none, when the data is older than now); every
          // timestamp is <= infinity, so the answer is the same.
          .where((eb) => eb.and([...keyConditions(), ...within('day', days), sql<boolean>`due_at >= ${now}`, sql<boolean>`due_at <= 'infinity'`])),
      );
    }
    for (const range of plan.raw) {
      const resolved = sql<boolean>`status in ${RESOLVED}`;
      queries.push(
        this.db
          .selectFrom('dossiers')
          .select(
            select({
              ...keys(sql<string>`date_trunc('month', submitted_at at time zone ${sql.lit(ROLLUP_TIME_ZONE)})::date`),
              total: sql<number>`1`,
              online: sql<number>`(channel = 'ONLINE')::int`,
              resolved: sql<number>`(${resolved})::int`,
              on_time: sql<number>`(${resolved} and completed_at <= due_at)::int`,
              overdue: sql<number>`(${overdueAt(now)})::int`,
            }),
          )
          .where((eb) => eb.and([...keyConditions(), sql<boolean>`submitted_at >= ${range.from}`, sql<boolean>`submitted_at < ${range.to}`])),
      );
    }
    // `tables` sends no branch whose plan has no part.
    return queries.slice(1).reduce((union, part) => union.unionAll(part), queries[0]!);
  }
}

/** What one table's statement is made from; in a template (`slotted`), every value a Slot. */
interface Inputs {
  agencyId: number | null;
  agencyIds: number[] | null;
  procedureId: number | null;
  plan: RollupPlan;
  now: Date;
}

/** One table of a statement: `tag` is its place in a union of several (null: the statement's only table, untagged). */
interface Branch {
  dims: readonly DossierDimension[];
  inputs: Inputs;
  tag: number | null;
}

/** A value compiled into a template: where to read it in the branches of a call (`send`). */
class Slot {
  constructor(
    private readonly branch: number,
    private readonly read: (inputs: Inputs) => unknown,
  ) {}

  valueIn(branches: readonly Branch[]): unknown {
    return this.read(branches[this.branch]!.inputs);
  }
}

/**
 * The inputs of branch `i` with each value a Slot that reads it (null stays null: whether a value
 * is given is part of the shape, `shapeOf`). The builder only tests values for null, so the
 * template built from these is the statement of every call of the same shape.
 */
function slotted(inputs: Inputs, i: number): Inputs {
  const slot = (read: (inputs: Inputs) => unknown) => new Slot(i, read) as never;
  const range = (r: DayRange | null, get: (inputs: Inputs) => DayRange | null): DayRange | null =>
    r && { from: r.from === null ? null : slot((x) => get(x)!.from), to: r.to === null ? null : slot((x) => get(x)!.to) };
  const { plan } = inputs;
  return {
    agencyId: inputs.agencyId === null ? null : slot((x) => x.agencyId),
    agencyIds: inputs.agencyIds === null ? null : slot((x) => x.agencyIds),
    procedureId: inputs.procedureId === null ? null : slot((x) => x.procedureId),
    now: slot((x) => x.now),
    plan: {
      months: range(plan.months, (x) => x.plan.months),
      days: range(plan.days, (x) => x.plan.days),
      dayRanges: plan.dayRanges.map((r, k) => range(r, (x) => x.plan.dayRanges[k]!)!),
      raw: plan.raw.map((_, k) => ({ from: slot((x) => x.plan.raw[k]!.from), to: slot((x) => x.plan.raw[k]!.to) })),
    },
  };
}

/** Everything the statement's text depends on, values aside: what templates are cached by. */
function shapeOf({ dims, inputs, tag }: Branch): string {
  const ends = (r: DayRange | null) => (r ? `${r.from === null ? '_' : 'f'}${r.to === null ? '_' : 't'}` : '-');
  const { plan } = inputs;
  const given = (value: unknown) => (value === null ? '_' : 'x');
  return [tag ?? '', dims.join(','), given(inputs.agencyId) + given(inputs.agencyIds) + given(inputs.procedureId), ends(plan.months), plan.dayRanges.map(ends).join(','), ends(plan.days), plan.raw.length].join('|');
}

/** Compiled statements per source (its schema plugin: one per source connection) and shape. */
const TEMPLATES = new WeakMap<object, Map<string, CompiledQuery>>();
/** Sources without a schema plugin (none today) share one entry. */
const NO_SCHEMA = {};
/** A bound on shapes per source (a dashboard asks a handful); past it, compiled per call. */
const MAX_SHAPES = 256;

/** A table from its statement's rows (`dims` in the vocabulary's order, rows in their order). */
function tableOf(dims: readonly DossierDimension[], rows: readonly DossierGroupRow[]): DossierRatesTable {
  const totalsRow = dims.length === 0 ? rows[0] : rows.find((row) => Number(row.totals_row) !== 0);
  const groups = dims.length === 0 ? [] : rows.filter((row) => Number(row.totals_row) === 0);
  const { agencyId: _a, month: _m, channel: _c, status: _s, ...totals } = ratesOf(totalsRow);
  return { totals, groups: groups.map(ratesOf) };
}

function ratesOf(row: DossierGroupRow | undefined): DossierGroupRates {
  const total = Number(row?.total ?? 0);
  const online = Number(row?.online ?? 0);
  const resolved = Number(row?.resolved ?? 0);
  const onTime = Number(row?.on_time ?? 0);
  const overdue = Number(row?.overdue ?? 0);
  return {
    agencyId: row?.agency_id ?? null,
    month: row?.month ?? null,
    channel: row?.channel ?? null,
    status: row?.status ?? null,
    total,
    online,
    resolved,
    onTime,
    overdue,
    onlineRate: ratio(online, total),
    onTimeRate: ratio(onTime, resolved),
    overdueRate: ratio(overdue, total),
  };
}

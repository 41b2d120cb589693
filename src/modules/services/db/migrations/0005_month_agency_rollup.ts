import { sql, type Kysely, type Migration } from 'kysely';
import { RESOLVED_STATUSES } from '../vocabulary.js';
import { MONTH_AGENCY_COUNTS, MONTH_AGENCY_TABLE } from '../rollups.js';
import { createRollupFunctions } from './0003_statistics_rollups.js';

const SCHEMA = 'services';
const MONTH_AGENCY = { monthAgency: true };

/**
 * The month × agency rollup (db/rollups.ts), filled from `dossier_rollup_month` (the same
 * dossiers, summed over channel and status: a few thousand rows, not a scan of the dossiers).
 * Exported for the test that checks it against the rebuild from the dossiers.
 */
export const FILL_MONTH_AGENCY = `insert into ${SCHEMA}.${MONTH_AGENCY_TABLE} (month, agency_id, ${MONTH_AGENCY_COUNTS.join(', ')})
  select month, agency_id, sum(dossiers),
    sum(case when channel = 'ONLINE' then dossiers else 0 end),
    sum(case when status in (${RESOLVED_STATUSES.map((s) => `'${s}'`).join(', ')}) then dossiers else 0 end),
    sum(on_time), sum(closed_late), sum(still_open)
  from ${SCHEMA}.dossier_rollup_month group by 1, 2 order by 1, 2`;

/*
 * Issue 14: the dashboard's groupings by month and by agency summed dossier_rollup_month's rows
 * (one per channel and status too) twice per request; this table holds a ninth of them. The
 * triggers' functions are replaced by ones that also keep it, in the same statement as the others.
 */
export const monthAgencyRollup: Migration = {
  async up(root: Kysely<unknown>) {
    // Writers wait until this migration commits (it runs in one transaction): none is counted
    // between the fill and the new functions, or twice.
    await sql.raw(`lock table ${SCHEMA}.dossiers in share row exclusive mode`).execute(root);
    const db = root.withSchema(SCHEMA);
    let table = db.schema.createTable(MONTH_AGENCY_TABLE).addColumn('month', 'date', (c) => c.notNull()).addColumn('agency_id', 'integer', (c) => c.notNull());
    for (const count of MONTH_AGENCY_COUNTS) table = table.addColumn(count, 'integer', (c) => c.notNull());
    await table.addPrimaryKeyConstraint(`${MONTH_AGENCY_TABLE}_pkey`, ['month', 'agency_id']).execute();
    // Emptied groups are found by this (almost always empty) index, not by a scan.
    await db.schema.createIndex(`${MONTH_AGENCY_TABLE}_empty_idx`).on(MONTH_AGENCY_TABLE).columns(['month', 'agency_id']).where(sql.ref('dossiers'), '=', 0).execute();
    await createRollupFunctions(root, MONTH_AGENCY, true);
    await sql.raw(FILL_MONTH_AGENCY).execute(root);
    await sql.raw(`analyze ${SCHEMA}.${MONTH_AGENCY_TABLE}`).execute(root);
  },
};

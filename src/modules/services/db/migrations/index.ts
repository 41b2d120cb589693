import type { Migration } from 'kysely';
import { init } from './0001_init.js';
import { vietnameseOrder } from './0002_vietnamese_order.js';
import { statisticsRollups } from './0003_statistics_rollups.js';
import { changeNotifications } from './0004_change_notifications.js';
import { monthAgencyRollup } from './0005_month_agency_rollup.js';

/** Ordered by name; applied ones are recorded in `services.kysely_migration`. */
export const migrations: Record<string, Migration> = {
  '0001_init': init,
  '0002_vietnamese_order': vietnameseOrder,
  '0003_statistics_rollups': statisticsRollups,
  '0004_change_notifications': changeNotifications,
  '0005_month_agency_rollup': monthAgencyRollup,
};

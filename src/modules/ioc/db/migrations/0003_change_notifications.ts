import type { Kysely, Migration } from 'kysely';
import { notifyChanges } from '../../../../platform/db/notifications.js';

const SCHEMA = 'ioc';

/** Live dashboard (issue 16): a NOTIFY per statement that inserts or updates observations or indicators. */
export const changeNotifications: Migration = {
  async up(root: Kysely<unknown>) {
    await notifyChanges(root, SCHEMA, ['observations', 'indicators']);
  },
};

import type { Kysely, Migration } from 'kysely';
import { notifyChanges } from '../../../../platform/db/notifications.js';

const SCHEMA = 'services';

/** Live dashboard (issue 16): a NOTIFY per statement that inserts or updates dossiers (what the statistics count). */
export const changeNotifications: Migration = {
  async up(root: Kysely<unknown>) {
    await notifyChanges(root, SCHEMA, ['dossiers']);
  },
};

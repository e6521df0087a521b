import { sql } from 'kysely';
import type { Migration } from './index.js';

/**
 * Who started a job (team mode): a department or leader account sees only its own jobs, and a build a restart
 * cut off is run again in its requester's name (its history rows name them). Jobs from before have none.
 */
export const jobActor: Migration = {
  name: 'job-actor',
  async up(db) {
    await sql`ALTER TABLE jobs ADD COLUMN actor TEXT`.execute(db.k);
  },
};

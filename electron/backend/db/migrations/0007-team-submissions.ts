import { sql } from 'kysely';
import type { Migration } from './index.js';

/**
 * Team mode: an item submitted by a department (upload into its requirement, or a collection kit) carries the
 * department, who submitted it and where it stands in the office's review; history rows name who acted. Items
 * stored on the desktop leave all of these empty (no review: the office's own files are filed as they are).
 */
export const teamSubmissions: Migration = {
  name: 'team-submissions',
  async up(db) {
    await sql`ALTER TABLE evidence ADD COLUMN review_state TEXT`.execute(db.k);
    await sql`ALTER TABLE evidence ADD COLUMN department TEXT`.execute(db.k);
    await sql`ALTER TABLE evidence ADD COLUMN submitted_by TEXT`.execute(db.k);
    await sql`ALTER TABLE evidence ADD COLUMN review_comment TEXT`.execute(db.k);
    await sql`CREATE INDEX evidence_review ON evidence(review_state, department)`.execute(db.k);
    await sql`ALTER TABLE history ADD COLUMN actor TEXT`.execute(db.k);
  },
};

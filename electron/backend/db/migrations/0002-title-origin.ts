import { sql } from 'kysely';
import type { Migration } from './index.js';

/** Where a title came from, so self-made titles can be bracketed in the catalogue (GB/T 9705). */
export const titleOrigin: Migration = {
  name: 'title-origin',
  async up(db) {
    await sql`ALTER TABLE evidence ADD COLUMN title_origin TEXT`.execute(db.k);
  },
};

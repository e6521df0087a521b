import { sql } from 'kysely';
import type { Migration } from './index.js';

/**
 * Team workflow: due dates of what departments owe, and the collection kits handed out to departments off the
 * network. A deadline for everything a department owes keeps '' as its indicator and requirement (a primary key
 * cannot hold NULL on both engines alike); the most specific deadline applies. A kit's folders are kept with it, so
 * a returned kit is filed by what the office handed out, not only by what its manifest says.
 */
export const deadlinesKits: Migration = {
  name: 'deadlines-kits',
  async up(db) {
    await sql`CREATE TABLE deadlines (
      department TEXT NOT NULL,
      indicator TEXT NOT NULL DEFAULT '',
      requirement TEXT NOT NULL DEFAULT '',
      due TEXT NOT NULL,
      PRIMARY KEY (department, indicator, requirement)
    )`.execute(db.k);
    await sql`CREATE TABLE kits (
      id TEXT PRIMARY KEY,
      department TEXT NOT NULL,
      folders TEXT NOT NULL,
      created_at TEXT NOT NULL,
      created_by TEXT
    )`.execute(db.k);
  },
};

import { sql } from 'kysely';
import type { Migration } from './index.js';

/**
 * Ledgers as data (issue 10): one row per sheet of a spreadsheet item, with the kind and column mapping that was
 * detected or that the user set (a user mapping is never replaced by detection), and the parsed rows as JSON. The
 * source key (the original's SHA-256 and the parser version) says when a sheet must be read again.
 */
export const ledgers: Migration = {
  name: 'ledgers',
  async up(db) {
    // PostgreSQL's REAL is 4 bytes: DOUBLE PRECISION reads a confidence back exactly as written (as in 0001).
    const float = db.engine === 'postgres' ? sql.raw('DOUBLE PRECISION') : sql.raw('REAL');
    await sql`CREATE TABLE ledger_sheets (
      evidence_id INTEGER NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
      sheet TEXT NOT NULL,
      position INTEGER NOT NULL,
      source_key TEXT NOT NULL,
      kind TEXT,
      mapping TEXT NOT NULL,
      mapping_origin TEXT NOT NULL,
      user_mapping TEXT,
      confidence ${float} NOT NULL,
      header_rows TEXT NOT NULL,
      row_count INTEGER NOT NULL,
      rows TEXT NOT NULL,
      problem TEXT,
      parsed_at TEXT NOT NULL,
      PRIMARY KEY (evidence_id, sheet)
    )`.execute(db.k);
  },
};

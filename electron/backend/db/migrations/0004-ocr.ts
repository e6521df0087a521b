import { sql } from 'kysely';
import type { Migration } from './index.js';

/**
 * Offline OCR of scans and photographed documents: where an item's text came from, the background state, the
 * engine's confidence and why it failed. Items stored before OCR existed get their text source, and their scans
 * and pictures are queued so that `binder ocr` or the app reads them.
 */
export const ocr: Migration = {
  name: 'ocr',
  async up(db) {
    // PostgreSQL's REAL is 4 bytes: DOUBLE PRECISION reads a confidence back exactly as written (as in 0001).
    const float = db.engine === 'postgres' ? sql.raw('DOUBLE PRECISION') : sql.raw('REAL');
    await sql`ALTER TABLE evidence ADD COLUMN text_source TEXT`.execute(db.k);
    await sql`ALTER TABLE evidence ADD COLUMN ocr_state TEXT`.execute(db.k);
    await sql`ALTER TABLE evidence ADD COLUMN ocr_confidence ${float}`.execute(db.k);
    await sql`ALTER TABLE evidence ADD COLUMN ocr_error TEXT`.execute(db.k);
    await sql`UPDATE evidence SET text_source = CASE
      WHEN EXISTS (SELECT 1 FROM evidence_text t WHERE t.evidence_id = evidence.id AND trim(t.text) <> '') THEN 'text' ELSE 'none' END`.execute(db.k);
    await sql`UPDATE evidence SET ocr_state = 'pending'
      WHERE readability = 'ok' AND ((format = 'pdf' AND scanned = 1) OR format IN ('jpeg', 'png', 'gif', 'bmp', 'tiff', 'webp'))`.execute(db.k);
  },
};

import { sql } from 'kysely';
import type { Evidence, EvidenceLink, FileFormat, OcrState, Origin, PhotoCaption, PhotoInfo, Readability, ReviewState, TextSource } from '../../../shared/domain/types.js';
import type { ReadableDb, WritableDb } from './connection.js';
import type { EvidenceColumn, EvidenceRow } from './schema.js';

/**
 * The one map between Evidence fields and stored columns, with how each value is encoded. Insert, update and
 * undo all go through it, so a field can never be written one way and read back another.
 */
const FIELD_COLUMNS = {
  sha256: 'sha256',
  size: 'size',
  originalName: 'original_name',
  source: 'source',
  format: 'format',
  type: 'type',
  typeOrigin: 'type_origin',
  typeConfidence: 'type_confidence',
  title: 'title',
  titleOrigin: 'title_origin',
  docNumber: 'doc_number',
  issuer: 'issuer',
  date: 'date',
  dateOrigin: 'date_origin',
  pages: 'pages',
  scanned: 'scanned',
  readability: 'readability',
  readError: 'read_error',
  photo: 'photo',
  caption: 'caption',
  fingerprint: 'fingerprint',
  note: 'note',
  isCopy: 'is_copy',
  textSource: 'text_source',
  ocrState: 'ocr_state',
  ocrConfidence: 'ocr_confidence',
  ocrError: 'ocr_error',
  reviewState: 'review_state',
  department: 'department',
  submittedBy: 'submitted_by',
  reviewComment: 'review_comment',
} as const satisfies Partial<Record<keyof Evidence, EvidenceColumn>>;

export type StoredField = keyof typeof FIELD_COLUMNS;
type FieldValues = { [F in StoredField]?: Evidence[F] | null };

function encode(field: StoredField, value: unknown): unknown {
  if (value === undefined || value === null) return field === 'isCopy' ? 0 : null;
  switch (field) {
    case 'photo':
    case 'caption':
      return JSON.stringify(value);
    case 'isCopy':
    case 'scanned':
      return value ? 1 : 0;
    default:
      return value;
  }
}

/** Evidence fields → the columns they are stored in (only the fields given). */
export function encodeFields(values: FieldValues): Partial<EvidenceRow> {
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values) as [StoredField, unknown][]) {
    if (field in FIELD_COLUMNS) out[FIELD_COLUMNS[field]] = encode(field, value);
  }
  return out as Partial<EvidenceRow>;
}

export type NewEvidenceRow = FieldValues &
  Pick<Evidence, 'sha256' | 'size' | 'originalName' | 'source' | 'format' | 'type' | 'typeOrigin' | 'typeConfidence' | 'title' | 'readability'> & {
    ext: string;
  };

export async function insertEvidence(db: WritableDb, input: NewEvidenceRow, text: string, at: string): Promise<number> {
  const row = await db.k
    .insertInto('evidence')
    .values({
      ...(encodeFields(input) as NewEvidenceRow & EvidenceRow),
      ext: input.ext,
      user_fields: '[]',
      imported_at: at,
      updated_at: at,
      deleted_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.k.insertInto('evidence_text').values({ evidence_id: row.id, text }).execute();
  // A new row has no index entry yet, and its values are at hand: no need to read them back as an edit does.
  if (db.engine === 'sqlite') await insertSearchEntry(db, row.id, { title: input.title, docNumber: input.docNumber, issuer: input.issuer, originalName: input.originalName }, text);
  return row.id;
}

/** Writes stored column values as they are (updates, and undo writing back the values it recorded). */
export async function setColumns(db: WritableDb, id: number, values: Partial<EvidenceRow>): Promise<void> {
  const { id: _id, ...rest } = values;
  if (!Object.keys(rest).length) return;
  await db.k.updateTable('evidence').set(rest).where('id', '=', id).execute();
}

export async function getRow(db: ReadableDb, id: number): Promise<EvidenceRow | undefined> {
  return db.k.selectFrom('evidence').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listRows(db: ReadableDb, options: { trash?: boolean } = {}): Promise<EvidenceRow[]> {
  return db.k
    .selectFrom('evidence')
    .selectAll()
    .where('deleted_at', options.trash ? 'is not' : 'is', null)
    .orderBy('id')
    .execute();
}

export async function findBySha(db: ReadableDb, sha256: string): Promise<{ id: number; source: string; deleted: boolean; ext: string; originalName: string } | undefined> {
  const row = await db.k
    .selectFrom('evidence')
    .select(['id', 'source', 'deleted_at', 'ext', 'original_name'])
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  return row ? { id: row.id, source: row.source, deleted: row.deleted_at != null, ext: row.ext, originalName: row.original_name } : undefined;
}

/** Live items whose OCR is pending, or was running when the app closed (taken up again), oldest first. */
export async function ocrCandidates(db: ReadableDb): Promise<{ id: number; sha256: string; format: FileFormat; originalName: string }[]> {
  const rows = await db.k
    .selectFrom('evidence')
    .select(['id', 'sha256', 'format', 'original_name'])
    .where('deleted_at', 'is', null)
    .where('ocr_state', 'in', ['pending', 'running'])
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, sha256: r.sha256, format: r.format as FileFormat, originalName: r.original_name }));
}

export async function countEvidence(db: ReadableDb): Promise<{ live: number; trash: number }> {
  const rows = await db.k
    .selectFrom('evidence')
    .select((eb) => [sql<boolean>`deleted_at IS NULL`.as('live'), eb.fn.countAll<number | string>().as('n')])
    .groupBy(sql`deleted_at IS NULL`)
    .execute();
  // PostgreSQL returns count(*) as a string (bigint).
  const count = (live: boolean) => Number(rows.find((r) => Boolean(Number(r.live)) === live)?.n ?? 0);
  return { live: count(true), trash: count(false) };
}

export async function textOf(db: ReadableDb, id: number): Promise<string> {
  const row = await db.k.selectFrom('evidence_text').select('text').where('evidence_id', '=', id).executeTakeFirst();
  return row?.text ?? '';
}

export async function textsOf(db: ReadableDb, ids: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.k.selectFrom('evidence_text').select(['evidence_id', 'text']).where('evidence_id', 'in', ids.slice(i, i + 500)).execute();
    for (const row of rows) out.set(row.evidence_id, row.text);
  }
  return out;
}

export async function setText(db: WritableDb, id: number, text: string): Promise<void> {
  await db.k
    .insertInto('evidence_text')
    .values({ evidence_id: id, text })
    .onConflict((oc) => oc.column('evidence_id').doUpdateSet({ text }))
    .execute();
  await refreshSearchIndex(db, id);
}

/**
 * Keeps SQLite's FTS5 trigram index in step with title, 文号, 责任者, file name and text. PostgreSQL searches the
 * tables themselves (pg_trgm indexes), so there is nothing to refresh there.
 */
export async function refreshSearchIndex(db: WritableDb, id: number): Promise<void> {
  if (db.engine !== 'sqlite') return;
  const row = await getRow(db, id);
  await sql`DELETE FROM evidence_fts WHERE rowid = ${id}`.execute(db.k);
  if (!row) return;
  const text = await textOf(db, id);
  await insertSearchEntry(db, id, { title: row.title, docNumber: row.doc_number, issuer: row.issuer, originalName: row.original_name }, text);
}

type SearchFields = { title: string; docNumber?: string | null; issuer?: string | null; originalName: string };

async function insertSearchEntry(db: WritableDb, id: number, f: SearchFields, text: string): Promise<void> {
  await sql`INSERT INTO evidence_fts (rowid, title, doc_number, issuer, original_name, body)
    VALUES (${id}, ${f.title}, ${f.docNumber ?? ''}, ${f.issuer ?? ''}, ${f.originalName}, ${text})`.execute(db.k);
}

/**
 * Chinese substring search over title, 文号, 责任者, file name and text, any query length, live items only.
 * SQLite: FTS5 trigram for 3+ characters (it cannot match fewer: environment.md), LIKE below that.
 * PostgreSQL: ILIKE, which pg_trgm's GIN indexes serve for 3+ characters. Both match case-insensitively.
 */
export async function searchIds(db: ReadableDb, query: string): Promise<number[]> {
  const q = query.trim();
  if (!q) return [];
  if (db.engine === 'sqlite' && [...q].length >= 3) {
    const phrase = `"${q.replace(/"/g, '""')}"`;
    const { rows } = await sql<{ id: number }>`SELECT rowid AS id FROM evidence_fts WHERE evidence_fts MATCH ${phrase}
      AND rowid IN (SELECT id FROM evidence WHERE deleted_at IS NULL) ORDER BY rowid`.execute(db.k);
    return rows.map((r) => r.id);
  }
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const like = db.engine === 'sqlite' ? sql.raw('LIKE') : sql.raw('ILIKE');
  const { rows } = await sql<{ id: number }>`SELECT e.id FROM evidence e LEFT JOIN evidence_text t ON t.evidence_id = e.id
    WHERE e.deleted_at IS NULL AND (e.title ${like} ${pattern} ESCAPE '\\' OR e.doc_number ${like} ${pattern} ESCAPE '\\'
      OR e.issuer ${like} ${pattern} ESCAPE '\\' OR e.original_name ${like} ${pattern} ESCAPE '\\' OR t.text ${like} ${pattern} ESCAPE '\\')
    ORDER BY e.id`.execute(db.k);
  return rows.map((r) => r.id);
}

/** A stored row as the domain's Evidence (links given separately). */
export function rowToEvidence(row: EvidenceRow, links: EvidenceLink[]): Evidence {
  const ev: Evidence = {
    id: row.id,
    sha256: row.sha256,
    size: row.size,
    originalName: row.original_name,
    source: row.source,
    format: row.format as FileFormat,
    type: row.type as Evidence['type'],
    typeOrigin: row.type_origin as Origin,
    typeConfidence: row.type_confidence,
    title: row.title,
    readability: row.readability as Readability,
    links,
    importedAt: row.imported_at,
    updatedAt: row.updated_at,
  };
  if (row.title_origin) ev.titleOrigin = row.title_origin as Evidence['titleOrigin'];
  if (row.doc_number) ev.docNumber = row.doc_number;
  if (row.issuer) ev.issuer = row.issuer;
  if (row.date) ev.date = row.date;
  if (row.date_origin) ev.dateOrigin = row.date_origin as Evidence['dateOrigin'];
  if (row.pages != null) ev.pages = row.pages;
  if (row.scanned != null) ev.scanned = row.scanned === 1;
  if (row.read_error) ev.readError = row.read_error;
  if (row.photo) ev.photo = JSON.parse(row.photo) as PhotoInfo;
  if (row.caption) ev.caption = JSON.parse(row.caption) as PhotoCaption;
  if (row.fingerprint) ev.fingerprint = row.fingerprint;
  if (row.note) ev.note = row.note;
  if (row.is_copy) ev.isCopy = true;
  if (row.text_source) ev.textSource = row.text_source as TextSource;
  if (row.ocr_state) ev.ocrState = row.ocr_state as OcrState;
  if (row.ocr_confidence != null) ev.ocrConfidence = row.ocr_confidence;
  if (row.ocr_error) ev.ocrError = row.ocr_error;
  if (row.review_state) ev.reviewState = row.review_state as ReviewState;
  if (row.department) ev.department = row.department;
  if (row.submitted_by) ev.submittedBy = row.submitted_by;
  if (row.review_comment) ev.reviewComment = row.review_comment;
  return ev;
}

/** The stored columns that differ between two versions of a row, as [before, after] (history, undo). */
export function diffRows(before: EvidenceRow, after: EvidenceRow): Partial<Record<EvidenceColumn, [unknown, unknown]>> {
  const out: Partial<Record<EvidenceColumn, [unknown, unknown]>> = {};
  for (const column of Object.keys(after) as (keyof EvidenceRow)[]) {
    // updated_at changes with every edit and is not something to undo.
    if (column === 'id' || column === 'updated_at') continue;
    if (before[column] !== after[column]) out[column] = [before[column], after[column]];
  }
  return out;
}

/** Consistency figures of the stored metadata (crash tests, a future 数据检查): all rows, orphans, index size. */
export async function integrity(db: ReadableDb): Promise<{ evidenceRows: number; orphanLinks: number; orphanTexts: number; searchRows: number | null }> {
  const count = async (query: ReturnType<typeof sql<{ n: number | string }>>) => Number((await query.execute(db.k)).rows[0]?.n ?? 0);
  return {
    evidenceRows: await count(sql`SELECT COUNT(*) AS n FROM evidence`),
    orphanLinks: await count(sql`SELECT COUNT(*) AS n FROM links WHERE evidence_id NOT IN (SELECT id FROM evidence)`),
    orphanTexts: await count(sql`SELECT COUNT(*) AS n FROM evidence_text WHERE evidence_id NOT IN (SELECT id FROM evidence)`),
    // PostgreSQL searches the tables themselves: there is no separate index to count.
    searchRows: db.engine === 'sqlite' ? await count(sql`SELECT COUNT(*) AS n FROM evidence_fts`) : null,
  };
}

import type { RectificationItem, RectificationStatus } from '../../../shared/rectification/types.js';
import type { Selectable } from 'kysely';
import type { ReadableDb, WritableDb } from './connection.js';
import type { RectificationItemTable } from './schema.js';

/** An item as stored, without its id: what history keeps to undo an add or an edit. */
export type RectificationRecord = Omit<RectificationItem, 'id'>;

type ItemRow = Selectable<RectificationItemTable>;

function toItem(row: ItemRow, evidence: number[]): RectificationItem {
  return {
    id: row.id,
    text: row.text,
    source: row.source,
    indicator: row.indicator,
    department: row.department,
    due: row.due_date,
    status: row.status as RectificationStatus,
    evidence,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}

function toRow(record: RectificationRecord): Omit<ItemRow, 'id'> {
  return {
    text: record.text,
    source: record.source,
    indicator: record.indicator,
    department: record.department,
    due_date: record.due,
    status: record.status,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    closed_at: record.closedAt,
  };
}

/** Every item in id order (the order they were found), with its evidence ids ascending. */
export async function listRectification(db: ReadableDb): Promise<RectificationItem[]> {
  const rows = await db.k.selectFrom('rectification_items').selectAll().orderBy('id', 'asc').execute();
  const links = await db.k.selectFrom('rectification_evidence').selectAll().orderBy('item_id').orderBy('evidence_id').execute();
  const byItem = new Map<number, number[]>();
  for (const link of links) byItem.set(link.item_id, [...(byItem.get(link.item_id) ?? []), link.evidence_id]);
  return rows.map((row) => toItem(row, byItem.get(row.id) ?? []));
}

export async function getRectification(db: ReadableDb, id: number): Promise<RectificationItem | null> {
  const row = await db.k.selectFrom('rectification_items').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const links = await db.k.selectFrom('rectification_evidence').select('evidence_id').where('item_id', '=', id).orderBy('evidence_id').execute();
  return toItem(row, links.map((l) => l.evidence_id));
}

async function writeEvidence(db: WritableDb, id: number, evidence: number[]): Promise<void> {
  await db.k.deleteFrom('rectification_evidence').where('item_id', '=', id).execute();
  for (const evidenceId of [...new Set(evidence)]) await db.k.insertInto('rectification_evidence').values({ item_id: id, evidence_id: evidenceId }).execute();
}

/** Inserts an item (with `id` when undo brings a deleted one back) and returns its id. */
export async function insertRectification(db: WritableDb, record: RectificationRecord, id?: number): Promise<number> {
  const row = await db.k
    .insertInto('rectification_items')
    .values({ ...toRow(record), ...(id !== undefined ? { id } : {}) })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeEvidence(db, row.id, record.evidence);
  return row.id;
}

/** Writes every field and the evidence list of an existing item. */
export async function putRectification(db: WritableDb, id: number, record: RectificationRecord): Promise<void> {
  await db.k.updateTable('rectification_items').set(toRow(record)).where('id', '=', id).execute();
  await writeEvidence(db, id, record.evidence);
}

export async function deleteRectification(db: WritableDb, id: number): Promise<void> {
  await db.k.deleteFrom('rectification_evidence').where('item_id', '=', id).execute();
  await db.k.deleteFrom('rectification_items').where('id', '=', id).execute();
}

import type { TargetValue, WorkspaceSettings } from '../../../shared/domain/types.js';
import type { UserMapping } from '../../../shared/ledger/table.js';
import { currentActor } from '../team/actor.js';
import type { ReadableDb, WritableDb } from './connection.js';
import type { RectificationRecord } from './rectification.js';
import type { EvidenceColumn } from './schema.js';

/** A link as stored, for history and undo. */
export type LinkRecord = { indicator: string; requirement: string | null; origin: string; confidence: number };

/** Stored column values before and after a change; undo writes the first back through the same column map. */
export type ColumnChanges = Partial<Record<EvidenceColumn, [unknown, unknown]>>;

export type TargetRecord = Pick<TargetValue, 'target' | 'actual'> & { source: string | null };

/** Everything that changes a workspace, as recorded; one user action writes one batch of events. */
export type HistoryEvent =
  | { action: 'import'; evidenceId: number; source: string; sha256: string; type: string; indicators: string[] }
  | { action: 'update'; evidenceId: number; changes: ColumnChanges }
  | { action: 'link'; evidenceId: number; indicator: string; requirement: string | null; before: LinkRecord | null }
  | { action: 'unlink'; evidenceId: number; indicator: string; before: LinkRecord }
  | { action: 'accept'; evidenceId: number; changes: ColumnChanges; linksBefore: LinkRecord[] | null }
  | { action: 'reclassify'; evidenceId: number; changes: ColumnChanges; linksBefore: LinkRecord[]; linksAfter: LinkRecord[] }
  | { action: 'delete'; evidenceId: number }
  | { action: 'restore'; evidenceId: number; deletedAt: string | null }
  | { action: 'targets'; id: string; before: TargetRecord; after: TargetRecord }
  | { action: 'settings'; before: WorkspaceSettings | null; after: WorkspaceSettings }
  /** 整改 items: added (undo removes it), or changed — closed, verified, edited (undo writes `before` back). */
  | { action: 'rectify-add'; itemId: number; after: RectificationRecord }
  | { action: 'rectify-change'; itemId: number; change: 'close' | 'verify' | 'edit'; before: RectificationRecord; after: RectificationRecord }
  /** Team workflow: a submission accepted (filed as the office's own) or returned with a comment. */
  | { action: 'review-accept'; evidenceId: number; changes: ColumnChanges; linksBefore: LinkRecord[] }
  | { action: 'review-return'; evidenceId: number; changes: ColumnChanges }
  /** A department's due date set or removed (null). */
  | { action: 'deadline'; department: string; indicator: string | null; requirement: string | null; before: string | null; after: string | null }
  /** A collection kit handed out (not undoable: the zip has left the office). */
  | { action: 'kit'; kitId: string; department: string; folders: number }
  /** A sheet's kind and columns set by hand (ledgers.map); undo puts back the user's mapping before, or detection. */
  | { action: 'ledger-map'; evidenceId: number; sheet: string; kindTitle: string; before: UserMapping | null; after: UserMapping };

export type HistoryAction = HistoryEvent['action'];

/** Actions the workbench's 撤销 can revert (an import is undone by deleting; settings are edited again). */
export const UNDOABLE_ACTIONS = ['update', 'link', 'unlink', 'accept', 'reclassify', 'delete', 'restore', 'targets', 'rectify-add', 'rectify-change', 'review-accept', 'review-return', 'deadline', 'ledger-map'] as const satisfies readonly HistoryAction[];

/** `actor`: who did it, in team mode. */
export type HistoryEntry = { id: number; at: string; batch: number; undone: boolean; event: HistoryEvent; actor?: string };

function evidenceIdOf(event: HistoryEvent): number | null {
  return 'evidenceId' in event ? event.evidenceId : null;
}

/** Records one user action (any number of events) as one batch; returns the batch number. */
export async function appendHistory(db: WritableDb, events: HistoryEvent[], at: string): Promise<number | null> {
  if (!events.length) return null;
  const actor = currentActor()?.name ?? null;
  let batch: number | null = null;
  for (const event of events) {
    const row = await db.k
      .insertInto('history')
      .values({ at, action: event.action, evidence_id: evidenceIdOf(event), detail: JSON.stringify(event), batch, undone: 0, actor })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (batch == null) {
      batch = row.id;
      await db.k.updateTable('history').set({ batch }).where('id', '=', batch).execute();
    }
  }
  return batch;
}

type HistoryRow = { id: number; at: string; detail: string; batch: number | null; undone: number; actor: string | null };

function toEntry(row: HistoryRow): HistoryEntry {
  const entry: HistoryEntry = { id: row.id, at: row.at, batch: row.batch ?? row.id, undone: row.undone === 1, event: JSON.parse(row.detail) as HistoryEvent };
  if (row.actor) entry.actor = row.actor;
  return entry;
}

export async function listHistory(db: ReadableDb, limit: number): Promise<HistoryEntry[]> {
  const rows = await db.k.selectFrom('history').select(['id', 'at', 'detail', 'batch', 'undone', 'actor']).orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toEntry);
}

/**
 * The newest batch that 撤销 can revert, oldest event first; empty when there is nothing to undo. With `actor`
 * (team mode) only that user's batches count: nobody undoes another user's work.
 */
export async function lastUndoableBatch(db: ReadableDb, actor?: string): Promise<HistoryEntry[]> {
  let query = db.k
    .selectFrom('history')
    .select('batch')
    .where('undone', '=', 0)
    .where('action', 'in', [...UNDOABLE_ACTIONS]);
  if (actor !== undefined) query = query.where('actor', '=', actor);
  const last = await query.orderBy('id', 'desc').limit(1).executeTakeFirst();
  if (last?.batch == null) return [];
  const rows = await db.k
    .selectFrom('history')
    .select(['id', 'at', 'detail', 'batch', 'undone', 'actor'])
    .where('batch', '=', last.batch)
    .orderBy('id', 'asc')
    .execute();
  return rows.map(toEntry);
}

export async function markUndone(db: WritableDb, batch: number): Promise<void> {
  await db.k.updateTable('history').set({ undone: 1 }).where('batch', '=', batch).execute();
}

/** "evidenceId:indicator" for every link the user removed by hand (never suggested again), undone removals excepted. */
export async function linksRemovedByUser(db: ReadableDb): Promise<Set<string>> {
  const rows = await db.k.selectFrom('history').select('detail').where('action', '=', 'unlink').where('undone', '=', 0).execute();
  const out = new Set<string>();
  for (const row of rows) {
    const event = JSON.parse(row.detail) as HistoryEvent;
    if (event.action === 'unlink') out.add(`${event.evidenceId}:${event.indicator}`);
  }
  return out;
}

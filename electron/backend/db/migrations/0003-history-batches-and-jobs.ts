import { sql } from 'kysely';
import type { WorkspaceSettings } from '../../../../shared/domain/types.js';
import type { ColumnChanges, HistoryEvent, LinkRecord } from '../history.js';
import type { EvidenceColumn } from '../schema.js';
import type { Migration } from './index.js';

/** Field names the first versions wrote in update events, and the columns they stand for. */
const LEGACY_FIELD_COLUMNS: Record<string, EvidenceColumn> = {
  type: 'type',
  title: 'title',
  docNumber: 'doc_number',
  issuer: 'issuer',
  date: 'date',
  caption: 'caption',
  note: 'note',
  isCopy: 'is_copy',
};

type LegacyLink = { indicator?: unknown; requirement?: unknown; origin?: unknown; confidence?: unknown };

function legacyLink(value: unknown, indicator: string): LinkRecord | null {
  if (!value || typeof value !== 'object') return null;
  const link = value as LegacyLink;
  return {
    indicator: typeof link.indicator === 'string' ? link.indicator : indicator,
    requirement: typeof link.requirement === 'string' ? link.requirement : null,
    origin: typeof link.origin === 'string' ? link.origin : 'suggested',
    confidence: typeof link.confidence === 'number' ? link.confidence : 0,
  };
}

/**
 * Turns a version-1 history row (an untyped detail bag) into a typed HistoryEvent. Exported for its test.
 * Legacy accept rows did not keep the links as they were, so they cannot be undone (linksBefore: null).
 */
export function legacyEvent(action: string, evidenceId: number | null, detail: Record<string, unknown>, at: string): HistoryEvent | null {
  const id = evidenceId ?? 0;
  switch (action) {
    case 'import':
      return {
        action,
        evidenceId: id,
        source: String(detail.source ?? ''),
        sha256: String(detail.sha256 ?? ''),
        type: String(detail.type ?? ''),
        indicators: Array.isArray(detail.indicators) ? detail.indicators.map(String) : [],
      };
    case 'update': {
      const changes: ColumnChanges = {};
      for (const [field, pair] of Object.entries(detail)) {
        const column = LEGACY_FIELD_COLUMNS[field];
        if (column && Array.isArray(pair) && pair.length === 2) changes[column] = [pair[0], pair[1]];
      }
      return { action, evidenceId: id, changes };
    }
    case 'link': {
      const indicator = String(detail.indicator ?? '');
      return { action, evidenceId: id, indicator, requirement: typeof detail.requirement === 'string' ? detail.requirement : null, before: legacyLink(detail.before, indicator) };
    }
    case 'unlink': {
      const indicator = String(detail.indicator ?? '');
      const before = legacyLink(detail.before, indicator) ?? { indicator, requirement: null, origin: 'user', confidence: 1 };
      return { action, evidenceId: id, indicator, before };
    }
    case 'accept':
      return { action, evidenceId: id, changes: { type_origin: ['suggested', 'user'] }, linksBefore: null };
    case 'delete':
      return { action, evidenceId: id };
    case 'restore':
      // Undoing a restore puts the item back in the trash; the version-1 row knows only when it was restored.
      return { action, evidenceId: id, deletedAt: at };
    case 'targets': {
      const before = (detail.before ?? {}) as Record<string, unknown>;
      const after = (detail.after ?? {}) as Record<string, unknown>;
      const record = (r: Record<string, unknown>) => ({
        target: typeof r.target === 'number' ? r.target : null,
        actual: typeof r.actual === 'number' ? r.actual : null,
        source: typeof r.source === 'string' ? r.source : null,
      });
      return { action, id: String(detail.id ?? ''), before: record(before), after: record(after) };
    }
    case 'settings':
      return { action, before: (detail.before as WorkspaceSettings | undefined) ?? null, after: (detail.after ?? detail.created) as WorkspaceSettings };
    default:
      return null;
  }
}

/**
 * History becomes typed and grouped: each row gets a batch (one user action; undo reverts a whole batch) and an
 * undone flag; version-1 detail bags are rewritten as typed events. Jobs get a table so long work survives a
 * restart.
 */
export const historyBatchesAndJobs: Migration = {
  name: 'history-batches-and-jobs',
  async up(db) {
    await sql`ALTER TABLE history ADD COLUMN batch INTEGER`.execute(db.k);
    await sql`ALTER TABLE history ADD COLUMN undone INTEGER NOT NULL DEFAULT 0`.execute(db.k);
    await sql`CREATE INDEX history_batch ON history(batch)`.execute(db.k);
    await sql`CREATE TABLE jobs (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      state TEXT NOT NULL,
      input TEXT NOT NULL,
      progress TEXT,
      result TEXT,
      error TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`.execute(db.k);
    const rows = await db.k.selectFrom('history').select(['id', 'at', 'action', 'evidence_id', 'detail']).execute();
    for (const row of rows) {
      let detail: Record<string, unknown>;
      try {
        detail = JSON.parse(row.detail) as Record<string, unknown>;
      } catch {
        detail = {};
      }
      const event = legacyEvent(row.action, row.evidence_id, detail, row.at);
      await db.k
        .updateTable('history')
        .set({ batch: row.id, undone: detail.undone === true ? 1 : 0, ...(event ? { detail: JSON.stringify(event) } : {}) })
        .where('id', '=', row.id)
        .execute();
    }
  },
};

/**
 * 整改 items as domain operations over the store: each user action is one transaction and one history batch,
 * so 撤销 reverts an add, a close, a verification, an edit or a whole import like any other edit.
 */
import { isIsoDate } from '../../../shared/domain/dates.js';
import { AppError } from '../../../shared/errors.js';
import { RECTIFICATION_STATUSES, type NewRectification, type RectificationItem, type RectificationStatus } from '../../../shared/rectification/types.js';
import type { ReadableDb, Store, WritableDb } from '../db/connection.js';
import { appendHistory, type HistoryEvent } from '../db/history.js';
import * as table from '../db/rectification.js';
import type { RectificationRecord } from '../db/rectification.js';

/** What the operations need from the workspace: its store, its clock, and which indicators and evidence exist. */
export type RectificationScope = {
  store: Store;
  at: string;
  indicatorExists: (code: string) => boolean;
  evidenceExists: (ids: number[]) => Promise<number[]>;
};

export type RectificationPatch = Partial<Pick<RectificationItem, 'text' | 'source' | 'indicator' | 'department' | 'due'>>;

const clean = (value: string | null | undefined): string | null => (value == null ? null : value.trim() || null);

function checkFields(scope: RectificationScope, fields: RectificationPatch, where = ''): void {
  if (fields.text !== undefined && !fields.text?.trim()) throw new AppError('usage', `${where}整改事项的问题描述不能为空。`);
  if (fields.due != null && !isIsoDate(fields.due)) throw new AppError('usage', `${where}整改时限“${fields.due}”不是有效日期，应写作 2019-10-31。`);
  if (fields.indicator != null && fields.indicator.trim() && !scope.indicatorExists(fields.indicator.trim())) {
    throw new AppError('usage', `${where}框架中没有指标 ${fields.indicator}。`);
  }
}

function recordOf(item: RectificationItem): RectificationRecord {
  const { id: _id, ...record } = item;
  return record;
}

async function must(db: ReadableDb, id: number): Promise<RectificationItem> {
  const item = await table.getRectification(db, id);
  if (!item) throw new AppError('not-found', `没有编号为 ${id} 的整改事项。`);
  return item;
}

export function listRectification(store: Store): Promise<RectificationItem[]> {
  return table.listRectification(store.reader);
}

function newRecord(input: NewRectification, at: string): RectificationRecord {
  const status: RectificationStatus = input.status ?? 'open';
  return {
    text: input.text.trim(),
    source: clean(input.source),
    indicator: clean(input.indicator),
    department: clean(input.department),
    due: clean(input.due),
    status,
    evidence: [],
    createdAt: at,
    updatedAt: at,
    closedAt: status === 'open' ? null : at,
  };
}

async function insertAll(db: WritableDb, inputs: NewRectification[], at: string): Promise<number[]> {
  const events: HistoryEvent[] = [];
  const ids: number[] = [];
  for (const input of inputs) {
    const record = newRecord(input, at);
    const itemId = await table.insertRectification(db, record);
    ids.push(itemId);
    events.push({ action: 'rectify-add', itemId, after: record });
  }
  await appendHistory(db, events, at);
  return ids;
}

/** Adds items in one action (one for `add`, all rows of a list for `import`); returns them as stored. */
export async function addRectification(scope: RectificationScope, inputs: NewRectification[]): Promise<RectificationItem[]> {
  inputs.forEach((input) => checkFields(scope, input));
  const ids = await scope.store.write((db) => insertAll(db, inputs, scope.at));
  const all = await table.listRectification(scope.store.reader);
  return all.filter((item) => ids.includes(item.id));
}

async function change(scope: RectificationScope, id: number, kind: 'close' | 'verify' | 'edit', next: (item: RectificationItem) => RectificationRecord): Promise<RectificationItem> {
  return scope.store.write(async (db) => {
    const item = await must(db, id);
    const before = recordOf(item);
    const after = { ...next(item), updatedAt: scope.at };
    await table.putRectification(db, id, after);
    await appendHistory(db, [{ action: 'rectify-change', itemId: id, change: kind, before, after }], scope.at);
    return { id, ...after };
  });
}

/**
 * Marks an item rectified with the evidence that shows it (added to what it had), or verified (销号) at once.
 * Without any evidence it may still be closed: the gap analysis then warns, as an inspector would.
 */
export async function closeRectification(scope: RectificationScope, id: number, evidence: number[], verify: boolean): Promise<RectificationItem> {
  const known = await scope.evidenceExists(evidence);
  const unknown = evidence.filter((e) => !known.includes(e));
  if (unknown.length) throw new AppError('not-found', `没有编号为 ${unknown.join('、')} 的材料（或已在回收站）。`);
  return change(scope, id, verify ? 'verify' : 'close', (item) => ({
    ...recordOf(item),
    status: verify ? 'verified' : 'rectified',
    evidence: [...new Set([...item.evidence, ...evidence])].sort((a, b) => a - b),
    closedAt: item.closedAt ?? scope.at,
  }));
}

/** 销号: the body that found the problem accepted the rectification. */
export async function verifyRectification(scope: RectificationScope, id: number): Promise<RectificationItem> {
  return change(scope, id, 'verify', (item) => ({ ...recordOf(item), status: 'verified', closedAt: item.closedAt ?? scope.at }));
}

export async function editRectification(scope: RectificationScope, id: number, patch: RectificationPatch & { status?: RectificationStatus }): Promise<RectificationItem> {
  checkFields(scope, patch);
  if (patch.status && !RECTIFICATION_STATUSES.includes(patch.status)) throw new AppError('usage', `未知的整改状态 ${patch.status}。`);
  return change(scope, id, 'edit', (item) => {
    const status = patch.status ?? item.status;
    return {
      ...recordOf(item),
      ...(patch.text !== undefined ? { text: (patch.text ?? '').trim() } : {}),
      ...(patch.source !== undefined ? { source: clean(patch.source) } : {}),
      ...(patch.indicator !== undefined ? { indicator: clean(patch.indicator) } : {}),
      ...(patch.department !== undefined ? { department: clean(patch.department) } : {}),
      ...(patch.due !== undefined ? { due: clean(patch.due) } : {}),
      status,
      closedAt: status === 'open' ? null : (item.closedAt ?? scope.at),
    };
  });
}

/** Undo of one recorded 整改 event, inside the undo transaction. */
export async function revertRectificationEvent(db: WritableDb, event: Extract<HistoryEvent, { action: 'rectify-add' | 'rectify-change' }>): Promise<void> {
  if (event.action === 'rectify-add') await table.deleteRectification(db, event.itemId);
  else await table.putRectification(db, event.itemId, event.before);
}

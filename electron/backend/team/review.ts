/**
 * The office's review of what departments submit (uploads into their requirement, returned collection kits): an
 * item arrives 待审核 and counts for nothing until the office accepts it — then it is filed as the office's own
 * choice — or returns it with the reason. Each step is a history event, so 撤销 takes it back like any edit.
 */
import type { Evidence } from '../../../shared/domain/types.js';
import { replacementFinder } from '../../../shared/team/replacements.js';
import { AppError } from '../../../shared/errors.js';
import type { WritableDb } from '../db/connection.js';
import * as evidenceTable from '../db/evidence.js';
import type { HistoryEvent } from '../db/history.js';
import * as linksTable from '../db/links.js';

/** Where accepted items are filed: as submitted (their own links, now the user's), or into this indicator/requirement. */
export type AcceptTarget = { indicator?: string; requirement?: string };

async function submissionRow(db: WritableDb, id: number, allowed: readonly string[], refusal: string) {
  const row = (await evidenceTable.getRow(db, id))!;
  if (!row.review_state || !allowed.includes(row.review_state)) throw new AppError('usage', `材料 ${id}《${row.title}》${refusal}`);
  return row;
}

/** Accepts one submission (pending, or returned and accepted after all): filed by the office, comment cleared. */
export async function acceptSubmission(db: WritableDb, id: number, target: AcceptTarget): Promise<HistoryEvent> {
  const before = await submissionRow(db, id, ['pending', 'returned'], '不是待审核的报送材料（已通过审核，或是本机导入的材料），无需审核。');
  const linksBefore = await linksTable.linksOf(db, id);
  if (target.indicator) {
    await linksTable.replaceLinks(db, id, [{ indicator: target.indicator, requirement: target.requirement ?? null, origin: 'user', confidence: 1 }]);
  } else if (linksBefore.length) {
    await linksTable.confirmLinks(db, id);
  } else {
    throw new AppError('usage', `材料 ${id}《${before.title}》报送时没有指明指标，请在审核通过时选择要归入的指标。`);
  }
  await evidenceTable.setColumns(db, id, evidenceTable.encodeFields({ reviewState: 'accepted', reviewComment: null }));
  const after = (await evidenceTable.getRow(db, id))!;
  return { action: 'review-accept', evidenceId: id, changes: evidenceTable.diffRows(before, after), linksBefore };
}

/** Returns one submission to its department with the reason; it stays visible (and counts for nothing) until replaced. */
export async function returnSubmission(db: WritableDb, id: number, comment: string): Promise<HistoryEvent> {
  const before = await submissionRow(db, id, ['pending', 'accepted'], '不是部门报送的材料，或已经退回，不能退回。');
  await evidenceTable.setColumns(db, id, evidenceTable.encodeFields({ reviewState: 'returned', reviewComment: comment.trim() }));
  const after = (await evidenceTable.getRow(db, id))!;
  return { action: 'review-return', evidenceId: id, changes: evidenceTable.diffRows(before, after) };
}

/** Undo of an acceptance: the links as submitted come back with the review state and comment. */
export async function revertAcceptance(db: WritableDb, event: Extract<HistoryEvent, { action: 'review-accept' }>): Promise<void> {
  await linksTable.replaceLinks(db, event.evidenceId, event.linksBefore);
}

/**
 * Marks each returned item for which its department has since submitted another into the same requirement (the
 * replacement): the returned one stays listed, with its comment, until the office deletes or accepts it.
 */
export function markReplacements(items: Evidence[], all: Evidence[]): Evidence[] {
  const replacement = replacementFinder(all);
  return items.map((e) => {
    const replacedBy = replacement(e);
    return replacedBy === undefined ? e : { ...e, replacedBy };
  });
}

import type { Evidence, Finding, RequirementResult } from '../../domain/types.js';
import { replacementFinder } from '../../team/replacements.js';
import { REVIEW_STATE } from '../../vocabulary.js';
import { itemName, makeFinding, type AnalysisContext } from '../context.js';

/** Where a submission waits: the indicator and requirement it was submitted for (its first link), or nowhere. */
function slotOf(item: Evidence): { indicator?: string; requirement?: string } {
  const link = item.links[0];
  return link ? { indicator: link.indicator, ...(link.requirement ? { requirement: link.requirement } : {}) } : {};
}

/**
 * The office's review queue in 问题清单: one hint per requirement with submissions 待审核 (returned ones wait for the
 * department, not the office). A hint, not a debt: the department has delivered; the office has to look.
 */
export function checkReviewPending(ctx: AnalysisContext): Finding[] {
  const groups = new Map<string, { indicator?: string; requirement?: string; items: Evidence[] }>();
  for (const item of ctx.awaitingReview) {
    if (item.reviewState !== 'pending') continue;
    const slot = slotOf(item);
    const indicator = slot.indicator && ctx.indicators.has(slot.indicator) ? slot.indicator : undefined;
    const key = `${indicator ?? ''}\u0000${indicator ? (slot.requirement ?? '') : ''}`;
    const group = groups.get(key) ?? { ...(indicator ? { indicator, ...(slot.requirement ? { requirement: slot.requirement } : {}) } : {}), items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ indicator, requirement, items }) => {
    const entry = indicator ? ctx.indicators.get(indicator) : undefined;
    const slotTitle = entry?.indicator.requirements.find((r) => r.id === requirement)?.title;
    const departments = [...new Set(items.flatMap((e) => (e.department ? [e.department] : [])))];
    const from = departments.length ? `（${departments.join('、')}报送）` : '';
    const where = entry ? `指标 ${entry.indicator.code} ${entry.indicator.title}${slotTitle ? `“${slotTitle}”` : ''}` : '未指明指标的报送材料';
    return makeFinding(ctx, {
      severity: 'info',
      kind: 'review-pending',
      ...(indicator ? { indicator } : {}),
      ...(requirement ? { requirement } : {}),
      evidence: items.map((e) => e.id),
      message: `${where}：${items.length} 件待审核${from}，审核通过后才计入、才装订。`,
      messageEn: `${entry ? `Indicator ${entry.indicator.code}${requirement ? ` (${requirement})` : ''}` : 'Submissions without an indicator'}: ${items.length} awaiting review${departments.length ? ` (from ${departments.join(', ')})` : ''}; they count and are bound only once accepted.`,
      action: '请在“审核”中逐件查看：符合要求的审核通过，不符合的退回并写明原因。',
      detail: { count: items.length, departments },
    });
  });
}

/** Each slot's count of submissions waiting for review, beside what counts (have/need). */
export function addPendingCounts(ctx: AnalysisContext, perIndicator: Map<string, RequirementResult[]>): void {
  for (const item of ctx.awaitingReview) {
    if (item.reviewState !== 'pending') continue;
    const { indicator, requirement } = slotOf(item);
    const result = indicator && requirement ? perIndicator.get(indicator)?.find((r) => r.requirement === requirement) : undefined;
    if (result) result.pending = (result.pending ?? 0) + 1;
  }
}

/**
 * Each submission the office returned, as a warning for its department in 问题清单 (and counted in 总览): what was
 * returned, the office's reason, and what to do. It goes once the department has uploaded a replacement into the same
 * requirement. Lateness is judged on the slot itself (its missing-evidence finding), so no due date applies here.
 */
export function checkReturnedSubmissions(ctx: AnalysisContext): Finding[] {
  const returned = ctx.awaitingReview.filter((item) => item.reviewState === 'returned');
  if (!returned.length) return [];
  const replacement = replacementFinder(ctx.input.evidence);
  return returned
    .filter((item) => replacement(item) === undefined)
    .map((item) => {
      const slot = slotOf(item);
      const indicator = slot.indicator && ctx.indicators.has(slot.indicator) ? slot.indicator : undefined;
      const requirement = indicator ? slot.requirement : undefined;
      const entry = indicator ? ctx.indicators.get(indicator) : undefined;
      const slotTitle = entry?.indicator.requirements.find((r) => r.id === requirement)?.title;
      const where = entry ? `（指标 ${entry.indicator.code}${slotTitle ? `“${slotTitle}”` : ''}）` : '';
      const comment = item.reviewComment?.trim() || null;
      // The sentence ends with its own full stop, whatever the office typed at the end of its reason.
      const reason = comment?.replace(/[。．.!！]+$/u, '');
      const from = item.department ? `${item.department}报送的` : '';
      return makeFinding(ctx, {
        severity: 'warning',
        kind: 'returned-submission',
        ...(indicator ? { indicator } : {}),
        ...(requirement ? { requirement } : {}),
        evidence: [item.id],
        message: `${from}${itemName(item)}${where}${REVIEW_STATE.returned.zh}${reason ? `，退回意见：${reason}` : '（未写明退回意见）'}。`,
        messageEn: `${itemName(item)}${entry ? ` (indicator ${entry.indicator.code}${requirement ? `, ${requirement}` : ''})` : ''}${item.department ? ` from ${item.department}` : ''} was ${REVIEW_STATE.returned.en.toLowerCase()} by the coordination office${reason ? `: ${reason}` : ' (no reason given)'}.`,
        action: '按退回意见修改后重新上传。',
        detail: {
          department: item.department ?? null,
          comment,
          submittedBy: item.submittedBy ?? null,
          actionEn: 'Revise it as the comment says and upload it again.',
        },
      });
    });
}

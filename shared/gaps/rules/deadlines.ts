import type { Finding } from '../../domain/types.js';
import type { Deadline } from '../../team/types.js';
import { makeFinding, type AnalysisContext } from '../context.js';
import { isOwed } from '../owes.js';

/** Owed findings a due date does not apply to: they carry their own dates or are not the department's to deliver. */
const OWN_DATES = new Set<Finding['kind']>(['rectification-overdue', 'rectification-unproven', 'review-pending', 'overdue', 'returned-submission']);

/** The deadline that applies to one owed slot: the requirement's, else the indicator's, else the department's. */
export function deadlineFor(deadlines: readonly Deadline[], department: string, indicator: string, requirement?: string): Deadline | undefined {
  // Asked once per owed finding (thousands) and most workspaces set no due dates: no list or closures for nothing.
  if (!deadlines.length) return undefined;
  const ofDepartment = deadlines.filter((d) => d.department === department);
  return (
    (requirement ? ofDepartment.find((d) => d.requirement === requirement) : undefined) ??
    ofDepartment.find((d) => !d.requirement && d.indicator === indicator) ??
    ofDepartment.find((d) => !d.requirement && !d.indicator)
  );
}

/** The owed findings a deadline can apply to, with the department charged. */
export function datedDebts(findings: readonly Finding[]): { finding: Finding & { indicator: string }; department: string }[] {
  return findings.flatMap((f) => (isOwed(f) && f.indicator && f.department && !OWN_DATES.has(f.kind) ? [{ finding: { ...f, indicator: f.indicator }, department: f.department }] : []));
}

const DAY_MS = 86_400_000;

/**
 * Owed items past their due date (seed 004: 按时报送). Needs the caller's `today`; a due date is the last day to
 * deliver, so an item is late from the day after.
 */
export function checkOverdue(ctx: AnalysisContext, findings: readonly Finding[]): Finding[] {
  const { deadlines = [], today } = ctx.input;
  if (!today || !deadlines.length) return [];
  const out: Finding[] = [];
  for (const { finding, department } of datedDebts(findings)) {
    const deadline = deadlineFor(deadlines, department, finding.indicator, finding.requirement);
    if (!deadline || deadline.due >= today) continue;
    const daysLate = Math.round((Date.parse(today) - Date.parse(deadline.due)) / DAY_MS);
    const entry = ctx.indicators.get(finding.indicator);
    const slot = entry?.indicator.requirements.find((r) => r.id === finding.requirement)?.title;
    const what = slot ? `“${slot}”（指标 ${finding.indicator}）` : `指标 ${finding.indicator} ${entry?.indicator.title ?? ''}的材料`;
    const overdue = makeFinding(ctx, {
      severity: 'error',
      kind: 'overdue',
      indicator: finding.indicator,
      ...(finding.requirement ? { requirement: finding.requirement } : {}),
      ...(finding.target ? { target: finding.target } : {}),
      message: `${department}应于 ${deadline.due} 前报送的${what}已逾期 ${daysLate} 天，仍未补齐。`,
      messageEn: `${department} owed ${slot ? `“${slot}” (indicator ${finding.indicator})` : `evidence for indicator ${finding.indicator}`} by ${deadline.due}: ${daysLate} day${daysLate === 1 ? '' : 's'} late.`,
      action: `请向${department}发送催报通知，或与其商定新的报送期限。`,
      detail: { department, indicator: finding.indicator, requirement: finding.requirement ?? null, due: deadline.due, daysLate, owed: finding.id },
      idExtra: finding.id,
    });
    overdue.department = department;
    out.push(overdue);
  }
  return out;
}

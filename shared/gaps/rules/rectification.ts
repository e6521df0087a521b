import type { Finding } from '../../domain/types.js';
import { isOverdue } from '../../rectification/types.js';
import { makeFinding, type AnalysisContext } from '../context.js';

/**
 * 整改 items (seed 004 §三, "确保所有问题清零"): an item still open after its 时限 is an error an inspector asks
 * about first; an item marked rectified or verified with no evidence behind it is not yet provable. Needs the
 * caller's `today` (no clock inside the analysis): without it, overdue is not judged.
 */
export function checkRectification(ctx: AnalysisContext): Finding[] {
  const { rectification = [], today } = ctx.input;
  const findings: Finding[] = [];
  for (const item of rectification) {
    const indicator = item.indicator && ctx.indicators.has(item.indicator) ? item.indicator : undefined;
    const who = item.department ?? '';
    const base = { indicator, idExtra: `r${item.id}` };
    let finding: Finding | null = null;
    if (today && isOverdue(item, today)) {
      finding = makeFinding(ctx, {
        ...base,
        severity: 'error',
        kind: 'rectification-overdue',
        message: `整改事项“${item.text}”已超过整改时限 ${item.due}，仍未整改${who ? `（责任单位：${who}）` : ''}。`,
        action: `请督促${who || '责任单位'}完成整改，并把整改佐证（通知、纪要、照片、凭证等）导入后在“整改清单”中标记已整改。`,
        detail: { item: item.id, text: item.text, due: item.due ?? '', department: item.department, source: item.source },
      });
    } else if (item.status !== 'open' && item.evidence.length === 0) {
      finding = makeFinding(ctx, {
        ...base,
        severity: 'warning',
        kind: 'rectification-unproven',
        message: `整改事项“${item.text}”已标记为整改完成，但没有关联任何佐证材料。`,
        action: '请导入能证明整改到位的材料（整改报告、通知、纪要、照片、凭证），并在“整改清单”中关联到此事项。',
        detail: { item: item.id, text: item.text, status: item.status, department: item.department },
      });
    }
    if (!finding) continue;
    // The item names who must act; the indicator's lead department is only the fallback.
    if (item.department) finding.department = item.department;
    findings.push(finding);
  }
  return findings;
}

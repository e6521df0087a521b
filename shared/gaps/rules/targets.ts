import type { Comparison, Finding, Indicator, Target } from '../../domain/types.js';
import { COMPARISON, targetMet, targetTolerance } from '../../vocabulary.js';
import { makeFinding, formatNumber, withUnit, type AnalysisContext } from '../context.js';

/**
 * Rules on agreement targets (协议指标): target-unmet, target-missing, figures-inconsistent
 * (totals ≠ sum of parts, a 其中 larger than its total, 人 vs 人次 mixed).
 */

const COMPARISON_WORD: Record<Comparison, string> = Object.fromEntries(Object.entries(COMPARISON).map(([k, w]) => [k, w.zh])) as Record<Comparison, string>;

export function satisfies(actual: number, comparison: Comparison, target: number, unit: string): boolean {
  return targetMet(actual, comparison, target, unit) === true;
}

type TargetEntry = { target: Target; indicator: Indicator; goal: number | null; actual: number | null };

export function checkTargets(ctx: AnalysisContext): Finding[] {
  const values = new Map(ctx.input.targets.map((v) => [v.id, v]));
  const entries = new Map<string, TargetEntry>();
  for (const { indicator } of ctx.indicators.values()) {
    for (const target of indicator.targets) {
      const value = values.get(target.id);
      entries.set(target.id, {
        target,
        indicator,
        goal: value?.target ?? target.value,
        actual: value?.actual ?? null,
      });
    }
  }
  const findings: Finding[] = [];
  for (const entry of entries.values()) {
    findings.push(...checkValue(ctx, entry), ...checkParts(ctx, entry, entries), ...checkSubtotals(ctx, entry, entries));
  }
  return findings;
}

function checkValue(ctx: AnalysisContext, { target, indicator, goal, actual }: TargetEntry): Finding[] {
  const base = { indicator: indicator.code, target: target.id };
  if (goal === null) {
    return [
      makeFinding(ctx, {
        ...base,
        severity: 'info',
        kind: 'target-missing',
        message: `目标“${target.label}”尚未填写协议目标值${actual !== null ? `（实际完成 ${withUnit(actual, target.unit)}）` : ''}。`,
        action: '请按年度东西部协作协议填写目标值。',
        detail: { goal: null, actual, unit: target.unit, comparison: target.comparison },
      }),
    ];
  }
  if (actual === null) {
    return [
      makeFinding(ctx, {
        ...base,
        severity: 'warning',
        kind: 'target-missing',
        message: `目标“${target.label}”协议目标为${COMPARISON_WORD[target.comparison]} ${withUnit(goal, target.unit)}，但尚未填写实际完成数。`,
        action: '请根据台账填写实际完成数，并注明数据来源。',
        detail: { goal, actual: null, unit: target.unit, comparison: target.comparison },
      }),
    ];
  }
  if (satisfies(actual, target.comparison, goal, target.unit)) return [];
  const gap = Math.abs(goal - actual);
  return [
    makeFinding(ctx, {
      ...base,
      severity: 'error',
      kind: 'target-unmet',
      message: `目标“${target.label}”未完成：协议要求${COMPARISON_WORD[target.comparison]} ${withUnit(goal, target.unit)}，实际 ${withUnit(actual, target.unit)}，相差 ${withUnit(gap, target.unit)}。`,
      action: '请核实实际完成数与台账是否一致；确未完成的，请在自评报告中说明原因和整改措施。',
      detail: { goal, actual, unit: target.unit, comparison: target.comparison, gap: Number(formatNumber(gap)) },
    }),
  ];
}

function checkParts(ctx: AnalysisContext, entry: TargetEntry, entries: Map<string, TargetEntry>): Finding[] {
  const { target, indicator } = entry;
  if (!target.parts?.length) return [];
  const parts = target.parts.map((id) => entries.get(id)).filter((p): p is TargetEntry => p !== undefined);
  const findings: Finding[] = [];
  const mixed = parts.filter((p) => p.target.unit !== target.unit);
  for (const part of mixed) {
    findings.push(
      makeFinding(ctx, {
        severity: 'warning',
        kind: 'figures-inconsistent',
        indicator: indicator.code,
        target: target.id,
        idExtra: `unit:${part.target.id}`,
        message: `分项“${part.target.label}”的单位是“${part.target.unit}”，总数“${target.label}”的单位是“${target.unit}”，单位不同不能相加。`,
        action: `请统一口径（如“人”与“人次”），按“${target.unit}”重新统计分项。`,
        detail: { check: 'part-unit', total: target.id, part: part.target.id, totalUnit: target.unit, partUnit: part.target.unit },
      }),
    );
  }
  if (entry.actual === null || mixed.length > 0) return findings;
  const known = parts.filter((p) => p.actual !== null);
  const sum = known.reduce((s, p) => s + (p.actual ?? 0), 0);
  const complete = known.length === parts.length;
  const tol = targetTolerance(target.unit);
  // With some parts still blank only an excess is certain; with all filled the sum must match.
  const wrong = complete ? Math.abs(sum - entry.actual) > tol : sum > entry.actual + tol;
  if (!wrong) return findings;
  const terms = known.map((p) => `${p.target.label} ${withUnit(p.actual ?? 0, target.unit)}`).join(' + ');
  const difference = sum - entry.actual;
  findings.push(
    makeFinding(ctx, {
      severity: 'error',
      kind: 'figures-inconsistent',
      indicator: indicator.code,
      target: target.id,
      idExtra: 'sum',
      message: `“${target.label}”实际 ${withUnit(entry.actual, target.unit)}，但${complete ? '' : '已填'}分项之和为 ${withUnit(sum, target.unit)}（${terms}），相差 ${withUnit(Math.abs(difference), target.unit)}。`,
      action: '请对照台账核对总数和各分项，使总数等于各分项之和，并同步更正自评报告中的数字。',
      detail: {
        check: 'sum',
        total: target.id,
        totalActual: entry.actual,
        parts: known.map((p) => ({ id: p.target.id, label: p.target.label, actual: p.actual })),
        sum: Number(formatNumber(sum)),
        difference: Number(formatNumber(difference)),
        complete,
      },
    }),
  );
  return findings;
}

function checkSubtotals(ctx: AnalysisContext, entry: TargetEntry, entries: Map<string, TargetEntry>): Finding[] {
  const { target, indicator } = entry;
  const findings: Finding[] = [];
  for (const id of target.subtotals ?? []) {
    const sub = entries.get(id);
    if (!sub) continue;
    if (sub.target.unit !== target.unit) {
      findings.push(
        makeFinding(ctx, {
          severity: 'warning',
          kind: 'figures-inconsistent',
          indicator: indicator.code,
          target: target.id,
          idExtra: `unit:${id}`,
          message: `“其中”项“${sub.target.label}”的单位是“${sub.target.unit}”，总数“${target.label}”的单位是“${target.unit}”，口径不一致。`,
          action: `请统一口径（如“人”与“人次”），按“${target.unit}”统计“其中”项。`,
          detail: { check: 'subtotal-unit', total: target.id, subtotal: id, totalUnit: target.unit, subtotalUnit: sub.target.unit },
        }),
      );
      continue;
    }
    if (entry.actual === null || sub.actual === null) continue;
    if (sub.actual <= entry.actual + targetTolerance(target.unit)) continue;
    findings.push(
      makeFinding(ctx, {
        severity: 'error',
        kind: 'figures-inconsistent',
        indicator: indicator.code,
        target: target.id,
        idExtra: `sub:${id}`,
        message: `“其中”项“${sub.target.label}”实际 ${withUnit(sub.actual, target.unit)}，大于总数“${target.label}”的实际 ${withUnit(entry.actual, target.unit)}。`,
        action: '请对照台账核对：“其中”项不能大于总数。',
        detail: { check: 'subtotal-exceeds', total: target.id, subtotal: id, totalActual: entry.actual, subtotalActual: sub.actual },
      }),
    );
  }
  return findings;
}

import { EVIDENCE_TYPE_LABELS, type Finding, type Requirement, type RequirementResult, type RequirementStatus, type Severity } from '../../domain/types.js';
import { makeFinding, type AnalysisContext, type IndicatorEntry, type PreparedEvidence } from '../context.js';
import { fileIndicator } from '../filing.js';
import {
  formatPeriodKey,
  PERIOD_UNIT_LABEL,
  PERIOD_UNIT_NOUN,
  periodKeyOf,
  periodKeys,
  type PeriodicUnit,
} from '../periods.js';

/**
 * Rules on evidence slots: missing-evidence, too-few, period-gap. Also yields each slot's RequirementResult
 * (have / need / periods / completeness) for the summary.
 */

export function statusOf(completeness: number): RequirementStatus {
  return completeness >= 1 ? 'met' : completeness > 0 ? 'partial' : 'missing';
}

type SlotCount = {
  counted: PreparedEvidence[];
  have: number;
  need: number;
  completeness: number;
  periods?: { key: string; covered: boolean }[];
  /** Filed but not counted: unreadable or dated outside the period. */
  rejected: number;
  /** Counted items without a date (cannot cover a month or quarter). */
  undated: number;
  /** Readable, in-period items filed here, dated or not. */
  usable: number;
};

function countSlot(ctx: AnalysisContext, requirement: Requirement, items: PreparedEvidence[]): SlotCount {
  const usable = items.filter((p) => p.counts);
  const rejected = items.length - usable.length;
  const undated = usable.filter((p) => p.date === undefined).length;
  const min = Math.max(0, requirement.min);
  const unit: PeriodicUnit | undefined =
    requirement.period === 'monthly' || requirement.period === 'quarterly' || requirement.period === 'yearly'
      ? requirement.period
      : undefined;
  const keys = unit ? periodKeys(ctx.period, unit) : [];
  if (!unit || keys.length === 0 || min === 0) {
    const need = min;
    const have = usable.length;
    return { counted: usable, have, need, completeness: need === 0 ? 1 : Math.min(1, have / need), rejected, undated, usable: usable.length };
  }
  const perKey = new Map<string, number>(keys.map((k) => [k, 0]));
  for (const p of usable) {
    if (p.date === undefined) continue;
    const key = periodKeyOf(p.date, unit);
    perKey.set(key, (perKey.get(key) ?? 0) + 1);
  }
  if (unit === 'yearly') {
    // A year is a count, not a calendar slot: undated items top up the years still short, in order.
    let spare = undated;
    let filled = 0;
    const periods = keys.map((key) => {
      let n = perKey.get(key) ?? 0;
      if (n < min && spare > 0) {
        const take = Math.min(spare, min - n);
        spare -= take;
        n += take;
      }
      filled += Math.min(n, min);
      return { key, covered: n >= min };
    });
    const need = min * keys.length;
    return { counted: usable, have: usable.length, need, completeness: filled / need, periods, rejected, undated, usable: usable.length };
  }
  // Monthly / quarterly: only dated items can show that a month's meeting took place.
  const periods = keys.map((key) => ({ key, covered: (perKey.get(key) ?? 0) >= min }));
  const dated = usable.filter((p) => p.date !== undefined);
  const covered = periods.filter((p) => p.covered).length;
  return {
    counted: dated,
    have: dated.length,
    need: min * keys.length,
    completeness: covered / keys.length,
    periods,
    rejected,
    undated,
    usable: usable.length,
  };
}

function describeNeed(requirement: Requirement, periodCount: number | undefined): string {
  const min = requirement.min;
  switch (requirement.period) {
    case 'monthly':
    case 'quarterly':
    case 'yearly': {
      const base = `${PERIOD_UNIT_LABEL[requirement.period]}至少 ${min} 份`;
      const worthSaying = periodCount !== undefined && (periodCount > 1 || requirement.period !== 'yearly');
      return worthSaying ? `${base}（考核期共 ${periodCount} ${PERIOD_UNIT_NOUN[requirement.period]}）` : base;
    }
    case 'per-event':
      return `至少 ${min} 份（每次活动都应有）`;
    default:
      return `至少 ${min} 份`;
  }
}

export function evaluateIndicatorRequirements(
  ctx: AnalysisContext,
  entry: IndicatorEntry,
): { results: RequirementResult[]; findings: Finding[] } {
  const { indicator, category } = entry;
  const results: RequirementResult[] = [];
  const findings: Finding[] = [];
  const where = `指标 ${indicator.code} ${indicator.title}`;
  const owner = indicator.department ?? '牵头单位';
  for (const { requirement, items } of fileIndicator(ctx, indicator)) {
    const count = countSlot(ctx, requirement, items);
    results.push({
      requirement: requirement.id,
      indicator: indicator.code,
      status: statusOf(count.completeness),
      evidence: count.counted.map((p) => p.id),
      have: count.have,
      need: count.need,
      ...(count.periods ? { periods: count.periods } : {}),
      completeness: count.completeness,
    });
    if (count.completeness >= 1 || category.negative) continue;

    const typeLabel = EVIDENCE_TYPE_LABELS[requirement.type].zh;
    const typeNote = requirement.title.includes(typeLabel) ? '' : `（${typeLabel}）`;
    const periodic = (requirement.period === 'monthly' || requirement.period === 'quarterly') && count.periods !== undefined;
    const missingKeys = (count.periods ?? []).filter((p) => !p.covered).map((p) => p.key);
    const need = describeNeed(requirement, count.periods?.length);
    const rejectedNote = count.rejected
      ? `另有 ${count.rejected} 份已归入的材料因无法读取或日期不在考核期内未计入。`
      : '';
    const undatedNote =
      periodic && count.undated
        ? `另有 ${count.undated} 份材料未标注日期，无法计入任何${requirement.period === 'monthly' ? '月份' : '季度'}。`
        : '';
    // Bonus items are optional, so at most a hint; a non-mandatory slot is a recommendation.
    const severity: Severity = entry.excluded ? 'info' : requirement.mandatory ? 'error' : 'warning';
    const bonusNote = category.bonus ? '（加分项，可选）' : '';
    const base = { severity, indicator: indicator.code, requirement: requirement.id };

    const nothingUsable = count.usable === 0;
    if (nothingUsable && (requirement.mandatory || entry.excluded)) {
      findings.push(
        makeFinding(ctx, {
          ...base,
          kind: 'missing-evidence',
          message: `${where}：缺少“${requirement.title}”${typeNote}${bonusNote}，要求${need}，目前没有任何可用材料。${rejectedNote}`,
          action: entry.excluded
            ? `如有相关工作，请${owner}提供${requirement.title}并归入指标 ${indicator.code}。`
            : `请${owner}提供${requirement.title}，${need}，导入后归入指标 ${indicator.code}。`,
          detail: {
            have: 0,
            need: count.need,
            min: requirement.min,
            period: requirement.period,
            ...(missingKeys.length ? { missing: missingKeys } : {}),
          },
        }),
      );
      continue;
    }

    if (periodic && count.periods) {
      const unit = requirement.period === 'monthly' ? '个月' : '个季度';
      const shown = missingKeys.map(formatPeriodKey).join('、');
      findings.push(
        makeFinding(ctx, {
          ...base,
          kind: 'period-gap',
          message: `${where}：“${requirement.title}”要求${need}${bonusNote}，以下 ${missingKeys.length} ${unit}没有：${shown}。${undatedNote}${rejectedNote}`,
          action:
            `请${owner}补充上述${requirement.period === 'monthly' ? '月份' : '季度'}的${requirement.title}；若当期确已开展，请导入材料并填写日期。` +
            (count.undated ? '请为未标注日期的材料补填日期。' : ''),
          detail: {
            missing: missingKeys,
            covered: count.periods.length - missingKeys.length,
            total: count.periods.length,
            min: requirement.min,
            undated: count.undated,
          },
        }),
      );
      continue;
    }

    // Yearly slots over several years: the years still short (undated items already topped them up).
    const shortYears = requirement.period === 'yearly' && (count.periods?.length ?? 0) > 1 ? missingKeys : [];
    const yearNote = shortYears.length ? `不足的年度：${shortYears.map(formatPeriodKey).join('、')}。` : '';
    const short = Math.round(count.need * (1 - count.completeness));
    const state = count.have === 0 ? '尚无材料' : `仅有 ${count.have} 份`;
    findings.push(
      makeFinding(ctx, {
        ...base,
        kind: 'too-few',
        message: `${where}：“${requirement.title}”${state}，要求${need}，还差 ${short} 份${bonusNote}。${yearNote}${rejectedNote}`,
        action: `请${owner}补充 ${short} 份${requirement.title}，并归入指标 ${indicator.code}。`,
        detail: {
          have: count.have,
          need: count.need,
          short,
          min: requirement.min,
          period: requirement.period,
          ...(shortYears.length ? { missing: shortYears } : {}),
        },
      }),
    );
  }
  return { results, findings };
}

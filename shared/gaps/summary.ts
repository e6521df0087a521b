import {
  type CategoryResult,
  type DepartmentOwes,
  type Finding,
  type GapSummary,
  type IndicatorResult,
  type RequirementResult,
  type Severity,
} from '../domain/types.js';
import type { AnalysisContext, IndicatorEntry } from './context.js';
import { isOwed } from './owes.js';
import { deadlineFor } from './rules/deadlines.js';
import { statusOf } from './rules/requirements.js';

/**
 * Completeness roll-up (requirement → indicator → category → overall) and who owes what.
 *
 * - indicator = mean over its mandatory slots (all slots when none is mandatory); an indicator with no
 *   slots at all has nothing to measure: it shows 1 and is left out of the means above it;
 * - category = mean of its indicators; overall = mean of all counted indicators, weighted by `weight` when
 *   every counted indicator has a positive weight (weights are not public, so usually equal);
 * - bonus (加分) and negative-list (负面清单) indicators get results but never count towards the means.
 */

export const UNASSIGNED_DEPARTMENT = '未指定牵头单位';

const mean = (values: number[]) => (values.length ? values.reduce((s, v) => s + v, 0) / values.length : 1);

export function indicatorCompleteness(entry: IndicatorEntry, results: RequirementResult[]): number {
  const mandatory = new Set(entry.indicator.requirements.filter((r) => r.mandatory).map((r) => r.id));
  const relevant = mandatory.size ? results.filter((r) => mandatory.has(r.requirement)) : results;
  return mean(relevant.map((r) => r.completeness));
}

export function summarize(
  ctx: AnalysisContext,
  perIndicator: Map<string, RequirementResult[]>,
  findings: Finding[],
): GapSummary {
  const findingsPerIndicator = new Map<string, number>();
  for (let i = 0; i < findings.length; i++) {
    const code = findings[i].indicator;
    if (code) findingsPerIndicator.set(code, (findingsPerIndicator.get(code) ?? 0) + 1);
  }

  const counted: { completeness: number; weight: number | null | undefined }[] = [];
  const categories: CategoryResult[] = ctx.input.framework.categories.map((category) => {
    const inCategory: number[] = [];
    const indicators: IndicatorResult[] = category.indicators.map((indicator) => {
      const entry = ctx.indicators.get(indicator.code);
      const requirements = perIndicator.get(indicator.code) ?? [];
      const completeness = entry ? indicatorCompleteness(entry, requirements) : 1;
      if (requirements.length > 0) {
        inCategory.push(completeness);
        if (!entry?.excluded) counted.push({ completeness, weight: indicator.weight });
      }
      const result: IndicatorResult = {
        code: indicator.code,
        title: indicator.title,
        status: statusOf(completeness),
        completeness,
        requirements,
        findings: findingsPerIndicator.get(indicator.code) ?? 0,
      };
      if (indicator.department) result.department = indicator.department;
      return result;
    });
    return { code: category.code, title: category.title, completeness: mean(inCategory), indicators };
  });

  const weighted = counted.length > 0 && counted.every((c) => typeof c.weight === 'number' && c.weight > 0);
  const completeness = weighted
    ? counted.reduce((s, c) => s + c.completeness * (c.weight ?? 0), 0) / counted.reduce((s, c) => s + (c.weight ?? 0), 0)
    : mean(counted.map((c) => c.completeness));

  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (let i = 0; i < findings.length; i++) counts[findings[i].severity]++;

  return { completeness, counts, categories, departments: departmentsOwing(ctx, findings) };
}

/** Open errors and warnings per lead department: the most items overdue first, then the department owing most. */
export function departmentsOwing(ctx: AnalysisContext, findings: Finding[]): DepartmentOwes[] {
  const byDepartment = new Map<string, DepartmentOwes>();
  // First-seen order in the framework breaks ties, so the list does not depend on string collation.
  const firstSeen = new Map<string, number>();
  for (const entry of ctx.indicators.values()) {
    const dept = entry.indicator.department ?? UNASSIGNED_DEPARTMENT;
    if (!firstSeen.has(dept)) firstSeen.set(dept, entry.order);
  }
  const deadlines = ctx.input.deadlines ?? [];
  const owesOf = (department: string): DepartmentOwes => {
    let owes = byDepartment.get(department);
    if (!owes) {
      owes = { department, items: [], overdue: 0 };
      byDepartment.set(department, owes);
    }
    return owes;
  };
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    if (f.kind === 'overdue') {
      const owes = owesOf(f.detail.department);
      owes.overdue = (owes.overdue ?? 0) + 1;
      continue;
    }
    if (!isOwed(f) || !f.indicator) continue;
    const department = f.department ?? UNASSIGNED_DEPARTMENT;
    const owes = owesOf(department);
    const due = deadlineFor(deadlines, department, f.indicator, f.requirement)?.due;
    if (due && (!owes.due || due < owes.due)) owes.due = due;
    const item: DepartmentOwes['items'][number] = { indicator: f.indicator, findingId: f.id, message: f.message };
    if (f.requirement) item.requirement = f.requirement;
    if (f.target) item.target = f.target;
    owes.items.push(item);
  }
  return [...byDepartment.values()].sort(
    (a, b) =>
      (b.overdue ?? 0) - (a.overdue ?? 0) ||
      b.items.length - a.items.length ||
      (firstSeen.get(a.department) ?? Number.MAX_SAFE_INTEGER) - (firstSeen.get(b.department) ?? Number.MAX_SAFE_INTEGER) ||
      (a.department < b.department ? -1 : a.department > b.department ? 1 : 0),
  );
}

import type { TargetRow } from '../../shared/api/contract.js';
import type { Finding, Framework, GapReport, Indicator, IndicatorResult, Requirement, RequirementResult, Severity } from '../../shared/domain/types.js';
import { departmentOf, owedByDepartment } from '../../shared/gaps/owes.js';

/** A department and how many open items the gap analysis says it owes (its "待补事项"). */
/** `overdue`: owed items past their due date (deadlines set by the office); those departments are listed first. */
export type DepartmentOwesCount = { department: string; owes: number; indicators: number; overdue: number };

/** One evidence slot the department still has to fill, with the analysis' advice for it. */
export type OpenSlot = { requirement: Requirement; result?: RequirementResult; findings: Finding[] };

export type DepartmentIndicator = {
  indicator: Indicator;
  category: { code: string; title: string; uncounted: boolean };
  result?: IndicatorResult;
  /** Mandatory or optional slots not yet met (empty for bonus and negative-list categories: never owed). */
  openSlots: OpenSlot[];
  /** Slots already met, for a one-line "已齐全" note. */
  metSlots: Requirement[];
  /** Findings that are not about an empty slot: metadata, captions, figures, duplicates … (each with its action). */
  otherFindings: Finding[];
  targets: TargetRow[];
};

export type DepartmentView = {
  department: string;
  indicators: DepartmentIndicator[];
  /** Open items as the gap analysis counts them (same number as the overview and the exported list). */
  owes: number;
  /** Mean completeness of the department's counted indicators (0–1); null when it has none. */
  completeness: number | null;
};

// Findings about a slot being empty or short are shown on the slot itself, not repeated below it; so is a returned
// submission for a slot still open (the reason it is still empty, beside what it lacks).
const SLOT_KINDS = new Set<Finding['kind']>(['missing-evidence', 'too-few', 'period-gap', 'returned-submission']);

/**
 * Every lead department named in the framework, most owed first (ties keep framework order), so a leader
 * sees who is behind and a department finds itself quickly.
 */
export function rankDepartments(framework: Framework, gaps: GapReport | undefined, severity: Severity | '' = ''): DepartmentOwesCount[] {
  const order: string[] = [];
  const indicatorCount = new Map<string, number>();
  for (const c of framework.categories) {
    for (const i of c.indicators) {
      if (!i.department) continue;
      if (!indicatorCount.has(i.department)) order.push(i.department);
      indicatorCount.set(i.department, (indicatorCount.get(i.department) ?? 0) + 1);
    }
  }
  const leads = new Map(framework.categories.flatMap((c) => c.indicators.map((i) => [i.code, i.department] as const)));
  const owes = new Map([...owedByDepartment(gaps?.findings ?? [], (code) => leads.get(code), severity)].map(([d, list]) => [d, list.length]));
  // A department owing something but not named as lead of any indicator still has to be listed.
  for (const d of owes.keys()) if (!indicatorCount.has(d)) order.push(d);
  const overdue = new Map<string, number>();
  for (const f of gaps?.findings ?? []) {
    if (f.kind === 'overdue' && (!severity || f.severity === severity)) overdue.set(f.detail.department, (overdue.get(f.detail.department) ?? 0) + 1);
  }
  return order
    .map((department, index) => ({ department, owes: owes.get(department) ?? 0, indicators: indicatorCount.get(department) ?? 0, overdue: overdue.get(department) ?? 0, index }))
    .sort((a, b) => b.overdue - a.overdue || b.owes - a.owes || a.index - b.index)
    .map(({ index: _index, ...rest }) => rest);
}

/** What one department sees: only its indicators, the slots it still has to fill and the problems it must fix. */
export function departmentView(
  framework: Framework,
  gaps: GapReport | undefined,
  targets: readonly TargetRow[] | undefined,
  department: string,
  severity: Severity | '' = '',
): DepartmentView {
  const indicatorsByCode = new Map(framework.categories.flatMap((c) => c.indicators.map((i) => [i.code, i] as const)));
  const leadOf = (code: string) => indicatorsByCode.get(code)?.department;
  const results = new Map<string, IndicatorResult>();
  for (const c of gaps?.summary.categories ?? []) for (const r of c.indicators) results.set(r.code, r);
  // Under a level filter only that level's problems are listed (and an empty slot only when its finding has it).
  const findings = (gaps?.findings ?? []).filter((f) => departmentOf(f, leadOf) === department && (!severity || f.severity === severity));

  const indicators: DepartmentIndicator[] = [];
  for (const c of framework.categories) {
    const uncounted = !!(c.bonus || c.negative);
    for (const indicator of c.indicators) {
      if (indicator.department !== department) continue;
      const result = results.get(indicator.code);
      const own = findings.filter((f) => f.indicator === indicator.code);
      const openSlots: OpenSlot[] = [];
      const metSlots: Requirement[] = [];
      for (const requirement of indicator.requirements) {
        const r = result?.requirements.find((x) => x.requirement === requirement.id);
        if (uncounted || r?.status === 'met') {
          metSlots.push(requirement);
          continue;
        }
        const slotFindings = own.filter((f) => f.requirement === requirement.id && SLOT_KINDS.has(f.kind));
        if (severity && !slotFindings.length) continue;
        openSlots.push({ requirement, result: r, findings: slotFindings });
      }
      const onSlots = new Set(openSlots.flatMap((s) => s.findings.map((f) => f.id)));
      indicators.push({
        indicator,
        category: { code: c.code, title: c.title, uncounted },
        result,
        openSlots: uncounted ? [] : openSlots,
        metSlots: uncounted ? [] : metSlots,
        otherFindings: own.filter((f) => !onSlots.has(f.id)),
        targets: (targets ?? []).filter((t) => t.indicator === indicator.code),
      });
    }
  }
  // Findings of this department that name no indicator of its own (rare) still must be seen.
  const shown = new Set(indicators.map((i) => i.indicator.code));
  const loose = findings.filter((f) => !f.indicator || !shown.has(f.indicator));
  if (loose.length && indicators.length) indicators[0].otherFindings.push(...loose);

  const counted = indicators.filter((i) => !i.category.uncounted && i.result);
  const owes = owedByDepartment(gaps?.findings ?? [], leadOf, severity).get(department)?.length ?? 0;
  return {
    department,
    indicators,
    owes,
    completeness: counted.length ? counted.reduce((sum, i) => sum + (i.result?.completeness ?? 0), 0) / counted.length : null,
  };
}

/** Indicators with nothing left to do sort after those with open items, keeping framework order inside each group. */
export function hasOpenItems(item: DepartmentIndicator): boolean {
  return item.openSlots.length > 0 || item.otherFindings.length > 0;
}

export const DEPARTMENT_KEY = 'binder-department';

/** The department remembered on this computer (department staff use the same PC every day). */
export function rememberedDepartment(storage: Pick<Storage, 'getItem'> | undefined = safeStorage()): string {
  try {
    return storage?.getItem(DEPARTMENT_KEY) ?? '';
  } catch {
    return '';
  }
}

export function rememberDepartment(department: string, storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined = safeStorage()): void {
  try {
    if (department) storage?.setItem(DEPARTMENT_KEY, department);
    else storage?.removeItem(DEPARTMENT_KEY);
  } catch {
    // Private mode or storage disabled: the choice simply is not remembered.
  }
}

function safeStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

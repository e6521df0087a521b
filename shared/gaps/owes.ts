import type { Finding, Severity } from '../domain/types.js';

/**
 * What a department owes — the one definition behind 总览's ranking, 按单位查看's “待补 N 项” and the department
 * groups of 问题清单, so the three screens cannot disagree: an error or warning about one of its indicators
 * (a late one is still one debt: its `overdue` finding is not counted again).
 * Hints (提示) are advice, not debts; a finding about no indicator belongs to no department.
 */
export function isOwed(finding: Pick<Finding, 'severity' | 'indicator'> & { kind?: Finding['kind'] }): boolean {
  // An `overdue` finding says a debt is late; the debt itself is already counted.
  return finding.severity !== 'info' && !!finding.indicator && finding.kind !== 'overdue';
}

/** The department a finding is charged to: its own, else the lead department of its indicator. */
export function departmentOf(finding: Pick<Finding, 'department' | 'indicator'>, leadOf: (indicator: string) => string | undefined): string | undefined {
  return finding.department ?? (finding.indicator ? leadOf(finding.indicator) : undefined);
}

/** Owed findings per department, optionally only of one severity (a screen's level filter). */
export function owedByDepartment(findings: readonly Finding[], leadOf: (indicator: string) => string | undefined, severity?: Severity | ''): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    if (!isOwed(f) || (severity && f.severity !== severity)) continue;
    const department = departmentOf(f, leadOf);
    if (!department) continue;
    if (!out.has(department)) out.set(department, []);
    out.get(department)!.push(f);
  }
  return out;
}

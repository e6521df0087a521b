import { FINDING_KINDS, SEVERITIES, type Finding, type GapReport, type RequirementResult } from '../domain/types.js';
import { buildContext, type AnalysisContext, type GapInput } from './context.js';
import { checkDuplicates } from './rules/duplicates.js';
import { checkEvidenceItems } from './rules/evidence.js';
import { evaluateIndicatorRequirements } from './rules/requirements.js';
import { checkRectification } from './rules/rectification.js';
import { checkTargets } from './rules/targets.js';
import { checkOverdue } from './rules/deadlines.js';
import { addPendingCounts, checkReturnedSubmissions, checkReviewPending } from './rules/review.js';
import { summarize } from './summary.js';
import { checkLedgers } from '../ledger/checks.js';
import { buildLedgerIndex } from '../ledger/compute.js';

export type { GapInput } from './context.js';

const SEVERITY_RANK = new Map(SEVERITIES.map((s, i) => [s, i]));
const KIND_RANK = new Map(FINDING_KINDS.map((k, i) => [k, i]));

/**
 * Findings in a fixed order — severity, indicator in framework order, kind, then the order the rules
 * produced them (slots and targets in framework order, items by id; the sort is stable) — so the same
 * input always gives the same list (the UI and the exported 问题清单 rely on it).
 */
function sortFindings(ctx: AnalysisContext, findings: Finding[]): Finding[] {
  const kinds = FINDING_KINDS.length;
  const n = findings.length;
  // One number per finding, key × n + position, sorted natively: no comparator, no object per finding (thousands of
  // findings per analysis; the key is below 3 × (indicators + 2) × kinds, so the product stays an exact integer).
  const order = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const finding = findings[i];
    const key =
      ((SEVERITY_RANK.get(finding.severity) ?? 0) * (ctx.indicators.size + 2) + rankOf(ctx, finding.indicator)) * kinds +
      (KIND_RANK.get(finding.kind) ?? 0);
    order[i] = key * n + i;
  }
  order.sort();
  const sorted = new Array<Finding>(n);
  for (let i = 0; i < n; i++) sorted[i] = findings[order[i] % n];
  return sorted;
}

/** Framework order; codes not in the framework next, then findings without an indicator. */
function rankOf(ctx: AnalysisContext, code: string | undefined): number {
  if (code === undefined) return ctx.indicators.size + 1;
  return ctx.indicators.get(code)?.order ?? ctx.indicators.size;
}

/**
 * The gap analysis: what each indicator still lacks, which items inspectors would reject, which numbers
 * disagree, and who owes the fix. Pure and deterministic; linear in the number of evidence links.
 */
export function analyzeGaps(input: GapInput): GapReport {
  const ctx = buildContext(input);
  const findings: Finding[] = [];
  const perIndicator = new Map<string, RequirementResult[]>();
  // Appended by index: spreading ten thousand findings into push() goes through an iterator, garbage on every call.
  const add = (more: Finding[]) => {
    for (let i = 0; i < more.length; i++) findings.push(more[i]);
  };
  for (const entry of ctx.indicators.values()) {
    const { results, findings: slotFindings } = evaluateIndicatorRequirements(ctx, entry);
    perIndicator.set(entry.indicator.code, results);
    add(slotFindings);
  }
  addPendingCounts(ctx, perIndicator);
  for (const rule of [checkTargets, checkEvidenceItems, checkDuplicates, checkRectification, checkReviewPending, checkReturnedSubmissions]) add(rule(ctx));
  if (input.ledgers?.length || input.reports?.length) {
    add(checkLedgers(ctx, buildLedgerIndex(input.framework, input.ledgers ?? [], ctx.period), input.reports ?? []).findings);
  }
  // Last: a due date applies to what is owed, whichever rule found it.
  add(checkOverdue(ctx, findings));
  const sorted = sortFindings(ctx, findings);
  return { summary: summarize(ctx, perIndicator, sorted), findings: sorted };
}

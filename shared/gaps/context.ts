import type {
  Category,
  Evidence,
  EvidenceLink,
  Finding,
  FindingDetails,
  FindingKind,
  FindingOf,
  Framework,
  Indicator,
  Severity,
  TargetValue,
  WorkspaceSettings,
} from '../domain/types.js';
import type { ReportText } from '../ledger/checks.js';
import type { LedgerSheetData } from '../ledger/compute.js';
import type { RectificationItem } from '../rectification/types.js';
import type { Deadline } from '../team/types.js';
import { evidenceDate, isInPeriod, makePeriod, type AssessmentPeriod, type DatedBy } from './periods.js';
import { awaitsReview } from './review.js';

/** What analyzeGaps receives: the evidence is live (trashed items already left out by the caller). */
export type GapInput = {
  framework: Framework;
  settings: WorkspaceSettings;
  evidence: Evidence[];
  targets: TargetValue[];
  /** Parsed ledger sheets of live evidence (shared/ledger), when the workspace has any. */
  ledgers?: LedgerSheetData[];
  /** Text of reports (自评报告, 总结) in which stated figures are compared with the ledgers. */
  reports?: ReportText[];
  /** 整改 items, when the workspace tracks them. */
  rectification?: RectificationItem[];
  /** Today (YYYY-MM-DD) for date rules such as overdue 整改 items; given by the caller so the analysis stays pure. */
  today?: string;
  /** Due dates of what departments owe (team workflow): owed items past theirs are `overdue`. */
  deadlines?: Deadline[];
};

export type IndicatorEntry = {
  indicator: Indicator;
  category: Category;
  /** Position in framework order, for sorting findings. */
  order: number;
  /** Bonus (加分) and negative-list (负面清单) indicators: never "missing", not part of completeness. */
  excluded: boolean;
};

/**
 * An item with what the rules read most, copied once into objects of one shape: evidence rows come in many
 * shapes (optional fields present or not), and reading them again in every rule is measurably slower.
 */
export type PreparedEvidence = {
  item: Evidence;
  id: number;
  type: Evidence['type'];
  title: string;
  date?: string;
  datedBy?: DatedBy;
  /** Dated and outside the assessment period. */
  outOfPeriod: boolean;
  readable: boolean;
  /** Readable and dated inside the period (or undated): may fill a slot. */
  counts: boolean;
  /** Distinct linked indicator codes, framework order first, unknown codes after. */
  indicators: string[];
};

/** One item's links to one indicator, merged (an item may be linked twice to the same indicator). */
export type IndicatorLink = { prepared: PreparedEvidence; links: EvidenceLink[] };

export type AnalysisContext = {
  input: GapInput;
  period: AssessmentPeriod;
  indicators: Map<string, IndicatorEntry>;
  /** Live evidence in id order. */
  evidence: PreparedEvidence[];
  byIndicator: Map<string, IndicatorLink[]>;
  /** Department submissions pending review or returned: outside every other rule (see ./review.ts). */
  awaitingReview: Evidence[];
};

export function indicatorOrder(ctx: AnalysisContext, code: string | undefined): number {
  if (code === undefined) return Number.MAX_SAFE_INTEGER;
  return ctx.indicators.get(code)?.order ?? Number.MAX_SAFE_INTEGER - 1;
}

/** Builds every index once, so the rules never scan evidence × indicators. */
export function buildContext(input: GapInput): AnalysisContext {
  const period = makePeriod(input.settings.periodStart, input.settings.periodEnd);
  const indicators = new Map<string, IndicatorEntry>();
  let order = 0;
  for (const category of input.framework.categories) {
    for (const indicator of category.indicators) {
      indicators.set(indicator.code, {
        indicator,
        category,
        order: order++,
        excluded: Boolean(category.bonus || category.negative),
      });
    }
  }
  const byCode = (a: string, b: string) => {
    const oa = indicators.get(a)?.order ?? Number.MAX_SAFE_INTEGER;
    const ob = indicators.get(b)?.order ?? Number.MAX_SAFE_INTEGER;
    return oa - ob || (a < b ? -1 : a > b ? 1 : 0);
  };

  // Callers usually pass evidence in id order already; only sort when they did not.
  const given = input.evidence;
  let inOrder = true;
  for (let i = 1; i < given.length && inOrder; i++) inOrder = given[i - 1].id < given[i].id;
  const sorted = inOrder ? given : [...given].sort((a, b) => a.id - b.id);
  const byIndicator = new Map<string, IndicatorLink[]>();
  const evidence: PreparedEvidence[] = [];
  const awaitingReview: Evidence[] = [];
  const addToIndicator = (code: string, entry: IndicatorLink) => {
    const list = byIndicator.get(code);
    if (list) list.push(entry);
    else byIndicator.set(code, [entry]);
  };
  for (const item of sorted) {
    if (awaitsReview(item)) {
      awaitingReview.push(item);
      continue;
    }
    const dated = evidenceDate(item);
    const outOfPeriod = dated !== undefined && !isInPeriod(dated.date, period);
    const readable = item.readability === 'ok';
    const prepared: PreparedEvidence = {
      item,
      id: item.id,
      type: item.type,
      title: item.title,
      date: dated?.date,
      datedBy: dated?.by,
      outOfPeriod,
      readable,
      counts: readable && !outOfPeriod,
      // The common case, one link, gets its one-element list here (an empty list grown by push reserves 17 slots).
      indicators: item.links.length === 1 ? [item.links[0].indicator] : [],
    };
    evidence.push(prepared);
    const links = item.links;
    if (links.length === 1) {
      // The common case: one link, no merging needed.
      addToIndicator(links[0].indicator, { prepared, links });
    } else if (links.length > 1) {
      const perIndicator = new Map<string, EvidenceLink[]>();
      for (const link of links) {
        const list = perIndicator.get(link.indicator);
        if (list) list.push(link);
        else perIndicator.set(link.indicator, [link]);
      }
      prepared.indicators = [...perIndicator.keys()].sort(byCode);
      for (const [code, merged] of perIndicator) addToIndicator(code, { prepared, links: merged });
    }
  }
  return { input, period, indicators, evidence, byIndicator, awaitingReview };
}

/**
 * Stable id: kind, indicator, requirement/target, evidence ids (and a discriminator when one target can
 * fail in several ways). The UI keys acknowledgements on it, so it must not depend on run order.
 */
export function findingId(
  kind: FindingKind,
  indicator: string | undefined,
  slot: string | undefined,
  evidence: readonly number[] | undefined,
  extra?: string,
): string {
  const ids = evidence === undefined || evidence.length === 0 ? '' : evidence.length === 1 ? String(evidence[0]) : evidence.join(',');
  const base = `${idPrefix(kind, indicator ?? '', slot ?? '')}${ids}`;
  return extra ? `${base}:${extra}` : base;
}

/**
 * "kind:indicator:slot:" made once per combination: thousands of findings per analysis share a few hundred, and each
 * string built afresh leaves a chain of pieces for the collector. Bounded by the frameworks' kinds × indicators × slots.
 */
const ID_PREFIXES = new Map<string, Map<string, Map<string, string>>>();

function idPrefix(kind: FindingKind, indicator: string, slot: string): string {
  let byIndicator = ID_PREFIXES.get(kind);
  if (!byIndicator) ID_PREFIXES.set(kind, (byIndicator = new Map()));
  let bySlot = byIndicator.get(indicator);
  if (!bySlot) byIndicator.set(indicator, (bySlot = new Map()));
  let prefix = bySlot.get(slot);
  if (prefix === undefined) bySlot.set(slot, (prefix = `${kind}:${indicator}:${slot}:`));
  return prefix;
}

type FindingParts<K extends FindingKind> = {
  severity: Severity;
  kind: K;
  indicator?: string;
  requirement?: string;
  target?: string;
  evidence?: number[];
  message: string;
  action: string;
  messageEn?: string;
  detail: FindingDetails[K];
  /** Disambiguates two findings of one kind on the same slot (e.g. a sum and a 其中 check). */
  idExtra?: string;
};

export function makeFinding<K extends FindingKind>(ctx: AnalysisContext, parts: FindingParts<K>): Finding {
  const { severity, kind, indicator, requirement, target, evidence, message, action, messageEn, detail, idExtra } = parts;
  // Keys in one fixed order (thousands of findings per run: same-shaped objects are cheaper to build and read).
  const finding: FindingOf<K> = { id: findingId(kind, indicator, requirement ?? target, evidence, idExtra), severity, kind, message, action, detail };
  if (indicator !== undefined) finding.indicator = indicator;
  if (requirement !== undefined) finding.requirement = requirement;
  if (target !== undefined) finding.target = target;
  if (evidence !== undefined) finding.evidence = evidence;
  if (messageEn !== undefined) finding.messageEn = messageEn;
  const department = indicator !== undefined ? ctx.indicators.get(indicator)?.indicator.department : undefined;
  if (department) finding.department = department;
  // FindingOf<K> for a generic K is one member of the union; TypeScript cannot see that through the mapped type.
  return finding as Finding;
}

/** How an item is named in messages: its title in 《》, else the file name. */
export function itemName(item: Evidence): string {
  const title = item.title.trim();
  return `《${title || item.originalName}》`;
}

/** Numbers without float noise (0.1 + 0.2 → "0.3"); money keeps what the ledger says, up to 4 decimals. */
export function formatNumber(value: number): string {
  return String(Math.round(value * 10000) / 10000);
}

export function withUnit(value: number, unit: string): string {
  return `${formatNumber(value)}${unit}`;
}

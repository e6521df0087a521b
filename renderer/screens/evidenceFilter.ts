import type { Evidence, EvidenceType, Finding, Indicator } from '../../shared/domain/types.js';

export type EvidenceFilter = {
  /** Ids matching the search box (from `evidence.search`); null when the box is empty. */
  matches: ReadonlySet<number> | null;
  type: EvidenceType | '';
  indicator: string;
  department: string;
  from: string;
  to: string;
  hasFindings: boolean;
  /** Items the user has not confirmed (suggested type or indicator). */
  unconfirmed?: boolean;
  /** Photos with a caption (有说明) or lacking one (缺说明); other types drop out when set. */
  caption?: '' | 'with' | 'without';
};

export const emptyFilter: EvidenceFilter = { matches: null, type: '', indicator: '', department: '', from: '', to: '', hasFindings: false };

/**
 * A photo lacks its caption when the gap analysis says so (missing-caption: 事由/时间/地点/人物 incomplete) or,
 * for a photo not yet filed (which the analysis does not check), when no caption element is written at all.
 */
export function lacksCaption(ev: Evidence, findings: readonly Finding[] | undefined): boolean {
  if (ev.type !== 'photo') return false;
  if (findings?.some((f) => f.kind === 'missing-caption')) return true;
  return !Object.values(ev.caption ?? {}).some((v) => typeof v === 'string' && v.trim() !== '');
}

export function isSuggested(ev: Evidence): boolean {
  return ev.typeOrigin === 'suggested' || ev.links.some((l) => l.origin === 'suggested');
}

/** Narrows the list; every criterion must hold. Dates compare as YYYY-MM-DD strings (items without a date drop out of a range). */
export function filterEvidence(
  list: readonly Evidence[],
  filter: EvidenceFilter,
  context: { indicators: ReadonlyMap<string, Indicator>; findingsByEvidence: ReadonlyMap<number, readonly Finding[]> },
): Evidence[] {
  return list.filter((ev) => {
    if (filter.matches && !filter.matches.has(ev.id)) return false;
    if (filter.type && ev.type !== filter.type) return false;
    if (filter.indicator && !ev.links.some((l) => l.indicator === filter.indicator)) return false;
    if (filter.department && !ev.links.some((l) => context.indicators.get(l.indicator)?.department === filter.department)) return false;
    if (filter.from && (!ev.date || ev.date < filter.from)) return false;
    if (filter.to && (!ev.date || ev.date > filter.to)) return false;
    if (filter.hasFindings && !context.findingsByEvidence.get(ev.id)?.length) return false;
    if (filter.unconfirmed && !isSuggested(ev)) return false;
    if (filter.caption && (ev.type !== 'photo' || lacksCaption(ev, context.findingsByEvidence.get(ev.id)) !== (filter.caption === 'without'))) return false;
    return true;
  });
}

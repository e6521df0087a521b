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
};

export const emptyFilter: EvidenceFilter = { matches: null, type: '', indicator: '', department: '', from: '', to: '', hasFindings: false };

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
    return true;
  });
}

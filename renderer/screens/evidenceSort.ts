import type { Evidence, Finding } from '../../shared/domain/types.js';
import { SEVERITY } from '../../shared/vocabulary.js';
import { isSuggested } from './evidenceFilter.js';

/** Columns of the 材料库 table a person can sort by (click the header: ascending, again: descending). */
export const SORT_KEYS = ['title', 'type', 'doc', 'issuer', 'date', 'state'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type Sort = { key: SortKey; dir: 'asc' | 'desc' };

/** Pinyin order for Chinese, numbers inside text compared as numbers (〔2019〕3号 before 〔2019〕12号). */
const collator = new Intl.Collator('zh-CN', { numeric: true, sensitivity: 'base' });

/**
 * 状态 sorts by how much work an item needs: unreadable first, then errors, warnings, notes, unconfirmed
 * suggestions, and items that are fine last.
 */
export function stateRank(ev: Evidence, findings: readonly Finding[] | undefined): number {
  if (ev.readability !== 'ok') return 0;
  if (findings?.length) return 1 + Math.min(...findings.map((f) => SEVERITY[f.severity].rank));
  return isSuggested(ev) ? 4 : 5;
}

type SortContext = { typeLabel: (type: Evidence['type']) => string; findingsByEvidence: ReadonlyMap<number, readonly Finding[]> };

function sortValue(ev: Evidence, key: SortKey, ctx: SortContext): string | number | undefined {
  switch (key) {
    case 'title':
      return ev.title;
    case 'type':
      return ctx.typeLabel(ev.type);
    case 'doc':
      return ev.docNumber;
    case 'issuer':
      return ev.issuer;
    case 'date':
      return ev.date;
    case 'state':
      return stateRank(ev, ctx.findingsByEvidence.get(ev.id));
  }
}

/**
 * Sorts a copy of the list. Stable (equal values keep the list's order, also when descending), and items
 * without a value (no 文号, no date) go last in both directions, so a sort never buries the filled ones.
 */
export function sortEvidence<T extends Evidence>(list: readonly T[], sort: Sort | null, ctx: SortContext): T[] {
  if (!sort) return [...list];
  const sign = sort.dir === 'asc' ? 1 : -1;
  const keyed = list.map((ev) => ({ ev, value: sortValue(ev, sort.key, ctx) }));
  keyed.sort((a, b) => {
    const emptyA = a.value === undefined || a.value === '';
    const emptyB = b.value === undefined || b.value === '';
    if (emptyA || emptyB) return Number(emptyA) - Number(emptyB);
    const order = typeof a.value === 'number' && typeof b.value === 'number' ? a.value - b.value : collator.compare(String(a.value), String(b.value));
    return sign * order;
  });
  return keyed.map((k) => k.ev);
}

/** A click on a header: a new column starts ascending, the same column flips. */
export function nextSort(current: Sort | null, key: SortKey): Sort {
  return current?.key === key ? { key, dir: current.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' };
}

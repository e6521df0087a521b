/**
 * Every number in a pack traceable (issue 10): the line a divider prints under a figure computed from the ledgers,
 * in the PDF binders and the DOCX alike.
 */
import type { DividerTarget } from '../../../shared/binder/types.js';

/** 9 人, 12.50 万元 */
export function formatFigure(value: number, unit: string): string {
  return `${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`.trim();
}

export type SourcePlace = {
  /** The first page of a 件号 in this volume, once it is known. */
  pageOf: (number: string) => number | undefined;
  /**
   * The volume the line is printed for, named when a source bound in it has no page (the DOCX, which holds the
   * catalogue of every volume but not their pages); a PDF volume leaves it out, its 件号 being its own.
   */
  volume?: number;
};

/**
 * 台账计算：到结对东部地区就业 152 人（来源：转移就业台账，第 37 页）. A ledger bound in another volume is cited by
 * 卷 and 件号, one that is not bound says so.
 */
export function computedLine(t: DividerTarget, place: SourcePlace): string {
  const c = t.computed;
  if (!c) return '';
  const where = c.sources.map((s) => {
    if (s.number === undefined) return '台账未装订';
    const volume = s.volume ?? (place.pageOf(s.number) === undefined ? place.volume : undefined);
    if (volume !== undefined) return `第${volume}卷件号${s.number}`;
    const page = place.pageOf(s.number);
    return page === undefined ? `件号${s.number}` : `第 ${page} 页`;
  });
  // No row counted (a figure of 0) has no row to point at: the line says so rather than end in an empty place.
  const at = where.length ? [...new Set(where)].join('、') : '无符合条件的记录';
  return `台账计算：${t.label} ${formatFigure(c.value, t.unit)}（来源：${c.ledger}，${at}）`;
}

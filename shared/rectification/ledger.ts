import { RECTIFICATION_COLUMNS, RECTIFICATION_STATUS } from '../vocabulary.js';
import { isOverdue, type RectificationItem } from './types.js';

/** The 整改台账 as a table: what the review binder, the DOCX and (when chosen) the submission binder print. */
export type RectificationLedger = { title: string; header: string[]; rows: string[][] };

export type LedgerOptions = {
  /** Day the ledger is printed (YYYY-MM-DD): open items past their 时限 are marked 逾期 in the office's copy. */
  today: string;
  /** The office's own copy marks overdue items; the inspectors' copy states the status only. */
  markOverdue: boolean;
  /** How an evidence item is named in the 佐证 column (《题名》, 件号 where bound). */
  evidenceName: (id: number) => string;
};

const COLUMN_ORDER = ['seq', 'text', 'source', 'indicator', 'department', 'due', 'status', 'evidence'] as const;

export function rectificationLedger(items: RectificationItem[], opts: LedgerOptions): RectificationLedger {
  const rows = items.map((item, index) => {
    const status = RECTIFICATION_STATUS[item.status].zh;
    return [
      String(index + 1),
      item.text,
      item.source ?? '',
      item.indicator ?? '',
      item.department ?? '',
      item.due ?? '',
      opts.markOverdue && isOverdue(item, opts.today) ? `${status}（已逾期）` : status,
      item.evidence.map(opts.evidenceName).join('；'),
    ];
  });
  return { title: '整改台账', header: COLUMN_ORDER.map((c) => RECTIFICATION_COLUMNS[c].zh), rows };
}

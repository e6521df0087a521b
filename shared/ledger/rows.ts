import { isInPeriod, type AssessmentPeriod } from '../gaps/periods.js';
import { maskPersonalData } from '../privacy/mask.js';
import { maskIdNumber } from './checks.js';
import { ID_PROBLEM_WORDS, idNumberProblem } from './id-number.js';
import type { ParsedSheet } from './table.js';
import type { LedgerKind } from './types.js';
import type { LedgerValue } from './values.js';

/**
 * One page of a sheet's parsed rows for the 台账 view and `binder ledgers --rows`: header labels, the columns mapped
 * to fields, each row's values with its Excel row number and its problems, and the 合计/小计 rows. ID and mobile
 * numbers are masked unless asked otherwise (the workbench shows masked by default; screens get photographed).
 */

export type LedgerRowProblem = { field: string; zh: string; en: string };

export type LedgerRowsPage = {
  evidence: number;
  sheet: string;
  kind: string | null;
  kindTitle?: string;
  /** Header label of every column, as read (two-row headers joined 就业地区/东部). */
  headers: string[];
  /** Mapped columns: field key, its Chinese label, the header it was read from. */
  columns: { col: number; header: string; field: string; label: string; value?: string }[];
  /** Data rows in the sheet (not only this page). */
  total: number;
  offset: number;
  rows: { row: number; values: Record<string, LedgerValue>; problems: LedgerRowProblem[] }[];
  totals: { row: number; label: string; values: Record<string, LedgerValue> }[];
  masked: boolean;
};

export const LEDGER_ROWS_LIMIT = 500;

function maskValues(values: Record<string, LedgerValue>, idFields: ReadonlySet<string>): Record<string, LedgerValue> {
  const out: Record<string, LedgerValue> = {};
  for (const [key, value] of Object.entries(values)) {
    out[key] = typeof value !== 'string' ? value : idFields.has(key) ? maskIdNumber(value) : maskPersonalData(value);
  }
  return out;
}

export function ledgerRowsPage(
  ref: { evidence: number; sheet: string },
  parsed: ParsedSheet | undefined,
  kind: LedgerKind | undefined,
  period: AssessmentPeriod,
  page: { offset?: number; limit?: number; unmasked?: boolean },
): LedgerRowsPage {
  const offset = Math.max(0, page.offset ?? 0);
  const limit = Math.min(LEDGER_ROWS_LIMIT, Math.max(1, page.limit ?? 50));
  const masked = !page.unmasked;
  const fields = new Map((kind?.fields ?? []).map((f) => [f.key, f]));
  const idFields = new Set((kind?.fields ?? []).filter((f) => f.type === 'id-number').map((f) => f.key));
  const latest = period.valid ? period.end : '9999-12-31';
  const unmatched = new Map<number, ParsedSheet['unmatched']>();
  for (const u of parsed?.unmatched ?? []) unmatched.set(u.row, [...(unmatched.get(u.row) ?? []), u]);
  const show = (values: Record<string, LedgerValue>) => (masked ? maskValues(values, idFields) : { ...values });
  const rows = (parsed?.rows ?? []).slice(offset, offset + limit).map((r) => {
    const problems: LedgerRowProblem[] = [];
    for (const key of idFields) {
      const value = r.values[key];
      const problem = typeof value === 'string' ? idNumberProblem(value, latest) : undefined;
      if (problem) problems.push({ field: key, zh: `${fields.get(key)?.label ?? key}${ID_PROBLEM_WORDS[problem].zh}`, en: `${key}: ${ID_PROBLEM_WORDS[problem].en}` });
    }
    const dateField = kind?.periodField;
    const date = dateField ? r.values[dateField] : undefined;
    if (dateField && typeof date === 'string' && period.valid && !isInPeriod(date, period)) {
      problems.push({
        field: dateField,
        zh: `${fields.get(dateField)?.label ?? dateField} ${date} 不在考核期（${period.start} 至 ${period.end}）内，不计入指标`,
        en: `${dateField} ${date} is outside the assessment period; not counted`,
      });
    }
    for (const u of unmatched.get(r.row) ?? []) {
      const text = masked ? maskPersonalData(u.text) : u.text;
      const label = fields.get(u.field)?.label ?? u.field;
      problems.push(
        u.reason === 'ambiguous-month'
          ? {
              field: u.field,
              zh: `${label}“${text}”是数字，看不出是 ${text.split('.')[0]} 年 1 月还是 10 月（Excel 把 ${text}0 存成 ${text}），未读入；请在表中改为文本（如 ${text.split('.')[0]}-10）或设置两位小数格式后重新导入`,
              en: `${u.field}: “${text}” is a number; January or October cannot be told apart (Excel stores ${text}0 as ${text}); not read`,
            }
          : { field: u.field, zh: `${label}“${text}”不是可识别的取值`, en: `${u.field}: “${text}” matches no value` },
      );
    }
    return { row: r.row, values: show(r.values), problems };
  });
  return {
    evidence: ref.evidence,
    sheet: ref.sheet,
    kind: parsed?.kind ?? null,
    ...(kind ? { kindTitle: kind.title } : {}),
    headers: parsed?.headers ?? [],
    columns: (parsed?.columns ?? []).map((c) => ({
      col: c.col,
      header: c.header,
      field: c.field,
      label: fields.get(c.field)?.label ?? c.field,
      ...(c.value !== undefined ? { value: c.value } : {}),
    })),
    total: parsed?.rows.length ?? 0,
    offset,
    rows,
    totals: (parsed?.totals ?? []).map((t) => ({ row: t.row, label: t.label, values: show(t.values) })),
    masked,
  };
}

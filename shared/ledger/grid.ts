/**
 * A spreadsheet sheet as the ledger core sees it: cell texts (row-major, 0-based) and merged ranges (inclusive,
 * 0-based). Readers (electron/backend/ledger/read.ts) turn XLSX/XLS/ET/ODS/CSV into this; everything after is pure.
 */
export type Merge = { r0: number; c0: number; r1: number; c1: number };

export type Grid = {
  name: string;
  cells: string[][];
  merges: Merge[];
  /**
   * Cells ("row:col", 0-based) that were numbers of the shape YYYY.1 without a format saying how many decimals were
   * typed: Excel keeps 2019.10 (October) and 2019.1 (January) as the same number, so as a month it is ambiguous.
   */
  ambiguousMonths?: string[];
};

/** Full-width letters, digits and punctuation to half-width, the ideographic space to a space (全角 → 半角). */
export function toHalfWidth(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3000) out += ' ';
    else if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else out += text[i];
  }
  return out;
}

const BRACKETED = /[([{【〔（][^)\]}】〕）]*[)\]}】〕）]/g;
const NOISE = /[\s*＊:：、.,，。/\\_\-—–·'"“”‘’]/g;

/** Header text reduced for matching: half-width, lower case, no spaces or punctuation; brackets kept. */
export function squash(text: string): string {
  return toHalfWidth(text).toLowerCase().replace(NOISE, '');
}

/** Header text without what is in brackets (units, notes: 金额（万元） → 金额), squashed. */
export function stripBrackets(text: string): string {
  return squash(toHalfWidth(text).replace(BRACKETED, ''));
}

/** What a header says in brackets or after a slash about its unit (万元, 元, %), if anything. */
export function headerUnit(text: string): string | undefined {
  const half = toHalfWidth(text);
  if (/万元/.test(half)) return '万元';
  if (/亿元/.test(half)) return '亿元';
  if (/[(/]\s*元\s*\)?/.test(half) || /元\)?\s*$/.test(half)) return '元';
  if (/%/.test(half)) return '%';
  return undefined;
}

export function isBlankRow(row: readonly string[] | undefined): boolean {
  if (!row) return true;
  for (const cell of row) if (cell && cell.trim()) return false;
  return true;
}

/** Non-empty cells of a row, with their column. */
export function filledCells(row: readonly string[] | undefined): { col: number; text: string }[] {
  const out: { col: number; text: string }[] = [];
  if (!row) return out;
  row.forEach((cell, col) => {
    const text = cell?.trim();
    if (text) out.push({ col, text });
  });
  return out;
}

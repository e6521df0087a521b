import { filledCells, headerUnit, isBlankRow, squash, stripBrackets, type Grid } from './grid.js';
import { enumMatcher, isMarked, parseValue, type EnumMatcher, type LedgerValue } from './values.js';
import type { LedgerField, LedgerKind } from './types.js';

/**
 * Finding the table in a sheet as county offices lay it out: a merged title row, a 填报单位/填报时间 line,
 * blank spacer rows, a one- or two-row header (a parent over child headers: 就业地区 / 东部 | 省内 | 省外),
 * data rows, 合计/小计 rows, and notes under the table (填表说明, 注：…).
 */

/** A column given to a field; a tick column (就业地区/东部 with √) gives the field one enum value when marked. */
export type ColumnMapping = { col: number; header: string; field: string; value?: string; confidence: number; unit?: string };

/** What the user said about a sheet: its kind, and header text → field key ('' leaves a column out). */
export type UserMapping = { kind: string; columns?: Record<string, string> };

export type LedgerRow = { row: number; values: Record<string, LedgerValue> };

/** A 合计/小计 row: its label and the figures it states. */
export type TotalRow = LedgerRow & { label: string; subtotal: boolean };

export type ParsedSheet = {
  sheet: string;
  kind: string;
  /** 0..1: how sure the detection is of kind and columns (1 when the user mapped it). */
  confidence: number;
  /** 1-based row numbers of the header, as Excel shows them. */
  headerRows: number[];
  columns: ColumnMapping[];
  /** Every header label by column (two-row headers joined as 就业地区/东部). */
  headers: string[];
  rows: LedgerRow[];
  totals: TotalRow[];
  /**
   * Cells of enum columns that matched no value (shown so the user can add an alias or fix the cell), and date cells
   * left unread because the month is ambiguous (2019.1 stored as a number: January or October).
   */
  unmatched: { row: number; field: string; text: string; reason?: 'ambiguous-month' }[];
};

const META_LINE = /^(填报单位|填报时间|填报日期|报送单位|统计时间|统计日期|制表单位|制表时间|制表日期|单位[:：]|截止|截至|时间[:：])/;
const NOTE_LINE = /^(填表说明|注[:：]|注\d|说明[:：]|备注[:：]|注释|填报人|制表人|审核人|负责人|单位负责人|统计人|分管领导)/;
const TOTAL_WORD = /^(合计|小计|总计|共计|总合计)/;
const HEADER_SCAN_ROWS = 40;

type PreparedField = { field: LedgerField; names: { raw: string; squashed: string; stripped: string }[]; matcher?: EnumMatcher };
type PreparedKind = { kind: LedgerKind; fields: PreparedField[]; titleWords: string[] };

const prepared = new WeakMap<LedgerKind, PreparedKind>();

function prepare(kind: LedgerKind): PreparedKind {
  let p = prepared.get(kind);
  if (!p) {
    p = {
      kind,
      fields: kind.fields.map((field) => ({
        field,
        names: [field.label, ...(field.aliases ?? [])].map((raw) => ({ raw: raw.trim(), squashed: squash(raw), stripped: stripBrackets(raw) })),
        matcher: field.values ? enumMatcher(field.values) : undefined,
      })),
      titleWords: [kind.title, ...(kind.aliases ?? [])].map(squash).filter((w) => w.length >= 2),
    };
    prepared.set(kind, p);
  }
  return p;
}

/** How well a header label names a field: exact 1, squashed 0.95, without brackets 0.9, containment up to 0.85. */
function nameScore(label: string, field: PreparedField): number {
  const raw = label.trim();
  const sq = squash(raw);
  const st = stripBrackets(raw);
  if (!sq) return 0;
  let best = 0;
  for (const n of field.names) {
    if (n.raw === raw) return 1;
    if (n.squashed === sq) best = Math.max(best, 0.95);
    else if (n.stripped && n.stripped === st) best = Math.max(best, 0.9);
    else if (n.stripped.length >= 2 && st.length >= 2 && (st.includes(n.stripped) || n.stripped.includes(st))) {
      const ratio = Math.min(st.length, n.stripped.length) / Math.max(st.length, n.stripped.length);
      best = Math.max(best, 0.5 + 0.35 * ratio);
    }
  }
  return best;
}

/** Each column's label, merged cells filled: a horizontal merge in a parent row names every child column. */
function cellAt(grid: Grid, r: number, c: number, fill: Map<string, string>): string {
  return fill.get(`${r}:${c}`) ?? grid.cells[r]?.[c] ?? '';
}

function mergeFill(grid: Grid): Map<string, string> {
  const fill = new Map<string, string>();
  for (const m of grid.merges) {
    if (m.r0 > HEADER_SCAN_ROWS + 2) continue;
    const text = grid.cells[m.r0]?.[m.c0] ?? '';
    for (let r = m.r0; r <= m.r1; r++) for (let c = m.c0; c <= m.c1; c++) fill.set(`${r}:${c}`, text);
  }
  return fill;
}

function width(grid: Grid): number {
  let w = 0;
  for (let r = 0; r < Math.min(grid.cells.length, HEADER_SCAN_ROWS + 2); r++) w = Math.max(w, grid.cells[r]?.length ?? 0);
  return w;
}

/** True when a row's cell is the top of a merge that spans columns, or a merge that reaches into the next row. */
function headerMergesIn(grid: Grid, r: number): { spansColumns: boolean; spansRows: boolean } {
  let spansColumns = false;
  let spansRows = false;
  for (const m of grid.merges) {
    if (m.r0 !== r) continue;
    if (m.c1 > m.c0 && m.r1 === r) spansColumns = true;
    if (m.r1 > r) spansRows = true;
  }
  return { spansColumns, spansRows };
}

function looksNumeric(text: string): boolean {
  return /^[\d.,\-/%\s年月日]+$/.test(text.trim());
}

/** Labels for a header starting at row r: one row, or two rows joined "parent/child" where a parent spans children. */
function headerLabels(grid: Grid, r: number, twoRows: boolean, fill: Map<string, string>, w: number): string[] {
  const labels: string[] = [];
  for (let c = 0; c < w; c++) {
    const parent = cellAt(grid, r, c, fill).trim();
    if (!twoRows) {
      labels.push(parent);
      continue;
    }
    const child = cellAt(grid, r + 1, c, fill).trim();
    labels.push(!child || child === parent ? parent : parent ? `${parent}/${child}` : child);
  }
  return labels;
}

function canBeTwoRowHeader(grid: Grid, r: number, fill: Map<string, string>): boolean {
  const next = grid.cells[r + 1];
  if (isBlankRow(next)) return false;
  const merges = headerMergesIn(grid, r);
  if (merges.spansColumns || merges.spansRows) return true;
  // Without merge records (CSV): the next row names columns this row leaves blank, and holds no figures.
  const cells = filledCells(next);
  if (cells.some((cell) => looksNumeric(cell.text))) return false;
  return cells.some((cell) => !cellAt(grid, r, cell.col, fill).trim());
}

type Candidate = { row: number; twoRows: boolean; labels: string[]; columns: ColumnMapping[]; score: number; confidence: number };

/** Columns given to fields, best pairs first; user columns fixed beforehand. */
function mapColumns(labels: string[], kind: PreparedKind, user?: Record<string, string>): ColumnMapping[] {
  const result: ColumnMapping[] = [];
  const takenCols = new Set<number>();
  const takenFields = new Set<string>();
  if (user) {
    const wanted = new Map(Object.entries(user).map(([header, field]) => [squash(header), field]));
    labels.forEach((label, col) => {
      const field = wanted.get(squash(label));
      if (field === undefined) return;
      takenCols.add(col);
      if (!field) return;
      const [key, value] = field.split('=');
      if (!kind.kind.fields.some((f) => f.key === key)) return;
      result.push({ col, header: label, field: key, ...(value ? { value } : {}), confidence: 1, unit: headerUnit(label) });
      if (!value) takenFields.add(key);
    });
  }
  const pairs: { col: number; field: PreparedField; score: number; value?: string }[] = [];
  labels.forEach((label, col) => {
    if (!label || takenCols.has(col)) return;
    const slash = label.indexOf('/');
    for (const field of kind.fields) {
      if (takenFields.has(field.field.key)) continue;
      let score = nameScore(label, field);
      if (slash > 0) {
        const parent = label.slice(0, slash);
        const child = label.slice(slash + 1);
        if (field.matcher && nameScore(parent, field) >= 0.85) {
          // 就业地区/东部: a tick column for one value of the enum.
          const exact = field.matcher.exact.get(squash(child));
          if (exact) pairs.push({ col, field, score: 0.9, value: exact });
          continue;
        }
        score = Math.max(score, nameScore(child, field) * 0.95);
      }
      if (score >= 0.5) pairs.push({ col, field, score });
    }
  });
  pairs.sort((a, b) => b.score - a.score || a.col - b.col);
  for (const p of pairs) {
    if (takenCols.has(p.col)) continue;
    const key = p.field.field.key;
    if (p.value === undefined && takenFields.has(key)) continue;
    if (p.value !== undefined && result.some((m) => m.field === key && m.value === undefined)) continue;
    takenCols.add(p.col);
    if (p.value === undefined) takenFields.add(key);
    result.push({ col: p.col, header: labels[p.col], field: key, ...(p.value ? { value: p.value } : {}), confidence: Math.round(p.score * 100) / 100, unit: headerUnit(labels[p.col]) });
  }
  return result.sort((a, b) => a.col - b.col);
}

function scoreMapping(columns: ColumnMapping[], kind: PreparedKind, labels: string[], titleHit: boolean): { score: number; confidence: number } {
  const byField = new Map<string, number>();
  for (const m of columns) byField.set(m.field, Math.max(byField.get(m.field) ?? 0, m.confidence));
  const sum = [...byField.values()].reduce((s, v) => s + v, 0);
  const named = labels.filter((l) => l && !/^(序号|编号|备注|序)$/.test(squash(l))).length;
  const coverage = sum / Math.max(1, Math.min(kind.fields.length, named));
  const required = kind.kind.fields.filter((f) => f.required);
  const missingRequired = required.filter((f) => !byField.has(f.key)).length;
  let confidence = coverage * (missingRequired ? 0.5 : 1) + (titleHit ? 0.15 : 0);
  if (byField.size < 2) confidence = Math.min(confidence, 0.2);
  confidence = Math.min(1, Math.round(confidence * 100) / 100);
  // The header is chosen by columns explained (a tick column per enum value counts once each), the kind by fields.
  const columnsExplained = columns.reduce((s, m) => s + m.confidence, 0);
  return { score: columnsExplained + (titleHit ? 0.5 : 0), confidence };
}

function titleHit(kind: PreparedKind, words: string): boolean {
  return kind.titleWords.some((w) => words.includes(w));
}

/** The kind and header of a sheet: the best (header row, kind) pair by mapped columns and title words. */
export function detectTable(grid: Grid, kinds: readonly LedgerKind[], user?: UserMapping): Candidate & { kind: LedgerKind } | undefined {
  const fill = mergeFill(grid);
  const w = width(grid);
  const pool = (user ? kinds.filter((k) => k.id === user.kind) : kinds).map(prepare);
  let best: (Candidate & { kind: LedgerKind }) | undefined;
  let above = squash(grid.name);
  for (let r = 0; r < Math.min(grid.cells.length, HEADER_SCAN_ROWS); r++) {
    const row = grid.cells[r];
    const cells = filledCells(row);
    if (!cells.length) continue;
    const first = cells[0].text;
    if (cells.length === 1 || META_LINE.test(first.replace(/\s/g, ''))) {
      above += squash(cells.map((c) => c.text).join(''));
      continue;
    }
    for (const twoRows of canBeTwoRowHeader(grid, r, fill) ? [false, true] : [false]) {
      const labels = headerLabels(grid, r, twoRows, fill, w);
      for (const kind of pool) {
        const columns = mapColumns(labels, kind, user?.columns);
        const { score, confidence } = scoreMapping(columns, kind, labels, titleHit(kind, above));
        if (!best || score > best.score + 1e-9) best = { row: r, twoRows, labels, columns, score, confidence: user ? 1 : confidence, kind: kind.kind };
      }
    }
    above += squash(cells.map((c) => c.text).join(''));
  }
  return best && best.columns.length ? best : undefined;
}

/** Rows of the table under its header: data rows, 合计/小计 rows apart, up to the notes under the table. */
export function parseSheet(grid: Grid, kinds: readonly LedgerKind[], user?: UserMapping): ParsedSheet | undefined {
  const table = detectTable(grid, kinds, user);
  if (!table) return undefined;
  const kind = prepare(table.kind);
  const fields = new Map(kind.fields.map((f) => [f.field.key, f]));
  const start = table.row + (table.twoRows ? 2 : 1);
  const rows: LedgerRow[] = [];
  const totals: TotalRow[] = [];
  const unmatched: ParsedSheet['unmatched'] = [];
  const headerSquashed = table.labels.map(squash);
  const ambiguous = new Set(grid.ambiguousMonths ?? []);
  for (let r = start; r < grid.cells.length; r++) {
    const row = grid.cells[r];
    const cells = filledCells(row);
    if (!cells.length) continue;
    const first = cells[0].text.replace(/\s/g, '');
    if (NOTE_LINE.test(first) || (cells.length === 1 && cells[0].text.length >= 20)) break;
    // A header repeated on every printed page is not a row.
    if (cells.every((c) => headerSquashed[c.col] === squash(c.text))) continue;
    const totalCell = cells.slice(0, 3).find((c) => TOTAL_WORD.test(c.text.replace(/\s/g, '')));
    const values: Record<string, LedgerValue> = {};
    let any = false;
    for (const m of table.columns) {
      const text = row?.[m.col] ?? '';
      const f = fields.get(m.field);
      if (!f || !text.trim()) continue;
      if (m.value !== undefined) {
        if (isMarked(text)) {
          values[m.field] = m.value;
          any = true;
        }
        continue;
      }
      if (totalCell && !['money', 'count', 'percent'].includes(f.field.type)) continue;
      if (f.field.type === 'date' && ambiguous.has(`${r}:${m.col}`)) {
        // Not guessed: the row keeps no date for this field and says why.
        unmatched.push({ row: r + 1, field: m.field, text: text.trim(), reason: 'ambiguous-month' });
        continue;
      }
      const value = parseValue(text, f.field, f.matcher, m.unit);
      if (value === undefined) {
        if (f.field.type === 'enum' && !totalCell) unmatched.push({ row: r + 1, field: m.field, text: text.trim() });
        continue;
      }
      values[m.field] = value;
      any = true;
    }
    if (totalCell) {
      const label = totalCell.text.replace(/\s/g, '');
      totals.push({ row: r + 1, values, label, subtotal: label.startsWith('小计') });
    } else if (any) {
      rows.push({ row: r + 1, values });
    }
  }
  const headerRows = table.twoRows ? [table.row + 1, table.row + 2] : [table.row + 1];
  return { sheet: grid.name, kind: table.kind.id, confidence: table.confidence, headerRows, columns: table.columns, headers: table.labels, rows, totals, unmatched };
}

/** The columns as the CLI and the 台账 view show them: field → header text (tick columns joined). */
export function columnsByField(columns: readonly ColumnMapping[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of columns) out[m.field] = out[m.field] ? `${out[m.field]}、${m.header}` : m.header;
  return out;
}

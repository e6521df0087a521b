/**
 * Spreadsheets (ledgers, rosters) printed by us as tables an inspector can read, instead of LibreOffice's
 * default print of whatever page setup the sheet had (column strips on US Letter, no grid):
 * A4 landscape, grid lines, column widths from the content, wrapped cells, 9 pt at least, header rows
 * repeated on every page, "第 n 页 共 m 页" per sheet, and a sheet too wide for one page split into column
 * groups that each repeat the key columns (序号, 姓名/名称).
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { PDFDocument, PDFFont, PDFPage } from '@cantoo/pdf-lib';
import type { TableSource } from '../../../../shared/binder/types.js';
import { A4, BLACK, LIGHT, MM, drawCentered, drawLine, lineUnits, textWidth, wrapText, type Fonts } from './text.js';
import { readCsv } from '../../intake/readers/csv.js';

/** One sheet as text: title rows above the table, header row(s), then data rows. */
export type SheetText = { name: string; title: string[]; header: string[][]; rows: string[][] };

/**
 * Turns a cell's text into what is printed. The seam for masking personal data (ID card and phone numbers
 * on rosters), which is decided elsewhere; the default prints the cell as it is.
 */
export type CellFormatter = (text: string, column: { index: number; header: string }) => string;

const PAGE = { width: A4.height, height: A4.width };
/** Top margin leaves the band for the 页号 and a whole 归档章 (16 mm); sides and bottom as for copied pages. */
const MARGIN = { top: 24 * MM, side: 12 * MM, bottom: 16 * MM };
/** ≥ 9 pt (小五) so a printed ledger stays readable. */
const FONT_SIZE = 9;
const LEADING = FONT_SIZE * 1.3;
const PAD_X = 1.5 * MM;
const PAD_Y = 1.2 * MM;
/** A column is never narrower than this (unless its content is), nor wider than MAX_COLUMN when others need room. */
const MIN_COLUMN = 14 * MM;
const MAX_COLUMN = 70 * MM;
/** Rows of a cell that would not fit one page are cut, with a mark. */
const MAX_CELL_LINES = Math.floor((PAGE.height - MARGIN.top - MARGIN.bottom - 60) / LEADING);
const KEY_COLUMN = /^(序号|编号|姓名|名称|.{0,6}名称)$/;

function cellText(cell: ExcelJS.Cell): string {
  const value = cell.value;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (value && typeof value === 'object' && 'result' in value) {
    const result = value.result;
    return result instanceof Date ? result.toISOString().slice(0, 10) : result === undefined || result === null ? '' : String(result);
  }
  return cell.text ?? '';
}

/**
 * Title rows (one filled cell, such as a merged caption — readers repeat a merged value in every cell it covers, so
 * a row whose filled cells all say the same is one caption too), then the first other row is the header.
 */
function splitSheet(name: string, grid: string[][]): SheetText | null {
  const rows = grid.map((r) => r.map((c) => c.replace(/\s+/g, ' ').trim()));
  const filled = (r: string[]) => r.filter(Boolean).length;
  const caption = (r: string[]) => new Set(r.filter(Boolean)).size <= 1;
  let start = 0;
  const title: string[] = [];
  while (start < rows.length && caption(rows[start])) {
    const text = rows[start].find(Boolean);
    if (text) title.push(text);
    start += 1;
  }
  if (start >= rows.length) return null;
  const width = Math.max(...rows.slice(start).map((r) => r.length));
  // Columns empty in every row are dropped (sheets often carry formatting far to the right).
  const used = Array.from({ length: width }, (_, c) => rows.slice(start).some((r) => (r[c] ?? '') !== ''));
  const keep = (r: string[]) => used.flatMap((u, c) => (u ? [r[c] ?? ''] : []));
  const body = rows.slice(start + 1).filter((r) => filled(r) > 0).map(keep);
  return { name, title, header: [keep(rows[start])], rows: body };
}

async function readXlsx(bytes: Buffer): Promise<SheetText[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  const sheets: SheetText[] = [];
  for (const sheet of workbook.worksheets) {
    if (sheet.state !== 'visible') continue;
    const grid: string[][] = [];
    const columns = sheet.columnCount;
    sheet.eachRow({ includeEmpty: true }, (row, index) => {
      grid[index - 1] = Array.from({ length: columns }, (_, c) => cellText(row.getCell(c + 1)));
    });
    const text = splitSheet(sheet.name, Array.from(grid, (r) => r ?? []));
    if (text) sheets.push(text);
  }
  return sheets;
}

/**
 * The sheets of a spreadsheet file as text: xlsx read directly, csv parsed, and the binary and ODF workbooks (.xls,
 * WPS .et, .ods) through the ledger reader, whose Chinese reason is thrown when the file cannot be read.
 */
export async function readSheets(file: string, kind: TableSource, name: string): Promise<SheetText[]> {
  const bytes = await readFile(file);
  if (kind === 'csv') {
    const sheet = splitSheet(name, readCsv(bytes));
    return sheet ? [sheet] : [];
  }
  if (kind === 'xlsx') return readXlsx(bytes);
  // Loaded on first use: SheetJS is large and most binders have no such workbook.
  const { readLedgerBytes } = await import('../../ledger/read.js');
  const read = await readLedgerBytes(bytes, kind, name);
  if (read.sheets.length === 0 && read.problems.length > 0) throw new Error(read.problems[0].reason);
  return read.sheets.flatMap((grid) => splitSheet(grid.name, grid.cells) ?? []);
}

type ColumnGroup = { columns: number[]; widths: number[] };

/**
 * Natural width of each column: its widest cell on one line (capped). A long header ("下达金额（万元）") wraps
 * rather than widening a column of short numbers, but keeps four characters a line.
 */
function naturalWidths(font: PDFFont, sheet: SheetText): { natural: number[]; floor: number[] } {
  const count = Math.max(...sheet.header.map((r) => r.length), ...sheet.rows.map((r) => r.length), 1);
  const widths = new Array<number>(count).fill(0);
  // The widest unit that may not be broken (a 文号, a number, a date) sets a floor under the column.
  const floor = new Array<number>(count).fill(0);
  const measure = (text: string) => Math.min(MAX_COLUMN, textWidth(font, text, FONT_SIZE) + 2 * PAD_X + 1);
  // Sampling the first rows keeps a 10,000-row ledger fast; widths only guide the layout.
  for (const row of sheet.rows.slice(0, 400)) {
    row.forEach((text, c) => {
      widths[c] = Math.max(widths[c], measure(text));
      for (const unit of lineUnits(text)) if (unit.length > 1) floor[c] = Math.max(floor[c], measure(unit));
    });
  }
  const fourCharacters = 4 * FONT_SIZE + 2 * PAD_X + 1;
  for (const row of sheet.header) {
    row.forEach((text, c) => (widths[c] = Math.max(widths[c], Math.min(measure(text), Math.max(widths[c], fourCharacters)))));
  }
  return { natural: widths, floor: floor.map((f, c) => Math.min(f, widths[c])) };
}

/**
 * Fit the columns into the page width: columns narrower than their fair share keep their natural width, the
 * others share the rest (and wrap). When even MIN_COLUMN each does not fit, the columns are split into groups
 * of pages, each repeating the key columns.
 */
function groupColumns({ natural, floor }: { natural: number[]; floor: number[] }, header: string[], available: number): ColumnGroup[] {
  const keys = header.flatMap((h, c) => (KEY_COLUMN.test(h.trim()) ? [c] : [])).slice(0, 2);
  const minimum = natural.map((w, c) => Math.max(Math.min(w, MIN_COLUMN), floor[c]));
  const groups: number[][] = [];
  const others = natural.map((_, c) => c).filter((c) => !keys.includes(c));
  const keyWidth = keys.reduce((s, c) => s + minimum[c], 0);
  const total = minimum.reduce((s, w) => s + w, 0);
  if (total <= available) groups.push(natural.map((_, c) => c));
  else {
    let current: number[] = [];
    let width = keyWidth;
    for (const c of others) {
      if (current.length > 0 && width + minimum[c] > available) {
        groups.push([...keys, ...current]);
        current = [];
        width = keyWidth;
      }
      current.push(c);
      width += minimum[c];
    }
    if (current.length) groups.push([...keys, ...current]);
  }
  return groups.map((columns) => ({ columns, widths: raiseToFloor(shareWidth(columns.map((c) => natural[c]), available), columns.map((c) => minimum[c])) }));
}

/** Columns below their floor take the difference from the columns with room to spare, in proportion to that room. */
function raiseToFloor(widths: number[], floor: number[]): number[] {
  const deficit = widths.reduce((s, w, i) => s + Math.max(0, floor[i] - w), 0);
  const room = widths.reduce((s, w, i) => s + Math.max(0, w - floor[i]), 0);
  if (deficit === 0 || room <= deficit) return widths;
  return widths.map((w, i) => (w < floor[i] ? floor[i] : w - ((w - floor[i]) / room) * deficit));
}

/** Water-filling: small columns get what they need, wide ones split what is left in proportion to their text. */
function shareWidth(natural: number[], available: number): number[] {
  const widths = new Array<number>(natural.length).fill(0);
  let open = natural.map((_, i) => i);
  let left = available;
  for (;;) {
    const share = left / Math.max(open.length, 1);
    const fits = open.filter((i) => natural[i] <= share);
    if (fits.length === 0 || open.length === 0) break;
    for (const i of fits) {
      widths[i] = natural[i];
      left -= natural[i];
    }
    open = open.filter((i) => natural[i] > share);
  }
  const wide = open.reduce((s, i) => s + natural[i], 0);
  for (const i of open) widths[i] = wide > 0 ? (left * natural[i]) / wide : left / open.length;
  // Spare width (all columns fit) goes to the widest columns, so the table spans the page evenly.
  const used = widths.reduce((s, w) => s + w, 0);
  if (used < available && used > 0) return widths.map((w) => w * (available / used));
  return widths;
}

type PreparedRow = { cells: string[][]; height: number };

function prepareRow(font: PDFFont, row: string[], group: ColumnGroup, format: CellFormatter, header: string[]): PreparedRow {
  const cells = group.columns.map((c, i) => {
    const text = format(row[c] ?? '', { index: c, header: header[c] ?? '' });
    const lines = wrapText(font, text, FONT_SIZE, group.widths[i] - 2 * PAD_X);
    return lines.length > MAX_CELL_LINES ? [...lines.slice(0, MAX_CELL_LINES - 1), `${lines[MAX_CELL_LINES - 1]}…`] : lines;
  });
  return { cells, height: Math.max(1, ...cells.map((l) => l.length)) * LEADING + 2 * PAD_Y };
}

/**
 * Draw the sheets as table pages on A4 landscape and return them (the caller numbers and stamps them).
 * Each sheet starts a new page; its pages say "第 n 页 共 m 页" at the bottom.
 */
export function drawTablePages(doc: PDFDocument, fonts: Fonts, sheets: SheetText[], format: CellFormatter = (t) => t): PDFPage[] {
  const font = fonts.fangsong;
  const bold = fonts.hei;
  const all: PDFPage[] = [];
  const left = MARGIN.side;
  const available = PAGE.width - 2 * MARGIN.side;
  for (const sheet of sheets) {
    const header = sheet.header[0] ?? [];
    const groups = groupColumns(naturalWidths(font, sheet), header, available);
    const pages: PDFPage[] = [];
    groups.forEach((group, gi) => {
      const heads = sheet.header.map((r) => prepareRow(bold, r, group, (t) => t, header));
      const headHeight = heads.reduce((s, r) => s + r.height, 0);
      const caption = [sheet.title.join(' ') || sheet.name, groups.length > 1 ? `（第 ${gi + 1} 组列，共 ${groups.length} 组）` : ''].join('');
      let page!: PDFPage;
      let y = 0;
      const drawRow = (row: PreparedRow, shaded: boolean): void => {
        let x = left;
        const width = group.widths.reduce((s, w) => s + w, 0);
        if (shaded) page.drawRectangle({ x: left, y: y - row.height, width, height: row.height, color: LIGHT, opacity: 0.3 });
        row.cells.forEach((lines, i) => {
          lines.forEach((line, j) => drawLine(page, line, x + PAD_X, y - PAD_Y - FONT_SIZE - j * LEADING + 1.5, shaded ? bold : font, FONT_SIZE));
          page.drawRectangle({ x, y: y - row.height, width: group.widths[i], height: row.height, borderColor: BLACK, borderWidth: 0.5 });
          x += group.widths[i];
        });
        y -= row.height;
      };
      const newPage = (): void => {
        page = doc.addPage([PAGE.width, PAGE.height]);
        pages.push(page);
        y = PAGE.height - MARGIN.top;
        drawCentered(page, caption, y, bold, 11, left, PAGE.width - MARGIN.side);
        y -= 5 * MM;
        for (const head of heads) drawRow(head, true);
      };
      newPage();
      if (sheet.rows.length === 0) return;
      for (const row of sheet.rows) {
        const prepared = prepareRow(font, row, group, format, header);
        if (y - prepared.height < MARGIN.bottom && y < PAGE.height - MARGIN.top - 5 * MM - headHeight - 1) newPage();
        drawRow(prepared, false);
      }
    });
    pages.forEach((page, i) => drawCentered(page, `第 ${i + 1} 页 共 ${pages.length} 页`, MARGIN.bottom - 9, font, FONT_SIZE, 0, PAGE.width));
    all.push(...pages);
  }
  return all;
}

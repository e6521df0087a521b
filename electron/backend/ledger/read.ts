import * as XLSX from '@e965/xlsx';
import type { Grid, Merge } from '../../../shared/ledger/grid.js';
import { readCsv } from '../intake/readers/csv.js';
import { closeZip, listZipEntries, openZipBuffer, readZipEntry } from '../intake/readers/zip.js';

/**
 * Reads ledgers (台账) as county offices send them — XLSX, XLS (BIFF8), WPS 表格 .et, ODS, CSV in UTF-8 (with or
 * without BOM) or GBK — into grids with merged ranges. Row 0 of a grid is Excel's row 1, so row numbers in messages
 * are the ones the office sees. Nothing throws through: a corrupt, encrypted or oversized workbook or sheet comes
 * back as a Chinese reason, and the other sheets are still read.
 */

export type LedgerFormat = 'xlsx' | 'xls' | 'et' | 'ods' | 'csv';

export type WorkbookRead = { sheets: Grid[]; problems: { sheet?: string; reason: string }[] };

/** Cells per sheet we hold in memory at most (a county ledger has tens of thousands of rows × ~20 columns). */
export const MAX_SHEET_CELLS = 2_000_000;
/** Bytes of one workbook file we parse at most: SheetJS holds the whole workbook in memory. */
export const MAX_WORKBOOK_BYTES = 60 * 1024 * 1024;

const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

const reasons = {
  encrypted: (name: string) => `“${name}”设有打开密码，无法读取台账数据。请去除密码后另存，再重新导入。`,
  corrupt: (name: string) => `“${name}”已损坏或不是有效的电子表格，无法读取台账数据。请用 Excel 或 WPS 打开后另存为 .xlsx，再重新导入。`,
  tooLarge: (name: string, mb: number) => `“${name}”有 ${mb} MB，超过台账读取上限（${MAX_WORKBOOK_BYTES / 1024 / 1024} MB）。请按乡镇或年度拆分为几个文件后导入。`,
  sheetTooLarge: (sheet: string, cells: number) =>
    `工作表“${sheet}”约有 ${cells.toLocaleString('en-US')} 个单元格，超过上限 ${MAX_SHEET_CELLS.toLocaleString('en-US')}，未读取。请删除多余的空行空列或拆分工作表后重新导入。`,
};

export async function readLedgerBytes(bytes: Buffer, format: LedgerFormat, fileName: string): Promise<WorkbookRead> {
  if (bytes.length > MAX_WORKBOOK_BYTES) return { sheets: [], problems: [{ reason: reasons.tooLarge(fileName, Math.round(bytes.length / 1024 / 1024)) }] };
  if (format === 'csv') return { sheets: [{ name: fileName.replace(/\.csv$/i, ''), cells: readCsv(bytes), merges: [] }], problems: [] };
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const ole = bytes.subarray(0, 8).equals(OLE);
  // SheetJS reads anything as text when it is no workbook: only hand it what looks like one.
  if (!zip && !ole) return { sheets: [], problems: [{ reason: reasons.corrupt(fileName) }] };
  let wb: XLSX.WorkBook;
  try {
    // cellNF keeps number formats, so a date cell is told from a number (dates are serials in both).
    wb = XLSX.read(bytes, { type: 'buffer', dense: true, cellNF: true, cellDates: false, cellFormula: false, cellHTML: false, cellStyles: false });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const encrypted = /password|encrypt/i.test(message) || (ole && format !== 'xls' && format !== 'et') || (zip && (await odfEncrypted(bytes)));
    return { sheets: [], problems: [{ reason: encrypted ? reasons.encrypted(fileName) : reasons.corrupt(fileName) }] };
  }
  const out: WorkbookRead = { sheets: [], problems: [] };
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    if (!ws?.['!ref']) continue;
    const range = XLSX.utils.decode_range(ws['!ref']);
    const cells = (range.e.r + 1) * (range.e.c + 1);
    if (cells > MAX_SHEET_CELLS) {
      out.problems.push({ sheet: name, reason: reasons.sheetTooLarge(name, cells) });
      continue;
    }
    out.sheets.push(sheetToGrid(name, ws, range));
  }
  return out;
}

/** A password-protected ODF file is still a zip, but its manifest lists encryption data for content.xml. */
async function odfEncrypted(bytes: Buffer): Promise<boolean> {
  let zip: Awaited<ReturnType<typeof openZipBuffer>> | undefined;
  try {
    zip = await openZipBuffer(bytes);
    const manifest = (await listZipEntries(zip)).find((e) => e.name === 'META-INF/manifest.xml');
    return manifest !== undefined && (await readZipEntry(zip, manifest.entry, 1024 * 1024)).includes('encryption-data');
  } catch {
    return false;
  } finally {
    if (zip) closeZip(zip);
  }
}

/**
 * A number that could be a month typed as YYYY.MM: 2019.1 is how Excel keeps both 2019.1 and 2019.10. The cell's
 * number format decides: two decimals shown ('0.00') means 2019.10; otherwise the month is ambiguous.
 */
function yearMonthNumber(v: number, format: string | undefined): 'october' | 'ambiguous' | undefined {
  const year = Math.floor(v);
  if (year < 1900 || year > 2100 || Math.round((v - year) * 1000) !== 100) return undefined;
  const decimals = /^[^;]*?\.(0+)(?![0-9#])/.exec(format ?? '')?.[1].length;
  return decimals === 2 ? 'october' : 'ambiguous';
}

function cellText(cell: XLSX.CellObject | undefined): { text: string; ambiguousMonth?: boolean } {
  if (!cell || cell.v === undefined || cell.v === null) return { text: '' };
  switch (cell.t) {
    case 'n': {
      const v = cell.v as number;
      if (cell.z && XLSX.SSF.is_date(cell.z)) {
        const d = XLSX.SSF.parse_date_code(v);
        if (d) return { text: `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}` };
      }
      // 2019.10 shown with two decimals is written so (the same number for a figure; October for a month).
      const month = yearMonthNumber(v, typeof cell.z === 'string' ? cell.z : undefined);
      if (month === 'october') return { text: v.toFixed(2) };
      // Figures as stored, without the sheet's display format (thousands separators, rounding).
      return month === 'ambiguous' ? { text: String(v), ambiguousMonth: true } : { text: String(v) };
    }
    case 'd':
      return { text: cell.v instanceof Date ? cell.v.toISOString().slice(0, 10) : String(cell.v) };
    case 'b':
      return { text: cell.v ? '是' : '否' };
    case 'e':
      return { text: '' };
    default:
      return { text: String(cell.v) };
  }
}

function sheetToGrid(name: string, ws: XLSX.WorkSheet, range: XLSX.Range): Grid {
  const dense = (ws as { '!data'?: (XLSX.CellObject | undefined)[][] })['!data'];
  const cells: string[][] = [];
  const ambiguousMonths: string[] = [];
  for (let r = 0; r <= range.e.r; r++) {
    const row: string[] = [];
    const source = dense?.[r];
    let last = -1;
    for (let c = 0; c <= range.e.c; c++) {
      const { text, ambiguousMonth } = cellText(dense ? source?.[c] : (ws[XLSX.utils.encode_cell({ r, c })] as XLSX.CellObject | undefined));
      row.push(text);
      if (ambiguousMonth) ambiguousMonths.push(`${r}:${c}`);
      if (text) last = c;
    }
    row.length = last + 1;
    cells.push(row);
  }
  const merges: Merge[] = (ws['!merges'] ?? []).map((m) => ({ r0: m.s.r, c0: m.s.c, r1: m.e.r, c1: m.e.c }));
  return { name, cells, merges, ...(ambiguousMonths.length ? { ambiguousMonths } : {}) };
}


/**
 * Masked copies of originals for the submission edition: what the zip ships instead of a ledger's .xlsx or
 * .csv, and what LibreOffice converts instead of a .docx, so that no ID or mobile number of a household
 * leaves the office in full. Originals in the vault are only read, never written; a copy is regenerated on
 * every build (cheap next to the conversion) so it always follows the current masking rules.
 */
import ExcelJS from 'exceljs';
import { maskPersonalData, maskedRanges } from '../../../shared/privacy/mask.js';
import { readCsv } from '../intake/readers/csv.js';
import { rezipWithFixedTime } from './package/zip-io.js';

/** Formats we can mask by rewriting a copy; PDFs, images and old binary Office files we cannot. */
export type MaskableFormat = 'xlsx' | 'csv' | 'docx';

export function maskableFormat(format: string, originalName: string): MaskableFormat | null {
  if (format === 'xlsx' || format === 'docx') return format;
  if (format === 'txt' && /\.csv$/i.test(originalName)) return 'csv';
  return null;
}

function maskCellValue(value: ExcelJS.CellValue): ExcelJS.CellValue {
  if (typeof value === 'string') return maskPersonalData(value);
  // A phone number typed into a cell is stored as a number; masked it becomes text. (An 18-digit ID cannot be a
  // number without losing digits, so IDs are always text.)
  if (typeof value === 'number' && Number.isInteger(value)) {
    const masked = maskPersonalData(String(value));
    return masked === String(value) ? value : masked;
  }
  if (value && typeof value === 'object') {
    if ('richText' in value) return { richText: value.richText.map((run) => ({ ...run, text: maskPersonalData(run.text) })) };
    // A formula's cached result is what a reader sees; the masked copy keeps that result as plain text.
    if ('result' in value && (typeof value.result === 'string' || typeof value.result === 'number')) {
      const shown = String(value.result);
      const masked = maskPersonalData(shown);
      if (masked !== shown) return masked;
    }
    if ('text' in value && 'hyperlink' in value && typeof value.text === 'string') return { ...value, text: maskPersonalData(value.text) };
  }
  return value;
}

/**
 * Every cell of every sheet masked; formatting, merges and column widths kept as ExcelJS reads them. Null when
 * no cell holds personal data: the original is then shipped as it is.
 */
export async function maskXlsx(bytes: Buffer): Promise<Buffer | null> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  let changed = false;
  for (const sheet of workbook.worksheets) {
    sheet.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const masked = maskCellValue(cell.value);
        if (masked !== cell.value) {
          cell.value = masked;
          changed = true;
        }
      });
    });
  }
  return changed ? Buffer.from(await workbook.xlsx.writeBuffer()) : null;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The CSV re-written as UTF-8 with a BOM (Excel and WPS in China open that correctly), every field masked; null when nothing is. */
export function maskCsv(bytes: Buffer): Buffer | null {
  const grid = readCsv(bytes);
  if (!grid.some((row) => row.some((cell) => maskedRanges(cell).length))) return null;
  const rows = grid.map((row) => row.map((cell) => csvField(maskPersonalData(cell))).join(','));
  return Buffer.from(`\uFEFF${rows.join('\r\n')}\r\n`, 'utf8');
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : XML_ENTITIES[e],
  );
}

function encodeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Masks the text of one WordprocessingML part. Word splits a number over several runs (`<w:t>6210</w:t>…
 * <w:t>22199001011234</w:t>`) after an edit, so the text of the runs is joined — with a break at each
 * paragraph end, tab and line break, so digits of two paragraphs never join — masked, and cut back into runs.
 */
export function maskWordXml(xml: string): string {
  const token = /(<w:t(?:\s[^>]*)?>)([^<]*)(<\/w:t>)|<\/w:p>|<w:tab\/>|<w:br\/>|<w:cr\/>/g;
  const pieces: { start: number; end: number; text: string }[] = [];
  let joined = '';
  for (const m of xml.matchAll(token)) {
    if (m[1] === undefined) {
      joined += '\n';
      continue;
    }
    const text = decodeXml(m[2]);
    pieces.push({ start: joined.length, end: joined.length + text.length, text });
    joined += text;
  }
  if (maskedRanges(joined).length === 0) return xml;
  const masked = maskPersonalData(joined);
  let index = 0;
  return xml.replace(token, (whole, open: string | undefined, _text: string, close: string) => {
    if (open === undefined) return whole;
    const piece = pieces[index];
    index += 1;
    const after = masked.slice(piece.start, piece.end);
    return after === piece.text ? whole : `${open}${encodeXml(after)}${close}`;
  });
}

/** Body, headers, footers, footnotes, endnotes and comments of a .docx masked, the rest copied; null when nothing is. */
export async function maskDocx(bytes: Buffer, mtime: Date): Promise<Buffer | null> {
  const textPart = /^word\/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$/;
  let changed = false;
  const copy = await rezipWithFixedTime(bytes, mtime, (name, data) => {
    if (!textPart.test(name)) return data;
    const xml = data.toString('utf8');
    const masked = maskWordXml(xml);
    if (masked === xml) return data;
    changed = true;
    return Buffer.from(masked, 'utf8');
  });
  return changed ? copy : null;
}

/** A masked copy of a maskable original, or null when it holds no personal data (ship and convert the original). */
export async function maskedCopy(format: MaskableFormat, bytes: Buffer, mtime: Date): Promise<Buffer | null> {
  if (format === 'xlsx') return maskXlsx(bytes);
  if (format === 'csv') return maskCsv(bytes);
  return maskDocx(bytes, mtime);
}

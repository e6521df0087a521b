/**
 * Text from OOXML (docx/xlsx/pptx) and ODF (odt/ods) packages, read straight from the zip's XML:
 * paragraphs become lines, table cells are separated by tabs, spreadsheet rows are "a\tb\tc" lines
 * under a line with the sheet name.
 */
import type { ZipFile } from 'yauzl';
import type { FileFormat } from '../../../../shared/domain/types.js';
import type { ReadResult } from './result.js';
import { OFFICE_ENCRYPTED_REASON } from './legacy.js';
import { capText, cleanEmbedded, MAX_TEXT_CHARS } from './result.js';
import { attr, firstElementText, tokenize } from './xml.js';
import { closeZip, listZipEntries, openZipBuffer, readZipEntry } from './zip.js';
import type { ZipEntryInfo } from './zip.js';

/** A single XML part larger than this is not read (a 1 M-row sheet is not evidence text we need). */
const MAX_PART_BYTES = 256 * 1024 * 1024;

type Package = { entries: Map<string, ZipEntryInfo>; read(name: string): Promise<string | undefined> };

async function openPackage(bytes: Buffer): Promise<{ pkg: Package; zip: ZipFile }> {
  const zip = await openZipBuffer(bytes);
  const list = await listZipEntries(zip);
  const entries = new Map(list.map((e) => [e.name, e]));
  const pkg: Package = {
    entries,
    async read(name) {
      const e = entries.get(name);
      if (!e || e.isDirectory) return undefined;
      return (await readZipEntry(zip, e.entry, MAX_PART_BYTES)).toString('utf8');
    },
  };
  return { pkg, zip };
}

export class OfficeStructureError extends Error {}

export async function readOfficeZip(bytes: Buffer, format: FileFormat, fileName = ''): Promise<ReadResult> {
  const { pkg, zip } = await openPackage(bytes);
  try {
    switch (format) {
      case 'docx':
        return await readDocx(pkg);
      case 'xlsx':
        return await readXlsx(pkg);
      case 'pptx':
        return await readPptx(pkg);
      case 'odt':
      case 'ods':
        return await readOdf(pkg, format, fileName);
      default:
        throw new Error(`readOfficeZip: unexpected format ${format}`);
    }
  } finally {
    closeZip(zip);
  }
}

async function coreProperties(pkg: Package): Promise<ReadResult['embedded']> {
  const core = await pkg.read('docProps/core.xml');
  if (!core) return undefined;
  return cleanEmbedded({
    title: firstElementText(core, 'dc:title'),
    author: firstElementText(core, 'dc:creator'),
    created: firstElementText(core, 'dcterms:created')?.trim(),
  });
}

function withEmbedded(r: ReadResult, embedded: ReadResult['embedded']): ReadResult {
  return embedded ? { ...r, embedded } : r;
}

/** WordprocessingML body: w:p → line, w:tab → \t, w:br → \n, table cells → \t, rows → \n. */
export function docxText(xml: string): string {
  let out = '';
  let cellDepth = 0;
  let inText = false;
  let skip = 0; // deleted text (w:del → w:delText) and field instructions are not content
  for (const t of tokenize(xml)) {
    if (t.kind === 'open') {
      switch (t.name) {
        case 'w:t':
          inText = !t.selfClosing;
          break;
        case 'w:tab':
          if (skip === 0) out += '\t';
          break;
        case 'w:br':
        case 'w:cr':
          if (skip === 0) out += '\n';
          break;
        case 'w:tc':
          if (!t.selfClosing) cellDepth++;
          break;
        case 'w:del':
        case 'w:instrText':
          if (!t.selfClosing) skip++;
          break;
      }
    } else if (t.kind === 'close') {
      switch (t.name) {
        case 'w:t':
          inText = false;
          break;
        case 'w:p':
          // Inside a cell, paragraphs are joined by a space so a row stays on one line.
          out += cellDepth > 0 ? ' ' : '\n';
          break;
        case 'w:tc':
          cellDepth = Math.max(0, cellDepth - 1);
          out = out.replace(/ $/, '') + '\t';
          break;
        case 'w:tr':
          out = out.replace(/\t$/, '') + '\n';
          break;
        case 'w:del':
        case 'w:instrText':
          skip = Math.max(0, skip - 1);
          break;
      }
    } else if (inText && skip === 0) {
      out += t.text;
    }
    if (out.length > MAX_TEXT_CHARS) break;
  }
  return out;
}

async function readDocx(pkg: Package): Promise<ReadResult> {
  const body = await pkg.read('word/document.xml');
  if (body === undefined) throw new OfficeStructureError('word/document.xml missing');
  const parts = [docxText(body)];
  // Footnotes/endnotes can hold the source of a figure; headers repeat on every page, so only once.
  for (const name of ['word/footnotes.xml', 'word/endnotes.xml']) {
    const xml = await pkg.read(name);
    if (xml) parts.push(docxText(xml));
  }
  const text = capText(normaliseLines(parts.join('\n')));
  return withEmbedded({ readability: 'ok', text }, await coreProperties(pkg));
}

function normaliseLines(text: string): string {
  return text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** "AB12" → 27 (0-based column index). */
function columnIndex(ref: string | undefined): number | undefined {
  const m = ref ? /^([A-Z]+)\d*$/i.exec(ref) : null;
  if (!m) return undefined;
  let n = 0;
  for (const ch of m[1].toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Text of <si>/<is> rich strings, without phonetic runs (rPh). */
function richStrings(xml: string, container: string): string[] {
  const out: string[] = [];
  let cur: string | null = null;
  let inT = false;
  let phonetic = 0;
  for (const t of tokenize(xml)) {
    if (t.kind === 'open') {
      if (t.name === container) {
        if (t.selfClosing) out.push('');
        else cur = '';
      } else if (t.name === 'rPh' && !t.selfClosing) phonetic++;
      else if (t.name === 't' && !t.selfClosing) inT = true;
    } else if (t.kind === 'close') {
      if (t.name === container && cur !== null) {
        out.push(cur);
        cur = null;
      } else if (t.name === 'rPh') phonetic--;
      else if (t.name === 't') inT = false;
    } else if (inT && phonetic === 0 && cur !== null) cur += t.text;
  }
  return out;
}

/** ECMA-376 18.8.30 built-in date/time formats. */
const BUILTIN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47, 57, 58]);

function dateStyleIndexes(stylesXml: string | undefined): Set<number> {
  const result = new Set<number>();
  if (!stylesXml) return result;
  const customDate = new Set<number>();
  let inCellXfs = false;
  let xfIndex = 0;
  for (const t of tokenize(stylesXml)) {
    if (t.kind === 'open' && t.name === 'numFmt') {
      const id = Number(attr(t.attrs, 'numFmtId'));
      // A date code has y/m/d/h outside quotes and brackets ([Red], [$-804]).
      const code = (attr(t.attrs, 'formatCode') ?? '').replace(/"[^"]*"|\[[^\]]*\]|\\./g, '');
      if (/[ymd]/i.test(code) && !/^[#0.,%\s]*$/.test(code)) customDate.add(id);
    } else if (t.kind === 'open' && t.name === 'cellXfs' && !t.selfClosing) inCellXfs = true;
    else if (t.kind === 'close' && t.name === 'cellXfs') inCellXfs = false;
    else if (t.kind === 'open' && t.name === 'xf' && inCellXfs) {
      const id = Number(attr(t.attrs, 'numFmtId') ?? '0');
      if (BUILTIN_DATE_FORMATS.has(id) || customDate.has(id)) result.add(xfIndex);
      xfIndex++;
    }
  }
  return result;
}

/** Excel serial day (1900 system, with its fictitious 1900-02-29) → "YYYY-MM-DD" (+ time when present). */
export function excelSerialToIso(serial: number): string {
  const ms = Math.round((serial - 25569) * 86_400_000);
  const iso = new Date(ms).toISOString();
  return serial % 1 === 0 ? iso.slice(0, 10) : iso.slice(0, 19);
}

function formatNumber(raw: string): string {
  // Keep what Excel stored, minus float noise such as 0.30000000000000004.
  const n = Number(raw);
  if (!Number.isFinite(n)) return raw;
  return String(Number(n.toPrecision(15)));
}

function sheetRows(xml: string, shared: string[], dateStyles: Set<number>): string[] {
  const rows: string[] = [];
  let row: string[] = [];
  let inRow = false;
  let cell: { col: number; type: string; style: number } | null = null;
  let value = '';
  let inValue = false;
  let inline: string | null = null;
  let nextCol = 0;
  for (const t of tokenize(xml)) {
    if (t.kind === 'open') {
      if (t.name === 'row') {
        inRow = !t.selfClosing;
        row = [];
        nextCol = 0;
      } else if (t.name === 'c' && inRow) {
        const col = columnIndex(attr(t.attrs, 'r')) ?? nextCol;
        cell = { col, type: attr(t.attrs, 't') ?? 'n', style: Number(attr(t.attrs, 's') ?? '0') };
        value = '';
        inline = null;
        if (t.selfClosing) cell = null;
        nextCol = col + 1;
      } else if (t.name === 'v' && cell && !t.selfClosing) inValue = true;
      else if (t.name === 'is' && cell && !t.selfClosing) inline = '';
      else if (t.name === 't' && inline !== null && !t.selfClosing) inValue = true;
      else if (t.name === 'rPh' && inline !== null) inValue = false;
    } else if (t.kind === 'close') {
      if (t.name === 'v' || t.name === 't') inValue = false;
      else if (t.name === 'c' && cell) {
        let text: string;
        if (cell.type === 's') text = shared[Number(value)] ?? '';
        else if (cell.type === 'inlineStr') text = inline ?? '';
        else if (cell.type === 'b') text = value === '1' ? 'TRUE' : value === '0' ? 'FALSE' : value;
        else if (cell.type === 'n' && value !== '' && dateStyles.has(cell.style)) text = excelSerialToIso(Number(value));
        else if (cell.type === 'n' && value !== '') text = formatNumber(value);
        else text = value;
        while (row.length < cell.col) row.push('');
        row[cell.col] = text.replace(/[\t\r\n]+/g, ' ');
        cell = null;
      } else if (t.name === 'row' && inRow) {
        inRow = false;
        const line = row.join('\t').replace(/\t+$/, '');
        if (line.trim() !== '') rows.push(line);
      }
    } else if (inValue && cell) {
      if (inline !== null) inline += t.text;
      else value += t.text;
    }
  }
  return rows;
}

function resolveTarget(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

async function relationships(pkg: Package, relsPath: string, base: string): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  const xml = await pkg.read(relsPath);
  if (!xml) return map;
  for (const t of tokenize(xml)) {
    if (t.kind === 'open' && t.name === 'Relationship') {
      const id = attr(t.attrs, 'Id');
      const target = attr(t.attrs, 'Target');
      if (id && target) map.set(id, resolveTarget(base, target));
    }
  }
  return map;
}

async function readXlsx(pkg: Package): Promise<ReadResult> {
  const workbook = await pkg.read('xl/workbook.xml');
  if (workbook === undefined) throw new OfficeStructureError('xl/workbook.xml missing');
  const rels = await relationships(pkg, 'xl/_rels/workbook.xml.rels', 'xl/workbook.xml');
  const sharedXml = await pkg.read('xl/sharedStrings.xml');
  const shared = sharedXml ? richStrings(sharedXml, 'si') : [];
  const dateStyles = dateStyleIndexes(await pkg.read('xl/styles.xml'));
  const sheets: { name: string; path: string }[] = [];
  for (const t of tokenize(workbook)) {
    if (t.kind === 'open' && t.name === 'sheet') {
      const name = attr(t.attrs, 'name') ?? '';
      const rid = attr(t.attrs, 'r:id');
      const path = rid ? rels.get(rid) : undefined;
      if (path) sheets.push({ name, path });
    }
  }
  const blocks: string[] = [];
  let total = 0;
  for (const sheet of sheets) {
    if (total > MAX_TEXT_CHARS) break;
    const xml = await pkg.read(sheet.path);
    if (!xml) continue;
    const rows = sheetRows(xml, shared, dateStyles);
    const block = [sheet.name, ...rows].join('\n');
    blocks.push(block);
    total += block.length;
  }
  return withEmbedded({ readability: 'ok', text: capText(blocks.join('\n\n')) }, await coreProperties(pkg));
}

async function readPptx(pkg: Package): Promise<ReadResult> {
  const slideNo = (name: string): number => Number(/slide(\d+)\.xml$/.exec(name)?.[1] ?? 0);
  const slides = [...pkg.entries.keys()]
    .filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
    .sort((a, b) => slideNo(a) - slideNo(b));
  const texts: string[] = [];
  for (const name of slides) {
    const xml = (await pkg.read(name)) ?? '';
    let out = '';
    let inT = false;
    for (const t of tokenize(xml)) {
      if (t.kind === 'open' && t.name === 'a:t' && !t.selfClosing) inT = true;
      else if (t.kind === 'open' && t.name === 'a:br') out += '\n';
      else if (t.kind === 'close' && t.name === 'a:t') inT = false;
      else if (t.kind === 'close' && t.name === 'a:p') out += '\n';
      else if (t.kind === 'text' && inT) out += t.text;
    }
    texts.push(normaliseLines(out));
  }
  return withEmbedded(
    { readability: 'ok', pages: slides.length, text: capText(texts.join('\n\n')) },
    await coreProperties(pkg),
  );
}

/** ODF content.xml: text:p/text:h lines, table cells by tabs, each table named on its own line (ods). */
export function odfText(xml: string, spreadsheet: boolean): string {
  let out = '';
  let inBody = false;
  let cellDepth = 0;
  let row: string[] | null = null;
  let cellText = '';
  // Repeated empty cells/rows pad to the sheet's 1,048,576 rows: never expand beyond a small count.
  let repeat = 1;
  const emit = (s: string): void => {
    if (cellDepth > 0) cellText += s;
    else out += s;
  };
  for (const t of tokenize(xml)) {
    if (t.kind === 'open') {
      if (t.name === 'office:body') inBody = true;
      if (!inBody) continue;
      switch (t.name) {
        case 'table:table':
          if (spreadsheet) out += `${attr(t.attrs, 'table:name') ?? ''}\n`;
          break;
        case 'table:table-row':
          row = [];
          if (t.selfClosing) row = null;
          break;
        case 'table:table-cell':
        case 'table:covered-table-cell':
          repeat = Math.min(Number(attr(t.attrs, 'table:number-columns-repeated') ?? '1') || 1, 64);
          if (t.selfClosing) {
            if (row) for (let i = 0; i < repeat; i++) row.push('');
          } else {
            cellDepth++;
            cellText = '';
          }
          break;
        case 'text:tab':
          emit('\t');
          break;
        case 'text:line-break':
          emit('\n');
          break;
        case 'text:s':
          emit(' '.repeat(Math.min(Number(attr(t.attrs, 'text:c') ?? '1') || 1, 100)));
          break;
      }
    } else if (t.kind === 'close') {
      if (!inBody) continue;
      switch (t.name) {
        case 'text:p':
        case 'text:h':
          emit(cellDepth > 0 ? ' ' : '\n');
          break;
        case 'table:table-cell':
        case 'table:covered-table-cell':
          cellDepth = Math.max(0, cellDepth - 1);
          if (row) {
            const v = cellText.trim().replace(/[\t\r\n]+/g, ' ');
            for (let i = 0; i < (v === '' ? repeat : 1); i++) row.push(v);
          }
          break;
        case 'table:table-row':
          if (row) {
            const line = row.join('\t').replace(/\t+$/, '');
            if (line.trim() !== '') out += `${line}\n`;
          }
          row = null;
          break;
        case 'table:table':
          out += '\n';
          break;
      }
    } else if (inBody) {
      emit(t.text);
    }
    if (out.length > MAX_TEXT_CHARS) break;
  }
  return normaliseLines(out);
}

async function readOdf(pkg: Package, format: 'odt' | 'ods', fileName: string): Promise<ReadResult> {
  // A password-protected ODF file is still a zip, but its content.xml is ciphertext: the manifest says so.
  const manifest = await pkg.read('META-INF/manifest.xml');
  if (manifest?.includes('encryption-data')) return { readability: 'encrypted', readError: OFFICE_ENCRYPTED_REASON(fileName), text: '' };
  const content = await pkg.read('content.xml');
  if (content === undefined) throw new OfficeStructureError('content.xml missing');
  const meta = await pkg.read('meta.xml');
  const embedded = meta
    ? cleanEmbedded({
        title: firstElementText(meta, 'dc:title'),
        author: firstElementText(meta, 'meta:initial-creator') ?? firstElementText(meta, 'dc:creator'),
        created: firstElementText(meta, 'meta:creation-date')?.trim(),
      })
    : undefined;
  return withEmbedded({ readability: 'ok', text: capText(odfText(content, format === 'ods')) }, embedded);
}

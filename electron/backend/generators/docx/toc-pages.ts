/**
 * TOC page numbers as LibreOffice lays the document out.
 *
 * The DOCX's table of contents is a field whose cached result is what a reader shows until fields are updated.
 * Word and WPS update it on open (settings.xml asks them to); LibreOffice shows the cached numbers as they are,
 * and docx's own page estimate under-counts (measured on the demo: 34 of 37 entries 1–4 pages early). Where
 * LibreOffice is installed, the finished DOCX is converted to PDF once, each heading is found on its page and
 * that page's printed number ("— n —" in the footer) becomes the cached result. The body section restarts its
 * numbering at 1, so rewriting the numbers in the TOC cannot move a heading: one pass is enough.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { convertToPdf } from '../../convert/libreoffice.js';
import { installPdfjsWorker } from '../../intake/readers/pdfjs-worker.js';
import { readZipFiles, rezipWithFixedTime } from '../package/zip-io.js';
import { PAGE } from './layout.js';

export type TocEntry = { anchor: string; title: string; page: number };

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };
const decode = (s: string): string => s.replace(/&(?:amp|lt|gt|quot|apos);/g, (e) => ENTITIES[e] ?? e);
/** Headings are compared without white space: a PDF splits and spaces text as its layout pleases. */
const squash = (s: string): string => s.replace(/\s+/g, '');

const ENTRY = /<w:hyperlink\b[^>]*\bw:anchor="(_Toc\d+)"[^>]*>([\s\S]*?)<\/w:hyperlink>/g;
const TEXT = /<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g;
const PAGEREF_RESULT = (anchor: string): RegExp =>
  new RegExp(`(PAGEREF ${anchor} \\\\h</w:instrText>(?:(?!<w:fldChar w:fldCharType="end"/>)[\\s\\S])*?<w:t(?:\\s[^>]*)?>)(\\d*)(</w:t>)`);

/** The TOC's entries in order: the bookmark each points at, the heading text and the cached page number. */
export function tocEntries(documentXml: string): TocEntry[] {
  const entries: TocEntry[] = [];
  for (const m of documentXml.matchAll(ENTRY)) {
    const [, anchor, inner] = m;
    const split = inner.indexOf('PAGEREF');
    if (split < 0) continue;
    const before = inner.slice(0, split).split('<w:tab/>')[0];
    const title = decode([...before.matchAll(TEXT)].map((t) => t[1]).join(''));
    const page = Number([...inner.slice(split).matchAll(TEXT)].map((t) => t[1]).join(''));
    entries.push({ anchor, title, page: Number.isFinite(page) ? page : 0 });
  }
  return entries;
}

/** The document with each TOC entry's cached page number replaced (entries not in `pages` keep theirs). */
export function withTocPages(documentXml: string, pages: ReadonlyMap<string, number>): string {
  let xml = documentXml;
  for (const [anchor, page] of pages) xml = xml.replace(PAGEREF_RESULT(anchor), (_m, head: string, _old: string, tail: string) => `${head}${page}${tail}`);
  return xml;
}

type PdfTextItem = { str?: unknown; transform?: unknown };
type PageLines = { lines: string[]; number: number | null };

/** The bottom margin in PDF points: what lies below it on a page is the footer. */
const FOOTER_TOP_PT = (PAGE.margin.bottom / 1440) * 72;
const PAGE_NUMBER = /—(\d+)—/;

/** Each page's lines (top to bottom, white space removed) and the number its footer prints, if any. */
async function pdfPages(pdf: Uint8Array): Promise<PageLines[]> {
  await installPdfjsWorker();
  const task = getDocument({ data: new Uint8Array(pdf), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: VerbosityLevel.ERRORS });
  try {
    const doc = await task.promise;
    const pages: PageLines[] = [];
    for (let n = 1; n <= doc.numPages; n += 1) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const rows = new Map<number, { x: number; str: string }[]>();
      let footer = '';
      for (const item of content.items as PdfTextItem[]) {
        if (typeof item.str !== 'string' || !Array.isArray(item.transform)) continue;
        const [x, y] = [Number(item.transform[4]), Number(item.transform[5])];
        if (y < FOOTER_TOP_PT) {
          footer += item.str;
          continue;
        }
        // Runs of one line share a baseline (a Latin run in another font may sit a fraction of a point off).
        const key = Math.round(y / 2);
        const row = rows.get(key) ?? rows.get(key + 1) ?? rows.get(key - 1) ?? [];
        if (!row.length) rows.set(key, row);
        row.push({ x, str: item.str });
      }
      const lines = [...rows.entries()]
        .sort((a, b) => b[0] - a[0])
        .map(([, row]) => squash(row.sort((a, b) => a.x - b.x).map((r) => r.str).join('')))
        .filter(Boolean);
      const number = PAGE_NUMBER.exec(squash(footer));
      pages.push({ lines, number: number ? Number(number[1]) : null });
      page.cleanup();
    }
    return pages;
  } finally {
    await task.destroy();
  }
}

/** Whether the heading starts at line `at`: it is that line, or (wrapped) that line and the next one or two. */
function headingAt(lines: string[], at: number, heading: string): boolean {
  let joined = '';
  for (let i = at; i < Math.min(lines.length, at + 3); i += 1) {
    joined += lines[i];
    if (joined === heading) return true;
    if (!heading.startsWith(joined)) return false;
  }
  return false;
}

/**
 * The printed page number of each heading, found in document order on numbered pages (so the TOC's own lines
 * never count); null for a heading not found.
 */
export function headingPages(pages: PageLines[], titles: string[]): (number | null)[] {
  let from = 0;
  return titles.map((title) => {
    const heading = squash(title);
    for (let p = from; p < pages.length; p += 1) {
      const page = pages[p];
      if (page.number === null) continue;
      if (page.lines.some((_l, i) => headingAt(page.lines, i, heading))) {
        from = p;
        return page.number;
      }
    }
    return null;
  });
}

export type TocPagesResult = { bytes: Uint8Array; updated: number; missing: string[] } | { bytes: Uint8Array; error: string };

/**
 * What LibreOffice's layout of the body depends on: every part of the document but its properties (docProps/ holds
 * the build's time), with the cover's 编制日期 left out (the cover is a section of its own before the TOC and the
 * body restarts its numbering at 1, so the cover cannot move a heading's number), and the LibreOffice program
 * (another version may lay out differently). A rebuild of unchanged material at another time has the same key.
 */
async function layoutKey(files: ReadonlyMap<string, Buffer>, soffice: string): Promise<string> {
  const hash = createHash('sha256').update(`toc-v1\0${soffice}\0`);
  try {
    const program = await stat(soffice);
    hash.update(`${program.size}\0${program.mtimeMs}\0`);
  } catch {
    hash.update('?\0');
  }
  for (const name of [...files.keys()].sort()) {
    if (name.startsWith('docProps/')) continue;
    const data = files.get(name) ?? Buffer.alloc(0);
    hash.update(`${name}\0`);
    hash.update(name === 'word/document.xml' ? data.toString('utf8').replace(/编制日期：[^<]*/g, '编制日期：') : data);
    hash.update('\0');
  }
  return hash.digest('hex');
}

async function cachedPages(file: string): Promise<Map<string, number> | null> {
  try {
    const stored: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (!stored || typeof stored !== 'object') return null;
    const pages = new Map<string, number>();
    for (const [anchor, page] of Object.entries(stored)) if (typeof page === 'number') pages.set(anchor, page);
    return pages;
  } catch {
    return null;
  }
}

/**
 * The DOCX with its TOC numbers taken from LibreOffice's layout of it. On any failure (conversion, a heading
 * not found) the document comes back unchanged with the reason: its estimated numbers stay, and Word/WPS still
 * update the field on open.
 */
export async function tocPagesFromLibreOffice(
  docx: Uint8Array,
  opts: {
    soffice: string;
    generatedAt: string;
    signal?: AbortSignal;
    timeoutMs?: number;
    /** Where the numbers of a layout already seen are kept (a rebuild of unchanged material starts no LibreOffice). */
    cacheDir?: string;
    /** Called once LibreOffice has been started (not called when the numbers come from the cache). */
    onStarted?: () => void;
  },
): Promise<TocPagesResult> {
  const files = await readZipFiles(Buffer.from(docx.buffer, docx.byteOffset, docx.byteLength));
  const documentXml = files.get('word/document.xml')?.toString('utf8');
  if (!documentXml) return { bytes: docx, error: 'word/document.xml missing' };
  const entries = tocEntries(documentXml);
  if (!entries.length) return { bytes: docx, updated: 0, missing: [] };
  const write = async (pages: ReadonlyMap<string, number>): Promise<TocPagesResult> => {
    const changed = new Map([...pages].filter(([anchor, page]) => entries.some((e) => e.anchor === anchor && e.page !== page)));
    if (!changed.size) return { bytes: docx, updated: 0, missing: [] };
    const bytes = await rezipWithFixedTime(docx, new Date(opts.generatedAt), (name, data) =>
      name === 'word/document.xml' ? Buffer.from(withTocPages(data.toString('utf8'), changed), 'utf8') : data,
    );
    return { bytes, updated: changed.size, missing: [] };
  };
  const cacheFile = opts.cacheDir ? path.join(opts.cacheDir, `${await layoutKey(files, opts.soffice)}.json`) : null;
  const known = cacheFile ? await cachedPages(cacheFile) : null;
  if (known && entries.every((e) => known.has(e.anchor))) return write(known);
  const work = await mkdtemp(path.join(os.tmpdir(), 'binder-toc-'));
  try {
    const sha256 = createHash('sha256').update(docx).digest('hex');
    const input = path.join(work, sha256);
    await writeFile(input, docx);
    const conversion = convertToPdf([{ sha256, path: input, ext: 'docx' }], path.join(work, 'pdf'), {
      soffice: opts.soffice,
      signal: opts.signal,
      // The layout a reader's LibreOffice makes of this file: its own font substitution, not the one we use to
      // convert evidence.
      mapFonts: false,
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    });
    // convertToPdf starts the process before its first await.
    opts.onStarted?.();
    const result = (await conversion).get(sha256);
    if (!result || 'error' in result) return { bytes: docx, error: result?.error ?? 'no PDF' };
    const found = headingPages(await pdfPages(await readFile(result.pdfPath)), entries.map((e) => e.title));
    const pages = new Map<string, number>();
    const missing: string[] = [];
    entries.forEach((entry, i) => {
      const page = found[i];
      if (page === null) missing.push(entry.title);
      else pages.set(entry.anchor, page);
    });
    // A heading LibreOffice did not show where expected means the layout was not understood: keep the estimate
    // rather than mix two sources of numbers.
    if (missing.length) return { bytes: docx, updated: 0, missing };
    if (cacheFile && opts.cacheDir) {
      // Written whole or not at all: a half-written file would read as no cache.
      await mkdir(opts.cacheDir, { recursive: true });
      const partial = `${cacheFile}.${process.pid}.part`;
      await writeFile(partial, JSON.stringify(Object.fromEntries(pages)));
      await rename(partial, cacheFile);
    }
    return await write(pages);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** PDF text, page count, scan detection and document info with pdfjs-dist (no worker, no network). */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, OPS, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { installPdfjsWorker } from './pdfjs-worker.js';
import type { ReadResult } from './result.js';
import { capText, cleanEmbedded, MAX_TEXT_CHARS } from './result.js';
import { importReason } from '../../../../shared/intake/reasons.js';

export const PDF_ENCRYPTED_REASON = importReason('pdf-encrypted');
const PDF_CORRUPT_REASON = (name: string): string => importReason('pdf-corrupt', { name });

const pdfjsDir = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
// pdfjs in Node reads these with fs: plain paths with a trailing separator.
const CMAP_DIR = join(pdfjsDir, 'cmaps') + '/';
const STANDARD_FONT_DIR = join(pdfjsDir, 'standard_fonts') + '/';

/**
 * pdfjs asks for a predefined CMap (UniGB-UCS2-H, Adobe-GB1-UCS2 …) or a standard font for every document that
 * uses one — in Chinese government and OA exports, nearly every document. The files are read once per process
 * and kept (the two folders hold ~5 MB in all, so the cache is bounded by what ships in pdfjs-dist).
 */
const binaryDataCache = new Map<string, Promise<Uint8Array>>();

type BinaryDataKind = 'cMapUrl' | 'standardFontDataUrl' | 'wasmUrl';

class CachedBinaryDataFactory {
  private readonly dirs: Partial<Record<BinaryDataKind, string>>;
  constructor(urls: { cMapUrl?: string | null; standardFontDataUrl?: string | null; wasmUrl?: string | null }) {
    this.dirs = {
      ...(urls.cMapUrl ? { cMapUrl: urls.cMapUrl } : {}),
      ...(urls.standardFontDataUrl ? { standardFontDataUrl: urls.standardFontDataUrl } : {}),
      ...(urls.wasmUrl ? { wasmUrl: urls.wasmUrl } : {}),
    };
  }
  async fetch({ kind, filename }: { kind: BinaryDataKind; filename: string }): Promise<Uint8Array> {
    const dir = this.dirs[kind];
    // Names come from the PDF ("/Encoding /UniGB-UCS2-H"): never let one leave the folder.
    if (!dir || !/^[A-Za-z0-9._-]+$/.test(filename)) throw new Error(`pdfjs data not available: ${kind} ${filename}`);
    const file = dir + filename;
    let cached = binaryDataCache.get(file);
    if (!cached) {
      cached = readFile(file).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
      binaryDataCache.set(file, cached);
      cached.catch(() => binaryDataCache.delete(file));
    }
    // A copy: pdfjs may transfer (detach) what it is given.
    return (await cached).slice();
  }
}

/**
 * Text and scan detection look at the first pages only: a 300-page document already gives more text than
 * MAX_TEXT_CHARS needs, and a hostile file declaring 100 000 (empty) pages must not keep the import busy for minutes.
 */
export const MAX_PDF_READ_PAGES = 300;
/**
 * Beyond this many pages a PDF is not a single piece of evidence (a thick bound volume is ~1 000 pages), and
 * pdfjs spends time per page proportional to the page tree: read only a few pages and warn.
 */
export const MAX_PDF_PAGES = 5000;
const HUGE_PDF_READ_PAGES = 20;
/** Wall-clock budget for reading pages (pathological content streams); the page count is still exact. */
const PDF_READ_BUDGET_MS = 15_000;
export const pdfTooManyPagesNote = (pages: number): string =>
  `PDF 有 ${pages} 页，远超一份材料的正常页数（${MAX_PDF_PAGES} 页），只读取了前 ${HUGE_PDF_READ_PAGES} 页的文字。请确认文件是否正确，必要时拆分后再导入。`;

/** A page with fewer non-blank characters than this, but with images, counts as a scanned page. */
const SCANNED_PAGE_MAX_CHARS = 10;

const IMAGE_OPS = new Set<number>(
  [
    OPS.paintImageXObject,
    OPS.paintInlineImageXObject,
    OPS.paintImageMaskXObject,
    OPS.paintImageXObjectRepeat,
    OPS.paintInlineImageXObjectGroup,
    OPS.paintImageMaskXObjectGroup,
    OPS.paintImageMaskXObjectRepeat,
  ].filter((op): op is number => typeof op === 'number'),
);

/** PDF 7.9.4 date "D:YYYYMMDDHHmmSSOHH'mm'" → ISO 8601 keeping the stored zone. */
export function pdfDateToIso(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(raw.trim());
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', zone, zh, zm] = m;
  const base = `${y}-${mo}-${d}T${h}:${mi}:${s}`;
  if (!zone) return base;
  if (zone === 'Z' || zone === 'z') return `${base}Z`;
  return `${base}${zone}${zh ?? '00'}:${zm ?? '00'}`;
}

type TextItemLike = { str?: unknown; hasEOL?: unknown };

export async function readPdf(bytes: Buffer, fileName: string): Promise<ReadResult> {
  await installPdfjsWorker();
  const task = getDocument({
    // pdfjs may transfer the buffer it is given: pass a copy so the caller's bytes stay intact.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: VerbosityLevel.ERRORS,
    cMapUrl: CMAP_DIR,
    cMapPacked: true,
    standardFontDataUrl: STANDARD_FONT_DIR,
    BinaryDataFactory: CachedBinaryDataFactory,
    stopAtErrors: false,
  });
  try {
    let doc;
    try {
      doc = await task.promise;
    } catch (e) {
      if (e instanceof Error && e.name === 'PasswordException') {
        return { readability: 'encrypted', readError: PDF_ENCRYPTED_REASON, text: '' };
      }
      return { readability: 'corrupt', readError: PDF_CORRUPT_REASON(fileName), text: '' };
    }
    const pages = doc.numPages;
    let embedded: ReadResult['embedded'];
    try {
      const meta = await doc.getMetadata();
      const info: Record<string, unknown> =
        typeof meta.info === 'object' && meta.info !== null ? { ...meta.info } : {};
      embedded = cleanEmbedded({
        title: typeof info.Title === 'string' ? info.Title : undefined,
        author: typeof info.Author === 'string' ? info.Author : undefined,
        created: pdfDateToIso(info.CreationDate),
      });
    } catch {
      embedded = undefined; // damaged info dictionary: not worth failing the file for
    }

    const texts: string[] = [];
    let total = 0;
    let imagePages = 0;
    let checkedPages = 0;
    const deadline = Date.now() + PDF_READ_BUDGET_MS;
    const readPages = Math.min(pages, pages > MAX_PDF_PAGES ? HUGE_PDF_READ_PAGES : MAX_PDF_READ_PAGES);
    try {
      for (let n = 1; n <= readPages && total < MAX_TEXT_CHARS && Date.now() < deadline; n++) {
        const page = await doc.getPage(n);
        const content = await page.getTextContent();
        let pageText = '';
        for (const item of content.items as TextItemLike[]) {
          if (typeof item.str === 'string') pageText += item.str;
          if (item.hasEOL === true) pageText += '\n';
        }
        pageText = pageText.trim();
        checkedPages++;
        if (pageText.replace(/\s/g, '').length < SCANNED_PAGE_MAX_CHARS) {
          const ops = await page.getOperatorList();
          if (ops.fnArray.some((fn) => IMAGE_OPS.has(fn))) imagePages++;
        }
        texts.push(pageText);
        total += pageText.length + 2;
        page.cleanup();
      }
    } catch {
      return { readability: 'corrupt', readError: PDF_CORRUPT_REASON(fileName), pages, text: capText(texts.join('\n\n')), ...(embedded ? { embedded } : {}) };
    }
    const text = capText(texts.join('\n\n'));
    // Mostly image pages = a scan (a typed cover before scanned pages still counts).
    const scanned = checkedPages > 0 && imagePages >= Math.ceil(checkedPages * 0.8);
    const note = pages > MAX_PDF_PAGES ? { readError: pdfTooManyPagesNote(pages) } : {};
    return { readability: 'ok', pages, text, scanned, ...note, ...(embedded ? { embedded } : {}) };
  } finally {
    await task.destroy();
  }
}

/** PDF text, page count, scan detection and document info with pdfjs-dist (no worker, no network). */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, OPS, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { ReadResult } from './result.js';
import { capText, cleanEmbedded, MAX_TEXT_CHARS } from './result.js';

export const PDF_ENCRYPTED_REASON =
  'PDF 文件有打开密码，无法读取和装订。请向报送单位索取无密码版本，或用密码打开后另存为无密码 PDF 再导入。';
const PDF_CORRUPT_REASON = (name: string): string =>
  `PDF 文件已损坏或不完整（${name}），无法读取。请向报送单位重新索取，或用原软件重新导出 PDF 后再导入。`;

const pdfjsDir = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
// pdfjs in Node reads these with fs: plain paths with a trailing separator.
const CMAP_DIR = join(pdfjsDir, 'cmaps') + '/';
const STANDARD_FONT_DIR = join(pdfjsDir, 'standard_fonts') + '/';

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
    try {
      for (let n = 1; n <= pages && total < MAX_TEXT_CHARS; n++) {
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
    return { readability: 'ok', pages, text, scanned, ...(embedded ? { embedded } : {}) };
  } finally {
    await task.destroy();
  }
}

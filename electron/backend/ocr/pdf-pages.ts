/**
 * Pages of a scanned PDF as images, one at a time, with pdfjs-dist and @napi-rs/canvas in-process (poppler is not
 * on users' PCs). Pages that carry a text layer give their text instead and are not rendered.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getDocument, VerbosityLevel, type PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { createCanvas } from '@napi-rs/canvas';
import { installPdfjsWorker } from '../intake/readers/pdfjs-worker.js';
import { OCR_MAX_SIDE } from './page.js';

const pdfjsDir = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** Beyond this many pages only the first ones are read: enough for 文号, title, date, type and search. */
export const MAX_OCR_PAGES = 30;
/** A page with at least this many non-blank characters in its text layer is not a scanned page. */
const TEXT_PAGE_MIN_CHARS = 10;
/** 300 dpi is the most a scan carries; rendering finer only costs memory. */
const MAX_SCALE = 300 / 72;

export type PdfPage = { page: number; pages: number } & ({ text: string } | { png: Buffer });

type TextItemLike = { str?: unknown; hasEOL?: unknown };

async function pageTextLayer(page: PDFPageProxy): Promise<string> {
  const content = await page.getTextContent();
  let text = '';
  for (const item of content.items as TextItemLike[]) {
    if (typeof item.str === 'string') text += item.str;
    if (item.hasEOL === true) text += '\n';
  }
  return text.trim();
}

async function renderPage(page: PDFPageProxy): Promise<Buffer> {
  const base = page.getViewport({ scale: 1 });
  const scale = Math.min(MAX_SCALE, OCR_MAX_SIDE / Math.max(base.width, base.height, 1));
  const viewport = page.getViewport({ scale });
  const width = Math.max(1, Math.round(viewport.width));
  const height = Math.max(1, Math.round(viewport.height));
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  type RenderParameters = Parameters<PDFPageProxy['render']>[0];
  // pdfjs types its target as a DOM canvas; @napi-rs/canvas is the Node implementation pdfjs itself uses.
  const params = { canvas: canvas as unknown as RenderParameters['canvas'], viewport } satisfies RenderParameters;
  await page.render(params).promise;
  return canvas.encode('png');
}

/** Yields each page in turn; the caller OCRs one before the next is rendered, so at most one page is in memory. */
export async function* scannedPdfPages(bytes: Uint8Array, signal?: AbortSignal): AsyncGenerator<PdfPage> {
  await installPdfjsWorker();
  const task = getDocument({
    data: bytes,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: VerbosityLevel.ERRORS,
    cMapUrl: join(pdfjsDir, 'cmaps') + '/',
    cMapPacked: true,
    standardFontDataUrl: join(pdfjsDir, 'standard_fonts') + '/',
    stopAtErrors: false,
  });
  try {
    const doc = await task.promise;
    const pages = Math.min(doc.numPages, MAX_OCR_PAGES);
    for (let n = 1; n <= pages && !signal?.aborted; n++) {
      const page = await doc.getPage(n);
      try {
        const text = await pageTextLayer(page);
        if (text.replace(/\s/g, '').length >= TEXT_PAGE_MIN_CHARS) yield { page: n, pages, text };
        else yield { page: n, pages, png: await renderPage(page) };
      } finally {
        page.cleanup();
      }
    }
  } finally {
    await task.destroy();
  }
}

/**
 * Synthetic evidence generators: real files (PDF, scanned PDF, JPEG with EXIF, DOCX, XLSX) with Chinese
 * content, for the demo workspace, integration tests and benchmarks.
 *
 * Every generator is deterministic: the same options give the same bytes (seeded PRNG, fixed document
 * dates, zip entries rewritten with a fixed timestamp). Nothing here reads the clock.
 */
import { Buffer } from 'node:buffer';
import { PDFDocument, rgb, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';
import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import yauzl from 'yauzl';
import yazl from 'yazl';

// ───────────────────────────── common ─────────────────────────────

/** Deterministic PRNG (mulberry32): uniform floats in [0, 1). */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fixed default date of generated documents, so output never depends on the clock. */
export const DEFAULT_DOC_DATE = '2019-12-20T09:00:00';

/** "YYYY-MM-DDTHH:mm:ss" (local, no zone) → the components, validated. */
function parseLocalDateTime(value: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  if (!m) throw new Error(`日期格式不对：「${value}」，应为 YYYY-MM-DDTHH:mm:ss`);
  return { y: +m[1], mo: +m[2], d: +m[3], h: +(m[4] ?? 0), mi: +(m[5] ?? 0), s: +(m[6] ?? 0) };
}

/** A UTC Date with the given wall-clock components: PDF/OOXML dates then read the same on every machine. */
function utcDate(value: string): Date {
  const t = parseLocalDateTime(value);
  return new Date(Date.UTC(t.y, t.mo - 1, t.d, t.h, t.mi, t.s));
}

type PdfLib = typeof PDFDocument;
type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];

let fontkitPromise: Promise<Fontkit> | undefined;

function isFontkit(value: unknown): value is Fontkit {
  return typeof value === 'object' && value !== null && typeof (value as { create?: unknown }).create === 'function';
}

/**
 * fontkit ships no typings; a non-literal specifier keeps TypeScript from asking for them, and the guard
 * checks the one function pdf-lib calls.
 */
async function loadFontkit(): Promise<Fontkit> {
  fontkitPromise ??= (async () => {
    const specifier = 'fontkit';
    const mod: unknown = await import(specifier);
    const fallback: unknown = typeof mod === 'object' && mod !== null ? (mod as { default?: unknown }).default : undefined;
    const engine = isFontkit(mod) ? mod : isFontkit(fallback) ? fallback : undefined;
    if (!engine) throw new Error('无法加载字体引擎 fontkit：请重新安装程序依赖（npm ci）');
    return memoizedFontkit(engine);
  })();
  return fontkitPromise;
}

/**
 * Parsed fonts are reused across documents: a CJK face has tens of thousands of glyphs, and laying out and
 * subsetting it is several times faster once fontkit's glyph caches are warm (the demo writes ~40 PDFs).
 * Font objects are read-only for pdf-lib's purposes (it creates a fresh subset per document).
 */
function memoizedFontkit(engine: Fontkit): Fontkit {
  const cache = new WeakMap<ArrayBufferLike, Map<string, ReturnType<Fontkit['create']>>>();
  return {
    create(buffer: Uint8Array, postscriptName?: string) {
      let byBuffer = cache.get(buffer.buffer);
      if (!byBuffer) {
        byBuffer = new Map();
        cache.set(buffer.buffer, byBuffer);
      }
      const key = `${buffer.byteOffset}:${buffer.byteLength}:${postscriptName ?? ''}`;
      let font = byBuffer.get(key);
      if (font === undefined) {
        font = engine.create(buffer, postscriptName);
        byBuffer.set(key, font);
      }
      return font;
    },
  };
}

async function newPdf(meta: { title?: string; author?: string; subject?: string; date?: string }): Promise<PDFDocument> {
  const Pdf: PdfLib = PDFDocument;
  // updateMetadata:false — otherwise pdf-lib stamps the current time as CreationDate/ModDate.
  const doc = await Pdf.create({ updateMetadata: false });
  doc.registerFontkit(await loadFontkit());
  const when = utcDate(meta.date ?? DEFAULT_DOC_DATE);
  if (meta.title) doc.setTitle(meta.title);
  if (meta.author) doc.setAuthor(meta.author);
  if (meta.subject) doc.setSubject(meta.subject);
  doc.setCreator('EvidenceBinder synth');
  doc.setProducer('EvidenceBinder synth');
  doc.setCreationDate(when);
  doc.setModificationDate(when);
  return doc;
}

// ───────────────────────────── text PDF ─────────────────────────────

export type PdfLine =
  | string
  | {
      text: string;
      align?: 'left' | 'center' | 'right';
      /** Points; body text defaults to 16 pt (3号, GB/T 9704). */
      size?: number;
      /** First-line indent of two characters (default for left-aligned body text). */
      indent?: boolean;
      color?: 'black' | 'red';
      /** Extra space above, in points. */
      gapBefore?: number;
    };

export type MakePdfOptions = {
  pages: { lines: PdfLine[] }[];
  title?: string;
  author?: string;
  subject?: string;
  /** Font bytes (.ttf/.otf/.ttc). */
  font: Uint8Array;
  /** PostScript name of the face inside a .ttc collection, e.g. "NotoSerifCJKsc-Regular". */
  fontName?: string;
  pageSize?: 'A4' | [number, number];
  landscape?: boolean;
  /** 发文机关标志 (e.g. "青山县人民政府办公室文件"): printed red at the top of page 1, with a red rule under it. */
  redHeader?: string;
  /** 文号 printed between the red header and its rule (GB/T 9704 layout). */
  docNumber?: string;
  /** Info dictionary CreationDate/ModDate, "YYYY-MM-DDTHH:mm:ss"; fixed so output is deterministic. */
  date?: string;
  /** "— 1 —" page numbers at the foot (default true). */
  pageNumbers?: boolean;
};

const MM = 72 / 25.4;
/** GB/T 9704-2012 margins: 天头 37 mm, 订口 28 mm, 地脚 35 mm, 翻口 26 mm. */
const MARGIN = { top: 37 * MM, left: 28 * MM, bottom: 35 * MM, right: 26 * MM };
const A4: [number, number] = [595.28, 841.89];
const BODY_SIZE = 16;
/** 公文 body: 22 lines of 28 characters, i.e. a line pitch of about 1.75 × 16 pt. */
const LINE_FACTOR = 1.75;
const RED = rgb(0.85, 0.05, 0.05);
const BLACK = rgb(0, 0, 0);

/** Characters that must not start a line (标点禁则): they hang at the end of the previous line instead. */
const NO_LINE_START = new Set('，。、；：？！）》」』”’…—%'.split(''));

/** Advance widths per character at 1000 units, per font face: fontkit shapes every call, which is slow. */
const advanceCache = new WeakMap<ArrayBufferLike, Map<string, Map<string, number>>>();

type Measure = (text: string, size: number) => number;

function createMeasure(font: PDFFont, bytes: Uint8Array, fontName: string | undefined): Measure {
  let byFace = advanceCache.get(bytes.buffer);
  if (!byFace) {
    byFace = new Map();
    advanceCache.set(bytes.buffer, byFace);
  }
  const key = `${bytes.byteOffset}:${bytes.byteLength}:${fontName ?? ''}`;
  let advances = byFace.get(key);
  if (!advances) {
    advances = new Map();
    byFace.set(key, advances);
  }
  const table = advances;
  return (text, size) => {
    let total = 0;
    for (const ch of Array.from(text)) {
      let w = table.get(ch);
      if (w === undefined) {
        w = font.widthOfTextAtSize(ch, 1000);
        table.set(ch, w);
      }
      total += w;
    }
    return (total * size) / 1000;
  };
}

function wrapText(text: string, measure: Measure, size: number, width: number, firstIndent: number): string[] {
  const out: string[] = [];
  let line = '';
  let lineWidth = firstIndent;
  for (const ch of Array.from(text)) {
    const w = measure(ch, size);
    if (line !== '' && lineWidth + w > width && !NO_LINE_START.has(ch)) {
      out.push(line);
      line = '';
      lineWidth = 0;
    }
    line += ch;
    lineWidth += w;
  }
  out.push(line);
  return out;
}

/**
 * A text PDF laid out like a 公文: A4, GB/T 9704 margins, 16 pt body with two-character indents, optional
 * red 发文机关标志 + 文号 + red rule. Lines that do not fit flow onto further pages.
 */
export async function makePdf(opts: MakePdfOptions): Promise<Uint8Array> {
  const doc = await newPdf({ title: opts.title, author: opts.author, subject: opts.subject, date: opts.date });
  const font = await doc.embedFont(opts.font, { subset: true, postscriptName: opts.fontName });
  const measure = createMeasure(font, opts.font, opts.fontName);
  let [pw, ph] = opts.pageSize === undefined || opts.pageSize === 'A4' ? A4 : opts.pageSize;
  if (opts.landscape) [pw, ph] = [Math.max(pw, ph), Math.min(pw, ph)];
  const textWidth = pw - MARGIN.left - MARGIN.right;

  const pages: PDFPage[] = [];
  let page: PDFPage | undefined;
  let y = 0;
  const startPage = (): PDFPage => {
    page = doc.addPage([pw, ph]);
    pages.push(page);
    y = ph - MARGIN.top;
    return page;
  };

  opts.pages.forEach((logical, index) => {
    let current = startPage();
    if (index === 0 && opts.redHeader) {
      // 发文机关标志: as large as fits the type area, at most 2号×1.6.
      let size = 36;
      while (size > 16 && measure(opts.redHeader, size) > textWidth) size -= 1;
      const w = measure(opts.redHeader, size);
      y -= size;
      current.drawText(opts.redHeader, { x: MARGIN.left + (textWidth - w) / 2, y, size, font, color: RED });
      y -= size * 0.9;
      if (opts.docNumber) {
        const dw = measure(opts.docNumber, BODY_SIZE);
        y -= BODY_SIZE;
        current.drawText(opts.docNumber, { x: MARGIN.left + (textWidth - dw) / 2, y, size: BODY_SIZE, font, color: BLACK });
        y -= BODY_SIZE * 0.6;
      }
      // GB/T 9704: 版头中的分隔线, red, across the type area.
      current.drawLine({
        start: { x: MARGIN.left, y },
        end: { x: MARGIN.left + textWidth, y },
        thickness: 1.5,
        color: RED,
      });
      y -= BODY_SIZE * 1.5;
    }
    for (const raw of logical.lines) {
      const line = typeof raw === 'string' ? { text: raw } : raw;
      const size = line.size ?? BODY_SIZE;
      const align = line.align ?? 'left';
      const indent = align === 'left' && (line.indent ?? true) ? 2 * size : 0;
      const pitch = size * LINE_FACTOR;
      y -= line.gapBefore ?? 0;
      const wrapped = line.text === '' ? [''] : wrapText(line.text, measure, size, textWidth, indent);
      wrapped.forEach((part, i) => {
        if (y - pitch < MARGIN.bottom) current = startPage();
        const baseline = y - size;
        y -= pitch;
        const w = measure(part, size);
        const x =
          align === 'center'
            ? MARGIN.left + (textWidth - w) / 2
            : align === 'right'
              ? MARGIN.left + textWidth - w
              : MARGIN.left + (i === 0 ? indent : 0);
        if (part !== '') current.drawText(part, { x, y: baseline, size, font, color: line.color === 'red' ? RED : BLACK });
      });
    }
  });

  if (opts.pageNumbers ?? true) {
    // GB/T 9704: "— 1 —" in 4号 (14 pt), odd pages right, even pages left, 7 mm below the type area.
    pages.forEach((p, i) => {
      const label = `— ${i + 1} —`;
      const w = measure(label, 14);
      const x = i % 2 === 0 ? pw - MARGIN.right - w : MARGIN.left;
      p.drawText(label, { x, y: MARGIN.bottom - 7 * MM - 14, size: 14, font, color: BLACK });
    });
  }
  return doc.save({ useObjectStreams: false, objectsPerTick: Infinity });
}

/**
 * Encrypts a copy of a PDF with a user password (the document cannot be opened without it).
 *
 * RC4-128 (what older scanners and office suites still write) draws its randomness only inside
 * `encrypt()`, which is synchronous: during that call we feed pdf-lib a seeded byte stream so the output
 * is reproducible, and restore the platform's generator before anything else can run. AES would also need
 * random IVs during the asynchronous save, which we cannot make reproducible safely.
 */
export async function encryptPdf(pdf: Uint8Array, opts: { userPassword: string; ownerPassword?: string; seed: number }): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const webCrypto = globalThis.crypto;
  const hadOwn = Object.prototype.hasOwnProperty.call(webCrypto, 'getRandomValues');
  const original = webCrypto.getRandomValues;
  const rand = createRng(opts.seed);
  const seeded = <T extends ArrayBufferView | null>(array: T): T => {
    if (array) {
      const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
    }
    return array;
  };
  webCrypto.getRandomValues = seeded;
  try {
    doc.encrypt({
      userPassword: opts.userPassword,
      ownerPassword: opts.ownerPassword ?? `${opts.userPassword}-owner`,
      algorithm: 'RC4-128',
      allowWeakCryptography: true,
    });
  } finally {
    if (hadOwn) webCrypto.getRandomValues = original;
    else delete (webCrypto as { getRandomValues?: unknown }).getRandomValues;
  }
  return doc.save({ useObjectStreams: false, objectsPerTick: Infinity });
}

// ───────────────────────────── scanned PDF ─────────────────────────────

export type MakeScannedPdfOptions = {
  pages: { lines: string[] }[];
  title?: string;
  author?: string;
  seed: number;
  /** Scan resolution; 150 dpi keeps files small while text stays legible. */
  dpi?: number;
  quality?: number;
  date?: string;
  /** Red 发文机关标志 drawn on page 1 of the "paper". */
  redHeader?: string;
};

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** Rough advance of a character in em: CJK and full-width forms are square, the rest about half. */
function emWidth(ch: string): number {
  const code = ch.codePointAt(0) ?? 0;
  return code >= 0x2e80 || (code >= 0x2010 && code <= 0x2027) ? 1 : 0.55;
}

function wrapByEm(text: string, maxEm: number, firstIndentEm: number): string[] {
  const out: string[] = [];
  let line = '';
  let em = firstIndentEm;
  for (const ch of Array.from(text)) {
    const w = emWidth(ch);
    if (line !== '' && em + w > maxEm && !NO_LINE_START.has(ch)) {
      out.push(line);
      line = '';
      em = 0;
    }
    line += ch;
    em += w;
  }
  out.push(line);
  return out;
}

/** Seeded grey noise: the paper texture of a scan. */
function paperNoise(seed: number): Buffer {
  const table = noiseTable(seed, 7);
  const tile = Buffer.alloc(NOISE_TILE * NOISE_TILE * 3);
  for (let i = 0; i < NOISE_TILE * NOISE_TILE; i++) tile.fill(243 + table[i], i * 3, i * 3 + 3);
  return tile;
}

async function renderScanPage(lines: string[], opts: { width: number; height: number; seed: number; quality: number; redHeader?: string }): Promise<Buffer> {
  const { width, height } = opts;
  const rand = createRng(opts.seed);
  const px = width / 210; // pixels per mm on A4
  const size = Math.round(16 * (width / 595.28));
  const left = 28 * px;
  const maxEm = (210 - 28 - 26) * px / size;
  const parts: string[] = [];
  let y = 37 * px;
  if (opts.redHeader) {
    const headerSize = Math.min(size * 2.2, ((210 - 54) * px) / Array.from(opts.redHeader).length);
    y += headerSize;
    parts.push(
      `<text x="${width / 2}" y="${y}" font-size="${headerSize}" fill="#d01010" text-anchor="middle">${escapeXml(opts.redHeader)}</text>`,
    );
    y += size;
    parts.push(`<rect x="${left}" y="${y}" width="${(210 - 54) * px}" height="${Math.max(2, px * 0.5)}" fill="#d01010"/>`);
    y += size;
  }
  for (const text of lines) {
    for (const [i, part] of wrapByEm(text, maxEm, 2).entries()) {
      y += size * LINE_FACTOR;
      if (y > height - 30 * px) break;
      const x = left + (i === 0 ? 2 * size : 0);
      parts.push(`<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" font-size="${size}" fill="#1a1a1a">${escapeXml(part)}</text>`);
    }
  }
  const angle = (rand() - 0.5) * 0.8; // a scan is never quite straight
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<g font-family="Noto Serif CJK SC, SimSun, Songti SC, serif" transform="rotate(${angle.toFixed(3)} ${width / 2} ${height / 2})">${parts.join('')}</g></svg>`;
  return sharp({ create: { width, height, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite([
      { input: paperNoise(opts.seed), raw: { width: NOISE_TILE, height: NOISE_TILE, channels: 3 }, tile: true, blend: 'multiply' },
      { input: Buffer.from(svg), blend: 'multiply' },
    ])
    .jpeg({ quality: opts.quality, chromaSubsampling: '4:2:0' })
    .toBuffer();
}

/** A PDF whose pages are JPEG images only, like a document that went through an office scanner. */
export async function makeScannedPdf(opts: MakeScannedPdfOptions): Promise<Uint8Array> {
  const dpi = opts.dpi ?? 150;
  const width = Math.round((210 / 25.4) * dpi);
  const height = Math.round((297 / 25.4) * dpi);
  const doc = await newPdf({ title: opts.title, author: opts.author, date: opts.date });
  for (const [i, logical] of opts.pages.entries()) {
    const jpeg = await renderScanPage(logical.lines, {
      width,
      height,
      seed: opts.seed * 101 + i,
      quality: opts.quality ?? 70,
      redHeader: i === 0 ? opts.redHeader : undefined,
    });
    const image = await doc.embedJpg(jpeg);
    const page = doc.addPage(A4);
    page.drawImage(image, { x: 0, y: 0, width: A4[0], height: A4[1] });
  }
  return doc.save({ useObjectStreams: false, objectsPerTick: Infinity });
}

// ───────────────────────────── photos ─────────────────────────────

export type MakePhotoOptions = {
  width: number;
  height: number;
  /** Camera local time "YYYY-MM-DDTHH:mm:ss" → EXIF DateTimeOriginal; no EXIF date when absent. */
  takenAt?: string;
  gps?: { lat: number; lon: number };
  /** EXIF orientation 1–8 (the pixels are stored as given; viewers rotate). */
  orientation?: number;
  seed: number;
  /** Banner text drawn into the picture (a meeting's red banner). */
  label?: string;
  /** JPEG quality; 90 gives phone-like sizes (about 2 MB at 3000×2000). */
  quality?: number;
  /** EXIF Make/Model; default a common phone. No EXIF at all when `exif` is false. */
  make?: string;
  model?: string;
  exif?: boolean;
};

/**
 * Seeded noise bytes centred on 0 (as Int8): a table that pixels index into, much cheaper than one PRNG
 * step per sample. JPEG codes 8×8 blocks independently, so repeating noise still costs what real sensor
 * noise costs — which is what gives realistic file sizes.
 */
function noiseTable(seed: number, amplitude: number): Int8Array {
  const rand = createRng(seed ^ 0x5bd1e995);
  const table = new Int8Array(65536);
  for (let i = 0; i < table.length; i++) table[i] = Math.round((rand() - 0.5) * 2 * amplitude);
  return table;
}

const NOISE_TILE = 256;

/** A grey-centred RGB noise tile for libvips to repeat over the picture with an overlay blend. */
function noiseTile(seed: number, amplitude: number): Buffer {
  const table = noiseTable(seed, amplitude);
  const tile = Buffer.alloc(NOISE_TILE * NOISE_TILE * 3);
  for (let i = 0; i < tile.length; i++) tile[i] = 128 + table[i & 0xffff];
  return tile;
}

/**
 * The smooth part of a scene at 1/16 scale: a wall gradient, a floor and colour patches from a seeded
 * coarse grid. libvips enlarges it and adds the noise and the drawn shapes.
 */
function sceneField(width: number, height: number, seed: number): { small: Buffer; sw: number; sh: number; amplitude: number } {
  const rand = createRng(seed);
  const grid = 9;
  const field = new Float32Array(grid * grid * 3);
  const base = [150 + rand() * 60, 145 + rand() * 60, 135 + rand() * 60];
  for (let i = 0; i < grid * grid; i++) for (let c = 0; c < 3; c++) field[i * 3 + c] = base[c] + (rand() - 0.5) * 50;
  const horizon = 0.45 + rand() * 0.2;
  const floor = [70 + rand() * 60, 55 + rand() * 50, 40 + rand() * 40];
  const amplitude = 48 + rand() * 8;
  const sw = Math.max(2, Math.ceil(width / 16));
  const sh = Math.max(2, Math.ceil(height / 16));
  const small = Buffer.alloc(sw * sh * 3);
  for (let y = 0; y < sh; y++) {
    const gy = (y / sh) * (grid - 1);
    const y0 = Math.min(grid - 2, Math.floor(gy));
    const fy = gy - y0;
    const isFloor = y / sh > horizon;
    const shade = 0.75 + 0.35 * (1 - y / sh);
    for (let x = 0; x < sw; x++) {
      const gx = (x / sw) * (grid - 1);
      const x0 = Math.min(grid - 2, Math.floor(gx));
      const fx = gx - x0;
      for (let c = 0; c < 3; c++) {
        const a = field[(y0 * grid + x0) * 3 + c];
        const b = field[(y0 * grid + x0 + 1) * 3 + c];
        const d = field[((y0 + 1) * grid + x0) * 3 + c];
        const e = field[((y0 + 1) * grid + x0 + 1) * 3 + c];
        let v = (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
        if (isFloor) v = v * 0.35 + floor[c] * 0.65;
        v *= shade;
        small[(y * sw + x) * 3 + c] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
  return { small, sw, sh, amplitude };
}

function sceneOverlay(width: number, height: number, seed: number, label?: string): string {
  const rand = createRng(seed * 7 + 3);
  const shapes: string[] = [];
  // Tables and people: dark rounded shapes in the lower half.
  const people = 4 + Math.floor(rand() * 6);
  for (let i = 0; i < people; i++) {
    const cx = width * (0.1 + 0.8 * rand());
    const cy = height * (0.55 + 0.25 * rand());
    const r = height * (0.04 + 0.03 * rand());
    const tone = Math.floor(20 + rand() * 60);
    shapes.push(`<ellipse cx="${cx.toFixed(0)}" cy="${(cy - r * 2.2).toFixed(0)}" rx="${(r * 0.7).toFixed(0)}" ry="${(r * 0.85).toFixed(0)}" fill="rgb(${tone + 40},${tone + 25},${tone + 10})" opacity="0.85"/>`);
    shapes.push(`<rect x="${(cx - r * 1.3).toFixed(0)}" y="${(cy - r * 1.3).toFixed(0)}" width="${(r * 2.6).toFixed(0)}" height="${(r * 3.5).toFixed(0)}" rx="${(r * 0.6).toFixed(0)}" fill="rgb(${tone},${tone},${tone + 15})" opacity="0.8"/>`);
  }
  shapes.push(`<rect x="${(width * 0.05).toFixed(0)}" y="${(height * 0.78).toFixed(0)}" width="${(width * 0.9).toFixed(0)}" height="${(height * 0.06).toFixed(0)}" fill="rgb(120,80,50)" opacity="0.7"/>`);
  if (label) {
    // The red banner (横幅) every Chinese meeting photo has.
    const bannerH = height * 0.09;
    const size = Math.min(bannerH * 0.6, (width * 0.8) / Math.max(1, Array.from(label).length));
    shapes.push(`<rect x="${(width * 0.08).toFixed(0)}" y="${(height * 0.08).toFixed(0)}" width="${(width * 0.84).toFixed(0)}" height="${bannerH.toFixed(0)}" fill="#c0141c"/>`);
    shapes.push(
      `<text x="${width / 2}" y="${(height * 0.08 + bannerH * 0.5 + size * 0.35).toFixed(0)}" font-size="${size.toFixed(0)}" fill="#ffec80" text-anchor="middle" font-family="Noto Sans CJK SC, Microsoft YaHei, SimHei, sans-serif">${escapeXml(label)}</text>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes.join('')}</svg>`;
}

/** Degrees → EXIF rational triple "deg/1 min/1 sec*100/100". */
function toDmsRational(value: number): string {
  const abs = Math.abs(value);
  const deg = Math.floor(abs);
  const minFloat = (abs - deg) * 60;
  const min = Math.floor(minFloat);
  const sec = Math.round((minFloat - min) * 60 * 100);
  return `${deg}/1 ${min}/1 ${sec}/100`;
}

/** A phone-like JPEG with EXIF DateTimeOriginal, Make/Model, GPS and Orientation (written by sharp/libvips). */
export async function makePhoto(opts: MakePhotoOptions): Promise<Uint8Array> {
  const { width, height } = opts;
  const { small, sw, sh, amplitude } = sceneField(width, height, opts.seed);
  // All per-pixel work happens in libvips: enlarge the field, overlay the noise tile, draw the shapes.
  // JPEG has no alpha, so the composited SVG's alpha channel is dropped on output.
  let img = sharp(small, { raw: { width: sw, height: sh, channels: 3 } })
    .resize(width, height, { kernel: 'cubic', fit: 'fill' })
    .composite([
      { input: noiseTile(opts.seed, amplitude), raw: { width: NOISE_TILE, height: NOISE_TILE, channels: 3 }, tile: true, blend: 'overlay' },
      { input: Buffer.from(sceneOverlay(width, height, opts.seed, opts.label)) },
    ])
    .jpeg({ quality: opts.quality ?? 90, chromaSubsampling: '4:2:0' });
  if (opts.exif !== false) {
    const ifd0: Record<string, string> = { Make: opts.make ?? 'HUAWEI', Model: opts.model ?? 'VOG-AL00' };
    const ifd2: Record<string, string> = {};
    if (opts.takenAt) {
      const t = parseLocalDateTime(opts.takenAt);
      const p = (n: number): string => String(n).padStart(2, '0');
      const exifDate = `${t.y}:${p(t.mo)}:${p(t.d)} ${p(t.h)}:${p(t.mi)}:${p(t.s)}`;
      ifd0.DateTime = exifDate;
      ifd2.DateTimeOriginal = exifDate;
      ifd2.DateTimeDigitized = exifDate;
    }
    const ifd3: Record<string, string> = {};
    if (opts.gps) {
      ifd3.GPSLatitudeRef = opts.gps.lat >= 0 ? 'N' : 'S';
      ifd3.GPSLatitude = toDmsRational(opts.gps.lat);
      ifd3.GPSLongitudeRef = opts.gps.lon >= 0 ? 'E' : 'W';
      ifd3.GPSLongitude = toDmsRational(opts.gps.lon);
    }
    img = img.withExif({ IFD0: ifd0, IFD2: ifd2, IFD3: ifd3 });
    // withExif resets Orientation to 1; withMetadata sets it afterwards.
    if (opts.orientation && opts.orientation !== 1) img = img.withMetadata({ orientation: opts.orientation });
  }
  return new Uint8Array(await img.toBuffer());
}

// ───────────────────────────── zip normalisation ─────────────────────────────

/** Every file entry of a zip (an OOXML package), in stored order. */
export function readZipEntries(bytes: Uint8Array): Promise<{ name: string; data: Buffer }[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('zip'));
      const entries: { name: string; data: Buffer }[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('zip entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.push({ name: entry.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/**
 * Rewrites an OOXML package with every entry stamped at the same moment and the core-properties dates
 * fixed: docx and exceljs stamp "now" into both, which would make every run differ.
 */
export async function normalizeOoxml(bytes: Uint8Array, date: string = DEFAULT_DOC_DATE): Promise<Uint8Array> {
  const entries = await readZipEntries(bytes);
  const iso = `${utcDate(date).toISOString().slice(0, 19)}Z`;
  const t = parseLocalDateTime(date);
  // DOS timestamps are local wall-clock fields: build them from local components so every zone agrees.
  const mtime = new Date(t.y, t.mo - 1, t.d, t.h, t.mi, t.s);
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    let data = entry.data;
    if (entry.name === 'docProps/core.xml') {
      data = Buffer.from(
        data
          .toString('utf8')
          .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${iso}$2`)
          .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${iso}$2`),
        'utf8',
      );
    }
    zip.addBuffer(data, entry.name, { mtime, mode: 0o100644, compress: true, forceDosTimestamp: true });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

// ───────────────────────────── DOCX ─────────────────────────────

export type MakeDocxOptions = {
  paragraphs: string[];
  title?: string;
  author?: string;
  table?: string[][];
  date?: string;
};

/** A Word document: centred title (2号 小标宋), body in 3号 仿宋 with two-character indents, optional table. */
export async function makeDocx(opts: MakeDocxOptions): Promise<Uint8Array> {
  const body = (text: string): Paragraph =>
    new Paragraph({
      // Two characters of 16 pt, in twips (2 × 16 pt × 20).
      indent: { firstLine: 640 },
      spacing: { line: 560, lineRule: 'exact' },
      children: [new TextRun({ text, font: { eastAsia: '仿宋_GB2312', ascii: 'Times New Roman', hAnsi: 'Times New Roman' }, size: 32 })],
    });
  const children: (Paragraph | Table)[] = [];
  if (opts.title) {
    children.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { after: 400 },
        children: [new TextRun({ text: opts.title, font: { eastAsia: '方正小标宋简体' }, size: 44 })],
      }),
    );
  }
  for (const p of opts.paragraphs) children.push(body(p));
  if (opts.table && opts.table.length > 0) {
    children.push(
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: opts.table.map(
          (row, r) =>
            new TableRow({
              tableHeader: r === 0,
              children: row.map(
                (cell) =>
                  new TableCell({
                    children: [new Paragraph({ children: [new TextRun({ text: cell, bold: r === 0, size: 24, font: { eastAsia: '仿宋_GB2312' } })] })],
                  }),
              ),
            }),
        ),
      }),
    );
  }
  const doc = new Document({
    creator: opts.author ?? '青山县',
    lastModifiedBy: opts.author ?? '青山县',
    title: opts.title ?? '',
    revision: 1,
    sections: [
      {
        properties: {
          // GB/T 9704 margins in twips (1 mm = 56.7 twips).
          page: { size: { width: 11906, height: 16838 }, margin: { top: 2098, left: 1588, bottom: 1985, right: 1474 } },
        },
        children,
      },
    ],
  });
  return normalizeOoxml(await Packer.toBuffer(doc), opts.date);
}

// ───────────────────────────── XLSX ─────────────────────────────

export type MakeXlsxOptions = {
  sheets: {
    name: string;
    rows: (string | number | null)[][];
    /** Excel number formats by 1-based column, e.g. { 5: '0.00' } for 万元 with two decimals. */
    columnFormats?: Record<number, string>;
  }[];
  author?: string;
  date?: string;
};

function displayWidth(value: string | number | null): number {
  if (value === null) return 0;
  return Array.from(String(value)).reduce((s, ch) => s + (emWidth(ch) === 1 ? 2 : 1), 0);
}

/** An Excel workbook; the first row of each sheet is the header (bold, frozen). */
export async function makeXlsx(opts: MakeXlsxOptions): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const when = utcDate(opts.date ?? DEFAULT_DOC_DATE);
  wb.creator = opts.author ?? '青山县';
  wb.lastModifiedBy = opts.author ?? '青山县';
  wb.created = when;
  wb.modified = when;
  for (const sheet of opts.sheets) {
    const ws = wb.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    for (const row of sheet.rows) ws.addRow(row);
    ws.getRow(1).font = { bold: true };
    const columns = Math.max(0, ...sheet.rows.map((r) => r.length));
    for (let c = 1; c <= columns; c++) {
      const width = Math.max(6, ...sheet.rows.map((r) => displayWidth(r[c - 1] ?? null)));
      ws.getColumn(c).width = Math.min(40, width + 2);
    }
    for (const [col, numFmt] of Object.entries(sheet.columnFormats ?? {})) {
      ws.getColumn(Number(col)).eachCell((cell, rowNumber) => {
        if (rowNumber > 1 && typeof cell.value === 'number') cell.numFmt = numFmt;
      });
    }
  }
  const buffer = await wb.xlsx.writeBuffer();
  return normalizeOoxml(new Uint8Array(buffer), opts.date);
}

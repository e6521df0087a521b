/**
 * Page geometry and text helpers for generated pages (GB/T 9704-2012 layout).
 */
import { PDFHexString, rgb, type PDFFont, type PDFPage, type RGB } from '@cantoo/pdf-lib';
import type { FontRole } from '../../fonts.js';

/** 1 mm in PDF points (1 pt = 1/72 inch). */
export const MM = 72 / 25.4;
/** A4 portrait, in points. */
export const A4 = { width: 210 * MM, height: 297 * MM };
/** GB/T 9704: 天头 37 mm, 订口 (left) 28 mm, bottom 35 mm, right 26 mm. */
export const MARGIN = { top: 37 * MM, left: 28 * MM, bottom: 35 * MM, right: 26 * MM };
/** Chinese type sizes (号) in points. */
export const SIZE = { hao2: 22, hao3: 16, xiao3: 15, hao4: 14, xiao4: 12, hao5: 10.5, xiao5: 9 };

export const BLACK = rgb(0, 0, 0);
export const GREY = rgb(0.35, 0.35, 0.35);
export const LIGHT = rgb(0.75, 0.75, 0.75);
export const RED = rgb(0.78, 0.05, 0.05);
export const GREEN = rgb(0.05, 0.45, 0.15);
export const WHITE = rgb(1, 1, 1);

export type Fonts = Record<FontRole, PDFFont>;

/**
 * Font metrics are the same in every volume, so they are cached per font face (file + face name), not per
 * PDFFont: each volume embeds its fonts anew, and rebuilding a CJK font's character set (~30,000 code
 * points) and advances for every volume cost more than drawing the pages.
 */
const faceKeys = new WeakMap<PDFFont, string>();
const coverage = new Map<string | PDFFont, Set<number>>();
const advances = new Map<string | PDFFont, Map<string, number>>();

/** Say which face a document's font was embedded from, so its metrics are shared with other volumes. */
export function registerFace(font: PDFFont, faceKey: string): void {
  faceKeys.set(font, faceKey);
}

function cacheKey(font: PDFFont): string | PDFFont {
  return faceKeys.get(font) ?? font;
}

/** Replace characters the font cannot draw (they would print as empty boxes) with a visible "?". */
export function safeText(font: PDFFont, text: string): string {
  const key = cacheKey(font);
  let set = coverage.get(key);
  if (!set) {
    set = new Set(font.getCharacterSet());
    coverage.set(key, set);
  }
  let out = '';
  for (const ch of text.replace(/[\r\t]/g, ' ')) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '\n') out += ' ';
    else if (set.has(cp)) out += ch;
    else if (cp === 0x3000) out += '  ';
    else if (cp < 0x20) continue;
    else out += '?';
  }
  return out;
}

/**
 * Width as the sum of per-character advances, cached per face: pdf-lib's widthOfTextAtSize runs the
 * OpenType layout engine on every call, which dominated wrapping time. CJK text has no kerning to lose.
 */
function measure(font: PDFFont, text: string, size: number): number {
  const key = cacheKey(font);
  let cache = advances.get(key);
  if (!cache) {
    cache = new Map();
    advances.set(key, cache);
  }
  let width = 0;
  for (const ch of text) {
    let w = cache.get(ch);
    if (w === undefined) {
      w = font.widthOfTextAtSize(ch, 1000);
      cache.set(ch, w);
    }
    width += w;
  }
  return (width * size) / 1000;
}

/**
 * Encode text for drawing one character at a time, each character laid out once per document: pdf-lib
 * runs the OpenType shaper (GSUB lookups) over every string drawn, which was the largest cost of drawing
 * a volume. Safe for this app's text: CJK, digits and Latin need no ligatures or contextual forms, and
 * pdf-lib drops the shaper's positioning anyway (the same assumption measure() makes for widths).
 */
export function encodeByCharacter(font: PDFFont): void {
  const glyphs = new Map<string, string>();
  const encodeShaped = font.encodeText.bind(font);
  font.encodeText = (text: string): PDFHexString => {
    let hex = '';
    for (const ch of text) {
      let code = glyphs.get(ch);
      if (code === undefined) {
        code = encodeShaped(ch).asString();
        glyphs.set(ch, code);
      }
      hex += code;
    }
    return PDFHexString.of(hex);
  };
}

export function textWidth(font: PDFFont, text: string, size: number): number {
  return measure(font, safeText(font, text), size);
}

/** Closing punctuation may not start a line (禁则): it stays at the end of the previous line. */
const NO_LINE_START = new Set([...'，。、；：？！）》」』”’】〕…—,.;:?!)]']);

/**
 * Units a line may not break inside: the year-and-number part of a 文号 (〔2019〕3号), a Latin/digit run
 * (words, numbers, 档号 such as Z109-WS·2019-D30-XZB-0001), and an opening bracket with what follows it
 * (禁则: 〔 （ 《 “ may not end a line). Anything else is one character: Chinese breaks anywhere.
 */
const UNBREAKABLE = /[〔［[]\d{4}[〕］\]]\d+号|[〔（《「『“‘【([]*(?:[A-Za-z0-9@#%&+\-_./:·]+|.)/gu;

/** Split a paragraph into the units wrapText places whole. */
export function lineUnits(paragraph: string): string[] {
  return paragraph.match(UNBREAKABLE) ?? [];
}

/** Greedy wrap by lineUnits; a unit longer than the line (a long file name) is broken by character. */
export function wrapText(font: PDFFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const paragraph = safeText(font, raw);
    const tokens = lineUnits(paragraph);
    let line = '';
    let lineWidth = 0;
    for (const token of tokens) {
      const w = measure(font, token, size);
      if (!(lineWidth + w <= width || line === '' || NO_LINE_START.has(token))) {
        lines.push(line.trimEnd());
        line = '';
        lineWidth = 0;
        if (token === ' ') continue;
      }
      if (w > width && line === '') {
        // A token longer than the line (a long file name, a 文号 in a narrow column): break it by character.
        for (const ch of token) {
          const cw = measure(font, ch, size);
          if (lineWidth + cw > width && line !== '') {
            lines.push(line);
            line = '';
            lineWidth = 0;
          }
          line += ch;
          lineWidth += cw;
        }
        continue;
      }
      line += token;
      lineWidth += w;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

/** Cut a list of lines to at most n, marking the cut with "…". */
export function clampLines(lines: string[], n: number): string[] {
  if (lines.length <= n) return lines;
  const kept = lines.slice(0, n);
  kept[n - 1] = `${kept[n - 1].slice(0, Math.max(0, kept[n - 1].length - 1))}…`;
  return kept;
}

export function drawLine(
  page: PDFPage,
  text: string,
  x: number,
  y: number,
  font: PDFFont,
  size: number,
  color: RGB = BLACK,
): void {
  if (!text) return;
  page.drawText(safeText(font, text), { x, y, size, font, color });
}

export function drawCentered(page: PDFPage, text: string, y: number, font: PDFFont, size: number, left = 0, right = page.getWidth()): void {
  const w = textWidth(font, text, size);
  drawLine(page, text, left + (right - left - w) / 2, y, font, size);
}

/** Vector marks: ✓/✗ are missing from some CJK fonts (Noto CJK has ✓ but no ✗), so draw them. */
export function drawMark(page: PDFPage, kind: 'met' | 'partial' | 'missing' | 'unknown', x: number, y: number, size: number): void {
  const s = size * 0.8;
  const t = Math.max(1, size / 12);
  if (kind === 'met') {
    page.drawLine({ start: { x, y: y + s * 0.45 }, end: { x: x + s * 0.38, y: y + s * 0.08 }, thickness: t * 1.4, color: GREEN });
    page.drawLine({ start: { x: x + s * 0.38, y: y + s * 0.08 }, end: { x: x + s, y: y + s * 0.85 }, thickness: t * 1.4, color: GREEN });
  } else if (kind === 'missing') {
    page.drawLine({ start: { x, y }, end: { x: x + s, y: y + s }, thickness: t * 1.4, color: RED });
    page.drawLine({ start: { x, y: y + s }, end: { x: x + s, y }, thickness: t * 1.4, color: RED });
  } else if (kind === 'partial') {
    const p = [
      { x, y },
      { x: x + s, y },
      { x: x + s / 2, y: y + s * 0.9 },
    ];
    for (let i = 0; i < 3; i++) page.drawLine({ start: p[i], end: p[(i + 1) % 3], thickness: t, color: RED });
  } else {
    page.drawLine({ start: { x, y: y + s / 2 }, end: { x: x + s, y: y + s / 2 }, thickness: t, color: GREY });
  }
}

/** "2019-01-01" → "2019年1月1日" */
export function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
}

/** Category numbers as printed in headings: 1 → 一. */
export function chineseNumber(n: number): string {
  const digits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  if (n <= 10) return n === 10 ? '十' : digits[n];
  if (n < 20) return `十${digits[n - 10]}`;
  if (n < 100) return `${digits[Math.floor(n / 10)]}十${n % 10 ? digits[n % 10] : ''}`;
  return String(n);
}

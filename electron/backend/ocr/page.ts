/**
 * One page image → text: orientation, size limit, the red-seal retry, and the cheap "is this a document?" probe.
 * Runs in the OCR worker.
 */
import sharp from 'sharp';
import { findDatesInText } from '../../../shared/extract/dates.js';
import type { OcrEngine, OcrLine } from './engine.js';
import { normaliseOcrText } from './normalise.js';

/**
 * Longest side given to the engine. A 300-dpi A4 scan is 3508 px; at 2000 px body text (小四/三号) is still ~25 px
 * high, which PP-OCRv4 reads well, and the detection input (3 float planes) stays under ~100 MB.
 */
export const OCR_MAX_SIDE = 2000;
/** The probe that tells a document from a scene photo runs on a small copy (~0.3 s). */
const PROBE_MAX_SIDE = 800;
/** A photo with fewer confidently read Han characters than this is a scene (a banner, a signboard), not a page. */
export const DOCUMENT_MIN_CHARS = 40;
const CONFIDENT = 0.7;

export type PageText = { lines: OcrLine[]; text: string; confidence: number };

type Raw = { data: Buffer; width: number; height: number; channels: number };

/** Decoded, turned upright (EXIF), flattened on white, shrunk to `maxSide`: raw pixels. */
async function decodePage(bytes: Buffer, maxSide: number): Promise<Raw> {
  const { data, info } = await sharp(bytes, { limitInputPixels: 0x3fff * 0x3fff })
    .rotate()
    .flatten({ background: '#ffffff' })
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

function encode(raw: Raw): Promise<Buffer> {
  return sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels as 3 } }).png({ compressionLevel: 1 }).toBuffer();
}

/** Decoded, upright, shrunk to `maxSide`; PNG for the engine. */
export async function prepareImage(bytes: Buffer, maxSide: number): Promise<Buffer> {
  return encode(await decodePage(bytes, maxSide));
}

/** Red ink: strict enough that dark strokes next to red (JPEG keeps colour at half resolution) do not count. */
function isRedAt(data: Buffer, i: number): boolean {
  return data[i] > 150 && data[i] - (data[i + 1] + data[i + 2]) / 2 > 50;
}

/**
 * Red ink (seal, red header) takes the colour of the paper, everything else the grey of its red channel (paper and
 * red ink are bright in it, black toner is dark). Text a seal covers stays dark, so the date under it is readable.
 */
function whitenRedInk(raw: Raw): void {
  const { data, channels } = raw;
  // Paper level: the median red value of the other pixels (a white ring on grey paper would still disturb OCR).
  const histogram = new Array<number>(256).fill(0);
  let others = 0;
  for (let i = 0; i < data.length; i += channels) {
    if (isRedAt(data, i)) continue;
    histogram[data[i]]++;
    others++;
  }
  let paper = 255;
  for (let v = 0, seen = 0; v < 256; v++) {
    seen += histogram[v];
    if (seen * 2 >= others) {
      paper = v;
      break;
    }
  }
  for (let i = 0; i < data.length; i += channels) {
    const grey = isRedAt(data, i) ? paper : data[i];
    data[i] = grey;
    data[i + 1] = grey;
    data[i + 2] = grey;
  }
}

type Region = { left: number; top: number; width: number; height: number };

/** Below this share of the page's lower part in red pixels there is no seal. */
const SEAL_MIN_RED_SHARE = 0.002;

/**
 * Where the seal is: the box around red pixels in the lower part of the page (the red header is at the top),
 * widened to take in the signature and the date it covers.
 */
function sealRegion(raw: Raw): Region | undefined {
  const { data, width, height, channels } = raw;
  const from = Math.floor(height * 0.4);
  let [x0, y0, x1, y1, count] = [width, height, -1, -1, 0];
  for (let y = from; y < height; y += 2) {
    for (let x = 0; x < width; x += 2) {
      if (!isRedAt(data, (y * width + x) * channels)) continue;
      count++;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  if (count * 4 < SEAL_MIN_RED_SHARE * width * (height - from)) return undefined;
  const w = x1 - x0;
  const h = y1 - y0;
  const left = Math.max(0, Math.round(x0 - w * 0.9));
  const top = Math.max(0, Math.round(y0 - h * 0.3));
  const right = Math.min(width, Math.round(x1 + w * 0.5));
  const bottom = Math.min(height, Math.round(y1 + h * 0.3));
  return right - left > 8 && bottom - top > 8 ? { left, top, width: right - left, height: bottom - top } : undefined;
}

/**
 * The seal's region, slightly enlarged, as grey from the red channel (the seal turns light, black toner stays dark)
 * or, as a second try, with red ink replaced by paper grey.
 */
async function sealCrop(raw: Raw, region: Region, whiten: boolean): Promise<{ png: Buffer; scale: number }> {
  const crop: Raw = { width: region.width, height: region.height, channels: raw.channels, data: Buffer.alloc(region.width * region.height * raw.channels) };
  for (let y = 0; y < region.height; y++) {
    const start = ((region.top + y) * raw.width + region.left) * raw.channels;
    raw.data.copy(crop.data, y * region.width * raw.channels, start, start + region.width * raw.channels);
  }
  if (whiten) whitenRedInk(crop);
  else redChannelAsGrey(crop);
  const scale = Math.min(2, Math.max(1, SEAL_CROP_WIDTH / region.width));
  const png = await sharp(crop.data, { raw: { width: crop.width, height: crop.height, channels: crop.channels as 3 } })
    .resize({ width: Math.round(crop.width * scale), kernel: 'lanczos3' })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return { png, scale };
}

function redChannelAsGrey(raw: Raw): void {
  for (let i = 0; i < raw.data.length; i += raw.channels) {
    raw.data[i + 1] = raw.data[i];
    raw.data[i + 2] = raw.data[i];
  }
}

/**
 * Width the seal crop is enlarged to. Measured on the synthetic scans: ×1.3–1.5 reads the sealed date best; ×2–3
 * enlarges JPEG blocks and blur into wrong strokes.
 */
const SEAL_CROP_WIDTH = 950;

export function pageText(lines: OcrLine[]): PageText {
  let chars = 0;
  let weighted = 0;
  for (const line of lines) {
    const n = [...line.text].length;
    chars += n;
    weighted += n * line.confidence;
  }
  return { lines, text: normaliseOcrText(lines.map((l) => l.text).join('\n')), confidence: chars ? weighted / chars : 0 };
}

function hasDate(lines: OcrLine[]): boolean {
  return findDatesInText(lines.map((l) => l.text).join('\n')).length > 0;
}

/**
 * Reads a page. When the first pass finds no date — typically the 成文日期 under a red seal — the seal's region is
 * read again (red channel as grey, then red ink replaced by paper), and its dated lines replace the page lines they
 * overlap.
 */
export async function recognisePage(engine: OcrEngine, bytes: Buffer): Promise<PageText> {
  const raw = await decodePage(bytes, OCR_MAX_SIDE);
  const first = await engine.recognise(await encode(raw));
  if (hasDate(first) || first.length === 0) return pageText(first);
  const region = sealRegion(raw);
  if (!region) return pageText(first);
  let dated: OcrLine[] = [];
  for (const whiten of [false, true]) {
    const { png, scale } = await sealCrop(raw, region, whiten);
    dated = (await engine.recognise(png))
      .map((l) => ({
        ...l,
        text: normaliseOcrText(l.text),
        top: region.top + l.top / scale,
        bottom: region.top + l.bottom / scale,
        left: region.left + l.left / scale,
      }))
      .filter((l) => hasDate([l]));
    if (dated.length) break;
  }
  if (dated.length === 0) return pageText(first);
  const overlaps = (a: OcrLine, b: OcrLine) => Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0;
  const kept = first.filter((l) => !dated.some((d) => overlaps(l, d)));
  const merged = [...kept, ...dated].sort((a, b) => a.top - b.top || a.left - b.left);
  return pageText(merged);
}

/** Han characters read with confidence: the measure of "text density" for the document/scene decision. */
export function confidentHanChars(lines: OcrLine[]): number {
  let n = 0;
  for (const line of lines) if (line.confidence >= CONFIDENT) n += (line.text.match(/[\u3400-\u9fff]/g) ?? []).length;
  return n;
}

/**
 * A photo or image file: a fast pass on a small copy decides whether it is a document (a photographed notice,
 * licence, screenshot) or a scene; only documents get the full-size pass. Scenes keep the probe's text (a banner
 * or signboard is worth finding by search) but are not treated as documents.
 */
export async function recogniseImageFile(engine: OcrEngine, bytes: Buffer): Promise<PageText & { document: boolean }> {
  const probe = await engine.recognise(await prepareImage(bytes, PROBE_MAX_SIDE));
  if (confidentHanChars(probe) < DOCUMENT_MIN_CHARS) return { ...pageText(probe.filter((l) => l.confidence >= CONFIDENT)), document: false };
  return { ...(await recognisePage(engine, bytes)), document: true };
}

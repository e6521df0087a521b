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

type Prepare = { maxSide: number; redAsWhite?: boolean };

/** Decoded, turned upright (EXIF), flattened on white, shrunk to `maxSide`; PNG for the engine. */
export async function prepareImage(bytes: Buffer, options: Prepare): Promise<Buffer> {
  const image = sharp(bytes, { limitInputPixels: 0x3fff * 0x3fff })
    .rotate()
    .flatten({ background: '#ffffff' })
    .resize({ width: options.maxSide, height: options.maxSide, fit: 'inside', withoutEnlargement: true })
    .removeAlpha();
  if (!options.redAsWhite) return image.png({ compressionLevel: 1 }).toBuffer();
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  whitenRedInk(data, info.channels);
  return sharp(data, { raw: info }).png({ compressionLevel: 1 }).toBuffer();
}

/**
 * Red ink (seal, red header) takes the colour of the paper, everything else the grey of its red channel (paper and
 * red ink are bright in it, black toner is dark). Text a seal covers stays dark, so the date under it is readable.
 */
function whitenRedInk(data: Buffer, channels: number): void {
  // Strict enough that dark strokes next to red (JPEG carries colour at half resolution) are not taken for red ink.
  const isRed = (i: number) => data[i] > 150 && data[i] - (data[i + 1] + data[i + 2]) / 2 > 50;
  // Paper level: the median red value of the other pixels (a white ring on grey paper would still disturb OCR).
  const histogram = new Array<number>(256).fill(0);
  let others = 0;
  for (let i = 0; i < data.length; i += channels) {
    if (isRed(i)) continue;
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
    const grey = isRed(i) ? paper : data[i];
    data[i] = grey;
    data[i + 1] = grey;
    data[i + 2] = grey;
  }
}

/** Share of strongly red pixels: a seal or a red header. Pages without red ink never need the second pass. */
async function redInkShare(bytes: Buffer): Promise<number> {
  const { data, info } = await sharp(bytes).rotate().resize(256, 256, { fit: 'inside' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let red = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
    if (r > 140 && r - g > 60 && r - b > 60) red++;
  }
  return red / (info.width * info.height);
}

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
 * Reads a page. When the first pass finds no date — typically the 成文日期 under a red seal — a second pass with
 * red suppressed is made and its dated lines replace the lines they overlap.
 */
export async function recognisePage(engine: OcrEngine, bytes: Buffer): Promise<PageText> {
  const first = await engine.recognise(await prepareImage(bytes, { maxSide: OCR_MAX_SIDE }));
  if (hasDate(first) || first.length === 0 || (await redInkShare(bytes)) < 0.001) return pageText(first);
  const second = await engine.recognise(await prepareImage(bytes, { maxSide: OCR_MAX_SIDE, redAsWhite: true }));
  const dated = second.map((l) => ({ ...l, text: normaliseOcrText(l.text) })).filter((l) => hasDate([l]));
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
  const probe = await engine.recognise(await prepareImage(bytes, { maxSide: PROBE_MAX_SIDE }));
  if (confidentHanChars(probe) < DOCUMENT_MIN_CHARS) return { ...pageText(probe.filter((l) => l.confidence >= CONFIDENT)), document: false };
  return { ...(await recognisePage(engine, bytes)), document: true };
}

/** Photo metadata: EXIF (camera local time, GPS, orientation, camera) with exifr; size with sharp. */
import exifr from 'exifr';
import sharp from 'sharp';
import type { FileFormat, PhotoInfo } from '../../../../shared/domain/types.js';
import type { ReadResult } from './result.js';
import { importReason } from '../../../../shared/intake/reasons.js';

export const HEIC_NOTE = 'HEIC 照片暂不能排版，请另存为 JPG 后导入';
/**
 * sharp's own default limitInputPixels (0x3FFF²), stated here so the header check and the decoders agree: a 108 MP
 * phone photo fits, a header claiming 60000×60000 on a tiny file (a decompression bomb) does not.
 */
export const MAX_IMAGE_PIXELS = 0x3fff * 0x3fff;
export const imageTooLargeReason = (name: string, width: number, height: number): string => importReason('image-too-large', { name, width, height });
const IMAGE_CORRUPT_REASON = (name: string): string => importReason('image-corrupt', { name });

/** EXIF "2019:03:15 09:30:00" (camera local time, no zone) → "2019-03-15T09:30:00". */
export function exifDateToIso(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const m = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?/.exec(raw.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00'] = m;
  // Cameras without a set clock write "0000:00:00 00:00:00".
  if (y === '0000' || mo === '00' || d === '00') return undefined;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}`;
}

type ExifFields = {
  DateTimeOriginal?: unknown;
  CreateDate?: unknown;
  DateTimeDigitized?: unknown;
  ModifyDate?: unknown;
  DateTime?: unknown;
  Orientation?: unknown;
  Make?: unknown;
  Model?: unknown;
  latitude?: unknown;
  longitude?: unknown;
};

async function readExif(bytes: Buffer): Promise<PhotoInfo> {
  let exif: ExifFields | undefined;
  try {
    const parsed: unknown = await exifr.parse(bytes, {
      tiff: true,
      exif: true,
      gps: true,
      ifd1: false,
      xmp: false,
      icc: false,
      iptc: false,
      // Keep the camera's local time string (no Date in the machine's zone) and numeric orientation.
      reviveValues: false,
      translateValues: false,
    });
    exif = typeof parsed === 'object' && parsed !== null ? (parsed satisfies object) : undefined;
  } catch {
    exif = undefined; // no or damaged EXIF: the photo itself may still be fine
  }
  const info: PhotoInfo = {};
  if (!exif) return info;
  const takenAt = exifDateToIso(exif.DateTimeOriginal) ?? exifDateToIso(exif.CreateDate) ?? exifDateToIso(exif.DateTimeDigitized);
  if (takenAt) info.takenAt = takenAt;
  if (typeof exif.Orientation === 'number' && exif.Orientation >= 1 && exif.Orientation <= 8) info.orientation = exif.Orientation;
  const lat = exif.latitude;
  const lon = exif.longitude;
  if (typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon) && !(lat === 0 && lon === 0)) {
    info.gps = { lat, lon };
  }
  const make = typeof exif.Make === 'string' ? exif.Make.trim() : '';
  const model = typeof exif.Model === 'string' ? exif.Model.trim() : '';
  const camera = model.toLowerCase().startsWith(make.toLowerCase()) ? model : `${make} ${model}`.trim();
  if (camera) info.camera = camera;
  return info;
}

export async function readImage(bytes: Buffer, format: FileFormat, fileName: string): Promise<ReadResult> {
  const photo = await readExif(bytes);
  if (format === 'heic') {
    // The sharp builds we ship decode HEIF only with AV1 (AVIF), not the HEVC of phone photos:
    // keep the file and its EXIF (date, GPS) but say it cannot be laid out.
    try {
      const meta = await sharp(bytes).metadata();
      if (meta.width) photo.width = meta.width;
      if (meta.height) photo.height = meta.height;
    } catch {
      /* size unknown: not a reason to refuse the photo */
    }
    return { readability: 'ok', readError: HEIC_NOTE, text: '', photo };
  }
  const size = await headerSize(bytes);
  if (size && size.width * size.height > MAX_IMAGE_PIXELS) {
    return { readability: 'unsupported', readError: imageTooLargeReason(fileName, size.width, size.height), text: '', photo };
  }
  try {
    // Decode fully (not just the header) so a truncated photo is caught here, not in the binder.
    const image = sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_IMAGE_PIXELS });
    const meta = await image.metadata();
    await image.clone().resize(8, 8, { fit: 'fill' }).raw().toBuffer();
    // Stored (pre-rotation) pixel size; orientation says how to turn it for display.
    if (meta.width) photo.width = meta.width;
    if (meta.height) photo.height = meta.height;
    if (photo.orientation === undefined && meta.orientation && meta.orientation >= 1 && meta.orientation <= 8) {
      photo.orientation = meta.orientation;
    }
    const pages = meta.pages && meta.pages > 1 && format === 'tiff' ? meta.pages : undefined;
    return { readability: 'ok', text: '', photo, ...(pages ? { pages } : {}) };
  } catch {
    return { readability: 'corrupt', readError: IMAGE_CORRUPT_REASON(fileName), text: '', photo };
  }
}

/** Pixel size from the header alone (nothing decoded, so no pixel limit is needed here). */
async function headerSize(bytes: Buffer): Promise<{ width: number; height: number } | undefined> {
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    return meta.width && meta.height ? { width: meta.width, height: meta.height } : undefined;
  } catch {
    return undefined; // damaged header: the decode below reports it
  }
}

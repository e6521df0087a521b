/**
 * Detects a file's real format from its bytes (magic numbers, zip entries, OLE stream names), never
 * from its extension alone: a JPEG renamed to .pdf is a JPEG, and the import says so.
 */
import { open } from 'node:fs/promises';
import iconv from 'iconv-lite';
import type { FileFormat } from '../../../shared/domain/types.js';
import { classifyOle, isOle, OleFile } from './readers/ole.js';
import { closeZip, listZipEntries, openZipBuffer, openZipFile, readZipEntry } from './readers/zip.js';
import type { ZipEntryInfo } from './readers/zip.js';
import type { ZipFile } from 'yauzl';
import { importReason } from '../../../shared/intake/reasons.js';

export type Detection = {
  format: FileFormat;
  /** What the extension claims, or null when the extension is not one we know. */
  extensionFormat: FileFormat | null;
  /** True when the extension claims a different format than the content has. */
  mismatch: boolean;
  /** Set for zip-based formats we recognise but cannot read (OFD), with a Chinese reason. */
  note?: string;
};

const EXTENSIONS: Record<string, FileFormat> = {
  pdf: 'pdf',
  docx: 'docx',
  docm: 'docx',
  dotx: 'docx',
  xlsx: 'xlsx',
  xlsm: 'xlsx',
  pptx: 'pptx',
  doc: 'doc',
  dot: 'doc',
  xls: 'xls',
  xlt: 'xls',
  ppt: 'ppt',
  pps: 'ppt',
  odt: 'odt',
  ods: 'ods',
  wps: 'wps',
  wpt: 'wps',
  et: 'et',
  ett: 'et',
  jpg: 'jpeg',
  jpeg: 'jpeg',
  jpe: 'jpeg',
  jfif: 'jpeg',
  png: 'png',
  gif: 'gif',
  bmp: 'bmp',
  dib: 'bmp',
  tif: 'tiff',
  tiff: 'tiff',
  webp: 'webp',
  heic: 'heic',
  heif: 'heic',
  txt: 'txt',
  csv: 'txt',
  zip: 'zip',
};

export function extensionFormat(fileName: string): FileFormat | null {
  const dot = fileName.lastIndexOf('.');
  if (dot < 0 || dot === fileName.length - 1) return null;
  return EXTENSIONS[fileName.slice(dot + 1).toLowerCase()] ?? null;
}

/** How many leading bytes detection wants (enough for most OLE directories and zip local headers). */
export const DETECT_HEAD_BYTES = 64 * 1024;

const ascii = (bytes: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...bytes.subarray(start, Math.min(end, bytes.length)));

function startsWith(bytes: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (bytes.length < at + sig.length) return false;
  return sig.every((b, i) => bytes[at + i] === b);
}

export function isZipHead(bytes: Uint8Array): boolean {
  // PK\3\4 (local file header) or PK\5\6 (empty archive)
  return startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]);
}

/** Formats told apart by their first bytes alone. */
function sniffSimple(head: Uint8Array): FileFormat | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  const sig6 = ascii(head, 0, 6);
  if (sig6 === 'GIF87a' || sig6 === 'GIF89a') return 'gif';
  if (startsWith(head, [0x42, 0x4d]) && head.length >= 26) {
    // BM + a plausible DIB header size (12, 40, 52, 56, 64, 108, 124), so "BM..." text is not a bitmap
    const dib = head[14] | (head[15] << 8);
    if ([12, 40, 52, 56, 64, 108, 124].includes(dib)) return 'bmp';
  }
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'webp';
  if (ascii(head, 4, 8) === 'ftyp') {
    const brand = ascii(head, 8, 12);
    if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand)) return 'heic';
  }
  // PDF 7.5.2: the header may follow some junk; Acrobat accepts it within the first 1024 bytes.
  // Containers first: a zip or OLE file whose first member is a PDF is still a container.
  if (!isZipHead(head) && !isOle(head) && indexOfAscii(head.subarray(0, 1024), '%PDF-') >= 0) return 'pdf';
  return null;
}

function indexOfAscii(bytes: Uint8Array, needle: string): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle, 0, 'latin1');
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

/** Plain text: UTF-16 with a BOM, or no NULs and valid UTF-8 or GBK with few control characters. */
export function looksLikeText(head: Uint8Array, truncated: boolean): boolean {
  if (head.length === 0) return false;
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return true;
  let control = 0;
  for (const b of head) {
    if (b === 0) return false;
    // allowed: \t \n \f \r and ESC; the rest of C0 is binary
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 12 && b !== 13 && b !== 27) control++;
  }
  if (control > head.length / 100) return false;
  // A head cut mid-character: drop up to 3 trailing bytes before the strict check.
  for (let cut = 0; cut <= (truncated ? 3 : 0); cut++) {
    try {
      utf8Fatal.decode(head.subarray(0, head.length - cut));
      return true;
    } catch {
      /* try the next cut, then GBK */
    }
  }
  return isGbk(head, truncated);
}

/**
 * Text in a broken encoding (UTF-8 and GBK pasted together, a few damaged bytes): no NULs and few control
 * characters. Only trusted when the extension says text, so binary formats are never read as text.
 */
function looksLikeDamagedText(head: Uint8Array, fileName: string): boolean {
  if (extensionFormat(fileName) !== 'txt' || head.length === 0) return false;
  let control = 0;
  for (const b of head) {
    if (b === 0) return false;
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 12 && b !== 13 && b !== 27) control++;
  }
  return control <= head.length / 100;
}

/** GBK/GB18030 two-byte structure: lead 0x81–0xFE, trail 0x40–0xFE except 0x7F. */
function isGbk(bytes: Uint8Array, truncated: boolean): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 0x80) continue;
    if (b === 0x80 || b === 0xff) return false;
    if (i + 1 >= bytes.length) return truncated;
    const t = bytes[i + 1];
    if (t < 0x40 || t === 0x7f || t === 0xff) return false;
    i++;
  }
  return iconv.decode(Buffer.from(bytes), 'gbk').length > 0;
}

function withExtension(format: FileFormat, fileName: string, note?: string): Detection {
  const ext = extensionFormat(fileName);
  return { format, extensionFormat: ext, mismatch: ext !== null && ext !== format, ...(note ? { note } : {}) };
}

function fromOle(bytes: Uint8Array, fileName: string): Detection {
  const ext = extensionFormat(fileName);
  let kind: ReturnType<typeof classifyOle> | null = null;
  try {
    kind = classifyOle(new OleFile(bytes));
  } catch {
    kind = null; // head too short for the directory, or a damaged file: fall back to the extension
  }
  const oleExt = ext && ['doc', 'xls', 'ppt', 'wps', 'et', 'docx', 'xlsx', 'pptx'].includes(ext) ? ext : null;
  let format: FileFormat;
  switch (kind) {
    case 'doc':
      format = ext === 'wps' ? 'wps' : 'doc';
      break;
    case 'xls':
      format = ext === 'et' ? 'et' : 'xls';
      break;
    case 'ppt':
      format = 'ppt';
      break;
    case 'encrypted-ooxml':
      // Office wraps a password-protected docx/xlsx/pptx in a compound file; the extension says which.
      format = oleExt ?? 'docx';
      break;
    default:
      format = oleExt ?? 'unknown';
  }
  return withExtension(format, fileName);
}

const OFD_NOTE = importReason('ofd');

/** Tells OOXML/ODF/OFD from a plain archive by the entry names (and the ODF mimetype entry). */
async function classifyZip(
  entries: ZipEntryInfo[],
  readSmall: (e: ZipEntryInfo) => Promise<Buffer>,
): Promise<{ format: FileFormat; note?: string }> {
  const names = entries.map((e) => e.name);
  const hasContentTypes = names.includes('[Content_Types].xml');
  if (hasContentTypes || names.some((n) => n.startsWith('_rels/'))) {
    if (names.some((n) => n.startsWith('word/'))) return { format: 'docx' };
    if (names.some((n) => n.startsWith('xl/'))) return { format: 'xlsx' };
    if (names.some((n) => n.startsWith('ppt/'))) return { format: 'pptx' };
  }
  const mimetype = entries.find((e) => e.name === 'mimetype');
  if (mimetype && mimetype.uncompressedSize < 200) {
    const mime = (await readSmall(mimetype)).toString('latin1').trim();
    if (mime === 'application/vnd.oasis.opendocument.text') return { format: 'odt' };
    if (mime === 'application/vnd.oasis.opendocument.spreadsheet') return { format: 'ods' };
  }
  if (names.includes('OFD.xml')) return { format: 'unknown', note: OFD_NOTE };
  return { format: 'zip' };
}

/**
 * Best effort from the head only (no I/O). For zips it looks at the local headers present in `head`;
 * use detectFormatOfFile / detectFormatOfBytes for a certain answer.
 */
export function detectFormat(head: Uint8Array, fileName: string): Detection {
  const simple = sniffSimple(head);
  if (simple) return withExtension(simple, fileName);
  if (isOle(head)) return fromOle(head, fileName);
  if (isZipHead(head)) {
    const text = ascii(head, 0, head.length);
    if (/\[Content_Types\]\.xml|_rels\//.test(text)) {
      if (text.includes('word/')) return withExtension('docx', fileName);
      if (text.includes('xl/')) return withExtension('xlsx', fileName);
      if (text.includes('ppt/')) return withExtension('pptx', fileName);
    }
    if (text.includes('mimetypeapplication/vnd.oasis.opendocument.text')) return withExtension('odt', fileName);
    if (text.includes('mimetypeapplication/vnd.oasis.opendocument.spreadsheet')) return withExtension('ods', fileName);
    if (text.includes('OFD.xml')) return withExtension('unknown', fileName, OFD_NOTE);
    // Large OOXML files may keep word/… beyond the head: trust an OOXML extension on a zip.
    const ext = extensionFormat(fileName);
    if (ext === 'docx' || ext === 'xlsx' || ext === 'pptx' || ext === 'odt' || ext === 'ods') return withExtension(ext, fileName);
    return withExtension('zip', fileName);
  }
  if (looksLikeText(head, true)) return withExtension('txt', fileName);
  return withExtension('unknown', fileName);
}

async function detectZip(zip: ZipFile, fileName: string): Promise<Detection> {
  try {
    const entries = await listZipEntries(zip);
    const { format, note } = await classifyZip(entries, (e) => readZipEntry(zip, e.entry, 1024));
    return withExtension(format, fileName, note);
  } finally {
    closeZip(zip);
  }
}

/** Certain detection for bytes in memory (zip members, uploaded buffers). */
export async function detectFormatOfBytes(bytes: Buffer, fileName: string): Promise<Detection> {
  const head = bytes.subarray(0, DETECT_HEAD_BYTES);
  if (sniffSimple(head)) return detectFormat(head, fileName);
  if (isOle(bytes)) return fromOle(bytes, fileName);
  if (isZipHead(bytes)) {
    try {
      return await detectZip(await openZipBuffer(bytes), fileName);
    } catch {
      // A damaged archive: the head's answer is the best we have; the reader reports the damage.
      return detectFormat(head, fileName);
    }
  }
  if (looksLikeText(head, bytes.length > head.length) || looksLikeDamagedText(head, fileName)) return withExtension('txt', fileName);
  return withExtension('unknown', fileName);
}

/** OLE files are read whole for the directory; beyond this the extension decides. */
const OLE_FULL_READ_LIMIT = 512 * 1024 * 1024;

/** Certain detection for a file on disk: reads the head, the zip central directory or the OLE directory. */
export async function detectFormatOfFile(path: string, fileName = path.split(/[\\/]/).pop() ?? path): Promise<Detection> {
  const handle = await open(path, 'r');
  let head: Buffer;
  let size: number;
  try {
    size = (await handle.stat()).size;
    head = Buffer.alloc(Math.min(size, DETECT_HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    if (isOle(head) && size > head.length && size <= OLE_FULL_READ_LIMIT) {
      const all = Buffer.alloc(size);
      await handle.read(all, 0, size, 0);
      return fromOle(all, fileName);
    }
  } finally {
    await handle.close();
  }
  if (sniffSimple(head)) return detectFormat(head, fileName);
  if (isZipHead(head)) {
    try {
      return await detectZip(await openZipFile(path), fileName);
    } catch {
      return detectFormat(head, fileName);
    }
  }
  if (isOle(head)) return fromOle(head, fileName);
  if (looksLikeText(head, size > head.length) || looksLikeDamagedText(head, fileName)) return withExtension('txt', fileName);
  return withExtension('unknown', fileName);
}

/**
 * Photos and scanned images for the binder. A plain JPEG is embedded as it is (its bytes become the
 * DCTDecode stream, as img2pdf does): nothing is decoded, nothing is re-compressed, and EXIF orientation
 * is applied by the drawing matrix. Only images a PDF reader cannot take as they are (CMYK, 12-bit,
 * lossless or arithmetic-coded JPEG, PNG with alpha, other formats), very large ones, and those beyond a
 * volume's memory budget are decoded, turned upright and downscaled to the print box.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import {
  type PDFDict,
  PDFName,
  PDFStream,
  concatTransformationMatrix,
  drawObject,
  popGraphicsState,
  pushGraphicsState,
  type PDFDocument,
  type PDFPage,
  type PDFRef,
} from '@cantoo/pdf-lib';
import sharp from 'sharp';

/** Print resolution for downscaled photos: 200 dpi is sharp on paper and keeps a volume small. */
const PRINT_DPI = 200;
/** A JPEG larger than this is always downscaled (a 50-MP camera file, a 600-dpi scan). */
const MAX_ORIGINAL_BYTES = 8 * 1024 * 1024;
const MAX_ORIGINAL_SIDE = 6000;
/**
 * Original JPEG bytes one volume may embed. They are read from disk straight into save()'s output, but the
 * output of a volume is one buffer, and a finished volume's buffers are freed only when V8 next collects
 * (measured: ~2.5× this budget held at the peak of a long build). Past it, photos are downscaled
 * (~0.1–0.4 MB each), so a volume of hundreds of photos stays under 1 GB.
 */
export const ORIGINAL_BUDGET_BYTES = 128 * 1024 * 1024;

/** What a JPEG's header says, read without decoding (JPEG ITU T.81 markers, EXIF/TIFF 6.0 IFD0). */
export type JpegHeader = {
  width: number;
  height: number;
  /** 1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK */
  components: number;
  bitsPerComponent: number;
  /** Start-of-frame marker: 0xC0 baseline, 0xC1 extended, 0xC2 progressive; others are lossless/arithmetic. */
  frame: number;
  /** EXIF orientation 1–8 (1 when absent). */
  orientation: number;
  /** Embedded ICC profile (APP2 ICC_PROFILE chunks joined), when complete. */
  icc?: Uint8Array;
};

function readExifOrientation(bytes: Uint8Array, start: number, end: number): number {
  // "Exif\0\0" then a TIFF header: byte order, 42, offset of IFD0.
  const tiff = start + 6;
  if (end - tiff < 8) return 1;
  const little = bytes[tiff] === 0x49 && bytes[tiff + 1] === 0x49;
  if (!little && !(bytes[tiff] === 0x4d && bytes[tiff + 1] === 0x4d)) return 1;
  const u16 = (at: number): number => (little ? bytes[at] | (bytes[at + 1] << 8) : (bytes[at] << 8) | bytes[at + 1]);
  const u32 = (at: number): number => (little ? u16(at) + u16(at + 2) * 0x10000 : u16(at) * 0x10000 + u16(at + 2));
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > end) return 1;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) break;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

/** Parse the markers before the scan data; undefined when this is not a JPEG with a frame header. */
export function readJpegHeader(bytes: Uint8Array): JpegHeader | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let pos = 2;
  let orientation = 1;
  let frame: Omit<JpegHeader, 'orientation' | 'icc'> | undefined;
  const iccChunks = new Map<number, Uint8Array>();
  let iccCount = 0;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return undefined;
    const marker = bytes[pos + 1];
    if (marker === 0xff) {
      pos += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      pos += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) break;
    const length = (bytes[pos + 2] << 8) | bytes[pos + 3];
    const start = pos + 4;
    const end = pos + 2 + length;
    if (length < 2 || end > bytes.length) return undefined;
    const ascii = (at: number, text: string): boolean => [...text].every((ch, i) => bytes[at + i] === ch.charCodeAt(0));
    if (marker === 0xe1 && ascii(start, 'Exif\0\0')) {
      orientation = readExifOrientation(bytes, start, end);
    } else if (marker === 0xe2 && ascii(start, 'ICC_PROFILE\0') && end - start > 14) {
      iccChunks.set(bytes[start + 12], bytes.subarray(start + 14, end));
      iccCount = bytes[start + 13];
    } else if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc && !frame) {
      if (end - start < 6) return undefined;
      frame = {
        frame: marker,
        bitsPerComponent: bytes[start],
        height: (bytes[start + 1] << 8) | bytes[start + 2],
        width: (bytes[start + 3] << 8) | bytes[start + 4],
        components: bytes[start + 5],
      };
    }
    pos = end;
  }
  if (!frame || frame.width === 0 || frame.height === 0) return undefined;
  let icc: Uint8Array | undefined;
  if (iccCount > 0 && iccChunks.size === iccCount) {
    const parts: Uint8Array[] = [];
    for (let i = 1; i <= iccCount; i++) {
      const part = iccChunks.get(i);
      if (!part) break;
      parts.push(part);
    }
    const joined = Buffer.concat(parts);
    // ICC.1 header: the data colour space at byte 16 must match the JPEG's components, else a reader rejects it.
    const space = joined.subarray(16, 20).toString('latin1');
    if (parts.length === iccCount && space === (frame.components === 1 ? 'GRAY' : frame.components === 3 ? 'RGB ' : 'CMYK')) icc = joined;
  }
  return { ...frame, orientation, ...(icc ? { icc } : {}) };
}

/** A JPEG a PDF reader shows exactly as an image viewer does when put in a DCTDecode stream. */
export function embeddableAsIs(h: JpegHeader): boolean {
  // CMYK is left out on purpose: Adobe writes it inverted, other tools do not, and the header cannot tell
  // which (pdf-lib guesses "inverted" for all); decoding gives the right colours every time.
  return (
    (h.frame === 0xc0 || h.frame === 0xc1 || h.frame === 0xc2) &&
    h.bitsPerComponent === 8 &&
    (h.components === 1 || h.components === 3) &&
    Math.max(h.width, h.height) <= MAX_ORIGINAL_SIDE
  );
}

export type LoadedImage =
  /** The original JPEG, to embed as it is and turn by `orientation`. */
  | { kind: 'original'; file: string; size: number; header: JpegHeader }
  /** Decoded, turned upright and downscaled; width/height are those of `data`. */
  | { kind: 'encoded'; data: Buffer; png: boolean; width: number; height: number }
  | { error: string };

export type ImageBox = { width: number; height: number };

async function downscale(input: Uint8Array | string, box: ImageBox): Promise<LoadedImage> {
  const maxW = Math.round((box.width / 72) * PRINT_DPI);
  const maxH = Math.round((box.height / 72) * PRINT_DPI);
  const image = sharp(input, { failOn: 'error', limitInputPixels: 400_000_000 });
  const meta = await image.metadata();
  // .rotate() with no angle applies EXIF orientation: the only change to the content besides the size.
  const pipeline = image.rotate().resize({ width: maxW, height: maxH, fit: 'inside', withoutEnlargement: true });
  if (meta.hasAlpha) {
    const { data, info } = await pipeline.png({ compressionLevel: 6 }).toBuffer({ resolveWithObject: true });
    return { kind: 'encoded', data, png: true, width: info.width, height: info.height };
  }
  const { data, info } = await pipeline.jpeg({ quality: 85, chromaSubsampling: '4:2:0' }).toBuffer({ resolveWithObject: true });
  return { kind: 'encoded', data, png: false, width: info.width, height: info.height };
}

function decodeError(err: unknown): { error: string } {
  return { error: `无法解码图片（${err instanceof Error ? err.message.slice(0, 80) : '未知错误'}）` };
}

/** Read one image: the original JPEG when `allowOriginal` and it can go in as it is, else a downscaled copy. */
export async function loadImage(file: string, box: ImageBox, allowOriginal: boolean): Promise<LoadedImage> {
  try {
    if (!allowOriginal) return await downscale(file, box);
    const data = await readFile(file);
    const header = readJpegHeader(data);
    // The bytes are dropped here and read again straight into the output when the PDF is saved.
    if (header && embeddableAsIs(header)) return { kind: 'original', file, size: data.length, header };
    return await downscale(data, box);
  } catch (err) {
    return decodeError(err);
  }
}

/**
 * Which images may be embedded as they are: in print order, until the volume's budget is spent. Decided
 * from file sizes before anything is read, so the same files always give the same choice (and bytes).
 */
export async function chooseOriginals(files: string[], budget = ORIGINAL_BUDGET_BYTES): Promise<boolean[]> {
  const sizes = await Promise.all(files.map((f) => stat(f).then((s) => s.size, () => 0)));
  let spent = 0;
  return sizes.map((size) => {
    if (size === 0 || size > MAX_ORIGINAL_BYTES || spent + size > budget) return false;
    spent += size;
    return true;
  });
}

/**
 * A stream whose bytes stay in the file until save() copies them straight into the output: a volume's
 * original photos are then held in memory once (in the output), not twice. Stored originals are
 * content-addressed and never change; a size or signature mismatch still stops the build.
 */
class FileBackedStream extends PDFStream {
  constructor(
    dict: PDFDict,
    private readonly file: string,
    private readonly size: number,
  ) {
    super(dict);
  }
  override clone(context?: Parameters<PDFDict['clone']>[0]): FileBackedStream {
    return new FileBackedStream(this.dict.clone(context), this.file, this.size);
  }
  override getContents(): Uint8Array {
    const bytes = new Uint8Array(this.size);
    this.readInto(bytes, 0);
    return bytes;
  }
  override getContentsString(): string {
    return Buffer.from(this.getContents()).toString('latin1');
  }
  override getContentsSize(): number {
    return this.size;
  }
  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    this.updateDict();
    const start = offset;
    offset += this.dict.copyBytesInto(buffer, offset);
    buffer.set(STREAM_START, offset);
    offset += STREAM_START.length;
    this.readInto(buffer, offset);
    offset += this.size;
    buffer.set(STREAM_END, offset);
    offset += STREAM_END.length;
    return offset - start;
  }
  private readInto(buffer: Uint8Array, offset: number): void {
    const fd = openSync(this.file, 'r');
    try {
      let done = 0;
      while (done < this.size) {
        const n = readSync(fd, buffer, offset + done, this.size - done, done);
        if (n === 0) break;
        done += n;
      }
      const extra = readSync(fd, new Uint8Array(1), 0, 1, this.size);
      if (done !== this.size || extra !== 0 || buffer[offset] !== 0xff || buffer[offset + 1] !== 0xd8) {
        throw new Error(`照片原件在生成期间被改动：${this.file}。请重新生成。`);
      }
    } finally {
      closeSync(fd);
    }
  }
}
const STREAM_START = new TextEncoder().encode('\nstream\n');
const STREAM_END = new TextEncoder().encode('\nendstream');

/** An image in the document, with its upright (displayed) size and how to turn the stored pixels. */
export type PreparedImage = { ref: PDFRef; width: number; height: number; orientation: number } | { error: string };

export async function embedImage(doc: PDFDocument, img: LoadedImage, iccProfiles: Map<string, PDFRef>): Promise<PreparedImage> {
  if ('error' in img) return img;
  if (img.kind === 'encoded') {
    const image = img.png ? await doc.embedPng(img.data) : await doc.embedJpg(img.data);
    return { ref: image.ref, width: img.width, height: img.height, orientation: 1 };
  }
  const h = img.header;
  let colorSpace: PDFName | (PDFName | PDFRef)[] = PDFName.of(h.components === 1 ? 'DeviceGray' : 'DeviceRGB');
  if (h.icc) {
    // Keep the camera's colour profile (e.g. Display P3) so colours match an image viewer.
    const key = `${h.components}:${Buffer.from(h.icc).toString('base64')}`;
    let icc = iccProfiles.get(key);
    if (!icc) {
      icc = doc.context.register(
        doc.context.flateStream(h.icc, { N: h.components, Alternate: h.components === 1 ? 'DeviceGray' : 'DeviceRGB' }),
      );
      iccProfiles.set(key, icc);
    }
    colorSpace = [PDFName.of('ICCBased'), icc];
  }
  const dict = doc.context.obj({
    Type: 'XObject',
    Subtype: 'Image',
    Width: h.width,
    Height: h.height,
    BitsPerComponent: 8,
    ColorSpace: colorSpace,
    Filter: 'DCTDecode',
  });
  const ref = doc.context.register(new FileBackedStream(dict, img.file, img.size));
  const turned = h.orientation >= 5;
  return { ref, width: turned ? h.height : h.width, height: turned ? h.width : h.height, orientation: h.orientation };
}

/**
 * EXIF orientation as an affine map from the stored image's unit square (u right, v up) to the upright
 * one (s, t): s = su·u + sv·v + s0, t = tu·u + tv·v + t0. TIFF 6.0 tag 274: 2 mirrors, 3 turns 180°,
 * 6 turns 90° clockwise, 8 turns 90° anticlockwise; 5 and 7 are the mirrored turns.
 */
const ORIENTATION: Record<number, [su: number, sv: number, s0: number, tu: number, tv: number, t0: number]> = {
  1: [1, 0, 0, 0, 1, 0],
  2: [-1, 0, 1, 0, 1, 0],
  3: [-1, 0, 1, 0, -1, 1],
  4: [1, 0, 0, 0, -1, 1],
  5: [0, -1, 1, -1, 0, 1],
  6: [0, 1, 0, -1, 0, 1],
  7: [0, 1, 0, 1, 0, 0],
  8: [0, -1, 1, 1, 0, 0],
};

/** Draw the image upright, filling the rectangle (x, y, w, h) given in upright coordinates. */
export function placeImage(page: PDFPage, img: Exclude<PreparedImage, { error: string }>, x: number, y: number, w: number, h: number): void {
  const [su, sv, s0, tu, tv, t0] = ORIENTATION[img.orientation] ?? ORIENTATION[1];
  const name = page.node.newXObject('Image', img.ref);
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(w * su, h * tu, w * sv, h * tv, x + w * s0, y + h * t0),
    drawObject(name),
    popGraphicsState(),
  );
}

/** Fit inside the box keeping the aspect ratio (never stretched), centred. */
export function drawFitted(page: PDFPage, img: Exclude<PreparedImage, { error: string }>, box: { x: number; y: number; width: number; height: number }): void {
  const scale = Math.min(box.width / img.width, box.height / img.height);
  const w = img.width * scale;
  const h = img.height * scale;
  placeImage(page, img, box.x + (box.width - w) / 2, box.y + (box.height - h) / 2, w, h);
}

/**
 * Images are read a few ahead of the page being drawn (decoding runs in libvips' threads), but only a few:
 * a whole volume's decoded images are never held at once. Embedding stays in order, so object numbers —
 * and the file's bytes — do not depend on which read finished first.
 */
export function imagePrefetcher(
  jobs: { key: string; file: string; box: ImageBox; allowOriginal: boolean }[],
  ahead: number,
): (key: string) => Promise<LoadedImage> {
  const started = new Map<string, Promise<LoadedImage>>();
  let next = 0;
  const fill = (upTo: number): void => {
    while (next < jobs.length && next <= upTo) {
      const job = jobs[next];
      started.set(job.key, loadImage(job.file, job.box, job.allowOriginal));
      next += 1;
    }
  };
  const index = new Map(jobs.map((j, i) => [j.key, i]));
  // Start at once: the first images load while PDF pages are being copied.
  fill(ahead - 1);
  return (key: string): Promise<LoadedImage> => {
    const i = index.get(key) ?? 0;
    fill(i + ahead);
    const p = started.get(key);
    started.delete(key);
    return p ?? Promise.resolve({ error: '内部错误：图片未排入读取队列' });
  };
}

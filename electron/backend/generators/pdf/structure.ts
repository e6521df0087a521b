/**
 * Low-level PDF structure pdf-lib has no high-level API for: outline (bookmarks), page labels, GoTo links,
 * and copied pages fitted onto A4 sheets so the binder's marks never cover original content.
 */
import { deflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFContentStream,
  PDFDict,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  PDFRawStream,
  PDFStream,
  arrayAsString,
  clip,
  concatTransformationMatrix,
  degrees,
  endPath,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  typedArrayFor,
  type PDFDocument,
  type PDFPage,
  type PDFRef,
} from '@cantoo/pdf-lib';

export type OutlineNode = { title: string; page: PDFPage; open?: boolean; children: OutlineNode[] };

function destination(doc: PDFDocument, page: PDFPage): PDFArray {
  // [page /XYZ null null null]: keep the reader's zoom, jump to the page top.
  return doc.context.obj([page.ref, PDFName.of('XYZ'), PDFNull, PDFNull, PDFNull]);
}

/** Write /Outlines. Open nodes show their children; the count rules are PDF 32000 §12.3.3. */
export function writeOutline(doc: PDFDocument, roots: OutlineNode[]): void {
  if (roots.length === 0) return;
  const ctx = doc.context;
  const outlinesRef = ctx.nextRef();
  const visibleCount = (node: OutlineNode): number =>
    node.open ? node.children.reduce((s, c) => s + 1 + visibleCount(c), 0) : 0;
  const writeLevel = (nodes: OutlineNode[], parent: PDFRef): { first: PDFRef; last: PDFRef } => {
    const refs = nodes.map(() => ctx.nextRef());
    nodes.forEach((node, i) => {
      const dict = ctx.obj({}) as PDFDict;
      dict.set(PDFName.of('Title'), PDFHexString.fromText(node.title));
      dict.set(PDFName.of('Parent'), parent);
      if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1]);
      if (i < nodes.length - 1) dict.set(PDFName.of('Next'), refs[i + 1]);
      dict.set(PDFName.of('Dest'), destination(doc, node.page));
      if (node.children.length > 0) {
        const { first, last } = writeLevel(node.children, refs[i]);
        dict.set(PDFName.of('First'), first);
        dict.set(PDFName.of('Last'), last);
        const count = node.open ? visibleCount(node) : -node.children.length;
        dict.set(PDFName.of('Count'), PDFNumber.of(count));
      }
      ctx.assign(refs[i], dict);
    });
    return { first: refs[0], last: refs[refs.length - 1] };
  };
  const { first, last } = writeLevel(roots, outlinesRef);
  const total = roots.reduce((s, r) => s + 1 + visibleCount(r), 0);
  ctx.assign(
    outlinesRef,
    ctx.obj({ Type: 'Outlines', First: first, Last: last, Count: PDFNumber.of(total) }),
  );
  doc.catalog.set(PDFName.of('Outlines'), outlinesRef);
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

export type PageLabelRange = { start: number; prefix?: string; decimal?: boolean; first?: number };

/** /PageLabels number tree: what a reader shows as the page "number" (封面, 目录-1, 1, 2 …, 备考表). */
export function writePageLabels(doc: PDFDocument, ranges: PageLabelRange[]): void {
  const ctx = doc.context;
  const nums: (PDFNumber | PDFDict)[] = [];
  for (const r of ranges) {
    const dict = ctx.obj({}) as PDFDict;
    if (r.prefix) dict.set(PDFName.of('P'), PDFHexString.fromText(r.prefix));
    if (r.decimal) dict.set(PDFName.of('S'), PDFName.of('D'));
    if (r.first !== undefined && r.first !== 1) dict.set(PDFName.of('St'), PDFNumber.of(r.first));
    nums.push(PDFNumber.of(r.start), dict);
  }
  doc.catalog.set(PDFName.of('PageLabels'), ctx.obj({ Nums: ctx.obj(nums) }));
}

/** A clickable rectangle that jumps to a page (GoTo via /Dest), with no visible border. */
export function addLink(doc: PDFDocument, on: PDFPage, rect: [number, number, number, number], to: PDFPage): void {
  const ctx = doc.context;
  const annot = ctx.obj({
    Type: 'Annot',
    Subtype: 'Link',
    Rect: rect.map((n) => PDFNumber.of(Math.round(n * 100) / 100)),
    Border: [0, 0, 0],
    Dest: destination(doc, to),
  });
  on.node.addAnnot(ctx.register(annot));
}

/** Drawing frame in the page's displayed orientation (after /Rotate). */
export type DisplayFrame = {
  width: number;
  height: number;
  /** Display point (origin bottom-left as the reader shows it) → user-space point. */
  at(dx: number, dy: number): { x: number; y: number };
  /** Rotation to pass to drawText/drawRectangle so the result reads upright. */
  rotate: ReturnType<typeof degrees>;
};

function frameFor(rotation: number, x0: number, y0: number, x1: number, y1: number): DisplayFrame {
  const w = x1 - x0;
  const h = y1 - y0;
  switch (rotation) {
    case 90:
      return { width: h, height: w, at: (dx, dy) => ({ x: x1 - dy, y: y0 + dx }), rotate: degrees(90) };
    case 180:
      return { width: w, height: h, at: (dx, dy) => ({ x: x1 - dx, y: y1 - dy }), rotate: degrees(180) };
    case 270:
      return { width: h, height: w, at: (dx, dy) => ({ x: x0 + dy, y: y1 - dx }), rotate: degrees(270) };
    default:
      return { width: w, height: h, at: (dx, dy) => ({ x: x0 + dx, y: y0 + dy }), rotate: degrees(0) };
  }
}

export function displayFrame(page: PDFPage): DisplayFrame {
  const rotation = (((page.getRotation().angle % 360) + 360) % 360) as number;
  const box = page.getCropBox();
  return frameFor(rotation, box.x, box.y, box.x + box.width, box.y + box.height);
}

/** Where a copied page's content sits on its A4 sheet, in display coordinates (points, origin bottom-left). */
export type Placement = {
  frame: DisplayFrame;
  x: number;
  y: number;
  width: number;
  height: number;
  /** 1 = original size; < 1 scaled down to fit. */
  scale: number;
  landscape: boolean;
};

/**
 * Put a copied page on an A4 sheet (portrait, or landscape A4 when the page as displayed is wider than tall):
 * the page is scaled down to fit inside the sheet below a free band of `reserveTop` at the top (where the
 * binder prints its 页号 and 归档章) and `margin` on the other sides; a page that already fits (a receipt) is
 * placed at its own size. Nothing is cropped or covered: the content is transformed, clipped to its own crop
 * box, and its annotations (electronic seals, links) move with it. /Rotate is kept.
 */
/** The size of a page as a reader shows it (after /Rotate), from its crop box. */
export function shownSize(page: PDFPage): { width: number; height: number } {
  const rotation = ((page.getRotation().angle % 360) + 360) % 360;
  const crop = page.getCropBox();
  return rotation === 90 || rotation === 270 ? { width: crop.height, height: crop.width } : { width: crop.width, height: crop.height };
}

export type SheetPlacement = Omit<Placement, 'frame'> & { sheetWidth: number; sheetHeight: number };

/** Where content of the shown size goes on an A4 sheet (see fitOnA4); pure, so a stamp can be planned first. */
export function placeOnA4(shown: { width: number; height: number }, a4: { width: number; height: number }, reserveTop: number, margin: number): SheetPlacement {
  const landscape = shown.width > shown.height * 1.05;
  const sheetWidth = landscape ? a4.height : a4.width;
  const sheetHeight = landscape ? a4.width : a4.height;
  const areaW = sheetWidth - 2 * margin;
  const areaH = sheetHeight - reserveTop - margin;
  const scale = Math.min(1, areaW / shown.width, areaH / shown.height);
  const width = shown.width * scale;
  const height = shown.height * scale;
  // Pages that fit are centred in the free area; big pages fill it.
  return { x: (sheetWidth - width) / 2, y: margin + (areaH - height) / 2, width, height, scale, landscape, sheetWidth, sheetHeight };
}

export function fitOnA4(page: PDFPage, a4: { width: number; height: number }, reserveTop: number, margin: number): Placement {
  const rotation = ((page.getRotation().angle % 360) + 360) % 360;
  const crop = page.getCropBox();
  const turned = rotation === 90 || rotation === 270;
  const { x, y, width, height, scale, landscape, sheetWidth: sheetW, sheetHeight: sheetH } = placeOnA4(shownSize(page), a4, reserveTop, margin);
  // New boxes in unrotated user space: the sheet as the reader sees it, turned back by /Rotate.
  const userW = turned ? sheetH : sheetW;
  const userH = turned ? sheetW : sheetH;
  const frame = frameFor(rotation, 0, 0, userW, userH);
  const a = frame.at(x, y);
  const b = frame.at(x + width, y + height);
  const ux = Math.min(a.x, b.x);
  const uy = Math.min(a.y, b.y);
  const tx = ux - crop.x * scale;
  const ty = uy - crop.y * scale;
  page.node.normalize();
  const contents = page.node.Contents();
  if (contents) {
    const ctx = page.doc.context;
    const start = ctx.register(
      PDFContentStream.of(ctx.obj({}), [
        pushGraphicsState(),
        concatTransformationMatrix(scale, 0, 0, scale, tx, ty),
        rectangle(crop.x, crop.y, crop.width, crop.height),
        clip(),
        endPath(),
      ]),
    );
    const end = ctx.register(PDFContentStream.of(ctx.obj({}), [popGraphicsState()]));
    page.node.wrapContentStreams(start, end);
  }
  moveAnnotations(page, scale, tx, ty);
  for (const box of ['CropBox', 'BleedBox', 'TrimBox', 'ArtBox']) page.node.delete(PDFName.of(box));
  page.setMediaBox(0, 0, userW, userH);
  return { frame, x, y, width, height, scale, landscape };
}

function moveAnnotations(page: PDFPage, scale: number, tx: number, ty: number): void {
  const annots = page.node.Annots();
  if (!annots) return;
  for (let i = 0; i < annots.size(); i += 1) {
    const annot = annots.lookupMaybe(i, PDFDict);
    const rect = annot?.lookupMaybe(PDFName.of('Rect'), PDFArray);
    if (!annot || !rect || rect.size() !== 4) continue;
    const n = [0, 1, 2, 3].map((k) => rect.lookupMaybe(k, PDFNumber)?.asNumber() ?? 0);
    const moved = [n[0] * scale + tx, n[1] * scale + ty, n[2] * scale + tx, n[3] * scale + ty];
    annot.set(PDFName.of('Rect'), page.doc.context.obj(moved.map((v) => PDFNumber.of(Math.round(v * 100) / 100))));
  }
}

const STREAM_START = new TextEncoder().encode('\nstream\n');
const STREAM_END = new TextEncoder().encode('\nendstream');

/**
 * A stream whose bytes are written with one TypedArray.set: pdf-lib's PDFStream.copyBytesInto copies
 * byte by byte, which took ~5 ms per MB — most of save() once photos are embedded as they are.
 * Same bytes out as a PDFRawStream.
 */
class BulkCopyStream extends PDFStream {
  constructor(
    dict: PDFDict,
    private contents: Uint8Array,
  ) {
    super(dict);
  }
  override clone(context?: Parameters<PDFDict['clone']>[0]): BulkCopyStream {
    return new BulkCopyStream(this.dict.clone(context), this.contents.slice());
  }
  override getContentsString(): string {
    return arrayAsString(this.contents);
  }
  override getContents(): Uint8Array {
    return this.contents;
  }
  override getContentsSize(): number {
    return this.contents.length;
  }
  override updateContents(contents: Uint8Array): void {
    this.dict.registerChange();
    this.contents = contents;
  }
  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    this.updateDict();
    const start = offset;
    offset += this.dict.copyBytesInto(buffer, offset);
    buffer.set(STREAM_START, offset);
    offset += STREAM_START.length;
    buffer.set(this.contents, offset);
    offset += this.contents.length;
    buffer.set(STREAM_END, offset);
    offset += STREAM_END.length;
    return offset - start;
  }
}

/** Streams at least this long are worth swapping (images, fonts, scanned pages). */
const BULK_COPY_MIN_BYTES = 16 * 1024;

/**
 * Compress with Node's zlib instead of pdf-lib's JavaScript deflate (fflate): same format, same level (6),
 * several times faster; font subsets and page contents were a large part of a volume's save time.
 * Deterministic for a given Node build, like the rest of the file.
 */
export function useNativeDeflate(doc: PDFDocument): void {
  const ctx = doc.context;
  ctx.flateStream = (contents, dict = {}) => ctx.stream(deflateSync(typedArrayFor(contents)), { ...dict, Filter: 'FlateDecode' });
}

/**
 * Just before save() (after doc.flush(), so lazily embedded fonts and images exist): compress the pages'
 * content streams with Node's zlib, and swap large raw streams for BulkCopyStream. Cross-reference and
 * object-stream containers stay as they are: pdf-lib's writer recognises and skips those by their class.
 */
export function prepareStreamsForSave(doc: PDFDocument): void {
  const ctx = doc.context;
  const flate = PDFName.of('FlateDecode');
  for (const [ref, object] of ctx.enumerateIndirectObjects()) {
    if (object instanceof PDFContentStream && object.dict.get(PDFName.of('Filter')) === flate) {
      ctx.assign(ref, new BulkCopyStream(object.dict, deflateSync(object.getUnencodedContents())));
      continue;
    }
    if (!(object instanceof PDFRawStream) || object.transform || object.contents.length < BULK_COPY_MIN_BYTES) continue;
    const type = object.dict.lookup(PDFName.of('Type'));
    if (type === PDFName.of('XRef') || type === PDFName.of('ObjStm')) continue;
    ctx.assign(ref, new BulkCopyStream(object.dict, object.contents));
  }
}

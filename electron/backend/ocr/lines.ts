/**
 * Text detector mask → one upright image per text line, as @gutenye/ocr-common's splitIntoLineImages does (same
 * boxes, same unclip, same perspective crop and turn), without its memory leaks: the package copies the whole page
 * into the opencv.js WASM heap once per line, never frees the contours, boxes and transforms, and hands back line
 * images that still point into that heap, which keeps every crop alive and, since a WASM heap only grows, keeps the
 * heap at its largest page for the life of the process. Here the page goes into the heap once per page, each crop is
 * copied out, and every Mat is deleted.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

type RawImage = { data: Uint8Array; width: number; height: number };
type Point = [number, number];
export type LineImage<I> = { box: Point[]; image: I };

type Mat = { data: Uint8Array; rows: number; cols: number; matSize: number[]; delete(): void };
type MatVector = { size(): number; get(i: number): Mat; delete(): void };
type RotatedRect = { center: { x: number; y: number }; size: { width: number; height: number }; angle: number };
type Cv = {
  Mat: new (rows?: number, cols?: number, type?: number) => Mat;
  MatVector: new () => MatVector;
  Size: new (w: number, h: number) => unknown;
  Point: new (x: number, y: number) => unknown;
  Scalar: new () => unknown;
  CV_8UC1: number;
  CV_8UC4: number;
  CV_32SC2: number;
  CV_32FC2: number;
  RETR_LIST: number;
  CHAIN_APPROX_SIMPLE: number;
  INTER_CUBIC: number;
  BORDER_REPLICATE: number;
  matFromArray(rows: number, cols: number, type: number, data: number[]): Mat;
  findContours(src: Mat, contours: MatVector, hierarchy: Mat, mode: number, method: number): void;
  minAreaRect(contour: Mat): RotatedRect;
  getPerspectiveTransform(src: Mat, dst: Mat): Mat;
  warpPerspective(src: Mat, dst: Mat, m: Mat, size: unknown, flags: number, border: number, value: unknown): void;
  getRotationMatrix2D(center: unknown, angle: number, scale: number): Mat;
  warpAffine(src: Mat, dst: Mat, m: Mat, size: unknown, flags: number, border: number, value: unknown): void;
};
type ClipperPoint = { X: number; Y: number };
type Clipper = {
  ClipperOffset: new () => { AddPath(path: ClipperPoint[], join: number, end: number): void; Execute(out: ClipperPoint[][], delta: number): void };
  JoinType: { jtRound: number };
  EndType: { etClosedPolygon: number };
};

/** The package's own copies: a second opencv.js would be a second WASM heap. */
function packageModules(): { cv: Cv; clipper: Clipper } {
  const fromNode = createRequire(createRequire(import.meta.url).resolve('@gutenye/ocr-node'));
  const fromCommon = createRequire(path.join(path.dirname(fromNode.resolve('@gutenye/ocr-common')), 'index.js'));
  return { cv: fromCommon('@techstark/opencv-js') as Cv, clipper: fromCommon('js-clipper') as Clipper };
}

let modules: { cv: Cv; clipper: Clipper } | undefined;

/**
 * `mask`: one byte per pixel of the detector's output (255 = text); `page`: the RGBA page the lines are cut from
 * (boxes are scaled by the ratio of the two sizes). `wrap` makes the engine's image type from copied pixels.
 */
export function splitIntoLineImages<I>(mask: RawImage, page: RawImage, wrap: (raw: RawImage) => I): LineImage<I>[] {
  modules ??= packageModules();
  const { cv, clipper } = modules;
  const owned: Mat[] = [];
  const keep = <M extends Mat>(m: M): M => {
    owned.push(m);
    return m;
  };
  try {
    const src = keep(new cv.Mat(mask.height, mask.width, cv.CV_8UC1));
    src.data.set(mask.data);
    const contours = new cv.MatVector();
    const hierarchy = keep(new cv.Mat());
    try {
      cv.findContours(src, contours, hierarchy, cv.RETR_LIST, cv.CHAIN_APPROX_SIMPLE);
      const pageMat = keep(new cv.Mat(page.height, page.width, cv.CV_8UC4));
      pageMat.data.set(page.data);
      const rx = page.width / mask.width;
      const ry = page.height / mask.height;
      const lines: LineImage<I>[] = [];
      for (let i = 0; i < contours.size(); i++) {
        const minSize = 3;
        const contour = contours.get(i);
        const { points, sside } = (() => {
          try {
            return miniBox(cv, contour);
          } finally {
            contour.delete();
          }
        })();
        if (sside < minSize) continue;
        const clipBox = unclip(clipper, points);
        if (clipBox.length < 2) continue;
        const boxMat = cv.matFromArray(clipBox.length / 2, 1, cv.CV_32SC2, clipBox);
        const expanded = (() => {
          try {
            return miniBox(cv, boxMat);
          } finally {
            boxMat.delete();
          }
        })();
        if (expanded.sside < minSize + 2) continue;
        const box = expanded.points;
        for (const p of box) {
          p[0] *= rx;
          p[1] *= ry;
        }
        // Rounded and clamped in place, as the package does: the crop and the returned box use these points.
        const ordered = orderPointsClockwise(box);
        for (const p of ordered) {
          p[0] = clamp(Math.round(p[0]), 0, page.width);
          p[1] = clamp(Math.round(p[1]), 0, page.height);
        }
        if (int(distance(ordered[0], ordered[1])) <= 3 || int(distance(ordered[0], ordered[3])) <= 3) continue;
        lines.push({ box, image: wrap(rotateCrop(cv, pageMat, box)) });
      }
      return lines;
    } finally {
      contours.delete();
    }
  } finally {
    for (const m of owned) m.delete();
  }
}

function miniBox(cv: Cv, contour: Mat): { points: Point[]; sside: number } {
  const rect = cv.minAreaRect(contour);
  const points = boxPoints(rect).sort((a, b) => a[0] - b[0]);
  const [i1, i4] = points[1][1] > points[0][1] ? [0, 1] : [1, 0];
  const [i2, i3] = points[3][1] > points[2][1] ? [2, 3] : [3, 2];
  return { points: [points[i1], points[i2], points[i3], points[i4]], sside: Math.min(rect.size.height, rect.size.width) };
}

function boxPoints({ center, size, angle }: RotatedRect): Point[] {
  const theta = (angle * Math.PI) / 180;
  const [cos, sin] = [Math.cos(theta), Math.sin(theta)];
  const [dx, dy] = [size.width * 0.5, size.height * 0.5];
  return [
    [center.x - dx * cos + dy * sin, center.y - dx * sin - dy * cos],
    [center.x + dx * cos + dy * sin, center.y + dx * sin - dy * cos],
    [center.x + dx * cos - dy * sin, center.y + dx * sin + dy * cos],
    [center.x - dx * cos - dy * sin, center.y - dx * sin + dy * cos],
  ];
}

/** The box grown by area × 1.5 / perimeter on every side (DBNet's unclip), as flat x, y pairs. */
function unclip(clipper: Clipper, box: Point[]): number[] {
  let area = 0;
  let length = 0;
  for (let i = 0; i < box.length; i++) {
    const a = box[(i + box.length - 1) % box.length];
    const b = box[i];
    area += a[1] * b[0] - a[0] * b[1];
    length += Math.hypot(a[0] - b[0], a[1] - b[1]);
  }
  const offset = new clipper.ClipperOffset();
  offset.AddPath(
    box.map(([X, Y]) => ({ X, Y })),
    clipper.JoinType.jtRound,
    clipper.EndType.etClosedPolygon,
  );
  const expanded: ClipperPoint[][] = [];
  offset.Execute(expanded, (Math.abs(area / 2) * 1.5) / length);
  return (expanded[0] ?? []).flatMap((p) => [p.X, p.Y]);
}

function orderPointsClockwise(pts: Point[]): Point[] {
  const s = pts.map((p) => p[0] + p[1]);
  const first = pts[s.indexOf(Math.min(...s))];
  const third = pts[s.indexOf(Math.max(...s))];
  const rest = pts.filter((p) => p !== first && p !== third);
  const diff = rest[1].map((e, i) => e - rest[0][i]);
  return [first, rest[diff.indexOf(Math.min(...diff))], third, rest[diff.indexOf(Math.max(...diff))]];
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

function int(n: number): number {
  return n > 0 ? Math.floor(n) : Math.ceil(n);
}

function clamp(n: number, min: number, max: number): number {
  return Math.max(min, Math.min(n, max));
}

/** The line straightened out of the page; a tall crop is a vertical line and is turned. Pixels copied out of the heap. */
function rotateCrop(cv: Cv, page: Mat, points: Point[]): RawImage {
  const width = int(Math.max(distance(points[0], points[1]), distance(points[2], points[3])));
  const height = int(Math.max(distance(points[0], points[3]), distance(points[1], points[2])));
  const owned: Mat[] = [];
  try {
    const srcTri = cv.matFromArray(4, 1, cv.CV_32FC2, points.flat());
    owned.push(srcTri);
    const dstTri = cv.matFromArray(4, 1, cv.CV_32FC2, [0, 0, width, 0, width, height, 0, height]);
    owned.push(dstTri);
    const m = cv.getPerspectiveTransform(srcTri, dstTri);
    owned.push(m);
    let out = new cv.Mat();
    owned.push(out);
    cv.warpPerspective(page, out, m, new cv.Size(width, height), cv.INTER_CUBIC, cv.BORDER_REPLICATE, new cv.Scalar());
    if (out.matSize[0] / out.matSize[1] >= 1.5) {
      const turned = new cv.Mat();
      owned.push(turned);
      const r = cv.getRotationMatrix2D(new cv.Point(out.cols / 2, out.cols / 2), 90, 1);
      owned.push(r);
      cv.warpAffine(out, turned, r, new cv.Size(out.rows, out.cols), cv.INTER_CUBIC, cv.BORDER_REPLICATE, new cv.Scalar());
      out = turned;
    }
    return { data: new Uint8Array(out.data), width: out.cols, height: out.rows };
  } finally {
    for (const m of owned) m.delete();
  }
}

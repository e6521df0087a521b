/**
 * The OCR process (bundled as ocr-worker.mjs, started by pool.ts). One job at a time, one page at a time: memory is
 * bounded by a single page image and the engine's models, whatever the size of the batch.
 */
import { createOcrEngine, type OcrEngine } from './engine.js';
import { recogniseImageFile, recognisePage } from './page.js';
import { scannedPdfPages } from './pdf-pages.js';
import { OCR_MEMORY_EXIT, type OcrJob, type OcrOutcome, type OcrWorkerMessage } from './protocol.js';

let engine: Promise<OcrEngine> | undefined;

async function runJob(job: OcrJob, post: (m: OcrWorkerMessage) => void): Promise<OcrOutcome> {
  engine ??= createOcrEngine();
  const ocr = await engine;
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  if (job.kind === 'image') {
    post({ id: job.id, type: 'page', page: 1, pages: 1 });
    const read = await recogniseImageFile(ocr, bytes);
    return { text: read.text, confidence: read.confidence, document: read.document, ocrPages: 1, engine: ocr.name };
  }
  const texts: string[] = [];
  let chars = 0;
  let weighted = 0;
  let ocrPages = 0;
  // pdf.js takes a plain Uint8Array, not the Buffer the channel may deliver.
  for await (const page of scannedPdfPages(new Uint8Array(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength))) {
    post({ id: job.id, type: 'page', page: page.page, pages: page.pages });
    if ('text' in page) {
      texts.push(page.text);
      continue;
    }
    const read = await recognisePage(ocr, page.png);
    ocrPages++;
    texts.push(read.text);
    const n = [...read.text].length;
    chars += n;
    weighted += n * read.confidence;
  }
  return { text: texts.join('\n\n'), confidence: chars ? weighted / chars : 0, document: true, ocrPages, engine: ocr.name };
}

const send = process.send?.bind(process);
if (send) {
  // Where the backend cannot see this process's memory (not Linux), it looks itself; over the ceiling it stops, and
  // the backend reports the file as too big to read (pool.ts). Between the engine's asynchronous steps is enough.
  if (process.platform !== 'linux') {
    const limit = Number(process.env.EVIDENCE_BINDER_OCR_MAX_MB) * 1048576;
    if (limit > 0) setInterval(() => process.memoryUsage.rss() > limit && process.exit(OCR_MEMORY_EXIT), 100).unref();
  }
  let queue = Promise.resolve();
  // The backend going away closes the channel: nothing is left to read for.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (job: OcrJob) => {
    queue = queue.then(async () => {
      const post = (m: OcrWorkerMessage) => void send(m);
      try {
        post({ id: job.id, type: 'done', outcome: await runJob(job, post) });
      } catch (error) {
        post({ id: job.id, type: 'error', message: error instanceof Error ? error.message : String(error) });
      }
    });
  });
}

/**
 * The backend's side of the OCR worker: one worker thread (OCR uses both cores of a county PC for one page; two
 * pages at once would only double the memory), started on first use, stopped when idle or cancelled.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { importReason } from '../../../shared/intake/reasons.js';
import type { OcrJob, OcrOutcome, OcrWorkerMessage } from './protocol.js';

/** JS heap of the worker; the engine's native buffers come on top (detection on a page shrunk to 1600 px, engine.ts). */
const WORKER_HEAP_MB = 768;

export const OCR_WORKER_FILE = 'ocr-worker.mjs';

/**
 * Where the bundled worker is: beside the running bundle (dist/cli, dist/electron), or named by
 * EVIDENCE_BINDER_OCR_WORKER (tests running from sources build it there).
 */
export function defaultOcrWorkerScript(): string {
  const fromEnv = process.env.EVIDENCE_BINDER_OCR_WORKER;
  if (fromEnv) return fromEnv;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const beside = path.join(here, OCR_WORKER_FILE);
  if (existsSync(beside)) return beside;
  throw new OcrUnavailableError(importReason('ocr-missing', { file: OCR_WORKER_FILE }));
}

/** The OCR worker cannot be started here: items stay pending for a later run. */
export class OcrUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OcrUnavailableError';
  }
}

export class OcrAbortedError extends Error {
  constructor() {
    super('文字识别已取消');
    this.name = 'OcrAbortedError';
  }
}

export class OcrWorkerPool {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly script: string | undefined;

  /** Without a script the default is looked up when the first page is read (OcrUnavailableError if absent). */
  constructor(script?: string) {
    this.script = script;
  }

  /** Recognises one file. Cancelling stops the worker at once (a page can take seconds); the next call starts a new one. */
  recognise(
    kind: OcrJob['kind'],
    bytes: Uint8Array,
    options: { signal?: AbortSignal; onPage?: (page: number, pages: number) => void } = {},
  ): Promise<OcrOutcome> {
    if (options.signal?.aborted) return Promise.reject(new OcrAbortedError());
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<OcrOutcome>((resolve, reject) => {
      const cleanup = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        options.signal?.removeEventListener('abort', onAbort);
      };
      const onMessage = (m: OcrWorkerMessage) => {
        if (m.id !== id) return;
        if (m.type === 'page') return options.onPage?.(m.page, m.pages);
        cleanup();
        if (m.type === 'done') resolve(m.outcome);
        else reject(new Error(m.message));
      };
      const onError = (error: Error) => {
        cleanup();
        this.worker = undefined;
        reject(error);
      };
      const onExit = (code: number) => {
        cleanup();
        this.worker = undefined;
        // Out of memory (resourceLimits) or a crash in native code: this file fails, the next gets a new worker.
        reject(new Error(importReason('ocr-worker-exit', { code: String(code) })));
      };
      const onAbort = () => {
        cleanup();
        void this.close();
        reject(new OcrAbortedError());
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      // A copy is transferred: the caller keeps its bytes.
      const copy = new Uint8Array(bytes);
      worker.postMessage({ id, kind, bytes: copy } satisfies OcrJob, [copy.buffer]);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    this.worker ??= new Worker(this.script ?? defaultOcrWorkerScript(), { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    return this.worker;
  }
}

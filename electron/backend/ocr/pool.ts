/**
 * The backend's side of the OCR worker: one child process (OCR uses both cores of a county PC for one page; two
 * pages at once would only double the memory), started on first use, stopped when idle or cancelled.
 *
 * A process rather than a worker thread: the engine's native memory (ONNX Runtime, two libvips copies, the opencv.js
 * WASM heap, which never shrinks) goes back to the operating system when it exits instead of staying in the app's
 * process for its lifetime; glibc's malloc arenas can be limited (MALLOC_ARENA_MAX is read only at process start);
 * and a crash or an out-of-memory in native code takes down the OCR process, not the import.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importReason } from '../../../shared/intake/reasons.js';
import { OCR_MEMORY_EXIT, type OcrJob, type OcrOutcome, type OcrWorkerMessage } from './protocol.js';

/** JS heap of the OCR process; the engine's native buffers come on top (detection on a page shrunk to 1600 px, engine.ts). */
const WORKER_HEAP_MB = 512;
/**
 * glibc gives every thread that allocates its own malloc arena (ONNX Runtime's and libvips' threads), and freed
 * memory stays in them; two arenas keep that bounded. (A fixed MALLOC_MMAP_THRESHOLD_ returned more memory but made
 * a page many times slower: ONNX Runtime, without its arena, allocates every activation anew.)
 */
const MALLOC_ARENAS = '2';

export const OCR_WORKER_FILE = 'ocr-worker.mjs';

/**
 * The OCR process's memory ceiling. A page normally peaks near 600 MB; one page of the real-world corpus (pdf.js
 * test files) sent it to 1.3 GB within seconds. Over the ceiling the process is stopped, that file is left without
 * OCR text with its reason, and the next file gets a new process — a county PC has 8 GB and other work to do.
 * EVIDENCE_BINDER_OCR_MAX_MB lowers it (tests).
 */
export function ocrMemoryLimitMb(): number {
  const fromEnv = Number(process.env.EVIDENCE_BINDER_OCR_MAX_MB);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 900;
}
/** How often the backend looks at the OCR process's memory while it reads (a page grows by ~200 MB a second at worst). */
const MEMORY_POLL_MS = 100;

/** Resident memory of a process in MB where the system tells it cheaply (Linux /proc); undefined elsewhere (the OCR process checks itself, worker.ts). */
function residentMb(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return (pages * 4096) / 1048576;
  } catch {
    return undefined;
  }
}

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
  private worker: ChildProcess | undefined;
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
    const limitMb = ocrMemoryLimitMb();
    return new Promise<OcrOutcome>((resolve, reject) => {
      let overLimit = false;
      const watch = setInterval(() => {
        if ((residentMb(worker.pid) ?? 0) <= limitMb) return;
        overLimit = true;
        worker.kill('SIGKILL');
      }, MEMORY_POLL_MS);
      const cleanup = () => {
        clearInterval(watch);
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
        if (this.worker === worker) this.worker = undefined;
        worker.kill('SIGKILL');
        reject(error);
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        cleanup();
        if (this.worker === worker) this.worker = undefined;
        // Over the memory ceiling (stopped here, or by itself: OCR_MEMORY_EXIT), out of memory, a crash in native
        // code, or killed: this file fails, the next gets a new process.
        if (overLimit || code === OCR_MEMORY_EXIT) return reject(new Error(importReason('ocr-memory', { mb: String(limitMb) })));
        reject(new Error(signal ? importReason('ocr-worker-killed', { signal }) : importReason('ocr-worker-exit', { code: String(code) })));
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
      worker.send({ id, kind, bytes } satisfies OcrJob);
    });
  }

  /** The OCR process, while one runs (diagnostics, tests). */
  get pid(): number | undefined {
    return this.worker?.pid;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (!worker || worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.kill('SIGKILL');
    await exited;
  }

  private ensureWorker(): ChildProcess {
    this.worker ??= fork(this.script ?? defaultOcrWorkerScript(), [], {
      // Structured clone, as between threads: the file's bytes go as bytes, not as JSON numbers.
      serialization: 'advanced',
      execArgv: [`--max-old-space-size=${WORKER_HEAP_MB}`],
      env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? MALLOC_ARENAS, EVIDENCE_BINDER_OCR_MAX_MB: String(ocrMemoryLimitMb()) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    return this.worker;
  }
}

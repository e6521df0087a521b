/**
 * Reads evidence files in a small pool of worker threads, each under a memory budget and a time limit.
 *
 * Real-world files (JBIG2 scans, broken xrefs, fuzzed streams, XML bombs) can make a reader allocate without
 * end or loop for minutes. In the import's own thread that brings down the whole batch (an import of a few hundred
 * such PDFs grew past 18 GB). Here a file that exceeds the limits costs one worker: the worker is ended, the file
 * comes back as readability 'complex' with TOO_COMPLEX_REASON (stored and flagged, like a corrupt file), and the
 * next file gets a fresh worker.
 *
 * Three limits, because V8's heap limit does not cover everything a reader allocates:
 * - `heapMb`: the worker's V8 old generation (`resourceLimits`); exceeding it ends the worker with
 *   ERR_WORKER_OUT_OF_MEMORY.
 * - `rssGrowthBytes`: decoded images and wasm memory live outside the V8 heap, so the process RSS is also watched;
 *   when it has grown by more than this since the pool was made, the read that has run longest (the likely
 *   culprit) is stopped. Growth, not an absolute figure, so a host process that is big for its own reasons (the
 *   app's backend with several workspaces open) does not see every file stopped.
 * - `timeoutMs`: wall-clock time for one file.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { buildSync } from 'esbuild';
import type { FileFormat } from '../../../shared/domain/types.js';
import type { ReadJob, ReadOutcome, ReadReply } from './read-worker.js';
import { importReason } from '../../../shared/intake/reasons.js';

export const TOO_COMPLEX_REASON = importReason('too-complex');

export type { ReadOutcome } from './read-worker.js';

export type ReadLimits = {
  /** Wall-clock time for one file. */
  timeoutMs: number;
  /** V8 old-generation heap of one reader worker, MB. */
  heapMb: number;
  /** Growth of the process's resident memory (since the pool was made) above which the longest read is stopped, bytes. */
  rssGrowthBytes: number;
};

const MB = 1024 * 1024;

/**
 * Sized for a county office PC with 8 GB and for the goal of an import under 1 GB RSS: the CLI starts at
 * ~120 MB, two workers at 256 MB heap each fit in the growth budget, which is the hard stop (a memory-bomb PDF
 * measured ~800 MB peak for the whole `binder import`).
 */
export const DEFAULT_READ_LIMITS: ReadLimits = { timeoutMs: 60_000, heapMb: 256, rssGrowthBytes: 640 * MB };

/** A worker is replaced after this many files, so nothing a library caches per process can grow with the batch. */
const JOBS_PER_WORKER = 200;
/** How often the RSS is sampled while a read is running. */
const RSS_SAMPLE_MS = 50;
/** After stopping one read, give the freed memory this long to leave the RSS before judging again. */
const RSS_GRACE_MS = 1_000;

/** Two cores: two readers, while the import thread hashes, fingerprints and writes. More cores: up to four. */
export function defaultPoolSize(): number {
  return Math.max(1, Math.min(4, os.availableParallelism()));
}

/** Why a read was stopped: its own heap, its time, the process RSS, or the worker died under it. */
export type StopReason = NonNullable<ReadOutcome['stoppedBy']>;

type Pending = {
  job: Omit<ReadJob, 'id'>;
  /** Set once the file has been read again after a stop it may not have caused. */
  retried?: boolean;
  resolve: (outcome: ReadOutcome) => void;
  reject: (error: Error) => void;
};

type Running = Pending & { id: number; started: number; timer?: NodeJS.Timeout };

type Slot = { worker: Worker; jobs: number; ready: boolean; running?: Running };

let nextJobId = 1;

export class ReaderPool {
  private readonly slots: (Slot | undefined)[];
  private readonly queue: Pending[] = [];
  private sampler: NodeJS.Timeout | undefined;
  private quietUntil = 0;
  /** Workers being ended: their memory is still counted in the RSS until they are gone. */
  private ending = 0;
  private closed = false;
  private readonly rssLimit: number;

  constructor(
    readonly size: number = defaultPoolSize(),
    readonly limits: ReadLimits = DEFAULT_READ_LIMITS,
  ) {
    this.slots = new Array<Slot | undefined>(size).fill(undefined);
    this.rssLimit = process.memoryUsage.rss() + limits.rssGrowthBytes;
  }

  /** Reads one file. Resolves with readability 'complex' when the file exceeds the limits; rejects only on a bug. */
  read(bytes: Uint8Array, format: FileFormat, fileName: string): Promise<ReadOutcome> {
    if (this.closed) return Promise.reject(new Error('ReaderPool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { bytes, format, fileName }, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopSampler();
    for (const pending of this.queue.splice(0)) pending.reject(new Error('ReaderPool is closed'));
    await Promise.all(
      this.slots.map(async (slot, i) => {
        this.slots[i] = undefined;
        if (!slot) return;
        if (slot.running) this.finish(slot, { error: 'ReaderPool is closed' });
        await slot.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    for (let i = 0; i < this.slots.length && this.queue.length; i++) {
      let slot = this.slots[i];
      if (slot?.running) continue;
      if (slot && slot.jobs >= JOBS_PER_WORKER) {
        void slot.worker.terminate();
        slot = undefined;
      }
      if (!slot) slot = this.slots[i] = this.spawn(i);
      const pending = this.queue.shift();
      if (!pending) break;
      const id = nextJobId++;
      slot.running = { ...pending, id, started: Date.now() };
      if (slot.ready) this.startClock(i, slot.running);
      slot.jobs++;
      // A copy, not a transfer: the import still needs the bytes for the vault and the fingerprint.
      slot.worker.postMessage({ id, ...pending.job } satisfies ReadJob);
    }
    if (this.slots.some((s) => s?.running)) this.startSampler();
    else this.stopSampler();
  }

  private spawn(index: number): Slot {
    const worker = new Worker(readerWorkerScript(), {
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb, maxYoungGenerationSizeMb: 32 },
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { worker, jobs: 0, ready: false };
    worker.on('message', (reply: ReadReply) => {
      if ('ready' in reply) {
        slot.ready = true;
        if (slot.running) this.startClock(index, slot.running);
        return;
      }
      if (slot.running?.id !== reply.id) return;
      this.finish(slot, 'error' in reply ? { error: reply.error } : reply);
    });
    // Out of heap (ERR_WORKER_OUT_OF_MEMORY), or the worker died: the file in hand was too much for a reader.
    const lost = (error?: Error & { code?: string }): void => {
      if (this.slots[index] === slot) this.slots[index] = undefined;
      if (slot.running) this.stopped(slot, error?.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'heap' : 'crash');
    };
    worker.on('error', lost);
    worker.on('exit', () => lost());
    return slot;
  }

  private startClock(index: number, running: Running): void {
    running.started = Date.now();
    running.timer = setTimeout(() => this.stop(index, 'time'), this.limits.timeoutMs);
  }

  private finish(slot: Slot, outcome: ReadOutcome | { error: string }): void {
    const running = slot.running;
    if (!running) return;
    slot.running = undefined;
    clearTimeout(running.timer);
    if ('error' in outcome) running.reject(new Error(outcome.error));
    else running.resolve(outcome);
    if (!this.closed) this.dispatch();
  }

  /**
   * The read in `slot` was stopped. Its own heap or its own time are the file's doing: it is too complex. The RSS
   * watch and a dying worker can hit an innocent file (the process is shared; pdfjs may reject a promise of the
   * previous document after it was destroyed): such a file is read once more, alone in a fresh worker's queue slot.
   */
  private stopped(slot: Slot, reason: StopReason): void {
    const running = slot.running;
    if (!running) return;
    if (process.env.EVIDENCE_BINDER_DEBUG_READS) process.stderr.write(`read stopped (${reason}${running.retried ? ', again' : ''}): ${running.job.fileName}\n`);
    if ((reason === 'memory' || reason === 'crash') && !running.retried && !this.closed) {
      slot.running = undefined;
      clearTimeout(running.timer);
      this.queue.unshift({ job: running.job, resolve: running.resolve, reject: running.reject, retried: true });
      this.dispatch();
      return;
    }
    this.finish(slot, { result: { readability: 'complex', readError: TOO_COMPLEX_REASON, text: '' }, stoppedBy: reason });
  }

  /** Ends the worker reading in slot `index`. */
  private stop(index: number, reason: StopReason): void {
    const slot = this.slots[index];
    if (!slot?.running) return;
    this.slots[index] = undefined;
    this.stopped(slot, reason);
    this.ending++;
    void slot.worker.terminate().finally(() => {
      this.ending--;
      this.quietUntil = Date.now() + RSS_GRACE_MS;
    });
  }

  private startSampler(): void {
    if (this.sampler) return;
    this.sampler = setInterval(() => this.checkMemory(), RSS_SAMPLE_MS);
  }

  private stopSampler(): void {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = undefined;
  }

  private checkMemory(): void {
    const now = Date.now();
    if (this.ending > 0 || now < this.quietUntil || process.memoryUsage.rss() <= this.rssLimit) return;
    let oldest = -1;
    this.slots.forEach((slot, i) => {
      const started = slot?.running?.started;
      if (started !== undefined && (oldest < 0 || started < (this.slots[oldest]?.running?.started ?? Infinity))) oldest = i;
    });
    if (oldest >= 0) this.stop(oldest, 'memory');
  }
}

// ---------------------------------------------------------------------------------------------------------
// Where the worker's code is

const WORKER_FILE = 'read-worker.mjs';
let sourceBuild: string | undefined;

/**
 * The built worker sits next to the bundle that uses it (dist/cli/, dist/electron/: scripts/build.mjs writes both).
 * Running from TypeScript sources (vitest, benchmarks) there is no built file: bundle read-worker.ts with esbuild,
 * a development dependency, into node_modules/.cache so that its packages resolve from the project.
 */
export function readerWorkerScript(): URL {
  const here = fileURLToPath(import.meta.url);
  const bundled = path.join(path.dirname(here), WORKER_FILE);
  if (existsSync(bundled) && !here.endsWith('.ts')) return pathToFileURL(bundled);
  sourceBuild ??= buildWorkerFromSource(projectRoot(path.dirname(here)));
  return pathToFileURL(sourceBuild);
}

function projectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'evidence-binder') return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the project root above ${from} to build ${WORKER_FILE}`);
  }
}

function buildWorkerFromSource(root: string): string {
  // Loaded only here: esbuild is not part of the shipped app, which always has the built worker.
  const esbuild = createRequire(path.join(root, 'package.json'))('esbuild') as { buildSync: typeof buildSync };
  const result = esbuild.buildSync({
    entryPoints: [path.join(root, 'electron/backend/intake/read-worker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  const dir = path.join(root, 'node_modules', '.cache', 'evidence-binder');
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, WORKER_FILE);
  // Several test processes may build at once: write aside, then rename (atomic on one file system).
  const temp = `${out}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(temp, result.outputFiles[0].contents);
  renameSync(temp, out);
  return out;
}

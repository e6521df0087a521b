/**
 * OCR in the app: after an import (or when a workspace with pending items opens) the pending scans and pictures are
 * read in the background, one at a time, while the user goes on working; each item changes from 识别中 to its
 * text as soon as it is read. One runner per workspace; switching workspace cancels the old one's run.
 */
import type { Workspace } from '../workspace/workspace.js';
import { OcrWorkerPool } from './pool.js';
import type { OcrRunReport } from '../../../shared/domain/intake.js';
import { runPendingOcr } from './run.js';

export class BackgroundOcr {
  private readonly pool: OcrWorkerPool;
  private readonly onReport?: (ws: Workspace, report: OcrRunReport) => void;
  private current: { ws: Workspace; controller: AbortController; done: Promise<void> } | undefined;
  private again = false;
  /** OCR jobs running as the only reader (see exclusive), and the workspace kicked meanwhile. */
  private held = 0;
  private waiting: Workspace | undefined;

  /**
   * `onReport` hears every run's report, whoever kicked it (the host after an upload, the handlers after an import or
   * an explicit OCR job): the team server marks waiting items when the OCR engine cannot start.
   */
  constructor(pool: OcrWorkerPool = new OcrWorkerPool(), onReport?: (ws: Workspace, report: OcrRunReport) => void) {
    this.pool = pool;
    this.onReport = onReport;
  }

  /** Starts (or, if running, re-checks after the current run) OCR of what is pending in `ws`. */
  kick(ws: Workspace): void {
    if (this.held > 0) {
      this.waiting = ws;
      return;
    }
    if (this.current && this.current.ws !== ws) this.stop();
    if (this.current) {
      this.again = true;
      return;
    }
    const controller = new AbortController();
    const done = (async () => {
      do {
        this.again = false;
        const report = await runPendingOcr(ws, { pool: this.pool, signal: controller.signal });
        this.onReport?.(ws, report);
        if (report.cancelled || report.unavailable) break;
      } while (this.again);
      // Nothing left to read: the OCR process ends and its memory (models, page buffers) goes back to the system.
      await this.pool.close();
    })()
      .catch(() => {
        // The workspace was closed under the run: its items stay pending for the next opening.
      })
      .finally(() => {
        if (this.current?.controller === controller) this.current = undefined;
      });
    this.current = { ws, controller, done };
  }

  /** Cancels the running OCR (the item being read goes back to pending). */
  stop(): void {
    this.current?.controller.abort();
    this.current = undefined;
  }

  /**
   * Runs `read` (an OCR job the user asked for) as the only reader: the background run stops first and its item is
   * back in the queue before `read` looks; `read` gets the same pool (one OCR process, the worker the host chose);
   * kicks meanwhile wait for its end (the caller kicks its own workspace again afterwards).
   */
  async exclusive<T>(read: (pool: OcrWorkerPool) => Promise<T>): Promise<T> {
    this.held++;
    try {
      const done = this.current?.done;
      this.stop();
      await done;
      return await read(this.pool);
    } finally {
      // The last such job ends the OCR process (another may still be reading with it).
      if (this.held === 1) await this.pool.close();
      this.held--;
      const next = this.held === 0 ? this.waiting : undefined;
      if (next) {
        this.waiting = undefined;
        this.kick(next);
      }
    }
  }

  /** Waits for the background run to finish (tests, closing). */
  async idle(): Promise<void> {
    await this.current?.done;
  }

  /** Cancels the run and waits until it has put the item being read back to pending (before the workspace closes). */
  async close(): Promise<void> {
    const done = this.current?.done;
    this.stop();
    await this.pool.close();
    await done;
  }
}

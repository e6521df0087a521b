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
  private current: { ws: Workspace; controller: AbortController; done: Promise<void> } | undefined;
  private again = false;

  constructor(pool: OcrWorkerPool = new OcrWorkerPool()) {
    this.pool = pool;
  }

  /** Starts (or, if running, re-checks after the current run) OCR of what is pending in `ws`. */
  kick(ws: Workspace, onReport?: (report: OcrRunReport) => void): void {
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
        onReport?.(report);
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

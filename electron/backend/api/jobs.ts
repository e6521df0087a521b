import { randomUUID } from 'node:crypto';
import type { BuildResult, JobKind, JobResult, JobState } from '../../../shared/api/contract.js';
import { AppError } from '../../../shared/errors.js';
import type { ImportReport, OcrRunReport, ProgressCallback } from '../../../shared/domain/intake.js';
import { currentActor } from '../team/actor.js';

/** start() only pairs a kind with that kind's result, so get() can return the record as the typed union. */
type JobRecord = Omit<JobState, 'kind' | 'result'> & {
  kind: JobKind;
  result?: ImportReport | OcrRunReport | BuildResult;
  controller: AbortController;
  finishedAt?: number;
  /** Who started it (team mode): a 部门 or 领导 account sees only its own jobs. */
  owner?: string;
};

export type JobStartOptions = {
  /** A job started again after a restart keeps the id its requester is polling. */
  id?: string;
  /** Who the job is for; by default the caller of the contract call that starts it. */
  owner?: string;
  /** Said in every progress event of the job (e.g. that it was started again after a restart). */
  note?: string;
};

/** Long actions (import of a folder, building a binder) run as jobs: progress, result, cancel. */
export class JobRegistry {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly listeners = new Set<(job: JobState) => void>();

  /**
   * Starts a job. The run function's result type is tied to the kind, so `jobs.get` can hand out typed results.
   * `record` (optional) is told when the job starts and when it ends, so the workspace can keep a list of its jobs
   * (earlier builds and their results) that outlives the process.
   */
  start<K extends JobKind>(
    kind: K,
    run: (onProgress: ProgressCallback, signal: AbortSignal) => Promise<JobResult<K>>,
    record?: (job: JobState) => Promise<void>,
    options: JobStartOptions = {},
  ): string {
    this.prune();
    const id = options.id ?? randomUUID();
    if (this.jobs.get(id)?.state === 'running') throw new Error(`任务 ${id} 已在运行。`);
    const controller = new AbortController();
    const { note } = options;
    const owner = options.owner ?? currentActor()?.name;
    const job: JobRecord = {
      id,
      kind,
      state: 'running',
      progress: { stage: '准备', done: 0, total: 0, ...(note ? { detail: note } : {}) },
      controller,
      ...(owner ? { owner } : {}),
    };
    this.jobs.set(id, job);
    // Saved in order (the start is never written after the end); a job list that cannot be written must not fail the job.
    let saving = Promise.resolve();
    const save = (state: JobState) => (saving = saving.then(() => record?.(state)).catch(() => undefined));
    void save(this.get(id)!);
    const onProgress: ProgressCallback = (event) => {
      job.progress = note ? { ...event, detail: event.detail ? `${note}；${event.detail}` : note } : event;
      this.emit(job);
    };
    /** The end of a job is recorded before anyone waiting on it sees it. */
    const finish = async (end: Pick<JobRecord, 'state' | 'result' | 'error' | 'errorCode'>) => {
      await save({ ...this.get(id)!, ...end } as JobState);
      Object.assign(job, end, { finishedAt: Date.now() });
      this.emit(job);
    };
    run(onProgress, controller.signal).then(
      (result) => finish({ state: controller.signal.aborted ? 'cancelled' : 'done', result }),
      (error: Error) =>
        finish({
          state: controller.signal.aborted ? 'cancelled' : 'failed',
          error: controller.signal.aborted ? '已取消' : error.message,
          errorCode: controller.signal.aborted ? 'cancelled' : error instanceof AppError ? error.code : 'internal',
        }),
    );
    return id;
  }

  get(id: string): JobState | undefined {
    const job = this.jobs.get(id);
    if (!job) return undefined;
    const { controller: _controller, finishedAt: _finishedAt, owner: _owner, ...state } = job;
    // TypeScript cannot follow start()'s pairing of kind and result through the record.
    return state as JobState;
  }

  /** Who started the job (undefined: unknown job, or started without an actor: desktop, CLI, server start). */
  owner(id: string): string | undefined {
    return this.jobs.get(id)?.owner;
  }

  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job || job.state !== 'running') return false;
    job.controller.abort();
    return true;
  }

  /** Awaits the end of a job (CLI, tests). */
  async wait(id: string): Promise<JobState> {
    for (;;) {
      const job = this.get(id);
      if (!job) throw new Error(`没有这个任务：${id}`);
      if (job.state !== 'running') return job;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  onUpdate(listener: (job: JobState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(job: JobRecord): void {
    const state = this.get(job.id);
    if (state) for (const listener of this.listeners) listener(state);
  }

  /** Finished jobs are kept ten minutes so a late poll still sees the result. */
  private prune(): void {
    const cutoff = Date.now() - 10 * 60_000;
    for (const [id, job] of this.jobs) if (job.finishedAt && job.finishedAt < cutoff) this.jobs.delete(id);
  }
}

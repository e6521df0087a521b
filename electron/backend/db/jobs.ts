import { currentActor } from '../team/actor.js';
import type { ReadableDb, WritableDb } from './connection.js';

export type StoredJob = {
  id: string;
  kind: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  input: unknown;
  progress?: unknown;
  result?: unknown;
  error?: string;
  /** Login name of who started it (team mode). */
  actor?: string;
  createdAt: string;
  updatedAt: string;
};

export async function saveJob(db: WritableDb, job: StoredJob): Promise<void> {
  const values = {
    kind: job.kind,
    state: job.state,
    input: JSON.stringify(job.input ?? null),
    progress: job.progress === undefined ? null : JSON.stringify(job.progress),
    result: job.result === undefined ? null : JSON.stringify(job.result),
    error: job.error ?? null,
    updated_at: job.updatedAt,
  };
  await db.k
    .insertInto('jobs')
    // Who started it is written once, with the first row, from the call the job was started by.
    .values({ id: job.id, created_at: job.createdAt, actor: job.actor ?? currentActor()?.name ?? null, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

export async function listJobs(db: ReadableDb, id?: string): Promise<StoredJob[]> {
  let q = db.k.selectFrom('jobs').selectAll().orderBy('created_at', 'desc').orderBy('id');
  if (id) q = q.where('id', '=', id);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    state: r.state as StoredJob['state'],
    input: JSON.parse(r.input) as unknown,
    ...(r.progress ? { progress: JSON.parse(r.progress) as unknown } : {}),
    ...(r.result ? { result: JSON.parse(r.result) as unknown } : {}),
    ...(r.error ? { error: r.error } : {}),
    ...(r.actor ? { actor: r.actor } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import type { ImportReport } from '../../../shared/domain/intake.js';
import type { Actor } from '../../../shared/team/roles.js';
import type { JobRegistry } from '../api/jobs.js';
import type { ReaderPool } from '../intake/read-pool.js';
import { uploadTarget as teamUploadTarget } from '../team/scope.js';
import type { Workspace } from '../workspace/workspace.js';

// The intake stack (readers, classifier) loads on the first upload, not when the host starts.
const importModule = () => import('../workspace/import.js');

/**
 * Streaming uploads for the browser host. `POST /upload?batch=B&index=N` carries one file's raw bytes (its name,
 * percent-encoded UTF-8, in X-File-Name) straight to a staging file — no base64, no JSON, nothing held in memory —
 * so the page sends several at once without reading them. `POST /upload/finish?batch=B` then runs the same
 * import job the desktop runs on a folder (progress per file, cancel), and `POST /upload/discard?batch=B`
 * drops a batch the user cancelled while it was still uploading.
 *
 * `POST /upload?requirement=R` (no batch) takes one file straight into a requirement and answers with the import
 * report: on a team server a 部门 account's file becomes its department's 待审核 submission (team/scope.ts).
 */

/** One file's limit: far above any scan or photo, below what fills a county PC's disk by mistake. */
export const MAX_UPLOAD_FILE_BYTES = 4 * 1024 ** 3;
const READERS_IDLE_MS = 60_000;
const READERS_RENEW_AFTER = 100;

export class UploadError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

type Batch = { workspace: Workspace; base: string; files: Map<number, string> };

/** Who uploads: the workspace, and on a team server the logged-in user (batches are per user). */
export type Uploader = { ws: Workspace; actor?: Actor };

const BATCH_ID = /^[A-Za-z0-9-]{8,64}$/;
const INDICATOR = /^\d+(\.\d+)+$/;

function fileName(req: IncomingMessage): string {
  const rawName = req.headers['x-file-name'];
  let name: string;
  try {
    name = decodeURIComponent(Array.isArray(rawName) ? rawName[0] : (rawName ?? ''));
  } catch {
    throw new UploadError(400, '文件名编码不正确（X-File-Name 应为百分号编码的 UTF-8）。');
  }
  if (!name.trim()) throw new UploadError(400, '上传缺少文件名（X-File-Name）。');
  return name;
}

/** Streams the request body to `target`, refusing past MAX_UPLOAD_FILE_BYTES; a broken transfer leaves no file. */
async function stage(req: IncomingMessage, name: string, target: string): Promise<number> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > MAX_UPLOAD_FILE_BYTES) throw new UploadError(413, `“${name}”超过 4 GB，未能接收。请在桌面版中直接导入。`);
  mkdirSync(path.dirname(target), { recursive: true });
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > MAX_UPLOAD_FILE_BYTES) done(new UploadError(413, `“${name}”超过 4 GB，未能接收。请在桌面版中直接导入。`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(req, limit, createWriteStream(target));
  } catch (error) {
    rmSync(target, { force: true });
    throw error instanceof UploadError ? error : new UploadError(400, `“${name}”没有传完整（${(error as Error).message}），请重新上传。`);
  }
  return bytes;
}

export function createUploads(jobs: JobRegistry) {
  const batches = new Map<string, Batch>();
  // Direct uploads are imported one at a time: each import runs a pool of reader workers, and thirty people
  // uploading at once must not start thirty pools on a county PC.
  let importing: Promise<unknown> = Promise.resolve();
  // They also share reader workers: starting one costs about a second (pdf.js and the readers load), reading a
  // small file 50 ms. The workers end a minute after the last upload, and are renewed every 100 imports (their
  // memory watch measures growth from when they started).
  let readers: { pool: ReaderPool; imports: number; idle?: NodeJS.Timeout } | undefined;
  const takeReaders = async (): Promise<ReaderPool> => {
    const { ReaderPool } = await import('../intake/read-pool.js');
    if (readers && readers.imports >= READERS_RENEW_AFTER) {
      void readers.pool.close();
      readers = undefined;
    }
    readers ??= { pool: new ReaderPool(), imports: 0 };
    clearTimeout(readers.idle);
    readers.imports++;
    return readers.pool;
  };
  const releaseReaders = (): void => {
    const held = readers;
    if (!held) return;
    held.idle = setTimeout(() => {
      if (readers === held) readers = undefined;
      void held.pool.close();
    }, READERS_IDLE_MS);
    held.idle.unref();
  };

  const batchFor = ({ ws, actor }: Uploader, rawId: string | null, create: boolean): Batch => {
    if (!rawId || !BATCH_ID.test(rawId)) throw new UploadError(400, '上传批次编号无效。请刷新页面后重新上传。');
    // On a team server the page names its batch; another user naming the same batch gets a batch of their own.
    const id = actor ? `${actor.name}\n${rawId}` : rawId;
    let batch = batches.get(id);
    if (batch && batch.workspace !== ws) throw new UploadError(409, '这批上传属于另一个工作区。请刷新页面后重新上传。');
    if (!batch) {
      if (!create) throw new UploadError(404, '找不到这批上传，可能已经导入或取消。');
      batch = { workspace: ws, base: path.join(ws.cacheDir('uploads'), `web-${actor ? randomUUID() : rawId}`), files: new Map() };
      batches.set(id, batch);
    }
    return batch;
  };
  const keyOf = ({ actor }: Uploader, rawId: string): string => (actor ? `${actor.name}\n${rawId}` : rawId);

  const drop = (id: string, batch: Batch): void => {
    batches.delete(id);
    rmSync(batch.base, { recursive: true, force: true });
  };

  return {
    /** Writes one uploaded file to the batch's staging folder as it arrives. */
    async receive(req: IncomingMessage, url: URL, who: Uploader): Promise<{ index: number; bytes: number }> {
      const name = fileName(req);
      const index = Number(url.searchParams.get('index'));
      if (!Number.isInteger(index) || index < 0 || index > 100_000) throw new UploadError(400, '上传序号无效。');
      const batch = batchFor(who, url.searchParams.get('batch'), true);
      const { uploadTarget } = await importModule();
      const target = uploadTarget(batch.base, index, name);
      const bytes = await stage(req, name, target);
      batch.files.set(index, target);
      return { index, bytes };
    },

    /** One file straight into a requirement (`POST /upload?requirement=R`), imported before the answer. */
    async intoRequirement(req: IncomingMessage, url: URL, { ws, actor }: Uploader): Promise<ImportReport> {
      const requirement = url.searchParams.get('requirement');
      if (!requirement || requirement.length > 50) throw new UploadError(400, '请在地址中指明材料要求（?requirement=编号）。');
      // Refused before a byte is stored: another department's requirement, or none of the framework's.
      const { indicator, submission } = teamUploadTarget(ws.framework(), actor, requirement);
      const name = fileName(req);
      const base = path.join(ws.cacheDir('uploads'), `direct-${randomUUID()}`);
      try {
        const [{ importPaths, uploadTarget, uploadLabel }, { junkReason }] = await Promise.all([importModule(), import('../intake/expand.js')]);
        const target = uploadTarget(base, 0, name);
        await stage(req, name, target);
        const reason = junkReason(path.basename(target));
        if (reason) return { imported: [], duplicates: [], rejected: [], ignored: [{ source: uploadLabel(base)(target), reason }] };
        const run = importing.then(async () => {
          const pool = await takeReaders();
          try {
            return await importPaths(ws, [target], { indicator, requirement, readers: pool, ...(submission ? { submission } : {}) }, uploadLabel(base));
          } finally {
            releaseReaders();
          }
        });
        importing = run.catch(() => undefined);
        return await run;
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },

    /** Imports every staged file of the batch in one job, in the order the user chose them; then cleans up. */
    async finish(url: URL, who: Uploader): Promise<{ jobId: string }> {
      const { ws, actor } = who;
      const id = url.searchParams.get('batch');
      const requirement = url.searchParams.get('requirement') || undefined;
      if (requirement && requirement.length > 50) throw new UploadError(400, '材料要求编号过长。');
      // Team mode: a 部门 account's batch goes into one of its requirements as a 待审核 submission.
      const target = actor ? teamUploadTarget(ws.framework(), actor, requirement) : {};
      const indicator = url.searchParams.get('indicator') || target.indicator;
      if (indicator && !INDICATOR.test(indicator)) throw new UploadError(400, '指标编码应为“1.2”这样的数字编码。');
      if (target.submission && indicator !== target.indicator) throw new UploadError(403, `材料要求“${requirement}”不属于指标 ${indicator}。`);
      const batch = batchFor(who, id, false);
      batches.delete(keyOf(who, id!));
      const [{ importPaths, uploadLabel }, { junkReason }] = await Promise.all([importModule(), import('../intake/expand.js')]);
      const staged = [...batch.files.entries()].sort((a, b) => a[0] - b[0]).map(([, file]) => file);
      const label = uploadLabel(batch.base);
      // Junk the browser sent with a folder (Thumbs.db, .DS_Store, ~$ lock files) is ignored with its reason, as
      // a folder import does — not refused as an unknown format.
      const ignored = staged.flatMap((file) => {
        const reason = junkReason(path.basename(file));
        return reason ? [{ source: label(file), reason }] : [];
      });
      const paths = staged.filter((file) => !junkReason(path.basename(file)));
      const jobId = jobs.start('import', async (onProgress, signal) => {
        try {
          const report = paths.length
            ? await importPaths(ws, paths, { indicator, requirement, onProgress, signal, ...(target.submission ? { submission: target.submission } : {}) }, label)
            : { imported: [], duplicates: [], rejected: [], ignored: [] };
          return { ...report, ignored: [...report.ignored, ...ignored] };
        } finally {
          rmSync(batch.base, { recursive: true, force: true });
        }
      }, (job) => ws.recordJob(job, { upload: id, files: staged.length, indicator, requirement }));
      return { jobId };
    },

    discard(url: URL, who: Uploader): { discarded: number } {
      const id = url.searchParams.get('batch');
      const batch = batchFor(who, id, true);
      const discarded = batch.files.size;
      drop(keyOf(who, id!), batch);
      return { discarded };
    },

    /** Staged files of batches never finished (tab closed mid-upload) go when the host stops. */
    close(): void {
      for (const [id, batch] of batches) drop(id, batch);
      if (readers) {
        clearTimeout(readers.idle);
        void readers.pool.close();
        readers = undefined;
      }
    },
  };
}

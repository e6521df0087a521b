import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { JobRegistry } from '../api/jobs.js';
import type { Workspace } from '../workspace/workspace.js';

// The intake stack (readers, classifier) loads on the first upload, not when the host starts.
const importModule = () => import('../workspace/import.js');

/**
 * Streaming uploads for the browser host. `POST /upload?batch=B&index=N` carries one file's raw bytes (its name,
 * percent-encoded UTF-8, in X-File-Name) straight to a staging file — no base64, no JSON, nothing held in memory —
 * so the page sends several at once without reading them. `POST /upload/finish?batch=B` then runs the same
 * import job the desktop runs on a folder (progress per file, cancel), and `POST /upload/discard?batch=B`
 * drops a batch the user cancelled while it was still uploading.
 */

/** One file's limit: far above any scan or photo, below what fills a county PC's disk by mistake. */
export const MAX_UPLOAD_FILE_BYTES = 4 * 1024 ** 3;

export class UploadError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

type Batch = { workspace: Workspace; base: string; files: Map<number, string> };

const BATCH_ID = /^[A-Za-z0-9-]{8,64}$/;
const INDICATOR = /^\d+(\.\d+)+$/;

export function createUploads(jobs: JobRegistry) {
  const batches = new Map<string, Batch>();

  const batchFor = (ws: Workspace, id: string | null, create: boolean): Batch => {
    if (!id || !BATCH_ID.test(id)) throw new UploadError(400, '上传批次编号无效。请刷新页面后重新上传。');
    let batch = batches.get(id);
    if (batch && batch.workspace !== ws) throw new UploadError(409, '这批上传属于另一个工作区。请刷新页面后重新上传。');
    if (!batch) {
      if (!create) throw new UploadError(404, '找不到这批上传，可能已经导入或取消。');
      batch = { workspace: ws, base: path.join(ws.cacheDir('uploads'), `web-${id}`), files: new Map() };
      batches.set(id, batch);
    }
    return batch;
  };

  const drop = (id: string, batch: Batch): void => {
    batches.delete(id);
    rmSync(batch.base, { recursive: true, force: true });
  };

  return {
    /** Writes one uploaded file to the batch's staging folder as it arrives. */
    async receive(req: IncomingMessage, url: URL, ws: Workspace): Promise<{ index: number; bytes: number }> {
      const rawName = req.headers['x-file-name'];
      let name: string;
      try {
        name = decodeURIComponent(Array.isArray(rawName) ? rawName[0] : (rawName ?? ''));
      } catch {
        throw new UploadError(400, '文件名编码不正确（X-File-Name 应为百分号编码的 UTF-8）。');
      }
      if (!name.trim()) throw new UploadError(400, '上传缺少文件名（X-File-Name）。');
      const index = Number(url.searchParams.get('index'));
      if (!Number.isInteger(index) || index < 0 || index > 100_000) throw new UploadError(400, '上传序号无效。');
      const declared = Number(req.headers['content-length'] ?? '0');
      if (declared > MAX_UPLOAD_FILE_BYTES) throw new UploadError(413, `“${name}”超过 4 GB，未能接收。请在桌面版中直接导入。`);
      const id = url.searchParams.get('batch');
      const batch = batchFor(ws, id, true);
      const { uploadTarget } = await importModule();
      const target = uploadTarget(batch.base, index, name);
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
      batch.files.set(index, target);
      return { index, bytes };
    },

    /** Imports every staged file of the batch in one job, in the order the user chose them; then cleans up. */
    async finish(url: URL, ws: Workspace): Promise<{ jobId: string }> {
      const id = url.searchParams.get('batch');
      const batch = batchFor(ws, id, false);
      const indicator = url.searchParams.get('indicator') || undefined;
      const requirement = url.searchParams.get('requirement') || undefined;
      if (indicator && !INDICATOR.test(indicator)) throw new UploadError(400, '指标编码应为“1.2”这样的数字编码。');
      if (requirement && requirement.length > 50) throw new UploadError(400, '材料要求编号过长。');
      batches.delete(id!);
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
            ? await importPaths(ws, paths, { indicator, requirement, onProgress, signal }, label)
            : { imported: [], duplicates: [], rejected: [], ignored: [] };
          return { ...report, ignored: [...report.ignored, ...ignored] };
        } finally {
          rmSync(batch.base, { recursive: true, force: true });
        }
      }, (job) => ws.recordJob(job, { upload: id, files: staged.length, indicator, requirement }));
      return { jobId };
    },

    discard(url: URL, ws: Workspace): { discarded: number } {
      const id = url.searchParams.get('batch');
      const batch = batchFor(ws, id, true);
      const discarded = batch.files.size;
      drop(id!, batch);
      return { discarded };
    },

    /** Staged files of batches never finished (tab closed mid-upload) go when the host stops. */
    close(): void {
      for (const [id, batch] of batches) drop(id, batch);
    },
  };
}

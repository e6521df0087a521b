import { useCallback, useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import type { ImportReport } from '../../shared/domain/intake.js';
import { getBridge } from '../api/bridge.js';
import { errorMessage } from '../api/client.js';
import { invalidate, useApi, useJob } from '../api/hooks.js';
import { UPLOAD_PREFIX, explainReason, explainReasons, explainSource } from '../../shared/intake/reasons.js';
import { useI18n } from '../i18n.js';
import { Progress } from './common.js';

export type ImportTarget = { indicator?: string; requirement?: string };
/** The desktop menu's 导入文件/导入文件夹, passed to the screen that owns the picker; `seq` makes each request new. */
export type ImportRequest = { kind: 'files' | 'folder'; seq: number };
export type NamedFile = { file: File; name: string };
type Running = { stage: string; done: number; total: number; detail?: string };

/**
 * Files sent at once: enough to keep the host's disk and the loopback busy while one file's request waits,
 * few enough that a cancel has little to stop.
 */
export const UPLOADS_IN_FLIGHT = 4;

export function mergeReports(a: ImportReport, b: ImportReport): ImportReport {
  return {
    imported: [...a.imported, ...b.imported],
    duplicates: [...a.duplicates, ...b.duplicates],
    rejected: [...a.rejected, ...b.rejected],
    ignored: [...a.ignored, ...b.ignored],
  };
}

const emptyReport = (): ImportReport => ({ imported: [], duplicates: [], rejected: [], ignored: [] });

async function readDirectory(entry: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = entry.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries returns at most ~100 entries per call; call until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (!batch.length) return all;
    all.push(...batch);
  }
}

async function collectEntry(entry: FileSystemEntry, out: NamedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, name: entry.fullPath.replace(/^\/+/, '') || file.name });
  } else if (entry.isDirectory) {
    for (const child of await readDirectory(entry as FileSystemDirectoryEntry)) await collectEntry(child, out);
  }
}

/** Files (and whole folders) dropped in the browser, with their relative paths as names. */
export async function filesFromDataTransfer(dt: DataTransfer): Promise<NamedFile[]> {
  const entries = [...dt.items].map((item) => (item.kind === 'file' ? item.webkitGetAsEntry?.() : null)).filter((e): e is FileSystemEntry => !!e);
  if (!entries.length) return [...dt.files].map((file) => ({ file, name: file.name }));
  const out: NamedFile[] = [];
  for (const entry of entries) await collectEntry(entry, out);
  return out;
}

/** Imports files into the workspace: uploads in the browser, real paths + a job in Electron. */
export function useImporter() {
  const api = useApi();
  const { t, lang } = useI18n();
  const [running, setRunning] = useState<Running | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const upload = useRef<{ controller: AbortController; batch: string } | null>(null);
  // Files the host refused while uploading (too large, connection lost): reported with the job's result.
  const refused = useRef<ImportReport['rejected']>([]);
  const finish = useCallback((r: ImportReport | null) => {
    setRunning(null);
    if (r) setReport(r);
    invalidate('evidence', 'gaps', 'session', 'history');
  }, []);
  const job = useJob((state) => {
    if (state.state === 'failed') setError(state.error ?? t('导入失败。'));
    const result = state.state === 'done' && state.kind === 'import' ? (state.result ?? null) : null;
    finish(result && refused.current.length ? mergeReports(result, { ...emptyReport(), rejected: refused.current }) : result);
  });

  /**
   * Streams the files to the host (raw bytes, several in flight; the page never reads them), then follows the
   * import job the host runs on them. One file that cannot be sent is reported; the others go on.
   */
  const uploadFiles = useCallback(
    async (files: NamedFile[], target: ImportTarget = {}) => {
      const uploader = api.uploader;
      if (!files.length || !uploader) return;
      const controller = new AbortController();
      const batch = crypto.randomUUID();
      upload.current = { controller, batch };
      refused.current = [];
      setCancelled(false);
      setError(null);
      setReport(null);
      let sent = 0;
      let next = 0;
      let frame = 0;
      let last = '';
      setRunning({ stage: t('正在上传'), done: 0, total: files.length });
      const worker = async () => {
        while (next < files.length && !controller.signal.aborted) {
          const index = next++;
          const f = files[index];
          try {
            await uploader.file(batch, index, f.file, f.name, controller.signal);
          } catch (err) {
            if (controller.signal.aborted) return;
            refused.current.push({ source: `${UPLOAD_PREFIX}${f.name}`, reason: errorMessage(err, lang) });
          }
          sent++;
          last = f.name;
          // At most one progress render per frame, however fast the small files finish.
          if (!frame) {
            frame = requestAnimationFrame(() => {
              frame = 0;
              if (!controller.signal.aborted) setRunning({ stage: t('正在上传'), done: sent, total: files.length, detail: last });
            });
          }
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.min(UPLOADS_IN_FLIGHT, files.length) }, worker));
        if (controller.signal.aborted) return;
        const { jobId } = await uploader.finish(batch, target);
        upload.current = null;
        if (controller.signal.aborted) return void api.call('jobs.cancel', { id: jobId }).catch(() => undefined);
        job.follow(jobId);
      } catch (err) {
        if (controller.signal.aborted) return;
        upload.current = null;
        void uploader.discard(batch).catch(() => undefined);
        setError(errorMessage(err, lang));
        setRunning(null);
      }
    },
    [api, job, lang, t],
  );

  const importPaths = useCallback(
    async (paths: string[], target: ImportTarget = {}) => {
      if (!paths.length) return;
      setError(null);
      setReport(null);
      setRunning({ stage: t('准备'), done: 0, total: paths.length });
      try {
        const { jobId } = await api.call('evidence.import', { paths, ...target });
        job.follow(jobId);
      } catch (err) {
        setError(errorMessage(err, lang));
        setRunning(null);
      }
    },
    [api, job, lang, t],
  );

  const importDrop = useCallback(
    async (dt: DataTransfer, target: ImportTarget = {}) => {
      const bridge = getBridge();
      if (bridge) {
        const paths = [...dt.files].map((f) => bridge.getPathForFile(f)).filter(Boolean);
        return importPaths(paths, target);
      }
      return uploadFiles(await filesFromDataTransfer(dt), target);
    },
    [importPaths, uploadFiles],
  );

  /** Answers at once: uploads in flight are aborted, staged files dropped, a running import job told to stop. */
  const cancel = useCallback(() => {
    const current = upload.current;
    upload.current = null;
    if (current) {
      current.controller.abort();
      void api.uploader?.discard(current.batch).catch(() => undefined);
    }
    void job.cancel();
    setCancelled(true);
    setRunning(null);
  }, [api, job]);

  // The job's own progress (files read, converted…) replaces the upload line once the import runs.
  const shownProgress = cancelled ? null : job.job?.state === 'running' ? job.job.progress : running;
  return {
    running: shownProgress,
    report,
    error: error ?? job.error,
    cancelled,
    uploadFiles,
    importPaths,
    importDrop,
    cancel,
    dismiss: () => (setReport(null), setError(null), setCancelled(false)),
  };
}

export type Importer = ReturnType<typeof useImporter>;

/** Opens the desktop file or folder picker and imports what was chosen (no-op in the browser host). */
export async function pickAndImport(importer: Importer, kind: 'files' | 'folder', target?: ImportTarget): Promise<void> {
  const bridge = getBridge();
  if (!bridge) return;
  if (kind === 'files') {
    await importer.importPaths(await bridge.pickFiles(), target);
    return;
  }
  const dir = await bridge.pickFolder();
  if (dir) await importer.importPaths([dir], target);
}

/** The buttons to add files or a whole folder (with sub-folders kept in the names). */
export function ImportButtons({ importer, target, compact }: { importer: Importer; target?: ImportTarget; compact?: boolean }) {
  const { t } = useI18n();
  const filesLabel = compact ? t('上传文件…') : t('添加文件…');
  const bridge = getBridge();
  const folderInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // Not in React's types: folder selection keeps webkitRelativePath ("材料/组织领导/纪要.pdf").
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);
  if (bridge) {
    return (
      <span className="import-buttons">
        <button type="button" onClick={async () => importer.importPaths(await bridge.pickFiles(), target)}>
          {filesLabel}
        </button>
        {!compact && (
        <button
          type="button"
          onClick={async () => {
            const dir = await bridge.pickFolder();
            if (dir) await importer.importPaths([dir], target);
          }}
        >
          {t('添加文件夹…')}
        </button>
        )}
      </span>
    );
  }
  return (
    <span className="import-buttons">
      <label className="button">
        {filesLabel}
        <input
          type="file"
          multiple
          hidden
          data-testid="upload-files"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])].map((file) => ({ file, name: file.name }));
            e.target.value = '';
            void importer.uploadFiles(files, target);
          }}
        />
      </label>
      {!compact && (
      <label className="button">
        {t('添加文件夹…')}
        <input
          ref={folderInput}
          type="file"
          multiple
          hidden
          data-testid="upload-folder"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])].map((file) => ({ file, name: file.webkitRelativePath || file.name }));
            e.target.value = '';
            void importer.uploadFiles(files, target);
          }}
        />
      </label>
      )}
    </span>
  );
}

export function ImportStatus({ importer }: { importer: Importer }) {
  const { t, lang } = useI18n();
  const colon = lang === 'zh' ? '：' : ': ';
  const because = (reason: string) => explainReason(reason, lang);
  const source = (name: string) => explainSource(name, lang);
  const { running, report, error, cancelled } = importer;
  if (!running && !report && !error && !cancelled) return null;
  return (
    <div className="import-status" data-testid="import-status">
      {running && <Progress {...running} onCancel={importer.cancel} />}
      {cancelled && !running && !report && (
        <p className="muted" role="status">
          {t('已取消导入。已经导入的材料保留在材料库中。')}{' '}
          <button type="button" className="link" onClick={importer.dismiss}>
            {t('关闭')}
          </button>
        </p>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {report && (
        <div className="import-report">
          <strong>
            {t('导入完成：新增 {a} 件，重复 {b} 件，未导入 {c} 件。', { a: report.imported.length, b: report.duplicates.length, c: report.rejected.length })}
            {report.ignored.length > 0 && ` ${t('已忽略 {n} 个非材料文件。', { n: report.ignored.length })}`}
          </strong>
          <ul>
            {report.imported
              .filter((i) => i.warning)
              .map((i) => (
                <li key={i.id} className="warn-text">
                  {source(i.source)}
                  {colon}
                  {explainReasons(i.warning ?? '', lang)}
                </li>
              ))}
            {report.rejected.map((r) => (
              <li key={r.source} className="bad-text">
                {source(r.source)}
                {colon}
                {because(r.reason)}
              </li>
            ))}
            {/* Junk (Thumbs.db, .DS_Store, ~$ lock files) is skipped on purpose: grey, with the reason, never an error. */}
            {report.ignored.map((i) => (
              <li key={i.source} className="muted ignored" data-testid="import-ignored">
                {t('已忽略')} {source(i.source)}
                {colon}
                {because(i.reason)}
              </li>
            ))}
            {report.duplicates.slice(0, 20).map((d) => (
              <li key={d.source} className="muted">
                {t('{a} 与已有材料 {b} 内容相同，未重复保存。', { a: source(d.source), b: d.of })}
              </li>
            ))}
          </ul>
          <button type="button" className="link" onClick={importer.dismiss}>
            {t('关闭')}
          </button>
        </div>
      )}
    </div>
  );
}

/** Wraps an area that accepts dropped files/folders; highlights while dragging over it. */
export function DropZone({ onDrop, children, className, label }: { onDrop: (dt: DataTransfer) => void; children: ReactNode; className?: string; label?: string }) {
  const [over, setOver] = useState(false);
  const accepts = (e: DragEvent) => [...e.dataTransfer.types].includes('Files');
  return (
    <div
      className={`${className ?? ''} ${over ? 'drop-over' : ''}`}
      data-drop-label={label}
      onDragOver={(e) => {
        if (!accepts(e)) return;
        e.preventDefault();
        e.stopPropagation();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={(e) => {
        if (!accepts(e)) return;
        e.preventDefault();
        e.stopPropagation();
        setOver(false);
        onDrop(e.dataTransfer);
      }}
    >
      {children}
    </div>
  );
}

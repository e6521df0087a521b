import { useCallback, useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import type { ImportReport } from '../../shared/domain/intake.js';
import { getBridge } from '../api/bridge.js';
import { errorMessage } from '../api/client.js';
import { invalidate, useApi, useJob } from '../api/hooks.js';
import { useI18n } from '../i18n.js';
import { Progress } from './common.js';

export type ImportTarget = { indicator?: string; requirement?: string };
/** The desktop menu's 导入文件/导入文件夹, passed to the screen that owns the picker; `seq` makes each request new. */
export type ImportRequest = { kind: 'files' | 'folder'; seq: number };
export type NamedFile = { file: File; name: string };
type Running = { stage: string; done: number; total: number; detail?: string };

/** Upload requests stay well under the host's body limit; base64 adds a third. */
const CHUNK_BYTES = 12 * 1024 * 1024;
const CHUNK_FILES = 200;

export function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('读取文件失败'));
    reader.readAsDataURL(file);
  });
}

export function chunkFiles(files: readonly NamedFile[], maxBytes = CHUNK_BYTES, maxFiles = CHUNK_FILES): NamedFile[][] {
  const chunks: NamedFile[][] = [];
  let current: NamedFile[] = [];
  let bytes = 0;
  for (const f of files) {
    if (current.length && (bytes + f.file.size > maxBytes || current.length >= maxFiles)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(f);
    bytes += f.file.size;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

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
  const { t } = useI18n();
  const [running, setRunning] = useState<Running | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cancelled = useRef(false);
  const finish = useCallback((r: ImportReport | null) => {
    setRunning(null);
    if (r) setReport(r);
    invalidate('evidence', 'gaps', 'session', 'history');
  }, []);
  const job = useJob((state) => {
    if (state.state === 'failed') setError(state.error ?? t('导入失败。'));
    finish(state.state === 'done' && state.kind === 'import' ? (state.result ?? null) : null);
  });


  const uploadFiles = useCallback(
    async (files: NamedFile[], target: ImportTarget = {}) => {
      if (!files.length) return;
      cancelled.current = false;
      setError(null);
      setReport(null);
      let merged = emptyReport();
      let done = 0;
      setRunning({ stage: t('正在上传'), done, total: files.length });
      try {
        for (const chunk of chunkFiles(files)) {
          if (cancelled.current) break;
          const payload = await Promise.all(chunk.map(async (f) => ({ name: f.name, base64: await readBase64(f.file) })));
          setRunning({ stage: t('正在导入'), done, total: files.length, detail: chunk[0]?.name });
          const result = await api.call('evidence.upload', { files: payload, ...target });
          merged = mergeReports(merged, result);
          done += chunk.length;
          setRunning({ stage: t('正在导入'), done, total: files.length });
        }
      } catch (err) {
        setError(errorMessage(err));
      }
      finish(merged);
    },
    [api, finish, t],
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
        setError(errorMessage(err));
        setRunning(null);
      }
    },
    [api, job, t],
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

  const cancel = useCallback(() => {
    cancelled.current = true;
    void job.cancel();
  }, [job]);

  // In Electron the job's own progress (files read, converted…) replaces the "preparing" line.
  const shownProgress = job.job?.state === 'running' ? job.job.progress : running;
  return { running: shownProgress, report, error: error ?? job.error, uploadFiles, importPaths, importDrop, cancel, dismiss: () => (setReport(null), setError(null)) };
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
  const { t } = useI18n();
  const { running, report, error } = importer;
  if (!running && !report && !error) return null;
  return (
    <div className="import-status" data-testid="import-status">
      {running && <Progress {...running} onCancel={importer.cancel} />}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {report && (
        <div className="import-report">
          <strong>
            {t('导入完成：新增 {a} 件，重复 {b} 件，未导入 {c} 件。', { a: report.imported.length, b: report.duplicates.length, c: report.rejected.length })}
          </strong>
          <ul>
            {report.imported
              .filter((i) => i.warning)
              .map((i) => (
                <li key={i.id} className="warn-text">
                  {i.source}：{i.warning}
                </li>
              ))}
            {report.rejected.map((r) => (
              <li key={r.source} className="bad-text">
                {r.source}：{r.reason}
              </li>
            ))}
            {report.duplicates.slice(0, 20).map((d) => (
              <li key={d.source} className="muted">
                {t('{a} 与已有材料 {b} 内容相同，未重复保存。', { a: d.source, b: d.of })}
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

import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EvidenceLink, EvidenceType, FileFormat, PhotoCaption } from '../../../shared/domain/types.js';
import { IMAGE_FORMATS } from '../../../shared/domain/types.js';
import type { ImportReport } from '../../../shared/domain/intake.js';
import { classify, trainModel, type ClassifierModel, type ClassifyInput } from '../../../shared/classify/classify.js';
import { folderNamesOf } from '../../../shared/classify/folders.js';
import { extractDocMeta, titleFromFileName } from '../../../shared/extract/docmeta.js';
import { findIndicator } from '../../../shared/framework/schema.js';
import { detectFormatOfBytes } from '../intake/detect.js';
import { expandInputs } from '../intake/expand.js';
import { fingerprintText } from '../intake/fingerprint.js';
import { DEFAULT_READ_LIMITS, defaultPoolSize, ReaderPool, type ReadOutcome } from '../intake/read-pool.js';
import { readEvidenceFile } from '../intake/read.js';
import { sha256Hex, VaultWriteError } from '../vault.js';
import type { ImportOptions } from './types.js';
import { WorkspaceError, type Workspace } from './workspace.js';
import { UPLOAD_PREFIX, importReason } from '../../../shared/intake/reasons.js';

/** A suggested indicator is filed only when the classifier is at least this sure; the rest stays 未归类. */
export const SUGGESTED_LINK_MIN_CONFIDENCE = 0.35;

/** Largest file taken in one piece (bigger ones are refused with a reason, nothing else is affected). */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;

const EXTENSIONS: Record<FileFormat, string> = {
  pdf: 'pdf',
  docx: 'docx',
  xlsx: 'xlsx',
  pptx: 'pptx',
  doc: 'doc',
  xls: 'xls',
  ppt: 'ppt',
  odt: 'odt',
  ods: 'ods',
  wps: 'wps',
  et: 'et',
  jpeg: 'jpg',
  png: 'png',
  gif: 'gif',
  bmp: 'bmp',
  tiff: 'tif',
  webp: 'webp',
  heic: 'heic',
  txt: 'txt',
  zip: 'zip',
  unknown: 'bin',
};

export function extensionFor(format: FileFormat): string {
  return EXTENSIONS[format];
}

/**
 * The classifier model learned from this workspace's own corrections (user-chosen type or indicators). A department's
 * submission teaches nothing until the office accepts it: a pending or returned upload may be filed in the wrong place.
 */
export async function learnedModel(ws: Workspace): Promise<ClassifierModel> {
  const corrected = (await ws.listEvidence()).filter(
    (ev) => (ev.reviewState === undefined || ev.reviewState === 'accepted') && (ev.typeOrigin === 'user' || ev.links.some((l) => l.origin === 'user')),
  );
  // The same corrections teach the same model: a server importing one upload at a time trains it once, not per file
  // (every accepted department upload is a correction, so the examples grow with the workspace).
  const key = corrected
    .map((ev) => `${ev.id}\u0001${ev.updatedAt}\u0001${ev.type}\u0001${ev.typeOrigin}\u0001${ev.originalName}\u0001${ev.source}\u0001${ev.links.map((l) => `${l.origin}:${l.indicator}`).join(',')}`)
    .join('\u0000');
  const known = models.get(ws);
  if (known && known.key === key && known.framework === ws.framework()) return known.model;
  const texts = await ws.evidenceTexts(corrected.map((ev) => ev.id));
  const examples = corrected
    .map((ev) => ({
      input: {
        fileName: ev.originalName,
        text: (texts.get(ev.id) ?? '').slice(0, 4000),
        format: ev.format,
        hasExifDate: Boolean(ev.photo?.takenAt),
        folders: folderNamesOf(ev.source),
      } satisfies ClassifyInput,
      ...(ev.typeOrigin === 'user' ? { type: ev.type } : {}),
      ...(ev.links.some((l) => l.origin === 'user')
        ? { indicators: ev.links.filter((l) => l.origin === 'user').map((l) => l.indicator) }
        : {}),
    }));
  const model = trainModel(ws.framework(), examples);
  models.set(ws, { key, framework: ws.framework(), model });
  return model;
}

const models = new WeakMap<Workspace, { key: string; framework: ReturnType<Workspace['framework']>; model: ClassifierModel }>();

/**
 * Imports files, folders and zip archives. Each original is stored once (by SHA-256); the rest of the batch
 * goes on when one file is bad; a crash leaves the workspace consistent (vault write first, then one DB
 * transaction per file) and running the same import again finishes the job.
 */
export async function importPaths(
  ws: Workspace,
  paths: string[],
  options: ImportOptions = {},
  /** How a source is named in the report and the record (uploads hide their temporary folder). */
  label: (source: string) => string = (source) => source,
): Promise<ImportReport> {
  if (options.indicator) {
    const found = findIndicator(ws.framework(), options.indicator);
    if (!found) throw new WorkspaceError('usage', `框架中没有指标 ${options.indicator}。`);
    if (options.requirement && !found.indicator.requirements.some((r) => r.id === options.requirement)) {
      throw new WorkspaceError('usage', `指标 ${options.indicator} 下没有材料要求 ${options.requirement}。`);
    }
  }
  const report: ImportReport = { imported: [], duplicates: [], rejected: [], ignored: [] };
  const kits = await takeKits(ws, paths, options, label, report);
  if (kits.rest.length === 0 && kits.found) return report;
  paths = kits.rest;
  const model = await learnedModel(ws);
  const pool = options.readers ?? new ReaderPool(defaultPoolSize(), options.readLimits ?? DEFAULT_READ_LIMITS);
  // Files are read ahead in the worker pool while earlier ones are stored, in the order they came: a bounded
  // window of files (and of their bytes) so memory does not grow with the batch.
  const window: { size: number; prepared: Promise<Prepared> }[] = [];
  let bytesInWindow = 0;
  let done = 0;
  const storeNext = async (): Promise<void> => {
    const next = window.shift();
    if (!next) return;
    bytesInWindow -= next.size;
    const prepared = await next.prepared;
    if (options.signal?.aborted) return;
    try {
      await storeOne(ws, prepared, pool, model, options, report);
    } catch (error) {
      // Our own errors are already Chinese and say what to do; anything else is a bug, shown as is.
      const message = (error as Error).message;
      report.rejected.push({ source: prepared.item.source, reason: error instanceof VaultWriteError ? message : importReason('import-failed', { message }) });
    }
    done++;
    options.onProgress?.({ stage: '导入', done, total: 0, detail: prepared.item.name });
  };
  options.onProgress?.({ stage: '导入', done, total: 0 });
  try {
    for await (const item of expandInputs(paths, { signal: options.signal })) {
      if (options.signal?.aborted) break;
      if (item.kind === 'ignored') {
        report.ignored.push({ source: label(item.source), reason: item.reason });
        continue;
      }
      if (item.kind === 'rejected') {
        report.rejected.push({ source: label(item.source), reason: item.reason });
        continue;
      }
      const labelled = { ...item, source: label(item.source), read: () => item.read() };
      while (window.length && (window.length >= pool.size * 2 || bytesInWindow + item.size > MAX_BYTES_READ_AHEAD)) await storeNext();
      window.push({ size: item.size, prepared: prepareOne(ws, labelled, pool) });
      bytesInWindow += item.size;
    }
    while (window.length) await storeNext();
  } finally {
    await Promise.allSettled(window.map((w) => w.prepared));
    if (!options.readers) await pool.close();
  }
  return report;
}

/**
 * Collection kits (electron/backend/team/kits.ts): a zip with a kit.json at its root is a department's returned kit,
 * filed folder by folder as 待审核 submissions; a refused kit throws before anything is stored. Other paths go on to
 * the ordinary import.
 */
async function takeKits(
  ws: Workspace,
  paths: string[],
  options: ImportOptions,
  label: (source: string) => string,
  report: ImportReport,
): Promise<{ rest: string[]; found: boolean }> {
  const zips = paths.filter((p) => p.toLowerCase().endsWith('.zip') && statSync(p, { throwIfNoEntry: false })?.isFile());
  if (!zips.length) return { rest: paths, found: false };
  const kitsModule = await import('../team/kits.js');
  const manifests = new Map<string, NonNullable<Awaited<ReturnType<typeof kitsModule.readKitManifest>>>>();
  for (const zip of zips) {
    const found = await kitsModule.readKitManifest(zip);
    if (kitsModule.isKit(found)) manifests.set(zip, found);
  }
  for (const [zip, manifest] of manifests) {
    const done = await kitsModule.importKit(ws, zip, manifest, options, label(zip), (dir, kitOptions, name) => importPaths(ws, [dir], kitOptions, name));
    report.imported.push(...done.report.imported);
    report.duplicates.push(...done.report.duplicates);
    report.rejected.push(...done.report.rejected);
    report.ignored.push(...done.report.ignored);
    report.kit = done.kit;
  }
  return { rest: paths.filter((p) => !manifests.has(p)), found: manifests.size > 0 };
}

/** Bytes of files read ahead of the one being stored (one file is always taken, however large). */
const MAX_BYTES_READ_AHEAD = 128 * 1024 * 1024;

type FileItem = { source: string; name: string; size: number; read(): Promise<Buffer> };

/** A file read and understood, not yet stored: everything here can run ahead of the database. */
type Prepared =
  | { kind: 'rejected'; item: FileItem; reason: string }
  | { kind: 'bytes'; item: FileItem; bytes: Buffer; sha256: string }
  | { kind: 'read'; item: FileItem; bytes: Buffer; sha256: string; format: FileFormat; note?: string; outcome: ReadOutcome };

/** Never rejects: a failure becomes a 'rejected' outcome, so files read ahead cannot fail the batch. */
async function prepareOne(ws: Workspace, item: FileItem, pool: ReaderPool): Promise<Prepared> {
  try {
    if (item.size > MAX_FILE_BYTES) {
      return { kind: 'rejected', item, reason: importReason('too-large', { mb: (item.size / 1024 / 1024).toFixed(0) }) };
    }
    let bytes: Buffer;
    try {
      bytes = await item.read();
    } catch (error) {
      // A damaged zip member, or one larger than its header says: the reader's reason is meant for the user.
      return { kind: 'rejected', item, reason: (error as Error).message };
    }
    const sha256 = sha256Hex(bytes);
    // Already stored: no need to read it again (the store step decides between duplicate and restore).
    if (await ws.findBySha(sha256)) return { kind: 'bytes', item, bytes, sha256 };
    return await readPrepared(item, bytes, sha256, pool);
  } catch (error) {
    return { kind: 'rejected', item, reason: importReason('import-failed', { message: (error as Error).message }) };
  }
}

async function readPrepared(item: FileItem, bytes: Buffer, sha256: string, pool: ReaderPool): Promise<Prepared> {
  const { format, note } = await detectFormatOfBytes(bytes, item.name);
  if (format === 'zip') return { kind: 'rejected', item, reason: importReason('nested-zip') };
  const outcome = bytes.length === 0 ? { result: await readEvidenceFile(bytes, format, item.name) } : await pool.read(bytes, format, item.name);
  return { kind: 'read', item, bytes, sha256, format, ...(note ? { note } : {}), outcome };
}

async function storeOne(
  ws: Workspace,
  prepared: Prepared,
  pool: ReaderPool,
  model: ClassifierModel,
  options: ImportOptions,
  report: ImportReport,
): Promise<void> {
  const { item } = prepared;
  if (prepared.kind === 'rejected') {
    report.rejected.push({ source: item.source, reason: prepared.reason });
    return;
  }
  const { bytes, sha256 } = prepared;
  const existing = await ws.findBySha(sha256);
  if (existing) {
    const recovered = restoreMissingOriginal(ws, sha256, existing.ext, bytes);
    const ev = existing.deleted ? (await ws.restore([existing.id]))[0] : recovered ? await ws.requireEvidence(existing.id) : undefined;
    if (!ev) {
      report.duplicates.push({ source: item.source, of: existing.id, ofSource: existing.source });
      return;
    }
    // The user imports a file they had deleted, or one whose stored original was lost: bring the record back
    // rather than store it twice.
    const warnings = [
      ...(existing.deleted ? [importReason('restored-from-trash')] : []),
      ...(recovered ? [ORIGINAL_RECOVERED_NOTE] : []),
    ];
    report.imported.push({
      source: item.source,
      id: ev.id,
      sha256,
      type: ev.type,
      indicators: ev.links.map((l) => l.indicator),
      title: ev.title,
      ...(ev.date ? { date: ev.date } : {}),
      format: ev.format,
      warning: warnings.join(''),
    });
    return;
  }
  // Seen as stored when read ahead, gone now (deleted for good meanwhile): read it after all.
  const ready = prepared.kind === 'read' ? prepared : await readPrepared(item, bytes, sha256, pool);
  if (ready.kind !== 'read') {
    if (ready.kind === 'rejected') report.rejected.push({ source: item.source, reason: ready.reason });
    return;
  }
  const { format, note } = ready;
  const read = ready.outcome.result;
  if (read.readability === 'empty') {
    report.rejected.push({ source: item.source, reason: read.readError ?? importReason('empty-file') });
    return;
  }
  if (read.readability === 'unsupported') {
    report.rejected.push({ source: item.source, reason: note ?? read.readError ?? importReason('unknown-format', { name: item.name }) });
    return;
  }

  const isImage = IMAGE_FORMATS.includes(format);
  const meta = isImage ? {} : extractDocMeta(read.text, item.name);
  const suggestion = classify(
    { fileName: item.name, text: read.text.slice(0, 20000), format, hasExifDate: Boolean(read.photo?.takenAt), folders: folderNamesOf(item.source) },
    ws.framework(),
    model,
  );
  const type: EvidenceType = isImage ? 'photo' : suggestion.type;
  const links: EvidenceLink[] = [];
  const place = options.placeOf?.(item.source) ?? options;
  if (place.indicator) {
    links.push({
      indicator: place.indicator,
      ...(place.requirement ? { requirement: place.requirement } : {}),
      origin: 'user',
      confidence: 1,
    });
  } else {
    for (const s of suggestion.indicators) {
      if (s.confidence >= SUGGESTED_LINK_MIN_CONFIDENCE) links.push({ indicator: s.code, origin: 'suggested', confidence: s.confidence });
    }
  }

  const exifDate = read.photo?.takenAt?.slice(0, 10);
  const date = isImage ? exifDate : meta.date;
  const dateOrigin = isImage ? (exifDate ? 'exif' : undefined) : meta.dateSource;
  const embeddedTitle = usableEmbeddedTitle(read.embedded?.title);
  const [title, titleOrigin] =
    !isImage && meta.title
      ? [meta.title, 'text' as const]
      : !isImage && embeddedTitle
        ? [embeddedTitle, 'embedded' as const]
        : [titleFromFileName(item.name) ?? item.name, 'filename' as const];
  const caption: PhotoCaption | undefined = exifDate ? { time: exifDate } : undefined;
  const fingerprint = isImage ? ready.outcome.imageFingerprint : fingerprintText(read.text);
  // Scans and pictures get their text from OCR in the background (electron/backend/ocr): the import does not wait.
  const needsOcr = read.readability === 'ok' && ((format === 'pdf' && read.scanned === true) || (isImage && format !== 'heic'));

  ws.vault.put(sha256, extensionFor(format), bytes);
  let id: number;
  try {
    id = await ws.insertEvidence(
      {
        sha256,
        size: bytes.length,
        originalName: item.name,
        format,
        ext: extensionFor(format),
        type,
        typeOrigin: 'suggested',
        typeConfidence: isImage ? 1 : suggestion.typeConfidence,
        title,
        titleOrigin,
        ...(meta.docNumber ? { docNumber: meta.docNumber } : {}),
        ...(meta.issuer ? { issuer: meta.issuer } : {}),
        ...(date ? { date, dateOrigin } : {}),
        ...(read.pages != null ? { pages: read.pages } : {}),
        ...(read.scanned != null ? { scanned: read.scanned } : {}),
        readability: read.readability,
        ...(read.readError ? { readError: read.readError } : {}),
        ...(read.photo ? { photo: read.photo } : {}),
        ...(caption ? { caption } : {}),
        ...(fingerprint ? { fingerprint } : {}),
        text: read.text,
        ...(needsOcr ? { ocrState: 'pending' as const } : {}),
        ...(options.submission ? { reviewState: 'pending' as const, department: options.submission.department, submittedBy: options.submission.submittedBy } : {}),
        links,
      },
      item.source,
    );
  } catch (error) {
    // Another window or process on the same workspace stored the same bytes meanwhile: a duplicate, not a failure.
    const other = isUniqueViolation(error) ? await ws.findBySha(sha256) : undefined;
    if (!other) throw error;
    report.duplicates.push({ source: item.source, of: other.id, ofSource: other.source });
    return;
  }
  report.imported.push({
    source: item.source,
    id,
    sha256,
    type,
    indicators: links.map((l) => l.indicator),
    title,
    ...(date ? { date } : {}),
    format,
    ...(read.readError ? { warning: read.readError } : {}),
  });
}

export const ORIGINAL_RECOVERED_NOTE = importReason('original-recovered');

/** Puts the original back when the vault file was deleted by hand (same SHA-256, so the same bytes). */
function restoreMissingOriginal(ws: Workspace, sha256: string, ext: string, bytes: Buffer): boolean {
  if (ws.vault.has(sha256, ext)) return false;
  ws.vault.put(sha256, ext, bytes);
  return true;
}

/** A second writer stored the same bytes first: SQLite's and PostgreSQL's (23505) unique-constraint errors. */
function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === '23505');
}

/** Office and PDF writers fill Title with junk ("Microsoft Word - 文档1", "untitled"): only a real title counts. */
function usableEmbeddedTitle(title: string | undefined): string | undefined {
  const t = title?.trim();
  if (!t || t.length < 4) return undefined;
  if (/^(microsoft (word|excel)|untitled|无标题|新建|文档\d*$|document\d*$|doc\d+$)/i.test(t)) return undefined;
  return t;
}

/**
 * Imports files uploaded through the browser host: they are written to a private temporary folder under the
 * workspace cache (names sanitised, no path may escape it), imported like any folder, and the folder removed.
 */
/**
 * Where upload number `index` named `name` (a browser's relative path, maybe with folders) is staged under
 * `base`: its own numbered folder, so two files with the same name don't collide; every segment made safe.
 */
export function uploadTarget(base: string, index: number, name: string): string {
  const parts = name
    .split(/[\\/]+/)
    .filter((p) => p && p !== '.' && p !== '..')
    .map(safeUploadSegment);
  const relative = parts.length ? parts.join(path.sep) : `upload-${index}`;
  const target = path.join(base, String(index).padStart(4, '0'), relative);
  if (!target.startsWith(base + path.sep)) throw new WorkspaceError('usage', `上传的文件名不安全：${name}`);
  return target;
}

/** How a staged upload is named in the report and the record: 上传/<the user's name>, not the staging folder. */
export function uploadLabel(base: string): (source: string) => string {
  return (source) => {
    const rel = path.relative(base, source.split('::')[0]);
    const rest = source.includes('::') ? source.slice(source.indexOf('::')) : '';
    return `${UPLOAD_PREFIX}${rel.split(path.sep).slice(1).join('/')}${rest}`;
  };
}

export async function importUploads(
  ws: Workspace,
  files: { name: string; bytes: Uint8Array }[],
  options: ImportOptions = {},
): Promise<ImportReport> {
  const base = mkdtempSync(path.join(ws.cacheDir('uploads'), 'batch-'));
  try {
    const written = files.map((file, index) => {
      const target = uploadTarget(base, index, file.name);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, file.bytes);
      return target;
    });
    return await importPaths(ws, written, options, uploadLabel(base));
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/** Windows device names: "CON.pdf" opens the console, not a file, in many Windows APIs. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;
/** Most file systems allow 255 bytes per name; keep room for the numbered folder's own limits. */
const MAX_SEGMENT_BYTES = 200;

/** One path segment of an uploaded name, made safe to write on Windows, macOS and Linux. */
export function safeUploadSegment(segment: string): string {
  let s = segment.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').replace(/[. ]+$/, '');
  if (!s) s = '_';
  if (WINDOWS_RESERVED.test(s)) s = `_${s}`;
  if (Buffer.byteLength(s) > MAX_SEGMENT_BYTES) {
    const dot = s.lastIndexOf('.');
    const ext = dot > 0 && s.length - dot <= 10 ? s.slice(dot) : '';
    let stem = '';
    let bytes = Buffer.byteLength(ext);
    for (const ch of s.slice(0, s.length - ext.length)) {
      bytes += Buffer.byteLength(ch);
      if (bytes > MAX_SEGMENT_BYTES) break;
      stem += ch;
    }
    s = stem + ext;
  }
  return s;
}

/**
 * Re-runs the suggestions for everything the user has not decided, with the model learned from the user's
 * corrections so far. User-chosen types and links are never touched, and an indicator the user removed from an
 * item is never suggested for it again. Returns how many items changed.
 */
export async function reclassify(ws: Workspace): Promise<{ changed: number }> {
  const model = await learnedModel(ws);
  const framework = ws.framework();
  const removedByUser = await ws.removedLinks();
  const evidence = await ws.listEvidence();
  const texts = await ws.evidenceTexts(evidence.map((ev) => ev.id));
  const changes: Parameters<Workspace['applySuggestions']>[0] = [];
  for (const ev of evidence) {
    const suggestion = classify(
      {
        fileName: ev.originalName,
        text: (texts.get(ev.id) ?? '').slice(0, 20000),
        format: ev.format,
        hasExifDate: Boolean(ev.photo?.takenAt),
        folders: folderNamesOf(ev.source),
      },
      framework,
      model,
    );
    const change: (typeof changes)[number] = { id: ev.id };
    if (ev.typeOrigin === 'suggested' && ev.type !== 'photo' && suggestion.type !== ev.type) {
      change.type = { type: suggestion.type, confidence: suggestion.typeConfidence };
    }
    const userLinks = new Set(ev.links.filter((l) => l.origin === 'user').map((l) => l.indicator));
    const wanted = suggestion.indicators.filter(
      (s) => s.confidence >= SUGGESTED_LINK_MIN_CONFIDENCE && !userLinks.has(s.code) && !removedByUser.has(`${ev.id}:${s.code}`),
    );
    const current = ev.links.filter((l) => l.origin === 'suggested').map((l) => l.indicator).sort().join(',');
    if (wanted.map((s) => s.code).sort().join(',') !== current) {
      change.links = wanted.map((s) => ({ indicator: s.code, requirement: null, origin: 'suggested', confidence: s.confidence }));
    }
    if (change.type || change.links) changes.push(change);
  }
  // One user action: all re-suggestions are one history batch, undone together.
  await ws.applySuggestions(changes);
  return { changed: changes.length };
}

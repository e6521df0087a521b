/**
 * Background OCR of a workspace's scans and pictures: takes the items marked pending at import, reads each in the
 * OCR worker (or from the cache, by SHA-256), and feeds the text to 文号/责任者/题名/日期 extraction, the classifier
 * and search. One bad file fails alone; cancelling leaves the rest pending for the next run.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OcrRunReport, ProgressCallback } from '../../../shared/domain/intake.js';
import { IMAGE_FORMATS } from '../../../shared/domain/types.js';
import { classify, type ClassifierModel } from '../../../shared/classify/classify.js';
import { extractDocMeta } from '../../../shared/extract/docmeta.js';
import { importReason } from '../../../shared/intake/reasons.js';
import { learnedModel, SUGGESTED_LINK_MIN_CONFIDENCE } from '../workspace/import.js';
import type { OcrApplied, OcrCandidate, Workspace } from '../workspace/workspace.js';
import { repairFutureYear } from './normalise.js';
import { OcrAbortedError, OcrUnavailableError, OcrWorkerPool } from './pool.js';
import type { OcrOutcome } from './protocol.js';

export const OCR_STAGE = '文字识别';
/** Bumped when the engine's output changes meaningfully, so old cache entries are not reused. */
const CACHE_VERSION = 1;

export type OcrRunOptions = {
  /** Only these items (e.g. what one import stored); default: everything pending. */
  ids?: number[];
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** Shared pool (the app keeps one); otherwise one is started and stopped for this run. */
  pool?: OcrWorkerPool;
};


export async function runPendingOcr(ws: Workspace, options: OcrRunOptions = {}): Promise<OcrRunReport> {
  const items = await ws.pendingOcr(options.ids);
  const report: OcrRunReport = { done: 0, failed: [], cancelled: false };
  if (items.length === 0) return report;
  const pool = options.pool ?? new OcrWorkerPool();
  const model = await learnedModel(ws);
  const progress = (done: number, detail?: string) =>
    options.onProgress?.({ stage: OCR_STAGE, done, total: items.length, ...(detail ? { detail } : {}) });
  try {
    for (const [index, item] of items.entries()) {
      if (options.signal?.aborted) {
        report.cancelled = true;
        break;
      }
      progress(index, item.originalName);
      await ws.setOcrState(item.id, 'running');
      try {
        const outcome = await recogniseCached(ws, pool, item, (page, pages) =>
          progress(index, pages > 1 ? `${item.originalName}（第 ${page}/${pages} 页）` : item.originalName),
        options.signal);
        await applyOutcome(ws, item, outcome, model);
        report.done++;
      } catch (error) {
        if (error instanceof OcrAbortedError || error instanceof OcrUnavailableError) {
          await ws.setOcrState(item.id, 'pending');
          if (error instanceof OcrUnavailableError) report.unavailable = error.message;
          else report.cancelled = true;
          break;
        }
        const reason = importReason('ocr-failed', { message: error instanceof Error ? error.message : String(error) });
        await ws.setOcrState(item.id, 'failed', reason);
        report.failed.push({ id: item.id, name: item.originalName, reason });
      }
    }
    if (!report.cancelled && !report.unavailable) progress(items.length);
  } finally {
    if (!options.pool) await pool.close();
  }
  return report;
}

async function recogniseCached(
  ws: Workspace,
  pool: OcrWorkerPool,
  item: OcrCandidate,
  onPage: (page: number, pages: number) => void,
  signal: AbortSignal | undefined,
): Promise<OcrOutcome> {
  const cacheFile = path.join(ws.cacheDir('ocr'), `${item.sha256}.json`);
  const cached = readCache(cacheFile);
  if (cached) return cached;
  const bytes = readFileSync(ws.originalPath(item.sha256));
  const kind = IMAGE_FORMATS.includes(item.format) ? 'image' : 'pdf';
  const outcome = await pool.recognise(kind, bytes, { signal, onPage });
  // Written whole, then renamed: a crash never leaves half a cache entry.
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ version: CACHE_VERSION, ...outcome }));
  renameSync(tmp, cacheFile);
  return outcome;
}

function readCache(file: string): OcrOutcome | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<OcrOutcome> & { version?: number };
    if (parsed.version !== CACHE_VERSION || typeof parsed.text !== 'string' || typeof parsed.confidence !== 'number') return undefined;
    return {
      text: parsed.text,
      confidence: parsed.confidence,
      document: parsed.document === true,
      ocrPages: parsed.ocrPages ?? 0,
      engine: parsed.engine === 'tesseract' ? 'tesseract' : 'paddle',
    };
  } catch {
    return undefined; // a damaged cache entry is read again
  }
}

/** What the text says about the item; a scene photo keeps its text for search only. */
export function ocrFindings(item: OcrCandidate, outcome: OcrOutcome, ws: Workspace, model: ClassifierModel): OcrApplied {
  const found: OcrApplied = { text: outcome.text, confidence: Math.round(outcome.confidence * 1000) / 1000 };
  if (!outcome.document) return found;
  // No file name here: what the name says was already taken at import; only what the page says is new.
  const meta = extractDocMeta(outcome.text, '');
  // A photographed page is read as the scanned page it is (the classifier files every picture as a photo).
  const suggestion = classify({ fileName: item.originalName, text: outcome.text.slice(0, 20000), format: 'pdf' }, ws.framework(), model);
  return {
    ...found,
    ...(meta.docNumber ? { docNumber: meta.docNumber } : {}),
    ...(meta.issuer ? { issuer: meta.issuer } : {}),
    ...(meta.title ? { title: meta.title } : {}),
    ...(meta.date ? { date: repairFutureYear(meta.date, meta.docNumber, new Date().toISOString().slice(0, 10)), dateOrigin: 'text' as const } : {}),
    type: suggestion.type,
    typeConfidence: suggestion.typeConfidence,
    links: suggestion.indicators
      .filter((s) => s.confidence >= SUGGESTED_LINK_MIN_CONFIDENCE)
      .map((s) => ({ indicator: s.code, confidence: s.confidence })),
  };
}

async function applyOutcome(ws: Workspace, item: OcrCandidate, outcome: OcrOutcome, model: ClassifierModel): Promise<void> {
  if (!outcome.text.trim()) {
    // Nothing legible (a blank page, a photo of a landscape): done, and the item keeps textSource 'none'.
    await ws.setOcrState(item.id, 'done');
    return;
  }
  await ws.applyOcrResult(item.id, ocrFindings(item, outcome, ws, model));
}

// Offline OCR of a committed scan (tests/fixtures/scans/scan-red-header.pdf: a red-header notice, its 成文日期 in
// Chinese numerals under a red seal) through the real import and the real worker: what a user sees afterwards.
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhoto } from '../../electron/backend/demo/synth.js';
import { normaliseOcrText } from '../../electron/backend/ocr/normalise.js';
import { OcrWorkerPool } from '../../electron/backend/ocr/pool.js';
import { runPendingOcr } from '../../electron/backend/ocr/run.js';
import { importPaths } from '../../electron/backend/workspace/import.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';
import { buildOcrWorker } from '../helpers/ocr-worker.js';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/scans/scan-red-header.pdf');
const printed = JSON.parse(readFileSync(FIXTURE.replace(/\.pdf$/, '.json'), 'utf8')) as {
  docNumber: string;
  date: string;
  marker: string;
  title: string;
};

const root = mkdtempSync(path.join(os.tmpdir(), 'binder-ocr-'));
let pool: OcrWorkerPool;
let ws: Workspace;
let scanId: number;
let photoId: number;

beforeAll(async () => {
  pool = new OcrWorkerPool(await buildOcrWorker());
  const inbox = path.join(root, 'inbox');
  mkdirSync(inbox);
  // A neutral name: 文号, date and title can only come from the page.
  copyFileSync(FIXTURE, path.join(inbox, '扫描001.pdf'));
  // A scene photo (no text): stays a photo.
  writeFileSync(path.join(inbox, 'IMG_0001.jpg'), await makePhoto({ width: 1200, height: 900, seed: 7, quality: 85 }));
  ws = await Workspace.init(path.join(root, 'ws'), { templateId: 'east-west-2017', periodStart: '2019-01-01', periodEnd: '2019-12-31' });
  const report = await importPaths(ws, [inbox]);
  scanId = report.imported.find((i) => i.source.endsWith('扫描001.pdf'))!.id;
  photoId = report.imported.find((i) => i.source.endsWith('IMG_0001.jpg'))!.id;
}, 120_000);

afterAll(async () => {
  await pool.close();
  await ws.close();
  rmSync(root, { recursive: true, force: true });
});

describe('OCR of scans and pictures', () => {
  it('import returns before OCR: the scan is stored, marked 识别中 (pending), without text yet', async () => {
    const scan = await ws.requireEvidence(scanId);
    expect(scan.scanned).toBe(true);
    expect(scan.ocrState).toBe('pending');
    expect(scan.textSource).toBe('none');
    expect(scan.docNumber).toBeUndefined();
    expect(await ws.search(printed.marker)).toEqual([]);
    expect((await ws.requireEvidence(photoId)).ocrState).toBe('pending');
  });

  it('after OCR the scan has its 文号, its date under the seal, its title and type, and is found by a word in its text', async () => {
    const progress: string[] = [];
    const report = await runPendingOcr(ws, { pool, onProgress: (e) => progress.push(`${e.done}/${e.total}`) });
    expect(report).toMatchObject({ done: 2, failed: [], cancelled: false });
    expect(progress.at(-1)).toBe('2/2');
    const scan = await ws.requireEvidence(scanId);
    expect(scan.docNumber).toBe(printed.docNumber);
    expect(scan.date).toBe(printed.date);
    expect(scan.dateOrigin).toBe('text');
    expect(scan.type).toBe('official-document');
    expect(scan.title).toContain('产业协作项目管理办法');
    expect(scan.textSource).toBe('ocr');
    expect(scan.ocrState).toBe('done');
    expect(scan.ocrConfidence).toBeGreaterThan(0.8);
    expect(await ws.search(printed.marker)).toEqual([scanId]);
    // Two-character queries go through LIKE on the same text.
    expect(await ws.search('台账')).toContain(scanId);
    expect(existsSync(path.join(ws.dir, 'cache', 'ocr', `${scan.sha256}.json`))).toBe(true);
  }, 600_000);

  it('a scene photo stays a photo with no document fields', async () => {
    const photo = await ws.requireEvidence(photoId);
    expect(photo.type).toBe('photo');
    expect(photo.ocrState).toBe('done');
    expect(photo.docNumber).toBeUndefined();
  });

  it('uses the SHA-256 cache: a second run needs no worker, and fields the user set are kept', async () => {
    await ws.update([scanId], { docNumber: '安政办发〔2019〕77号' });
    await ws.setOcrState(scanId, 'pending');
    const noWorker = new OcrWorkerPool(path.join(root, 'missing-worker.mjs'));
    const report = await runPendingOcr(ws, { pool: noWorker });
    await noWorker.close();
    expect(report.done).toBe(1);
    const scan = await ws.requireEvidence(scanId);
    expect(scan.docNumber).toBe('安政办发〔2019〕77号');
    expect(scan.date).toBe(printed.date);
  });

  it('cancel stops at once and leaves the item pending; the next run finishes it', async () => {
    rmSync(path.join(ws.dir, 'cache', 'ocr'), { recursive: true, force: true });
    await ws.setOcrState(scanId, 'pending');
    const controller = new AbortController();
    const run = runPendingOcr(ws, { pool, signal: controller.signal, onProgress: () => controller.abort() });
    const report = await run;
    expect(report.cancelled).toBe(true);
    expect((await ws.requireEvidence(scanId)).ocrState).toBe('pending');
    expect(readdirSync(ws.cacheDir('ocr'))).toEqual([]);
  });

  it('a file the engine cannot read fails alone with a Chinese reason; the others are done', async () => {
    const inbox = path.join(root, 'inbox2');
    mkdirSync(inbox);
    writeFileSync(path.join(inbox, 'photo.jpg'), await makePhoto({ width: 800, height: 600, seed: 9, quality: 80 }));
    const report = await importPaths(ws, [inbox]);
    const id = report.imported[0].id;
    // The stored original is damaged after import (disk error): OCR fails for it, not for the batch.
    const stored = ws.originalPath((await ws.requireEvidence(id)).sha256);
    chmodSync(stored, 0o644);
    writeFileSync(stored, Buffer.from('not a picture'));
    const ocr = await runPendingOcr(ws, { pool });
    expect(ocr.failed.map((f) => f.id)).toEqual([id]);
    expect(ocr.failed[0].reason).toMatch(/^文字识别失败/);
    expect((await ws.requireEvidence(id)).ocrState).toBe('failed');
    expect((await ws.requireEvidence(scanId)).ocrState).toBe('done');
  }, 600_000);

  it('the OCR process killed while it reads a page: that item fails with a Chinese reason, the next is still read', async () => {
    const inbox = path.join(root, 'inbox3');
    mkdirSync(inbox);
    writeFileSync(path.join(inbox, 'photo3.jpg'), await makePhoto({ width: 900, height: 700, seed: 11, quality: 80 }));
    const photo3 = (await importPaths(ws, [inbox])).imported[0].id;
    rmSync(path.join(ws.dir, 'cache', 'ocr'), { recursive: true, force: true });
    await ws.setOcrState(scanId, 'pending');
    const own = new OcrWorkerPool(await buildOcrWorker());
    let killedDuring: string | undefined;
    const report = await runPendingOcr(ws, {
      pool: own,
      ids: [scanId, photo3],
      onProgress: (e) => {
        // A page message comes from the OCR process itself as it starts reading a page: kill it there.
        if (killedDuring === undefined && e.done === 0 && e.detail && own.pid !== undefined) {
          killedDuring = e.detail;
          process.kill(own.pid, 'SIGKILL');
        }
      },
    });
    await own.close();
    expect(killedDuring).toBeDefined();
    const [first, second] = [scanId, photo3].sort((a, b) => a - b);
    expect(report.failed.map((f) => f.id)).toEqual([first]);
    expect(report.failed[0].reason).toBe('文字识别失败：文字识别进程意外退出（信号 SIGKILL）。可在材料详情中手工填写文号、日期。');
    expect(report.done).toBe(1);
    expect(await ws.requireEvidence(first)).toMatchObject({ ocrState: 'failed' });
    expect((await ws.requireEvidence(second)).ocrState).toBe('done');
  }, 600_000);
  it('an OCR process over its memory ceiling is stopped: that item fails with the reason, nothing stored is lost, and a later run reads it', async () => {
    rmSync(path.join(ws.dir, 'cache', 'ocr'), { recursive: true, force: true });
    await ws.setOcrState(scanId, 'pending');
    const before = await ws.requireEvidence(scanId);
    // The engine's models alone take more than 150 MB: any page goes over.
    process.env.EVIDENCE_BINDER_OCR_MAX_MB = '150';
    const small = new OcrWorkerPool(await buildOcrWorker());
    let report: Awaited<ReturnType<typeof runPendingOcr>>;
    try {
      report = await runPendingOcr(ws, { pool: small, ids: [scanId] });
    } finally {
      delete process.env.EVIDENCE_BINDER_OCR_MAX_MB;
      await small.close();
    }
    expect(report.failed.map((f) => f.id)).toEqual([scanId]);
    expect(report.failed[0].reason).toBe(
      '文字识别失败：识别此文件所需内存超过 150 MB 的上限，已停止识别（原件已保存；可另存为分辨率较低的图片或 PDF 后重新导入）。可在材料详情中手工填写文号、日期。',
    );
    const failed = await ws.requireEvidence(scanId);
    expect(failed).toMatchObject({ ocrState: 'failed', sha256: before.sha256, title: before.title });
    await ws.setOcrState(scanId, 'pending');
    const again = new OcrWorkerPool(await buildOcrWorker());
    const retry = await runPendingOcr(ws, { pool: again, ids: [scanId] });
    await again.close();
    expect(retry.done).toBe(1);
    expect((await ws.requireEvidence(scanId)).ocrState).toBe('done');
  }, 600_000);
});

describe('OCR text repairs', () => {
  it('maps the misread shapes of 〔〕, 〇 and a sealed 日 back, and leaves ordinary text alone', () => {
    expect(normaliseOcrText('青政办发〔2019」12号')).toBe('青政办发〔2019〕12号');
    expect(normaliseOcrText('青政办发[2019]12号')).toBe('青政办发〔2019〕12号');
    expect(normaliseOcrText('二C一九年七月二十五日')).toBe('二〇一九年七月二十五日');
    expect(normaliseOcrText('二10一九年一月七日')).toBe('二〇一九年一月七日');
    expect(normaliseOcrText('2021年12月284')).toBe('2021年12月28日');
    expect(normaliseOcrText('二〇二〇年一月二午二日')).toBe('二〇二〇年一月二十二日');
    expect(normaliseOcrText('共10一九年，2019年底前完成第12号任务')).toBe('共10一九年，2019年底前完成第12号任务');
  });
});

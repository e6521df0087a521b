/**
 * Every file is read under limits (issue 8): a file that makes a reader exceed its memory budget or its time
 * limit is stored and flagged 'complex' with a Chinese reason, and the rest of the batch is read and stored as usual.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhoto } from '../../electron/backend/demo/synth.js';
import { ReaderPool, TOO_COMPLEX_REASON } from '../../electron/backend/intake/read-pool.js';
import { importPaths } from '../../electron/backend/workspace/import.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';
import { chineseNonEmbeddedPdf, memoryBombPdf } from '../helpers/raw-pdf.js';

const MB = 1024 * 1024;
let root: string;
let inbox: string;

const notice = (n: number) =>
  chineseNonEmbeddedPdf([
    [
      '青山县人民政府办公室文件',
      `青府办发〔2019〕${n}号`,
      `关于做好第${n}批东西部劳务协作工作的通知`,
      '各乡镇人民政府，县直各部门：',
      '现将有关事项通知如下，请认真贯彻执行。',
      '青山县人民政府办公室',
      `2019年3月${n}日`,
    ],
  ]);

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'intake-limits-'));
  inbox = path.join(root, 'inbox');
  mkdirSync(inbox);
  writeFileSync(path.join(inbox, '01通知.pdf'), notice(11));
  // 60 KB on disk, over 1 GB of reader memory.
  writeFileSync(path.join(inbox, '02扫描件.pdf'), memoryBombPdf(60));
  writeFileSync(path.join(inbox, '03通知.pdf'), notice(13));
  writeFileSync(path.join(inbox, '04现场照片.jpg'), await makePhoto({ width: 640, height: 480, seed: 7, takenAt: '2019-05-06T10:00:00' }));
  writeFileSync(path.join(inbox, '05说明.txt'), '关于劳务协作培训情况的说明\n2019年5月7日\n');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function newWorkspace(name: string): Promise<Workspace> {
  return (await Workspace.init(path.join(root, name), { templateId: 'east-west-2017', periodStart: '2019-01-01', periodEnd: '2019-12-31' }));
}

describe('reading under limits', () => {
  it('a file over the memory budget is stored and flagged, and the rest of the batch is read and stored', async () => {
    const ws = await newWorkspace('ws-heap');
    try {
      const report = await importPaths(ws, [inbox], { readLimits: { heapMb: 64, timeoutMs: 120_000, rssGrowthBytes: 16 * 1024 * MB } });
      expect(report.rejected).toEqual([]);
      expect(report.imported.map((i) => path.basename(i.source)).sort()).toEqual(['01通知.pdf', '02扫描件.pdf', '03通知.pdf', '04现场照片.jpg', '05说明.txt']);
      const byName = new Map((await ws.listEvidence()).map((ev) => [ev.originalName, ev]));
      const bomb = byName.get('02扫描件.pdf');
      expect(bomb?.readability).toBe('complex');
      expect(bomb?.readError).toBe(TOO_COMPLEX_REASON);
      expect(report.imported.find((i) => i.source.endsWith('02扫描件.pdf'))?.warning).toBe(TOO_COMPLEX_REASON);
      // The stored original is the file as given.
      expect(bomb?.size).toBe(memoryBombPdf(60).length);
      // Files before and after it were read in full: 文号, 题名, 日期 from the text; the photo's EXIF date.
      expect(byName.get('01通知.pdf')).toMatchObject({ readability: 'ok', docNumber: '青府办发〔2019〕11号', title: '关于做好第11批东西部劳务协作工作的通知', date: '2019-03-11' });
      expect(byName.get('03通知.pdf')).toMatchObject({ readability: 'ok', docNumber: '青府办发〔2019〕13号', date: '2019-03-13' });
      expect(byName.get('04现场照片.jpg')).toMatchObject({ readability: 'ok', type: 'photo', date: '2019-05-06' });
      expect(byName.get('04现场照片.jpg')?.fingerprint).toMatch(/^d:[0-9a-f]{16}$/);
      expect(byName.get('05说明.txt')?.readability).toBe('ok');
      // The user sees why in the findings, with what to do.
      const finding = (await ws.gaps()).findings.find((f) => f.kind === 'unreadable' && (f.evidence ?? []).includes(bomb?.id ?? -1));
      expect(finding?.message).toContain('文件结构过于复杂');
      expect(finding?.action).toContain('PDF');
    } finally {
      await ws.close();
    }
  });

  it('a file over the time limit is flagged and the next file gets a fresh reader', async () => {
    const ws = await newWorkspace('ws-time');
    try {
      const report = await importPaths(ws, [inbox], { readLimits: { heapMb: 2048, timeoutMs: 5_000, rssGrowthBytes: 16 * 1024 * MB } });
      expect(report.rejected).toEqual([]);
      const byName = new Map((await ws.listEvidence()).map((ev) => [ev.originalName, ev]));
      expect(byName.get('02扫描件.pdf')).toMatchObject({ readability: 'complex', readError: TOO_COMPLEX_REASON });
      expect(byName.get('03通知.pdf')).toMatchObject({ readability: 'ok', docNumber: '青府办发〔2019〕13号' });
      expect((await ws.listEvidence())).toHaveLength(5);
    } finally {
      await ws.close();
    }
  });
});

describe('ReaderPool', () => {
  it('stops a read that the heap limit lets through once the process RSS passes the budget, then reads on', async () => {
    // Heap limit out of the way: only the RSS watch can stop this one.
    const pool = new ReaderPool(1, { heapMb: 4096, timeoutMs: 120_000, rssGrowthBytes: 400 * MB });
    try {
      const started = Date.now();
      const bomb = await pool.read(memoryBombPdf(60), 'pdf', 'bomb.pdf');
      expect(bomb.result).toEqual({ readability: 'complex', readError: TOO_COMPLEX_REASON, text: '' });
      expect(Date.now() - started).toBeLessThan(60_000);
      const next = await pool.read(notice(5), 'pdf', 'notice.pdf');
      expect(next.result.readability).toBe('ok');
      expect(next.result.text).toContain('青府办发〔2019〕5号');
    } finally {
      await pool.close();
    }
  });

  it('reads files side by side and gives each caller the result of its own file', async () => {
    const pool = new ReaderPool(2);
    try {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => pool.read(notice(i + 1), 'pdf', `n${i}.pdf`)));
      expect(results.map((r) => /青府办发〔2019〕(\d+)号/.exec(r.result.text)?.[1])).toEqual(Array.from({ length: 12 }, (_, i) => String(i + 1)));
    } finally {
      await pool.close();
    }
  });
});

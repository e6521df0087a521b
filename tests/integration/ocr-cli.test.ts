// The CLI waits for OCR after import (progress on stderr) and finds documents by words only their OCR text has.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Evidence } from '../../shared/domain/types.js';
import { buildCli, runCli } from '../helpers/cli.js';
import { buildOcrWorker } from '../helpers/ocr-worker.js';

const FIXTURE = path.resolve(import.meta.dirname, '../fixtures/scans/scan-red-header.pdf');
const printed = JSON.parse(readFileSync(FIXTURE.replace(/\.pdf$/, '.json'), 'utf8')) as { docNumber: string; date: string; marker: string };
const root = mkdtempSync(path.join(os.tmpdir(), 'binder-ocr-cli-'));
let cli: string;

beforeAll(async () => {
  cli = await buildCli();
  // The CLI bundled into tests/.tmp has no worker beside it: name the one built from the same sources.
  process.env.EVIDENCE_BINDER_OCR_WORKER = await buildOcrWorker();
}, 120_000);

afterAll(() => {
  delete process.env.EVIDENCE_BINDER_OCR_WORKER;
  rmSync(root, { recursive: true, force: true });
});

/** A new workspace and a copy of the committed scan under a neutral name. */
function workspaceAndScan(name: string): { ws: string; scan: string } {
  const ws = path.join(root, name);
  const scan = path.join(root, `${name}-扫描件.pdf`);
  copyFileSync(FIXTURE, scan);
  expect(runCli(cli, ['init', ws, '--template', 'east-west-2017', '--period', '2019-01-01..2019-12-31']).code).toBe(0);
  return { ws, scan };
}

describe('binder import / ocr / list --search with OCR', () => {
  it('import --no-ocr-wait leaves the scan 识别中; binder ocr reads it; list --search finds it by a word of its OCR text', () => {
    const { ws, scan } = workspaceAndScan('ws1');
    const imported = runCli(cli, ['import', ws, scan, '--no-ocr-wait']);
    expect(imported.code).toBe(0);
    expect(runCli(cli, ['list', ws]).stdout).toContain('识别中');
    expect((runCli(cli, ['list', ws, '--search', printed.marker, '--json']).json as Evidence[]).length).toBe(0);

    const ocr = runCli(cli, ['ocr', ws]);
    expect(ocr.code).toBe(0);
    expect(ocr.stderr).toContain('文字识别 1/1');
    expect(ocr.stdout).toContain('文字识别（OCR）完成 1 件');

    const found = runCli(cli, ['list', ws, '--search', printed.marker, '--json']).json as Evidence[];
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ docNumber: printed.docNumber, date: printed.date, type: 'official-document', textSource: 'ocr', ocrState: 'done' });
    expect(found[0].ocrConfidence).toBeGreaterThan(0.8);
    expect(runCli(cli, ['list', ws]).stdout).toMatch(/文字来自OCR（置信度 \d+%）/);
    expect(runCli(cli, ['list', ws, '--search', '没有这个词语', '--json']).json).toEqual([]);
  }, 600_000);

  it('import waits for OCR by default and reports what OCR found', () => {
    const { ws, scan } = workspaceAndScan('ws2');
    const r = runCli(cli, ['import', ws, scan, '--json']);
    expect(r.code).toBe(0);
    const report = r.json as { imported: { type: string; date?: string }[]; ocr: { done: number } };
    expect(report.ocr.done).toBe(1);
    expect(report.imported[0]).toMatchObject({ type: 'official-document', date: printed.date });
    expect(r.stderr).toContain('文字识别');
  }, 600_000);
});

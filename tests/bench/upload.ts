// Upload benchmark (issue 11): 200 files (100 multi-page PDFs + 100 phone photos) uploaded through the
// workbench in Debian's Chromium — the real page, the real browser host, raw streaming uploads — against
// `binder import` of the same folder. Goal: the upload within 1.5× of the CLI. Also prints the longest time the
// page's main thread was blocked during the upload (a 取消 click must be answered).
// Run: npm run bench -- upload   (options: --pdfs N --photos N); needs `npm run build` (dist/renderer, dist/cli).
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBenchCorpus } from '../helpers/bench-corpus.js';
import { startHost } from '../../electron/backend/host/server.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const PDFS = arg('pdfs', 100);
const PHOTOS = arg('photos', 100);
const repo = process.cwd();
const cli = path.join(repo, 'dist', 'cli', 'binder.mjs');
const rendererDir = path.join(repo, 'dist', 'renderer');
const root = mkdtempSync(path.join(os.tmpdir(), 'bench-upload-'));
const inbox = path.join(root, 'inbox');
mkdirSync(inbox);

const generate = () => writeBenchCorpus(inbox, PDFS, PHOTOS);

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  if (!existsSync(path.join(rendererDir, 'index.html')) || !existsSync(cli)) throw new Error('run `npm run build` first (dist/renderer and dist/cli are needed)');
  await generate();
  const files = readdirSync(inbox).map((f) => path.join(inbox, f));
  const totalBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  console.log(`inputs: ${PDFS} PDFs + ${PHOTOS} photos, ${(totalBytes / 1024 / 1024).toFixed(0)} MB`);

  // --- binder import of the folder (the desktop's import job, from the command line). Without waiting for OCR: the
  // browser host's upload does not run OCR either, so both sides time the same work.
  const cliWs = path.join(root, 'ws-cli');
  execFileSync(process.execPath, [cli, 'init', cliWs, '--template', 'east-west-2017', '--period', '2019-01-01..2019-12-31'], { stdio: 'ignore' });
  const c0 = performance.now();
  execFileSync(process.execPath, [cli, 'import', cliWs, inbox, '--no-ocr-wait'], { stdio: 'ignore', maxBuffer: 1 << 30 });
  const cliMs = performance.now() - c0;

  // --- the same files through the workbench in Chromium
  const uiWs = path.join(root, 'ws-ui');
  await (await Workspace.init(uiWs, { templateId: 'east-west-2017', periodStart: '2019-01-01', periodEnd: '2019-12-31' })).close();
  const host = await startHost({ workspaceDir: uiWs, rendererDir, stateDir: path.join(root, 'state'), demoDir: path.join(root, 'demo'), version: 'bench' });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 680 } });
    await page.goto(host.url);
    await page.getByRole('tab', { name: '材料库' }).click();
    // The page's responsiveness: how late a 50 ms timer fires while the upload runs.
    await page.evaluate(() => {
      const w = window as unknown as { maxTimerLateMs: number };
      w.maxTimerLateMs = 0;
      let last = performance.now();
      setInterval(() => {
        const now = performance.now();
        w.maxTimerLateMs = Math.max(w.maxTimerLateMs, now - last - 50);
        last = now;
      }, 50);
    });
    const u0 = performance.now();
    await page.getByTestId('upload-files').setInputFiles(files);
    await page.getByTestId('import-status').getByText('导入完成').waitFor({ timeout: 15 * 60_000 });
    const uiMs = performance.now() - u0;
    const status = (await page.getByTestId('import-status').locator('strong').first().textContent()) ?? '';
    const late = await page.evaluate(() => (window as unknown as { maxTimerLateMs: number }).maxTimerLateMs);
    console.log(`result shown: ${status}`);
    console.log(`binder import (CLI):           ${seconds(cliMs)}`);
    console.log(`upload through the workbench:  ${seconds(uiMs)}  (Chromium → POST /upload ×${files.length}, 4 in flight → import job)`);
    console.log(`ratio upload / CLI:            ${(uiMs / cliMs).toFixed(2)}×  (goal ≤ 1.5×)`);
    console.log(`page main thread, worst delay: ${late.toFixed(0)} ms`);
  } finally {
    await browser.close();
    await host.close();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();

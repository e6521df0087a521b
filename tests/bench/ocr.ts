// OCR benchmark (issue 8): synthetic red-header documents with a red seal over the 成文日期, half as image-only
// scanned PDFs, half as phone photos (perspective, uneven light, blur, noise, JPEG). Imports them into a new
// workspace, runs the background OCR, and prints 文号 / 日期 / type accuracy against what was printed, and the time
// per page (wall and CPU). Goal: ≥ 90 % each.
// Run: npm run bench -- ocr   (options: --count N, default 40; --from SEED, default 1; --engine paddle|tesseract;
// --write DIR only writes the documents into DIR, e.g. to measure `/usr/bin/time -f %M binder import` on them;
// --ocr-cache DIR keeps each document's OCR result in DIR by file name and reuses it in later runs: the scanned PDFs
// are not byte-identical between runs, so the workspace's SHA-256 cache cannot; this re-measures the extraction from
// the same OCR text in a minute instead of re-reading 40 pages)
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OcrWorkerPool } from '../../electron/backend/ocr/pool.js';
import { runPendingOcr } from '../../electron/backend/ocr/run.js';
import { importPaths } from '../../electron/backend/workspace/import.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';
import { buildOcrWorker } from '../helpers/ocr-worker.js';
import { mostOf, processFigures, type ProcessFigures } from '../helpers/proc.js';
import { degradeAsPhoto, degradeAsScan, imageOnlyPdf, makeScanSpec, renderDocumentPage, type ScanSpec } from '../helpers/scans.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const COUNT = Number(arg('count') ?? 40);
const FROM = Number(arg('from') ?? 1);
const engine = arg('engine');
const WRITE_ONLY = arg('write');
const OCR_CACHE = arg('ocr-cache');
if (engine) process.env.EVIDENCE_BINDER_OCR_ENGINE = engine;

const root = mkdtempSync(path.join(os.tmpdir(), 'bench-ocr-'));
const inbox = WRITE_ONLY ? path.resolve(WRITE_ONLY) : path.join(root, 'inbox');
mkdirSync(inbox, { recursive: true });

function pct(n: number, of: number): string {
  return `${n}/${of} = ${((100 * n) / of).toFixed(1)}%`;
}

async function main(): Promise<void> {
  // Neutral file names: everything must come from the page.
  const truth = new Map<string, ScanSpec & { kind: 'scan' | 'photo' }>();
  for (let seed = FROM; seed < FROM + COUNT; seed++) {
    const spec = makeScanSpec(seed);
    const page = await renderDocumentPage(spec);
    const kind = seed % 2 === 0 ? 'scan' : 'photo';
    const name = kind === 'scan' ? `扫描件${String(seed).padStart(3, '0')}.pdf` : `IMG_${String(seed).padStart(4, '0')}.jpg`;
    const bytes = kind === 'scan' ? await imageOnlyPdf([await degradeAsScan(page, seed)]) : await degradeAsPhoto(page, seed);
    writeFileSync(path.join(inbox, name), bytes);
    truth.set(name, { ...spec, kind });
  }
  if (WRITE_ONLY) {
    console.log(`${truth.size} documents written to ${inbox}`);
    rmSync(root, { recursive: true, force: true });
    return;
  }
  const ws = await Workspace.init(path.join(root, 'ws'), { templateId: 'east-west-2017', periodStart: '2019-01-01', periodEnd: '2019-12-31' });
  const i0 = performance.now();
  const report = await importPaths(ws, [inbox]);
  const importMs = performance.now() - i0;
  if (OCR_CACHE) {
    mkdirSync(OCR_CACHE, { recursive: true });
    for (const ev of await ws.listEvidence()) {
      const kept = path.join(OCR_CACHE, `${ev.originalName}.json`);
      if (existsSync(kept)) copyFileSync(kept, path.join(ws.cacheDir('ocr'), `${ev.sha256}.json`));
    }
  }
  const pool = new OcrWorkerPool(await buildOcrWorker());
  // The OCR runs in a child process: its CPU time and peak memory are read from /proc while it lives.
  const children = new Map<number, ProcessFigures>();
  const sampleChild = () => {
    const pid = pool.pid;
    const s = pid === undefined ? undefined : processFigures(pid);
    if (pid !== undefined && s) children.set(pid, mostOf(children.get(pid), s));
  };
  const sampler = setInterval(sampleChild, 200);
  const perItem: number[] = [];
  let last = performance.now();
  let lastDone = 0;
  const cpu0 = process.cpuUsage();
  const o0 = performance.now();
  const ocr = await runPendingOcr(ws, {
    pool,
    onProgress: (e) => {
      if (e.done > lastDone) {
        const now = performance.now();
        perItem.push(now - last);
        last = now;
        lastDone = e.done;
        process.stderr.write(`\r文字识别 ${e.done}/${e.total}`);
      }
    },
  });
  const ocrMs = performance.now() - o0;
  const cpu = process.cpuUsage(cpu0);
  sampleChild();
  clearInterval(sampler);
  await pool.close();
  const childCpuS = [...children.values()].reduce((n, c) => n + c.cpuS, 0);
  const childHwmKb = Math.max(0, ...[...children.values()].map((c) => c.hwmKb));
  process.stderr.write('\n');
  if (OCR_CACHE) {
    for (const ev of await ws.listEvidence()) {
      const entry = path.join(ws.cacheDir('ocr'), `${ev.sha256}.json`);
      if (existsSync(entry)) copyFileSync(entry, path.join(OCR_CACHE, `${ev.originalName}.json`));
    }
  }

  let docNumber = 0;
  let date = 0;
  let type = 0;
  let textSource = 0;
  const misses: string[] = [];
  for (const ev of await ws.listEvidence()) {
    const t = truth.get(ev.originalName);
    if (!t) continue;
    const okNo = ev.docNumber === t.docNumber;
    const okDate = ev.date === t.date;
    const okType = ev.type === t.type;
    docNumber += okNo ? 1 : 0;
    date += okDate ? 1 : 0;
    type += okType ? 1 : 0;
    textSource += ev.textSource === 'ocr' ? 1 : 0;
    if (!okNo || !okDate || !okType) {
      misses.push(
        `  ${ev.originalName} (${t.kind}): ` +
          [
            okNo ? '' : `文号 ${ev.docNumber ?? '—'} ≠ ${t.docNumber}`,
            okDate ? '' : `日期 ${ev.date ?? '—'} ≠ ${t.date}（${t.dateText}）`,
            okType ? '' : `类型 ${ev.type} ≠ ${t.type}`,
          ]
            .filter(Boolean)
            .join('；'),
      );
    }
  }
  const n = truth.size;
  const sorted = [...perItem].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  console.log(`documents: ${n} (${Math.ceil(n / 2)} phone photos, ${Math.floor(n / 2)} scanned PDFs), imported ${report.imported.length}`);
  console.log(`import (without OCR): ${(importMs / 1000).toFixed(1)} s`);
  console.log(`OCR: ${ocr.done} done, ${ocr.failed.length} failed; textSource 'ocr' ${textSource}/${n}`);
  console.log(`文号 accuracy: ${pct(docNumber, n)}`);
  console.log(`日期 accuracy: ${pct(date, n)}`);
  console.log(`type accuracy: ${pct(type, n)}`);
  console.log(
    `time per page: mean ${(ocrMs / n / 1000).toFixed(1)} s wall, median ${(median / 1000).toFixed(1)} s, ` +
      `CPU ${(((cpu.user + cpu.system) / 1e6 + childCpuS) / n).toFixed(1)} s (all threads, this process and the OCR process); ` +
      `load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores`,
  );
  console.log(`OCR process peak (VmHWM): ${childHwmKb.toLocaleString('en-US')} KB`);
  if (misses.length) console.log(`misses:\n${misses.join('\n')}`);
  await ws.close();
  rmSync(root, { recursive: true, force: true });
}

await main();

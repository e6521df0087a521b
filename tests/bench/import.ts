// Import benchmark (issue: 100 multi-page PDFs + 100 phone-size photos). Prints the import time and peak memory,
// and in the same run the floor: sha256sum + pdftotext + exiftool over the same files. Goal: within 2× the floor.
// Run: npm run bench -- import   (options: --pdfs N --photos N --engine sqlite|postgres)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBenchCorpus } from '../helpers/bench-corpus.js';
import { importPaths } from '../../electron/backend/workspace/import.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';
import { benchDatabase } from '../helpers/bench-engine.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const PDFS = arg('pdfs', 100);
const PHOTOS = arg('photos', 100);
const root = mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
const inbox = path.join(root, 'inbox');
mkdirSync(inbox);

const generate = () => writeBenchCorpus(inbox, PDFS, PHOTOS);

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  await generate();
  const files = readdirSync(inbox).map((f) => path.join(inbox, f));
  const totalBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  const photoBytes = files.filter((f) => f.endsWith('.jpg')).map((f) => statSync(f).size);
  console.log(
    `inputs: ${PDFS} PDFs + ${PHOTOS} photos, ${mb(totalBytes)} in all (photos ${mb(Math.min(...photoBytes))}–${mb(Math.max(...photoBytes))}); generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  // Floor: what the command-line tools need to hash, read the text and the EXIF of the same files.
  const pdfs = files.filter((f) => f.endsWith('.pdf'));
  const photos = files.filter((f) => f.endsWith('.jpg'));
  const f0 = performance.now();
  execFileSync('sha256sum', files, { stdio: 'ignore', maxBuffer: 1 << 30 });
  for (const f of pdfs) execFileSync('pdftotext', ['-q', f, '-'], { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 });
  execFileSync('exiftool', ['-q', '-json', '-DateTimeOriginal', '-GPSLatitude', '-Orientation', ...photos], { stdio: 'ignore', maxBuffer: 1 << 30 });
  const floorMs = performance.now() - f0;

  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const engine = await benchDatabase();
  const ws = await Workspace.init(path.join(root, 'ws'), { templateId: 'east-west-2017', periodStart: '2019-01-01', periodEnd: '2019-12-31', database: engine.database });
  const i0 = performance.now();
  const report = await importPaths(ws, [inbox]);
  const importMs = performance.now() - i0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  await ws.close();
  engine.stop();

  console.log(`engine: ${engine.engine}`);
  console.log(`imported ${report.imported.length}, duplicates ${report.duplicates.length}, rejected ${report.rejected.length}`);
  console.log(`floor (sha256sum + pdftotext + exiftool): ${(floorMs / 1000).toFixed(2)} s`);
  console.log(`binder import:                           ${(importMs / 1000).toFixed(2)} s  (${(importMs / (PDFS + PHOTOS)).toFixed(0)} ms a file)`);
  console.log(`ratio import / floor:                    ${(importMs / floorMs).toFixed(2)}×  (goal ≤ 2×)`);
  console.log(`peak RSS during import:                  ${mb(peak)}`);
  rmSync(root, { recursive: true, force: true });
}

await main();

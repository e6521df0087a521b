// Import benchmark (issue: 100 multi-page PDFs + 100 phone-size photos). Prints the import time and peak memory,
// and in the same run the floor: sha256sum + pdftotext + exiftool over the same files. Goal: within 2× the floor.
// Run: npm run bench -- import   (options: --pdfs N --photos N --engine sqlite|postgres)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findDemoFont } from '../../electron/backend/demo/demo-files.js';
import { makePdf, makePhoto } from '../../electron/backend/demo/synth.js';
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

const paragraph =
  '根据东西部扶贫协作工作安排，县人社局会同结对帮扶方组织开展劳务协作，围绕转移就业、技能培训、稳岗就业等重点任务，' +
  '建立健全劳务输出对接机制，切实提高组织化程度，确保建档立卡贫困劳动力稳定就业、持续增收。';

async function generate(): Promise<void> {
  const font = findDemoFont();
  for (let i = 0; i < PDFS; i++) {
    const pages = Array.from({ length: 2 + (i % 5) }, (_, p) => ({
      lines: [
        p === 0 ? `关于2019年东西部扶贫协作第${i + 1}项工作的报告` : `（第${p + 1}页）`,
        `青人社发〔2019〕${i + 1}号`,
        ...Array.from({ length: 12 }, () => paragraph),
        '青山县人力资源和社会保障局',
        `2019年${(i % 12) + 1}月${(i % 27) + 1}日`,
      ],
    }));
    writeFileSync(path.join(inbox, `报告_${String(i).padStart(3, '0')}.pdf`), await makePdf({ pages, font: font.bytes, fontName: font.fontName }));
  }
  for (let i = 0; i < PHOTOS; i++) {
    const photo = await makePhoto({
      width: 3000,
      height: 2000,
      seed: 1000 + i,
      quality: 90,
      takenAt: `2019-${String((i % 12) + 1).padStart(2, '0')}-15T10:${String(i % 60).padStart(2, '0')}:00`,
      gps: { lat: 26.5 + i / 1000, lon: 107.5 },
    });
    writeFileSync(path.join(inbox, `IMG_2019_${String(i).padStart(4, '0')}.jpg`), photo);
  }
}

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

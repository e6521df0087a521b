// Import benchmark, two sets with the same 100 phone-size photos:
//  - "embedded": 100 multi-page PDFs with an embedded (subset) CJK font, as before (goal ≤ 1.5× the floor);
//  - "non-embedded": 100 Chinese PDFs naming STSong-Light with the predefined UniGB-UCS2-H CMap and no font file,
//    as government and OA systems export them (issue 8; goal ≤ 2× the floor).
// For each set it prints the import time, the peak RSS, and in the same run the floor: sha256sum + pdftotext +
// exiftool over the same files.
// Run: npm run bench -- import   (options: --pdfs N --photos N --set embedded,non-embedded,non-embedded-stock --engine sqlite|postgres)
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findDemoFont } from '../../electron/backend/demo/demo-files.js';
import { chineseNonEmbeddedPdf } from '../helpers/raw-pdf.js';
import { makePdf, makePhoto } from '../../electron/backend/demo/synth.js';
import { importPaths } from '../../electron/backend/workspace/import.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';
import { benchDatabase } from '../helpers/bench-engine.js';

const engine = await benchDatabase();

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const PDFS = arg('pdfs', 100);
const PHOTOS = arg('photos', 100);
const setArg = process.argv.indexOf('--set');
const SETS = (setArg > 0 ? process.argv[setArg + 1].split(',') : ['embedded', 'non-embedded', 'non-embedded-stock']) as SetName[];
// "non-embedded-stock": the same Chinese PDFs read with pdf.js's stock worker, which parses the CMap per document
// (electron/backend/intake/readers/pdfjs-worker.ts keeps it), to compare in the same run and load.
type SetName = 'embedded' | 'non-embedded' | 'non-embedded-stock';
const root = mkdtempSync(path.join(os.tmpdir(), 'bench-import-'));
const photoDir = path.join(root, 'photos');
mkdirSync(photoDir);

const paragraph =
  '根据东西部扶贫协作工作安排，县人社局会同结对帮扶方组织开展劳务协作，围绕转移就业、技能培训、稳岗就业等重点任务，' +
  '建立健全劳务输出对接机制，切实提高组织化程度，确保建档立卡贫困劳动力稳定就业、持续增收。';

function reportLines(i: number, p: number): string[] {
  return [
    p === 0 ? `关于2019年东西部扶贫协作第${i + 1}项工作的报告` : `（第${p + 1}页）`,
    `青人社发〔2019〕${i + 1}号`,
    ...Array.from({ length: 12 }, () => paragraph),
    '青山县人力资源和社会保障局',
    `2019年${(i % 12) + 1}月${(i % 27) + 1}日`,
  ];
}

async function generatePdfs(set: SetName, dir: string): Promise<void> {
  const font = set === 'embedded' ? findDemoFont() : undefined;
  for (let i = 0; i < PDFS; i++) {
    const pages = Array.from({ length: 2 + (i % 5) }, (_, p) => reportLines(i, p));
    const bytes = font
      ? await makePdf({ pages: pages.map((lines) => ({ lines })), font: font.bytes, fontName: font.fontName })
      : chineseNonEmbeddedPdf(pages.map((lines) => lines.flatMap((l) => (l.length > 30 ? l.match(/.{1,30}/g) ?? [] : [l]))));
    writeFileSync(path.join(dir, `报告_${String(i).padStart(3, '0')}.pdf`), bytes);
  }
}

async function generatePhotos(): Promise<void> {
  for (let i = 0; i < PHOTOS; i++) {
    const photo = await makePhoto({
      width: 3000,
      height: 2000,
      seed: 1000 + i,
      quality: 90,
      takenAt: `2019-${String((i % 12) + 1).padStart(2, '0')}-15T10:${String(i % 60).padStart(2, '0')}:00`,
      gps: { lat: 26.5 + i / 1000, lon: 107.5 },
    });
    writeFileSync(path.join(photoDir, `IMG_2019_${String(i).padStart(4, '0')}.jpg`), photo);
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

async function runSet(set: SetName): Promise<void> {
  if (set === 'non-embedded-stock') process.env.EVIDENCE_BINDER_PDFJS_STOCK = '1';
  else delete process.env.EVIDENCE_BINDER_PDFJS_STOCK;
  const inbox = path.join(root, `inbox-${set}`);
  mkdirSync(inbox);
  const t0 = performance.now();
  await generatePdfs(set, inbox);
  for (const f of readdirSync(photoDir)) linkSync(path.join(photoDir, f), path.join(inbox, f));
  const files = readdirSync(inbox).map((f) => path.join(inbox, f));
  const totalBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  console.log(`\n--- set "${set}": ${PDFS} PDFs (${set === 'embedded' ? 'embedded subset font' : 'STSong-Light + UniGB-UCS2-H, no font embedded'}) + ${PHOTOS} photos, ${mb(totalBytes)}; PDFs generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

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
  const ws = await Workspace.init(path.join(root, `ws-${set}`), { templateId: 'east-west-2017', periodStart: '2019-01-01', periodEnd: '2019-12-31', database: engine.database });
  const i0 = performance.now();
  const report = await importPaths(ws, [inbox]);
  const importMs = performance.now() - i0;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const dated = (await ws.listEvidence()).filter((ev) => ev.format === 'pdf' && ev.docNumber && ev.date).length;
  await ws.close();

  const goal = set === 'embedded' ? 1.5 : 2;
  console.log(`[${set}, ${engine.engine}]`);
  console.log(`imported ${report.imported.length}, duplicates ${report.duplicates.length}, rejected ${report.rejected.length}; PDFs with 文号 and 日期 read: ${dated}/${PDFS}`);
  console.log(`floor (sha256sum + pdftotext + exiftool): ${(floorMs / 1000).toFixed(2)} s`);
  console.log(`binder import:                           ${(importMs / 1000).toFixed(2)} s  (${(importMs / (PDFS + PHOTOS)).toFixed(0)} ms a file)`);
  console.log(`ratio import / floor:                    ${(importMs / floorMs).toFixed(2)}×  (goal ≤ ${goal}×)`);
  console.log(`peak RSS during import:                  ${mb(peak)}`);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  await generatePhotos();
  console.log(`${PHOTOS} photos generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  try {
    for (const set of SETS) await runSet(set);
  } finally {
    engine.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();

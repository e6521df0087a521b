/**
 * Binder build benchmark: plan + render of a generated workspace, against the floor of plain tools
 * (qpdf merging the same PDFs, img2pdf putting the same photos on A4).
 *
 *   node scripts/bench.mjs build                 100 text PDFs (2–6 pages) + 100 phone photos (3000×2000)
 *   node scripts/bench.mjs build --pages=3000    a ~3,000-page workspace: peak memory must stay bounded
 *
 * Goal: within 2× of the floor, peak RSS under 1 GB.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';
import sharp from 'sharp';
import { buildBinderPlan } from '../../shared/binder/plan.js';
import type { Evidence, Framework, GapReport, WorkspaceSettings } from '../../shared/domain/types.js';
import { chooseFonts } from '../../electron/backend/fonts.js';
import { renderPdfVolume } from '../../electron/backend/generators/pdf/index.js';

const args = process.argv.slice(2);
const pagesArg = args.find((a) => a.startsWith('--pages'));
const targetPages = pagesArg ? Number(pagesArg.split('=')[1] ?? args[args.indexOf(pagesArg) + 1] ?? 3000) : 0;

const root = path.resolve('tests/.tmp/bench-build');
const fixtures = path.join(root, 'fixtures');
const out = path.join(root, 'out');
mkdirSync(fixtures, { recursive: true });
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const BASE_PDFS = 100;
const BASE_PHOTOS = 100;

/** Deterministic pseudo-random (bench inputs must be the same every run). */
let seed = 42;
const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

async function makeFixtures(): Promise<{ pdfs: string[]; photos: string[] }> {
  const pdfs: string[] = [];
  const photos: string[] = [];
  for (let i = 0; i < BASE_PDFS; i++) {
    const file = path.join(fixtures, `doc-${i}.pdf`);
    pdfs.push(file);
    if (existsSync(file)) continue;
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const pages = 2 + (i % 5);
    for (let p = 0; p < pages; p++) {
      const page = doc.addPage([595.28, 841.89]);
      for (let l = 0; l < 45; l++) page.drawText(`Document ${i} page ${p + 1} line ${l + 1}: lorem ipsum dolor sit amet`, { x: 50, y: 800 - l * 17, size: 10, font });
    }
    writeFileSync(file, await doc.save());
  }
  for (let i = 0; i < BASE_PHOTOS; i++) {
    const file = path.join(fixtures, `photo-${i}.jpg`);
    photos.push(file);
    if (existsSync(file)) continue;
    // Noise compresses like a detailed phone photo: ~2 MB at 3000×2000.
    await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 22 } } })
      .jpeg({ quality: 72 })
      .withMetadata({ orientation: i % 4 === 0 ? 6 : 1 })
      .toFile(file);
  }
  return { pdfs, photos };
}

function pagesOf(i: number): number {
  return 2 + (i % 5);
}

function framework(): Framework {
  const titles = ['组织领导', '人才交流', '资金使用', '产业合作', '劳务协作', '携手奔小康', '消费扶贫'];
  return {
    id: 'bench',
    title: '东西部扶贫协作考核（基准）',
    categories: titles.map((title, c) => ({
      code: String(c + 1),
      title,
      indicators: [1, 2, 3].map((k) => ({
        code: `${c + 1}.${k}`,
        title: `${title}指标${k}`,
        requirements: [{ id: `${c + 1}.${k}-1`, title: '正式文件', type: 'official-document' as const, min: 1, period: 'once' as const, mandatory: true }],
        targets: [],
      })),
    })),
  };
}

function peakRssLinux(): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) of this process and of its waited-for children, from /proc (Linux). */
function cpuSeconds(): { self: number; children: number } | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
    // Fields after "(comm) ": state is [0], so utime/stime/cutime/cstime (stat 14–17) are [11]–[14]; 100 ticks/s.
    const tick = 100;
    return { self: (Number(fields[11]) + Number(fields[12])) / tick, children: (Number(fields[13]) + Number(fields[14])) / tick };
  } catch {
    return undefined;
  }
}

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const t0 = Date.now();
  const { pdfs, photos } = await makeFixtures();
  console.log(`fixtures ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (${fixtures})`);

  // Workspace: 100 + 100, or scaled to about targetPages numbered pages (files reused under new ids).
  let nPdf = BASE_PDFS;
  let nPhoto = BASE_PHOTOS;
  if (targetPages > 0) {
    // Average PDF is 4 pages; photos are 2 per page: 4·n + n/2·… → keep the 1:2 mix of the default run.
    nPdf = Math.round(targetPages / 5);
    nPhoto = nPdf * 2;
  }
  const fw = framework();
  const codes = fw.categories.flatMap((c) => c.indicators.map((i) => i.code));
  const evidence: Evidence[] = [];
  const shaOf = new Map<string, string>();
  for (let i = 0; i < nPdf; i++) {
    const file = pdfs[i % BASE_PDFS];
    const sha = `pdf${i % BASE_PDFS}`;
    shaOf.set(sha, file);
    evidence.push({
      id: evidence.length + 1,
      sha256: sha,
      size: statSync(file).size,
      originalName: `文件${i}.pdf`,
      source: file,
      format: 'pdf',
      type: 'official-document',
      typeOrigin: 'user',
      typeConfidence: 1,
      title: `关于第${i}项工作的通知`,
      date: `2019-${String(1 + (i % 12)).padStart(2, '0')}-15`,
      pages: pagesOf(i % BASE_PDFS),
      readability: 'ok',
      links: [{ indicator: codes[i % codes.length], origin: 'user', confidence: 1 }],
      importedAt: '2019-12-01T00:00:00Z',
      updatedAt: '2019-12-01T00:00:00Z',
    });
  }
  for (let i = 0; i < nPhoto; i++) {
    const file = photos[i % BASE_PHOTOS];
    const sha = `photo${i % BASE_PHOTOS}`;
    shaOf.set(sha, file);
    evidence.push({
      id: evidence.length + 1,
      sha256: sha,
      size: statSync(file).size,
      originalName: `IMG_${i}.jpg`,
      source: file,
      format: 'jpeg',
      type: 'photo',
      typeOrigin: 'user',
      typeConfidence: 1,
      title: `活动照片${i}`,
      date: `2019-${String(1 + (i % 12)).padStart(2, '0')}-15`,
      readability: 'ok',
      caption: { subject: `活动照片${i}`, place: '县政府', photographer: '摄影者' },
      links: [{ indicator: codes[Math.floor(rand() * codes.length)], origin: 'user', confidence: 1 }],
      importedAt: '2019-12-01T00:00:00Z',
      updatedAt: '2019-12-01T00:00:00Z',
    });
  }
  const settings: WorkspaceSettings = { title: '某县2019年东西部扶贫协作考核', unit: '某县协作办', periodStart: '2019-01-01', periodEnd: '2019-12-31', frameworkId: 'bench' };
  const gaps: GapReport = { summary: { completeness: 0, counts: { error: 0, warning: 0, info: 0 }, categories: [], departments: [] }, findings: [] };

  let sampledPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  }, 50);
  const fonts = chooseFonts();
  const cpu0 = cpuSeconds();
  const start = Date.now();
  const plan = buildBinderPlan(fw, settings, evidence, gaps, [], {}, { generatedAt: '2019-12-20T00:00:00Z' });
  const planMs = Date.now() - start;
  let pages = 0;
  let bytes = 0;
  for (let v = 0; v < plan.volumes.length; v++) {
    // One volume at a time: its bytes go to disk before the next one starts.
    const r = await renderPdfVolume(plan, v, { originalPath: (sha) => shaOf.get(sha) ?? '', cacheDir: () => out }, { fonts, converted: new Map() });
    writeFileSync(path.join(out, `volume-${v + 1}.pdf`), r.bytes);
    pages += r.pages;
    bytes += r.bytes.length;
    if (r.warnings.length) console.log(`  volume ${v + 1} warnings: ${r.warnings.length}`);
    if (targetPages > 0) {
      const m = process.memoryUsage();
      console.log(`  volume ${v + 1}: ${r.pages} pages, ${mb(r.bytes.length)}; rss ${mb(m.rss)}, heap ${mb(m.heapUsed)}, buffers ${mb(m.arrayBuffers)}, peak so far ${mb(sampledPeak)}`);
    }
  }
  const buildMs = Date.now() - start;
  const cpu1 = cpuSeconds();
  clearInterval(sampler);
  const peak = Math.max(sampledPeak, peakRssLinux() ?? 0);

  console.log(`workspace: ${nPdf} PDFs, ${nPhoto} photos → ${plan.volumes.length} volumes, ${pages} pages, ${mb(bytes)}`);
  console.log(`plan: ${planMs} ms; plan + render: ${(buildMs / 1000).toFixed(2)} s`);
  console.log(`peak RSS: ${mb(peak)} (goal < 1024 MB)`);
  // Wall time swings when other processes share the machine; CPU time shows the work itself.
  const ourCpu = cpu0 && cpu1 ? cpu1.self - cpu0.self : undefined;
  if (ourCpu !== undefined) console.log(`cpu: ${ourCpu.toFixed(2)} s (user + system, all threads)`);

  if (targetPages === 0) {
    // Floor: the same PDFs merged by qpdf, the same photos put on A4 by img2pdf.
    const c0 = cpuSeconds();
    const f0 = Date.now();
    const q = spawnSync('qpdf', ['--empty', '--pages', ...pdfs.slice(0, nPdf), '--', path.join(out, 'floor.pdf')]);
    const qMs = Date.now() - f0;
    const f1 = Date.now();
    const im = spawnSync('img2pdf', ['--pagesize', 'A4', ...photos.slice(0, nPhoto), '-o', path.join(out, 'photos.pdf')]);
    const iMs = Date.now() - f1;
    const c1 = cpuSeconds();
    if (q.status !== 0 || im.status !== 0) {
      console.log(`floor tools failed: qpdf ${q.status} ${q.stderr}; img2pdf ${im.status} ${im.stderr}`);
    } else {
      const floor = qMs + iMs;
      console.log(`floor: qpdf ${qMs} ms + img2pdf ${iMs} ms = ${floor} ms`);
      console.log(`ratio (ours / floor): ${(buildMs / floor).toFixed(2)}× (goal ≤ 2×)`);
      if (c0 && c1 && ourCpu !== undefined) {
        const floorCpu = c1.children - c0.children;
        console.log(`cpu floor: ${floorCpu.toFixed(2)} s; cpu ratio: ${(ourCpu / floorCpu).toFixed(2)}×`);
      }
    }
  }
}

await main();

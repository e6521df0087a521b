// OCR memory benchmark (issue 8: "peak RSS of any import under 1 GB"). Writes the OCR bench's first scans (half
// phone photos, half image-only scanned PDFs), then runs the built CLI as a user would:
//   /usr/bin/time -f '%M …' node dist/cli/binder.mjs import <ws> <scans>   (waits for OCR)
// and samples /proc/<pid>/status VmHWM of the CLI and of every process below it (the OCR child) until they exit.
// Prints /usr/bin/time's %M (the largest single process, as the issue measures it), each process's peak, their sum,
// CPU time (user + sys of the CLI and its children: the machine is shared, wall time is not comparable) per page,
// and 文号 / 日期 / type of the imported items against what was printed.
// Run: npm run bench -- ocr-memory   (options: --count N, default 8; --from SEED, default 1; --cli FILE, default
// dist/cli/binder.mjs, built first with scripts/build.mjs unless --no-build)
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mostOf, processFigures, type ProcessFigures } from '../helpers/proc.js';
import { degradeAsPhoto, degradeAsScan, imageOnlyPdf, makeScanSpec, renderDocumentPage, type ScanSpec } from '../helpers/scans.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

const COUNT = Number(arg('count') ?? 8);
const FROM = Number(arg('from') ?? 1);
const checkout = process.cwd();
const cli = path.resolve(arg('cli') ?? path.join(checkout, 'dist', 'cli', 'binder.mjs'));
if (!arg('cli') && !process.argv.includes('--no-build')) execFileSync(process.execPath, [path.join(checkout, 'scripts', 'build.mjs')], { stdio: 'ignore' });

const root = mkdtempSync(path.join(os.tmpdir(), 'bench-ocr-memory-'));
const inbox = path.join(root, 'scans');
mkdirSync(inbox);

/** Every process below `pid` (children, grandchildren), from /proc. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone between readdir and read.
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

const shortCommand = (command: string) => command.split(' ').map((a) => path.basename(a)).join(' ').slice(0, 60);
const kb = (n: number) => `${n.toLocaleString('en-US')} KB`;

async function main(): Promise<void> {
  const truth = new Map<string, ScanSpec>();
  for (let seed = FROM; seed < FROM + COUNT; seed++) {
    const spec = makeScanSpec(seed);
    const page = await renderDocumentPage(spec);
    // The same names and kinds as the OCR bench (tests/bench/ocr.ts).
    const name = seed % 2 === 0 ? `扫描件${String(seed).padStart(3, '0')}.pdf` : `IMG_${String(seed).padStart(4, '0')}.jpg`;
    writeFileSync(path.join(inbox, name), seed % 2 === 0 ? await imageOnlyPdf([await degradeAsScan(page, seed)]) : await degradeAsPhoto(page, seed));
    truth.set(name, spec);
  }
  const ws = path.join(root, 'ws');
  execFileSync(process.execPath, [cli, 'init', ws, '--template', 'east-west-2017', '--period', '2019-01-01..2019-12-31'], { stdio: 'ignore' });

  const timeFile = path.join(root, 'time.txt');
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-o', timeFile, '-f', '%M %U %S %e', process.execPath, cli, 'import', ws, inbox], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const seen = new Map<number, ProcessFigures>();
  const timer = setInterval(() => {
    if (!child.pid) return;
    for (const pid of descendants(child.pid)) {
      const s = processFigures(pid);
      if (s) seen.set(pid, mostOf(seen.get(pid), s));
    }
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  const wallS = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`binder import exited ${code}:\n${stderr}`);
  const [maxRssKb, user, sys] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).map(Number);

  const listed = JSON.parse(execFileSync(process.execPath, [cli, 'list', ws, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 })) as {
    originalName: string;
    docNumber?: string;
    date?: string;
    type: string;
    textSource?: string;
  }[];
  let [docNumber, date, type] = [0, 0, 0];
  for (const ev of listed) {
    const t = truth.get(ev.originalName);
    if (!t) continue;
    docNumber += ev.docNumber === t.docNumber ? 1 : 0;
    date += ev.date === t.date ? 1 : 0;
    type += ev.type === t.type ? 1 : 0;
  }

  console.log(`scans: ${COUNT} (seeds ${FROM}–${FROM + COUNT - 1}: ${Math.ceil(COUNT / 2)} phone photos, ${Math.floor(COUNT / 2)} scanned PDFs); CLI ${path.relative(checkout, cli)}`);
  console.log(`/usr/bin/time %M (largest process): ${kb(maxRssKb)}`);
  // Heaviest first: the OCR process, then the CLI (node <cli> import …), then helpers (/usr/bin/time is not below itself).
  const processes = [...seen.entries()].sort((a, b) => b[1].hwmKb - a[1].hwmKb);
  for (const [pid, s] of processes) console.log(`  pid ${pid} ${shortCommand(s.command)}: VmHWM ${kb(s.hwmKb)}, CPU ${s.cpuS.toFixed(1)} s`);
  console.log(`sum of process peaks: ${kb(processes.reduce((n, [, s]) => n + s.hwmKb, 0))}`);
  console.log(`CPU (user + sys, CLI and children): ${(user + sys).toFixed(1)} s = ${((user + sys) / COUNT).toFixed(1)} s per page; wall ${wallS.toFixed(1)} s; load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores`);
  console.log(`文号 ${docNumber}/${COUNT}, 日期 ${date}/${COUNT}, type ${type}/${COUNT}`);
  rmSync(root, { recursive: true, force: true });
}

await main();

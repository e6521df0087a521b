// Team server load benchmark (issue 12): on loopback, 30 department users each upload 10 files into their own
// requirements (POST /upload?requirement=…) while 5 office users make ordinary calls (evidence.list,
// evidence.update, gaps.get, targets.set) and one build runs. Prints files stored vs sent (nothing lost), errors
// (any "database is locked"), p50/p95/max latency of the ordinary calls (goal p95 < 300 ms) and the CPU load.
// Run: npm run bench -- team [--engine sqlite|postgres] [--users 30] [--files 10] [--office 5] [--budget S]
// --budget S: department users send no new file after S seconds (a loaded machine cannot finish 300 imports in
// reasonable time); the figures then count what was sent.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makePhoto } from '../../electron/backend/demo/synth.js';
import { flateStream, rawPdf } from '../helpers/raw-pdf.js';
import { listIndicators } from '../../shared/framework/schema.js';
import { Accounts } from '../../electron/backend/team/accounts.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';
import { benchDatabase } from '../helpers/bench-engine.js';
import { buildCli } from '../helpers/cli.js';
import { TeamClient } from '../helpers/team-client.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const USERS = arg('users', 30);
const FILES = arg('files', 10);
const OFFICE = arg('office', 5);
const BUDGET_MS = arg('budget', Infinity) * 1000;
const PASSWORD = 'bench-密码-2019';

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
const ms = (n: number) => `${n.toFixed(0)} ms`;

/** A one-page text PDF, written directly (quick to make for hundreds of files on a loaded machine). */
function smallPdf(lines: string[]): Buffer {
  const text = lines.map((l, i) => `BT /F1 12 Tf 72 ${760 - i * 18} Td (${l}) Tj ET`).join('\n');
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    flateStream(text),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

/** Small, distinct files a department sends: one-page PDFs and 640×480 phone photos. */
async function makeFiles(count: number, user: number): Promise<{ name: string; bytes: Buffer }[]> {
  const out: { name: string; bytes: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      const pdf = smallPdf([`Report ${user + 1}-${i + 1} on East-West cooperation`, `Qingshan document 2019 No. ${user * 100 + i + 1}`, `Dated 2019-${String((i % 12) + 1).padStart(2, '0')}-${String((user % 27) + 1).padStart(2, '0')}`]);
      out.push({ name: `报告_${user}_${i}.pdf`, bytes: pdf });
    } else {
      const photo = await makePhoto({ width: 640, height: 480, seed: user * 1000 + i, quality: 80, takenAt: `2019-06-${String((i % 27) + 1).padStart(2, '0')}T10:00:00` });
      out.push({ name: `IMG_2019_${user}_${i}.jpg`, bytes: Buffer.from(photo) });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const db = await benchDatabase();
  const root = mkdtempSync(path.join(os.tmpdir(), 'bench-team-'));
  let server: ReturnType<typeof spawn> | undefined;
  let cli: string | null = null;
  try {
    const wsDir = path.join(root, 'ws');
    const ws = await Workspace.init(wsDir, { templateId: 'east-west-2017', periodStart: '2019-01-01', periodEnd: '2019-12-31', database: db.database });
    // Departments and their requirements, as the framework names them (牵头单位).
    const byDepartment = new Map<string, string[]>();
    for (const { indicator } of listIndicators(ws.framework())) {
      if (!indicator.department || indicator.department === '县协作办') continue;
      byDepartment.set(indicator.department, [...(byDepartment.get(indicator.department) ?? []), ...indicator.requirements.map((r) => r.id)]);
    }
    const departments = [...byDepartment.keys()];
    const accounts = new Accounts(ws.users);
    await accounts.add({ name: 'admin', role: 'admin', departments: [], password: PASSWORD });
    for (let o = 0; o < OFFICE; o++) await accounts.add({ name: `office${o}`, role: 'office', departments: [], password: PASSWORD });
    for (let u = 0; u < USERS; u++) await accounts.add({ name: `dept${u}`, role: 'department', departments: [departments[u % departments.length]], password: PASSWORD });
    await ws.close();

    console.log(`engine: ${db.engine}; ${USERS} department users × ${FILES} files, ${OFFICE} office users, 1 build`);
    const g0 = performance.now();
    const files = await Promise.all(Array.from({ length: USERS }, (_, u) => makeFiles(FILES, u)));
    const seed = await makeFiles(OFFICE, 999);
    const sentBytes = files.flat().reduce((s, f) => s + f.bytes.length, 0);
    console.log(`generated ${USERS * FILES} files (${(sentBytes / 1024 / 1024).toFixed(1)} MB) in ${((performance.now() - g0) / 1000).toFixed(1)} s`);

    // The server in its own process, as `binder serve --team` runs it.
    // Bundled from the checkout, so the server is the code under test, not a stale dist/.
    cli = await buildCli();
    mkdirSync(path.join(root, 'dist', 'renderer'), { recursive: true });
    writeFileSync(path.join(root, 'dist', 'renderer', 'index.html'), '<!doctype html><title>bench</title>');
    server = spawn(process.execPath, [cli, 'serve', wsDir, '--team', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env } });
    let serverLog = '';
    server.stderr!.on('data', (c: Buffer) => (serverLog += c.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      server!.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
        if (m) resolve(Number(m[1]));
      });
      server!.on('exit', () => reject(new Error(`server stopped: ${out}${serverLog}`)));
    });

    const login = async (name: string) => {
      const c = new TeamClient(port);
      const res = await c.login(name, PASSWORD);
      if (res.status !== 200) throw new Error(`login ${name}: ${res.status} ${res.body.toString()}`);
      return c;
    };
    const office = await Promise.all(Array.from({ length: OFFICE }, (_, o) => login(`office${o}`)));
    const depts = await Promise.all(Array.from({ length: USERS }, (_, u) => login(`dept${u}`)));

    // The office's own items to edit during the run.
    const officeItems: number[] = [];
    for (const [i, f] of seed.entries()) {
      const res = await office[0].upload('1.1-1', f.name, f.bytes);
      const report = res.json().data as { imported: { id: number }[] };
      officeItems.push(...report.imported.map((r) => r.id));
      if (!report.imported.length) throw new Error(`seed upload ${i} stored nothing: ${res.body.toString()}`);
    }

    const errors: string[] = [];
    const latencies = new Map<string, number[]>();
    const load: number[] = [];
    const loadTimer = setInterval(() => load.push(os.loadavg()[0]), 1000);
    let uploadsDone = false;
    const t0 = performance.now();

    // One build of the review edition, started as the load begins.
    const build = (async () => {
      const b0 = performance.now();
      const { jobId } = await office[0].ok<{ jobId: string }>('binder.build', { formats: ['pdf'], edition: 'review' });
      for (;;) {
        const job = await office[0].ok<{ state: string; error?: string }>('jobs.get', { id: jobId });
        if (job.state !== 'running') {
          if (job.state !== 'done') errors.push(`build: ${job.state} ${job.error ?? ''}`);
          return performance.now() - b0;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    })();

    const uploads = Promise.all(
      depts.map(async (client, u) => {
        const requirements = byDepartment.get(departments[u % departments.length])!;
        let stored = 0;
        let duplicates = 0;
        let sent = 0;
        for (const [i, f] of files[u].entries()) {
          if (performance.now() - t0 > BUDGET_MS) break;
          sent++;
          const res = await client.upload(requirements[i % requirements.length], f.name, f.bytes);
          const text = res.body.toString();
          if (res.status !== 200) {
            errors.push(`upload dept${u} ${f.name}: ${res.status} ${text.slice(0, 200)}`);
            continue;
          }
          const report = res.json().data as { imported: unknown[]; duplicates: unknown[]; rejected: { reason: string }[] };
          stored += report.imported.length;
          duplicates += report.duplicates.length;
          for (const r of report.rejected) errors.push(`upload dept${u} ${f.name} rejected: ${r.reason}`);
        }
        return { stored, duplicates, sent };
      }),
    ).finally(() => (uploadsDone = true));

    const timed = async (client: TeamClient, method: string, input: unknown) => {
      const c0 = performance.now();
      const res = await client.call(method, input);
      const elapsed = performance.now() - c0;
      const list = latencies.get(method) ?? [];
      list.push(elapsed);
      latencies.set(method, list);
      const body = res.body.toString();
      if (res.status !== 200 || !(JSON.parse(body) as { ok: boolean }).ok) errors.push(`${method}: ${res.status} ${body.slice(0, 200)}`);
    };
    const ordinary = Promise.all(
      office.map(async (client, o) => {
        for (let round = 0; !uploadsDone; round++) {
          await timed(client, 'evidence.list', {});
          await timed(client, 'evidence.update', { ids: [officeItems[o % officeItems.length]], patch: { note: `第${round}轮核对` } });
          await timed(client, 'gaps.get', {});
          await timed(client, 'targets.set', { id: '3.2-t1', actual: round });
        }
      }),
    );

    const results = await uploads;
    const uploadMs = performance.now() - t0;
    await ordinary;
    const buildMs = await build;
    clearInterval(loadTimer);

    const all = await office[0].ok<{ submittedBy?: string; reviewState?: string }[]>('evidence.list', {});
    const storedSubmissions = all.filter((e) => e.submittedBy?.startsWith('dept') && e.reviewState === 'pending').length;
    const sent = results.reduce((s, r) => s + r.sent, 0);
    if (sent < USERS * FILES) console.log(`time budget of ${BUDGET_MS / 1000} s reached: ${sent} of ${USERS * FILES} files sent`);
    const reportedStored = results.reduce((s, r) => s + r.stored, 0);
    const duplicates = results.reduce((s, r) => s + r.duplicates, 0);
    console.log(`files sent: ${sent}; stored as 待审核: ${storedSubmissions} (import reports: ${reportedStored} imported, ${duplicates} duplicates) → ${storedSubmissions === sent ? 'nothing lost' : `${sent - storedSubmissions} LOST`}`);
    console.log(`uploads took ${(uploadMs / 1000).toFixed(1)} s (${(sent / (uploadMs / 1000)).toFixed(1)} files/s); build (review edition PDF) ${(buildMs / 1000).toFixed(1)} s`);
    const locked = errors.filter((e) => /database is locked|SQLITE_BUSY/i.test(e)).length;
    console.log(`errors: ${errors.length} (database is locked: ${locked})`);
    for (const e of errors.slice(0, 10)) console.log(`  ${e}`);
    const every = [...latencies.values()].flat().sort((a, b) => a - b);
    console.log(`ordinary calls: ${every.length}; p50 ${ms(percentile(every, 50))}, p95 ${ms(percentile(every, 95))}, max ${ms(every[every.length - 1] ?? NaN)} (goal p95 < 300 ms: ${percentile(every, 95) < 300 ? 'met' : 'NOT met'})`);
    for (const [method, list] of latencies) {
      const sorted = [...list].sort((a, b) => a - b);
      console.log(`  ${method.padEnd(16)} n=${String(sorted.length).padStart(4)}  p50 ${ms(percentile(sorted, 50)).padStart(7)}  p95 ${ms(percentile(sorted, 95)).padStart(7)}  max ${ms(sorted[sorted.length - 1]).padStart(7)}`);
    }
    const meanLoad = load.reduce((a, b) => a + b, 0) / (load.length || 1);
    console.log(`CPU load (1-min average, ${os.cpus().length} cores) during the run: mean ${meanLoad.toFixed(1)}, max ${Math.max(...load).toFixed(1)}`);
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    rmSync(root, { recursive: true, force: true });
    if (cli) rmSync(path.dirname(cli), { recursive: true, force: true });
    db.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

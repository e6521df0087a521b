// Long jobs on the team server: background OCR of what departments upload (and of what a previous run left 识别中),
// builds a restart cut off run again to the end, and jobs scoped to whoever started them. Runs on both engines.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BuildResult, EvidenceRow, JobState } from '../../shared/api/contract.js';
import type { ImportReport } from '../../shared/domain/intake.js';
import { ROLE_NAME } from '../../shared/team/roles.js';
import { startHost, type RunningHost } from '../../electron/backend/host/server.js';
import { Accounts } from '../../electron/backend/team/accounts.js';
import { runAs } from '../../electron/backend/team/actor.js';
import { PARTIAL_PREFIX } from '../../electron/backend/generators/partial.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';
import { buildOcrWorker } from '../helpers/ocr-worker.js';
import { TeamClient, teamRequest, testHostOptions } from '../helpers/team-client.js';

const PASSWORD = '正确的密码-2019';
const SCAN = path.resolve(import.meta.dirname, '../fixtures/scans/scan-red-header.pdf');
const printed = JSON.parse(readFileSync(SCAN.replace(/\.pdf$/, '.json'), 'utf8')) as { docNumber: string; marker: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The same scan with other bytes (a comment after %%EOF), so it is stored as a new item and read again. */
function scanVariant(n: number): Buffer {
  return Buffer.concat([readFileSync(SCAN), Buffer.from(`\n% copy ${n}\n`)]);
}

describe('team server long jobs', () => {
  let root: string;
  let wsDir: string;
  let ocrWorker: string;
  let host: RunningHost | undefined;
  const figures: string[] = [];

  const start = async (): Promise<RunningHost> => {
    host = await startHost({ ...testHostOptions(root, wsDir), team: { host: '127.0.0.1' }, ocrWorker });
    return host;
  };
  const stop = async (): Promise<void> => {
    await host?.close();
    host = undefined;
  };
  const as = async (name: string): Promise<TeamClient> => {
    const client = new TeamClient(host!.port);
    const res = await client.login(name, PASSWORD);
    expect(res.status, res.body.toString()).toBe(200);
    return client;
  };
  /** Polls an item as its department sees it until OCR has given it text (or the time is up). */
  const untilRead = async (client: TeamClient, id: number, limitMs: number): Promise<EvidenceRow & { textExcerpt: string }> => {
    const until = Date.now() + limitMs;
    for (;;) {
      const item = await client.ok<EvidenceRow & { textExcerpt: string }>('evidence.get', { id });
      if (item.textSource === 'ocr' || item.ocrState === 'failed' || Date.now() > until) return item;
      await sleep(250);
    }
  };
  const untilEnded = async (client: TeamClient, id: string): Promise<JobState> => {
    for (;;) {
      const job = await client.ok<JobState>('jobs.get', { id });
      if (job.state !== 'running') return job;
      await sleep(200);
    }
  };

  beforeAll(async () => {
    ocrWorker = await buildOcrWorker();
    root = mkdtempSync(path.join(tmpdir(), 'binder-teamjobs-'));
    wsDir = path.join(root, 'ws');
    const ws = await Workspace.init(wsDir, { templateId: 'east-west-2017', title: '青山县东西部协作佐证材料', periodStart: '2019-01-01', periodEnd: '2019-12-31' });
    const accounts = new Accounts(ws.users);
    await accounts.add({ name: 'admin', role: 'admin', departments: [], password: PASSWORD });
    await accounts.add({ name: 'office', role: 'office', departments: [], password: PASSWORD });
    await accounts.add({ name: 'rsj', role: 'department', departments: ['县人社局'], password: PASSWORD });
    await accounts.add({ name: 'czj', role: 'department', departments: ['县财政局'], password: PASSWORD });
    await accounts.add({ name: 'leader', role: 'leader', departments: [], password: PASSWORD });
    await ws.close();
  });

  afterAll(async () => {
    await stop();
    if (figures.length) process.stdout.write(`team long jobs: ${figures.join('; ')}\n`);
    rmSync(root, { recursive: true, force: true });
  });

  it('reads a department’s uploaded scan in the background: its text, 文号 and search without `binder ocr`', async () => {
    await start();
    const rsj = await as('rsj');
    const t0 = Date.now();
    const res = await rsj.upload('5.1-1', '扫描件001.pdf', readFileSync(SCAN));
    expect(res.status, res.body.toString()).toBe(200);
    const id = (res.json().data as ImportReport).imported[0].id;
    const item = await untilRead(rsj, id, 300_000);
    figures.push(`upload → OCR text ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // The engine ships with the project: an unavailable engine is a failure here, not a skip.
    expect(item.ocrError).toBeUndefined();
    expect(item).toMatchObject({ textSource: 'ocr', ocrState: 'done', docNumber: printed.docNumber, reviewState: 'pending', department: '县人社局' });
    expect(item.textExcerpt).toContain(printed.marker);
    expect(await rsj.ok<number[]>('evidence.search', { query: printed.marker })).toEqual([id]);
  }, 600_000);

  it('reads on the next start what a stopped server left 识别中 (stopped cleanly, or killed mid-read)', async () => {
    const rsj = await as('rsj');
    const first = await rsj.upload('5.1-1', '扫描件002.pdf', scanVariant(2));
    const second = await rsj.upload('5.1-2', '扫描件003.pdf', scanVariant(3));
    const ids = [first, second].map((r) => (r.json().data as ImportReport).imported[0].id);
    // Stopped at once: the background run is cancelled and what it was reading goes back to the queue.
    await stop();
    const ws = await Workspace.open(wsDir);
    for (const id of ids) expect(await ws.requireEvidence(id)).toMatchObject({ textSource: 'none', ocrState: expect.stringMatching(/^(pending|running)$/) });
    // A process killed mid-read leaves its item “running”: that too is in the queue.
    await ws.setOcrState(ids[1], 'running');
    await ws.close();

    const t0 = Date.now();
    await start();
    const again = await as('rsj');
    for (const id of ids) expect(await untilRead(again, id, 300_000)).toMatchObject({ textSource: 'ocr', ocrState: 'done', docNumber: printed.docNumber });
    figures.push(`restart → 2 left items read ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await stop();
  }, 900_000);

  it('goes on reading in the background after the office’s 识别 of one item stopped it', async () => {
    await start();
    const rsj = await as('rsj');
    const ids: number[] = [];
    for (const n of [4, 5]) ids.push(((await rsj.upload('5.1-1', `扫描件00${n}.pdf`, scanVariant(n))).json().data as ImportReport).imported[0].id);
    // The office asks for the second item now: the background reader stops (its item goes back to the queue).
    const office = await as('office');
    const { jobId } = await office.ok<{ jobId: string }>('evidence.ocr', { ids: [ids[1]] });
    const ended = await untilEnded(office, jobId);
    expect(ended.state).toBe('done');
    expect(await office.ok<EvidenceRow>('evidence.get', { id: ids[1] })).toMatchObject({ textSource: 'ocr', ocrState: 'done' });
    // The first was not part of the job: the background reader takes it up again afterwards.
    expect(await untilRead(rsj, ids[0], 300_000)).toMatchObject({ textSource: 'ocr', ocrState: 'done', docNumber: printed.docNumber });
    await stop();
  }, 900_000);

  it('runs a build a restart cut off again to the end, in its requester’s name, with no half-written file left', async () => {
    // What a previous process left: the job row `running` (written as the server writes it, in the office's name)
    // and a temporary file of its unfinished output.
    const ws = await Workspace.open(wsDir);
    const jobId = 'c0ffee00-0000-4000-8000-000000000001';
    const input = { formats: ['pdf'], edition: 'review' };
    await runAs({ name: 'office', role: 'office', departments: [] }, () =>
      ws.recordJob({ id: jobId, kind: 'build', state: 'running', progress: { stage: '排版', done: 3, total: 9 } }, input),
    );
    const out = path.join(wsDir, '输出');
    mkdirSync(out, { recursive: true });
    const partial = path.join(out, `${PARTIAL_PREFIX}0a1b2c3d4e5f.pdf`);
    writeFileSync(partial, '%PDF-1.7\n% cut off\n');
    await ws.close();

    const t0 = Date.now();
    await start();
    const office = await as('office');
    const job = await untilEnded(office, jobId);
    figures.push(`restart → interrupted build done ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    expect(job.error).toBeUndefined();
    expect(job.state).toBe('done');
    expect(job.progress.detail).toMatch(/^重新开始于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}（服务器重启前未完成）/);
    const result = job.result as BuildResult;
    expect(result.edition).toBe('review');
    const pdf = result.outputs.find((o) => o.format === 'pdf')!;
    expect(existsSync(pdf.path)).toBe(true);
    expect(Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf.path], { encoding: 'utf8' }))![1])).toBe(pdf.pages);
    expect(execFileSync('pdftotext', ['-l', '1', pdf.path, '-'], { encoding: 'utf8' })).toContain('青山县');
    expect(existsSync(partial)).toBe(false);
    expect(readdirSync(out).filter((n) => n.startsWith(PARTIAL_PREFIX))).toEqual([]);
    // The stored job: done, still the office's, its progress saying it was started again.
    await stop();
    const after = await Workspace.open(wsDir);
    const [row] = (await after.jobs()).filter((j) => j.id === jobId);
    await after.close();
    expect(row).toMatchObject({ state: 'done', actor: 'office', kind: 'build' });
    expect(JSON.stringify(row.progress)).toContain('重新开始于');
  }, 600_000);

  it('closes an interrupted import on start instead of leaving it running', async () => {
    const ws = await Workspace.open(wsDir);
    const jobId = 'c0ffee00-0000-4000-8000-000000000002';
    await ws.recordJob({ id: jobId, kind: 'import', state: 'running', progress: { stage: '读取', done: 1, total: 4 } }, { upload: 'x', files: 4 });
    await ws.close();
    await start();
    // A page still polling it after the restart is told how it ended (the job is not in this process).
    const office = await as('office');
    const until = Date.now() + 30_000;
    let seen = await office.ok<JobState>('jobs.get', { id: jobId });
    while (seen.state === 'running' && Date.now() < until) seen = await office.ok<JobState>('jobs.get', { id: jobId });
    expect(seen).toMatchObject({ id: jobId, kind: 'import', state: 'failed' });
    expect(seen.error).toBeTruthy();
    // A department account does not see another's job, stored or not.
    await expect((await as('rsj')).ok('jobs.get', { id: jobId })).rejects.toThrow(/not-found/);
    await stop();
    const after = await Workspace.open(wsDir);
    const [row] = (await after.jobs()).filter((j) => j.id === jobId);
    await after.close();
    expect(row.state).toBe('failed');
    expect(row.error).toContain('导入未完成');
  });

  it('does not run again by itself a build cut off more than a day before the start', async () => {
    const ws = await Workspace.open(wsDir);
    const jobId = 'c0ffee00-0000-4000-8000-000000000003';
    await ws.recordJob({ id: jobId, kind: 'build', state: 'running', progress: { stage: '排版', done: 3, total: 9 } }, { formats: ['pdf'], edition: 'review' });
    await ws.close();
    // The server's clock two days after the row was written.
    const later = new Date(Date.now() + 2 * 24 * 3600_000);
    host = await startHost({ ...testHostOptions(root, wsDir), team: { host: '127.0.0.1', now: () => later }, ocrWorker });
    await stop();
    const after = await Workspace.open(wsDir);
    const [row] = (await after.jobs()).filter((j) => j.id === jobId);
    await after.close();
    expect(row).toMatchObject({ state: 'failed', error: expect.stringContaining('生成中断已超过 24 小时，未自动重新生成') });
  });

  it('lets a department read and cancel only its own jobs, and a leader read only its own builds', async () => {
    await start();
    const [office, rsj, czj, leader] = [await as('office'), await as('rsj'), await as('czj'), await as('leader')];
    // A department's job: the workbench's batch upload.
    const batch = 'jobs-scope-0001';
    const staged = await teamRequest(host!.port, {
      path: `/upload?batch=${batch}&index=0`,
      headers: { 'X-File-Name': encodeURIComponent('培训签到表.txt'), Cookie: rsj.cookie! },
      body: '县人社局 2019 年劳务协作培训签到表\n',
    });
    expect(staged.status, staged.body.toString()).toBe(200);
    const finished = await teamRequest(host!.port, { path: `/upload/finish?batch=${batch}&requirement=5.1-1`, headers: { Cookie: rsj.cookie! }, body: '' });
    expect(finished.status, finished.body.toString()).toBe(200);
    const importJob = (finished.json().data as { jobId: string }).jobId;
    const build = await office.ok<{ jobId: string }>('binder.build', { formats: ['pdf'], edition: 'review' });
    const leaderBuild = await leader.ok<{ jobId: string }>('binder.build', { formats: ['pdf'], edition: 'review' });

    const notFound = { code: 'not-found', message: '找不到这个任务，可能已经结束很久。' };
    expect((await rsj.ok<JobState>('jobs.get', { id: importJob })).kind).toBe('import');
    expect((await office.ok<JobState>('jobs.get', { id: importJob })).kind).toBe('import');
    expect((await czj.call('jobs.get', { id: importJob })).json().error).toEqual(notFound);
    expect((await czj.call('jobs.cancel', { id: importJob })).json().error).toEqual(notFound);
    expect((await rsj.call('jobs.get', { id: build.jobId })).json().error).toEqual(notFound);
    expect((await rsj.call('jobs.cancel', { id: build.jobId })).json().error).toEqual(notFound);
    expect((await leader.call('jobs.get', { id: build.jobId })).json().error).toEqual(notFound);
    expect((await leader.call('jobs.get', { id: importJob })).json().error).toEqual(notFound);
    expect((await leader.ok<JobState>('jobs.get', { id: leaderBuild.jobId })).kind).toBe('build');
    const refused = await leader.call('jobs.cancel', { id: leaderBuild.jobId });
    expect(refused.status).toBe(403);
    expect(refused.json().error?.message).toBe(`${ROLE_NAME.leader.zh}账号不能取消任务。`);
    // Its own job a department may cancel (here it may have ended already: then there is nothing to cancel).
    expect(typeof (await rsj.ok<{ cancelled: boolean }>('jobs.cancel', { id: importJob })).cancelled).toBe('boolean');
    expect((await office.ok<JobState>('jobs.get', { id: leaderBuild.jobId })).kind).toBe('build');
    await untilEnded(office, build.jobId);
    await untilEnded(office, leaderBuild.jobId);
    await stop();
  }, 300_000);
});

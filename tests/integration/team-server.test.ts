import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvidenceRow, Method, SessionState } from '../../shared/api/contract.js';
import type { ImportReport } from '../../shared/domain/intake.js';
import { METHOD_ACCESS } from '../../shared/team/access.js';
import { ROLE_NAME, ROLES, type Role } from '../../shared/team/roles.js';
import { startHost, type RunningHost } from '../../electron/backend/host/server.js';
import { Accounts } from '../../electron/backend/team/accounts.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';
import { TeamClient, teamRequest, testHostOptions } from '../helpers/team-client.js';

const PASSWORD = '正确的密码-2019';

/** The team server on loopback with a clock the tests move (lockout, idle sessions). */
describe('team server', () => {
  let root: string;
  let wsDir: string;
  let rendererDir: string;
  let host: RunningHost;
  let offset = 0;
  const now = () => new Date(Date.now() + offset);
  const clients: Partial<Record<string, TeamClient>> = {};

  /** A logged-in client per user name (logged in once). */
  const as = async (name: string): Promise<TeamClient> => {
    if (!clients[name]) {
      const client = new TeamClient(host.port);
      const res = await client.login(name, PASSWORD);
      expect(res.status, res.body.toString()).toBe(200);
      clients[name] = client;
    }
    return clients[name];
  };

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'binder-team-'));
    wsDir = path.join(root, 'ws');
    const ws = await Workspace.init(wsDir, { templateId: 'east-west-2017', title: '青山县东西部协作佐证材料' });
    const accounts = new Accounts(ws.users);
    await accounts.add({ name: 'admin', role: 'admin', departments: [], password: PASSWORD });
    await accounts.add({ name: 'office', role: 'office', departments: [], password: PASSWORD });
    await accounts.add({ name: 'office2', role: 'office', departments: [], password: PASSWORD });
    await accounts.add({ name: 'rsj', displayName: '李四（县人社局）', role: 'department', departments: ['县人社局'], password: PASSWORD });
    await accounts.add({ name: 'czj', role: 'department', departments: ['县财政局'], password: PASSWORD });
    await accounts.add({ name: 'leader', role: 'leader', departments: [], password: PASSWORD });
    await accounts.add({ name: 'locky', role: 'office', departments: [], password: PASSWORD });
    await accounts.add({ name: 'gone', role: 'office', departments: [], password: PASSWORD });
    await accounts.add({ name: 'sleepy', role: 'leader', departments: [], password: PASSWORD });
    await ws.close();
    const options = testHostOptions(root, wsDir);
    rendererDir = options.rendererDir;
    host = await startHost({ ...options, team: { host: '127.0.0.1', allowHosts: ['binder.qingshan.lan'], now } });
  });

  afterAll(async () => {
    await host?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses to start without an admin account and says how to add one', async () => {
    const bare = path.join(root, 'bare');
    await (await Workspace.init(bare, { templateId: 'east-west-2017' })).close();
    await expect(startHost({ workspaceDir: bare, port: 0, rendererDir, stateDir: root, demoDir: root, version: '1', team: {} })).rejects.toThrow(
      /还没有管理员账号.*binder users .* add --name admin --role admin --password-stdin/,
    );
  });

  it('answers no call, file or event stream without a session (401), and prints a URL without a token', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`);
    expect(host.token).toBe('');
    const anonymous = new TeamClient(host.port);
    for (const method of ['session.state', 'evidence.list', 'users.list']) {
      const res = await anonymous.call(method, {});
      expect(res.status).toBe(401);
      expect(res.json().error?.message).toContain('请先登录');
    }
    expect((await anonymous.get(`/files/vault/${'a'.repeat(64)}`)).status).toBe(401);
    expect((await anonymous.get('/events')).status).toBe(401);
    expect((await anonymous.upload('5.1-1', 'a.txt', 'x')).status).toBe(401);
    // A token from the desktop host means nothing here.
    expect((await teamRequest(host.port, { path: '/api/evidence.list', headers: { 'Content-Type': 'application/json', 'X-Binder-Token': 'x' }, body: '{}' })).status).toBe(401);
  });

  it('logs in with an HttpOnly, SameSite=Strict cookie; session.state names the user; logout ends the session', async () => {
    const client = new TeamClient(host.port);
    const res = await client.login('rsj', PASSWORD);
    expect(res.status).toBe(200);
    const cookie = res.headers['set-cookie']![0];
    expect(cookie).toMatch(/^binder_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    // Plain HTTP on loopback: a Secure cookie would not be sent back.
    expect(cookie).not.toContain('Secure');
    expect(res.json().data).toEqual({ user: { name: 'rsj', role: 'department', departments: ['县人社局'], displayName: '李四（县人社局）' } });
    const state = await client.ok<SessionState>('session.state', {});
    expect(state.team).toBe(true);
    expect(state.user).toMatchObject({ name: 'rsj', role: 'department', departments: ['县人社局'] });
    expect(state.recent).toEqual([]);
    expect((await client.call('auth.logout', {})).status).toBe(200);
    expect((await client.call('session.state', {})).status).toBe(401);
  });

  it('refuses a wrong password and an unknown user with the same 401 sentence', async () => {
    const wrong = await new TeamClient(host.port).login('office', '不对的密码xyz');
    const unknown = await new TeamClient(host.port).login('nobody', '不对的密码xyz');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json().error).toEqual({ code: 'unauthorized', message: '用户名或密码不正确。' });
    expect(unknown.json().error).toEqual(wrong.json().error);
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('locks an account for 15 minutes after 10 wrong passwords, even against the right one', async () => {
    const client = new TeamClient(host.port);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await client.login('locky', `wrong-password-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 401, 423]);
    const refused = await client.login('locky', PASSWORD);
    expect(refused.status).toBe(423);
    expect(refused.json().error?.code).toBe('locked');
    expect(refused.json().error?.message).toMatch(/已锁定 15 分钟，将于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 解锁/);
    offset += 14 * 60_000;
    expect((await client.login('locky', PASSWORD)).status).toBe(423);
    offset += 2 * 60_000;
    expect((await client.login('locky', PASSWORD)).status).toBe(200);
  });

  it('answers every contract method for every role as METHOD_ACCESS says, before reading the input', async () => {
    const byRole: Record<Role, string> = { admin: 'admin', office: 'office', department: 'rsj', leader: 'leader' };
    const mismatches: string[] = [];
    for (const role of ROLES) {
      const client = await as(byRole[role]);
      for (const [method, rule] of Object.entries(METHOD_ACCESS) as [Method, (typeof METHOD_ACCESS)[Method]][]) {
        // An input no method accepts: an allowed call gets as far as validation, a refused one never does.
        const res = await client.call(method, { probe: '不该被读取' });
        const allowed = !rule.fixedWorkspace && (rule.roles as readonly Role[]).includes(role);
        const body = res.json();
        const got = res.status === 403 ? `403 ${body.error?.code}` : `${res.status} ${body.error?.code}`;
        const want = allowed ? '200 invalid-input' : '403 forbidden';
        if (got !== want) mismatches.push(`${role} ${method}: ${got}, expected ${want}`);
        if (!allowed && !rule.fixedWorkspace && !body.error?.message.startsWith(`${ROLE_NAME[role].zh}账号不能`)) mismatches.push(`${role} ${method}: ${body.error?.message}`);
        if (rule.fixedWorkspace && !body.error?.message.includes('团队服务器只服务启动时指定的工作区')) mismatches.push(`${role} ${method}: ${body.error?.message}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('files a department upload into its own requirement as 待审核 and refuses another department’s', async () => {
    const rsj = await as('rsj');
    const res = await rsj.upload('5.1-1', '劳务协作培训签到表.txt', '县人社局 2019 年劳务协作培训签到表\n');
    expect(res.status, res.body.toString()).toBe(200);
    const report = res.json().data as ImportReport;
    expect(report.imported).toHaveLength(1);
    const office = await as('office');
    const item = (await office.ok<EvidenceRow[]>('evidence.list', {})).find((e) => e.id === report.imported[0].id)!;
    expect(item).toMatchObject({ reviewState: 'pending', department: '县人社局', submittedBy: 'rsj' });
    expect(item.links).toContainEqual(expect.objectContaining({ indicator: '5.1', requirement: '5.1-1' }));

    const before = (await office.ok<EvidenceRow[]>('evidence.list', {})).length;
    const other = await rsj.upload('3.1-1', '财政资金.txt', '不是人社局的材料\n');
    expect(other.status).toBe(403);
    expect(other.json().error?.message).toContain('县财政局');
    expect((await office.ok<EvidenceRow[]>('evidence.list', {})).length).toBe(before);

    // The workbench's batch protocol: a department's batch goes into one of its requirements, as 待审核 too.
    const batch = 'dept-batch-0001';
    const staged = await teamRequest(host.port, {
      path: `/upload?batch=${batch}&index=0`,
      headers: { 'X-File-Name': encodeURIComponent('培训照片说明.txt'), Cookie: rsj.cookie! },
      body: '县人社局培训照片说明\n',
    });
    expect(staged.status, staged.body.toString()).toBe(200);
    const finishPath = (requirement: string) => ({ path: `/upload/finish?batch=${batch}${requirement}`, headers: { Cookie: rsj.cookie! }, body: '' });
    expect((await teamRequest(host.port, finishPath(''))).status).toBe(403);
    expect((await teamRequest(host.port, finishPath('&requirement=3.1-1'))).status).toBe(403);
    const finished = await teamRequest(host.port, finishPath('&requirement=5.1-2'));
    expect(finished.status, finished.body.toString()).toBe(200);
    const { jobId } = finished.json().data as { jobId: string };
    let job: { state: string; result?: ImportReport } = { state: 'running' };
    while (job.state === 'running') {
      await new Promise((r) => setTimeout(r, 100));
      job = await rsj.ok('jobs.get', { id: jobId });
    }
    const batchId = job.result!.imported[0].id;
    expect((await office.ok<EvidenceRow[]>('evidence.list', {})).find((e) => e.id === batchId)).toMatchObject({ reviewState: 'pending', department: '县人社局', submittedBy: 'rsj' });

    // The office's own upload is filed directly (no review).
    const own = await office.upload('3.1-1', '财政局拨付凭证.txt', '县财政局拨付东西部协作资金凭证\n');
    const ownId = (own.json().data as ImportReport).imported[0].id;
    const ownItem = (await office.ok<EvidenceRow[]>('evidence.list', {})).find((e) => e.id === ownId)!;
    expect(ownItem.reviewState).toBeUndefined();
    expect(ownItem.submittedBy).toBeUndefined();
  });

  it('shows a department only its own evidence and files, and lets it change only its pending submissions', async () => {
    const office = await as('office');
    const rsj = await as('rsj');
    const czj = await as('czj');
    const mine = (await rsj.upload('5.2-1', '转移就业台账说明.txt', '人社局转移就业说明\n')).json().data as ImportReport;
    const theirs = (await czj.upload('3.2-1', '财政局说明.txt', '财政局资金说明\n')).json().data as ImportReport;
    const officeUpload = (await office.upload('5.3-1', '协作办放入人社指标的材料.txt', '协作办归档到 5.3 的材料\n')).json().data as ImportReport;
    const [mineId, theirsId, officeId] = [mine.imported[0].id, theirs.imported[0].id, officeUpload.imported[0].id];

    const seen = (await rsj.ok<EvidenceRow[]>('evidence.list', {})).map((e) => e.id);
    expect(seen).toContain(mineId);
    // Linked to an indicator 县人社局 leads: visible, though the office stored it.
    expect(seen).toContain(officeId);
    expect(seen).not.toContain(theirsId);
    expect((await rsj.call('evidence.get', { id: theirsId })).json().error?.code).toBe('not-found');

    expect((await rsj.get(`/files/vault/${mine.imported[0].sha256}`)).status).toBe(200);
    expect((await rsj.get(`/files/vault/${theirs.imported[0].sha256}`)).status).toBe(404);
    expect((await office.get(`/files/vault/${theirs.imported[0].sha256}`)).status).toBe(200);

    const gaps = await rsj.ok<{ summary: { categories: { indicators: { code: string }[] }[]; departments: { department: string }[] } }>('gaps.get', {});
    const codes = gaps.summary.categories.flatMap((c) => c.indicators.map((i) => i.code));
    expect(codes).toEqual(['5.1', '5.2', '5.3', '5.4']);
    expect(gaps.summary.departments.map((d) => d.department)).toEqual(['县人社局']);

    const editOffice = await rsj.call('evidence.update', { ids: [officeId], patch: { title: '改别人的' } });
    expect(editOffice.status).toBe(403);
    expect(editOffice.json().error?.message).toContain('只能修改或删除本部门报送');
    expect((await rsj.call('evidence.delete', { ids: [theirsId] })).status).toBe(403);
    expect((await rsj.call('departments.export', { department: '县财政局' })).status).toBe(403);
    expect((await rsj.ok<unknown[]>('evidence.update', { ids: [mineId], patch: { title: '转移就业台账说明（修订）' } })).length).toBe(1);
    expect(await rsj.ok('evidence.delete', { ids: [mineId] })).toEqual({ deleted: 1 });
  });

  it('lets a leader build only the review edition', async () => {
    const leader = await as('leader');
    const submission = await leader.call('binder.build', { formats: ['pdf'] });
    expect(submission.status).toBe(403);
    expect(submission.json().error?.message).toBe('领导账号不能生成报送版。');
    expect((await leader.call('binder.build', { formats: ['pdf'], edition: 'review', outDir: '/tmp/x' })).status).toBe(403);
    // Ledger rows only masked: full ID and mobile numbers stay with the office (refused before the sheet is looked up).
    const unmasked = await leader.call('ledgers.rows', { evidence: 1, unmasked: true });
    expect(unmasked.status).toBe(403);
    expect(unmasked.json().error?.message).toBe('领导账号不能查看未遮蔽的身份证号和手机号。');
    const review = await leader.call('binder.build', { formats: ['docx'], edition: 'review' });
    expect(review.status, review.body.toString()).toBe(200);
    const { jobId } = review.json().data as { jobId: string };
    for (let i = 0; i < 600; i++) {
      const job = await leader.ok<{ state: string; error?: string }>('jobs.get', { id: jobId });
      if (job.state !== 'running') {
        expect(job.state, job.error).toBe('done');
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it('refuses cross-origin and origin-less POSTs (403) and unknown Host names (421)', async () => {
    const office = await as('office');
    const cross = await office.call('evidence.list', {}, { origin: 'http://evil.example' });
    expect(cross.status).toBe(403);
    expect(cross.json().error?.message).toContain('拒绝来自其他网站的请求');
    expect((await office.call('evidence.list', {}, { origin: null })).status).toBe(403);
    // Same host, other scheme or port: another origin.
    expect((await office.call('evidence.list', {}, { origin: `https://127.0.0.1:${host.port}` })).status).toBe(403);
    expect((await office.call('evidence.list', {}, { origin: `http://127.0.0.1:${host.port + 1}` })).status).toBe(403);
    // A login from another site is refused before the password is looked at.
    expect((await teamRequest(host.port, { path: '/api/auth.login', origin: 'http://evil.example', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'office', password: PASSWORD }) })).status).toBe(403);

    const rebound = await office.call('evidence.list', {}, { host: `evil.example:${host.port}` });
    expect(rebound.status).toBe(421);
    expect((await teamRequest(host.port, { method: 'GET', path: '/', host: `evil.example:${host.port}` })).status).toBe(421);
    expect((await office.call('evidence.list', {}, { host: `localhost:${host.port}` })).status).toBe(200);
    expect((await office.call('evidence.list', {}, { host: `binder.qingshan.lan:${host.port}` })).status).toBe(200);
  });

  it('ends a disabled user’s sessions at once, and a user’s sessions when the password is reset', async () => {
    const gone = await as('gone');
    expect((await gone.call('evidence.list', {})).status).toBe(200);
    const admin = await as('admin');
    expect(await admin.ok('users.update', { name: 'gone', disabled: true })).toMatchObject({ name: 'gone', disabled: true });
    expect((await gone.call('evidence.list', {})).status).toBe(401);
    expect((await new TeamClient(host.port).login('gone', PASSWORD)).json().error?.message).toContain('已停用');

    const office2 = await as('office2');
    await admin.ok('users.resetPassword', { name: 'office2', password: PASSWORD });
    expect((await office2.call('evidence.list', {})).status).toBe(401);
    delete clients.office2;
  });

  it('ends a session idle for more than 8 hours', async () => {
    const sleepy = await as('sleepy');
    offset += 7 * 3_600_000;
    expect((await sleepy.call('evidence.list', {})).status).toBe(200);
    offset += 8 * 3_600_000 + 60_000;
    expect((await sleepy.call('evidence.list', {})).status).toBe(401);
    // Everyone else's sessions idled as long: log in again.
    for (const name of Object.keys(clients)) delete clients[name];
  });

  it('undoes only the caller’s own last action', async () => {
    const office = await as('office');
    const office2 = await as('office2');
    const a = (await office.upload('1.1-1', '会议纪要甲.txt', '协作办会议纪要甲\n')).json().data as ImportReport;
    const b = (await office.upload('1.1-2', '会议纪要乙.txt', '协作办会议纪要乙\n')).json().data as ImportReport;
    const [idA, idB] = [a.imported[0].id, b.imported[0].id];
    await office.ok('evidence.update', { ids: [idA], patch: { title: '甲（协作办改）' } });
    await office2.ok('evidence.update', { ids: [idB], patch: { title: '乙（另一位同事改）' } });
    const undone = await office.ok<{ message: string | null }>('filing.undo', {});
    expect(undone.message).toBeTruthy();
    const titles = new Map((await office.ok<EvidenceRow[]>('evidence.list', {})).map((e) => [e.id, e.title]));
    expect(titles.get(idA)).not.toBe('甲（协作办改）');
    expect(titles.get(idB)).toBe('乙（另一位同事改）');
    // Nothing of office's own is left to undo; office2's change is not offered.
    expect((await office.ok<{ next: string | null }>('history.undoable', {})).next).toBeNull();
    expect((await office2.ok<{ next: string | null }>('history.undoable', {})).next).toBeTruthy();
    const history = await office.ok<{ actor?: string; action: string }[]>('history.list', {});
    expect(history.find((h) => h.action === 'update')?.actor).toBe('office2');
  });
});

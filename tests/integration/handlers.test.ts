import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SystemInfo, WorkspaceInfo } from '../../shared/api/contract.js';
import { dispatch } from '../../electron/backend/api/dispatch.js';
import { createHandlers } from '../../electron/backend/api/handlers.js';
import { JobRegistry } from '../../electron/backend/api/jobs.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';

const root = mkdtempSync(path.join(tmpdir(), 'binder-handlers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ZENHEI = ['/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc'].find(existsSync);

async function handlers(jobs = new JobRegistry()) {
  const session = { workspace: (await Workspace.init(path.join(root, `ws-${Date.now()}`), { templateId: 'east-west-2017' })) };
  return createHandlers({
    session,
    jobs,
    host: 'browser',
    version: 'test',
    demoDir: path.join(root, 'demo'),
    stateDir: path.join(root, 'state'),
    fileUrl: (kind, id) => `/files/${kind}/${id}`,
  });
}

describe('workspace font choice', () => {
  it('uses a font file the user chose for every role, refuses a bad one, and goes back to system fonts', async () => {
    expect(ZENHEI, 'fonts-wqy-zenhei is installed by .ci/run').toBeDefined();
    const h = await handlers();
    const bad = await dispatch(h, 'workspace.update', { patch: { fontFile: path.join(root, '没有这个字体.ttf') } });
    expect(bad).toMatchObject({ ok: false, error: { message: expect.stringMatching(/找不到所选字体文件/) } });

    const set = await dispatch(h, 'workspace.update', { patch: { fontFile: ZENHEI } });
    expect(set.ok).toBe(true);
    expect((set as { data: WorkspaceInfo }).data.settings.fontFile).toBe(ZENHEI);
    const info = (await dispatch(h, 'system.info', {})) as { ok: true; data: SystemInfo };
    expect(info.data.userFont).toBe(ZENHEI);
    expect(new Set(info.data.fonts.map((f) => f.path))).toEqual(new Set([ZENHEI]));

    const reset = (await dispatch(h, 'workspace.update', { patch: { fontFile: '' } })) as { ok: true; data: WorkspaceInfo };
    expect(reset.data.settings.fontFile).toBeUndefined();
    const after = (await dispatch(h, 'system.info', {})) as { ok: true; data: SystemInfo };
    expect(after.data.userFont).toBeUndefined();
  });

  it('validates every call against the contract and answers in Chinese', async () => {
    const h = await handlers();
    expect(await dispatch(h, 'no.such', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    const r = await dispatch(h, 'evidence.link', { ids: [1], indicator: 'abc' });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringContaining('指标编码应为') } });
    const missing = await dispatch(h, 'evidence.get', { id: 999 });
    expect(missing).toMatchObject({ ok: false, error: { message: '没有编号为 999 的材料（可能已删除到回收站）。' } });
  });
});

describe('jobs', () => {
  it('keeps each import and build in the workspace with its result, so earlier builds can be listed after a restart', async () => {
    const jobs = new JobRegistry();
    const h = await handlers(jobs);
    const started = (await dispatch(h, 'binder.build', { formats: ['pdf'], outDir: path.join(root, `out-${Date.now()}`) })) as { ok: true; data: { jobId: string } };
    const done = await jobs.wait(started.data.jobId);
    expect(done.state).toBe('done');
    const info = (await dispatch(h, 'workspace.info', {})) as { ok: true; data: WorkspaceInfo };
    // A new process on the same workspace sees the build and where its files are.
    const reopened = await Workspace.open(info.data.dir);
    const [build] = await reopened.jobs();
    expect(build).toMatchObject({ id: started.data.jobId, kind: 'build', state: 'done', input: { formats: ['pdf'] } });
    const outputs = (build.result as { outputs: { format: string; path: string }[] }).outputs;
    expect(outputs.length).toBeGreaterThan(0);
    expect(outputs.every((o) => o.format === 'pdf' && existsSync(o.path))).toBe(true);
    await reopened.close();
  });
});

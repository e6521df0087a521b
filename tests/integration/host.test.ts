import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../shared/domain/intake.js';
import type { ApiResult, SessionState } from '../../shared/api/contract.js';
import { startHost, type RunningHost } from '../../electron/backend/host/server.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';

type RawResponse = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

/** A raw request: unlike fetch, node:http sends the path exactly as given (no `..` normalisation). */
function raw(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: { Host: `127.0.0.1:${port}`, ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('browser host', () => {
  let root: string;
  let wsDir: string;
  let host: RunningHost;

  const api = async (method: string, input: unknown, token: string | null = host.token, workspace: string | null = wsDir): Promise<RawResponse> =>
    raw(host.port, {
      method: 'POST',
      path: `/api/${method}`,
      headers: {
        'Content-Type': 'application/json',
        ...(token !== null ? { 'X-Binder-Token': token } : {}),
        ...(workspace !== null ? { 'X-Binder-Workspace': encodeURIComponent(workspace) } : {}),
      },
      body: JSON.stringify(input),
    });

  /** A POST with the token and workspace headers, raw bytes in the body (the workbench's streaming upload). */
  const post = (p: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    raw(host.port, {
      method: 'POST',
      path: p,
      headers: { 'X-Binder-Token': host.token, 'X-Binder-Workspace': encodeURIComponent(wsDir), 'Content-Type': 'application/octet-stream', ...headers },
      body,
    });

  /** Waits for a job to end and returns its last state. */
  const finished = async (jobId: string): Promise<{ state: string; result?: ImportReport }> => {
    let job: { state: string; result?: ImportReport } = { state: 'running' };
    while (job.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (JSON.parse((await api('jobs.get', { id: jobId })).body.toString()) as { data: typeof job }).data;
    }
    return job;
  };

  /** Uploads files as the workbench does (one POST /upload each, then /upload/finish) and returns the import report. */
  let batches = 0;
  const upload = async (files: { name: string; bytes: string | Buffer }[]): Promise<ImportReport> => {
    batches += 1;
    const batch = `test-upload-${String(batches).padStart(4, '0')}`;
    for (const [index, file] of files.entries()) {
      const res = await post(`/upload?batch=${batch}&index=${index}`, file.bytes, { 'X-File-Name': encodeURIComponent(file.name) });
      expect(res.status, res.body.toString()).toBe(200);
    }
    const { jobId } = (JSON.parse((await post(`/upload/finish?batch=${batch}`, '')).body.toString()) as { data: { jobId: string } }).data;
    const job = await finished(jobId);
    expect(job.state).toBe('done');
    return job.result as ImportReport;
  };

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'binder-host-'));
    wsDir = path.join(root, 'ws');
    await (await Workspace.init(wsDir, { templateId: 'east-west-2017', title: '青山县东西部协作佐证材料' })).close();
    const rendererDir = path.join(root, 'renderer');
    mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>佐证材料汇编</title><div id="root"></div>');
    writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("workbench")');
    writeFileSync(path.join(root, 'secret.txt'), 'outside the renderer');
    host = await startHost({ workspaceDir: wsDir, port: 0, rendererDir, stateDir: path.join(root, 'state'), demoDir: path.join(root, 'demo'), version: '9.9.9' });
  });

  afterAll(async () => {
    await host?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 only and prints a URL with the token', async () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('serves the workbench page with a strict CSP and security headers', async () => {
    const res = await raw(host.port, { path: '/' });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toContain('<title>佐证材料汇编</title>');
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("script-src 'self' 'unsafe");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    const js = await raw(host.port, { path: '/assets/app.js' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('refuses paths that leave the renderer folder, plain or percent-encoded', async () => {
    for (const p of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2E%2E/%2e%2e/secret.txt', '/..%2fsecret.txt', '/..%5csecret.txt', '/%00index.html']) {
      const res = await raw(host.port, { path: p });
      expect(res.status, p).toBe(404);
      expect(res.body.toString(), p).not.toContain('outside the renderer');
    }
  });

  it('rejects a foreign Host header (DNS rebinding)', async () => {
    const res = await raw(host.port, { path: '/', headers: { Host: 'evil.com' } });
    expect(res.status).toBe(421);
    expect(res.body.toString()).toContain('127.0.0.1');
    const apiRes = await raw(host.port, {
      method: 'POST',
      path: '/api/session.state',
      headers: { Host: `evil.com:${host.port}`, 'Content-Type': 'application/json', 'X-Binder-Token': host.token },
      body: '{}',
    });
    expect(apiRes.status).toBe(421);
  });

  it('answers the API only with the right token', async () => {
    const missing = await api('session.state', {}, null);
    expect(missing.status).toBe(401);
    expect((JSON.parse(missing.body.toString()) as ApiResult<unknown>).ok).toBe(false);
    // The last character changed to one it certainly is not (a token can end in x).
    const wrong = await api('session.state', {}, `${host.token.slice(0, -1)}${host.token.endsWith('x') ? 'y' : 'x'}`);
    expect(wrong.status).toBe(403);
    const short = await api('session.state', {}, 'abc');
    expect(short.status).toBe(403);

    const ok = await api('session.state', {});
    expect(ok.status).toBe(200);
    const body = JSON.parse(ok.body.toString()) as ApiResult<SessionState>;
    expect(body.ok).toBe(true);
    if (!body.ok) return;
    expect(body.data.host).toBe('browser');
    expect(body.data.version).toBe('9.9.9');
    expect(body.data.workspace?.settings.title).toBe('青山县东西部协作佐证材料');
  });

  it('refuses a call naming another workspace (or none) and changes nothing', async () => {
    const other = await api('evidence.update', { ids: [1], patch: { title: '改错了' } }, host.token, path.join(root, '另一个工作区'));
    expect(other.status).toBe(409);
    expect(JSON.parse(other.body.toString())).toMatchObject({ ok: false, error: { code: 'workspace-changed' } });
    expect(JSON.parse(other.body.toString()).error.message).toContain('已被其他窗口切换为“青山县东西部协作佐证材料”');
    const unnamed = await api('evidence.list', {}, host.token, null);
    expect(unnamed.status).toBe(409);
    expect(JSON.parse(unnamed.body.toString()).error.message).toContain('请求没有注明工作区');
    // Choosing a workspace or asking what is open needs no name.
    expect((await api('session.state', {}, host.token, null)).status).toBe(200);
  });

  it('streams raw uploads into one import job (POST /upload, /upload/finish), names in X-File-Name', async () => {
    const batch = 'test-batch-0001';
    const text = '青山县劳务协作工作简报\n2019年6月3日\n';
    const names = ['简报/劳务协作第1期.txt', '简报/劳务协作第2期.txt'];
    for (const [index, name] of names.entries()) {
      const res = await post(`/upload?batch=${batch}&index=${index}`, `${text}第${index + 1}期\n`, { 'X-File-Name': encodeURIComponent(name) });
      expect(res.status, res.body.toString()).toBe(200);
      expect(JSON.parse(res.body.toString())).toMatchObject({ ok: true, data: { index } });
    }
    const badName = await post(`/upload?batch=${batch}&index=9`, 'x', { 'X-File-Name': '%E4%B8' });
    expect(badName.status).toBe(400);
    expect(JSON.parse(badName.body.toString()).error.message).toContain('文件名编码不正确');
    const otherWs = await post(`/upload?batch=${batch}&index=9`, 'x', { 'X-File-Name': 'a.txt', 'X-Binder-Workspace': encodeURIComponent('/别的/工作区') });
    expect(otherWs.status).toBe(409);
    const noToken = await post(`/upload?batch=${batch}&index=9`, 'x', { 'X-File-Name': 'a.txt', 'X-Binder-Token': 'wrong' });
    expect(noToken.status).toBe(403);

    const finish = await post(`/upload/finish?batch=${batch}&indicator=5.1`, '');
    const { jobId } = (JSON.parse(finish.body.toString()) as { data: { jobId: string } }).data;
    const job = await finished(jobId);
    expect(job.state).toBe('done');
    expect(job.result!.imported.map((i) => i.source)).toEqual(names.map((n) => `上传/${n}`));
    // Staging files are gone once imported; the batch cannot be imported twice.
    expect((await post(`/upload/finish?batch=${batch}`, '')).status).toBe(404);
    // Leave the workspace as the next tests expect it (empty list).
    await api('evidence.delete', { ids: job.result!.imported.map((i) => i.id) });
  });

  it('lists generated files and serves them to open or download, only from the output folder', async () => {
    const out = path.join(wsDir, '输出');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, '第一卷 组织领导.pdf'), '%PDF-1.7 test');
    writeFileSync(path.join(out, '.~partial-abc.pdf'), '%PDF half written');
    writeFileSync(path.join(out, 'notes.txt'), 'not an output');
    const listed = JSON.parse((await api('binder.outputs', {})).body.toString()) as ApiResult<{ name: string; url: string }[]>;
    if (!listed.ok) throw new Error('binder.outputs failed');
    expect(listed.data.map((o) => o.name)).toEqual(['第一卷 组织领导.pdf']);
    const { url } = listed.data[0];
    const open = await raw(host.port, { path: url });
    expect(open.status).toBe(200);
    expect(open.headers['content-type']).toBe('application/pdf');
    expect(String(open.headers['content-disposition'])).toMatch(/^inline;/);
    const download = await raw(host.port, { path: `${url}&download=1` });
    expect(String(download.headers['content-disposition'])).toMatch(/^attachment;.*filename\*=UTF-8''%E7%AC%AC/);
    expect((await raw(host.port, { path: url.split('?')[0] })).status).toBe(401);
    for (const name of ['.~partial-abc.pdf', 'notes.txt', '..%2fbinder.db']) {
      expect((await raw(host.port, { path: `/files/output/${name}?token=${host.token}` })).status, name).toBe(404);
    }
  });

  it('returns contract errors as data with a Chinese message', async () => {
    const res = await api('evidence.get', { id: -1 });
    const body = JSON.parse(res.body.toString()) as ApiResult<unknown>;
    expect(body).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const unknown = await api('nothing.here', {});
    expect(JSON.parse(unknown.body.toString())).toMatchObject({ ok: false, error: { code: 'unknown-method', message: '未知的接口：nothing.here' } });
    const badJson = await raw(host.port, {
      method: 'POST',
      path: '/api/session.state',
      headers: { 'Content-Type': 'application/json', 'X-Binder-Token': host.token },
      body: '{not json',
    });
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body.toString()).error.message).toContain('不是有效的 JSON');
  });

  it('rejects a body over the limit with 413 and a Chinese message, without reading it', async () => {
    const res = await raw(host.port, {
      method: 'POST',
      path: '/api/evidence.import',
      headers: { 'Content-Type': 'application/json', 'X-Binder-Token': host.token, 'Content-Length': String(9 * 1024 * 1024) },
    }).catch((error: Error) => ({ status: -1, headers: {}, body: Buffer.from(error.message) }));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body.toString()).error.message).toContain('超过 8 MB');
  });

  it('has no base64 upload method any more (files go through POST /upload)', async () => {
    const res = await api('evidence.upload', { files: [{ name: 'a.txt', base64: Buffer.from('x').toString('base64') }] });
    expect(JSON.parse(res.body.toString())).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });

  it('imports an uploaded file and serves the stored original by its token URL', async () => {
    const text = '青山县东西部扶贫协作领导小组会议纪要\n2019年3月12日，县委书记主持召开东西部扶贫协作领导小组会议。';
    const report = { data: await upload([{ name: '会议纪要.txt', bytes: text }]) };
    expect(report.data.imported).toHaveLength(1);
    expect(report.data.imported[0].source).toContain('会议纪要.txt');

    const list = JSON.parse((await api('evidence.list', {})).body.toString()) as ApiResult<{ sha256: string; id: number }[]>;
    expect(list.ok && list.data.map((e) => e.id)).toEqual([report.data.imported[0].id]);

    const detail = JSON.parse((await api('evidence.get', { id: report.data.imported[0].id })).body.toString()) as ApiResult<{ fileUrl: string }>;
    expect(detail.ok).toBe(true);
    if (!detail.ok) return;
    const sha = report.data.imported[0].sha256;
    expect(detail.data.fileUrl).toBe(`/files/vault/${sha}?token=${encodeURIComponent(host.token)}`);

    const file = await raw(host.port, { path: detail.data.fileUrl });
    expect(file.status).toBe(200);
    expect(file.body.toString()).toBe(text);
    expect(file.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(file.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent('会议纪要.txt')}`);
    expect(String(file.headers['content-security-policy'])).toContain('sandbox');

    expect((await raw(host.port, { path: `/files/vault/${sha}` })).status).toBe(401);
    expect((await raw(host.port, { path: `/files/vault/${sha}?token=wrong` })).status).toBe(403);
    expect((await raw(host.port, { path: `/files/vault/${'0'.repeat(64)}?token=${host.token}` })).status).toBe(404);
    expect((await raw(host.port, { path: `/files/vault/..%2f..%2fworkspace.db?token=${host.token}` })).status).toBe(404);
  });

  it('lists photos with a thumbnail URL that serves a small upright JPEG', async () => {
    const sharp = (await import('sharp')).default;
    // 1200×800 stored pixels with EXIF orientation 6: displayed as a portrait photo.
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#3a6ea5' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const uploaded = { data: await upload([{ name: 'IMG_20190612_093512.jpg', bytes: photo }]) };
    const list = JSON.parse((await api('evidence.list', {})).body.toString()) as ApiResult<{ id: number; thumbUrl?: string }[]>;
    if (!list.ok) throw new Error('list failed');
    const row = list.data.find((e) => e.id === uploaded.data.imported[0].id)!;
    expect(row.thumbUrl).toBe(`/files/thumb/${uploaded.data.imported[0].sha256}?token=${encodeURIComponent(host.token)}`);
    expect(list.data.filter((e) => e.id !== row.id).every((e) => e.thumbUrl === undefined)).toBe(true);
    const thumb = await raw(host.port, { path: row.thumbUrl! });
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    const meta = await sharp(thumb.body).metadata();
    expect(meta.width).toBe(213);
    expect(meta.height).toBe(320);
    expect((await raw(host.port, { path: `/files/thumb/${uploaded.data.imported[0].sha256}` })).status).toBe(401);
  });

  it('serves exported files only from the workspace export folder', async () => {
    const ws = (await Workspace.open(path.join(root, 'ws')));
    writeFileSync(path.join(ws.cacheDir('exports'), '待补材料-区财政局.xlsx'), 'xlsx bytes');
    await ws.close();
    const name = encodeURIComponent('待补材料-区财政局.xlsx');
    const ok = await raw(host.port, { path: `/files/export/${name}?token=${host.token}` });
    expect(ok.status).toBe(200);
    expect(ok.body.toString()).toBe('xlsx bytes');
    expect(ok.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    for (const p of ['..', '%2e%2e', '..%2fworkspace.db', '..%5cworkspace.db']) {
      expect((await raw(host.port, { path: `/files/export/${p}?token=${host.token}` })).status, p).toBe(404);
    }
  });
});

describe('backend service (Electron utility process)', () => {
  it('keeps one workspace per window and resolves file URLs only in that window', async () => {
    const { BackendService, appFileUrl } = await import('../../electron/backend/host/service.js');
    const root = mkdtempSync(path.join(tmpdir(), 'binder-service-'));
    try {
      const wsDir = path.join(root, 'ws');
      await (await Workspace.init(wsDir, { templateId: 'east-west-2017', title: '白水县' })).close();
      const service = new BackendService({ stateDir: path.join(root, 'state'), demoDir: path.join(root, 'demo'), version: '1.2.3' });
      const opened = await service.handle({ type: 'api', id: 1, windowId: 7, method: 'workspace.open', input: { dir: wsDir } });
      expect(opened).toMatchObject({ type: 'api', id: 1, result: { ok: true }, workspaceDir: wsDir });
      const other = await service.handle({ type: 'api', id: 2, windowId: 8, method: 'session.state', input: {} });
      expect(other).toMatchObject({ id: 2, result: { ok: true, data: { workspace: null, host: 'electron', version: '1.2.3' } }, workspaceDir: null });

      // The desktop imports by path (the file dialog and drag-and-drop give paths).
      const source = path.join(root, '挂职干部任职文件.txt');
      writeFileSync(source, '关于选派干部挂职的通知');
      const started = await service.handle({ type: 'api', id: 3, windowId: 7, method: 'evidence.import', input: { paths: [source] } });
      const jobId = started.type === 'api' && started.result.ok ? (started.result.data as { jobId: string }).jobId : '';
      let job: { state: string; result?: ImportReport } = { state: 'running' };
      for (let poll = 10; job.state === 'running'; poll += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const answer = await service.handle({ type: 'api', id: poll, windowId: 7, method: 'jobs.get', input: { id: jobId } });
        if (answer.type === 'api' && answer.result.ok) job = answer.result.data as typeof job;
      }
      expect(job.state).toBe('done');
      const sha = job.result?.imported[0].sha256 ?? '';
      const detail = await service.handle({ type: 'api', id: 4, windowId: 7, method: 'evidence.get', input: { id: 1 } });
      expect(detail).toMatchObject({ result: { ok: true, data: { fileUrl: appFileUrl(7, 'vault', sha) } } });
      expect(appFileUrl(7, 'vault', sha)).toBe(`app://binder/files/7/vault/${sha}`);

      expect(await service.resolveFile(7, 'vault', sha)).toMatchObject({ name: '挂职干部任职文件.txt' });
      expect(await service.resolveFile(8, 'vault', sha)).toBeNull();
      expect(await service.resolveFile(7, 'vault', '..%2f..%2fetc%2fpasswd')).toBeNull();
      expect(await service.resolveFile(7, 'export', '..')).toBeNull();
      expect(await service.resolveFile(7, 'other', sha)).toBeNull();

      await service.handle({ type: 'close', id: 5, windowId: 7 });
      expect(await service.resolveFile(7, 'vault', sha)).toBeNull();
      service.closeAll();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

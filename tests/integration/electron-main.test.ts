import { PDFDocument } from '@cantoo/pdf-lib';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { importPaths } from '../../electron/backend/workspace/import.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';
import { buildElectronBundles, createFakeElectron, loadWithFakeElectron, type ElectronBundles, type FakeElectron, type FakeFrame, type FakeWebContents } from '../helpers/fake-electron.js';

/**
 * The real main-process bundle (dist/electron/main.cjs, built fresh from source) under plain Node with a fake
 * `electron`: a wiring mistake in main.ts (a handler not registered, a window without its secure options, a
 * sender check skipped) fails here, although the Electron binary cannot run on this machine.
 */

let bundles: ElectronBundles;
let tmp: string;
let userData: string;
let fake: FakeElectron;
let qingshan: string;
let baishui: string;
let outsideFile: string;
let storedSha: string;

type Menu = { label?: string; submenu?: Menu[]; click?: () => void };
type ApiReply = { ok: boolean; data?: unknown; error?: { code: string; message: string } };

const FORBIDDEN = { ok: false, error: { code: 'forbidden', message: '拒绝访问：请求不是来自本程序的窗口。' } };

const win = (i: number) => {
  const w = fake.windows[i];
  if (!w) throw new Error(`window ${i} was not created`);
  return w;
};
const fromMainFrame = (contents: FakeWebContents) => ({ sender: contents, senderFrame: contents.mainFrame });
const api = async (contents: FakeWebContents, method: string, input: unknown = {}, frame: FakeFrame | null = contents.mainFrame) =>
  (await fake.invoke('api', { sender: contents, senderFrame: frame }, method, input)) as ApiReply;
const apiRequests = () => fake.forks.flatMap((f) => f.received).filter((m) => (m as { type?: string }).type === 'api').length;
const menuItem = (label: string): Menu => {
  const found = (fake.applicationMenu?.template as Menu[] | undefined)?.flatMap((m) => m.submenu ?? []).find((i) => i.label === label);
  if (!found) throw new Error(`menu item ${label} missing`);
  return found;
};
const protocolHandler = () => {
  const handler = fake.protocolHandlers.get('app');
  if (!handler) throw new Error('app:// is not handled');
  return handler;
};

beforeAll(async () => {
  bundles = await buildElectronBundles();
  tmp = mkdtempSync(path.join(tmpdir(), 'binder-electron-'));
  userData = path.join(tmp, 'userData');
  mkdirSync(userData);
  qingshan = path.join(tmp, '青山县2019');
  baishui = path.join(tmp, '白水县2019');
  const ws = (await Workspace.init(qingshan, { templateId: 'east-west-2017', title: '青山县东西部协作佐证材料' }));
  const pdf = await PDFDocument.create();
  pdf.addPage([595, 842]);
  const scan = path.join(tmp, '帮扶协议.pdf');
  writeFileSync(scan, await pdf.save());
  await importPaths(ws, [scan]);
  storedSha = (await ws.listEvidence())[0]?.sha256 ?? '';
  await ws.close();
  await (await Workspace.init(baishui, { templateId: 'east-west-2021', title: '白水县东西部协作佐证材料' })).close();
  outsideFile = path.join(tmp, '工作区以外.pdf');
  writeFileSync(outsideFile, '%PDF-1.7');
  writeFileSync(path.join(qingshan, '说明.pdf'), '%PDF-1.7');
  writeFileSync(path.join(qingshan, 'setup.exe'), 'MZ');
  symlinkSync(outsideFile, path.join(qingshan, '捷径.pdf'));

  fake = createFakeElectron({ userData, version: '1.2.3' });
  // Launched by "open with" on the workspace folder: main reads it from argv once the app is ready.
  const argv = process.argv;
  process.argv = [process.execPath, qingshan];
  try {
    loadWithFakeElectron(bundles.main, fake);
    await vi.waitFor(() => expect(fake.windows[0]?.loadedUrls).toHaveLength(1));
  } finally {
    process.argv = argv;
  }
});

afterAll(async () => {
  for (const child of fake?.forks ?? []) child.service.closeAll();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  if (bundles) rmSync(bundles.dir, { recursive: true, force: true });
});

describe('Electron main process (real bundle, fake electron)', () => {
  it('registers app:// as a standard, secure scheme before the app is ready', async () => {
    expect(fake.privilegedSchemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) }]);
  });

  it('opens one isolated window on app://binder/ with the bundled preload and the workspace from the command line', async () => {
    expect(fake.windows).toHaveLength(1);
    const w = win(0);
    const preload = path.join(path.dirname(bundles.main), 'preload.cjs');
    expect(w.options.webPreferences).toMatchObject({
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(existsSync(preload)).toBe(true);
    expect(w.loadedUrls).toEqual(['app://binder/index.html']);
    expect(w.visible).toBe(true);
    expect(w.title).toBe('青山县2019 — 佐证材料汇编');
  });

  it('starts the backend utility process with the app folders', async () => {
    expect(fake.forks).toHaveLength(1);
    const child = fake.forks[0];
    expect(child?.entry).toBe(path.join(path.dirname(bundles.main), 'backend.mjs'));
    expect(child?.args).toEqual([`--state-dir=${userData}`, `--demo-dir=${path.join(userData, 'demo')}`, '--version=1.2.3']);
  });

  it('serves the workbench over app:// and nothing outside the renderer folder', async () => {
    const handler = protocolHandler();
    const index = await handler(new Request('app://binder/index.html'));
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>佐证材料汇编</title>');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect((await handler(new Request('app://binder/assets/app.js'))).status).toBe(200);
    for (const url of ['app://binder/../package.json', 'app://binder/%2e%2e/package.json', 'app://binder/assets/..%2f..%2fpackage.json', 'app://binder/..%5cpackage.json', 'app://evil/index.html']) {
      const res = await handler(new Request(url));
      expect(res.status, url).toBe(404);
      expect(await res.text(), url).not.toContain('secret-outside-renderer');
    }
  });

  it('serves a stored original of the window’s workspace through the backend', async () => {
    const handler = protocolHandler();
    const res = await handler(new Request(`app://binder/files/${win(0).id}/vault/${storedSha}`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('帮扶协议.pdf'));
    expect((await res.text()).startsWith('%PDF')).toBe(true);
    // Another window id has no such workspace.
    expect((await handler(new Request(`app://binder/files/99/vault/${storedSha}`))).status).toBe(404);
  });

  it('hardens the window: no navigation away, no new windows, no webviews', async () => {
    const contents = win(0).webContents;
    expect(contents.navigate('will-navigate', 'https://example.com')).toBe(true);
    expect(contents.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.navigate('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(contents.navigate('will-navigate', 'app://binder/index.html')).toBe(false);
    expect(contents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    let prevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, {});
    expect(prevented).toBe(true);
  });

  it('locks down the session: permissions denied, network requests cancelled', async () => {
    const session = fake.defaultSession;
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      let granted: boolean | undefined;
      session.permissionRequestHandler?.(win(0).webContents, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
    }
    expect(session.permissionCheckHandler?.()).toBe(false);
    for (const url of ['http://example.com/a.js', 'https://example.com/track.gif', 'file:///etc/passwd']) expect(session.requestOutcome(url), url).toBe('cancel');
    expect(session.requestOutcome('app://binder/assets/app.js')).toBe('allow');
  });

  it('answers API calls from the window’s main frame through the backend', async () => {
    const contents = win(0).webContents;
    const templates = await api(contents, 'templates.list');
    expect(templates.ok).toBe(true);
    expect((templates.data as { id: string }[]).map((t) => t.id).sort()).toEqual(['east-west-2017', 'east-west-2021']);
    const info = await api(contents, 'workspace.info');
    expect(info).toMatchObject({ ok: true, data: { settings: { title: '青山县东西部协作佐证材料' } } });
    expect(await api(contents, 'no.such.method')).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });

  it('refuses API calls from a subframe, a foreign page or an unknown frame before they reach the backend', async () => {
    const contents = win(0).webContents;
    const main = contents.mainFrame;
    const before = apiRequests();
    const preview: FakeFrame = { url: `app://binder/files/1/vault/${storedSha}`, parent: main, processId: main.processId, routingId: 7 };
    expect(await api(contents, 'templates.list', {}, preview)).toEqual(FORBIDDEN);
    expect(await api(contents, 'templates.list', {}, { ...main, routingId: 8 })).toEqual(FORBIDDEN);
    expect(await api(contents, 'templates.list', {}, null)).toEqual(FORBIDDEN);
    main.url = 'https://example.com/';
    try {
      expect(await api(contents, 'workspace.info')).toEqual(FORBIDDEN);
      expect(await fake.invoke('pick-files', fromMainFrame(contents))).toEqual([]);
    } finally {
      main.url = 'app://binder/index.html';
    }
    expect(apiRequests()).toBe(before);
    expect(fake.dialogs.filter((d) => d.kind === 'open')).toHaveLength(0);
  });

  it('opens and reveals only files inside the window’s folders', async () => {
    const event = fromMainFrame(win(0).webContents);
    await expect(fake.invoke('open-path', event, outsideFile)).rejects.toThrow('只能打开本工作区或输出文件夹中的文档。');
    await expect(fake.invoke('open-path', event, '/etc/passwd')).rejects.toThrow('只能打开本工作区或输出文件夹中的文档。');
    await expect(fake.invoke('open-path', event, path.join(qingshan, 'setup.exe'))).rejects.toThrow('只能打开');
    // A link inside the workspace that points outside it.
    await expect(fake.invoke('open-path', event, path.join(qingshan, '捷径.pdf'))).rejects.toThrow('只能打开');
    await expect(fake.invoke('show-in-folder', event, outsideFile)).rejects.toThrow('只能显示本工作区或输出文件夹中的文件。');
    expect(fake.openedPaths).toEqual([]);
    expect(fake.revealedPaths).toEqual([]);

    await fake.invoke('open-path', event, path.join(qingshan, '说明.pdf'));
    await fake.invoke('show-in-folder', event, path.join(qingshan, 'setup.exe'));
    expect(fake.openedPaths).toEqual([path.join(qingshan, '说明.pdf')]);
    expect(fake.revealedPaths).toEqual([path.join(qingshan, 'setup.exe')]);

    // An output folder the user picks becomes openable too.
    const outDir = path.join(tmp, '输出');
    fake.openDialogResults.push({ canceled: false, filePaths: [outDir] });
    expect(await fake.invoke('pick-folder', event)).toBe(outDir);
    await fake.invoke('open-path', event, path.join(outDir, '汇编.pdf'));
    expect(fake.openedPaths.at(-1)).toBe(path.join(outDir, '汇编.pdf'));
  });

  it('shows the Chinese application menu with the opened workspace among the recent ones', async () => {
    const template = fake.applicationMenu?.template as Menu[];
    expect(template.map((m) => m.label)).toEqual(['文件', '编辑', '视图', '帮助']);
    const recent = menuItem('最近打开').submenu ?? [];
    expect(recent.map((r) => r.label)).toContainEqual(`青山县东西部协作佐证材料　${qingshan}`);
    menuItem('关于佐证材料汇编').click?.();
    await vi.waitFor(() => expect(fake.dialogs.at(-1)).toMatchObject({ kind: 'message', options: { message: '佐证材料汇编 1.2.3' } }));
    menuItem('生成汇编…').click?.();
    expect(win(0).webContents.sent.at(-1)).toEqual({ channel: 'menu-command', args: ['build'] });
  });

  it('a second launch focuses the existing window, or opens another workspace in its own window', async () => {
    const first = win(0);
    first.minimize();
    const focusCount = first.focusCount;
    fake.app.emit('second-instance', {}, [process.execPath], tmp);
    expect(first.isMinimized()).toBe(false);
    expect(first.focusCount).toBe(focusCount + 1);
    fake.app.emit('second-instance', {}, [process.execPath, qingshan], tmp);
    expect(first.focusCount).toBe(focusCount + 2);
    expect(fake.windows).toHaveLength(1);

    fake.app.emit('second-instance', {}, [process.execPath, '白水县2019'], tmp);
    await vi.waitFor(() => expect(fake.windows[1]?.loadedUrls).toEqual(['app://binder/index.html']));
    const second = win(1);
    expect(second.title).toBe('白水县2019 — 佐证材料汇编');
    expect(second.webContents.navigate('will-navigate', 'https://example.com')).toBe(true);
    // One backend session per window: each sees its own workspace and may open only its own files.
    expect(await api(second.webContents, 'workspace.info')).toMatchObject({ ok: true, data: { settings: { title: '白水县东西部协作佐证材料' } } });
    expect(await api(first.webContents, 'workspace.info')).toMatchObject({ ok: true, data: { settings: { title: '青山县东西部协作佐证材料' } } });
    await expect(fake.invoke('open-path', fromMainFrame(second.webContents), path.join(qingshan, '说明.pdf'))).rejects.toThrow('只能打开');
  });

  it('exposes exactly the narrow bridge from a preload that requires nothing but electron', async () => {
    const { requests } = loadWithFakeElectron(bundles.preload, fake);
    expect(requests).toEqual(['electron']);
    const source = readFileSync(bundles.preload, 'utf8');
    expect([...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect([...fake.exposed.keys()]).toEqual(['bridge']);
    const bridge = fake.exposed.get('bridge') as Record<string, (...args: unknown[]) => unknown>;
    expect(Object.keys(bridge).sort()).toEqual(['getPathForFile', 'invoke', 'onMenuCommand', 'openPath', 'pickFiles', 'pickFolder', 'showInFolder']);
    for (const fn of Object.values(bridge)) expect(typeof fn).toBe('function');

    // Through the bridge, ipcMain and the utility process to the backend, from the first window.
    const templates = (await bridge.invoke?.('templates.list', {})) as ApiReply;
    expect((templates.data as unknown[]).length).toBe(2);
    await expect(bridge.openPath?.(outsideFile) as Promise<void>).rejects.toThrow('只能打开');

    const commands: unknown[] = [];
    const unsubscribe = bridge.onMenuCommand?.((c: unknown) => commands.push(c)) as () => void;
    win(0).focus();
    menuItem('导入文件…').click?.();
    win(0).webContents.send('menu-command', 'rm -rf /');
    unsubscribe();
    menuItem('生成汇编…').click?.();
    expect(commands).toEqual(['import-files']);
  });

  it('restarts a crashed backend, fails the call in flight in Chinese and reopens each window’s workspace', async () => {
    const first = win(0);
    const second = win(1);
    const reloads = [first.webContents.reloads, second.webContents.reloads];
    const forks = fake.forks.length;
    const inFlight = api(first.webContents, 'workspace.info');
    fake.forks.at(-1)?.crash(1);
    expect(await inFlight).toEqual({ ok: false, error: { code: 'backend', message: '后台进程意外退出（代码 1）。请重试刚才的操作。' } });
    expect(fake.forks).toHaveLength(forks + 1);
    await vi.waitFor(() => expect([first.webContents.reloads, second.webContents.reloads]).toEqual([reloads[0]! + 1, reloads[1]! + 1]));
    expect(await api(first.webContents, 'workspace.info')).toMatchObject({ ok: true, data: { settings: { title: '青山县东西部协作佐证材料' } } });
    expect(await api(second.webContents, 'workspace.info')).toMatchObject({ ok: true, data: { settings: { title: '白水县东西部协作佐证材料' } } });
  });

  it('closing windows ends their backend sessions; closing the last quits and stops the backend', async () => {
    const first = win(0);
    const second = win(1);
    const child = fake.forks.at(-1);
    await second.close();
    await vi.waitFor(() => expect(child?.received).toContainEqual(expect.objectContaining({ type: 'close', windowId: second.id })));
    expect(await api(second.webContents, 'workspace.info')).toEqual(FORBIDDEN);
    expect(existsSync(path.join(userData, 'window-state.json'))).toBe(true);
    expect(fake.quits).toEqual([]);
    await first.close();
    expect(fake.quits).toEqual(['quit']);
    expect(child?.received.at(-1)).toEqual({ type: 'shutdown' });
    expect(child?.exited).toBe(true);
    // A deliberate stop is not a crash: no new backend.
    expect(fake.forks.at(-1)).toBe(child);
  });

  it('a second copy of the app quits at once without a window, a backend or IPC handlers', async () => {
    const other = createFakeElectron({ userData, singleInstanceLock: false });
    loadWithFakeElectron(bundles.main, other);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(other.quits).toEqual(['quit']);
    expect(other.windows).toHaveLength(0);
    expect(other.forks).toHaveLength(0);
    expect(other.ipcHandlers.size).toBe(0);
    expect(other.protocolHandlers.size).toBe(0);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The real `electron` package throws on import when its binary is missing (as on the build machines); the
// shell's decisions must not need it.
vi.mock('electron', () => ({ app: {}, BrowserWindow: class {}, protocol: {}, session: {}, shell: {}, dialog: {}, ipcMain: {} }));

const security = await import('../../../electron/main/security.js');
const { createProtocolHandler } = await import('../../../electron/main/protocol.js');
const { buildMenuTemplate } = await import('../../../electron/main/menu.js');
const { findWorkspaceArgument, isOnScreen, readRecentWorkspaces, readWindowBounds, writeWindowBounds } = await import('../../../electron/main/state.js');
const { sqliteBindingFor } = await import('../../../electron/main/native.js');

type Frame = { url: string; parent: Frame | null; processId?: number; routingId?: number };
const makeWindow = (frame: Frame, destroyed = false) => ({ isDestroyed: () => destroyed, webContents: { mainFrame: frame } });

describe('window options', () => {
  it('isolate the renderer and load only the bundled preload', () => {
    const options = security.windowOptions('/app/dist/electron/preload.cjs');
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(options.title).toBe('佐证材料汇编');
    expect(options.show).toBe(false);
  });

  it('reuse remembered bounds', () => {
    expect(security.windowOptions('/p.cjs', { x: 10, y: 20, width: 1400, height: 900 })).toMatchObject({ x: 10, y: 20, width: 1400, height: 900 });
    expect(security.windowOptions('/p.cjs')).not.toHaveProperty('x');
  });
});

describe('navigation and requests', () => {
  it('allow only our app:// pages', () => {
    expect(security.isAllowedNavigation('app://binder/index.html')).toBe(true);
    expect(security.isAllowedNavigation('app://binder/files/1/vault/abc')).toBe(true);
    for (const url of ['https://example.com', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://evil/index.html', 'about:blank', 'not a url']) {
      expect(security.isAllowedNavigation(url), url).toBe(false);
    }
  });

  it('cancel every network request but let the PDF viewer and inline data through', () => {
    expect(security.isAllowedRequest('app://binder/assets/index.js')).toBe(true);
    expect(security.isAllowedRequest('data:image/png;base64,AAAA')).toBe(true);
    expect(security.isAllowedRequest('blob:app://binder/1234')).toBe(true);
    expect(security.isAllowedRequest('chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.html')).toBe(true);
    for (const url of ['https://example.com/x.js', 'http://update.example.com', 'ws://127.0.0.1:1', 'file:///C:/Windows/win.ini', 'ftp://x', 'chrome-extension://abcdef/x']) {
      expect(security.isAllowedRequest(url), url).toBe(false);
    }
  });

  it('deny window.open, webviews, off-app navigation and redirects', () => {
    expect(security.denyWindowOpen()).toEqual({ action: 'deny' });
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>();
    let openHandler: (() => { action: 'deny' }) | undefined;
    security.hardenContents({
      on: (name: string, listener: (event: { preventDefault(): void }, url: string) => void) => listeners.set(name, listener),
      setWindowOpenHandler: (handler: () => { action: 'deny' }) => {
        openHandler = handler;
      },
    });
    expect(openHandler?.()).toEqual({ action: 'deny' });
    const outcome = (name: string, url = '') => {
      let prevented = false;
      listeners.get(name)?.({ preventDefault: () => (prevented = true) }, url);
      return prevented;
    };
    expect(outcome('will-navigate', 'https://example.com')).toBe(true);
    expect(outcome('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(outcome('will-navigate', 'app://binder/index.html')).toBe(false);
    expect(outcome('will-redirect', 'https://example.com')).toBe(true);
    expect(outcome('will-attach-webview')).toBe(true);
  });

  it('deny every permission and cancel non-app requests for the session', () => {
    let requestHandler: typeof security.denyPermissionRequest | undefined;
    let checkHandler: typeof security.denyPermissionCheck | undefined;
    let beforeRequest: ((details: { url: string }, callback: (r: { cancel: boolean }) => void) => void) | undefined;
    security.lockDownSession({
      setPermissionRequestHandler: (h) => (requestHandler = h),
      setPermissionCheckHandler: (h) => (checkHandler = h),
      webRequest: { onBeforeRequest: (l) => (beforeRequest = l) },
    });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      requestHandler?.({}, permission, (g) => (granted = g));
      expect(granted, permission).toBe(false);
    }
    expect(checkHandler?.()).toBe(false);
    const cancelled = (url: string) => {
      let result: boolean | undefined;
      beforeRequest?.({ url }, (r) => (result = r.cancel));
      return result;
    };
    expect(cancelled('https://example.com/track.gif')).toBe(true);
    expect(cancelled('app://binder/index.html')).toBe(false);
  });
});

describe('IPC sender check', () => {
  const main: Frame = { url: 'app://binder/index.html', parent: null };
  const windows = [makeWindow(main)];

  it('trusts the main frame of our own window on our page', () => {
    expect(security.isTrustedSender(main, windows)).toBe(true);
  });

  it('rejects unknown frames, subframes, other URLs and destroyed windows', () => {
    expect(security.isTrustedSender(null, windows)).toBe(false);
    expect(security.isTrustedSender(undefined, windows)).toBe(false);
    expect(security.isTrustedSender({ url: 'app://binder/index.html', parent: null }, windows)).toBe(false);
    expect(security.isTrustedSender({ url: 'app://binder/files/1/vault/x', parent: main }, windows)).toBe(false);
    const navigatedAway: Frame = { url: 'https://example.com/', parent: null };
    expect(security.isTrustedSender(navigatedAway, [makeWindow(navigatedAway)])).toBe(false);
    const fileFrame: Frame = { url: 'file:///tmp/index.html', parent: null };
    expect(security.isTrustedSender(fileFrame, [makeWindow(fileFrame)])).toBe(false);
    expect(security.isTrustedSender(main, [makeWindow(main, true)])).toBe(false);
    // Identity by (process, routing id): another frame of the same process is not the main frame.
    const withIds: Frame = { url: 'app://binder/index.html', parent: null, processId: 4, routingId: 1 };
    expect(security.isTrustedSender({ ...withIds }, [makeWindow(withIds)])).toBe(true);
    expect(security.isTrustedSender({ ...withIds, routingId: 2 }, [makeWindow(withIds)])).toBe(false);
  });
});

describe('paths', () => {
  const root = path.resolve('/srv/app/dist/renderer');

  it('resolves renderer files below the root', () => {
    expect(security.resolveProtocolPath(root, '/index.html')).toBe(path.join(root, 'index.html'));
    expect(security.resolveProtocolPath(root, '/assets/%E4%B8%AD.js')).toBe(path.join(root, 'assets', '中.js'));
  });

  it('rejects traversal, encoded traversal, absolute, backslash and drive tricks', () => {
    for (const p of [
      '/../secret',
      '/assets/../../secret',
      '/%2e%2e/secret',
      '/%2E%2E/%2e%2e/etc/passwd',
      '/..%2fsecret',
      '/..%5csecret',
      '/assets\\..\\..\\secret',
      '/C:/Windows/win.ini',
      '/c%3a/Windows/win.ini',
      '/%00index.html',
      '/%E4%B8',
    ]) {
      expect(security.resolveProtocolPath(root, p), p).toBeNull();
    }
  });

  it('knows when a path is inside a folder', () => {
    expect(security.isPathInside('/ws', '/ws/vault/ab/x.pdf')).toBe(true);
    expect(security.isPathInside('/ws', '/ws')).toBe(true);
    expect(security.isPathInside('/ws', '/ws/../etc/passwd')).toBe(false);
    expect(security.isPathInside('/ws', '/ws2/file')).toBe(false);
    expect(security.isPathInside('/ws', '/ws/..hidden')).toBe(true);
    expect(security.isPathInside('/ws', '/')).toBe(false);
  });

  it('opens and reveals only inside the window folders, and never launches programs', () => {
    const roots = [path.resolve('/data/青山县2019'), path.resolve('/out/汇编')];
    expect(security.canOpenPath(path.resolve('/data/青山县2019/输出/汇编.pdf'), roots)).toBe(true);
    expect(security.canOpenPath(path.resolve('/out/汇编/目录.docx'), roots)).toBe(true);
    expect(security.canOpenPath(path.resolve('/etc/passwd'), roots)).toBe(false);
    expect(security.canOpenPath(path.resolve('/data/青山县2019/../other/x.pdf'), roots)).toBe(false);
    expect(security.canOpenPath('relative/x.pdf', roots)).toBe(false);
    expect(security.canOpenPath(42, roots)).toBe(false);
    expect(security.canOpenPath(path.resolve('/data/青山县2019/vault/ab/setup.exe'), roots)).toBe(false);
    expect(security.canOpenPath(path.resolve('/data/青山县2019/run.BAT'), roots)).toBe(false);
    expect(security.canRevealPath(path.resolve('/data/青山县2019/vault/ab/setup.exe'), roots)).toBe(true);
    expect(security.canRevealPath(path.resolve('/data/青山县2019/x.pdf'), [])).toBe(false);
  });
});

describe('app:// protocol handler', () => {
  let dir: string;
  let handler: (request: Request) => Promise<Response>;
  const resolved: { windowId: number; kind: string; name: string }[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'binder-protocol-'));
    mkdirSync(path.join(dir, 'renderer', 'assets'), { recursive: true });
    writeFileSync(path.join(dir, 'renderer', 'index.html'), '<title>佐证材料汇编</title>');
    writeFileSync(path.join(dir, 'renderer', 'assets', 'app.css'), 'body{}');
    writeFileSync(path.join(dir, 'secret.txt'), 'secret');
    writeFileSync(path.join(dir, 'scan.pdf'), '%PDF-1.7 fake');
    writeFileSync(path.join(dir, 'page.html'), '<script>alert(1)</script>');
    handler = createProtocolHandler({
      rendererDir: path.join(dir, 'renderer'),
      resolveFile: async (windowId, kind, name) => {
        resolved.push({ windowId, kind, name });
        if (name === 'a'.repeat(64)) return { path: path.join(dir, 'scan.pdf'), name: '协议书 扫描件.pdf' };
        if (name === 'b'.repeat(64)) return { path: path.join(dir, 'page.html'), name: 'page.html' };
        return null;
      },
    });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the workbench with the CSP', async () => {
    const res = await handler(new Request('app://binder/'));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<title>佐证材料汇编</title>');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const css = await handler(new Request('app://binder/assets/app.css'));
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('refuses other hosts and paths outside the renderer', async () => {
    expect((await handler(new Request('app://other/index.html'))).status).toBe(404);
    expect((await handler(new Request('app://binder/nothing.js'))).status).toBe(404);
    expect((await handler(new Request('app://binder/assets/..%5c..%5csecret.txt'))).status).toBe(404);
    expect((await handler(new Request('app://binder/..%2fsecret.txt'))).status).toBe(404);
  });

  it('serves a window’s stored original through the backend, sandboxing anything but PDF', async () => {
    const pdf = await handler(new Request(`app://binder/files/3/vault/${'a'.repeat(64)}`));
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('协议书 扫描件.pdf')}`);
    expect(await pdf.text()).toBe('%PDF-1.7 fake');
    expect(resolved.at(-1)).toEqual({ windowId: 3, kind: 'vault', name: 'a'.repeat(64) });
    const html = await handler(new Request(`app://binder/files/3/vault/${'b'.repeat(64)}`));
    expect(html.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toContain('sandbox');
    expect((await handler(new Request(`app://binder/files/3/vault/${'c'.repeat(64)}`))).status).toBe(404);
  });
});

describe('menu', () => {
  it('is Chinese and wires each item to its action', () => {
    const calls: string[] = [];
    const actions = {
      newWorkspace: () => calls.push('new'),
      openWorkspace: () => calls.push('open'),
      openRecent: (dir: string) => calls.push(`recent:${dir}`),
      importFiles: () => calls.push('import-files'),
      importFolder: () => calls.push('import-folder'),
      build: () => calls.push('build'),
      undoFiling: () => calls.push('undo'),
      about: () => calls.push('about'),
      openDemo: () => calls.push('demo'),
    };
    const template = buildMenuTemplate(actions, [{ dir: '/data/青山县', title: '青山县2019' }], 'linux');
    expect(template.map((m) => m.label)).toEqual(['文件', '编辑', '视图', '帮助']);
    const items = template.flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : []));
    const labels = items.map((i) => i.label).filter(Boolean);
    expect(labels).toEqual(expect.arrayContaining(['新建工作区…', '打开工作区…', '最近打开', '导入文件…', '导入文件夹…', '生成汇编…', '退出', '撤销', '剪切', '复制', '粘贴', '全选', '实际大小', '放大', '缩小', '全屏', '打开示例工作区', '关于佐证材料汇编']));
    const click = (label: string) => (items.find((i) => i.label === label)?.click as (() => void) | undefined)?.();
    for (const label of ['新建工作区…', '打开工作区…', '导入文件…', '导入文件夹…', '生成汇编…', '撤销', '关于佐证材料汇编', '打开示例工作区']) click(label);
    const recent = items.find((i) => i.label === '最近打开');
    const recentItems = Array.isArray(recent?.submenu) ? recent.submenu : [];
    (recentItems[0]?.click as (() => void) | undefined)?.();
    expect(calls).toEqual(['new', 'open', 'import-files', 'import-folder', 'build', 'undo', 'about', 'demo', 'recent:/data/青山县']);
    expect(buildMenuTemplate(actions, [], 'darwin')[0].label).toBe('佐证材料汇编');
  });
});

describe('app state', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'binder-state-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('remembers window bounds and ignores broken or tiny ones', () => {
    expect(readWindowBounds(dir)).toBeUndefined();
    writeWindowBounds(dir, { x: 40, y: 50, width: 1300, height: 850, maximized: true });
    expect(readWindowBounds(dir)).toEqual({ x: 40, y: 50, width: 1300, height: 850, maximized: true });
    writeFileSync(path.join(dir, 'window-state.json'), '{"width": 10, "height": 10}');
    expect(readWindowBounds(dir)).toBeUndefined();
    writeFileSync(path.join(dir, 'window-state.json'), '{not json');
    expect(readWindowBounds(dir)).toBeUndefined();
  });

  it('keeps a window on a visible display', () => {
    const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(isOnScreen({ x: 100, y: 100, width: 1200, height: 800 }, displays)).toBe(true);
    expect(isOnScreen({ x: 3000, y: 100, width: 1200, height: 800 }, displays)).toBe(false);
  });

  it('reads the recent list written by the backend', () => {
    writeFileSync(path.join(dir, 'recent.json'), JSON.stringify([{ dir: '/a', title: '青山县', at: '2019' }, { dir: '/b', title: '' }, { nope: 1 }]));
    expect(readRecentWorkspaces(dir)).toEqual([{ dir: '/a', title: '青山县' }, { dir: '/b', title: 'b' }]);
  });

  it('finds the workspace folder on the command line, skipping the app path and switches', () => {
    const dirs = new Set([path.resolve('/work/app'), path.resolve('/data/青山县')]);
    const isDir = (p: string) => dirs.has(p);
    expect(findWorkspaceArgument(['electron', '/work/app', '--inspect', '/data/青山县'], '/', 2, isDir)).toBe(path.resolve('/data/青山县'));
    expect(findWorkspaceArgument(['佐证材料汇编.exe', '--allow-file-access', 'missing'], '/', 1, isDir)).toBeUndefined();
    expect(findWorkspaceArgument(['app.exe', '青山县'], '/data', 1, isDir)).toBe(path.resolve('/data/青山县'));
  });

  it('uses the Electron build of better-sqlite3 only when present and not packaged', () => {
    const native = path.join(dir, 'build', 'native', 'electron-41.7.1', 'better-sqlite3', 'build', 'Release');
    expect(sqliteBindingFor(dir, '41.7.1', false)).toBeUndefined();
    mkdirSync(native, { recursive: true });
    writeFileSync(path.join(native, 'better_sqlite3.node'), '');
    expect(sqliteBindingFor(dir, '41.7.1', false)).toBe(path.join(native, 'better_sqlite3.node'));
    expect(sqliteBindingFor(dir, '41.7.1', true)).toBeUndefined();
  });
});

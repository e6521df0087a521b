import { build, type BuildOptions } from 'esbuild';
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BackendService, type BackendReply, type BackendRequest } from '../../electron/backend/host/service.js';

/**
 * A stand-in for the `electron` module, so the real main-process and preload bundles run under plain Node
 * (the Electron binary cannot be downloaded on the build machines). It records what the shell registers
 * (windows, protocol handlers, IPC handlers, menus, session rules) and routes the utility process to an
 * in-process BackendService, so API calls from a "window" really reach the backend.
 */

const root = path.resolve(import.meta.dirname, '..', '..');

export type ElectronBundles = { dir: string; main: string; preload: string; rendererDir: string };

/**
 * Bundles main and preload from source the way scripts/build.mjs does (same esbuild options), into
 * tests/.tmp/electron-main/<unique>/electron/, with a tiny renderer beside it in ../renderer: main.ts finds
 * the renderer and preload relative to its own bundle.
 */
export async function buildElectronBundles(): Promise<ElectronBundles> {
  const dir = path.join(root, 'tests', '.tmp', 'electron-main', `${process.pid}-${Date.now()}`);
  const common = { bundle: true, target: 'node20', logLevel: 'error', external: ['electron'], logOverride: { 'empty-import-meta': 'silent' } } satisfies BuildOptions;
  const main = path.join(dir, 'electron', 'main.cjs');
  const preload = path.join(dir, 'electron', 'preload.cjs');
  await build({ ...common, entryPoints: [path.join(root, 'electron/main/main.ts')], outfile: main, format: 'cjs', platform: 'node', packages: 'external' });
  // As in build.mjs: the sandboxed preload may require nothing but electron, so everything else is bundled in.
  await build({ ...common, entryPoints: [path.join(root, 'electron/preload/preload.ts')], outfile: preload, format: 'cjs', platform: 'browser' });
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>佐证材料汇编</title><div id="root"></div>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("workbench")');
  // A file beside the renderer folder that the app:// protocol must never serve.
  writeFileSync(path.join(dir, 'package.json'), '{"name":"secret-outside-renderer"}');
  return { dir, main, preload, rendererDir };
}

type Loader = { _load(request: string, parent: { filename?: string } | null | undefined, isMain: boolean): unknown; _cache: Record<string, unknown> };

/**
 * Loads a CommonJS bundle with `require('electron')` answered by the fake. Returns the module's exports and
 * every module the bundle itself asked for (to prove the preload needs nothing but electron).
 */
export function loadWithFakeElectron(file: string, fake: FakeElectron): { exports: unknown; requests: string[] } {
  const loader = Module as unknown as Loader;
  const original = loader._load;
  const requests: string[] = [];
  loader._load = function (request, parent, isMain) {
    if (parent?.filename === file) requests.push(request);
    if (request === 'electron') return fake.module;
    return original.call(this, request, parent, isMain);
  };
  try {
    delete loader._cache[file];
    return { exports: loader._load(file, null, false), requests };
  } finally {
    loader._load = original;
  }
}

export type FakeFrame = { url: string; parent: FakeFrame | null; processId: number; routingId: number };
export type NavigationEvent = { preventDefault(): void; defaultPrevented: boolean };
export type WindowOpenHandler = (details: { url: string }) => { action: string };
type IpcHandler = (event: { sender: FakeWebContents; senderFrame: FakeFrame | null }, ...args: unknown[]) => unknown;
type BeforeRequestListener = (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void;
type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
type MenuTemplateItem = { label?: string; role?: string; submenu?: MenuTemplateItem[]; click?: () => void; enabled?: boolean };
type DialogResult = { canceled: boolean; filePaths: string[] };

/** What a webContents needs from the fake: its session and the preload's ipcRenderer. */
type WebContentsHost = { readonly defaultSession: FakeSession; readonly ipcRenderer: EventEmitter; readonly rendererContents: FakeWebContents | undefined };

export class FakeWebContents extends EventEmitter {
  readonly id: number;
  readonly mainFrame: FakeFrame;
  windowOpenHandler: WindowOpenHandler | undefined;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  reloads = 0;
  private readonly fake: WebContentsHost;

  constructor(id: number, fake: WebContentsHost) {
    super();
    this.id = id;
    this.fake = fake;
    this.mainFrame = { url: '', parent: null, processId: 100 + id, routingId: 1 };
  }

  get session(): FakeSession {
    return this.fake.defaultSession;
  }

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }

  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
    // The preload lives in the first window: its ipcRenderer hears what main sends there.
    if (this.fake.rendererContents === this) this.fake.ipcRenderer.emit(channel, { sender: this }, ...args);
  }

  reload(): void {
    this.reloads += 1;
  }

  executeJavaScript(): Promise<unknown> {
    return Promise.resolve(false);
  }

  undo(): void {}

  /** Emits a navigation event as Chromium would and says whether a listener blocked it. */
  navigate(event: 'will-navigate' | 'will-redirect', url: string): boolean {
    const e: NavigationEvent = {
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    this.emit(event, e, url);
    return e.defaultPrevented;
  }
}

export class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | undefined;
  permissionCheckHandler: (() => boolean) | undefined;
  readonly beforeRequest: BeforeRequestListener[] = [];
  readonly webRequest = { onBeforeRequest: (listener: BeforeRequestListener) => void this.beforeRequest.push(listener) };

  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
  }

  setPermissionCheckHandler(handler: () => boolean): void {
    this.permissionCheckHandler = handler;
  }

  /** What the session does with a request: 'cancel', 'allow', or 'no listener' when none was registered. */
  requestOutcome(url: string): 'cancel' | 'allow' | 'no listener' {
    if (this.beforeRequest.length === 0) return 'no listener';
    let cancel = false;
    for (const listener of this.beforeRequest) listener({ url }, (r) => (cancel ||= r.cancel));
    return cancel ? 'cancel' : 'allow';
  }
}

/** The utility process: each fork is a fresh backend (as a new process would be), fed through postMessage. */
export class FakeUtilityProcess extends EventEmitter {
  readonly received: unknown[] = [];
  readonly service: BackendService;
  exited = false;

  constructor(
    readonly entry: string,
    readonly args: string[],
    readonly options: { serviceName?: string; env?: Record<string, string | undefined> },
  ) {
    super();
    const { values } = parseArgs({ args, options: { 'state-dir': { type: 'string' }, 'demo-dir': { type: 'string' }, version: { type: 'string' } }, strict: false });
    const str = (v: unknown): string => {
      if (typeof v !== 'string') throw new Error(`utilityProcess.fork: missing argument in ${JSON.stringify(args)}`);
      return v;
    };
    this.service = new BackendService({ stateDir: str(values['state-dir']), demoDir: str(values['demo-dir']), version: str(values.version) });
  }

  postMessage(message: unknown): void {
    if (this.exited) return;
    this.received.push(message);
    if ((message as { type?: unknown }).type === 'shutdown') {
      this.service.closeAll();
      this.exit(0);
      return;
    }
    void this.service.handle(message as BackendRequest).then((reply: BackendReply) => {
      // A process that died meanwhile sends nothing.
      if (!this.exited) this.emit('message', reply);
    });
  }

  kill(): boolean {
    if (!this.exited) this.exit(null);
    return true;
  }

  /** Simulates a native crash of the backend process. */
  crash(code = 1): void {
    this.service.closeAll();
    this.exit(code);
  }

  private exit(code: number | null): void {
    this.exited = true;
    this.emit('exit', code);
  }
}

export type FakeElectronOptions = { userData: string; version?: string; singleInstanceLock?: boolean };

export type FakeElectron = ReturnType<typeof createFakeElectron>;

export function createFakeElectron(options: FakeElectronOptions) {
  let nextWindowId = 1;
  let focusedId: number | null = null;
  const windows: FakeBrowserWindow[] = [];
  const ipcHandlers = new Map<string, IpcHandler>();
  const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  const privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[] = [];
  const menuTemplates: MenuTemplateItem[][] = [];
  const dialogs: { kind: 'open' | 'message'; options: Record<string, unknown> }[] = [];
  const openDialogResults: DialogResult[] = [];
  const openedPaths: string[] = [];
  const revealedPaths: string[] = [];
  const exposed = new Map<string, unknown>();
  const forks: FakeUtilityProcess[] = [];
  const quits: string[] = [];
  const defaultSession = new FakeSession();
  const ipcRenderer = new EventEmitter();
  let applicationMenu: { template: MenuTemplateItem[] } | null = null;

  const app = Object.assign(new EventEmitter(), {
    isPackaged: true,
    whenReady: () => Promise.resolve(),
    requestSingleInstanceLock: () => options.singleInstanceLock ?? true,
    getPath: (name: string) => {
      if (name !== 'userData') throw new Error(`app.getPath(${name}) is not faked`);
      return options.userData;
    },
    getVersion: () => options.version ?? '9.9.9',
    quit: () => {
      quits.push('quit');
      app.emit('before-quit');
      app.emit('will-quit');
    },
  });

  class FakeBrowserWindow extends EventEmitter {
    readonly id: number;
    readonly options: Record<string, unknown>;
    readonly webContents: FakeWebContents;
    readonly loadedUrls: string[] = [];
    title = '';
    visible = false;
    focusCount = 0;
    minimized = false;
    private destroyed = false;

    constructor(windowOptions: Record<string, unknown>) {
      super();
      this.id = nextWindowId++;
      this.options = windowOptions;
      this.webContents = new FakeWebContents(this.id, fake);
      windows.push(this);
      // Electron announces every new webContents before the window is returned.
      app.emit('web-contents-created', {}, this.webContents);
    }

    static fromWebContents(contents: unknown): FakeBrowserWindow | null {
      return windows.find((w) => w.webContents === contents && !w.destroyed) ?? null;
    }

    static getFocusedWindow(): FakeBrowserWindow | null {
      return windows.find((w) => w.id === focusedId && !w.destroyed) ?? null;
    }

    static getAllWindows(): FakeBrowserWindow[] {
      return windows.filter((w) => !w.destroyed);
    }

    isDestroyed(): boolean {
      return this.destroyed;
    }

    async loadURL(url: string): Promise<void> {
      this.loadedUrls.push(url);
      this.webContents.mainFrame.url = url;
      this.emit('ready-to-show');
    }

    setTitle(title: string): void {
      this.title = title;
    }

    show(): void {
      this.visible = true;
    }

    focus(): void {
      this.focusCount += 1;
      focusedId = this.id;
    }

    isMinimized(): boolean {
      return this.minimized;
    }

    minimize(): void {
      this.minimized = true;
    }

    restore(): void {
      this.minimized = false;
    }

    maximize(): void {}

    isMaximized(): boolean {
      return false;
    }

    getNormalBounds() {
      return { x: 10, y: 20, width: Number(this.options.width), height: Number(this.options.height) };
    }

    close(): void {
      if (this.destroyed) return;
      this.emit('close', { preventDefault() {} });
      this.destroyed = true;
      if (focusedId === this.id) focusedId = null;
      this.emit('closed');
      if (windows.every((w) => w.destroyed)) app.emit('window-all-closed');
    }
  }

  const module = {
    app,
    BrowserWindow: FakeBrowserWindow,
    protocol: {
      registerSchemesAsPrivileged: (schemes: { scheme: string; privileges: Record<string, boolean> }[]) => void privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => void protocolHandlers.set(scheme, handler),
    },
    session: { defaultSession },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    ipcMain: {
      handle: (channel: string, handler: IpcHandler) => {
        if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        ipcHandlers.set(channel, handler);
      },
    },
    Menu: {
      buildFromTemplate: (template: MenuTemplateItem[]) => {
        menuTemplates.push(template);
        return { template };
      },
      setApplicationMenu: (menu: { template: MenuTemplateItem[] } | null) => {
        applicationMenu = menu;
      },
    },
    dialog: {
      showOpenDialog: async (...args: unknown[]): Promise<DialogResult> => {
        dialogs.push({ kind: 'open', options: args.at(-1) as Record<string, unknown> });
        return openDialogResults.shift() ?? { canceled: true, filePaths: [] };
      },
      showMessageBox: async (...args: unknown[]) => {
        dialogs.push({ kind: 'message', options: args.at(-1) as Record<string, unknown> });
        return { response: 0, checkboxChecked: false };
      },
    },
    shell: {
      openPath: async (p: string) => {
        openedPaths.push(p);
        return '';
      },
      showItemInFolder: (p: string) => void revealedPaths.push(p),
    },
    utilityProcess: {
      fork: (entry: string, args: string[], forkOptions: { serviceName?: string; env?: Record<string, string | undefined> }) => {
        const child = new FakeUtilityProcess(entry, args, forkOptions);
        forks.push(child);
        return child;
      },
    },
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void exposed.set(key, api) },
    ipcRenderer: Object.assign(ipcRenderer, {
      // The preload's window calls main: the sender is that window's main frame, as in Electron.
      invoke: async (channel: string, ...args: unknown[]) => {
        const contents = fake.rendererContents;
        if (!contents) throw new Error('no window for the preload');
        return fake.invoke(channel, { sender: contents, senderFrame: contents.mainFrame }, ...args);
      },
    }),
    webUtils: { getPathForFile: (file: { path?: string }) => file.path ?? '' },
  };

  const fake = {
    module,
    app,
    windows,
    ipcHandlers,
    protocolHandlers,
    privilegedSchemes,
    menuTemplates,
    dialogs,
    openDialogResults,
    openedPaths,
    revealedPaths,
    exposed,
    forks,
    quits,
    defaultSession,
    ipcRenderer,
    get applicationMenu() {
      return applicationMenu;
    },
    /** The webContents whose preload is loaded (the first window). */
    get rendererContents(): FakeWebContents | undefined {
      return windows[0]?.webContents;
    },
    /** Calls an ipcMain.handle handler the way Electron does for ipcRenderer.invoke (a throw rejects). */
    async invoke(channel: string, event: { sender: FakeWebContents; senderFrame: FakeFrame | null }, ...args: unknown[]): Promise<unknown> {
      const handler = ipcHandlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return handler(event, ...args);
    },
  };
  return fake;
}

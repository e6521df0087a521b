import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, screen, session, shell, type IpcMainInvokeEvent } from 'electron';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { ApiResult } from '../../shared/api/contract.js';
import { BackendClient } from './backend-client.js';
import { buildMenuTemplate, type MenuActions } from './menu.js';
import { sqliteBindingFor } from './native.js';
import { createProtocolHandler } from './protocol.js';
import { APP_INDEX_URL, APP_SCHEME, canOpenPath, canRevealPath, hardenContents, isTrustedSender, lockDownSession, windowOptions } from './security.js';
import { findWorkspaceArgument, isOnScreen, readRecentWorkspaces, readWindowBounds, writeWindowBounds } from './state.js';

/**
 * Electron main process (bundled to dist/electron/main.cjs): windows, menu, dialogs, the app:// protocol and a
 * thin IPC adapter. All work on workspaces happens in the backend utility process (see backend/host/utility.ts).
 */

// dist/electron/ holds main.cjs, preload.cjs and backend.mjs; dist/renderer the built workbench.
const DIST_ELECTRON = __dirname;
const RENDERER_DIR = path.resolve(DIST_ELECTRON, '../renderer');
const APP_ROOT = path.resolve(DIST_ELECTRON, '../..');

type WindowEntry = { win: BrowserWindow; workspaceDir: string | null; roots: Set<string> };
const windows = new Map<number, WindowEntry>();
let backend: BackendClient;

// Must happen before 'ready': app:// behaves like https (standard, secure origin; fetch and streaming allowed).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } }]);

const FORBIDDEN: ApiResult<unknown> = { ok: false, error: { code: 'forbidden', message: '拒绝访问：请求不是来自本程序的窗口。' } };

function stateDir(): string {
  return app.getPath('userData');
}

function trustedEntry(event: IpcMainInvokeEvent): WindowEntry | null {
  const win = BrowserWindow.fromWebContents(event.sender);
  // The frame must be the main frame of the very window the message came from, not merely of some window.
  if (!win || !isTrustedSender(event.senderFrame, [win])) return null;
  return windows.get(win.id) ?? null;
}

function focusedEntry(): WindowEntry | undefined {
  const win = BrowserWindow.getFocusedWindow();
  return (win && windows.get(win.id)) || [...windows.values()][0];
}

function setWorkspace(entry: WindowEntry, dir: string | null | undefined): void {
  if (dir === undefined || dir === entry.workspaceDir) return;
  if (entry.workspaceDir) entry.roots.delete(entry.workspaceDir);
  entry.workspaceDir = dir;
  if (dir) entry.roots.add(dir);
  entry.win.setTitle(dir ? `${path.basename(dir)} — 佐证材料汇编` : '佐证材料汇编');
  refreshMenu();
}

async function callApi(entry: WindowEntry, method: string, input: unknown): Promise<ApiResult<unknown>> {
  const { result, workspaceDir } = await backend.api(entry.win.id, method, input);
  setWorkspace(entry, workspaceDir);
  return result;
}

function sendCommand(entry: WindowEntry | undefined, command: string): void {
  if (!entry) return;
  entry.win.show();
  entry.win.focus();
  entry.win.webContents.send('menu-command', command);
}

function saveBounds(win: BrowserWindow): void {
  try {
    writeWindowBounds(stateDir(), { ...win.getNormalBounds(), maximized: win.isMaximized() });
  } catch {
    // Window placement is a convenience; a read-only profile must not stop the app from closing.
  }
}

async function createWindow(workspaceDir?: string): Promise<WindowEntry> {
  let bounds = readWindowBounds(stateDir());
  if (bounds && !isOnScreen(bounds, screen.getAllDisplays().map((d) => d.workArea))) bounds = { width: bounds.width, height: bounds.height };
  if (bounds?.x !== undefined && bounds.y !== undefined && windows.size > 0) bounds = { ...bounds, x: bounds.x + 30 * windows.size, y: bounds.y + 30 * windows.size };
  const win = new BrowserWindow(windowOptions(path.join(DIST_ELECTRON, 'preload.cjs'), bounds));
  const entry: WindowEntry = { win, workspaceDir: null, roots: new Set() };
  windows.set(win.id, entry);
  const id = win.id;
  win.on('close', () => saveBounds(win));
  win.on('closed', () => {
    windows.delete(id);
    void backend.closeWindow(id);
    refreshMenu();
  });
  win.once('ready-to-show', () => {
    if (bounds?.maximized) win.maximize();
    win.show();
  });
  if (workspaceDir) {
    const result = await callApi(entry, 'workspace.open', { dir: workspaceDir });
    if (!result.ok) void dialog.showMessageBox(win, { type: 'warning', title: '无法打开工作区', message: result.error.message });
  }
  await win.loadURL(APP_INDEX_URL);
  return entry;
}

/** One window per workspace: focus the window that already has it, reuse an empty window, or open a new one. */
async function openWorkspace(dir: string, preferred?: WindowEntry): Promise<void> {
  const resolved = path.resolve(dir);
  const existing = [...windows.values()].find((e) => e.workspaceDir && path.relative(e.workspaceDir, resolved) === '');
  if (existing) {
    if (existing.win.isMinimized()) existing.win.restore();
    existing.win.focus();
    return;
  }
  if (preferred && !preferred.workspaceDir) {
    const result = await callApi(preferred, 'workspace.open', { dir: resolved });
    if (!result.ok) {
      void dialog.showMessageBox(preferred.win, { type: 'warning', title: '无法打开工作区', message: result.error.message });
      return;
    }
    preferred.win.webContents.reload();
    return;
  }
  await createWindow(resolved);
}

async function openDemo(): Promise<void> {
  const current = focusedEntry();
  const entry = current && !current.workspaceDir ? current : await createWindow();
  const result = await callApi(entry, 'workspace.openDemo', {});
  if (!result.ok) {
    void dialog.showMessageBox(entry.win, { type: 'warning', title: '无法打开示例工作区', message: result.error.message });
    return;
  }
  entry.win.webContents.reload();
}

async function undoFiling(): Promise<void> {
  const entry = focusedEntry();
  if (!entry) return;
  // In a text field, Ctrl+Z is the field's own undo; elsewhere it undoes the last filing.
  const editing = await entry.win.webContents
    .executeJavaScript(`(() => { const el = document.activeElement; return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)); })()`)
    .catch(() => false);
  if (editing === true) entry.win.webContents.undo();
  else sendCommand(entry, 'undo');
}

const menuActions: MenuActions = {
  newWorkspace: () => {
    const entry = focusedEntry();
    if (entry) sendCommand(entry, 'new-workspace');
    else void createWindow().then((e) => sendCommand(e, 'new-workspace'));
  },
  openWorkspace: () => {
    const entry = focusedEntry();
    const options = { title: '打开工作区', buttonLabel: '打开', properties: ['openDirectory' as const] };
    void (entry ? dialog.showOpenDialog(entry.win, options) : dialog.showOpenDialog(options)).then(({ canceled, filePaths }) => {
      if (!canceled && filePaths[0]) void openWorkspace(filePaths[0], entry);
    });
  },
  openRecent: (dir) => void openWorkspace(dir, focusedEntry()),
  importFiles: () => sendCommand(focusedEntry(), 'import-files'),
  importFolder: () => sendCommand(focusedEntry(), 'import-folder'),
  build: () => sendCommand(focusedEntry(), 'build'),
  undoFiling: () => void undoFiling(),
  about: () => {
    const entry = focusedEntry();
    const options = {
      type: 'info' as const,
      title: '关于佐证材料汇编',
      message: `佐证材料汇编 ${app.getVersion()}`,
      detail: '东西部协作考核佐证材料的整理、查缺与汇编工具。\n全部数据保存在本机的工作区文件夹中，程序不联网。',
    };
    void (entry ? dialog.showMessageBox(entry.win, options) : dialog.showMessageBox(options));
  },
  openDemo: () => void openDemo(),
};

function refreshMenu(): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(menuActions, readRecentWorkspaces(stateDir()))));
}

function registerIpc(): void {
  ipcMain.handle('api', async (event, method: unknown, input: unknown) => {
    const entry = trustedEntry(event);
    if (!entry) return FORBIDDEN;
    if (typeof method !== 'string' || method.length > 100) return { ok: false, error: { code: 'unknown-method', message: '未知的接口。' } } satisfies ApiResult<unknown>;
    // The user may reveal files of the output folder they chose for a build.
    if (method === 'binder.build' && input && typeof input === 'object') {
      const outDir = (input as { outDir?: unknown }).outDir;
      if (typeof outDir === 'string' && path.isAbsolute(outDir)) entry.roots.add(outDir);
    }
    const result = await callApi(entry, method, input);
    if (method.startsWith('workspace.')) refreshMenu();
    return result;
  });
  ipcMain.handle('pick-files', async (event) => {
    const entry = trustedEntry(event);
    if (!entry) return [];
    const { canceled, filePaths } = await dialog.showOpenDialog(entry.win, {
      title: '选择要导入的材料',
      buttonLabel: '导入',
      properties: ['openFile', 'multiSelections'],
    });
    return canceled ? [] : filePaths;
  });
  ipcMain.handle('pick-folder', async (event) => {
    const entry = trustedEntry(event);
    if (!entry) return null;
    const { canceled, filePaths } = await dialog.showOpenDialog(entry.win, {
      title: '选择文件夹',
      buttonLabel: '选择',
      properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
    });
    const dir = canceled ? null : (filePaths[0] ?? null);
    // A folder the user picked (a new workspace, an output folder) may later be shown in the file manager.
    if (dir) entry.roots.add(dir);
    return dir;
  });
  const realRoots = (entry: WindowEntry): string[] =>
    [...entry.roots].flatMap((root) => {
      try {
        return [root, realpathSync(root)];
      } catch {
        return [root];
      }
    });
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  ipcMain.handle('open-path', async (event, target: unknown) => {
    const entry = trustedEntry(event);
    const roots = entry ? realRoots(entry) : [];
    // Checked as given and after resolving links, so a shortcut inside the workspace cannot point elsewhere.
    if (!entry || !canOpenPath(target, roots) || !canOpenPath(real(target), roots)) throw new Error('只能打开本工作区或输出文件夹中的文档。');
    const failure = await shell.openPath(target);
    if (failure) throw new Error(`无法打开文件：${failure}`);
  });
  ipcMain.handle('show-in-folder', (event, target: unknown) => {
    const entry = trustedEntry(event);
    const roots = entry ? realRoots(entry) : [];
    if (!entry || !canRevealPath(target, roots) || !canRevealPath(real(target), roots)) throw new Error('只能显示本工作区或输出文件夹中的文件。');
    shell.showItemInFolder(target);
  });
}

function startBackend(): void {
  const binding = sqliteBindingFor(APP_ROOT, process.versions.electron, app.isPackaged);
  if (!app.isPackaged && !binding) {
    process.stderr.write('提示：没有找到 Electron 版的 better-sqlite3，请先运行 node scripts/electron-native.mjs（npm start 会自动完成）。\n');
  }
  const userData = stateDir();
  backend = new BackendClient({
    entry: path.join(DIST_ELECTRON, 'backend.mjs'),
    args: [`--state-dir=${userData}`, `--demo-dir=${path.join(userData, 'demo')}`, `--version=${app.getVersion()}`],
    env: { ...process.env, ...(binding ? { EVIDENCE_BINDER_SQLITE_BINDING: binding } : {}) },
    onRestart: () => {
      // Sessions live in the backend: reopen each window's workspace, then let the page reload its state.
      for (const entry of windows.values()) {
        const dir = entry.workspaceDir;
        entry.workspaceDir = null;
        void (dir ? callApi(entry, 'workspace.open', { dir }) : Promise.resolve()).then(() => entry.win.webContents.reload());
      }
    },
  });
  backend.start();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_event, argv, cwd) => {
    const dir = findWorkspaceArgument(argv, cwd);
    if (dir) {
      void openWorkspace(dir);
      return;
    }
    const entry = focusedEntry();
    if (entry) {
      if (entry.win.isMinimized()) entry.win.restore();
      entry.win.focus();
    } else void createWindow();
  });

  // Every webContents (windows, and anything a page might try to create) gets the navigation rules.
  app.on('web-contents-created', (_event, contents) => hardenContents(contents));

  app.whenReady().then(async () => {
    lockDownSession(session.defaultSession);
    protocol.handle(APP_SCHEME, createProtocolHandler({ rendererDir: RENDERER_DIR, resolveFile: (windowId, kind, name) => backend.file(windowId, kind, name) }));
    startBackend();
    registerIpc();
    refreshMenu();
    await createWindow(findWorkspaceArgument(process.argv, process.cwd()));
    app.on('activate', () => {
      if (windows.size === 0) void createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => backend?.stop());
}

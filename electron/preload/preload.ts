import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { ApiResult } from '../../shared/api/contract.js';

/**
 * The only door between the sandboxed renderer and the app: named functions, never ipcRenderer itself
 * (Electron's context-isolation guidance). Bundled to dist/electron/preload.cjs; a sandboxed preload may
 * require nothing but `electron`, so this file imports only `electron` and contract types.
 */

/** Commands from the application menu that need the workbench's own UI (forms, pickers, confirmation). */
export const MENU_COMMANDS = ['new-workspace', 'import-files', 'import-folder', 'build', 'undo'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

type DroppedFile = Parameters<typeof webUtils.getPathForFile>[0];

const bridge = {
  invoke: (method: string, input: unknown): Promise<ApiResult<unknown>> => ipcRenderer.invoke('api', method, input),
  pickFiles: (): Promise<string[]> => ipcRenderer.invoke('pick-files'),
  pickFolder: (): Promise<string | null> => ipcRenderer.invoke('pick-folder'),
  openPath: (p: string): Promise<void> => ipcRenderer.invoke('open-path', p),
  showInFolder: (p: string): Promise<void> => ipcRenderer.invoke('show-in-folder', p),
  /** Path of a file dropped on the window (File.path no longer exists since Electron 32). */
  getPathForFile: (f: DroppedFile): string => webUtils.getPathForFile(f),
  /** Subscribes to menu commands; returns the unsubscribe function. */
  onMenuCommand: (listener: (command: MenuCommand) => void): (() => void) => {
    const wrapped = (_event: unknown, command: unknown): void => {
      if (typeof command === 'string' && (MENU_COMMANDS as readonly string[]).includes(command)) listener(command as MenuCommand);
    };
    ipcRenderer.on('menu-command', wrapped);
    return () => {
      ipcRenderer.removeListener('menu-command', wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('bridge', bridge);

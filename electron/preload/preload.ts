import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { isMenuCommand, type Bridge, type MenuCommand } from '../../shared/api/bridge.js';
import type { ApiResult } from '../../shared/api/contract.js';

/**
 * The only door between the sandboxed renderer and the app: named functions, never ipcRenderer itself
 * (Electron's context-isolation guidance). Bundled to dist/electron/preload.cjs; a sandboxed preload may
 * require nothing but `electron`, so this file imports only `electron` and shared/ code, which is bundled in.
 */

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
      if (isMenuCommand(command)) listener(command);
    };
    ipcRenderer.on('menu-command', wrapped);
    return () => {
      ipcRenderer.removeListener('menu-command', wrapped);
    };
  },
} satisfies Bridge<DroppedFile>;

contextBridge.exposeInMainWorld('bridge', bridge);

import type { ApiResult } from '../../shared/api/contract.js';

/** Application-menu commands that need the workbench's own UI (same list as electron/preload/preload.ts). */
export type MenuCommand = 'new-workspace' | 'import-files' | 'import-folder' | 'build' | 'undo';

/** What the Electron preload exposes as `window.bridge` (never ipcRenderer itself). */
export type Bridge = {
  invoke(method: string, input: unknown): Promise<ApiResult<unknown>>;
  pickFiles(): Promise<string[]>;
  pickFolder(): Promise<string | null>;
  openPath(p: string): Promise<void>;
  showInFolder(p: string): Promise<void>;
  getPathForFile(f: File): string;
  /** Subscribes to menu commands; returns the unsubscribe function. Optional: older shells lack it. */
  onMenuCommand?(listener: (command: MenuCommand) => void): () => void;
};

declare global {
  interface Window {
    bridge?: Bridge;
  }
}

export function getBridge(): Bridge | undefined {
  return typeof window === 'undefined' ? undefined : window.bridge;
}

import type { ApiResult } from '../../shared/api/contract.js';

/** What the Electron preload exposes as `window.bridge` (never ipcRenderer itself). */
export type Bridge = {
  invoke(method: string, input: unknown): Promise<ApiResult<unknown>>;
  pickFiles(): Promise<string[]>;
  pickFolder(): Promise<string | null>;
  openPath(p: string): Promise<void>;
  showInFolder(p: string): Promise<void>;
  getPathForFile(f: File): string;
};

declare global {
  interface Window {
    bridge?: Bridge;
  }
}

export function getBridge(): Bridge | undefined {
  return typeof window === 'undefined' ? undefined : window.bridge;
}

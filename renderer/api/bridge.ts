import type { Bridge as SharedBridge, MenuCommand } from '../../shared/api/bridge.js';

export type { MenuCommand };

/** What the Electron preload exposes as `window.bridge` (shared/api/bridge.ts, the preload's own type). */
export type Bridge = SharedBridge<File>;

declare global {
  interface Window {
    bridge?: Bridge;
  }
}

export function getBridge(): Bridge | undefined {
  return typeof window === 'undefined' ? undefined : window.bridge;
}

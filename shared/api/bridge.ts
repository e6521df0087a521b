import type { ApiResult } from './contract.js';

/**
 * What the Electron preload exposes as `window.bridge`: named functions, never ipcRenderer itself. The preload
 * implements it (`satisfies Bridge<…>`), the renderer calls it; one type so the two cannot drift apart.
 */

/** Application-menu commands that need the workbench's own UI (forms, pickers, confirmation). */
export const MENU_COMMANDS = ['new-workspace', 'import-files', 'import-folder', 'build', 'undo'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

export function isMenuCommand(value: unknown): value is MenuCommand {
  return typeof value === 'string' && (MENU_COMMANDS as readonly string[]).includes(value);
}

/** `DroppedFile` is the DOM's File (shared/ has no DOM types, so each side names it). */
export type Bridge<DroppedFile> = {
  invoke(method: string, input: unknown): Promise<ApiResult<unknown>>;
  pickFiles(): Promise<string[]>;
  pickFolder(): Promise<string | null>;
  openPath(p: string): Promise<void>;
  showInFolder(p: string): Promise<void>;
  /** Path of a file dropped on the window (File.path no longer exists since Electron 32). */
  getPathForFile(f: DroppedFile): string;
  /** Subscribes to menu commands; returns the unsubscribe function. Optional: older shells lack it. */
  onMenuCommand?(listener: (command: MenuCommand) => void): () => void;
};

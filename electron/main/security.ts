import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import path from 'node:path';
import { isPathInside as isInside, resolveInsideRoot } from '../backend/host/paths.js';

/**
 * The security decisions of the Electron shell as pure functions, so they are unit-tested under Node with a
 * mocked `electron`. main.ts only wires them to Electron's events.
 */

/** Renderer and files come from one privileged, standard, secure scheme: app://binder/…  */
export const APP_SCHEME = 'app';
export const APP_HOST = 'binder';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** Chromium's built-in PDF viewer (an internal extension), which shows the PDF preview iframe. */
const PDF_VIEWER_ORIGIN = 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai';

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for URLs of our own app protocol (scheme and host). */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
}

/** A window may only ever show our own pages: no web pages, no local files, no javascript: URLs. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/**
 * Requests the session lets through: our protocol, inline data/blob URLs, and Chromium's internal PDF viewer
 * and DevTools. Everything else (http, https, ws, file, ftp) is cancelled: the app never uses the network.
 */
export function isAllowedRequest(url: string): boolean {
  const u = parse(url);
  if (!u) return false;
  if (isAppUrl(url)) return true;
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'devtools:') return true;
  if (u.protocol === 'chrome:' && (u.host === 'resources' || u.host === 'theme')) return true;
  return u.origin === PDF_VIEWER_ORIGIN || url.startsWith(`${PDF_VIEWER_ORIGIN}/`);
}

export type FrameLike = { readonly url: string; readonly parent: FrameLike | null; readonly processId?: number; readonly routingId?: number };

/** The same frame: Electron normally hands out one WebFrameMain object per frame; (process, routing id) is its identity. */
function sameFrame(a: FrameLike, b: FrameLike): boolean {
  if (a === b) return true;
  return a.processId !== undefined && a.routingId !== undefined && a.processId === b.processId && a.routingId === b.routingId;
}
export type WindowLike = { isDestroyed(): boolean; readonly webContents: { readonly mainFrame: FrameLike } };

/**
 * An IPC message is trusted only when it comes from the main frame of one of our windows showing our own
 * page: not from an iframe (the PDF preview, an embedded file) and not after a navigation elsewhere.
 */
export function isTrustedSender(frame: FrameLike | null | undefined, windows: readonly WindowLike[]): boolean {
  if (!frame || frame.parent !== null) return false;
  if (!isAppUrl(frame.url)) return false;
  return windows.some((w) => !w.isDestroyed() && sameFrame(w.webContents.mainFrame, frame));
}

/** File below `root` for an app:// URL path, or null for `..`, `%2e%2e`, backslashes, drive letters, NUL. */
export function resolveProtocolPath(root: string, urlPath: string): string | null {
  return resolveInsideRoot(root, urlPath);
}

export function isPathInside(parent: string, child: string): boolean {
  return isInside(parent, child);
}

/** Extensions the OS would run rather than open: never launched from the workbench. */
const EXECUTABLE_EXTENSIONS = new Set([
  '.exe', '.com', '.bat', '.cmd', '.msi', '.msp', '.scr', '.pif', '.cpl', '.lnk', '.url', '.ps1', '.psm1', '.vbs', '.vbe',
  '.js', '.jse', '.wsf', '.wsh', '.hta', '.jar', '.reg', '.sh', '.command', '.app', '.desktop', '.appimage', '.run', '.bin',
]);

/**
 * shell.openPath / showItemInFolder are allowed only for an absolute path inside one of the window's folders
 * (its workspace, an output folder the user chose); openPath also never launches programs.
 */
export function canRevealPath(target: unknown, roots: readonly string[]): target is string {
  if (typeof target !== 'string' || target.length === 0 || target.length > 4000 || target.includes('\0')) return false;
  if (!path.isAbsolute(target)) return false;
  return roots.some((root) => isInside(root, target));
}

export function canOpenPath(target: unknown, roots: readonly string[]): target is string {
  return canRevealPath(target, roots) && !EXECUTABLE_EXTENSIONS.has(path.extname(target).toLowerCase());
}

/** BrowserWindow options: renderer fully isolated, only the preload's narrow bridge crosses over. */
export function windowOptions(preloadPath: string, bounds?: Partial<Rectangle>): BrowserWindowConstructorOptions {
  return {
    width: bounds?.width ?? 1280,
    height: bounds?.height ?? 820,
    ...(bounds?.x !== undefined && bounds?.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: '佐证材料汇编',
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Only Chromium's built-in PDF viewer is a plugin in Electron: it shows the PDF preview iframe.
      plugins: true,
    },
  };
}

/** setWindowOpenHandler: no new windows from the renderer (links, window.open). */
export function denyWindowOpen(): { action: 'deny' } {
  return { action: 'deny' };
}

/** setPermissionRequestHandler: camera, microphone, geolocation, notifications … all refused. */
export function denyPermissionRequest(_contents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

/** setPermissionCheckHandler */
export function denyPermissionCheck(): boolean {
  return false;
}

type NavigationEvent = { preventDefault(): void };
type HardenableContents = {
  on(event: 'will-navigate' | 'will-redirect', listener: (event: NavigationEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: NavigationEvent) => void): unknown;
  setWindowOpenHandler(handler: () => { action: 'deny' }): void;
};

/** Applies the navigation rules to one webContents (every window, on creation). */
export function hardenContents(contents: HardenableContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(denyWindowOpen);
}

type LockableSession = {
  setPermissionRequestHandler(handler: typeof denyPermissionRequest): void;
  setPermissionCheckHandler(handler: typeof denyPermissionCheck): void;
  webRequest: {
    onBeforeRequest(listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void): void;
    onHeadersReceived?(listener: (details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void): void;
  };
};

/** Session-wide: deny all permissions, cancel every request that is not ours. */
export function lockDownSession(ses: LockableSession): void {
  ses.setPermissionRequestHandler(denyPermissionRequest);
  ses.setPermissionCheckHandler(denyPermissionCheck);
  ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequest(details.url) }));
}

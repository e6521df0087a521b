import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Path and header decisions shared by the browser host (node:http) and the Electron app:// protocol.
 * Pure functions of their arguments, so both transports refuse the same tricks and are tested once.
 */

/**
 * The page policy for the workbench. Vite's production build emits only external module scripts and CSS
 * files, so `script-src 'self'` suffices; React's `style={…}` props need inline styles. The PDF preview is an
 * iframe of a same-origin file URL (frame-src), which Chromium's viewer shows through an embed (object-src).
 * No connect-src beyond 'self': the app never talks to the network.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Policy for stored evidence and exports other than PDF: a user's file is shown, never run. `sandbox` gives it
 * an opaque origin, so even an HTML or SVG original cannot script the workbench. PDFs keep the page policy
 * because Chromium's PDF viewer does not load inside a CSP sandbox.
 */
export const FILE_CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'";

/** Headers sent with every response of the browser host and the app:// protocol. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'SAMEORIGIN',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.heic': 'image/heic',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.ppt': 'application/vnd.ms-powerpoint',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.odt': 'application/vnd.oasis.opendocument.text',
  '.ods': 'application/vnd.oasis.opendocument.spreadsheet',
  '.wps': 'application/vnd.ms-works',
  '.ofd': 'application/ofd',
  '.zip': 'application/zip',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.mp3': 'audio/mpeg',
};

/** Content-Type by file extension; unknown types are offered as bytes. */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Content-Type for a user's file (stored original or export). Markup that a browser would run (HTML, XHTML,
 * XML) is shown as text: the workbench previews evidence, it does not execute it.
 */
export function userFileContentType(file: string): string {
  const ext = path.extname(file).toLowerCase();
  if (['.html', '.htm', '.xhtml', '.xml', '.js', '.mjs'].includes(ext)) return 'text/plain; charset=utf-8';
  return contentTypeFor(file);
}

/** RFC 6266/5987 header so Chinese file names survive in every browser; `attachment` saves instead of showing. */
export function inlineDisposition(fileName: string, kind: 'inline' | 'attachment' = 'inline'): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** True when `child` is `parent` itself or lies below it (after resolving `..`). path.win32 compares case-insensitively. */
export function isPathInside(parent: string, child: string, platformPath: typeof path = path): boolean {
  const rel = platformPath.relative(platformPath.resolve(parent), platformPath.resolve(child));
  if (rel === '') return true;
  return rel !== '..' && !rel.startsWith(`..${platformPath.sep}`) && !platformPath.isAbsolute(rel);
}

/**
 * Maps a URL path (still percent-encoded, as received) to a file below `root`, or null when the path tries to
 * leave it: `..` segments (also encoded as %2e%2e), backslashes (a separator on Windows), NUL bytes, drive
 * letters and absolute paths after decoding, or invalid percent-encoding.
 */
export function resolveInsideRoot(root: string, urlPath: string): string | null {
  const raw = urlPath.split(/[?#]/, 1)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..' || /^[a-zA-Z]:/.test(s) || s.includes(':'))) return null;
  const base = path.resolve(root);
  const target = path.resolve(base, ...segments);
  return isPathInside(base, target) ? target : null;
}

/** A file name (one path segment) safe to look up inside a folder, or null. */
export function safeSegment(raw: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  if (!decoded || decoded === '.' || decoded === '..' || /[/\\\0:]/.test(decoded)) return null;
  return decoded;
}

/**
 * Per-user folder for app state and the demo workspace when running outside Electron (Electron uses
 * app.getPath('userData')). EVIDENCE_BINDER_HOME overrides it (tests, portable use from a USB drive).
 */
export function appDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (env.EVIDENCE_BINDER_HOME) return path.resolve(env.EVIDENCE_BINDER_HOME);
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'EvidenceBinder');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'EvidenceBinder');
  return path.join(home, '.evidence-binder');
}

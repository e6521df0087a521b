import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import path from 'node:path';
import { FILE_CONTENT_SECURITY_POLICY, contentTypeFor, inlineDisposition, securityHeaders, userFileContentType } from '../backend/host/paths.js';
import { APP_HOST, resolveProtocolPath } from './security.js';

export type ProtocolDeps = {
  /** dist/renderer */
  rendererDir: string;
  /** Asks the backend where a window's file URL points (null: unknown or not in that window's workspace). */
  resolveFile(windowId: number, kind: string, name: string): Promise<{ path: string; name: string } | null>;
};

function notFound(): Response {
  return new Response('找不到这个文件。', { status: 404, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
}

function fileResponse(file: string, method: string, headers: Record<string, string>): Response {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return notFound();
    size = stat.size;
  } catch {
    return notFound();
  }
  const body = method === 'HEAD' ? null : (Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>);
  return new Response(body, { status: 200, headers: { ...headers, 'Content-Length': String(size) } });
}

/**
 * protocol.handle('app', …): app://binder/<renderer file> and app://binder/files/<window>/<vault|export>/<id>.
 * Pure Fetch API in and out, so it runs under Node in tests. The URL path is checked on its raw
 * (percent-encoded) form: `..`, `%2e%2e`, backslashes and drive letters never leave the renderer folder.
 */
export function createProtocolHandler(deps: ProtocolDeps): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers: securityHeaders() });
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return notFound();
    }
    if (url.host !== APP_HOST) return notFound();
    const files = /^\/files\/(\d{1,9})\/([a-z]+)\/([^/]+)$/.exec(url.pathname);
    if (files) {
      const found = await deps.resolveFile(Number(files[1]), files[2], files[3]);
      if (!found) return notFound();
      const type = userFileContentType(found.path);
      return fileResponse(found.path, request.method, {
        ...securityHeaders(),
        ...(type.startsWith('application/pdf') ? {} : { 'Content-Security-Policy': FILE_CONTENT_SECURITY_POLICY }),
        'Content-Type': type,
        'Content-Disposition': inlineDisposition(found.name),
        'Cache-Control': 'no-store',
      });
    }
    const file = resolveProtocolPath(deps.rendererDir, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return notFound();
    return fileResponse(file, request.method, {
      ...securityHeaders(),
      'Content-Type': contentTypeFor(file),
      'Cache-Control': path.basename(file) === 'index.html' ? 'no-cache' : 'max-age=31536000, immutable',
    });
  };
}

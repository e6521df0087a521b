import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ApiResult } from '../../../shared/api/contract.js';
import { dispatch, type ApiHandlers } from '../api/dispatch.js';
import { createHandlers } from '../api/handlers.js';
import { BackgroundOcr } from '../ocr/background.js';
import { JobRegistry } from '../api/jobs.js';
import { isOutputName, outputDir } from '../api/outputs.js';
import type { Workspace } from '../workspace/workspace.js';
import { ensureThumbnail } from '../thumbnails.js';
import { isPathInside, safeSegment } from './paths.js';

/**
 * The backend as the Electron app runs it, in a utility process beside the main process: one session (open
 * workspace) per window, addressed by the window id. The messages are plain data, so this module is tested
 * under Node and the utility-process entry only connects it to `process.parentPort`.
 */

export type BackendRequest =
  | { type: 'api'; id: number; windowId: number; method: string; input: unknown }
  /** Where a file URL of this window points: a stored original ('vault', by SHA-256) or an export (by name). */
  | { type: 'file'; id: number; windowId: number; kind: string; name: string }
  | { type: 'close'; id: number; windowId: number };

export type BackendReply =
  | { type: 'api'; id: number; result: ApiResult<unknown>; workspaceDir: string | null }
  | { type: 'file'; id: number; file: { path: string; name: string } | null }
  | { type: 'close'; id: number };

export type BackendOptions = { stateDir: string; demoDir: string; version: string };

/** app://binder/files/<window>/<kind>/<id>: same origin as the page, so the preview iframe is allowed by the CSP. */
export function appFileUrl(windowId: number, kind: 'vault' | 'export' | 'thumb' | 'output', id: string): string {
  return `app://binder/files/${windowId}/${kind}/${encodeURIComponent(id)}`;
}

type WindowSession = { session: { workspace: Workspace | null }; handlers: ApiHandlers; ocr: BackgroundOcr };

export class BackendService {
  private readonly sessions = new Map<number, WindowSession>();
  private readonly jobs = new JobRegistry();
  private readonly options: BackendOptions;

  constructor(options: BackendOptions) {
    this.options = options;
  }

  private sessionFor(windowId: number): WindowSession {
    let entry = this.sessions.get(windowId);
    if (!entry) {
      const session: { workspace: Workspace | null } = { workspace: null };
      const ocr = new BackgroundOcr();
      const handlers = createHandlers({
        session,
        jobs: this.jobs,
        ocr,
        host: 'electron',
        version: this.options.version,
        demoDir: this.options.demoDir,
        stateDir: this.options.stateDir,
        fileUrl: (kind, id) => appFileUrl(windowId, kind, id),
      });
      entry = { session, handlers, ocr };
      this.sessions.set(windowId, entry);
    }
    return entry;
  }

  async handle(request: BackendRequest): Promise<BackendReply> {
    switch (request.type) {
      case 'api': {
        const entry = this.sessionFor(request.windowId);
        const result = await dispatch(entry.handlers, request.method, request.input);
        return { type: 'api', id: request.id, result, workspaceDir: entry.session.workspace?.dir ?? null };
      }
      case 'file':
        return { type: 'file', id: request.id, file: await this.resolveFile(request.windowId, request.kind, request.name) };
      case 'close': {
        await this.sessions.get(request.windowId)?.ocr.close();
        this.sessions.get(request.windowId)?.session.workspace?.close();
        this.sessions.delete(request.windowId);
        return { type: 'close', id: request.id };
      }
    }
  }

  /** The file behind a file URL, only inside the window's workspace (vault or export folder). */
  async resolveFile(windowId: number, kind: string, rawName: string): Promise<{ path: string; name: string } | null> {
    const ws = this.sessions.get(windowId)?.session.workspace;
    const name = safeSegment(rawName);
    if (!ws || !name) return null;
    if (kind === 'vault') {
      if (!/^[0-9a-f]{64}$/.test(name)) return null;
      let file: string;
      try {
        file = ws.originalPath(name);
      } catch {
        return null;
      }
      const row = await ws.findBySha(name);
      return isPathInside(ws.dir, file) && isFile(file) ? { path: file, name: row?.originalName ?? path.basename(file) } : null;
    }
    if (kind === 'export') {
      const dir = ws.cacheDir('exports');
      const file = path.join(dir, name);
      return isPathInside(dir, file) && isFile(file) ? { path: file, name } : null;
    }
    if (kind === 'output') {
      const dir = outputDir(ws);
      const file = path.join(dir, name);
      return isOutputName(name) && isPathInside(dir, file) && isFile(file) ? { path: file, name } : null;
    }
    if (kind === 'thumb') {
      if (!/^[0-9a-f]{64}$/.test(name)) return null;
      let original: string;
      try {
        original = ws.originalPath(name);
      } catch {
        return null;
      }
      const thumb = await ensureThumbnail(original, name, ws.cacheDir('thumbs'));
      return thumb ? { path: thumb, name: `${name}.jpg` } : null;
    }
    return null;
  }

  closeAll(): void {
    for (const { session, ocr } of this.sessions.values()) {
      void ocr.close();
      session.workspace?.close();
    }
    this.sessions.clear();
  }
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WORKSPACE_CHANGED, WORKSPACE_FREE_METHODS, isMethod, type ApiResult, type SessionState } from '../../../shared/api/contract.js';
import { AppError, type ErrorCode } from '../../../shared/errors.js';
import { checkAccess, checkUploadAccess } from '../../../shared/team/access.js';
import type { Actor } from '../../../shared/team/roles.js';
import { dispatch } from '../api/dispatch.js';
import { Accounts } from '../team/accounts.js';
import { runAs } from '../team/actor.js';
import { departmentScope, scopedHandlers } from '../team/scope.js';
import { SESSION_COOKIE, hostMatcher, login, readCookie, sessionCookie, type TeamOptions } from './team-gate.js';
import { createHandlers } from '../api/handlers.js';
import { JobRegistry } from '../api/jobs.js';
import { BackgroundOcr } from '../ocr/background.js';
import { OcrWorkerPool } from '../ocr/pool.js';
import { resumeInterruptedJobs, serverOcrReport } from './resume.js';
import { ensureThumbnail } from '../thumbnails.js';
import { UploadError, createUploads } from './upload.js';
import { isOutputName, outputDir } from '../api/outputs.js';
import { Workspace } from '../workspace/workspace.js';
import {
  FILE_CONTENT_SECURITY_POLICY,
  contentTypeFor,
  inlineDisposition,
  isPathInside,
  resolveInsideRoot,
  safeSegment,
  securityHeaders,
  userFileContentType,
} from './paths.js';

export type HostOptions = {
  /** Workspace opened at start; the user can switch from the workbench. */
  workspaceDir?: string;
  /** 0 or absent: a free port chosen by the system. */
  port?: number;
  /** The built renderer (dist/renderer), with index.html. */
  rendererDir: string;
  stateDir: string;
  demoDir: string;
  version: string;
  /**
   * Team mode (`binder serve --team`): the workspace is fixed, people log in with their accounts (a session
   * cookie instead of the per-run token), every call is checked against their role, and the server may listen on
   * the LAN with TLS.
   */
  team?: TeamOptions;
  /** The OCR worker script (tests bundle their own); absent: the one beside the bundle, as the app finds it. */
  ocrWorker?: string;
};

/** `token` is empty in team mode (accounts, no token). */
export type RunningHost = { url: string; token: string; port: number; close(): Promise<void> };

const NO_ADMIN_MESSAGE = (dir: string) =>
  `工作区 ${dir} 还没有管理员账号，团队服务器未启动。请先运行：binder users ${dir} add --name admin --role admin --password-stdin`;

/** API calls are small JSON (files arrive raw on POST /upload, see upload.ts): anything larger is refused unread. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;
const TOO_LARGE_MESSAGE = '请求内容超过 8 MB，未能接收。文件请通过材料库的“上传”导入。';

const LOOPBACK = '127.0.0.1';

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Constant-time comparison, so the token cannot be guessed a character at a time from response times. */
function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sendText(res: ServerResponse, status: number, text: string): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, data: ApiResult<unknown>): void {
  const body = Buffer.from(JSON.stringify(data), 'utf8');
  res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(body);
}

function apiError(code: ErrorCode, message: string): ApiResult<unknown> {
  return { ok: false, error: { code, message } };
}

/** The error code an HTTP refusal carries (the token host answers a wrong token 403 'unauthorized', as always). */
function errorCode(status: number, team: boolean): ErrorCode {
  if (status === 413) return 'too-large';
  if (status === 401) return 'unauthorized';
  if (status === 403) return team ? 'forbidden' : 'unauthorized';
  if (status === 423) return 'locked';
  return 'http';
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(headerValue(req, 'content-length') ?? '0');
    if (declared > limit) {
      reject(new HttpError(413, TOO_LARGE_MESSAGE));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        reject(new HttpError(413, TOO_LARGE_MESSAGE));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: string, options: { userFile: boolean; downloadName?: string; cache: string; attachment?: boolean }): void {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch {
    sendText(res, 404, '找不到这个文件。');
    return;
  }
  const type = options.userFile ? userFileContentType(file) : contentTypeFor(file);
  const headers: Record<string, string | number> = {
    ...securityHeaders(),
    'Content-Type': type,
    'Content-Length': size,
    'Cache-Control': options.cache,
  };
  if (options.userFile) {
    headers['Content-Disposition'] = inlineDisposition(options.downloadName ?? path.basename(file), options.attachment ? 'attachment' : 'inline');
    if (!type.startsWith('application/pdf')) headers['Content-Security-Policy'] = FILE_CONTENT_SECURITY_POLICY;
  }
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/**
 * The browser host: the workbench served to a local browser over HTTP on 127.0.0.1, with the same dispatch as
 * the Electron IPC. Access needs the per-run token (header for the API, query for file URLs that the page puts
 * in <img>/<iframe>); the Host header check stops DNS rebinding, loopback binding stops other machines.
 */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const team = opts.team;
  if (team && !opts.workspaceDir) throw new Error('团队服务器须指定工作区文件夹。');
  const token = team ? '' : randomBytes(24).toString('base64url');
  const session: { workspace: Workspace | null } = { workspace: opts.workspaceDir ? await Workspace.open(opts.workspaceDir) : null };
  if (team && !(await new Accounts(session.workspace!.users).hasAdmin())) {
    await session.workspace!.close();
    throw new Error(NO_ADMIN_MESSAGE(opts.workspaceDir!));
  }
  const jobs = new JobRegistry();
  // One OCR process for the whole server, whoever uploads: scans are read one at a time in the background.
  const ocr = new BackgroundOcr(new OcrWorkerPool(opts.ocrWorker), (ws, report) => void serverOcrReport(ws, report));
  const base = createHandlers({
    session,
    jobs,
    ocr,
    host: 'browser',
    version: opts.version,
    demoDir: opts.demoDir,
    // A team server keeps no list of recent folders: it serves one workspace and never shows server paths.
    stateDir: team ? null : opts.stateDir,
    // Team mode: file URLs carry no token (the session cookie goes with them).
    fileUrl: (kind, id) => `/files/${kind}/${encodeURIComponent(id)}${team ? '' : `?token=${encodeURIComponent(token)}`}`,
    ...(team?.now ? { now: team.now } : {}),
  });
  const handlers = team ? scopedHandlers(base, () => session.workspace!, jobs) : base;
  const accounts = team ? new Accounts(session.workspace!.users, team.now) : null;
  const scheme = team?.tls ? 'https' : 'http';
  const bindHost = team?.host ?? LOOPBACK;
  const rendererDir = path.resolve(opts.rendererDir);
  // Jobs still running at shutdown are cancelled before their workspace closes.
  const running = new Set<string>();
  const kickOcr = (): void => {
    const ws = session.workspace;
    if (ws) ocr.kick(ws);
  };
  const unsubscribe = jobs.onUpdate((job) => {
    if (job.state === 'running') running.add(job.id);
    else if (running.delete(job.id) && job.kind === 'import') kickOcr();
  });
  let port = 0;

  const teamHost = team ? hostMatcher(team, () => port) : null;
  const hostAllowed = (host: string): boolean => (teamHost ? teamHost(host) : host.toLowerCase() === `${LOOPBACK}:${port}` || host.toLowerCase() === `localhost:${port}`);

  const checkToken = (given: string | undefined): void => {
    if (!given) throw new HttpError(401, '缺少访问令牌。请使用启动时打印的完整地址（含 ?token=…）打开。');
    if (!tokenMatches(given, token)) throw new HttpError(403, '访问令牌不正确。请使用本次启动时打印的地址打开。');
  };

  /**
   * Who makes a request: in team mode the logged-in user of the session cookie (401 without one); with the
   * per-run token nobody in particular (undefined), once the token (header, or query where the browser cannot
   * send headers: file URLs, EventSource) is right.
   */
  const authenticate = async (req: IncomingMessage, given: string | undefined): Promise<Actor | undefined> => {
    if (!accounts) {
      checkToken(given);
      return undefined;
    }
    const id = readCookie(req, SESSION_COOKIE);
    const user = id ? await accounts.resolve(id) : null;
    if (!user) throw new HttpError(401, '请先登录。登录已过期（闲置超过 8 小时）或账号已停用时也需重新登录。');
    return user;
  };

  // Tabs listening for workspace switches (GET /events): every tab shares this host's one workspace.
  const listeners = new Set<ServerResponse>();
  const broadcast = (event: string, data: unknown): void => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of listeners) res.write(frame);
  };

  const handleEvents = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    // EventSource cannot send headers, so the token comes in the query as for file URLs.
    await authenticate(req, url.searchParams.get('token') ?? undefined);
    res.writeHead(200, { ...securityHeaders(), 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store' });
    res.write(`event: workspace\ndata: ${JSON.stringify({ dir: session.workspace?.dir ?? null })}\n\n`);
    listeners.add(res);
    req.on('close', () => listeners.delete(res));
  };

  /**
   * Refuses a call meant for another workspace than the one served now (see WORKSPACE_FREE_METHODS): another
   * tab switched it, and the item with the same id in the new workspace is not the one the user is looking at.
   */
  const workspaceMismatch = async (req: IncomingMessage, method: string): Promise<ApiResult<unknown> | null> => {
    // A team server's workspace never changes.
    if (team || !isMethod(method) || WORKSPACE_FREE_METHODS.has(method)) return null;
    const raw = headerValue(req, 'x-binder-workspace');
    let named: string | null = null;
    try {
      named = raw ? decodeURIComponent(raw) : null;
    } catch {
      named = null;
    }
    const current = session.workspace;
    if (!current) return null; // the handler answers “还没有打开工作区”
    if (named === current.dir) return null;
    const { title } = await current.settings();
    return apiError(
      WORKSPACE_CHANGED,
      named
        ? `这个页面上的工作区已被其他窗口切换为“${title}”，本次操作没有执行，以免改到另一个工作区的材料。页面已重新载入当前工作区，请核对后再操作。`
        : `请求没有注明工作区，本次操作没有执行。请刷新页面后再试。`,
    );
  };

  /**
   * The checks every POST passes: method, an Origin that is this server, then who calls. With the token, a page
   * from another origin cannot send the token header without a CORS preflight we never answer, and the Origin
   * check is a second lock on the same door. In team mode the cookie goes with any request the browser makes, so
   * the Origin is the lock: it must be present and be this server's own (scheme, the Host it was reached by, port).
   */
  const checkPost = async (req: IncomingMessage, res: ServerResponse, requireSession = true): Promise<Actor | undefined> => {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      throw new HttpError(405, '接口只接受 POST 请求。');
    }
    const origin = headerValue(req, 'origin');
    if (team) {
      if (origin !== `${scheme}://${headerValue(req, 'host') ?? ''}`) throw new HttpError(403, '拒绝来自其他网站的请求（Origin 与本服务器不一致）。');
    } else if (origin && origin !== `http://${LOOPBACK}:${port}` && origin !== `http://localhost:${port}`) {
      throw new HttpError(403, '拒绝来自其他网站的请求。');
    }
    return requireSession ? authenticate(req, headerValue(req, 'x-binder-token')) : undefined;
  };

  /** Team mode: the role check of shared/team/access.ts, before the input is read. */
  const checkRole = (method: string, actor: Actor | undefined): void => {
    if (!actor || !isMethod(method)) return;
    const refused = checkAccess(method, actor.role);
    if (refused) throw new HttpError(403, refused);
  };

  const uploads = createUploads(jobs);
  const handleUpload = async (req: IncomingMessage, res: ServerResponse, url: URL, action: string): Promise<void> => {
    const actor = await checkPost(req, res);
    if (actor) {
      const denied = checkUploadAccess(actor.role);
      if (denied) throw new HttpError(403, denied);
    }
    const refused = await workspaceMismatch(req, 'evidence.import');
    if (refused) {
      res.setHeader('Connection', 'close');
      sendJson(res, 409, refused);
      res.on('finish', () => req.destroy());
      return;
    }
    const ws = session.workspace;
    if (!ws) throw new HttpError(409, '还没有打开工作区。请先新建或打开一个工作区。');
    const caller = { ws, actor };
    try {
      // History rows of the import name the uploader (runAs), as for every contract call.
      const data = await runAs(actor, async () =>
        action === 'finish'
          ? uploads.finish(url, caller)
          : action === 'discard'
            ? uploads.discard(url, caller)
            : url.searchParams.has('batch')
              ? uploads.receive(req, url, caller)
              : uploads.intoRequirement(req, url, caller),
      );
      // A direct upload is imported before the answer (a batch is a job: its end kicks OCR, see onUpdate).
      if (action === 'file' && !url.searchParams.has('batch')) kickOcr();
      sendJson(res, 200, { ok: true, data });
    } catch (error) {
      if (error instanceof UploadError) throw new HttpError(error.status, error.message);
      if (error instanceof AppError) throw new HttpError(error.code === 'forbidden' ? 403 : error.code === 'not-found' ? 404 : 400, error.message);
      throw error;
    }
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, method: string): Promise<void> => {
    if (team && (method === 'auth.login' || method === 'auth.logout')) return handleAuth(req, res, method);
    const actor = await checkPost(req, res);
    checkRole(method, actor);
    const type = headerValue(req, 'content-type') ?? '';
    if (!type.toLowerCase().startsWith('application/json')) throw new HttpError(415, '请求内容应为 JSON（Content-Type: application/json）。');
    const body = await readBody(req, MAX_BODY_BYTES);
    let input: unknown;
    try {
      input = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      sendJson(res, 400, apiError('bad-json', '请求内容不是有效的 JSON。请刷新页面后再试。'));
      return;
    }
    const refused = await workspaceMismatch(req, method);
    if (refused) {
      sendJson(res, 409, refused);
      return;
    }
    const before = session.workspace?.dir ?? null;
    const result = await dispatch(handlers, method, input, { actor });
    const after = session.workspace?.dir ?? null;
    if (after !== before) broadcast('workspace', { dir: after });
    // Team mode: the session names the server and who is logged in.
    if (team && actor && method === 'session.state' && result.ok) result.data = { ...(result.data as SessionState), team: true, user: actor };
    sendJson(res, !result.ok && result.error.code === 'forbidden' ? 403 : 200, result);
  };

  /** Team mode: POST /api/auth.login sets the session cookie; /api/auth.logout ends the session and clears it. */
  const handleAuth = async (req: IncomingMessage, res: ServerResponse, method: 'auth.login' | 'auth.logout'): Promise<void> => {
    await checkPost(req, res, false);
    const secure = scheme === 'https';
    if (method === 'auth.logout') {
      const id = readCookie(req, SESSION_COOKIE);
      if (id) await accounts!.logout(id);
      res.setHeader('Set-Cookie', sessionCookie('', secure, 0));
      sendJson(res, 200, { ok: true, data: null });
      return;
    }
    const body = await readBody(req, 64 * 1024);
    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      sendJson(res, 400, apiError('bad-json', '请求内容不是有效的 JSON。请刷新页面后再试。'));
      return;
    }
    const answer = await login(session.workspace!, input, secure, team?.now);
    if (answer.cookie) res.setHeader('Set-Cookie', answer.cookie);
    sendJson(res, answer.status, answer.body);
  };

  /** Team mode: a 部门 account opens only originals it may see, and exports of its own departments. */
  const checkFileScope = async (ws: Workspace, actor: Actor | undefined, kind: string, id: string): Promise<void> => {
    if (actor?.role !== 'department') return;
    if (kind === 'output') throw new HttpError(403, checkAccess('binder.outputs', actor.role) ?? '');
    if (kind === 'export') {
      if (!actor.departments.some((d) => id.startsWith(d))) throw new HttpError(403, '部门账号只能下载本部门的清单和通知。');
      return;
    }
    const row = await ws.findBySha(id);
    const ev = row ? await ws.getEvidence(row.id, { includeDeleted: true }) : undefined;
    if (!ev || !departmentScope(actor, ws.framework()).sees(ev)) throw new HttpError(404, '材料库中没有这个文件。');
  };

  const handleFile = async (req: IncomingMessage, res: ServerResponse, url: URL, kind: string, rawId: string): Promise<void> => {
    const actor = await authenticate(req, url.searchParams.get('token') ?? undefined);
    const ws = session.workspace;
    if (!ws) throw new HttpError(404, '还没有打开工作区。');
    const id = safeSegment(rawId);
    if (!id) throw new HttpError(404, '找不到这个文件。');
    await checkFileScope(ws, actor, kind, id);
    if (kind === 'vault') {
      if (!/^[0-9a-f]{64}$/.test(id)) throw new HttpError(404, '找不到这个文件。');
      let file: string;
      try {
        file = ws.originalPath(id);
      } catch {
        throw new HttpError(404, '材料库中没有这个文件。');
      }
      if (!isPathInside(ws.dir, file)) throw new HttpError(404, '找不到这个文件。');
      const row = await ws.findBySha(id);
      sendFile(req, res, file, { userFile: true, downloadName: row?.originalName, cache: 'private, max-age=3600' });
      return;
    }
    if (kind === 'export') {
      const dir = ws.cacheDir('exports');
      const file = path.join(dir, id);
      if (!isPathInside(dir, file)) throw new HttpError(404, '找不到这个文件。');
      sendFile(req, res, file, { userFile: true, cache: 'no-store' });
      return;
    }
    if (kind === 'output') {
      // Generated binders, by name, only from the workspace's output folder; ?download=1 saves instead of showing.
      const dir = outputDir(ws);
      const file = path.join(dir, id);
      if (!isOutputName(id) || !isPathInside(dir, file)) throw new HttpError(404, '找不到这个文件。');
      sendFile(req, res, file, { userFile: true, cache: 'no-store', attachment: url.searchParams.get('download') === '1' });
      return;
    }
    if (kind === 'thumb') {
      if (!/^[0-9a-f]{64}$/.test(id)) throw new HttpError(404, '找不到这个文件。');
      let original: string;
      try {
        original = ws.originalPath(id);
      } catch {
        throw new HttpError(404, '材料库中没有这个文件。');
      }
      const thumb = await ensureThumbnail(original, id, ws.cacheDir('thumbs'));
      if (!thumb) throw new HttpError(404, '这个文件没有缩略图。');
      sendFile(req, res, thumb, { userFile: false, cache: 'private, max-age=3600' });
      return;
    }
    throw new HttpError(404, '找不到这个文件。');
  };

  const handleStatic = (req: IncomingMessage, res: ServerResponse, pathname: string): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      throw new HttpError(405, '不支持的请求方法。');
    }
    const file = resolveInsideRoot(rendererDir, pathname === '/' ? '/index.html' : pathname);
    if (!file) throw new HttpError(404, '找不到这个页面。');
    const isIndex = path.basename(file) === 'index.html';
    // Vite names assets by content hash, so they can be cached; index.html must always be fresh.
    sendFile(req, res, file, { userFile: false, cache: isIndex ? 'no-cache' : 'public, max-age=31536000, immutable' });
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const handle = async (): Promise<void> => {
      const host = headerValue(req, 'host') ?? '';
      if (!hostAllowed(host)) {
        throw new HttpError(421, team ? `拒绝访问：服务器不认识地址“${host}”。如需用这个名称访问，请在启动时加 --allow-host。` : '拒绝访问：请通过 127.0.0.1 地址打开本机工作台。');
      }
      const rawPath = (req.url ?? '/').split('?', 1)[0] ?? '/';
      const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
      // Routing uses the raw path: WHATWG URL parsing would silently resolve `..` and `%2e%2e` segments.
      const api = /^\/api\/([A-Za-z]+\.[A-Za-z]+)$/.exec(rawPath);
      if (api) return handleApi(req, res, api[1]);
      if (rawPath.startsWith('/api/')) {
        sendJson(res, 404, apiError('unknown-method', `未知的接口：${rawPath.slice(5)}`));
        return;
      }
      if (rawPath === '/events') return handleEvents(req, res, url);
      const upload = /^\/upload(?:\/(finish|discard))?$/.exec(rawPath);
      if (upload) return handleUpload(req, res, url, upload[1] ?? 'file');
      const file = /^\/files\/([a-z]+)\/([^/]+)$/.exec(rawPath);
      if (file) {
        if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, '不支持的请求方法。');
        return handleFile(req, res, url, file[1], file[2]);
      }
      return handleStatic(req, res, rawPath);
    };
    handle().catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof HttpError ? error.message : `本机服务出错：${(error as Error).message}`;
      // A refused upload is not read to the end: close the connection instead of draining the body.
      const closing = status === 413 || (req.method === 'POST' && !req.readableEnded && status >= 400);
      if (closing) res.setHeader('Connection', 'close');
      if ((req.url ?? '').startsWith('/api/') || (req.url ?? '').startsWith('/upload')) sendJson(res, status, apiError(errorCode(status, Boolean(team)), message));
      else sendText(res, status, message);
      if (closing) res.on('finish', () => req.destroy());
    });
  };
  const server = team?.tls ? https.createServer({ cert: team.tls.cert, key: team.tls.key }, onRequest) : http.createServer(onRequest);
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    session.workspace?.close();
    if (error.code === 'EADDRINUSE') throw new Error(`端口 ${opts.port} 已被占用。请换一个端口（--port），或不指定端口由系统选择。`);
    throw error;
  });
  port = (server.address() as AddressInfo).port;
  // What a previous run left unfinished: scans still 识别中 are read, builds cut off by a restart run again.
  kickOcr();
  const stopping = new AbortController();
  const resumeDeps = { jobs, version: opts.version, ...(team?.now ? { now: team.now } : {}) };
  const resumed = session.workspace ? resumeInterruptedJobs(session.workspace, resumeDeps, stopping.signal).catch(() => undefined) : Promise.resolve();
  const shownHost = bindHost === '0.0.0.0' || bindHost === '::' ? LOOPBACK : bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  const url = team ? `${scheme}://${shownHost}:${port}/` : `http://${LOOPBACK}:${port}/?token=${token}`;
  // Sessions idle past the limit are removed now and then (each is also refused when used).
  const sweep = accounts ? setInterval(() => void accounts.endIdleSessions().catch(() => undefined), 3_600_000) : undefined;
  sweep?.unref();

  return {
    url,
    token,
    port,
    close: async () => {
      if (sweep) clearInterval(sweep);
      stopping.abort();
      for (const id of running) jobs.cancel(id);
      await resumed;
      await ocr.close();
      for (const res of listeners) res.end();
      listeners.clear();
      uploads.close();
      unsubscribe();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      session.workspace?.close();
      session.workspace = null;
    },
  };
}

import { WORKSPACE_CHANGED, WORKSPACE_FREE_METHODS, WORKSPACE_HEADER, type ApiError, type ApiResult, type InputOf, type Method, type OutputOf } from '../../shared/api/contract.js';
import { ERROR_CODES, type ErrorCode } from '../../shared/errors.js';
import { explainReason } from '../../shared/intake/reasons.js';
import { ERROR_TEXT } from '../../shared/vocabulary.js';
import type { Bridge } from './bridge.js';
import type { ImportReport } from '../../shared/domain/intake.js';

/**
 * Carries one call to the backend and returns its result as data; never throws for backend errors.
 * `workspace` is the folder of the workspace the page shows (null for calls that do not act on one).
 */
export type Transport = (method: Method, input: unknown, workspace: string | null) => Promise<ApiResult<unknown>>;

/** Thrown by the client when the backend answers {ok:false}; `message` is the backend's Chinese sentence. */
export class ApiCallError extends Error {
  readonly code: string;
  readonly apiError: ApiError;
  constructor(error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.apiError = error;
  }
}

/** A raw POST to the browser host (uploads): path with query, body sent as is, extra headers. */
export type RawPost = (path: string, body: Blob | null, headers: Record<string, string>, signal?: AbortSignal) => Promise<ApiResult<unknown>>;

/** Streaming uploads (browser host only; the desktop imports files by path). */
export type Uploader = {
  /** Sends one file's bytes as they are; several may be in flight at once. */
  file(batch: string, index: number, file: Blob, name: string, signal: AbortSignal): Promise<void>;
  /** Starts the import job over the batch's files. */
  finish(batch: string, target: { indicator?: string; requirement?: string }): Promise<{ jobId: string }>;
  /** Drops the files of a batch the user cancelled. */
  discard(batch: string): Promise<void>;
  /**
   * Team server: one file straight into a requirement (a department's submission arrives as 待审核), imported at
   * once; answers the import report.
   */
  into(requirement: string, file: Blob, name: string, signal?: AbortSignal): Promise<ImportReport>;
};

/** Team server login (a session cookie, HttpOnly: the page never sees it). */
export type Auth = {
  login(name: string, password: string): Promise<void>;
  logout(): Promise<void>;
};

export type ApiClient = {
  call<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>>;
  uploader: Uploader | null;
  /** Login and logout on a team server (absent on the desktop). */
  auth: Auth | null;
  /** The workspace the page shows; every later call that acts on a workspace names it. */
  setWorkspace(dir: string | null): void;
  workspace(): string | null;
  /**
   * Called when the page's workspace is no longer the one the backend serves: a call was refused for it, or
   * the host's event stream said another tab switched. The page must reload the session.
   */
  onWorkspaceChanged(listener: (reason: 'refused' | 'switched') => void): () => void;
  /** The host announced the workspace it serves now. */
  workspaceServed(dir: string | null): void;
};

export function createApiClient(transport: Transport, rawPost?: RawPost): ApiClient {
  let workspace: string | null = null;
  // While this page itself opens or creates a workspace, the host's announcement of it is not news.
  let choosing = 0;
  const changed = new Set<(reason: 'refused' | 'switched') => void>();
  return {
    async call<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
      const chooses = method === 'workspace.open' || method === 'workspace.create' || method === 'workspace.openDemo';
      if (chooses) choosing++;
      let result: ApiResult<unknown>;
      try {
        result = await transport(method, input, WORKSPACE_FREE_METHODS.has(method) ? null : workspace);
      } finally {
        if (chooses) choosing--;
      }
      if (chooses && result.ok) workspace = (result.data as { dir: string }).dir;
      if (!result.ok) {
        if (result.error.code === WORKSPACE_CHANGED) changed.forEach((fn) => fn('refused'));
        throw new ApiCallError(result.error);
      }
      return result.data as OutputOf<M>;
    },
    uploader: rawPost
      ? (() => {
          const post = async (path: string, body: Blob | null, headers: Record<string, string> = {}, signal?: AbortSignal) => {
            const result = await rawPost(path, body, { ...headers, ...(workspace !== null ? { [WORKSPACE_HEADER]: encodeURIComponent(workspace) } : {}) }, signal);
            if (!result.ok) {
              if (result.error.code === WORKSPACE_CHANGED) changed.forEach((fn) => fn('refused'));
              throw new ApiCallError(result.error);
            }
            return result.data;
          };
          const q = (params: Record<string, string | number | undefined>) =>
            Object.entries(params)
              .filter(([, v]) => v !== undefined && v !== '')
              .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
              .join('&');
          return {
            async file(batch, index, file, name, signal) {
              await post(`/upload?${q({ batch, index })}`, file, { 'X-File-Name': encodeURIComponent(name), 'Content-Type': 'application/octet-stream' }, signal);
            },
            async finish(batch, target) {
              return (await post(`/upload/finish?${q({ batch, ...target })}`, null)) as { jobId: string };
            },
            async discard(batch) {
              await post(`/upload/discard?${q({ batch })}`, null);
            },
            async into(requirement, file, name, signal) {
              return (await post(`/upload?${q({ requirement })}`, file, { 'X-File-Name': encodeURIComponent(name), 'Content-Type': 'application/octet-stream' }, signal)) as ImportReport;
            },
          } satisfies Uploader;
        })()
      : null,
    auth: rawPost
      ? {
          async login(name, password) {
            const body = new Blob([JSON.stringify({ name, password })], { type: 'application/json' });
            const result = await rawPost('/api/auth.login', body, { 'Content-Type': 'application/json' });
            if (!result.ok) throw new ApiCallError(result.error);
          },
          async logout() {
            const result = await rawPost('/api/auth.logout', new Blob(['{}'], { type: 'application/json' }), { 'Content-Type': 'application/json' });
            if (!result.ok) throw new ApiCallError(result.error);
          },
        }
      : null,
    setWorkspace(dir) {
      workspace = dir;
    },
    workspace: () => workspace,
    onWorkspaceChanged(listener) {
      changed.add(listener);
      return () => void changed.delete(listener);
    },
    workspaceServed(dir) {
      if (choosing === 0 && workspace !== null && dir !== workspace) changed.forEach((fn) => fn('switched'));
    },
  };
}

/**
 * Listens to the browser host's event stream so a tab learns at once that another tab switched the workspace
 * (EventSource reconnects by itself after a host restart). Returns the function that stops listening.
 */
export function watchHostWorkspace(client: ApiClient, token: string, base = ''): () => void {
  if (typeof EventSource === 'undefined') return () => undefined;
  // A team server knows the tab by its session cookie: no token in the URL.
  const source = new EventSource(token ? `${base}/events?token=${encodeURIComponent(token)}` : `${base}/events`);
  source.addEventListener('workspace', (event) => {
    try {
      const { dir } = JSON.parse((event as MessageEvent<string>).data) as { dir: string | null };
      client.workspaceServed(dir);
    } catch {
      // a malformed frame is ignored; the next call would be refused and reload the page anyway
    }
  });
  return () => source.close();
}

export const TOKEN_INVALID_MESSAGE = '访问令牌无效，请使用启动时打印的完整地址打开';
const TOKEN_KEY = 'binder-token';

/**
 * The browser host prints `http://127.0.0.1:PORT/?token=…`. The token is kept for this tab only (sessionStorage)
 * and removed from the visible address so it does not end up in screenshots or copied links.
 */
export function takeTokenFromLocation(loc: Location = window.location, storage: Storage = window.sessionStorage): string {
  const params = new URLSearchParams(loc.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    window.history.replaceState(null, '', `${loc.pathname}${rest ? `?${rest}` : ''}${loc.hash}`);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY) ?? '';
}

export function httpTransport(token: string, fetchImpl: typeof fetch = (...args) => fetch(...args), base = ''): Transport {
  return async (method, input, workspace) => {
    let response: Response;
    try {
      response = await fetchImpl(`${base}/api/${method}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Binder-Token': token,
          ...(workspace !== null ? { [WORKSPACE_HEADER]: encodeURIComponent(workspace) } : {}),
        },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      return { ok: false, error: { code: 'offline', message: '无法连接到本机服务。请确认程序仍在运行，然后刷新页面。' } };
    }
    return readResult(response);
  };
}

/**
 * The host's answer as data: its own {ok,…} body (a team server's refusals name the role and the action), or a
 * sentence for a token refusal or an unreadable reply.
 */
async function readResult(response: Response): Promise<ApiResult<unknown>> {
  try {
    const body = (await response.json()) as ApiResult<unknown>;
    if (body && typeof body === 'object' && 'ok' in body) return body;
  } catch {
    // fall through: not JSON
  }
  if (response.status === 401 || response.status === 403) {
    return { ok: false, error: { code: 'unauthorized', message: TOKEN_INVALID_MESSAGE } };
  }
  return { ok: false, error: { code: 'bad-response', message: `本机服务返回了无法识别的结果（HTTP ${response.status}）。请重启程序后再试。` } };
}

/** Each desktop window has its own backend session, so a window cannot reach another's workspace: no name needed. */
/** Raw POSTs to the browser host with the token; errors come back as data like the API's. */
export function httpRawPost(token: string, fetchImpl: typeof fetch = (...args) => fetch(...args), base = ''): RawPost {
  return async (path, body, headers, signal) => {
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}`, { method: 'POST', headers: { ...headers, 'X-Binder-Token': token }, body, signal });
    } catch (error) {
      if (signal?.aborted) return { ok: false, error: { code: 'cancelled', message: '已取消。' } };
      return { ok: false, error: { code: 'offline', message: `无法连接到本机服务（${(error as Error).message}）。请确认程序仍在运行，然后重试。` } };
    }
    return readResult(response);
  };
}

export function ipcTransport(bridge: Bridge): Transport {
  return async (method, input) => {
    try {
      return await bridge.invoke(method, input);
    } catch (error) {
      return { ok: false, error: { code: 'ipc', message: `与后台通信失败：${(error as Error).message}。请重启程序后再试。` } };
    }
  };
}

/** Readable sentence for any error caught in the UI (never a stack trace). */
/**
 * The sentence to show for a failure. Chinese: the backend's own sentence. English: the import reason's English
 * when the sentence is one (see shared/intake/reasons.ts), else the English for the error's code.
 */
export function errorMessage(error: unknown, lang: 'zh' | 'en' = 'zh'): string {
  const message = error instanceof Error ? error.message : String(error);
  if (lang === 'zh') return message;
  const reason = explainReason(message, 'en');
  if (reason !== message) return reason;
  if (error instanceof ApiCallError && isErrorCode(error.code)) return ERROR_TEXT[error.code].en;
  return message;
}

const isErrorCode = (code: string): code is ErrorCode => (ERROR_CODES as readonly string[]).includes(code);

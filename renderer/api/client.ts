import type { ApiError, ApiResult, InputOf, Method, OutputOf } from '../../shared/api/contract.js';
import type { Bridge } from './bridge.js';

/** Carries one call to the backend and returns its result as data; never throws for backend errors. */
export type Transport = (method: Method, input: unknown) => Promise<ApiResult<unknown>>;

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

export type ApiClient = {
  call<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>>;
};

export function createApiClient(transport: Transport): ApiClient {
  return {
    async call<M extends Method>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
      const result = await transport(method, input);
      if (!result.ok) throw new ApiCallError(result.error);
      return result.data as OutputOf<M>;
    },
  };
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
  return async (method, input) => {
    let response: Response;
    try {
      response = await fetchImpl(`${base}/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Binder-Token': token },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      return { ok: false, error: { code: 'offline', message: '无法连接到本机服务。请确认程序仍在运行，然后刷新页面。' } };
    }
    if (response.status === 401 || response.status === 403) {
      return { ok: false, error: { code: 'unauthorized', message: TOKEN_INVALID_MESSAGE } };
    }
    try {
      const body = (await response.json()) as ApiResult<unknown>;
      if (body && typeof body === 'object' && 'ok' in body) return body;
    } catch {
      // fall through: not JSON
    }
    return { ok: false, error: { code: 'bad-response', message: `本机服务返回了无法识别的结果（HTTP ${response.status}）。请重启程序后再试。` } };
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
export function errorMessage(error: unknown): string {
  if (error instanceof ApiCallError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

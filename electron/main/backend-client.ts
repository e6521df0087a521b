import { utilityProcess, type UtilityProcess } from 'electron';
import type { ApiResult } from '../../shared/api/contract.js';
import type { BackendReply, BackendRequest } from '../backend/host/service.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Pending = { resolve(reply: BackendReply): void; reject(error: Error): void };

export type BackendClientOptions = {
  /** dist/electron/backend.mjs */
  entry: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Called after an unexpected exit and restart, so windows can reopen their workspaces. */
  onRestart(): void;
};

/**
 * The main process's side of the backend utility process: numbered requests, one reply each. The IPC handler
 * stays thin (check sender, forward, return). An unexpected exit fails the pending calls with a Chinese
 * message and starts a fresh backend.
 */
export class BackendClient {
  private child: UtilityProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private stopping = false;
  private restarts = 0;
  private readonly options: BackendClientOptions;

  constructor(options: BackendClientOptions) {
    this.options = options;
  }

  start(): void {
    const child = utilityProcess.fork(this.options.entry, this.options.args, {
      serviceName: '佐证材料汇编后台',
      env: this.options.env,
      stdio: 'inherit',
    });
    child.on('message', (reply: BackendReply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      waiting.resolve(reply);
    });
    child.on('exit', (code) => {
      this.child = null;
      for (const waiting of this.pending.values()) waiting.reject(new Error(`后台进程意外退出（代码 ${code}）。请重试刚才的操作。`));
      this.pending.clear();
      // Restart on a crash, but not in a loop if the backend cannot start at all.
      if (!this.stopping && this.restarts < 5) {
        this.restarts += 1;
        this.start();
        this.options.onRestart();
      }
    });
    this.child = child;
  }

  request(message: DistributiveOmit<BackendRequest, 'id'>): Promise<BackendReply> {
    const child = this.child;
    if (!child) return Promise.reject(new Error('后台进程没有运行。请重启程序。'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.postMessage({ ...message, id });
    });
  }

  /** An API call for one window; transport failures become an ApiResult too (errors are data). */
  async api(windowId: number, method: string, input: unknown): Promise<{ result: ApiResult<unknown>; workspaceDir: string | null | undefined }> {
    try {
      const reply = await this.request({ type: 'api', windowId, method, input });
      return reply.type === 'api' ? { result: reply.result, workspaceDir: reply.workspaceDir } : { result: { ok: false, error: { code: 'internal', message: '后台返回了错误的结果。' } }, workspaceDir: undefined };
    } catch (error) {
      return { result: { ok: false, error: { code: 'backend', message: (error as Error).message } }, workspaceDir: undefined };
    }
  }

  async file(windowId: number, kind: string, name: string): Promise<{ path: string; name: string } | null> {
    try {
      const reply = await this.request({ type: 'file', windowId, kind, name });
      return reply.type === 'file' ? reply.file : null;
    } catch {
      return null;
    }
  }

  async closeWindow(windowId: number): Promise<void> {
    await this.request({ type: 'close', windowId }).catch(() => undefined);
  }

  stop(): void {
    this.stopping = true;
    this.child?.postMessage({ type: 'shutdown' });
    const child = this.child;
    // The backend closes its databases and exits; kill it if it does not within two seconds.
    if (child) setTimeout(() => child.kill(), 2000).unref();
  }
}

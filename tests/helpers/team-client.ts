import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { HostOptions } from '../../electron/backend/host/server.js';

export type TeamResponse = { status: number; headers: http.IncomingHttpHeaders; body: Buffer; json: () => { ok: boolean; data?: unknown; error?: { code: string; message: string } } };

/** A raw request to a team server on loopback: Host and Origin are what a browser on this machine would send. */
export function teamRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; host?: string; origin?: string | null },
): Promise<TeamResponse> {
  const host = options.host ?? `127.0.0.1:${port}`;
  const origin = options.origin === undefined ? `http://${host}` : options.origin;
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        // A fresh connection per request: a kept-alive socket the server closes while busy would reset the next call.
        agent: false,
        method: options.method ?? 'POST',
        path: options.path,
        headers: { Host: host, ...(origin !== null && (options.method ?? 'POST') === 'POST' ? { Origin: origin } : {}), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) as ReturnType<TeamResponse['json']> });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** One logged-in person: keeps the session cookie and sends it with every call, as the browser does. */
export class TeamClient {
  cookie: string | null = null;
  readonly port: number;

  constructor(port: number) {
    this.port = port;
  }

  async login(name: string, password: string): Promise<TeamResponse> {
    const res = await teamRequest(this.port, { path: '/api/auth.login', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name, password }) });
    const set = res.headers['set-cookie']?.[0];
    if (res.status === 200 && set) this.cookie = set.split(';')[0];
    return res;
  }

  call(method: string, input: unknown, extra: { origin?: string | null; host?: string } = {}): Promise<TeamResponse> {
    return teamRequest(this.port, {
      path: `/api/${method}`,
      headers: { 'Content-Type': 'application/json', ...(this.cookie ? { Cookie: this.cookie } : {}) },
      body: JSON.stringify(input),
      ...extra,
    });
  }

  /** The data of a call that must succeed. */
  async ok<T>(method: string, input: unknown): Promise<T> {
    const res = await this.call(method, input);
    const body = res.json();
    if (res.status !== 200 || !body.ok) throw new Error(`${method} → ${res.status} ${res.body.toString()}`);
    return body.data as T;
  }

  upload(requirement: string, name: string, bytes: Buffer | string): Promise<TeamResponse> {
    return teamRequest(this.port, {
      path: `/upload?requirement=${encodeURIComponent(requirement)}`,
      headers: { 'X-File-Name': encodeURIComponent(name), 'Content-Type': 'application/octet-stream', ...(this.cookie ? { Cookie: this.cookie } : {}) },
      body: bytes,
    });
  }

  get(path: string): Promise<TeamResponse> {
    return teamRequest(this.port, { method: 'GET', path, headers: this.cookie ? { Cookie: this.cookie } : {} });
  }
}

/** A host's options in a test, under `root`: a stand-in page for the renderer, state and demo folders. */
export function testHostOptions(root: string, workspaceDir: string): HostOptions & { rendererDir: string } {
  const rendererDir = path.join(root, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>佐证材料汇编</title>');
  return { workspaceDir, port: 0, rendererDir, stateDir: path.join(root, 'state'), demoDir: path.join(root, 'demo'), version: '9.9.9' };
}

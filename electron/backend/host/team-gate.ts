import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import { Accounts, LoginError, type SessionUser } from '../team/accounts.js';
import type { Workspace } from '../workspace/workspace.js';

/** What `binder serve --team` adds to the browser host: accounts instead of the per-run token. */
export type TeamOptions = {
  /** Address to listen on (default 127.0.0.1; 0.0.0.0 for the office LAN). */
  host?: string;
  /** Further names (or name:port) the browser may use in the address bar, e.g. a DNS name of the server. */
  allowHosts?: string[];
  /** PEM certificate and key: HTTPS, and the session cookie is Secure. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Injected clock (tests step over a lockout or an idle session). */
  now?: () => Date;
};

export const SESSION_COOKIE = 'binder_session';

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/** Splits a Host header into name and port ("[::1]:80" → "::1", "80"). */
function splitHost(header: string): { name: string; port: string } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(header) ?? /^([^:]+)(?::(\d+))?$/.exec(header);
  return m ? { name: m[1].toLowerCase(), port: m[2] ?? '' } : { name: '', port: '' };
}

/**
 * The Host names a team server answers to: loopback, the address it listens on, any --allow-host, and — when it
 * listens on every interface — the machine's own IP addresses (an IP literal cannot be rebound by DNS). Anything
 * else is refused, which stops DNS-rebinding pages from reaching the server through a name they control.
 */
export function hostMatcher(options: TeamOptions, port: () => number): (header: string) => boolean {
  const names = new Set(['127.0.0.1', 'localhost', '::1']);
  const bind = options.host ?? '127.0.0.1';
  if (WILDCARD.has(bind)) {
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(a.address.toLowerCase());
  } else {
    names.add(bind.toLowerCase());
  }
  const exact = new Set<string>();
  for (const entry of options.allowHosts ?? []) {
    const { name, port: p } = splitHost(entry.trim());
    if (p) exact.add(`${name}:${p}`);
    else names.add(name);
  }
  return (header) => {
    const { name, port: p } = splitHost(header.trim());
    if (exact.has(`${name}:${p}`)) return true;
    return names.has(name) && p === String(port());
  };
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The session cookie: never readable by scripts, never sent by another site's page, Secure under TLS. */
export function sessionCookie(value: string, secure: boolean, maxAgeSeconds?: number): string {
  return [`${SESSION_COOKIE}=${value}`, 'HttpOnly', 'SameSite=Strict', 'Path=/', ...(secure ? ['Secure'] : []), ...(maxAgeSeconds !== undefined ? [`Max-Age=${maxAgeSeconds}`] : [])].join('; ');
}

export type LoginAnswer = { status: number; cookie?: string; body: { ok: true; data: { user: SessionUser } } | { ok: false; error: { code: 'unauthorized' | 'locked' | 'invalid-input'; message: string } } };

/** POST /api/auth.login: checks the account and answers with the cookie to set, or the refusal. */
export async function login(ws: Workspace, input: unknown, secure: boolean, now?: () => Date): Promise<LoginAnswer> {
  const { name, password } = (input ?? {}) as { name?: unknown; password?: unknown };
  if (typeof name !== 'string' || typeof password !== 'string' || !name.trim() || !password || name.length > 64 || password.length > 256) {
    return { status: 400, body: { ok: false, error: { code: 'invalid-input', message: '请输入用户名和密码。' } } };
  }
  try {
    const { sessionId, user } = await new Accounts(ws.users, now).login(name.trim(), password);
    return { status: 200, cookie: sessionCookie(sessionId, secure), body: { ok: true, data: { user } } };
  } catch (error) {
    if (!(error instanceof LoginError)) throw error;
    return { status: error.lockedUntil ? 423 : 401, body: { ok: false, error: { code: error.lockedUntil ? 'locked' : 'unauthorized', message: error.message } } };
  }
}

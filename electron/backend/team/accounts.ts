import { createHash, randomBytes } from 'node:crypto';
import type { Actor, Role } from '../../../shared/team/roles.js';
import type { UserRow } from '../../../shared/team/types.js';
import { AppError } from '../../../shared/errors.js';
import type { StoredUser, UserStore } from '../db/users.js';

/** Wrong passwords in a row that lock an account, and for how long. */
export const LOCK_AFTER_FAILURES = 10;
export const LOCK_MINUTES = 15;
/** A session unused this long has ended: the person must log in again. */
export const SESSION_IDLE_HOURS = 8;
/** last_seen is written at most this often per session, so reading pages does not write to the database each time. */
const TOUCH_EVERY_MS = 60_000;

// argon2id through @node-rs/argon2 (prebuilt for each platform, nothing downloaded at install or run time); its
// defaults are OWASP's minimum (19 MiB, 2 passes). Loaded on first use so the desktop never loads it.
const argon2 = () => import('@node-rs/argon2');
const ARGON2ID = 2;

export async function hashPassword(password: string): Promise<string> {
  const { hash } = await argon2();
  return hash(password, { algorithm: ARGON2ID });
}

async function verifyPassword(hash: string, password: string): Promise<boolean> {
  const { verify } = await argon2();
  try {
    return await verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password, verified against when the user does not exist, so the answer takes as long. */
let decoy: Promise<string> | undefined;

export function publicUser(user: StoredUser, now: Date): UserRow {
  const locked = user.lockedUntil && Date.parse(user.lockedUntil) > now.getTime() ? { lockedUntil: user.lockedUntil } : {};
  return {
    name: user.name,
    ...(user.displayName ? { displayName: user.displayName } : {}),
    role: user.role,
    departments: user.departments,
    disabled: user.disabled,
    ...locked,
    createdAt: user.createdAt,
    ...(user.lastLoginAt ? { lastLoginAt: user.lastLoginAt } : {}),
  };
}

export type SessionUser = Actor & { displayName?: string };

function actorOf(user: StoredUser): SessionUser {
  return { name: user.name, role: user.role, departments: user.departments, ...(user.displayName ? { displayName: user.displayName } : {}) };
}

/** Why a login was refused: `locked` carries when the account opens again. */
export class LoginError extends AppError {
  readonly lockedUntil?: string;
  constructor(message: string, lockedUntil?: string) {
    super(lockedUntil ? 'locked' : 'unauthorized', message);
    this.lockedUntil = lockedUntil;
  }
}

const WRONG_LOGIN = '用户名或密码不正确。';

function clock(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function lockedMessage(until: string): string {
  return `连续 ${LOCK_AFTER_FAILURES} 次密码错误，账号已锁定 ${LOCK_MINUTES} 分钟，将于 ${clock(until)} 解锁。如需提前解锁，请管理员重设密码。`;
}

export function sessionHash(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

function checkDepartments(role: Role, departments: string[]): void {
  if (role === 'department' && !departments.length) throw new AppError('usage', '部门账号至少要指定一个部门（--department，与框架中的牵头单位同名）。');
}

/**
 * Accounts and sessions of one workspace: the rules of team mode's login (argon2id hashes, lockout after
 * LOCK_AFTER_FAILURES wrong passwords, sessions ending after SESSION_IDLE_HOURS idle or when the account is
 * disabled or gets a new password). The clock is injected so tests can step over a lockout.
 */
export class Accounts {
  private readonly users: UserStore;
  private readonly now: () => Date;

  constructor(users: UserStore, now: () => Date = () => new Date()) {
    this.users = users;
    this.now = now;
  }

  async list(): Promise<UserRow[]> {
    const now = this.now();
    return (await this.users.list()).map((u) => publicUser(u, now));
  }

  async add(input: { name: string; displayName?: string; role: Role; departments: string[]; password: string }): Promise<UserRow> {
    checkDepartments(input.role, input.departments);
    const created = await this.users.add({
      name: input.name,
      displayName: input.displayName,
      role: input.role,
      departments: input.departments,
      passwordHash: await hashPassword(input.password),
      createdAt: this.now().toISOString(),
    });
    if (!created) throw new AppError('exists', `已有名为“${input.name}”的用户。`);
    return this.require(input.name);
  }

  async update(input: { name: string; displayName?: string; role?: Role; departments?: string[]; disabled?: boolean }): Promise<UserRow> {
    const before = await this.users.get(input.name);
    if (!before) throw this.notFound(input.name);
    const role = input.role ?? before.role;
    checkDepartments(role, input.departments ?? before.departments);
    const losesAdmin = before.role === 'admin' && !before.disabled && (role !== 'admin' || input.disabled === true);
    if (losesAdmin && (await this.users.countActiveAdmins()) <= 1) {
      throw new AppError('usage', `“${input.name}”是唯一可用的管理员账号，不能停用或改为其他角色；请先添加另一个管理员。`);
    }
    // A changed role or scope takes effect at once: the sessions holding the old one end.
    const endSessions = input.disabled === true || role !== before.role || (input.departments !== undefined && input.departments.join('\n') !== before.departments.join('\n'));
    await this.users.update(input.name, { displayName: input.displayName, role: input.role, departments: input.departments, disabled: input.disabled }, endSessions);
    return this.require(input.name);
  }

  async resetPassword(name: string, password: string): Promise<UserRow> {
    if (!(await this.users.get(name))) throw this.notFound(name);
    await this.users.update(name, { passwordHash: await hashPassword(password) }, true);
    return this.require(name);
  }

  async hasAdmin(): Promise<boolean> {
    return (await this.users.countActiveAdmins()) > 0;
  }

  /**
   * Checks a name and password and opens a session. The same refusal for an unknown name and a wrong password
   * (and the same work: a decoy hash is verified), so the answer never tells whether an account exists.
   */
  async login(name: string, password: string): Promise<{ sessionId: string; user: SessionUser }> {
    const now = this.now();
    const user = await this.users.get(name);
    if (!user) {
      decoy ??= hashPassword(randomBytes(16).toString('hex'));
      await verifyPassword(await decoy, password);
      throw new LoginError(WRONG_LOGIN);
    }
    if (user.lockedUntil && Date.parse(user.lockedUntil) > now.getTime()) throw new LoginError(lockedMessage(user.lockedUntil), user.lockedUntil);
    const ok = await verifyPassword(user.passwordHash, password);
    if (!ok) {
      const lockedUntil = await this.users.recordFailure(name, LOCK_AFTER_FAILURES, new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString());
      if (lockedUntil) throw new LoginError(lockedMessage(lockedUntil), lockedUntil);
      throw new LoginError(WRONG_LOGIN);
    }
    // Told only after the right password, so a stranger cannot probe which accounts are disabled.
    if (user.disabled) throw new LoginError('该账号已停用。请联系管理员。');
    const sessionId = randomBytes(32).toString('base64url');
    await this.users.recordLogin(name, sessionHash(sessionId), now.toISOString());
    return { sessionId, user: actorOf(user) };
  }

  async logout(sessionId: string): Promise<void> {
    await this.users.endSession(sessionHash(sessionId));
  }

  /** The user a session id belongs to, or null when it is unknown, idle too long, or its account is disabled. */
  async resolve(sessionId: string): Promise<SessionUser | null> {
    const hash = sessionHash(sessionId);
    const session = await this.users.session(hash);
    if (!session) return null;
    const now = this.now().getTime();
    const lastSeen = Date.parse(session.lastSeenAt);
    if (now - lastSeen > SESSION_IDLE_HOURS * 3_600_000) {
      await this.logout(sessionId);
      return null;
    }
    const user = await this.users.get(session.userName);
    if (!user || user.disabled) return null;
    if (now - lastSeen >= TOUCH_EVERY_MS) {
      await this.users.touchSession(hash, new Date(now).toISOString());
    }
    return actorOf(user);
  }

  /** Sessions idle past the limit are removed (the server calls this now and then). */
  async endIdleSessions(): Promise<number> {
    return this.users.endIdleSessions(new Date(this.now().getTime() - SESSION_IDLE_HOURS * 3_600_000).toISOString());
  }

  private async require(name: string): Promise<UserRow> {
    const user = await this.users.get(name);
    if (!user) throw this.notFound(name);
    return publicUser(user, this.now());
  }

  private notFound(name: string): AppError {
    return new AppError('not-found', `没有名为“${name}”的用户。`);
  }
}

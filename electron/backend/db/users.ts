import type { Role } from '../../../shared/team/roles.js';
import { ROLES } from '../../../shared/team/roles.js';
import type { Store } from './connection.js';
import type { UserTable } from './schema.js';

/** An account as stored, with its password hash (never leaves the backend). */
export type StoredUser = {
  name: string;
  displayName?: string;
  role: Role;
  departments: string[];
  passwordHash: string;
  disabled: boolean;
  failedLogins: number;
  lockedUntil?: string;
  createdAt: string;
  lastLoginAt?: string;
};

export type NewUser = Pick<StoredUser, 'name' | 'displayName' | 'role' | 'departments' | 'passwordHash' | 'createdAt'>;
export type UserChanges = Partial<Pick<StoredUser, 'displayName' | 'role' | 'departments' | 'disabled' | 'passwordHash'>>;

export type StoredSession = { userName: string; createdAt: string; lastSeenAt: string };

function toUser(row: UserTable): StoredUser {
  const departments = JSON.parse(row.departments) as unknown;
  return {
    name: row.name,
    ...(row.display_name ? { displayName: row.display_name } : {}),
    // A role written by a newer version is read as the least powerful one rather than trusted.
    role: (ROLES as readonly string[]).includes(row.role) ? (row.role as Role) : 'leader',
    departments: Array.isArray(departments) ? departments.map(String) : [],
    passwordHash: row.password_hash,
    disabled: row.disabled === 1,
    failedLogins: row.failed_logins,
    ...(row.locked_until ? { lockedUntil: row.locked_until } : {}),
    createdAt: row.created_at,
    ...(row.last_login_at ? { lastLoginAt: row.last_login_at } : {}),
  };
}

/**
 * The users and sessions tables of one workspace (team mode). Each method is one read or one write transaction;
 * the rules (lockout, expiry, which changes end sessions) are electron/backend/team/accounts.ts's.
 */
export class UserStore {
  private readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  async list(): Promise<StoredUser[]> {
    const rows = await this.store.reader.k.selectFrom('users').selectAll().orderBy('name').execute();
    return rows.map(toUser);
  }

  async get(name: string): Promise<StoredUser | undefined> {
    const row = await this.store.reader.k.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  async countActiveAdmins(): Promise<number> {
    const row = await this.store.reader.k
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('role', '=', 'admin')
      .where('disabled', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Adds an account; false when the name is taken. */
  async add(user: NewUser): Promise<boolean> {
    return this.store.write(async (db) => {
      const taken = await db.k.selectFrom('users').select('name').where('name', '=', user.name).executeTakeFirst();
      if (taken) return false;
      await db.k
        .insertInto('users')
        .values({
          name: user.name,
          display_name: user.displayName ?? null,
          role: user.role,
          departments: JSON.stringify(user.departments),
          password_hash: user.passwordHash,
          disabled: 0,
          failed_logins: 0,
          locked_until: null,
          created_at: user.createdAt,
          last_login_at: null,
        })
        .execute();
      return true;
    });
  }

  /**
   * Changes an account; `endSessions` logs it out everywhere in the same transaction (a disabled account or a new
   * password must not leave a session alive in between). A new password also lifts a lockout.
   */
  async update(name: string, changes: UserChanges, endSessions: boolean): Promise<StoredUser | undefined> {
    return this.store.write(async (db) => {
      const values: Partial<UserTable> = {};
      if (changes.displayName !== undefined) values.display_name = changes.displayName || null;
      if (changes.role !== undefined) values.role = changes.role;
      if (changes.departments !== undefined) values.departments = JSON.stringify(changes.departments);
      if (changes.disabled !== undefined) values.disabled = changes.disabled ? 1 : 0;
      if (changes.passwordHash !== undefined) Object.assign(values, { password_hash: changes.passwordHash, failed_logins: 0, locked_until: null });
      if (Object.keys(values).length) await db.k.updateTable('users').set(values).where('name', '=', name).execute();
      if (endSessions) await db.k.deleteFrom('sessions').where('user_name', '=', name).execute();
      const row = await db.k.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
      return row ? toUser(row) : undefined;
    });
  }

  /**
   * Counts one failed login, atomically on both engines (two wrong passwords at once both count); at `limit`
   * the account is locked until `lockUntil` and the count starts again. Returns the lock time when it locked.
   */
  async recordFailure(name: string, limit: number, lockUntil: string): Promise<string | undefined> {
    return this.store.write(async (db) => {
      const row = await db.k
        .updateTable('users')
        .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
        .where('name', '=', name)
        .returning('failed_logins')
        .executeTakeFirst();
      if (!row || row.failed_logins < limit) return undefined;
      await db.k.updateTable('users').set({ failed_logins: 0, locked_until: lockUntil }).where('name', '=', name).execute();
      return lockUntil;
    });
  }

  /** A successful login: the failure count and any expired lock go, and a session is stored (by its hash). */
  async recordLogin(name: string, idHash: string, at: string): Promise<void> {
    await this.store.write(async (db) => {
      await db.k.updateTable('users').set({ failed_logins: 0, locked_until: null, last_login_at: at }).where('name', '=', name).execute();
      await db.k.insertInto('sessions').values({ id_hash: idHash, user_name: name, created_at: at, last_seen_at: at }).execute();
    });
  }

  async session(idHash: string): Promise<StoredSession | undefined> {
    const row = await this.store.reader.k.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    return row ? { userName: row.user_name, createdAt: row.created_at, lastSeenAt: row.last_seen_at } : undefined;
  }

  async touchSession(idHash: string, at: string): Promise<void> {
    await this.store.write(async (db) => {
      await db.k.updateTable('sessions').set({ last_seen_at: at }).where('id_hash', '=', idHash).execute();
    });
  }

  async endSession(idHash: string): Promise<void> {
    await this.store.write(async (db) => {
      await db.k.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    });
  }

  /** Removes sessions idle since before `idleSince` (ISO); returns how many. */
  async endIdleSessions(idleSince: string): Promise<number> {
    return this.store.write(async (db) => {
      const result = await db.k.deleteFrom('sessions').where('last_seen_at', '<', idleSince).executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }
}

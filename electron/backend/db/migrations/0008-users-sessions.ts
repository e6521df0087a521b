import { sql } from 'kysely';
import type { Migration } from './index.js';

/**
 * Team mode's accounts and login sessions. A session row keeps only the SHA-256 of the session id the browser
 * holds in its cookie, so a copy of the database cannot be used to log in. Departments are a JSON array of names
 * as the framework spells them (牵头单位).
 */
export const usersSessions: Migration = {
  name: 'users-sessions',
  async up(db) {
    await sql`CREATE TABLE users (
      name TEXT PRIMARY KEY,
      display_name TEXT,
      role TEXT NOT NULL,
      departments TEXT NOT NULL,
      password_hash TEXT NOT NULL,
      disabled INTEGER NOT NULL DEFAULT 0,
      failed_logins INTEGER NOT NULL DEFAULT 0,
      locked_until TEXT,
      created_at TEXT NOT NULL,
      last_login_at TEXT
    )`.execute(db.k);
    await sql`CREATE TABLE sessions (
      id_hash TEXT PRIMARY KEY,
      user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      last_seen_at TEXT NOT NULL
    )`.execute(db.k);
    await sql`CREATE INDEX sessions_user ON sessions(user_name)`.execute(db.k);
  },
};

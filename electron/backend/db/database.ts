import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';

export type Db = Database.Database;

/**
 * Ordered, append-only list of migrations tracked by PRAGMA user_version (Signal Desktop's approach).
 * Never edit a step that has shipped: add a new one.
 */
const MIGRATIONS: ((db: Db) => void)[] = [
  (db) => {
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE evidence (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        sha256 TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        original_name TEXT NOT NULL,
        source TEXT NOT NULL,
        format TEXT NOT NULL,
        ext TEXT NOT NULL,
        type TEXT NOT NULL,
        type_origin TEXT NOT NULL,
        type_confidence REAL NOT NULL,
        title TEXT NOT NULL,
        doc_number TEXT,
        issuer TEXT,
        date TEXT,
        date_origin TEXT,
        pages INTEGER,
        scanned INTEGER,
        readability TEXT NOT NULL,
        read_error TEXT,
        photo TEXT,
        caption TEXT,
        fingerprint TEXT,
        note TEXT,
        is_copy INTEGER NOT NULL DEFAULT 0,
        user_fields TEXT NOT NULL DEFAULT '[]',
        imported_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
      );
      CREATE INDEX evidence_deleted ON evidence(deleted_at);
      CREATE TABLE evidence_text (
        evidence_id INTEGER PRIMARY KEY REFERENCES evidence(id) ON DELETE CASCADE,
        text TEXT NOT NULL
      );
      -- trigram tokenizer: Chinese substring search for queries of 3+ characters (shorter ones use LIKE).
      CREATE VIRTUAL TABLE evidence_fts USING fts5(title, doc_number, issuer, original_name, body, tokenize='trigram');
      CREATE TABLE links (
        evidence_id INTEGER NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
        indicator TEXT NOT NULL,
        requirement TEXT,
        origin TEXT NOT NULL,
        confidence REAL NOT NULL,
        PRIMARY KEY (evidence_id, indicator)
      );
      CREATE INDEX links_indicator ON links(indicator);
      CREATE TABLE target_values (id TEXT PRIMARY KEY, target REAL, actual REAL, source TEXT);
      CREATE TABLE history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        evidence_id INTEGER,
        detail TEXT NOT NULL
      );
    `);
  },
  (db) => {
    // Where a title came from, so self-made titles can be bracketed in the catalogue (GB/T 9705).
    db.exec(`ALTER TABLE evidence ADD COLUMN title_origin TEXT`);
  },
  (db) => {
    // One user action (a batch edit, a multi-delete) is one undo step: its history rows share a batch number.
    db.exec(`ALTER TABLE history ADD COLUMN batch INTEGER; CREATE INDEX history_batch ON history(batch)`);
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class WorkspaceVersionError extends Error {
  constructor(found: number) {
    super(
      `该工作区由更新版本的“佐证材料汇编”创建（数据版本 ${found}，本程序支持 ${SCHEMA_VERSION}）。请升级程序后再打开；为保护数据，本程序不会改动它。`,
    );
    this.name = 'WorkspaceVersionError';
  }
}

export type OpenOptions = {
  /** Path of a better_sqlite3.node built for the running runtime (Electron vs Node), when not the default. */
  nativeBinding?: string;
  readonly?: boolean;
};

/** Opens (or creates) a workspace database: WAL, foreign keys, then all pending migrations in one transaction. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const nativeBinding = options.nativeBinding ?? process.env.EVIDENCE_BINDER_SQLITE_BINDING;
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
    ...(nativeBinding && existsSync(nativeBinding) ? { nativeBinding } : {}),
  });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // NORMAL is durable in WAL mode except for the last transactions on power loss; the vault is fsynced separately.
    db.pragma('synchronous = NORMAL');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new WorkspaceVersionError(version);
    if (version < SCHEMA_VERSION && !options.readonly) {
      db.transaction(() => {
        for (let v = version; v < SCHEMA_VERSION; v++) MIGRATIONS[v](db);
        db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function databasePath(workspaceDir: string): string {
  return path.join(workspaceDir, 'binder.db');
}

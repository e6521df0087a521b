import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { AppError } from '../../../shared/errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations/index.js';
import { trackOpen, untrackOpen } from './registry.js';
import type { Schema } from './schema.js';

export type Engine = 'sqlite' | 'postgres';

declare const writableBrand: unique symbol;

/** A handle that may only read. Functions taking it say in their signature that they do not write. */
export type ReadableDb = { readonly engine: Engine; readonly k: Kysely<Schema> };
/** A handle inside a write transaction: only `Store.write` makes one, so every write is transactional. */
export type WritableDb = ReadableDb & { readonly [writableBrand]: true };

export type StoreTarget =
  | {
      engine: 'sqlite';
      file: string;
      /** Path of a better_sqlite3.node built for the running runtime (Electron vs Node), when not the default. */
      nativeBinding?: string;
      readonly?: boolean;
    }
  | {
      engine: 'postgres';
      /** postgres://user@host:port/db — without a password: PGPASSWORD or ~/.pgpass supply it. */
      url: string;
      /** The PostgreSQL schema that holds this workspace (one server holds many workspaces). */
      schema: string;
    };

export class WorkspaceVersionError extends AppError {
  constructor(found: number) {
    super(
      'newer-version',
      `该工作区由更新版本的“佐证材料汇编”创建（数据版本 ${found}，本程序支持 ${SCHEMA_VERSION}）。请升级程序后再打开；为保护数据，本程序不会改动它。`,
    );
  }
}

export class DatabaseUnreachableError extends AppError {
  constructor(url: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(
      'database-unreachable',
      `无法连接 PostgreSQL 数据库 ${url}（${why}），未做任何改动；请确认数据库服务已启动、地址端口和用户名正确，密码可由 PGPASSWORD 环境变量或 .pgpass 文件提供。`,
      { cause },
    );
  }
}

/** A schema name we create ourselves: letters, digits and underscores only, so it never needs quoting rules. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * One workspace database, SQLite or PostgreSQL. Reads go through `reader`; every write runs in `write(fn)`, one
 * transaction per user action, so a failure leaves nothing half-written.
 */
export class Store {
  readonly engine: Engine;
  /** Where the data lives, for messages (a file path, or the URL and schema). */
  readonly location: string;
  private readonly k: Kysely<Schema>;
  private closed = false;

  private constructor({ engine, k, location }: Opened) {
    this.engine = engine;
    this.k = k;
    this.location = location;
    trackOpen(this);
  }

  get reader(): ReadableDb {
    return { engine: this.engine, k: this.k };
  }

  async write<T>(fn: (db: WritableDb) => Promise<T>): Promise<T> {
    return this.k.transaction().execute((trx) => fn({ engine: this.engine, k: trx } as ReadableDb as WritableDb));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    untrackOpen(this);
    await this.k.destroy();
  }

  /** Opens (or creates) a workspace database and applies all pending migrations in one transaction. */
  static async open(target: StoreTarget): Promise<Store> {
    const store = new Store(target.engine === 'sqlite' ? openSqlite(target) : await openPostgres(target));
    try {
      await migrate(store, target.engine === 'sqlite' && target.readonly === true);
      return store;
    } catch (error) {
      await store.close();
      throw error;
    }
  }
}

type Opened = { engine: Engine; k: Kysely<Schema>; location: string };

function openSqlite(target: Extract<StoreTarget, { engine: 'sqlite' }>): Opened {
  const nativeBinding = target.nativeBinding ?? process.env.EVIDENCE_BINDER_SQLITE_BINDING;
  const database = new Database(target.file, {
    readonly: target.readonly ?? false,
    fileMustExist: target.readonly ?? false,
    ...(nativeBinding && existsSync(nativeBinding) ? { nativeBinding } : {}),
  });
  try {
    if (!target.readonly) database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
    // NORMAL is durable in WAL mode except for the last transactions on power loss; the vault is fsynced separately.
    database.pragma('synchronous = NORMAL');
  } catch (error) {
    database.close();
    throw error;
  }
  return { engine: 'sqlite', k: new Kysely<Schema>({ dialect: new SqliteDialect({ database: reusingStatements(database) }) }), location: target.file };
}

/** How many compiled statements one connection keeps: more than the distinct queries the app issues. */
const STATEMENT_CACHE = 500;

/**
 * Kysely prepares its SQL on every execution, and better-sqlite3 compiles it anew each time; an import issues
 * the same handful of statements per file, so compiling was most of the time of an insert. Statements are
 * reused by their SQL text (values are bound parameters, so the text repeats); SQLite re-compiles a cached
 * statement itself after a schema change. Kysely never streams here, so no statement is used twice at once.
 */
function reusingStatements(database: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (statement) {
        // Most recently used last, so the first key is the one to drop.
        cache.delete(text);
      } else {
        statement = database.prepare(text);
        if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}

async function openPostgres(target: Extract<StoreTarget, { engine: 'postgres' }>): Promise<Opened> {
  if (!SCHEMA_NAME.test(target.schema)) throw new AppError('corrupt', `PostgreSQL 模式名无效：${target.schema}`);
  const pool = new pg.Pool({
    connectionString: target.url,
    max: 8,
    connectionTimeoutMillis: 5000,
    // Every connection sees this workspace's tables first, then public (pg_trgm's operator classes).
    options: `-c search_path=${target.schema},public`,
  });
  // An idle client that loses its server must not crash the process (the pool reconnects on the next query).
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${target.schema}`);
      // Trigram indexes make Chinese substring search fast; without the extension search still works (ILIKE).
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public').catch(() => undefined);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseUnreachableError(redactUrl(target.url), error);
  }
  return {
    engine: 'postgres',
    k: new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) }),
    location: `${redactUrl(target.url)} (${target.schema})`,
  };
}

/** The URL without its password, for messages and for the workspace folder. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, '@');
  }
}

async function readVersion(store: Store): Promise<number> {
  const db = store.reader;
  if (db.engine === 'sqlite') {
    const { rows } = await sql<{ user_version: number }>`PRAGMA user_version`.execute(db.k);
    return rows[0]?.user_version ?? 0;
  }
  await sql`CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)`.execute(db.k);
  const { rows } = await sql<{ version: number }>`SELECT version FROM schema_version`.execute(db.k);
  return rows[0]?.version ?? 0;
}

/** Ordered, append-only migrations (./migrations), all pending steps in one transaction; a newer database is refused untouched. */
async function migrate(store: Store, readonly: boolean): Promise<void> {
  const version = await readVersion(store);
  if (version > SCHEMA_VERSION) throw new WorkspaceVersionError(version);
  if (version === SCHEMA_VERSION || readonly) return;
  await store.write(async (db) => {
    if (db.engine === 'postgres') {
      // Two servers opening a new workspace at once: the second waits, then finds nothing left to do.
      await sql`SELECT pg_advisory_xact_lock(hashtext(current_schema()))`.execute(db.k);
      const { rows } = await sql<{ version: number }>`SELECT version FROM schema_version`.execute(db.k);
      if ((rows[0]?.version ?? 0) !== version) return;
    }
    for (const migration of MIGRATIONS.slice(version)) await migration.up(db);
    if (db.engine === 'sqlite') {
      await sql.raw(`PRAGMA user_version = ${SCHEMA_VERSION}`).execute(db.k);
    } else {
      await sql`DELETE FROM schema_version`.execute(db.k);
      await sql`INSERT INTO schema_version (version) VALUES (${SCHEMA_VERSION})`.execute(db.k);
    }
  });
}

/** The schema version a database is at (tests of migrations). */
export async function schemaVersionOf(store: Store): Promise<number> {
  return readVersion(store);
}

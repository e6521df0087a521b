import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../electron/backend/db/migrations/index.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';

// Workspaces from earlier releases exist only as SQLite files: their migrations are tested here (the SQLite project).
const root = mkdtempSync(path.join(os.tmpdir(), 'binder-migrations-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A version-1 database as the first release wrote it, with a history of each kind it recorded. */
function writeVersion1Database(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const framework = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../templates/frameworks/east-west-2017.json'), 'utf8')) as object;
  writeFileSync(path.join(dir, 'framework.json'), JSON.stringify(framework));
  const db = new Database(path.join(dir, 'binder.db'));
  db.exec(`
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE evidence (id INTEGER PRIMARY KEY AUTOINCREMENT, sha256 TEXT NOT NULL UNIQUE, size INTEGER NOT NULL,
      original_name TEXT NOT NULL, source TEXT NOT NULL, format TEXT NOT NULL, ext TEXT NOT NULL, type TEXT NOT NULL,
      type_origin TEXT NOT NULL, type_confidence REAL NOT NULL, title TEXT NOT NULL, doc_number TEXT, issuer TEXT, date TEXT,
      date_origin TEXT, pages INTEGER, scanned INTEGER, readability TEXT NOT NULL, read_error TEXT, photo TEXT, caption TEXT,
      fingerprint TEXT, note TEXT, is_copy INTEGER NOT NULL DEFAULT 0, user_fields TEXT NOT NULL DEFAULT '[]',
      imported_at TEXT NOT NULL, updated_at TEXT NOT NULL, deleted_at TEXT);
    CREATE INDEX evidence_deleted ON evidence(deleted_at);
    CREATE TABLE evidence_text (evidence_id INTEGER PRIMARY KEY REFERENCES evidence(id) ON DELETE CASCADE, text TEXT NOT NULL);
    CREATE VIRTUAL TABLE evidence_fts USING fts5(title, doc_number, issuer, original_name, body, tokenize='trigram');
    CREATE TABLE links (evidence_id INTEGER NOT NULL REFERENCES evidence(id) ON DELETE CASCADE, indicator TEXT NOT NULL,
      requirement TEXT, origin TEXT NOT NULL, confidence REAL NOT NULL, PRIMARY KEY (evidence_id, indicator));
    CREATE TABLE target_values (id TEXT PRIMARY KEY, target REAL, actual REAL, source TEXT);
    CREATE TABLE history (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, action TEXT NOT NULL, evidence_id INTEGER, detail TEXT NOT NULL);
  `);
  const settings = { title: '旧工作区', unit: '', periodStart: '2019-01-01', periodEnd: '2019-12-31', frameworkId: 'east-west-2017' };
  db.prepare('INSERT INTO meta VALUES (?, ?)').run('settings', JSON.stringify(settings));
  db.prepare(
    `INSERT INTO evidence (sha256, size, original_name, source, format, ext, type, type_origin, type_confidence, title, doc_number,
      readability, imported_at, updated_at) VALUES (?, 10, '通知.pdf', '通知.pdf', 'pdf', 'pdf', 'official-document', 'suggested', 0.7,
      '关于挂职的通知', '青组发〔2019〕12号', 'ok', '2019-05-01T00:00:00Z', '2019-05-01T00:00:00Z')`,
  ).run('a'.repeat(64));
  db.prepare(`INSERT INTO evidence_text VALUES (1, '挂职干部')`).run();
  db.prepare(`INSERT INTO links VALUES (1, '2.1', NULL, 'user', 1)`).run();
  const history = db.prepare('INSERT INTO history (at, action, evidence_id, detail) VALUES (?, ?, ?, ?)');
  history.run('2019-05-01T00:00:00Z', 'settings', null, JSON.stringify({ created: settings }));
  history.run('2019-05-01T00:00:01Z', 'import', 1, JSON.stringify({ source: '通知.pdf', sha256: 'a'.repeat(64), type: 'official-document', indicators: [] }));
  history.run('2019-05-01T00:00:02Z', 'link', 1, JSON.stringify({ indicator: '2.1', requirement: null, before: null }));
  // The user then corrected the 文号, the first release's update record: {field: [before, after]}.
  history.run('2019-05-01T00:00:03Z', 'update', 1, JSON.stringify({ docNumber: ['青组发〔2019〕1号', '青组发〔2019〕12号'] }));
  db.pragma('user_version = 1');
  db.close();
}

describe('migrations of a shipped SQLite workspace', () => {
  it('migrates a version-1 workspace: title origins (2), typed history in batches (3); its last edit can still be undone', async () => {
    const dir = path.join(root, 'v1');
    writeVersion1Database(dir);
    const ws = await Workspace.open(dir);
    const db = new Database(path.join(dir, 'binder.db'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const columns = (db.prepare('PRAGMA table_info(evidence)').all() as { name: string }[]).map((c) => c.name);
    expect(columns).toContain('title_origin');
    const rows = db.prepare('SELECT id, batch, undone, detail FROM history ORDER BY id').all() as { id: number; batch: number; undone: number; detail: string }[];
    db.close();
    expect(rows.map((r) => r.batch)).toEqual(rows.map((r) => r.id));
    expect(JSON.parse(rows[3].detail)).toEqual({ action: 'update', evidenceId: 1, changes: { doc_number: ['青组发〔2019〕1号', '青组发〔2019〕12号'] } });
    expect((await ws.history(10)).map((h) => h.event.action)).toEqual(['update', 'link', 'import', 'settings']);
    // The first release's edit is undone through the converted record, and the filing before it next.
    expect(await ws.undoLast()).toBe('已撤销：材料 1 修改 文号');
    expect((await ws.requireEvidence(1)).docNumber).toBe('青组发〔2019〕1号');
    expect(await ws.undoLast()).toBe('已撤销：材料 1 归入指标 2.1');
    expect((await ws.requireEvidence(1)).links).toEqual([]);
    expect(await ws.search('挂职干部')).toEqual([1]);
    await ws.close();
  });

});

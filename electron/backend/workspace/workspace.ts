import { describeUndone, type UndoSummary } from '../../../shared/history/undo.js';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type {
  Evidence,
  EvidenceLink,
  EvidenceType,
  FileFormat,
  Framework,
  GapReport,
  Origin,
  PhotoCaption,
  PhotoInfo,
  Readability,
  TargetValue,
  WorkspaceSettings,
} from '../../../shared/domain/types.js';
import { EVIDENCE_TYPES } from '../../../shared/domain/types.js';
import { FrameworkError, findIndicator, listIndicators, parseFramework } from '../../../shared/framework/schema.js';
import { analyzeGaps } from '../../../shared/gaps/analyze.js';
import { databasePath, openDatabase, type Db, type OpenOptions } from '../db/database.js';
import { loadTemplate } from '../templates.js';
import { Vault } from '../vault.js';
import type { AssetSource, EvidencePatch, HistoryEntry, WorkspaceSnapshot } from './types.js';

export class WorkspaceError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'WorkspaceError';
    this.code = code;
  }
}

export type InitOptions = {
  templateId: string;
  title?: string;
  unit?: string;
  periodStart?: string;
  periodEnd?: string;
  fonds?: string;
  orgCode?: string;
  /** Injected clock (tests, deterministic demo). */
  now?: () => Date;
};

type EvidenceRow = {
  id: number;
  sha256: string;
  size: number;
  original_name: string;
  source: string;
  format: string;
  ext: string;
  type: string;
  type_origin: string;
  type_confidence: number;
  title: string;
  title_origin: string | null;
  doc_number: string | null;
  issuer: string | null;
  date: string | null;
  date_origin: string | null;
  pages: number | null;
  scanned: number | null;
  readability: string;
  read_error: string | null;
  photo: string | null;
  caption: string | null;
  fingerprint: string | null;
  note: string | null;
  is_copy: number;
  user_fields: string;
  imported_at: string;
  updated_at: string;
  deleted_at: string | null;
};

type LinkRow = { evidence_id: number; indicator: string; requirement: string | null; origin: string; confidence: number };

const FRAMEWORK_FILE = 'framework.json';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Fields the user set by hand; a later suggestion never overwrites them. */
type UserField = 'title' | 'docNumber' | 'issuer' | 'date';

export type NewEvidence = Omit<Evidence, 'id' | 'links' | 'importedAt' | 'updatedAt'> & {
  ext: string;
  text: string;
  links: EvidenceLink[];
};

/**
 * One workspace folder: binder.db (SQLite), framework.json (the workspace's own copy of its framework),
 * vault/ (originals, content-addressed) and cache/ (derived files, safe to delete).
 */
export class Workspace implements AssetSource {
  readonly dir: string;
  readonly db: Db;
  readonly vault: Vault;
  private readonly now: () => Date;
  private frameworkCache: Framework;

  private constructor(dir: string, db: Db, framework: Framework, now: () => Date) {
    this.dir = dir;
    this.db = db;
    this.vault = new Vault(dir);
    this.now = now;
    this.frameworkCache = framework;
  }

  static isWorkspace(dir: string): boolean {
    return existsSync(databasePath(dir)) && existsSync(path.join(dir, FRAMEWORK_FILE));
  }

  static init(dirInput: string, options: InitOptions, openOptions: OpenOptions = {}): Workspace {
    const dir = path.resolve(dirInput);
    if (Workspace.isWorkspace(dir)) {
      throw new WorkspaceError('exists', `这里已经有一个工作区：${dir}。请直接打开它，或换一个空文件夹。`);
    }
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new WorkspaceError('not-empty', `文件夹不是空的：${dir}。请选择一个空文件夹来新建工作区，以免与其他文件混在一起。`);
    }
    const framework = loadTemplate(options.templateId);
    const now = options.now ?? (() => new Date());
    const year = now().getFullYear();
    const periodStart = options.periodStart ?? `${year}-01-01`;
    const periodEnd = options.periodEnd ?? `${year}-12-31`;
    for (const [label, value] of [['起始日期', periodStart], ['截止日期', periodEnd]] as const) {
      if (!isIsoDate(value)) throw new WorkspaceError('usage', `考核期${label}“${value}”不是有效日期，应为 YYYY-MM-DD。`);
    }
    if (periodStart > periodEnd) throw new WorkspaceError('usage', `考核期起始日期 ${periodStart} 晚于截止日期 ${periodEnd}。`);
    const settings: WorkspaceSettings = {
      title: options.title?.trim() || `${framework.title}佐证材料`,
      unit: options.unit?.trim() || '',
      periodStart,
      periodEnd,
      fonds: options.fonds?.trim() || undefined,
      orgCode: options.orgCode?.trim() || undefined,
      frameworkId: framework.id,
    };
    mkdirSync(dir, { recursive: true });
    // The workspace keeps its own copy: a later template change never silently alters it.
    writeFileSync(path.join(dir, FRAMEWORK_FILE), `${JSON.stringify(framework, null, 2)}\n`);
    const db = openDatabase(databasePath(dir), openOptions);
    const ws = new Workspace(dir, db, framework, now);
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('settings', JSON.stringify(settings));
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('created', now().toISOString());
    ws.record('settings', undefined, { created: settings });
    return ws;
  }

  static open(dirInput: string, openOptions: OpenOptions = {}, now: () => Date = () => new Date()): Workspace {
    const dir = path.resolve(dirInput);
    if (!Workspace.isWorkspace(dir)) {
      throw new WorkspaceError('not-found', `找不到工作区：${dir}。请确认文件夹路径，或先用“新建工作区”创建。`);
    }
    const file = path.join(dir, FRAMEWORK_FILE);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new WorkspaceError(
        'framework',
        `工作区的框架文件 ${file} 已损坏，不是有效的 JSON（${(error as Error).message}）。工作区未被打开，材料和数据库未做任何改动。请从备份恢复该文件，或撤销对它的手工修改后再打开。`,
      );
    }
    let framework: Framework;
    try {
      framework = parseFramework(raw, file);
    } catch (error) {
      if (error instanceof FrameworkError) throw new WorkspaceError('framework', error.message);
      throw error;
    }
    const db = openDatabase(databasePath(dir), openOptions);
    const ws = new Workspace(dir, db, framework, now);
    ws.vault.cleanTemp();
    return ws;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // ---- settings and framework -------------------------------------------------------------------

  settings(): WorkspaceSettings {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get('settings') as { value: string } | undefined;
    if (!row) throw new WorkspaceError('corrupt', '工作区缺少设置信息，数据库可能已损坏。');
    return JSON.parse(row.value) as WorkspaceSettings;
  }

  updateSettings(patch: Partial<Omit<WorkspaceSettings, 'frameworkId'>>): WorkspaceSettings {
    const before = this.settings();
    const next: WorkspaceSettings = { ...before, ...patch, frameworkId: before.frameworkId };
    if (!isIsoDate(next.periodStart) || !isIsoDate(next.periodEnd) || next.periodStart > next.periodEnd) {
      throw new WorkspaceError('usage', `考核期 ${next.periodStart}..${next.periodEnd} 无效：日期应为 YYYY-MM-DD，且起始不晚于截止。`);
    }
    if (!next.title.trim()) throw new WorkspaceError('usage', '工作区标题不能为空。');
    this.db.transaction(() => {
      this.db.prepare('UPDATE meta SET value = ? WHERE key = ?').run(JSON.stringify(next), 'settings');
      this.record('settings', undefined, { before, after: next });
    })();
    return next;
  }

  framework(): Framework {
    return this.frameworkCache;
  }

  // ---- AssetSource --------------------------------------------------------------------------------

  originalPath(sha256: string): string {
    const row = this.db.prepare('SELECT ext FROM evidence WHERE sha256 = ?').get(sha256) as { ext: string } | undefined;
    if (!row) throw new WorkspaceError('not-found', `材料库中没有这个文件：${sha256.slice(0, 12)}…`);
    return this.vault.pathOf(sha256, row.ext);
  }

  cacheDir(kind: 'pdf' | 'thumbs' | 'text' | 'uploads' | 'exports'): string {
    const dir = path.join(this.dir, 'cache', kind);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  // ---- evidence -----------------------------------------------------------------------------------

  private linksById(ids?: number[]): Map<number, EvidenceLink[]> {
    const rows = (
      ids && ids.length <= 500
        ? this.db
            .prepare(`SELECT * FROM links WHERE evidence_id IN (${ids.map(() => '?').join(',')}) ORDER BY indicator`)
            .all(...ids)
        : this.db.prepare('SELECT * FROM links ORDER BY indicator').all()
    ) as LinkRow[];
    const map = new Map<number, EvidenceLink[]>();
    for (const row of rows) {
      const list = map.get(row.evidence_id) ?? [];
      list.push({
        indicator: row.indicator,
        ...(row.requirement ? { requirement: row.requirement } : {}),
        origin: row.origin as Origin,
        confidence: row.confidence,
      });
      map.set(row.evidence_id, list);
    }
    return map;
  }

  private toEvidence(row: EvidenceRow, links: EvidenceLink[]): Evidence {
    const ev: Evidence = {
      id: row.id,
      sha256: row.sha256,
      size: row.size,
      originalName: row.original_name,
      source: row.source,
      format: row.format as FileFormat,
      type: row.type as EvidenceType,
      typeOrigin: row.type_origin as Origin,
      typeConfidence: row.type_confidence,
      title: row.title,
      readability: row.readability as Readability,
      links: sortLinks(links),
      importedAt: row.imported_at,
      updatedAt: row.updated_at,
    };
    if (row.title_origin) ev.titleOrigin = row.title_origin as Evidence['titleOrigin'];
    if (row.doc_number) ev.docNumber = row.doc_number;
    if (row.issuer) ev.issuer = row.issuer;
    if (row.date) ev.date = row.date;
    if (row.date_origin) ev.dateOrigin = row.date_origin as Evidence['dateOrigin'];
    if (row.pages != null) ev.pages = row.pages;
    if (row.scanned != null) ev.scanned = row.scanned === 1;
    if (row.read_error) ev.readError = row.read_error;
    if (row.photo) ev.photo = JSON.parse(row.photo) as PhotoInfo;
    if (row.caption) ev.caption = JSON.parse(row.caption) as PhotoCaption;
    if (row.fingerprint) ev.fingerprint = row.fingerprint;
    if (row.note) ev.note = row.note;
    if (row.is_copy) ev.isCopy = true;
    if (!existsSync(this.vault.pathOf(row.sha256, row.ext))) {
      // Deleted by hand from vault/: report it like any unreadable file (gaps, binder placeholder) instead of failing later.
      ev.readability = 'corrupt';
      ev.readError = missingOriginalReason(row.original_name);
    }
    return ev;
  }

  /** Live evidence (or the trash), ordered by id. */
  listEvidence(options: { trash?: boolean } = {}): Evidence[] {
    const rows = this.db
      .prepare(`SELECT * FROM evidence WHERE deleted_at IS ${options.trash ? 'NOT NULL' : 'NULL'} ORDER BY id`)
      .all() as EvidenceRow[];
    const links = this.linksById(rows.length <= 500 ? rows.map((r) => r.id) : undefined);
    return rows.map((row) => this.toEvidence(row, links.get(row.id) ?? []));
  }

  getEvidence(id: number, options: { includeDeleted?: boolean } = {}): Evidence | undefined {
    const row = this.db.prepare('SELECT * FROM evidence WHERE id = ?').get(id) as EvidenceRow | undefined;
    if (!row || (row.deleted_at && !options.includeDeleted)) return undefined;
    return this.toEvidence(row, this.linksById([id]).get(id) ?? []);
  }

  requireEvidence(id: number): Evidence {
    const ev = this.getEvidence(id);
    if (!ev) throw new WorkspaceError('not-found', `没有编号为 ${id} 的材料（可能已删除到回收站）。`);
    return ev;
  }

  findBySha(sha256: string): { id: number; source: string; deleted: boolean } | undefined {
    const row = this.db.prepare('SELECT id, source, deleted_at FROM evidence WHERE sha256 = ?').get(sha256) as
      | { id: number; source: string; deleted_at: string | null }
      | undefined;
    return row ? { id: row.id, source: row.source, deleted: row.deleted_at != null } : undefined;
  }

  evidenceText(id: number): string {
    const row = this.db.prepare('SELECT text FROM evidence_text WHERE evidence_id = ?').get(id) as { text: string } | undefined;
    return row?.text ?? '';
  }

  /** Chinese substring search over title, 文号, 责任者, file name and text. Any query length. */
  search(query: string): number[] {
    const q = query.trim();
    if (!q) return [];
    if ([...q].length >= 3) {
      const phrase = `"${q.replace(/"/g, '""')}"`;
      const rows = this.db
        .prepare(
          'SELECT rowid AS id FROM evidence_fts WHERE evidence_fts MATCH ? AND rowid IN (SELECT id FROM evidence WHERE deleted_at IS NULL) ORDER BY rowid',
        )
        .all(phrase) as { id: number }[];
      return rows.map((r) => r.id);
    }
    // trigram FTS cannot match 1–2 characters: fall back to LIKE (environment.md).
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = this.db
      .prepare(
        `SELECT e.id FROM evidence e LEFT JOIN evidence_text t ON t.evidence_id = e.id
         WHERE e.deleted_at IS NULL AND (e.title LIKE @q ESCAPE '\\' OR e.doc_number LIKE @q ESCAPE '\\' OR e.issuer LIKE @q ESCAPE '\\'
           OR e.original_name LIKE @q ESCAPE '\\' OR t.text LIKE @q ESCAPE '\\') ORDER BY e.id`,
      )
      .all({ q: like }) as { id: number }[];
    return rows.map((r) => r.id);
  }

  /** Inserts one imported file (its bytes must already be in the vault) in one transaction. */
  insertEvidence(input: NewEvidence, source: string): number {
    const at = this.now().toISOString();
    return this.db.transaction(() => {
      const info = this.db
        .prepare(
          `INSERT INTO evidence (sha256, size, original_name, source, format, ext, type, type_origin, type_confidence, title,
             title_origin, doc_number, issuer, date, date_origin, pages, scanned, readability, read_error, photo, caption, fingerprint, note,
             is_copy, imported_at, updated_at)
           VALUES (@sha256, @size, @originalName, @source, @format, @ext, @type, @typeOrigin, @typeConfidence, @title,
             @titleOrigin, @docNumber, @issuer, @date, @dateOrigin, @pages, @scanned, @readability, @readError, @photo, @caption, @fingerprint,
             @note, @isCopy, @at, @at)`,
        )
        .run({
          sha256: input.sha256,
          size: input.size,
          originalName: input.originalName,
          source,
          format: input.format,
          ext: input.ext,
          type: input.type,
          typeOrigin: input.typeOrigin,
          typeConfidence: input.typeConfidence,
          title: input.title,
          titleOrigin: input.titleOrigin ?? null,
          docNumber: input.docNumber ?? null,
          issuer: input.issuer ?? null,
          date: input.date ?? null,
          dateOrigin: input.dateOrigin ?? null,
          pages: input.pages ?? null,
          scanned: input.scanned == null ? null : input.scanned ? 1 : 0,
          readability: input.readability,
          readError: input.readError ?? null,
          photo: input.photo ? JSON.stringify(input.photo) : null,
          caption: input.caption ? JSON.stringify(input.caption) : null,
          fingerprint: input.fingerprint ?? null,
          note: input.note ?? null,
          isCopy: input.isCopy ? 1 : 0,
          at,
        });
      const id = Number(info.lastInsertRowid);
      this.db.prepare('INSERT INTO evidence_text (evidence_id, text) VALUES (?, ?)').run(id, input.text);
      this.db
        .prepare('INSERT INTO evidence_fts (rowid, title, doc_number, issuer, original_name, body) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, input.title, input.docNumber ?? '', input.issuer ?? '', input.originalName, input.text);
      const insertLink = this.db.prepare(
        'INSERT INTO links (evidence_id, indicator, requirement, origin, confidence) VALUES (?, ?, ?, ?, ?)',
      );
      for (const link of input.links) insertLink.run(id, link.indicator, link.requirement ?? null, link.origin, link.confidence);
      this.record('import', id, {
        source,
        sha256: input.sha256,
        type: input.type,
        indicators: input.links.map((l) => l.indicator),
      });
      return id;
    })();
  }

  private refreshFts(id: number): void {
    const row = this.db.prepare('SELECT * FROM evidence WHERE id = ?').get(id) as EvidenceRow;
    this.db.prepare('DELETE FROM evidence_fts WHERE rowid = ?').run(id);
    this.db
      .prepare('INSERT INTO evidence_fts (rowid, title, doc_number, issuer, original_name, body) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, row.title, row.doc_number ?? '', row.issuer ?? '', row.original_name, this.evidenceText(id));
  }

  private checkIndicator(code: string, requirement?: string): void {
    const found = findIndicator(this.frameworkCache, code);
    if (!found) {
      const codes = listIndicators(this.frameworkCache).map((e) => e.indicator.code);
      throw new WorkspaceError('usage', `框架中没有指标 ${code}。可用的指标编码：${codes.join('、')}`);
    }
    if (requirement && !found.indicator.requirements.some((r) => r.id === requirement)) {
      throw new WorkspaceError('usage', `指标 ${code} 下没有材料要求 ${requirement}。`);
    }
  }

  /** File evidence under an indicator (the user's choice). */
  link(ids: number[], indicator: string, requirement?: string): Evidence[] {
    this.checkIndicator(indicator, requirement);
    return this.batched(() =>
      ids.map((id) => {
        const before = this.requireEvidence(id);
        const existing = before.links.find((l) => l.indicator === indicator);
        this.db
          .prepare(
            `INSERT INTO links (evidence_id, indicator, requirement, origin, confidence) VALUES (?, ?, ?, 'user', 1)
             ON CONFLICT(evidence_id, indicator) DO UPDATE SET requirement = excluded.requirement, origin = 'user', confidence = 1`,
          )
          .run(id, indicator, requirement ?? null);
        this.touch(id);
        this.record('link', id, { indicator, requirement: requirement ?? null, before: existing ?? null });
        return this.requireEvidence(id);
      }),
    )();
  }

  unlink(ids: number[], indicator: string): Evidence[] {
    return this.batched(() =>
      ids.map((id) => {
        const before = this.requireEvidence(id);
        const existing = before.links.find((l) => l.indicator === indicator);
        if (!existing) throw new WorkspaceError('usage', `材料 ${id} 没有归入指标 ${indicator}。`);
        this.db.prepare('DELETE FROM links WHERE evidence_id = ? AND indicator = ?').run(id, indicator);
        this.touch(id);
        this.record('unlink', id, { indicator, before: existing });
        return this.requireEvidence(id);
      }),
    )();
  }

  /** Accepts the suggested type and indicators as the user's own (one keystroke in the workbench). */
  accept(ids: number[]): Evidence[] {
    return this.batched(() =>
      ids.map((id) => {
        const before = this.requireEvidence(id);
        this.db.prepare(`UPDATE evidence SET type_origin = 'user', type_confidence = 1 WHERE id = ?`).run(id);
        this.db.prepare(`UPDATE links SET origin = 'user', confidence = 1 WHERE evidence_id = ?`).run(id);
        this.touch(id);
        this.record('accept', id, { type: before.type, indicators: before.links.map((l) => l.indicator) });
        return this.requireEvidence(id);
      }),
    )();
  }

  update(ids: number[], patch: EvidencePatch): Evidence[] {
    if (patch.type !== undefined && !EVIDENCE_TYPES.includes(patch.type)) {
      throw new WorkspaceError('usage', `未知的材料类型“${patch.type}”。可用：${EVIDENCE_TYPES.join('、')}`);
    }
    if (patch.date != null && patch.date !== '' && !isIsoDate(patch.date)) {
      throw new WorkspaceError('usage', `日期“${patch.date}”无效，应为 YYYY-MM-DD，例如 2019-03-15。`);
    }
    if (patch.caption?.time && !isIsoDate(patch.caption.time)) {
      throw new WorkspaceError('usage', `照片时间“${patch.caption.time}”无效，应为 YYYY-MM-DD。`);
    }
    if (patch.title !== undefined && !patch.title.trim()) throw new WorkspaceError('usage', '题名不能为空。');
    return this.batched(() =>
      ids.map((id) => {
        const before = this.requireEvidence(id);
        const row = this.db.prepare('SELECT user_fields FROM evidence WHERE id = ?').get(id) as { user_fields: string };
        const userFields = new Set(JSON.parse(row.user_fields) as UserField[]);
        const changes: Record<string, [unknown, unknown]> = {};
        const set = (column: string, field: keyof EvidencePatch, value: unknown, old: unknown) => {
          this.db.prepare(`UPDATE evidence SET ${column} = ? WHERE id = ?`).run(value, id);
          changes[field] = [old ?? null, value];
        };
        if (patch.type !== undefined) {
          this.db.prepare(`UPDATE evidence SET type = ?, type_origin = 'user', type_confidence = 1 WHERE id = ?`).run(patch.type, id);
          changes.type = [before.type, patch.type];
        }
        if (patch.title !== undefined) {
          set('title', 'title', patch.title.trim(), before.title);
          this.db.prepare(`UPDATE evidence SET title_origin = 'user' WHERE id = ?`).run(id);
          userFields.add('title');
        }
        if (patch.docNumber !== undefined) {
          set('doc_number', 'docNumber', patch.docNumber?.trim() || null, before.docNumber);
          userFields.add('docNumber');
        }
        if (patch.issuer !== undefined) {
          set('issuer', 'issuer', patch.issuer?.trim() || null, before.issuer);
          userFields.add('issuer');
        }
        if (patch.date !== undefined) {
          set('date', 'date', patch.date || null, before.date);
          this.db.prepare(`UPDATE evidence SET date_origin = ? WHERE id = ?`).run(patch.date ? 'user' : null, id);
          userFields.add('date');
        }
        if (patch.caption !== undefined) {
          const merged = cleanCaption({ ...before.caption, ...patch.caption });
          set('caption', 'caption', merged ? JSON.stringify(merged) : null, before.caption ? JSON.stringify(before.caption) : null);
        }
        if (patch.note !== undefined) set('note', 'note', patch.note?.trim() || null, before.note);
        if (patch.isCopy !== undefined) set('is_copy', 'isCopy', patch.isCopy ? 1 : 0, before.isCopy ? 1 : 0);
        this.db.prepare('UPDATE evidence SET user_fields = ? WHERE id = ?').run(JSON.stringify([...userFields].sort()), id);
        this.touch(id);
        this.refreshFts(id);
        this.record('update', id, changes);
        return this.requireEvidence(id);
      }),
    )();
  }

  /** Moves evidence to the trash (restorable). The original stays in the vault. */
  delete(ids: number[]): void {
    const at = this.now().toISOString();
    this.batched(() => {
      for (const id of ids) {
        this.requireEvidence(id);
        this.db.prepare('UPDATE evidence SET deleted_at = ? WHERE id = ?').run(at, id);
        this.record('delete', id, {});
      }
    })();
  }

  restore(ids: number[]): Evidence[] {
    return this.batched(() =>
      ids.map((id) => {
        const ev = this.getEvidence(id, { includeDeleted: true });
        if (!ev) throw new WorkspaceError('not-found', `没有编号为 ${id} 的材料。`);
        this.db.prepare('UPDATE evidence SET deleted_at = NULL WHERE id = ?').run(id);
        this.record('restore', id, {});
        return this.requireEvidence(id);
      }),
    )();
  }

  userFields(id: number): UserField[] {
    const row = this.db.prepare('SELECT user_fields FROM evidence WHERE id = ?').get(id) as { user_fields: string } | undefined;
    return row ? (JSON.parse(row.user_fields) as UserField[]) : [];
  }

  private touch(id: number): void {
    this.db.prepare('UPDATE evidence SET updated_at = ? WHERE id = ?').run(this.now().toISOString(), id);
  }

  // ---- targets ------------------------------------------------------------------------------------

  targets(): TargetValue[] {
    const rows = this.db.prepare('SELECT * FROM target_values').all() as {
      id: string;
      target: number | null;
      actual: number | null;
      source: string | null;
    }[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return listIndicators(this.frameworkCache).flatMap(({ indicator }) =>
      indicator.targets.map((t) => {
        const row = byId.get(t.id);
        return {
          id: t.id,
          target: row?.target ?? t.value,
          actual: row?.actual ?? null,
          ...(row?.source ? { source: row.source } : {}),
        };
      }),
    );
  }

  setTargets(values: { id: string; target?: number | null; actual?: number | null; source?: string | null }[]): TargetValue[] {
    const known = new Map(this.targets().map((t) => [t.id, t]));
    for (const v of values) {
      if (!known.has(v.id)) {
        throw new WorkspaceError('usage', `框架中没有目标 ${v.id}。可用：${[...known.keys()].join('、')}`);
      }
      for (const key of ['target', 'actual'] as const) {
        const n = v[key];
        if (n != null && !Number.isFinite(n)) throw new WorkspaceError('usage', `目标 ${v.id} 的数值无效。`);
      }
    }
    this.db.transaction(() => {
      for (const v of values) {
        const before = known.get(v.id)!;
        const next = {
          target: v.target !== undefined ? v.target : before.target,
          actual: v.actual !== undefined ? v.actual : before.actual,
          source: v.source !== undefined ? v.source : (before.source ?? null),
        };
        this.db
          .prepare(
            `INSERT INTO target_values (id, target, actual, source) VALUES (?, ?, ?, ?)
             ON CONFLICT(id) DO UPDATE SET target = excluded.target, actual = excluded.actual, source = excluded.source`,
          )
          .run(v.id, next.target, next.actual, next.source || null);
        this.record('targets', undefined, { id: v.id, before, after: next });
      }
    })();
    return this.targets();
  }

  // ---- analysis -----------------------------------------------------------------------------------

  gaps(): GapReport {
    return analyzeGaps({
      framework: this.frameworkCache,
      settings: this.settings(),
      evidence: this.listEvidence(),
      targets: this.targets(),
    });
  }

  snapshot(): WorkspaceSnapshot {
    const settings = this.settings();
    const evidence = this.listEvidence();
    const targets = this.targets();
    const gaps = analyzeGaps({ framework: this.frameworkCache, settings, evidence, targets });
    return { dir: this.dir, settings, framework: this.frameworkCache, evidence, targets, gaps };
  }

  // ---- history ------------------------------------------------------------------------------------

  record(action: HistoryEntry['action'], evidenceId: number | undefined, detail: Record<string, unknown>): void {
    this.db
      .prepare('INSERT INTO history (at, action, evidence_id, detail, batch) VALUES (?, ?, ?, ?, ?)')
      .run(this.now().toISOString(), action, evidenceId ?? null, JSON.stringify(detail), this.currentBatch);
  }

  private currentBatch: number | null = null;

  /**
   * Runs one user action in one transaction, its history rows sharing one batch number, so one undo reverts
   * all of it. Returns a function like db.transaction does.
   */
  private batched<A extends unknown[], T>(fn: (...args: A) => T): (...args: A) => T {
    const tx = this.db.transaction((...args: A) => {
      const { next } = this.db.prepare('SELECT COALESCE(MAX(batch), 0) + 1 AS next FROM history').get() as { next: number };
      this.currentBatch = next;
      try {
        return fn(...args);
      } finally {
        this.currentBatch = null;
      }
    });
    return (...args: A) => tx(...args);
  }

  history(limit = 200): HistoryEntry[] {
    const rows = this.db.prepare('SELECT * FROM history ORDER BY id DESC LIMIT ?').all(limit) as {
      id: number;
      at: string;
      action: HistoryEntry['action'];
      evidence_id: number | null;
      detail: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      action: r.action,
      ...(r.evidence_id != null ? { evidenceId: r.evidence_id } : {}),
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }

  /** The last action 撤销 would revert (link, unlink, edit, delete), or null. */
  lastUndoable(): UndoSummary | null {
    const rows = this.undoableRows();
    return rows.length ? summariseUndo(rows) : null;
  }

  /** The user action (all rows of its batch) that 撤销 reverts next; newest row first. */
  private undoableRows(): UndoRow[] {
    const last = this.db
      .prepare(`SELECT * FROM history WHERE action IN ('link', 'unlink', 'update', 'delete') AND json_extract(detail, '$.undone') IS NULL ORDER BY id DESC LIMIT 1`)
      .get() as UndoRow | undefined;
    if (!last) return [];
    if (last.batch == null) return [last];
    return this.db
      .prepare(`SELECT * FROM history WHERE batch = ? AND action = ? AND json_extract(detail, '$.undone') IS NULL ORDER BY id DESC`)
      .all(last.batch, last.action) as UndoRow[];
  }

  /**
   * Undoes the last user action — every item of a batch edit or multi-delete at once: the workbench's "撤销".
   * Returns what was undone, or null when there is nothing to undo.
   */
  undoLastAction(): UndoSummary | null {
    const rows = this.undoableRows();
    if (!rows.length) return null;
    this.db.transaction(() => {
      for (const row of rows) this.undoRow(row);
    })();
    return summariseUndo(rows);
  }

  /** Chinese sentence for the last undo (CLI and older callers). */
  undoLastFiling(): string | null {
    const summary = this.undoLastAction();
    return summary ? describeUndone(summary, 'zh') : null;
  }

  private undoRow(row: UndoRow): void {
    const detail = JSON.parse(row.detail) as Record<string, unknown>;
    const id = row.evidence_id;
    if (row.action === 'link') {
      const before = detail.before as EvidenceLink | null;
      const indicator = String(detail.indicator);
      if (before) {
        this.db
          .prepare('UPDATE links SET requirement = ?, origin = ?, confidence = ? WHERE evidence_id = ? AND indicator = ?')
          .run(before.requirement ?? null, before.origin, before.confidence, id, indicator);
      } else {
        this.db.prepare('DELETE FROM links WHERE evidence_id = ? AND indicator = ?').run(id, indicator);
      }
    } else if (row.action === 'unlink') {
      const before = detail.before as EvidenceLink;
      this.db
        .prepare('INSERT OR REPLACE INTO links (evidence_id, indicator, requirement, origin, confidence) VALUES (?, ?, ?, ?, ?)')
        .run(id, before.indicator, before.requirement ?? null, before.origin, before.confidence);
    } else if (row.action === 'delete') {
      this.db.prepare('UPDATE evidence SET deleted_at = NULL WHERE id = ?').run(id);
    } else {
      const columns: Record<string, string> = {
        type: 'type',
        title: 'title',
        docNumber: 'doc_number',
        issuer: 'issuer',
        date: 'date',
        caption: 'caption',
        note: 'note',
        isCopy: 'is_copy',
      };
      for (const [field, pair] of Object.entries(detail)) {
        const column = columns[field];
        if (column && Array.isArray(pair)) this.db.prepare(`UPDATE evidence SET ${column} = ? WHERE id = ?`).run(pair[0] as never, id);
      }
      this.refreshFts(id);
    }
    this.db.prepare('UPDATE history SET detail = ? WHERE id = ?').run(JSON.stringify({ ...detail, undone: true }), row.id);
    this.touch(id);
  }
}

type UndoRow = { id: number; action: UndoSummary['action']; evidence_id: number; detail: string; batch: number | null };

function summariseUndo(rows: UndoRow[]): UndoSummary {
  const first = rows[0];
  const detail = JSON.parse(first.detail) as Record<string, unknown>;
  const ids = new Set(rows.map((r) => r.evidence_id));
  const fields = new Set<string>();
  if (first.action === 'update') {
    for (const r of rows) for (const key of Object.keys(JSON.parse(r.detail) as object)) if (key !== 'undone') fields.add(key);
  }
  const indicator = first.action === 'unlink' ? (detail.before as EvidenceLink).indicator : String(detail.indicator ?? '');
  return {
    action: first.action,
    count: ids.size,
    ...(ids.size === 1 ? { evidenceId: first.evidence_id } : {}),
    ...(first.action === 'link' || first.action === 'unlink' ? { indicator } : {}),
    ...(first.action === 'update' ? { fields: [...fields] } : {}),
  };
}

/** Shown for evidence whose stored original is gone from vault/ (the record and its filing are kept). */
export const missingOriginalReason = (name: string): string =>
  `工作区中该材料的原始文件（${name}）已丢失，可能被手动删除或移动。请重新导入这份文件，导入后会自动恢复，原有的分类和著录信息保持不变。`;

function sortLinks(links: EvidenceLink[]): EvidenceLink[] {
  return [...links].sort((a, b) => compareCodes(a.indicator, b.indicator));
}

/** Compares indicator codes numerically part by part ("1.10" after "1.9"). */
export function compareCodes(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

function cleanCaption(caption: PhotoCaption): PhotoCaption | undefined {
  const out: PhotoCaption = {};
  for (const [key, value] of Object.entries(caption) as [keyof PhotoCaption, string | undefined][]) {
    if (value && value.trim()) out[key] = value.trim();
  }
  return Object.keys(out).length ? out : undefined;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

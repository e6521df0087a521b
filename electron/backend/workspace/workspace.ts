import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JobState, LedgerSummary } from '../../../shared/api/contract.js';
import type { Evidence, EvidenceType, FileFormat, Framework, GapReport, OcrState, PhotoCaption, TargetValue, WorkspaceSettings } from '../../../shared/domain/types.js';
import { isIsoDate } from '../../../shared/domain/dates.js';
import { EVIDENCE_TYPES } from '../../../shared/domain/types.js';
import { AppError } from '../../../shared/errors.js';
import { FrameworkError, findIndicator, listIndicators, parseFramework } from '../../../shared/framework/schema.js';
import { analyzeGaps } from '../../../shared/gaps/analyze.js';
import { redactUrl, SCHEMA_NAME, Store, type StoreTarget, type WritableDb } from '../db/connection.js';
import * as evidenceTable from '../db/evidence.js';
import type { NewEvidenceRow } from '../db/evidence.js';
import { appendHistory, lastUndoableBatch, linksRemovedByUser, listHistory, markUndone, type HistoryEntry, type HistoryEvent, type LinkRecord } from '../db/history.js';
import * as linksTable from '../db/links.js';
import type { EvidenceRow } from '../db/schema.js';
import { listJobs, saveJob, type StoredJob } from '../db/jobs.js';
import { getMeta, setMeta } from '../db/settings.js';
import { UserStore } from '../db/users.js';
import { putTarget, targetRows } from '../db/targets.js';
import { ledgerKeys, ledgerSheets, replaceLedgerSheets, restoreUserMapping } from '../db/ledgers.js';
import { isLedgerCandidate, readItemLedgers, sourceKeyOf, usableSheets } from '../ledger/sheets.js';
import { buildLedgerIndex, computeTargets, type ComputedValue, type LedgerSheetData } from '../../../shared/ledger/compute.js';
import { ledgerRowsPage, type LedgerRowsPage } from '../../../shared/ledger/rows.js';
import { columnsByField, type UserMapping } from '../../../shared/ledger/table.js';
import { makePeriod } from '../../../shared/gaps/periods.js';
import { loadTemplate } from '../templates.js';
import { Vault } from '../vault.js';
import { describeBatch, describeUndo } from './describe.js';
import * as rectification from '../rectification/operations.js';
import type { NewRectification, RectificationItem, RectificationStatus } from '../../../shared/rectification/types.js';
import type { AssetSource, EvidencePatch, WorkspaceSnapshot } from './types.js';
import type { ReviewState } from '../../../shared/domain/types.js';
import * as review from '../team/review.js';
import { listDeadlines, putDeadline } from '../db/deadlines.js';
import { submissionIds } from '../db/review.js';

export class WorkspaceError extends AppError {}

export type InitOptions = {
  templateId: string;
  title?: string;
  unit?: string;
  periodStart?: string;
  periodEnd?: string;
  fonds?: string;
  orgCode?: string;
  /**
   * postgres://user@host:port/db: keep the metadata on a PostgreSQL server instead of binder.db; null: SQLite even
   * where EVIDENCE_BINDER_DATABASE names a server; undefined: that variable, else SQLite.
   */
  database?: string | null;
  /** Injected clock (tests, deterministic demo). */
  now?: () => Date;
};

export type OpenOptions = {
  /** Path of a better_sqlite3.node built for the running runtime (Electron vs Node), when not the default. */
  nativeBinding?: string;
  readonly?: boolean;
};

/** Fields the user set by hand; a later suggestion never overwrites them. */
export type UserField = 'title' | 'docNumber' | 'issuer' | 'date';

export type OcrCandidate = { id: number; sha256: string; format: FileFormat; originalName: string };

/** What OCR found for one item; absent fields were not found and leave the stored value alone. */
export type OcrApplied = {
  text: string;
  confidence: number;
  docNumber?: string;
  issuer?: string;
  title?: string;
  date?: string;
  dateOrigin?: 'text';
  type?: EvidenceType;
  typeConfidence?: number;
  /** Suggested links replacing the earlier suggestions (only when the user has filed nothing by hand). */
  links?: { indicator: string; confidence: number }[];
};

export type NewEvidence = Omit<NewEvidenceRow, 'source'> & { text: string; links: Evidence['links'] };

const FRAMEWORK_FILE = 'framework.json';
const SQLITE_FILE = 'binder.db';
/** Present only when the metadata lives on PostgreSQL: where, never with a password. */
const DATABASE_FILE = 'database.json';

type DatabaseRecord = { engine: 'postgres'; url: string; schema: string };

export function databasePath(dir: string): string {
  return path.join(dir, SQLITE_FILE);
}

function readDatabaseRecord(dir: string): DatabaseRecord | undefined {
  const file = path.join(dir, DATABASE_FILE);
  if (!existsSync(file)) return undefined;
  let record: Partial<DatabaseRecord>;
  try {
    record = JSON.parse(readFileSync(file, 'utf8')) as Partial<DatabaseRecord>;
  } catch (error) {
    throw new WorkspaceError('corrupt', `工作区的数据库配置文件 ${file} 已损坏（${(error as Error).message}），工作区未被打开。`);
  }
  if (record.engine !== 'postgres' || typeof record.url !== 'string' || typeof record.schema !== 'string' || !SCHEMA_NAME.test(record.schema)) {
    throw new WorkspaceError('corrupt', `工作区的数据库配置文件 ${file} 内容无效，应包含 engine、url 和 schema。`);
  }
  return { engine: 'postgres', url: record.url, schema: record.schema };
}

function storeTarget(dir: string, options: OpenOptions): StoreTarget {
  const pg = readDatabaseRecord(dir);
  return pg ? { engine: 'postgres', url: pg.url, schema: pg.schema } : { engine: 'sqlite', file: databasePath(dir), ...options };
}

/**
 * One workspace folder: framework.json (the workspace's own copy of its framework), vault/ (originals,
 * content-addressed), cache/ (derived files, safe to delete), and its metadata in binder.db (SQLite) or on a
 * PostgreSQL server (database.json says where). All reading and writing of metadata goes through ../db/.
 */
export class Workspace implements AssetSource {
  readonly dir: string;
  readonly vault: Vault;
  private readonly store: Store;
  /** Team mode's accounts and login sessions (rules in ../team/accounts.ts). */
  readonly users: UserStore;
  private readonly now: () => Date;
  private readonly frameworkCache: Framework;
  /** sha256 → stored extension, learned from rows read, so originalPath needs no query. */
  private readonly extBySha = new Map<string, string>();
  /** The last ledger sheets read for analysis, with what they were read from, per item (see ledgerData). */
  private ledgerCache?: { key: string; sheets: LedgerSheetData[]; perItem: Map<number, { key: string; sheets: LedgerSheetData[] }> };

  private constructor(dir: string, store: Store, framework: Framework, now: () => Date) {
    this.dir = dir;
    this.store = store;
    this.users = new UserStore(store);
    this.vault = new Vault(dir);
    this.now = now;
    this.frameworkCache = framework;
  }

  static isWorkspace(dir: string): boolean {
    return existsSync(path.join(dir, FRAMEWORK_FILE)) && (existsSync(databasePath(dir)) || existsSync(path.join(dir, DATABASE_FILE)));
  }

  /** Which engine holds the metadata, and where (system information, messages). */
  get database(): { engine: Store['engine']; location: string } {
    return { engine: this.store.engine, location: this.store.location };
  }

  static async init(dirInput: string, options: InitOptions, openOptions: OpenOptions = {}): Promise<Workspace> {
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
    let target: StoreTarget;
    let record: DatabaseRecord | undefined;
    // A server's administrator can make PostgreSQL the default for every new workspace.
    const database = options.database === undefined ? process.env.EVIDENCE_BINDER_DATABASE || undefined : options.database;
    if (database) {
      if (!/^postgres(ql)?:\/\//i.test(database)) {
        throw new WorkspaceError('usage', `数据库地址“${redactUrl(database)}”无效，应为 postgres://用户名@主机:端口/数据库名。`);
      }
      record = { engine: 'postgres', url: redactUrl(database), schema: `ws_${randomBytes(8).toString('hex')}` };
      // The password, if the URL carries one, is used for this run only; later runs take it from PGPASSWORD/.pgpass.
      target = { engine: 'postgres', url: database, schema: record.schema };
    } else {
      target = { engine: 'sqlite', file: databasePath(dir), ...openOptions };
    }
    // The server is reached before anything is written, so an unreachable one leaves the folder untouched.
    const store = record ? await Store.open(target) : undefined;
    mkdirSync(dir, { recursive: true });
    // The workspace keeps its own copy: a later template change never silently alters it.
    writeFileSync(path.join(dir, FRAMEWORK_FILE), `${JSON.stringify(framework, null, 2)}\n`);
    if (record) writeFileSync(path.join(dir, DATABASE_FILE), `${JSON.stringify(record, null, 2)}\n`);
    const ws = new Workspace(dir, store ?? (await Store.open(target)), framework, now);
    await ws.store.write(async (db) => {
      await setMeta(db, 'settings', JSON.stringify(settings));
      await setMeta(db, 'created', now().toISOString());
      await appendHistory(db, [{ action: 'settings', before: null, after: settings }], now().toISOString());
    });
    return ws;
  }

  static async open(dirInput: string, openOptions: OpenOptions = {}, now: () => Date = () => new Date()): Promise<Workspace> {
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
    const store = await Store.open(storeTarget(dir, openOptions));
    const ws = new Workspace(dir, store, framework, now);
    ws.vault.cleanTemp();
    return ws;
  }

  async close(): Promise<void> {
    await this.store.close();
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  // ---- settings and framework -------------------------------------------------------------------

  async settings(): Promise<WorkspaceSettings> {
    const value = await getMeta(this.store.reader, 'settings');
    if (!value) throw new WorkspaceError('corrupt', '工作区缺少设置信息，数据库可能已损坏。');
    return JSON.parse(value) as WorkspaceSettings;
  }

  async updateSettings(patch: Partial<Omit<WorkspaceSettings, 'frameworkId'>>): Promise<WorkspaceSettings> {
    const before = await this.settings();
    const next: WorkspaceSettings = { ...before, ...patch, frameworkId: before.frameworkId };
    if (!isIsoDate(next.periodStart) || !isIsoDate(next.periodEnd) || next.periodStart > next.periodEnd) {
      throw new WorkspaceError('usage', `考核期 ${next.periodStart}..${next.periodEnd} 无效：日期应为 YYYY-MM-DD，且起始不晚于截止。`);
    }
    if (!next.title.trim()) throw new WorkspaceError('usage', '工作区标题不能为空。');
    await this.store.write(async (db) => {
      await setMeta(db, 'settings', JSON.stringify(next));
      await appendHistory(db, [{ action: 'settings', before, after: next }], this.stamp());
    });
    return next;
  }

  framework(): Framework {
    return this.frameworkCache;
  }

  // ---- AssetSource --------------------------------------------------------------------------------

  originalPath(sha256: string): string {
    const known = this.extBySha.get(sha256);
    if (known !== undefined) return this.vault.pathOf(sha256, known);
    const found = this.vault.locate(sha256);
    if (!found) throw new WorkspaceError('not-found', `材料库中没有这个文件：${sha256.slice(0, 12)}…`);
    return found;
  }

  cacheDir(kind: 'pdf' | 'thumbs' | 'text' | 'uploads' | 'exports' | 'ocr'): string {
    const dir = path.join(this.dir, 'cache', kind);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  // ---- evidence -----------------------------------------------------------------------------------

  private toEvidence(row: EvidenceRow, links: Evidence['links']): Evidence {
    this.extBySha.set(row.sha256, row.ext);
    const ev = evidenceTable.rowToEvidence(row, sortLinks(links));
    if (!existsSync(this.vault.pathOf(row.sha256, row.ext))) {
      // Deleted by hand from vault/: report it like any unreadable file (gaps, binder placeholder) instead of failing later.
      ev.readability = 'corrupt';
      ev.readError = missingOriginalReason(row.original_name);
    }
    return ev;
  }

  /** Live evidence (or the trash), ordered by id. */
  async listEvidence(options: { trash?: boolean } = {}): Promise<Evidence[]> {
    const db = this.store.reader;
    const rows = await evidenceTable.listRows(db, options);
    const links = await linksTable.linksByEvidence(db, rows.length <= 2000 ? rows.map((r) => r.id) : undefined);
    return rows.map((row) => this.toEvidence(row, links.get(row.id) ?? []));
  }

  async getEvidence(id: number, options: { includeDeleted?: boolean } = {}): Promise<Evidence | undefined> {
    const db = this.store.reader;
    const row = await evidenceTable.getRow(db, id);
    if (!row || (row.deleted_at && !options.includeDeleted)) return undefined;
    return this.toEvidence(row, (await linksTable.linksByEvidence(db, [id])).get(id) ?? []);
  }

  async requireEvidence(id: number): Promise<Evidence> {
    const ev = await this.getEvidence(id);
    if (!ev) throw new WorkspaceError('not-found', `没有编号为 ${id} 的材料（可能已删除到回收站）。`);
    return ev;
  }

  async findBySha(sha256: string): Promise<{ id: number; source: string; deleted: boolean; ext: string; originalName: string } | undefined> {
    return evidenceTable.findBySha(this.store.reader, sha256);
  }

  async evidenceText(id: number): Promise<string> {
    return evidenceTable.textOf(this.store.reader, id);
  }

  async evidenceTexts(ids: number[]): Promise<Map<number, string>> {
    return evidenceTable.textsOf(this.store.reader, ids);
  }

  async counts(): Promise<{ live: number; trash: number }> {
    return evidenceTable.countEvidence(this.store.reader);
  }

  /** Row counts that show whether the metadata is consistent (no orphans; search index complete). */
  async integrity(): ReturnType<typeof evidenceTable.integrity> {
    return evidenceTable.integrity(this.store.reader);
  }

  /** Chinese substring search over title, 文号, 责任者, file name and text. Any query length. */
  async search(query: string): Promise<number[]> {
    return evidenceTable.searchIds(this.store.reader, query);
  }

  /** Inserts one imported file (its bytes must already be in the vault) in one transaction. */
  async insertEvidence(input: NewEvidence, source: string): Promise<number> {
    const at = this.stamp();
    const { text, links, ...row } = input;
    const id = await this.store.write(async (db) => {
      const newId = await evidenceTable.insertEvidence(db, { textSource: text.trim() ? 'text' : 'none', ...row, source }, text, at);
      for (const link of links) await linksTable.putLink(db, newId, linksTable.toLinkRecord(link));
      await appendHistory(db, [{ action: 'import', evidenceId: newId, source, sha256: input.sha256, type: input.type, indicators: links.map((l) => l.indicator) }], at);
      return newId;
    });
    this.extBySha.set(input.sha256, input.ext);
    return id;
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

  /**
   * Runs one user action over several items in one transaction and records it as one batch of history, so one
   * 撤销 reverts it whole. Returns the items as they are afterwards.
   */
  private async perItem(ids: number[], change: (db: WritableDb, id: number, at: string) => Promise<HistoryEvent | null>): Promise<Evidence[]> {
    const at = this.stamp();
    await this.store.write(async (db) => {
      const events: HistoryEvent[] = [];
      for (const id of ids) {
        const row = await evidenceTable.getRow(db, id);
        if (!row || row.deleted_at) throw new WorkspaceError('not-found', `没有编号为 ${id} 的材料（可能已删除到回收站）。`);
        const event = await change(db, id, at);
        if (event) {
          await evidenceTable.setColumns(db, id, { updated_at: at });
          events.push(event);
        }
      }
      await appendHistory(db, events, at);
    });
    return Promise.all(ids.map((id) => this.requireEvidence(id)));
  }

  /** File evidence under an indicator (the user's choice). */
  async link(ids: number[], indicator: string, requirement?: string): Promise<Evidence[]> {
    this.checkIndicator(indicator, requirement);
    return this.perItem(ids, async (db, id) => {
      const before = (await linksTable.linksOf(db, id)).find((l) => l.indicator === indicator) ?? null;
      await linksTable.putLink(db, id, { indicator, requirement: requirement ?? null, origin: 'user', confidence: 1 });
      return { action: 'link', evidenceId: id, indicator, requirement: requirement ?? null, before };
    });
  }

  async unlink(ids: number[], indicator: string): Promise<Evidence[]> {
    return this.perItem(ids, async (db, id) => {
      const before = (await linksTable.linksOf(db, id)).find((l) => l.indicator === indicator);
      if (!before) throw new WorkspaceError('usage', `材料 ${id} 没有归入指标 ${indicator}。`);
      await linksTable.deleteLink(db, id, indicator);
      return { action: 'unlink', evidenceId: id, indicator, before };
    });
  }

  /** Accepts the suggested type and indicators as the user's own (one keystroke in the workbench). */
  async accept(ids: number[]): Promise<Evidence[]> {
    return this.perItem(ids, async (db, id) => {
      const before = (await evidenceTable.getRow(db, id))!;
      const linksBefore = await linksTable.linksOf(db, id);
      await evidenceTable.setColumns(db, id, evidenceTable.encodeFields({ typeOrigin: 'user', typeConfidence: 1 }));
      await linksTable.confirmLinks(db, id);
      const after = (await evidenceTable.getRow(db, id))!;
      return { action: 'accept', evidenceId: id, changes: evidenceTable.diffRows(before, after), linksBefore };
    });
  }

  async update(ids: number[], patch: EvidencePatch): Promise<Evidence[]> {
    if (patch.type !== undefined && !EVIDENCE_TYPES.includes(patch.type)) {
      throw new WorkspaceError('usage', `未知的材料类型“${patch.type}”。可用：${EVIDENCE_TYPES.join('、')}`);
    }
    if (patch.date != null && patch.date !== '' && !isIsoDate(patch.date) && !isIsoDate(`${patch.date}-01`)) {
      throw new WorkspaceError('usage', `日期“${patch.date}”无效，应为 YYYY-MM-DD，例如 2019-03-15（只知月份时写 2019-03）。`);
    }
    if (patch.caption?.time && !isIsoDate(patch.caption.time)) {
      throw new WorkspaceError('usage', `照片时间“${patch.caption.time}”无效，应为 YYYY-MM-DD。`);
    }
    if (patch.title !== undefined && !patch.title.trim()) throw new WorkspaceError('usage', '题名不能为空。');
    return this.perItem(ids, async (db, id) => {
      const before = (await evidenceTable.getRow(db, id))!;
      const current = evidenceTable.rowToEvidence(before, []);
      const userFields = new Set(JSON.parse(before.user_fields) as UserField[]);
      const values: Parameters<typeof evidenceTable.encodeFields>[0] = {};
      if (patch.type !== undefined) Object.assign(values, { type: patch.type, typeOrigin: 'user', typeConfidence: 1 });
      if (patch.title !== undefined) {
        Object.assign(values, { title: patch.title.trim(), titleOrigin: 'user' });
        userFields.add('title');
      }
      if (patch.docNumber !== undefined) {
        values.docNumber = patch.docNumber?.trim() || null;
        userFields.add('docNumber');
      }
      if (patch.issuer !== undefined) {
        values.issuer = patch.issuer?.trim() || null;
        userFields.add('issuer');
      }
      if (patch.date !== undefined) {
        Object.assign(values, { date: patch.date || null, dateOrigin: patch.date ? 'user' : null });
        userFields.add('date');
      }
      if (patch.caption !== undefined) values.caption = cleanCaption({ ...current.caption, ...patch.caption }) ?? null;
      if (patch.note !== undefined) values.note = patch.note?.trim() || null;
      if (patch.isCopy !== undefined) values.isCopy = patch.isCopy;
      await evidenceTable.setColumns(db, id, { ...evidenceTable.encodeFields(values), user_fields: JSON.stringify([...userFields].sort()) });
      await evidenceTable.refreshSearchIndex(db, id);
      const changes = evidenceTable.diffRows(before, (await evidenceTable.getRow(db, id))!);
      return Object.keys(changes).length ? { action: 'update', evidenceId: id, changes } : null;
    });
  }

  /** Moves evidence to the trash (restorable). The original stays in the vault. */
  async delete(ids: number[]): Promise<void> {
    const at = this.stamp();
    await this.store.write(async (db) => {
      for (const id of ids) {
        const row = await evidenceTable.getRow(db, id);
        if (!row || row.deleted_at) throw new WorkspaceError('not-found', `没有编号为 ${id} 的材料（可能已删除到回收站）。`);
        await evidenceTable.setColumns(db, id, { deleted_at: at });
      }
      await appendHistory(db, ids.map((id) => ({ action: 'delete', evidenceId: id })), at);
    });
  }

  async restore(ids: number[]): Promise<Evidence[]> {
    const at = this.stamp();
    await this.store.write(async (db) => {
      const events: HistoryEvent[] = [];
      for (const id of ids) {
        const row = await evidenceTable.getRow(db, id);
        if (!row) throw new WorkspaceError('not-found', `没有编号为 ${id} 的材料。`);
        await evidenceTable.setColumns(db, id, { deleted_at: null });
        events.push({ action: 'restore', evidenceId: id, deletedAt: row.deleted_at });
      }
      await appendHistory(db, events, at);
    });
    return Promise.all(ids.map((id) => this.requireEvidence(id)));
  }

  // ---- review of department submissions (team workflow) -------------------------------------------

  /** Submissions in one review state (default 待审核), optionally of one department; returned ones say if replaced. */
  async reviewList(state: ReviewState = 'pending', department?: string): Promise<Evidence[]> {
    const ids = new Set(await submissionIds(this.store.reader, state, department));
    const all = await this.listEvidence();
    return review.markReplacements(all.filter((e) => ids.has(e.id)), all);
  }

  /** Accepts submissions as one undoable action: filed as the office's own choice (see team/review.ts). */
  async reviewAccept(ids: number[], target: review.AcceptTarget = {}): Promise<Evidence[]> {
    if (target.indicator) this.checkIndicator(target.indicator, target.requirement);
    return this.perItem(ids, (db, id) => review.acceptSubmission(db, id, target));
  }

  /** Returns submissions to their department with the reason, as one undoable action. */
  async reviewReturn(ids: number[], comment: string): Promise<Evidence[]> {
    if (!comment.trim()) throw new WorkspaceError('usage', '请写明退回原因。');
    return this.perItem(ids, (db, id) => review.returnSubmission(db, id, comment));
  }

  /** What the team workflow modules (electron/backend/team) work on: the store and the workspace clock. */
  teamScope(): { store: Store; now: () => Date } {
    return { store: this.store, now: this.now };
  }

  // ---- OCR (background, after import) -------------------------------------------------------------

  /** Items waiting for OCR, oldest first; 'running' ones were interrupted (app closed) and are taken up again. */
  async pendingOcr(ids?: number[]): Promise<OcrCandidate[]> {
    const rows = await evidenceTable.ocrCandidates(this.store.reader);
    const wanted = ids ? new Set(ids) : undefined;
    return rows.filter((r) => !wanted || wanted.has(r.id));
  }

  async setOcrState(id: number, state: OcrState, error?: string): Promise<void> {
    await this.store.write((db) => evidenceTable.setColumns(db, id, evidenceTable.encodeFields({ ocrState: state, ocrError: error ?? null })));
  }

  /**
   * Stores OCR text and what was read from it, in one transaction. Fields the user set by hand, a type the user
   * chose and links the user made are kept; found fields replace guesses, fields not found keep their value.
   * Not a user action, so not in the history: undo never takes OCR text away, as it never takes an import's.
   */
  async applyOcrResult(id: number, result: OcrApplied): Promise<Evidence> {
    const at = this.stamp();
    await this.store.write(async (db) => {
      const row = await evidenceTable.getRow(db, id);
      if (!row) throw new WorkspaceError('not-found', `没有编号为 ${id} 的材料。`);
      const userFields = new Set(JSON.parse(row.user_fields) as UserField[]);
      const values: Parameters<typeof evidenceTable.encodeFields>[0] = {
        textSource: 'ocr',
        ocrState: 'done',
        ocrError: null,
        ocrConfidence: result.confidence,
      };
      if (result.docNumber && !userFields.has('docNumber')) values.docNumber = result.docNumber;
      if (result.issuer && !userFields.has('issuer')) values.issuer = result.issuer;
      if (result.title && !userFields.has('title')) Object.assign(values, { title: result.title, titleOrigin: 'text' });
      if (result.date && !userFields.has('date')) Object.assign(values, { date: result.date, dateOrigin: result.dateOrigin ?? 'text' });
      if (result.type && row.type_origin === 'suggested') Object.assign(values, { type: result.type, typeConfidence: result.typeConfidence ?? 0 });
      await evidenceTable.setColumns(db, id, { ...evidenceTable.encodeFields(values), updated_at: at });
      if (result.links && !(await linksTable.linksOf(db, id)).some((l) => l.origin === 'user')) {
        await linksTable.replaceLinks(
          db,
          id,
          result.links.map((l) => ({ indicator: l.indicator, requirement: null, origin: 'suggested', confidence: l.confidence })),
          'suggested',
        );
      }
      // setText refreshes the search index with the new title, 文号 and text.
      await evidenceTable.setText(db, id, result.text);
    });
    return this.requireEvidence(id);
  }

  async userFields(id: number): Promise<UserField[]> {
    const row = await evidenceTable.getRow(this.store.reader, id);
    return row ? (JSON.parse(row.user_fields) as UserField[]) : [];
  }

  /**
   * Replaces the machine's suggestions for one item (type and suggested links), recorded in the history so it can
   * be undone. User-chosen values are the caller's to protect (see import.ts reclassify).
   */
  async applySuggestions(changes: { id: number; type?: { type: string; confidence: number }; links?: LinkRecord[] }[]): Promise<void> {
    const at = this.stamp();
    await this.store.write(async (db) => {
      const events: HistoryEvent[] = [];
      for (const change of changes) {
        const before = await evidenceTable.getRow(db, change.id);
        if (!before) continue;
        const linksBefore = await linksTable.linksOf(db, change.id);
        if (change.type) await evidenceTable.setColumns(db, change.id, { type: change.type.type, type_confidence: change.type.confidence });
        if (change.links) await linksTable.replaceLinks(db, change.id, change.links, 'suggested');
        const after = (await evidenceTable.getRow(db, change.id))!;
        events.push({ action: 'reclassify', evidenceId: change.id, changes: evidenceTable.diffRows(before, after), linksBefore, linksAfter: await linksTable.linksOf(db, change.id) });
      }
      await appendHistory(db, events, at);
    });
  }

  /** Links the user removed by hand ("id:indicator"): never suggested again. */
  async removedLinks(): Promise<Set<string>> {
    return linksRemovedByUser(this.store.reader);
  }

  // ---- targets ------------------------------------------------------------------------------------

  async targets(): Promise<TargetValue[]> {
    const byId = await targetRows(this.store.reader);
    return listIndicators(this.frameworkCache).flatMap(({ indicator }) =>
      indicator.targets.map((t) => {
        const row = byId.get(t.id);
        return { id: t.id, target: row?.target ?? t.value, actual: row?.actual ?? null, ...(row?.source ? { source: row.source } : {}) };
      }),
    );
  }

  async setTargets(values: { id: string; target?: number | null; actual?: number | null; source?: string | null }[]): Promise<TargetValue[]> {
    const known = new Map((await this.targets()).map((t) => [t.id, t]));
    for (const v of values) {
      if (!known.has(v.id)) throw new WorkspaceError('usage', `框架中没有目标 ${v.id}。可用：${[...known.keys()].join('、')}`);
      for (const key of ['target', 'actual'] as const) {
        const n = v[key];
        if (n != null && !Number.isFinite(n)) throw new WorkspaceError('usage', `目标 ${v.id} 的数值无效。`);
      }
    }
    const at = this.stamp();
    await this.store.write(async (db) => {
      const events: HistoryEvent[] = [];
      for (const v of values) {
        const current = known.get(v.id)!;
        const before = { target: current.target, actual: current.actual, source: current.source ?? null };
        const after = {
          target: v.target !== undefined ? v.target : before.target,
          actual: v.actual !== undefined ? v.actual : before.actual,
          source: v.source !== undefined ? v.source || null : before.source,
        };
        await putTarget(db, v.id, after);
        events.push({ action: 'targets', id: v.id, before, after });
      }
      await appendHistory(db, events, at);
    });
    return this.targets();
  }

  // ---- ledgers ------------------------------------------------------------------------------------

  /**
   * Reads the spreadsheets not read yet (or read by an older parser) into ledger sheets, keeping the user's
   * mappings. Reading happens here, lazily, so an import stays as fast as before and old workspaces catch up.
   */
  private async syncLedgers(evidence: Evidence[]): Promise<void> {
    const known = await ledgerKeys(this.store.reader);
    const stale = evidence.filter((e) => isLedgerCandidate(e) && known.get(e.id) !== sourceKeyOf(e));
    for (const item of stale) await this.readLedgers(item);
  }

  private async readLedgers(item: Evidence): Promise<void> {
    const stored = await ledgerSheets(this.store.reader, { evidence: item.id, withRows: false });
    const user = new Map(stored.flatMap((s) => (s.userMapping ? [[s.sheet, s.userMapping] as const] : [])));
    const sheets = await readItemLedgers(item, this.ledgerFile(item), this.frameworkCache.ledgers ?? [], user, this.stamp());
    await this.store.write((db) => replaceLedgerSheets(db, item.id, sheets));
  }

  /** The stored original, or '' when it is gone (the reading then says so). */
  private ledgerFile(item: Evidence): string {
    try {
      return this.originalPath(item.sha256);
    } catch {
      return '';
    }
  }

  /** Every spreadsheet item's sheets as ledgers (rows counted, not returned). */
  async ledgers(): Promise<LedgerSummary[]> {
    const evidence = await this.listEvidence();
    await this.syncLedgers(evidence);
    const titles = new Map(evidence.map((e) => [e.id, e.title]));
    const kinds = new Map((this.frameworkCache.ledgers ?? []).map((k) => [k.id, k]));
    const stored = await ledgerSheets(this.store.reader, { withRows: false });
    const used = new Set(usableSheets(stored, new Set(titles.keys())).map((s) => `${s.evidence}\u0000${s.sheet}`));
    return stored
      .filter((s) => titles.has(s.evidence))
      .map((s) => ({
        evidence: s.evidence,
        title: titles.get(s.evidence) ?? '',
        sheet: s.sheet,
        kind: s.parsed?.kind ?? null,
        ...(s.parsed && kinds.get(s.parsed.kind) ? { kindTitle: kinds.get(s.parsed.kind)?.title } : {}),
        rows: s.parsed?.rows.length ?? 0,
        columns: columnsByField(s.parsed?.columns ?? []),
        confidence: s.parsed?.confidence ?? 0,
        origin: s.origin,
        used: used.has(`${s.evidence}\u0000${s.sheet}`),
        headerRows: s.parsed?.headerRows ?? [],
        ...(s.problem ? { problem: s.problem } : {}),
      }));
  }

  private async requireLedgerItem(evidenceId: number): Promise<Evidence> {
    const item = await this.requireEvidence(evidenceId);
    if (!isLedgerCandidate(item)) throw new WorkspaceError('usage', `材料 ${evidenceId}《${item.title}》不是电子表格（xlsx、xls、et、ods、csv），不能作为台账读取。`);
    return item;
  }

  /** One page of a sheet's parsed rows (the only sheet when none is named), masked unless asked. */
  async ledgerRows(evidenceId: number, sheet: string | undefined, page: { offset?: number; limit?: number; unmasked?: boolean }): Promise<LedgerRowsPage> {
    const item = await this.requireLedgerItem(evidenceId);
    await this.syncLedgers([item]);
    const stored = (await ledgerSheets(this.store.reader, { evidence: item.id })).filter((s) => s.sheet !== '');
    const target = stored.find((s) => s.sheet === sheet) ?? (sheet === undefined && stored.length === 1 ? stored[0] : undefined);
    if (!target) {
      const names = stored.map((s) => s.sheet).join('、');
      throw new WorkspaceError('usage', `${sheet === undefined ? '请指明工作表' : `没有工作表“${sheet}”`}（${evidenceId}:工作表名）。《${item.title}》的工作表：${names || '无'}`);
    }
    const settings = await this.settings();
    const kind = (this.frameworkCache.ledgers ?? []).find((k) => k.id === target.parsed?.kind);
    return ledgerRowsPage(target, target.parsed, kind, makePeriod(settings.periodStart, settings.periodEnd), page);
  }

  /** The user's kind and columns for one sheet (the only sheet when none is named): read again and remembered. */
  async mapLedger(evidenceId: number, sheet: string | undefined, mapping: UserMapping): Promise<LedgerSummary[]> {
    const item = await this.requireLedgerItem(evidenceId);
    const kind = (this.frameworkCache.ledgers ?? []).find((k) => k.id === mapping.kind);
    if (!kind) {
      throw new WorkspaceError('usage', `框架中没有台账类型 ${mapping.kind}。可用：${(this.frameworkCache.ledgers ?? []).map((k) => `${k.id}（${k.title}）`).join('、')}`);
    }
    for (const [header, field] of Object.entries(mapping.columns ?? {})) {
      const key = field.split('=')[0];
      if (field && !kind.fields.some((f) => f.key === key)) {
        throw new WorkspaceError('usage', `${kind.title}没有字段 ${key}（表头“${header}”）。可用：${kind.fields.map((f) => `${f.key}（${f.label}）`).join('、')}`);
      }
    }
    await this.syncLedgers([item]);
    const stored = await ledgerSheets(this.store.reader, { evidence: item.id, withRows: false });
    const names = stored.filter((s) => s.sheet !== '').map((s) => s.sheet);
    const target = sheet ?? (names.length === 1 ? names[0] : undefined);
    if (target === undefined || !names.includes(target)) {
      throw new WorkspaceError('usage', `请指明工作表（${evidenceId}:工作表名）。《${item.title}》的工作表：${names.join('、') || '无'}`);
    }
    const user = new Map(stored.flatMap((s) => (s.userMapping ? [[s.sheet, s.userMapping] as const] : [])));
    const before = user.get(target) ?? null;
    user.set(target, mapping);
    const at = this.stamp();
    const sheets = await readItemLedgers(item, this.ledgerFile(item), this.frameworkCache.ledgers ?? [], user, at);
    await this.store.write(async (db) => {
      await replaceLedgerSheets(db, item.id, sheets);
      await appendHistory(db, [{ action: 'ledger-map', evidenceId: item.id, sheet: target, kindTitle: kind.title, before, after: mapping }], at);
    });
    return (await this.ledgers()).filter((l) => l.evidence === item.id);
  }

  /**
   * Ledger sheets the figures and checks use, of live evidence. The same array comes back while nothing about them
   * changed, so the rows are not parsed from JSON again and the analysis reuses its index of them. When one ledger
   * is imported, re-read or remapped, only that item's rows are loaded again: the other items' sheet objects are
   * kept, and the analysis reuses what it derived from each of them (shared/ledger/compute.ts caches per sheet).
   */
  async ledgerData(evidence?: Evidence[]): Promise<LedgerSheetData[]> {
    const live = evidence ?? (await this.listEvidence());
    await this.syncLedgers(live);
    const ids = new Set(live.map((e) => e.id));
    const meta = await ledgerSheets(this.store.reader, { withRows: false });
    const keys = new Map<number, string>();
    for (const s of meta) {
      if (!ids.has(s.evidence)) continue;
      const sheetKey = `${s.sheet}\u0000${s.parsedAt}\u0000${s.sourceKey}\u0000${JSON.stringify(s.userMapping ?? null)}`;
      const known = keys.get(s.evidence);
      keys.set(s.evidence, known === undefined ? sheetKey : `${known}\n${sheetKey}`);
    }
    const key = [...keys].map(([id, k]) => `${id}\u0001${k}`).join('\n');
    if (this.ledgerCache?.key === key) return this.ledgerCache.sheets;
    const perItem = new Map<number, { key: string; sheets: LedgerSheetData[] }>();
    for (const [id, itemKey] of keys) {
      const known = this.ledgerCache?.perItem.get(id);
      if (known?.key === itemKey) perItem.set(id, known);
      else perItem.set(id, { key: itemKey, sheets: usableSheets(await ledgerSheets(this.store.reader, { evidence: id }), ids) });
    }
    // Items in id order, as ledgerSheets lists them: the analysis's order of sheets (and of findings) stays the same.
    const sheets = [...perItem.values()].flatMap((entry) => entry.sheets);
    this.ledgerCache = { key, sheets, perItem };
    return sheets;
  }

  /** Target figures computed from the ledgers, by target id. */
  async computedTargets(): Promise<ReadonlyMap<string, ComputedValue>> {
    const settings = await this.settings();
    const index = buildLedgerIndex(this.frameworkCache, await this.ledgerData(), makePeriod(settings.periodStart, settings.periodEnd));
    return computeTargets(this.frameworkCache, index);
  }

  /** Sets the actuals of the given targets to their computed figures, as one undoable action. */
  async acceptComputed(ids: string[]): Promise<TargetValue[]> {
    const computed = await this.computedTargets();
    const missing = ids.filter((id) => !computed.has(id));
    if (missing.length) {
      throw new WorkspaceError('usage', `目标 ${missing.join('、')} 没有台账计算值（框架未规定计算方法，或工作区中还没有对应的台账）。可采用：${[...computed.keys()].join('、') || '无'}`);
    }
    return this.setTargets(ids.map((id) => ({ id, actual: computed.get(id)?.value ?? null, source: `台账计算：${computed.get(id)?.formula ?? ''}`.slice(0, 500) })));
  }

  // ---- 整改 items ----------------------------------------------------------------------------------

  private rectificationScope(): rectification.RectificationScope {
    return {
      store: this.store,
      at: this.stamp(),
      indicatorExists: (code) => this.hasIndicator(code),
      evidenceExists: async (ids) => {
        const found = await Promise.all(ids.map((id) => this.getEvidence(id)));
        return found.flatMap((e) => (e ? [e.id] : []));
      },
    };
  }

  hasIndicator(code: string): boolean {
    return Boolean(findIndicator(this.frameworkCache, code));
  }

  async rectificationItems(): Promise<RectificationItem[]> {
    return rectification.listRectification(this.store);
  }

  /** Adds items as one action (one 撤销 takes back a whole imported list). */
  async addRectification(items: NewRectification[]): Promise<RectificationItem[]> {
    return rectification.addRectification(this.rectificationScope(), items);
  }

  async closeRectification(id: number, evidence: number[], verify = false): Promise<RectificationItem> {
    return rectification.closeRectification(this.rectificationScope(), id, evidence, verify);
  }

  async verifyRectification(id: number): Promise<RectificationItem> {
    return rectification.verifyRectification(this.rectificationScope(), id);
  }

  async editRectification(id: number, patch: rectification.RectificationPatch & { status?: RectificationStatus }): Promise<RectificationItem> {
    return rectification.editRectification(this.rectificationScope(), id, patch);
  }

  // ---- analysis -----------------------------------------------------------------------------------

  async gaps(): Promise<GapReport> {
    return (await this.snapshot()).gaps;
  }

  async snapshot(): Promise<WorkspaceSnapshot> {
    const [settings, evidence, targets, items] = [await this.settings(), await this.listEvidence(), await this.targets(), await this.rectificationItems()];
    const ledgers = await this.ledgerData(evidence);
    const reportIds = evidence.filter((e) => e.type === 'report').map((e) => e.id);
    const texts = reportIds.length ? await this.evidenceTexts(reportIds) : new Map<number, string>();
    const reports = [...texts].map(([id, text]) => ({ evidence: id, text }));
    // "Today" from the workspace clock: overdue 整改 items are judged on the same day in tests and demos.
    const today = this.stamp().slice(0, 10);
    const deadlines = await listDeadlines(this.store.reader);
    const gaps = analyzeGaps({ framework: this.frameworkCache, settings, evidence, targets, ledgers, reports, rectification: items, today, deadlines });
    // The analysis just built (and kept) the index of these sheets: the figures come from it without a second pass.
    const computed = computeTargets(this.frameworkCache, buildLedgerIndex(this.frameworkCache, ledgers, makePeriod(settings.periodStart, settings.periodEnd)));
    return { dir: this.dir, settings, framework: this.frameworkCache, evidence, targets, gaps, rectification: items, computed };
  }

  // ---- jobs ---------------------------------------------------------------------------------------

  /** Keeps a job's state (imports, builds) in the workspace, so earlier builds and their results can be listed. */
  async recordJob(job: JobState, input: unknown): Promise<void> {
    const at = this.stamp();
    await this.store.write(async (db) => {
      const [known] = await listJobs(db, job.id);
      await saveJob(db, {
        id: job.id,
        kind: job.kind,
        state: job.state,
        input,
        progress: job.progress,
        ...(job.result !== undefined ? { result: job.result } : {}),
        ...(job.error ? { error: job.error } : {}),
        createdAt: known?.createdAt ?? at,
        updatedAt: at,
      });
    });
  }

  /** The workspace's jobs, newest first. */
  async jobs(): Promise<StoredJob[]> {
    return listJobs(this.store.reader);
  }

  async job(id: string): Promise<StoredJob | undefined> {
    return (await listJobs(this.store.reader, id))[0];
  }

  // ---- history ------------------------------------------------------------------------------------

  async history(limit = 200): Promise<HistoryEntry[]> {
    return listHistory(this.store.reader, limit);
  }

  /** The user action undoLast() would revert now, in words (the 撤销 button's tooltip), or null. */
  async nextUndo(actor?: string): Promise<string | null> {
    const batch = await lastUndoableBatch(this.store.reader, actor);
    return batch.length ? describeBatch(batch.map((e) => e.event)) : null;
  }

  /**
   * Undoes the last user action whatever its size (a batch edit of 200 items is one action): filing, edits,
   * confirmations, re-suggestions, deletions, restores and target changes. Returns what was undone in words, or
   * null when there is nothing to undo. With `actor` (team mode) only that user's own last action.
   */
  async undoLast(actor?: string): Promise<string | null> {
    const at = this.stamp();
    return this.store.write(async (db) => {
      const batch = await lastUndoableBatch(db, actor);
      if (!batch.length) return null;
      for (const entry of [...batch].reverse()) await revertEvent(db, entry.event, at);
      await markUndone(db, batch[0].batch);
      return describeUndo(batch.map((e) => e.event));
    });
  }
}

/** Writes back what one recorded event changed. */
async function revertEvent(db: WritableDb, event: HistoryEvent, at: string): Promise<void> {
  const restoreColumns = async (id: number, changes: Partial<Record<string, [unknown, unknown]>>) => {
    const values = Object.fromEntries(Object.entries(changes).map(([column, pair]) => [column, pair![0]]));
    await evidenceTable.setColumns(db, id, { ...(values as Partial<EvidenceRow>), updated_at: at });
    await evidenceTable.refreshSearchIndex(db, id);
  };
  switch (event.action) {
    case 'link':
      if (event.before) await linksTable.putLink(db, event.evidenceId, event.before);
      else await linksTable.deleteLink(db, event.evidenceId, event.indicator);
      return;
    case 'unlink':
      await linksTable.putLink(db, event.evidenceId, event.before);
      return;
    case 'update':
      await restoreColumns(event.evidenceId, event.changes);
      return;
    case 'accept':
      if (!event.linksBefore) {
        throw new WorkspaceError('usage', '最近一步“确认建议”是旧版本程序记录的，没有保存确认前的状态，无法撤销；请直接修改该材料的类型或归档。');
      }
      await restoreColumns(event.evidenceId, event.changes);
      await linksTable.replaceLinks(db, event.evidenceId, event.linksBefore);
      return;
    case 'reclassify':
      await restoreColumns(event.evidenceId, event.changes);
      await linksTable.replaceLinks(db, event.evidenceId, event.linksBefore);
      return;
    case 'delete':
      await evidenceTable.setColumns(db, event.evidenceId, { deleted_at: null });
      return;
    case 'restore':
      await evidenceTable.setColumns(db, event.evidenceId, { deleted_at: event.deletedAt ?? at });
      return;
    case 'targets':
      await putTarget(db, event.id, event.before);
      return;
    case 'rectify-add':
    case 'rectify-change':
      await rectification.revertRectificationEvent(db, event);
      return;
    case 'review-accept':
      await restoreColumns(event.evidenceId, event.changes);
      await review.revertAcceptance(db, event);
      return;
    case 'review-return':
      await restoreColumns(event.evidenceId, event.changes);
      return;
    case 'deadline':
      await putDeadline(db, { department: event.department, indicator: event.indicator ?? undefined, requirement: event.requirement ?? undefined }, event.before);
      return;
    case 'ledger-map':
      await restoreUserMapping(db, event.evidenceId, event.sheet, event.before);
      return;
    case 'import':
    case 'settings':
    case 'kit':
      return;
  }
}

/** Shown for evidence whose stored original is gone from vault/ (the record and its filing are kept). */
export const missingOriginalReason = (name: string): string =>
  `工作区中该材料的原始文件（${name}）已丢失，可能被手动删除或移动。请重新导入这份文件，导入后会自动恢复，原有的分类和著录信息保持不变。`;

function sortLinks(links: Evidence['links']): Evidence['links'] {
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

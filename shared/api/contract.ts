import { z } from 'zod';
import {
  EVIDENCE_TYPES,
  type Evidence,
  type Framework,
  type GapReport,
  type TargetValue,
  type WorkspaceSettings,
} from '../domain/types.js';
import type { ImportReport, OcrRunReport, ProgressEvent } from '../domain/intake.js';
import type { ErrorCode } from '../errors.js';
import type { BinderEdition, BuildWarning } from '../binder/types.js';
import type { ComputedValue } from '../ledger/compute.js';
import type { LedgerRowsPage } from '../ledger/rows.js';
import type { RectificationItem } from '../rectification/types.js';
import type { Actor } from '../team/roles.js';
import { teamContract } from './team-contract.js';

/**
 * The one API between the workbench (renderer) and the backend, carried over Electron IPC or the browser
 * host's HTTP. One entry per method, keyed 'domain.verb', with an input schema (validated by dispatch on every
 * call) and an output type. Handlers are typed from this table.
 */

// Shape only: whether it is a real calendar day is the backend's one isIsoDate, which names the value in its error.
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');
/** An item's own date may have month precision ("2024-12") when the document gives no day. */
const evidenceDate = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, '日期应为 YYYY-MM-DD（只知月份时为 YYYY-MM）');
const ids = z.array(z.number().int().positive()).min(1).max(100_000);
const indicatorCode = z.string().regex(/^\d+(\.\d+)+$/, '指标编码应为“1.2”这样的数字编码');
const none = z.object({}).strict();

const captionSchema = z
  .object({
    subject: z.string().max(500),
    time: z.union([isoDate, z.literal('')]),
    place: z.string().max(500),
    people: z.string().max(1000),
    background: z.string().max(500),
    photographer: z.string().max(200),
    note: z.string().max(2000),
  })
  .partial()
  .strict();

export const evidencePatchSchema = z
  .object({
    type: z.enum(EVIDENCE_TYPES),
    title: z.string().min(1).max(300),
    docNumber: z.string().max(100).nullable(),
    issuer: z.string().max(200).nullable(),
    date: z.union([evidenceDate, z.literal('')]).nullable(),
    caption: captionSchema,
    note: z.string().max(2000).nullable(),
    isCopy: z.boolean(),
  })
  .partial()
  .strict();

const settingsPatchSchema = z
  .object({
    title: z.string().min(1).max(200),
    unit: z.string().max(200),
    periodStart: isoDate,
    periodEnd: isoDate,
    fonds: z.string().max(50),
    orgCode: z.string().max(20),
    /** Path of a .ttf/.otf/.ttc font for generated pages; '' returns to the system fonts. */
    fontFile: z.string().max(1000),
  })
  .partial()
  .strict();

export const buildOptionsSchema = z
  .object({
    formats: z.array(z.enum(['pdf', 'docx', 'zip'])).min(1),
    /** 报送版 (default) or 自查版; the zip always carries the 报送版. */
    edition: z.enum(['submission', 'review']).optional(),
    singleVolume: z.boolean().optional(),
    duplex: z.boolean().optional(),
    stamp: z.boolean().optional(),
    /** Split thick volumes (上/下) past this many pages or MB: binding machines and readers have limits. */
    maxPagesPerVolume: z.number().int().min(20).max(100_000).optional(),
    maxMegabytesPerVolume: z.number().int().min(1).max(100_000).optional(),
    /** Downscale photos to print resolution instead of embedding the camera originals (smaller files). */
    compressPhotos: z.boolean().optional(),
    /** Output folder; defaults to <workspace>/输出. */
    outDir: z.string().min(1).max(1000).optional(),
    /** Date printed on covers and in the manifest; defaults to now (a fixed value makes rebuilds identical). */
    generatedAt: z.iso.datetime({ offset: true, message: '生成时间应为 ISO 时间，例如 2019-12-20T09:00:00Z' }).optional(),
    /** A font file for this build only, instead of the workspace's own choice. */
    fontFile: z.string().min(1).max(1000).optional(),
    /** Mask ID and mobile numbers in the submission edition (default true); false warns that the pack holds them. */
    mask: z.boolean().optional(),
    /** Print the 整改台账 in the submission edition too (the review edition always has it). */
    rectificationLedger: z.boolean().optional(),
  })
  .strict();

const targetValueSchema = z
  .object({
    id: z.string().min(1).max(50),
    target: z.number().finite().nullable().optional(),
    actual: z.number().finite().nullable().optional(),
    source: z.string().max(500).nullable().optional(),
  })
  .strict();

export type TemplateSummary = { id: string; title: string; years?: string; categories: number; indicators: number; error?: string };

export type WorkspaceInfo = {
  dir: string;
  settings: WorkspaceSettings;
  framework: Framework;
  counts: { evidence: number; trash: number };
};

export type SessionState = {
  workspace: WorkspaceInfo | null;
  recent: { dir: string; title: string }[];
  /** 'electron' for the desktop app, 'browser' for the browser host, 'cli' for the binder command. */
  host: 'electron' | 'browser' | 'cli';
  version: string;
  /** A team server (accounts and roles) rather than one person's desktop or browser host. */
  team?: boolean;
  /** Team mode: who is logged in. */
  user?: Actor & { displayName?: string };
};

/** A row of the evidence list: the evidence plus a small preview image where there is one. */
export type EvidenceRow = Evidence & { thumbUrl?: string };

export type EvidenceDetail = Evidence & {
  /** First part of the extracted text (Office documents' preview, search context). */
  textExcerpt: string;
  /** URL of the stored original for preview (app protocol or host URL with token). */
  fileUrl: string;
  thumbUrl?: string;
  userFields: string[];
};

export type TargetRow = TargetValue & {
  indicator: string;
  label: string;
  unit: string;
  comparison: '>=' | '<=' | '=';
  /** The figure computed from the workspace's ledgers, when the target has a computation and its ledger is present. */
  computed?: ComputedValue;
};

/** One sheet of a spreadsheet item read as a ledger (binder ledgers, the 台账 view). */
export type LedgerSummary = {
  evidence: number;
  /** The item's title. */
  title: string;
  sheet: string;
  /** Ledger kind id, or null when no table of a known kind was found. */
  kind: string | null;
  kindTitle?: string;
  rows: number;
  /** field key → header text it was read from. */
  columns: Record<string, string>;
  confidence: number;
  /** 'user' when the user set the mapping (detection never replaces it). */
  origin: 'auto' | 'user';
  /** False when the detection is too unsure to count the sheet's rows towards figures. */
  used: boolean;
  headerRows: number[];
  /** Why the sheet or workbook could not be read, in Chinese. */
  problem?: string;
};

const ledgerMapSchema = z
  .object({
    evidence: z.number().int().positive(),
    /** The sheet; omitted for a workbook with one sheet. */
    sheet: z.string().max(200).optional(),
    kind: z.string().min(1).max(100),
    /** Header text → field key ('' leaves the column out; 'field=value' makes it a tick column for one enum value). */
    columns: z.record(z.string().min(1).max(200), z.string().max(100)).optional(),
  })
  .strict();

const ledgerRowsSchema = z
  .object({
    evidence: z.number().int().positive(),
    /** The sheet; omitted for a workbook with one sheet. */
    sheet: z.string().max(200).optional(),
    offset: z.number().int().min(0).optional(),
    /** Rows per page (default 50, at most 500). */
    limit: z.number().int().min(1).max(500).optional(),
    /** Full ID and mobile numbers (the workbench shows them masked unless the user asks). */
    unmasked: z.boolean().optional(),
  })
  .strict();

export type { LedgerRowsPage };

export type HistoryRow = {
  id: number;
  at: string;
  action: string;
  evidenceId?: number;
  /** One readable Chinese line. */
  summary: string;
  /** Team mode: who did it. */
  actor?: string;
};

type JobBase = {
  id: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  progress: ProgressEvent;
  /** Chinese sentence when the job failed. */
  error?: string;
  errorCode?: ErrorCode;
};

/** A job's result is typed by its kind: narrow on `kind` to read it. */
export type JobState =
  | (JobBase & { kind: 'import'; result?: ImportReport })
  | (JobBase & { kind: 'ocr'; result?: OcrRunReport })
  | (JobBase & { kind: 'build'; result?: BuildResult });
export type JobKind = JobState['kind'];
export const JOB_KINDS: readonly JobKind[] = ['import', 'ocr', 'build'];
export type JobResult<K extends JobKind> = NonNullable<Extract<JobState, { kind: K }>['result']>;

export type BuildResult = {
  edition: BinderEdition;
  outputs: { format: 'pdf' | 'docx' | 'zip'; path: string; pages?: number; bytes: number; items: { title: string; page: number }[] }[];
  warnings: BuildWarning[];
  fonts: string[];
};

/** What `binder verify` and the package check report about a submission package (zip). */
export type VerifyResult = {
  ok: boolean;
  /** Files whose checksum was compared. */
  checked: number;
  /** Listed in manifest.json but not in the zip. */
  missing: string[];
  /** In the zip but not listed (including unsafe names such as "../x", which are never extracted). */
  extra: string[];
  /** Present, but size or SHA-256 differs from manifest.json (or the member cannot be read). */
  changed: string[];
};

export type DemoResult = { info: WorkspaceInfo; import: ImportReport };

/** A file in the workspace's output folder, with a URL that opens it (add `download=1` to save it). */
export type OutputFile = {
  name: string;
  path: string;
  format: 'pdf' | 'docx' | 'zip' | 'xlsx';
  bytes: number;
  /** ISO time the file was written. */
  modified: string;
  url: string;
};

export type SystemInfo = {
  fonts: { role: string; family: string; path: string }[];
  /** The workspace's own font choice, when set. */
  userFont?: string;
  fontError?: string;
  libreoffice: string | null;
};

const isoDay = z.iso.date({ message: '日期应写作 2019-10-31' });
const rectificationFields = {
  text: z.string().trim().min(1, '整改事项的问题描述不能为空').max(2000),
  source: z.string().max(200).nullable().optional(),
  indicator: z.string().max(50).nullable().optional(),
  department: z.string().max(200).nullable().optional(),
  due: isoDay.nullable().optional(),
};

/** A row of an imported 整改 list that could not be read (or a value left empty), by its row number in the sheet. */
export type RectificationImportProblem = { row: number; message: string };

export const contract = {
  'session.state': { input: none, output: {} as SessionState },
  'templates.list': { input: none, output: [] as TemplateSummary[] },
  /** One bundled template's framework, validated. */
  'templates.get': { input: z.object({ id: z.string().min(1).max(100) }).strict(), output: {} as Framework },
  'workspace.create': {
    input: z
      .object({
        dir: z.string().min(1).max(1000),
        templateId: z.string().min(1).max(100),
        title: z.string().max(200).optional(),
        unit: z.string().max(200).optional(),
        periodStart: isoDate.optional(),
        periodEnd: isoDate.optional(),
        fonds: z.string().max(50).optional(),
        orgCode: z.string().max(20).optional(),
        /** postgres://user@host:port/db keeps the metadata on a PostgreSQL server (null: SQLite). */
        database: z.string().regex(/^postgres(ql)?:\/\//i, '数据库地址应为 postgres://用户名@主机:端口/数据库名').max(500).nullable().optional(),
      })
      .strict(),
    output: {} as WorkspaceInfo,
  },
  'workspace.open': { input: z.object({ dir: z.string().min(1).max(1000) }).strict(), output: {} as WorkspaceInfo },
  'workspace.openDemo': { input: none, output: {} as WorkspaceInfo },
  /**
   * Builds the demo workspace in a folder of the caller's choice and opens it. `force` first removes an existing
   * workspace there (never a folder that is not a workspace).
   */
  'demo.create': { input: z.object({ dir: z.string().min(1).max(1000), force: z.boolean().optional() }).strict(), output: {} as DemoResult },
  'workspace.info': { input: none, output: {} as WorkspaceInfo },
  'workspace.update': { input: z.object({ patch: settingsPatchSchema }).strict(), output: {} as WorkspaceInfo },
  'evidence.list': { input: none, output: [] as EvidenceRow[] },
  'evidence.search': { input: z.object({ query: z.string().max(200) }).strict(), output: [] as number[] },
  'evidence.get': { input: z.object({ id: z.number().int().positive() }).strict(), output: {} as EvidenceDetail },
  'evidence.import': {
    input: z
      .object({
        paths: z.array(z.string().min(1).max(4000)).min(1).max(10_000),
        indicator: indicatorCode.optional(),
        requirement: z.string().max(50).optional(),
      })
      .strict(),
    output: {} as { jobId: string },
  },
  'evidence.update': { input: z.object({ ids, patch: evidencePatchSchema }).strict(), output: [] as Evidence[] },
  'evidence.link': {
    input: z.object({ ids, indicator: indicatorCode, requirement: z.string().max(50).optional() }).strict(),
    output: [] as Evidence[],
  },
  'evidence.unlink': { input: z.object({ ids, indicator: indicatorCode }).strict(), output: [] as Evidence[] },
  'evidence.accept': { input: z.object({ ids }).strict(), output: [] as Evidence[] },
  'evidence.delete': { input: z.object({ ids }).strict(), output: {} as { deleted: number } },
  'evidence.restore': { input: z.object({ ids }).strict(), output: [] as Evidence[] },
  'evidence.trash': { input: none, output: [] as Evidence[] },
  /**
   * Reads pending scans and pictures with offline OCR (all pending, or only `ids`), as a job: progress, cancel.
   * Items not reached stay pending for the next run.
   */
  'evidence.ocr': { input: z.object({ ids: ids.optional() }).strict(), output: {} as { jobId: string } },
  /** Reverts the last user action whole (a batch of 200 is one step), deletions included. */
  'filing.undo': { input: none, output: {} as { message: string | null } },
  /** What 'filing.undo' would revert now, in words (the 撤销 button's tooltip), or null. */
  'history.undoable': { input: none, output: {} as { next: string | null } },
  /** Re-suggest type and indicators of everything not confirmed, learning from the user's corrections. */
  'evidence.reclassify': { input: none, output: {} as { changed: number } },
  'targets.list': { input: none, output: [] as TargetRow[] },
  'targets.set': { input: targetValueSchema, output: [] as TargetRow[] },
  /** Several targets in one transaction (the CLI's repeated --set/--target/--source). */
  'targets.setMany': { input: z.object({ items: z.array(targetValueSchema).min(1).max(1000) }).strict(), output: [] as TargetRow[] },
  /** Sets actuals to the figures computed from the ledgers (one undoable action). */
  'targets.acceptComputed': { input: z.object({ ids: z.array(z.string().min(1).max(50)).min(1).max(1000) }).strict(), output: [] as TargetRow[] },
  /** Spreadsheet items read as ledgers, one row per sheet. */
  'ledgers.list': { input: none, output: [] as LedgerSummary[] },
  /** The user's kind and column mapping for a sheet: remembered, never replaced by detection. */
  'ledgers.map': { input: ledgerMapSchema, output: [] as LedgerSummary[] },
  /** A sheet's parsed rows (values, row numbers, problems per row, totals), masked unless asked. */
  'ledgers.rows': { input: ledgerRowsSchema, output: {} as LedgerRowsPage },
  'gaps.get': { input: none, output: {} as GapReport },
  /** 整改 items, in the order they were added. */
  'rectification.list': { input: none, output: [] as RectificationItem[] },
  'rectification.add': { input: z.object(rectificationFields).strict(), output: {} as RectificationItem },
  /** Marks an item rectified with the evidence that shows it (verify: 销号 at once). */
  'rectification.close': {
    input: z.object({ id: z.number().int().positive(), evidence: z.array(z.number().int().positive()).max(1000), verify: z.boolean().optional() }).strict(),
    output: {} as RectificationItem,
  },
  'rectification.verify': { input: z.object({ id: z.number().int().positive() }).strict(), output: {} as RectificationItem },
  'rectification.edit': {
    input: z
      .object({ id: z.number().int().positive(), ...rectificationFields, text: rectificationFields.text.optional(), status: z.enum(['open', 'rectified', 'verified']).optional() })
      .strict(),
    output: {} as RectificationItem,
  },
  /** Reads an XLSX/CSV 整改 list (header found by aliases) and adds its rows as one action. */
  'rectification.import': {
    input: z.object({ path: z.string().min(1).max(4000) }).strict(),
    output: {} as { added: RectificationItem[]; problems: RectificationImportProblem[]; headerRow: number },
  },
  'departments.export': {
    input: z.object({ department: z.string().min(1).max(100) }).strict(),
    output: {} as { path: string; url: string },
  },
  'history.list': { input: z.object({ limit: z.number().int().min(1).max(5000).optional() }).strict(), output: [] as HistoryRow[] },
  'binder.build': { input: buildOptionsSchema, output: {} as { jobId: string } },
  /** What earlier builds left in the output folder, newest first. */
  'binder.outputs': { input: none, output: [] as OutputFile[] },
  'jobs.get': { input: z.object({ id: z.string().min(1).max(100) }).strict(), output: {} as JobState },
  /** Checks a submission package's files against its manifest.json; changes nothing. */
  'package.verify': { input: z.object({ path: z.string().min(1).max(4000) }).strict(), output: {} as VerifyResult },
  'jobs.cancel': { input: z.object({ id: z.string().min(1).max(100) }).strict(), output: {} as { cancelled: boolean } },
  'system.info': { input: none, output: {} as SystemInfo },
  ...teamContract,
} as const;

export type Contract = typeof contract;
export type Method = keyof Contract;
export type InputOf<M extends Method> = z.input<Contract[M]['input']>;
export type OutputOf<M extends Method> = Contract[M]['output'];

export type ApiError = { code: ErrorCode; message: string };
export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiError };

export function isMethod(name: string): name is Method {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/**
 * Every call that reads or changes a workspace names the workspace it means (its folder, as the page last saw it
 * in session.state). The browser host serves one workspace to every tab, so a tab left on a workspace another tab
 * has since switched away from must be refused rather than edit the item with the same id in the other one.
 * These methods choose or create a workspace, or do not touch one, so they carry no name.
 */
export const WORKSPACE_FREE_METHODS: ReadonlySet<Method> = new Set<Method>([
  'session.state',
  'templates.list',
  'templates.get',
  'demo.create',
  'package.verify',
  'workspace.create',
  'workspace.open',
  'workspace.openDemo',
  'jobs.get',
  'jobs.cancel',
  'system.info',
]);

/** HTTP header carrying the workspace a call means, percent-encoded UTF-8 (a folder path can be Chinese). */
export const WORKSPACE_HEADER = 'X-Binder-Workspace';
/** Error code when a call names another workspace than the one the host serves: the page must reload. */
export const WORKSPACE_CHANGED = 'workspace-changed' satisfies ErrorCode;

import type { ColumnType, Generated } from 'kysely';

/**
 * The workspace database as Kysely sees it: one type per table, column names as stored. The same schema lives in
 * SQLite (desktop) and PostgreSQL (shared servers); the migrations in ./migrations create it on both.
 * Booleans are stored as 0/1 integers and JSON as text on both engines, so a row reads the same everywhere.
 */
export type EvidenceTable = {
  id: Generated<number>;
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
  /** JSON of PhotoInfo. */
  photo: string | null;
  /** JSON of PhotoCaption. */
  caption: string | null;
  fingerprint: string | null;
  note: string | null;
  is_copy: ColumnType<number, number | undefined, number>;
  /** JSON array of the fields the user set by hand. */
  user_fields: ColumnType<string, string | undefined, string>;
  /** Where the text came from: 'text' (its own text layer), 'ocr', 'none'. */
  text_source: string | null;
  /** Background OCR: 'pending', 'running', 'done', 'failed', or null when the item needs none. */
  ocr_state: string | null;
  ocr_confidence: number | null;
  ocr_error: string | null;
  /** Team mode: 'pending' (待审核), 'accepted', 'returned'; null for items the office stored itself. */
  review_state: string | null;
  /** Team mode: the department an item was submitted for. */
  department: string | null;
  /** Team mode: the user name of who submitted it. */
  submitted_by: string | null;
  /** The office's reason when it returned the item. */
  review_comment: string | null;
  imported_at: string;
  updated_at: string;
  deleted_at: string | null;
};

export type EvidenceTextTable = { evidence_id: number; text: string };

export type LinkTable = {
  evidence_id: number;
  indicator: string;
  requirement: string | null;
  origin: string;
  confidence: number;
};

export type TargetValueTable = { id: string; target: number | null; actual: number | null; source: string | null };

export type HistoryTable = {
  id: Generated<number>;
  at: string;
  action: string;
  evidence_id: number | null;
  /** JSON of the HistoryEvent (./history.ts). */
  detail: string;
  /** One user action = one batch; undo reverts a whole batch. */
  batch: number | null;
  undone: ColumnType<number, number | undefined, number>;
  /** Team mode: the user name of who did it (null on the desktop and in the CLI). */
  actor: string | null;
};

export type MetaTable = { key: string; value: string };

export type JobTable = {
  id: string;
  kind: string;
  state: string;
  /** JSON of the job's input, so an interrupted job can be resumed after a restart. */
  input: string;
  /** JSON of the latest progress event. */
  progress: string | null;
  /** JSON of the result (import report, build result). */
  result: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
  /** Login name of who started it (team mode; migration 0010). */
  actor: string | null;
};

/** One sheet of a spreadsheet item read as a ledger (migration 0005). */
export type LedgerSheetTable = {
  evidence_id: number;
  sheet: string;
  /** Order of the sheet in its workbook. */
  position: number;
  /** The original's SHA-256 and the parser version: a different key means the sheet is read again. */
  source_key: string;
  kind: string | null;
  /** JSON: the column mapping used ({ columns, headers }). */
  mapping: string;
  /** 'auto' (detected) or 'user' (set by the user: never replaced by detection). */
  mapping_origin: string;
  /** JSON of the user's mapping (kind and header → field), kept to read the sheet again the same way. */
  user_mapping: string | null;
  confidence: number;
  /** JSON array of 1-based header row numbers. */
  header_rows: string;
  row_count: number;
  /** JSON: { rows, totals, unmatched } as parsed. */
  rows: string;
  /** Why the sheet (or, with sheet '', the workbook) could not be read, in Chinese. */
  problem: string | null;
  parsed_at: string;
};

export type RectificationItemTable = {
  id: Generated<number>;
  text: string;
  source: string | null;
  indicator: string | null;
  department: string | null;
  due_date: string | null;
  /** 'open' | 'rectified' | 'verified' */
  status: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
};

export type RectificationEvidenceTable = { item_id: number; evidence_id: number };

/** Team mode: one account (migration 0008). */
export type UserTable = {
  name: string;
  display_name: string | null;
  role: string;
  /** JSON array of department names. */
  departments: string;
  /** argon2id PHC string. */
  password_hash: string;
  disabled: number;
  failed_logins: number;
  locked_until: string | null;
  created_at: string;
  last_login_at: string | null;
};

/** Team mode: one login session; only the SHA-256 (hex) of the id in the cookie is stored. */
export type SessionTable = { id_hash: string; user_name: string; created_at: string; last_seen_at: string };

/** A due date for what a department owes: '' indicator and requirement = all it owes (migration 0009). */
export type DeadlineTable = { department: string; indicator: string; requirement: string; due: string };

/** A collection kit handed out to a department; `folders` is JSON of its folder → requirement map. */
export type KitTable = { id: string; department: string; folders: string; created_at: string; created_by: string | null };

export type Schema = {
  meta: MetaTable;
  evidence: EvidenceTable;
  evidence_text: EvidenceTextTable;
  links: LinkTable;
  target_values: TargetValueTable;
  history: HistoryTable;
  jobs: JobTable;
  ledger_sheets: LedgerSheetTable;
  rectification_items: RectificationItemTable;
  rectification_evidence: RectificationEvidenceTable;
  users: UserTable;
  sessions: SessionTable;
  deadlines: DeadlineTable;
  kits: KitTable;
};

export type EvidenceRow = { [K in keyof EvidenceTable]: EvidenceTable[K] extends ColumnType<infer S, unknown, unknown> ? S : EvidenceTable[K] };
export type EvidenceColumn = Exclude<keyof EvidenceTable, 'id'>;

import type { IdProblem } from '../ledger/id-number.js';
import type { LedgerValue } from '../ledger/values.js';
/**
 * Domain model shared by every runtime (backend, renderer, CLI).
 * Pure types and constants only: no Node, no DOM. See ../../../shared/domain.md (§2–§5) for the meaning.
 */
import type { LedgerKind, TargetCompute } from '../ledger/types.js';

/** Evidence types (domain.md §3). The machine name is stored; the label is shown. */
export const EVIDENCE_TYPES = [
  'official-document',
  'minutes',
  'plan',
  'agreement',
  'letter',
  'appointment',
  'ledger',
  'roster',
  'photo',
  'news',
  'voucher',
  'acceptance',
  'notice',
  'certificate',
  'report',
  'other',
] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

export const EVIDENCE_TYPE_LABELS: Record<EvidenceType, { zh: string; en: string }> = {
  'official-document': { zh: '正式文件', en: 'Official document' },
  minutes: { zh: '会议纪要', en: 'Minutes' },
  plan: { zh: '方案计划', en: 'Plan' },
  agreement: { zh: '协议合同', en: 'Agreement' },
  letter: { zh: '对接函件', en: 'Letter' },
  appointment: { zh: '任职挂职文件', en: 'Appointment' },
  ledger: { zh: '台账', en: 'Ledger' },
  roster: { zh: '名册', en: 'Roster' },
  photo: { zh: '照片', en: 'Photo' },
  news: { zh: '新闻报道', en: 'News report' },
  voucher: { zh: '财务凭证', en: 'Voucher' },
  acceptance: { zh: '验收审计报告', en: 'Acceptance / audit' },
  notice: { zh: '公告公示', en: 'Public notice' },
  certificate: { zh: '证明材料', en: 'Certificate' },
  report: { zh: '总结报告', en: 'Report' },
  other: { zh: '其他', en: 'Other' },
};

/** Types whose documents carry a 文号 (document number); missing-metadata flags one without it. */
export const TYPES_NEEDING_DOC_NUMBER: readonly EvidenceType[] = ['official-document', 'appointment'];

/**
 * Archival order inside an indicator (issue 3): 正式文件, 纪要, 协议, 凭证, 其他, 照片, 报道.
 * Lower rank binds first; types not named sit with 其他.
 */
export const ARCHIVAL_RANK: Record<EvidenceType, number> = {
  'official-document': 0,
  appointment: 0,
  notice: 0,
  minutes: 1,
  plan: 1,
  agreement: 2,
  letter: 2,
  voucher: 3,
  ledger: 3,
  roster: 3,
  acceptance: 3,
  other: 4,
  certificate: 4,
  report: 4,
  photo: 5,
  news: 6,
};

export const PERIODS = ['once', 'yearly', 'quarterly', 'monthly', 'per-event'] as const;
export type Period = (typeof PERIODS)[number];

export const COMPARISONS = ['>=', '<=', '='] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** An evidence slot on an indicator. */
export type Requirement = {
  /** Unique within the framework, e.g. "1.2-1". */
  id: string;
  /** What the slot is for, in Chinese, e.g. "党委政府专题研究会议纪要". */
  title: string;
  type: EvidenceType;
  /** Other types that also fill this slot (e.g. a roster may stand in for a ledger). */
  accepts?: EvidenceType[];
  /** Minimum number of items; for periodic slots, the minimum per period. */
  min: number;
  period: Period;
  mandatory: boolean;
  /** Short Chinese hint of what counts. */
  hint?: string;
  /** Words that mark an item as belonging to this slot rather than a sibling slot of the same type. */
  keywords?: string[];
};

/** A quantitative agreement target (domain.md §2.3). Values live in the workspace, not in the template. */
export type Target = {
  /** Unique within the framework, e.g. "5.1-1". */
  id: string;
  label: string;
  /** 人, 万元, 家, %, 个 … */
  unit: string;
  comparison: Comparison;
  /** Default target value (templates leave it null; the agreement gives it). */
  value: number | null;
  /** Target ids whose actuals must add up to this target's actual (转移就业 = 东部 + 省内 + 其他). */
  parts?: string[];
  /** Target ids that are "其中" of this one: each actual must not exceed this actual. */
  subtotals?: string[];
  hint?: string;
  /** Other words reports use for this figure (转移就业, 赴天津就业), to find statements of it in 自评报告. */
  aliases?: string[];
  /** How the actual figure follows from a ledger's rows (computed beside the typed one). */
  compute?: TargetCompute;
};

export type Indicator = {
  /** "1.2" */
  code: string;
  title: string;
  description?: string;
  /** Lead department (牵头单位), e.g. "县委组织部". */
  department?: string;
  weight?: number | null;
  requirements: Requirement[];
  targets: Target[];
};

export type Category = {
  /** "1" */
  code: string;
  title: string;
  description?: string;
  weight?: number | null;
  /** 创新工作（加分）: bonus items, never counted as missing. */
  bonus?: boolean;
  /** 负面清单: a self-check, not evidence to collect. */
  negative?: boolean;
  indicators: Indicator[];
};

export type Framework = {
  id: string;
  title: string;
  /** Years the framework applies to, e.g. "2017–2020". */
  years?: string;
  description?: string;
  grades?: string[];
  /** Ledger kinds (台账) whose rows back the targets. */
  ledgers?: LedgerKind[];
  categories: Category[];
};

export type WorkspaceSettings = {
  title: string;
  /** 编制单位 */
  unit: string;
  /** Assessment period, inclusive ISO dates "YYYY-MM-DD". */
  periodStart: string;
  periodEnd: string;
  /** 全宗号 (optional) */
  fonds?: string;
  /** 机构代码 for 档号, e.g. "XZB" */
  orgCode?: string;
  /** A font file chosen by the user (e.g. a real 仿宋_GB2312) for generated pages; else system fonts. */
  fontFile?: string;
  frameworkId: string;
};

export type FileFormat =
  | 'pdf'
  | 'docx'
  | 'xlsx'
  | 'pptx'
  | 'doc'
  | 'xls'
  | 'ppt'
  | 'odt'
  | 'ods'
  | 'wps'
  | 'et'
  | 'jpeg'
  | 'png'
  | 'gif'
  | 'bmp'
  | 'tiff'
  | 'webp'
  | 'heic'
  | 'txt'
  | 'zip'
  | 'unknown';

export const IMAGE_FORMATS: readonly FileFormat[] = ['jpeg', 'png', 'gif', 'bmp', 'tiff', 'webp', 'heic'];
export const OFFICE_FORMATS: readonly FileFormat[] = ['docx', 'xlsx', 'pptx', 'doc', 'xls', 'ppt', 'odt', 'ods', 'wps', 'et'];

/** Where an item's text comes from: its own text layer, offline OCR of its page images, or nowhere. */
export const TEXT_SOURCES = ['text', 'ocr', 'none'] as const;
export type TextSource = (typeof TEXT_SOURCES)[number];

/** OCR of a scan or photographed document runs in the background after import (识别中 while pending/running). */
export const OCR_STATES = ['pending', 'running', 'done', 'failed', 'none'] as const;
export type OcrState = (typeof OCR_STATES)[number];

/** Whether the stored original can be read and bound. */
export type Readability = 'ok' | 'encrypted' | 'corrupt' | 'unsupported' | 'empty' | 'complex';

/** 六要素 caption of a photo (domain.md §3/§4). */
export type PhotoCaption = {
  /** 事由 */
  subject?: string;
  /** 时间, "YYYY-MM-DD" (may differ from EXIF: date-mismatch) */
  time?: string;
  /** 地点 */
  place?: string;
  /** 人物 (with 职务) */
  people?: string;
  /** 背景 */
  background?: string;
  /** 摄影者 */
  photographer?: string;
  /** 说明 */
  note?: string;
};

export type PhotoInfo = {
  width?: number;
  height?: number;
  /** EXIF orientation 1–8 */
  orientation?: number;
  /** Camera local time "YYYY-MM-DDTHH:mm:ss" from EXIF DateTimeOriginal. */
  takenAt?: string;
  gps?: { lat: number; lon: number };
  camera?: string;
};

export type Origin = 'suggested' | 'user';

export type EvidenceLink = {
  indicator: string;
  /** Requirement id when the user filed it into a particular slot. */
  requirement?: string;
  origin: Origin;
  /** 0–1 for suggestions; 1 for the user's own choice. */
  confidence: number;
};

/** 待审核 → 已采用 (filed as the user's own filing) or 已退回 (with a comment; the department replaces it). */
export const REVIEW_STATES = ['pending', 'accepted', 'returned'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export type Evidence = {
  id: number;
  sha256: string;
  size: number;
  /** File name as received (for zip members: the member's base name). */
  originalName: string;
  /** Where it came from: a path, or "a.zip::dir/member.pdf". */
  source: string;
  format: FileFormat;
  type: EvidenceType;
  typeOrigin: Origin;
  typeConfidence: number;
  title: string;
  /**
   * Where the title comes from: the document's own text or properties, the file name, or the user. A title not
   * taken from the document is self-made and is printed in [square brackets] (GB/T 9705).
   */
  titleOrigin?: 'text' | 'embedded' | 'filename' | 'user';
  /** 文号 */
  docNumber?: string;
  /** 责任者 */
  issuer?: string;
  /** "YYYY-MM-DD" — 成文日期 / meeting date / photo date. */
  date?: string;
  dateOrigin?: 'text' | 'exif' | 'filename' | 'user';
  pages?: number;
  /** A PDF whose pages are images only (a scan). */
  scanned?: boolean;
  /** Where the text (search, 文号/日期/题名, type) came from; OCR text may contain misread characters. */
  textSource?: TextSource;
  /** Background OCR of a scan or image; absent or 'none' when the item needs none. */
  ocrState?: OcrState;
  /** 0–1, the engine's mean confidence per recognised character, when the text came from OCR. */
  ocrConfidence?: number;
  /** Why OCR failed (Chinese), when ocrState is 'failed'. */
  ocrError?: string;
  /** Team mode: where a department's submission stands in the office's review (absent for the office's own items). */
  reviewState?: ReviewState;
  /** Team mode: the department the item was submitted for. */
  department?: string;
  /** Team mode: the user who submitted it. */
  submittedBy?: string;
  /** The office's reason when it returned the item to the department. */
  reviewComment?: string;
  /** A returned item: the id of the department's later submission into the same requirement (review.list sets it). */
  replacedBy?: number;
  readability: Readability;
  /** Chinese reason when readability is not ok. */
  readError?: string;
  photo?: PhotoInfo;
  caption?: PhotoCaption;
  /**
   * Near-duplicate fingerprint: for images a 64-bit difference hash as 16 hex digits ("d:" prefix),
   * for documents a hash of the normalised text ("t:" prefix). Equal or close fingerprints = padding.
   */
  fingerprint?: string;
  /** Free note (备注). */
  note?: string;
  /** Printed copy instead of the original, etc. (备考表). */
  isCopy?: boolean;
  links: EvidenceLink[];
  importedAt: string;
  updatedAt: string;
};

/** A target's value in a workspace. */
export type TargetValue = {
  id: string;
  target: number | null;
  actual: number | null;
  /** Where the actual comes from: ledger name, evidence id … */
  source?: string;
};

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const FINDING_KINDS = [
  'missing-evidence',
  'too-few',
  'period-gap',
  'out-of-period',
  'missing-metadata',
  'missing-caption',
  'date-mismatch',
  'target-unmet',
  'target-missing',
  'figures-inconsistent',
  'unreadable',
  'duplicate',
  'unfiled',
  'ledger-invalid-id',
  'ledger-duplicate',
  'double-counted',
  'ledger-out-of-period',
  'ledger-total-mismatch',
  'figure-mismatch',
  'computed-differs',
  'ledger-cross-check',
  'rectification-overdue',
  'rectification-unproven',
  'review-pending',
  'overdue',
  'returned-submission',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** Evidence fields a missing-metadata finding names (keys, not labels: each output words them itself). */
export type MetadataField = 'docNumber' | 'issuer' | 'date' | 'title';
/** Parts of a photo caption (照片说明) a missing-caption finding names. */
export type CaptionPart = 'subject' | 'time' | 'place' | 'people';

/** What each kind of finding carries besides its sentences, typed so no output parses the Chinese back. */
export type FindingDetails = {
  'missing-evidence': { have: 0; need: number; min: number; period: Period; missing?: string[] };
  'too-few': { have: number; need: number; short: number; min: number; period: Period; missing?: string[] };
  'period-gap': { missing: string[]; covered: number; total: number; min: number; undated: number };
  'out-of-period': { date: string; datedBy: 'date' | 'takenAt'; periodStart: string; periodEnd: string; indicators: string[] };
  'missing-metadata': { missing: MetadataField[]; type: EvidenceType; indicators: string[] };
  'missing-caption': { missing: CaptionPart[]; indicators: string[] };
  'date-mismatch': { captionTime: string; takenAt: string; indicators: string[] };
  'target-unmet': { goal: number; actual: number; unit: string; comparison: Comparison; gap: number };
  'target-missing': { goal: number | null; actual: number | null; unit: string; comparison: Comparison };
  'figures-inconsistent':
    | { check: 'part-unit'; total: string; part: string; totalUnit: string; partUnit: string }
    | {
        check: 'sum';
        total: string;
        totalActual: number;
        parts: { id: string; label: string; actual: number | null }[];
        sum: number;
        difference: number;
        complete: boolean;
      }
    | { check: 'subtotal-unit'; total: string; subtotal: string; totalUnit: string; subtotalUnit: string }
    | { check: 'subtotal-exceeds'; total: string; subtotal: string; totalActual: number; subtotalActual: number };
  unreadable: { readability: Readability; readError: string | null; indicators: string[]; source: string };
  duplicate: { fingerprints: string[]; match: 'image' | 'text'; count: number };
  unfiled: { type: EvidenceType; source: string };
  'ledger-invalid-id': { ledger: string; sheet: string; rows: { row: number; field: string; problem: IdProblem }[] } & EnglishAction;
  'ledger-out-of-period': { ledger: string; sheet: string; rows: { row: number; date: LedgerValue }[] } & EnglishAction;
  'ledger-total-mismatch': { ledger: string; sheet: string; row: number; field: string; stated: number; sum: number } & EnglishAction;
  'ledger-duplicate': { ledger: string; rows: LedgerRowRef[] } & EnglishAction;
  'double-counted': { ledger: string; field: string; values: string[]; rows: LedgerRowRef[] } & EnglishAction;
  'ledger-cross-check': {
    ledger: string;
    other: string;
    mode: 'must-appear' | 'must-not-appear';
    sheet: string;
    row: number;
    otherRow: LedgerRowRef | null;
  } & EnglishAction;
  'computed-differs': { entered: number; computed: number; unit: string; formula: string } & EnglishAction;
  'figure-mismatch': { stated: number; expected: number; unit: string; basis: 'computed' | 'entered'; quote: string } & EnglishAction;
  'rectification-overdue': { item: number; text: string; due: string; department: string | null; source: string | null };
  'rectification-unproven': { item: number; text: string; status: string; department: string | null };
  /** Department submissions waiting for the office's review, filed (as submitted) under this requirement or none. */
  'review-pending': { count: number; departments: string[] };
  /** An owed item past its department's due date (the deadline that applies: requirement, indicator or department). */
  overdue: { department: string; indicator: string; requirement: string | null; due: string; daysLate: number; owed: string };
  /** A department's submission the office returned (已退回), with the office's reason: the department revises and uploads again. */
  'returned-submission': { department: string | null; comment: string | null; submittedBy: string | null } & EnglishAction;
};

/** A ledger row as a finding names it: the item, its sheet and the row number Excel shows. */
export type LedgerRowRef = { evidence: number; sheet: string; row: number };
/** Ledger findings word their action in English themselves (their sentences need the ledger's own names). */
type EnglishAction = { actionEn: string };

type FindingBase = {
  /** Stable across runs for the same problem: kind + indicator + requirement/target + evidence. */
  id: string;
  severity: Severity;
  indicator?: string;
  requirement?: string;
  target?: string;
  evidence?: number[];
  /** Lead department that owes the fix (from the indicator). */
  department?: string;
  /** What is wrong, in Chinese. */
  message: string;
  /** What to do about it, in Chinese. */
  action: string;
  messageEn?: string;
};

/** A finding of one kind, with that kind's detail. */
export type FindingOf<K extends FindingKind> = FindingBase & { kind: K; detail: FindingDetails[K] };

/** Any finding: a union by `kind`, so `switch (f.kind)` narrows `detail`. */
export type Finding = { [K in FindingKind]: FindingOf<K> }[FindingKind];

export type RequirementStatus = 'met' | 'partial' | 'missing';

export type RequirementResult = {
  requirement: string;
  indicator: string;
  status: RequirementStatus;
  /** Items that count towards the slot (readable, in period, right type). */
  evidence: number[];
  have: number;
  need: number;
  /** For periodic slots: every period key ("2019-03", "2019-Q2", "2019") with whether it is covered. */
  periods?: { key: string; covered: boolean }[];
  completeness: number;
  /** Department submissions filed here that wait for review (待审核): they do not count until accepted. */
  pending?: number;
};

export type IndicatorResult = {
  code: string;
  title: string;
  department?: string;
  status: RequirementStatus;
  completeness: number;
  requirements: RequirementResult[];
  findings: number;
};

export type CategoryResult = {
  code: string;
  title: string;
  completeness: number;
  indicators: IndicatorResult[];
};

export type DepartmentOwes = {
  department: string;
  items: { indicator: string; requirement?: string; target?: string; findingId: string; message: string }[];
  /** Owed items past their due date (always set by the analysis). */
  overdue?: number;
  /** The earliest due date of what it owes, when the office set one. */
  due?: string;
};

export type GapSummary = {
  completeness: number;
  counts: Record<Severity, number>;
  categories: CategoryResult[];
  departments: DepartmentOwes[];
};

export type GapReport = {
  summary: GapSummary;
  findings: Finding[];
};

/** A type guard for one kind of finding: `findings.filter(isFinding('period-gap'))` has typed details. */
export function isFinding<K extends FindingKind>(kind: K): (f: Finding) => f is Extract<Finding, { kind: K }> {
  return (f): f is Extract<Finding, { kind: K }> => f.kind === kind;
}

import type { CaptionPart, Comparison, Period, Readability, Severity } from './domain/types.js';
import type { RectificationStatus } from './rectification/types.js';

/**
 * One vocabulary for every output: the PDF, the DOCX, the XLSX, the workbench and the CLI take their words from
 * here, so a status or a severity can no longer read one way in the binder and another on screen.
 * Each entry carries the Chinese word (what the office prints) and the English one (the workbench's English mode).
 */
export type Words = { zh: string; en: string };

/** How far a requirement slot is filled. */
export type RequirementStatus = 'met' | 'partial' | 'missing';

export const REQUIREMENT_STATUS: Record<RequirementStatus, Words> = {
  met: { zh: '已齐全', en: 'Complete' },
  partial: { zh: '不全', en: 'Incomplete' },
  missing: { zh: '缺失', en: 'Missing' },
};

/** Severity labels, and the order in which findings are listed everywhere (most serious first). */
export const SEVERITY: Record<Severity, Words & { rank: number }> = {
  error: { zh: '错误', en: 'Error', rank: 0 },
  warning: { zh: '警告', en: 'Warning', rank: 1 },
  info: { zh: '提示', en: 'Note', rank: 2 },
};

export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY[a].rank - SEVERITY[b].rank;
}

/** How often a requirement recurs. */
export const PERIOD: Record<Period, Words> = {
  once: { zh: '一次', en: 'Once' },
  yearly: { zh: '每年', en: 'Yearly' },
  quarterly: { zh: '每季度', en: 'Quarterly' },
  monthly: { zh: '每月', en: 'Monthly' },
  'per-event': { zh: '每次活动', en: 'Per event' },
};

/** Why a stored file cannot be read, and what the user should do about it. */
export const UNREADABLE: Record<Exclude<Readability, 'ok'>, Words & { fix: Words }> = {
  encrypted: {
    zh: '文件已加密',
    en: 'The file is password-protected',
    fix: {
      zh: '请向提供单位索取未加密的文件（或去除打开密码后另存），再重新导入。',
      en: 'Ask the department for an unprotected copy (or remove the password and save again), then import it again.',
    },
  },
  corrupt: {
    zh: '文件已损坏',
    en: 'The file is damaged',
    fix: { zh: '请向提供单位重新索取原件，或重新扫描后导入。', en: 'Ask the department for the original again, or scan it again, and import it.' },
  },
  empty: {
    zh: '文件为空',
    en: 'The file is empty',
    fix: { zh: '请向提供单位重新索取完整的文件后导入。', en: 'Ask the department for the complete file and import it.' },
  },
  complex: {
    zh: '文件结构过于复杂',
    en: 'The file is too complex to read',
    fix: { zh: '请用原软件打开后另存（或打印）为 PDF，再重新导入。', en: 'Open it in the program that made it, save or print it as PDF, and import that.' },
  },
  unsupported: {
    zh: '文件格式不受支持',
    en: 'The file format is not supported',
    fix: { zh: '请另存为 PDF、Word、Excel 或 JPG 等常见格式后重新导入。', en: 'Save it as PDF, Word, Excel or JPG and import it again.' },
  },
};

export const COMPARISON: Record<Comparison, Words> = {
  '>=': { zh: '不少于', en: 'at least' },
  '<=': { zh: '不超过', en: 'at most' },
  '=': { zh: '等于', en: 'exactly' },
};

const MONEY_UNITS = new Set(['元', '万元', '亿元']);

/** Money is kept in 万元 with 2 decimals, so half a unit of the last digit is rounding, not a discrepancy. */
export function targetTolerance(unit: string): number {
  return MONEY_UNITS.has(unit) ? 0.005 : 1e-9;
}

/**
 * The one rule for "target met", used by the gap rules, the binder plan and the workbench: null while the goal or
 * the actual figure is missing (待填写, never 完成).
 */
export function targetMet(actual: number | null | undefined, comparison: Comparison, goal: number | null | undefined, unit: string): boolean | null {
  if (goal == null || actual == null) return null;
  const tol = targetTolerance(unit);
  if (comparison === '>=') return actual >= goal - tol;
  if (comparison === '<=') return actual <= goal + tol;
  return Math.abs(actual - goal) <= tol;
}

/** Names of the evidence fields a person edits (EvidencePatch keys), for warnings about a batch edit. */
const EVIDENCE_FIELD: Record<string, Words> = {
  type: { zh: '类型', en: 'type' },
  title: { zh: '题名', en: 'title' },
  docNumber: { zh: '文号', en: 'document number' },
  issuer: { zh: '责任者', en: 'issuer' },
  date: { zh: '日期', en: 'date' },
  caption: { zh: '照片说明', en: 'caption' },
  note: { zh: '备注', en: 'note' },
  isCopy: { zh: '复印件标记', en: 'copy mark' },
};

/** A field's name in the user's language (“日期” / “date”). */
export function fieldName(field: string, lang: 'zh' | 'en'): string {
  return EVIDENCE_FIELD[field]?.[lang] ?? field;
}

/** Parts of a photo caption (照片说明), as DA/T 50 names them. */
export const CAPTION_PART: Record<CaptionPart, Words> = {
  subject: { zh: '事由', en: 'subject' },
  time: { zh: '时间', en: 'time' },
  place: { zh: '地点', en: 'place' },
  people: { zh: '人物', en: 'people' },
};

/** A target's state against its goal: met, unmet, or not decidable yet because a figure is missing (never 完成). */
export type TargetState = 'met' | 'unmet' | 'pending';

export const TARGET_STATE: Record<TargetState, Words> = {
  met: { zh: '已完成', en: 'Met' },
  unmet: { zh: '未完成', en: 'Unmet' },
  pending: { zh: '待填写', en: 'To fill in' },
};

/** targetMet's answer as a state word key. */
export function targetState(met: boolean | null): TargetState {
  return met === null ? 'pending' : met ? 'met' : 'unmet';
}

/** 整改 status: open → rectified (evidence filed) → verified (销号 by whoever found the problem). */
export const RECTIFICATION_STATUS: Record<RectificationStatus, Words> = {
  open: { zh: '未整改', en: 'Open' },
  rectified: { zh: '已整改', en: 'Rectified' },
  verified: { zh: '已销号', en: 'Verified' },
};

/** Column heads of the 整改台账, printed in the review binder and the DOCX, and shown in the 整改清单 screen. */
export const RECTIFICATION_COLUMNS = {
  seq: { zh: '序号', en: 'No.' },
  text: { zh: '问题', en: 'Problem' },
  source: { zh: '来源', en: 'Source' },
  indicator: { zh: '指标', en: 'Indicator' },
  department: { zh: '责任单位', en: 'Responsible' },
  due: { zh: '时限', en: 'Due' },
  status: { zh: '状态', en: 'Status' },
  evidence: { zh: '佐证', en: 'Evidence' },
} as const satisfies Record<string, Words>;

import type { CaptionPart, Comparison, Period, Readability, ReviewState, Severity } from './domain/types.js';
import type { ErrorCode } from './errors.js';
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

/** Where a department's submission stands in the office's review (items the office stored itself have none). */
export const REVIEW_STATE: Record<ReviewState, Words> = {
  pending: { zh: '待审核', en: 'Awaiting review' },
  accepted: { zh: '已通过', en: 'Accepted' },
  returned: { zh: '已退回', en: 'Returned' },
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

/**
 * What each kind of failure means, for the workbench's English mode (the backend's own sentences are Chinese and
 * more specific; English shows the sentence for the error's code).
 */
export const ERROR_TEXT: Record<ErrorCode, Words> = {
  usage: { zh: '输入的内容不正确，请检查后重试。', en: 'A value you entered is not valid; check it and try again.' },
  'invalid-input': { zh: '请求的内容不完整或格式不正确。', en: 'The request was incomplete or malformed.' },
  'unknown-method': { zh: '程序版本不一致：后台不认识这项操作，请重新启动程序。', en: 'Program versions differ: the backend does not know this action; restart the program.' },
  'not-found': { zh: '找不到要操作的对象，可能已被删除。', en: 'Not found; it may have been deleted.' },
  exists: { zh: '已经存在，未覆盖。', en: 'It already exists and was not overwritten.' },
  'not-empty': { zh: '所选文件夹不是空的，请选择空文件夹或新文件夹。', en: 'The chosen folder is not empty; choose an empty or new folder.' },
  corrupt: { zh: '文件或数据已损坏。', en: 'The file or data is damaged.' },
  framework: { zh: '考核框架文件有误。', en: 'The assessment framework file is invalid.' },
  'newer-version': { zh: '该工作区由更新版本的程序创建，未作任何修改；请升级程序后再打开。', en: 'This workspace was made by a newer version of the program and was left untouched; update the program to open it.' },
  'database-unreachable': { zh: '无法连接存放著录数据的数据库服务器，未作任何修改。', en: 'The database server that holds the workspace cannot be reached; nothing was changed.' },
  'no-workspace': { zh: '请先新建或打开一个工作区。', en: 'Create or open a workspace first.' },
  cancelled: { zh: '已取消。', en: 'Cancelled.' },
  'team-only': { zh: '这项操作只在团队服务器上可用。', en: 'This is available on a team server only.' },
  'kit-refused': { zh: '收集包未通过校验，未导入任何文件。', en: 'The collection kit failed its check; nothing was imported.' },
  internal: { zh: '程序内部出错，请重试；如果反复出现，请把出错前的操作告诉技术支持。', en: 'An internal error occurred; try again, and if it recurs, tell support what you did before it.' },
  'bad-json': { zh: '收到的数据格式不正确。', en: 'The data received was malformed.' },
  'workspace-changed': { zh: '另一个窗口切换了工作区，本页已重新载入当前工作区。', en: 'Another window switched the workspace; this page now shows the current one.' },
  'too-large': { zh: '内容过大，未处理。', en: 'Too large; not processed.' },
  http: { zh: '与后台通信失败。', en: 'Talking to the backend failed.' },
  offline: { zh: '无法连接后台：程序是否已关闭？请重新启动程序。', en: 'Cannot reach the backend: was the program closed? Start it again.' },
  unauthorized: { zh: '访问凭据已失效，请从程序重新打开工作台。', en: 'The access token is no longer valid; open the workbench again from the program.' },
  forbidden: { zh: '不允许此操作。', en: 'This is not allowed.' },
  locked: { zh: '密码错误次数过多，账号暂时锁定。', en: 'Too many wrong passwords: the account is locked for a while.' },
  'bad-response': { zh: '后台的回答无法理解，请重新启动程序。', en: 'The backend’s answer could not be understood; restart the program.' },
  ipc: { zh: '与后台通信失败，请重新启动程序。', en: 'Talking to the backend failed; restart the program.' },
  backend: { zh: '后台没有响应，请重新启动程序。', en: 'The backend did not answer; restart the program.' },
};

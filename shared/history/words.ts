import { EVIDENCE_TYPE_LABELS } from '../domain/types.js';
import { phrasebook } from '../phrasebook.js';
import type { Words } from '../vocabulary.js';

/**
 * History lines and undo notices in both languages. The backend writes the Chinese (history list, 撤销's tooltip,
 * the notice after an undo); the workbench in English mode takes the line back to its parts (`explainHistory`).
 */
const HISTORY_LINES = {
  undone: { zh: '已撤销：{what}', en: 'Undone: {what}' },
  'marked-undone': { zh: '{line}（已撤销）', en: '{line} (undone)' },
  import: { zh: '导入 {source}', en: 'Imported {source}' },
  link: { zh: '材料 {id} 归入指标 {indicator}', en: 'Item {id} filed under {indicator}' },
  unlink: { zh: '材料 {id} 移出指标 {indicator}', en: 'Item {id} removed from {indicator}' },
  'update-type': { zh: '材料 {id} 修改 {fields}，类型改为 {type}', en: 'Item {id}: changed {fields}; type now {type}' },
  update: { zh: '材料 {id} 修改 {fields}', en: 'Item {id}: changed {fields}' },
  accept: { zh: '材料 {id} 确认建议的分类', en: 'Item {id}: suggested filing accepted' },
  reclassify: { zh: '材料 {id} 重新建议分类', en: 'Item {id}: filing suggested again' },
  delete: { zh: '材料 {id} 删除到回收站', en: 'Item {id} moved to the trash' },
  restore: { zh: '材料 {id} 从回收站恢复', en: 'Item {id} restored from the trash' },
  targets: { zh: '修改目标 {id}', en: 'Target {id} changed' },
  settings: { zh: '修改工作区设置', en: 'Workspace settings changed' },
  create: { zh: '新建工作区', en: 'Workspace created' },
  'rectify-add': { zh: '新增整改事项 {item}', en: 'Rectification item {item} added' },
  'rectify-close': { zh: '整改完成：整改事项 {item}', en: 'Rectification item {item} marked rectified' },
  'rectify-verify': { zh: '销号：整改事项 {item}', en: 'Rectification item {item} verified' },
  'rectify-edit': { zh: '修改整改事项 {item}', en: 'Rectification item {item} edited' },
  'review-accept': { zh: '材料 {id} 审核通过', en: 'Item {id} accepted in review' },
  'review-return': { zh: '材料 {id} 退回报送单位', en: 'Item {id} returned to its department' },
  deadline: { zh: '报送期限：{who} 至 {due}', en: 'Due date: {who} by {due}' },
  'deadline-clear': { zh: '取消报送期限：{who}', en: 'Due date removed: {who}' },
  kit: { zh: '为 {department} 生成收集包 {kit}', en: 'Collection kit {kit} made for {department}' },
  'ledger-map': { zh: '材料 {id} 工作表“{sheet}”人工指定为{kind}', en: 'Item {id}: sheet “{sheet}” mapped by hand as {kind}' },
  'batch-items': { zh: '{n} 份材料的{actions}', en: '{actions} of {n} items' },
  'batch-entries': { zh: '{n} 项{actions}', en: '{actions} ({n} entries)' },
} as const satisfies Record<string, Words>;

export type HistoryLine = keyof typeof HISTORY_LINES;
export const historyLines = phrasebook<HistoryLine>(HISTORY_LINES);

/** Readable names of stored columns, for history lines. */
export const COLUMN_WORDS: Record<string, Words> = {
  type: { zh: '类型', en: 'type' },
  type_origin: { zh: '类型来源', en: 'type source' },
  type_confidence: { zh: '类型置信度', en: 'type confidence' },
  title: { zh: '题名', en: 'title' },
  title_origin: { zh: '题名来源', en: 'title source' },
  doc_number: { zh: '文号', en: 'document number' },
  issuer: { zh: '责任者', en: 'issuer' },
  date: { zh: '日期', en: 'date' },
  date_origin: { zh: '日期来源', en: 'date source' },
  caption: { zh: '照片说明', en: 'caption' },
  note: { zh: '备注', en: 'note' },
  is_copy: { zh: '复印件', en: 'copy mark' },
  user_fields: { zh: '人工确认项', en: 'confirmed fields' },
  review_state: { zh: '审核状态', en: 'review state' },
  review_comment: { zh: '退回意见', en: 'return comment' },
};

/** One verb per recorded action, for a batch ("5 份材料的修改"). */
export const ACTION_WORDS: Record<string, Words> = {
  import: { zh: '导入', en: 'import' },
  link: { zh: '归入指标', en: 'filing' },
  unlink: { zh: '移出指标', en: 'unfiling' },
  update: { zh: '修改', en: 'edit' },
  accept: { zh: '确认建议', en: 'acceptance' },
  reclassify: { zh: '重新建议分类', en: 're-suggestion' },
  delete: { zh: '删除', en: 'deletion' },
  restore: { zh: '从回收站恢复', en: 'restore' },
  targets: { zh: '修改目标', en: 'target change' },
  settings: { zh: '修改设置', en: 'settings change' },
  'rectify-add': { zh: '新增整改事项', en: 'rectification item added' },
  'rectify-change': { zh: '修改整改事项', en: 'rectification item change' },
  'review-accept': { zh: '审核通过', en: 'review acceptance' },
  'review-return': { zh: '退回', en: 'return' },
  deadline: { zh: '设置报送期限', en: 'due date change' },
  kit: { zh: '生成收集包', en: 'collection kit' },
  'ledger-map': { zh: '指定台账列', en: 'ledger mapping' },
};

/** A list joined the Chinese way (、), and its English. */
const LIST_SEP = { zh: '、', en: ', ' } as const;

function translateList(list: string, words: readonly Words[]): string {
  return list
    .split(LIST_SEP.zh)
    .map((part) => words.find((w) => w.zh === part)?.en ?? part)
    .join(LIST_SEP.en);
}

export function joinWords(parts: string[]): string {
  return parts.join(LIST_SEP.zh);
}

/** A history line, undo notice or 撤销 tooltip in the reader's language (a line from elsewhere stays as it is). */
export function explainHistory(text: string, lang: 'zh' | 'en'): string {
  if (lang === 'zh') return text;
  const parsed = historyLines.parse(text);
  if (!parsed) return text;
  const p: Record<string, string> = { ...parsed.params };
  if (p.what !== undefined) p.what = explainHistory(p.what, lang);
  if (p.line !== undefined) p.line = explainHistory(p.line, lang);
  if (p.fields !== undefined) p.fields = translateList(p.fields, Object.values(COLUMN_WORDS));
  if (p.actions !== undefined) p.actions = translateList(p.actions, Object.values(ACTION_WORDS));
  if (p.type !== undefined) p.type = Object.values(EVIDENCE_TYPE_LABELS).find((w) => w.zh === p.type)?.en ?? p.type;
  return historyLines.en(parsed.code, p);
}

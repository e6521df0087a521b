import { EVIDENCE_TYPE_LABELS, type EvidenceType } from '../../../shared/domain/types.js';
import type { HistoryEvent } from '../db/history.js';

/** Readable names of stored columns, for history lines. */
const COLUMN_LABELS: Record<string, string> = {
  type: '类型',
  type_origin: '类型来源',
  type_confidence: '类型置信度',
  title: '题名',
  title_origin: '题名来源',
  doc_number: '文号',
  issuer: '责任者',
  date: '日期',
  date_origin: '日期来源',
  caption: '照片说明',
  note: '备注',
  is_copy: '复印件',
  user_fields: '人工确认项',
};

/** The fields a person changed (origins and bookkeeping columns follow from them and are not listed). */
function changedFields(changes: Record<string, unknown>): string {
  const shown = Object.keys(changes)
    .filter((c) => !c.endsWith('_origin') && c !== 'type_confidence' && c !== 'user_fields')
    .map((c) => COLUMN_LABELS[c] ?? c);
  return shown.join('、');
}

function typeLabel(type: unknown): string {
  return EVIDENCE_TYPE_LABELS[type as EvidenceType]?.zh ?? String(type);
}

/** One readable Chinese line for a history event. */
export function describeEvent(event: HistoryEvent): string {
  const who = 'evidenceId' in event ? `材料 ${event.evidenceId}` : '';
  switch (event.action) {
    case 'import':
      return `导入 ${event.source}`;
    case 'link':
      return `${who} 归入指标 ${event.indicator}`;
    case 'unlink':
      return `${who} 移出指标 ${event.indicator}`;
    case 'update': {
      const type = event.changes.type ? `，类型改为 ${typeLabel(event.changes.type[1])}` : '';
      return `${who} 修改 ${changedFields(event.changes)}${type}`;
    }
    case 'accept':
      return `${who} 确认建议的分类`;
    case 'reclassify':
      return `${who} 重新建议分类`;
    case 'delete':
      return `${who} 删除到回收站`;
    case 'restore':
      return `${who} 从回收站恢复`;
    case 'targets':
      return `修改目标 ${event.id}`;
    case 'settings':
      return event.before ? '修改工作区设置' : '新建工作区';
    case 'rectify-add':
      return `新增整改事项 ${event.itemId}`;
    case 'rectify-change':
      return `${RECTIFY_VERBS[event.change]}整改事项 ${event.itemId}`;
  }
}

const ACTION_VERBS: Record<HistoryEvent['action'], string> = {
  import: '导入',
  link: '归入指标',
  unlink: '移出指标',
  update: '修改',
  accept: '确认建议',
  reclassify: '重新建议分类',
  delete: '删除',
  restore: '从回收站恢复',
  targets: '修改目标',
  settings: '修改设置',
  'rectify-add': '新增整改事项',
  'rectify-change': '修改整改事项',
};

const RECTIFY_VERBS = { close: '整改完成：', verify: '销号：', edit: '修改' } as const;

/** One user action (a history batch) in one line: the single event itself, or "N 份材料的<动作>". */
export function describeBatch(events: HistoryEvent[]): string {
  if (events.length === 1) return describeEvent(events[0]);
  const actions = [...new Set(events.map((e) => ACTION_VERBS[e.action]))].join('、');
  const items = new Set(events.flatMap((e) => ('evidenceId' in e ? [e.evidenceId] : [])));
  return items.size ? `${items.size} 份材料的${actions}` : `${events.length} 项${actions}`;
}

/** What one undo reverted, in one line. */
export function describeUndo(events: HistoryEvent[]): string {
  return `已撤销：${describeBatch(events)}`;
}

/**
 * What one undo reverts: one user action, whatever its size (a batch edit of 200 items is one entry). The
 * backend returns this summary and both languages are rendered from it, so the notice and the 撤销 tooltip say
 * the same thing in Chinese and English.
 */
export type UndoSummary = {
  action: 'link' | 'unlink' | 'update' | 'delete';
  /** Items the action touched. */
  count: number;
  /** The item, when there was only one. */
  evidenceId?: number;
  indicator?: string;
  /** Changed fields of an update (EvidencePatch keys). */
  fields?: string[];
};

const FIELD_NAMES: Record<string, { zh: string; en: string }> = {
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
  return FIELD_NAMES[field]?.[lang] ?? field;
}

function items(summary: UndoSummary, lang: 'zh' | 'en'): string {
  if (lang === 'zh') return summary.count === 1 && summary.evidenceId ? `材料 ${summary.evidenceId}` : `${summary.count} 件材料`;
  if (summary.count === 1) return summary.evidenceId ? `item ${summary.evidenceId}` : '1 item';
  return `${summary.count} items`;
}

/** The action in words, e.g. “删除 200 件材料” / “deleting 200 items”. */
export function describeAction(summary: UndoSummary, lang: 'zh' | 'en'): string {
  const who = items(summary, lang);
  // Chinese spacing as elsewhere in the app: a space between a number and a Han character, none otherwise.
  const sep = /\d$/.test(who) ? ' ' : '';
  const fields = (summary.fields ?? []).map((f) => fieldName(f, lang));
  switch (summary.action) {
    case 'delete':
      return lang === 'zh' ? `删除${/^\d/.test(who) ? ' ' : ''}${who}` : `deleting ${who}`;
    case 'link':
      return lang === 'zh' ? `${who}${sep}归入指标 ${summary.indicator ?? ''}` : `filing ${who} under ${summary.indicator ?? ''}`;
    case 'unlink':
      return lang === 'zh' ? `${who}${sep}移出指标 ${summary.indicator ?? ''}` : `removing ${who} from ${summary.indicator ?? ''}`;
    case 'update':
      return lang === 'zh'
        ? `${who}${sep}的${fields.length ? fields.join('、') : ''}修改`
        : `the ${fields.length ? `${fields.join(', ')} ` : ''}change to ${who}`;
  }
}

/** The notice after an undo: “已撤销：删除 200 件材料” / “Undone: deleting 200 items”. */
export function describeUndone(summary: UndoSummary, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? `已撤销：${describeAction(summary, 'zh')}` : `Undone: ${describeAction(summary, 'en')}`;
}

/**
 * Build warnings are structured where they arise ({volume, item, kind, message, params}) and turned into a line
 * of text here only, so the CLI, the build screen and the tests print them the same way — in Chinese from the
 * message, in English from the kind and its params.
 */
import { explainReason } from '../intake/reasons.js';
import type { BuildWarning, BuildWarningKind } from './types.js';

export type WarningParams = Record<string, string | number>;

export function buildWarning(
  kind: BuildWarningKind,
  message: string,
  where: { volume?: string | null; item?: string | null } = {},
  params?: WarningParams,
): BuildWarning {
  return { volume: where.volume ?? null, item: where.item ?? null, kind, message, ...(params ? { params } : {}) };
}

const s = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v) || 0);

/** English for one warning; names from the framework or the items (卷, 《题名》) stay as written, in quotes. */
function englishWarning(w: BuildWarning): string {
  const p = w.params ?? {};
  const item = w.item ? (w.item.startsWith('《') ? `“${w.item.slice(1, -1)}”` : `Item ${w.item}`) : 'An item';
  switch (w.kind) {
    case 'unconfirmed':
      return `${s(num(p.n), 'item')} filed only by suggestion, not confirmed: left out of the submission edition. Confirm them in Evidence → To confirm and build again.`;
    case 'awaiting-review':
      return `${s(num(p.n), 'department submission')} not accepted in review: left out of the submission edition. Accept them in Review and build again.`;
    case 'unfiled':
      return `${s(num(p.n), 'item')} not filed under any indicator: not bound. Choose an indicator for them in Evidence.`;
    case 'out-of-period':
      return `${item} is dated ${String(p.date ?? '')}, outside the assessment period (${String(p.start ?? '')} to ${String(p.end ?? '')}): left out of the submission edition. If the date is wrong, correct it in Evidence and build again.`;
    case 'duplicate':
      return `${item} has the same or nearly the same content as another item: bound once, listed as “see also” elsewhere. If they differ, check them in Evidence.`;
    case 'unreadable':
      return `${item} cannot be bound${p.reason ? ` (${explainReason(String(p.reason), 'en')})` : ''}: ${w.volume ? 'a note page stands in its place' : 'left out of the submission edition'}.`;
    case 'empty-slot':
      return `${s(num(p.n), 'required slot')} of this volume bind nothing in the submission edition${p.slots ? `: ${String(p.slots)}` : ''}. Confirm or file evidence in Evidence and build again.`;
    case 'filename-title':
      return `${item}’s title comes from its file name; the submission edition uses the photo’s subject or the requirement’s name instead. Fill in the title in Evidence.`;
    case 'conversion':
      return p.n !== undefined
        ? `LibreOffice was not found: ${s(num(p.n), 'Office file')} cannot be converted to PDF and get a note page instead. Install LibreOffice, or save them as PDF in WPS/Word and import them again.`
        : `${item} could not be converted to PDF; a note page stands in its place.`;
    case 'photo':
      return `${item}: the picture could not be placed; save it as JPG in a picture viewer, delete this item in Evidence and import it again.`;
    case 'scaled':
      return `${item} was larger than A4 and was shrunk to fit; print it and check that it is still legible.`;
    case 'personal-data':
      return w.messageEn ?? w.message;
    case 'docx-toc-estimated':
      return `The page numbers in the table of contents of the DOCX (${p.edition === 'review' ? 'review' : 'submission'} edition) are estimates (${p.cause === 'missing' ? 'LibreOffice was not found' : 'LibreOffice could not lay the document out'}): Word and WPS update them when the file is opened; elsewhere, update the table of contents before printing.`;
  }
}

/** "第2卷 组织领导：第0004件《…》无法装订：…" — the volume once, then the message (which names the 件). */
export function formatWarning(w: BuildWarning, lang: 'zh' | 'en' = 'zh'): string {
  if (lang === 'en') return w.volume ? `“${w.volume}”: ${englishWarning(w)}` : englishWarning(w);
  return w.volume ? `${w.volume}：${w.message}` : w.message;
}

/**
 * Personal data in the submission edition (domain.md §4): ID and mobile numbers are masked unless the office
 * turns masking off; originals that are pictures of text (scans, photos, PDFs, old .doc/.xls) cannot be masked.
 */
export const PERSONAL_DATA_WARNINGS = {
  unmasked: {
    zh: '本次报送版未遮盖个人信息（已选择不遮盖）：汇编、目录和提交包中的身份证号、手机号均为完整号码。仅可用于已说明用途的报送，请妥善保管，勿外传。',
    en: 'Personal data was not masked in this submission edition (masking turned off): the binders, catalogue and package hold full ID and mobile numbers. Use it only for the stated purpose and keep it safe.',
  },
  cannotMask: (item: string) => ({
    zh: `《${item}》的内容含有身份证号，但该原件（PDF、图片或旧版 Office 文件）无法自动遮盖。请提供遮盖后的版本重新导入，或确认可以报送。`,
    en: `"${item}" shows an ID number, but this original (a PDF, an image or an old Office file) cannot be masked automatically. Import a masked copy, or confirm that it may be submitted.`,
  }),
  copyFailed: (item: string) => ({
    zh: `《${item}》无法生成遮盖个人信息的副本，已从提交包中略去原件。请用 WPS 或 Excel 打开检查后重新导入。`,
    en: `No masked copy of "${item}" could be made, so its original was left out of the package. Open it in WPS or Excel to check it, and import it again.`,
  }),
} as const;

export function personalDataWarning(words: { zh: string; en: string }, where: { volume?: string | null; item?: string | null } = {}): BuildWarning {
  return { ...buildWarning('personal-data', words.zh, where), messageEn: words.en };
}

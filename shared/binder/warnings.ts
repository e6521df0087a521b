/**
 * Build warnings are structured where they arise ({volume, item, kind, message}) and turned into a line of
 * text here only, so the CLI, the build screen and the tests print them the same way.
 */
import type { BuildWarning, BuildWarningKind } from './types.js';

export function buildWarning(kind: BuildWarningKind, message: string, where: { volume?: string | null; item?: string | null } = {}): BuildWarning {
  return { volume: where.volume ?? null, item: where.item ?? null, kind, message };
}

/** "第2卷 组织领导：第0004件《…》无法装订：…" — the volume once, then the message (which names the 件). */
export function formatWarning(w: BuildWarning): string {
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

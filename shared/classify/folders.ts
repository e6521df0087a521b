import { EVIDENCE_TYPE_LABELS, EVIDENCE_TYPES, type EvidenceType, type Framework } from '../domain/types.js';

/**
 * Folder hints. Departments hand in their material sorted into folders named after the assessment's categories,
 * indicators or kinds of evidence ("01组织领导/照片/", "5.2转移就业/台账/"). A folder whose name matches one of
 * these says where its files belong — most of all for photos, which carry no text. Pure.
 */

/** The nearest folders carry the meaning; those further up are the user's own tree (桌面, 2019年材料 …). */
const MAX_FOLDERS = 4;

/**
 * Folder names of a source path, nearest last: "D:\\材料\\01组织领导\\照片\\IMG_1.jpg" → [材料, 01组织领导, 照片];
 * a zip member "…/报送.zip::02人才交流/挂职/a.pdf" gives the folders inside the archive after the archive's own.
 */
export function folderNamesOf(source: string): string[] {
  const parts = source.split(/::|[\\/]/).map((p) => p.trim());
  parts.pop(); // the file itself
  return parts
    .map((p) => p.replace(/\.zip$/i, ''))
    .filter((p) => p && !/^[A-Za-z]:$/.test(p) && p !== '.' && p !== '..')
    .slice(-MAX_FOLDERS);
}

/** "01组织领导", "（一）组织领导", "第一部分 组织领导", "1-组织领导" → "组织领导". */
export function folderStem(name: string): string {
  return name
    .replace(/^第[一二三四五六七八九十\d]+(部分|类|项)\s*/, '')
    .replace(/^[（(]?[一二三四五六七八九十]+[)）、.]\s*/, '')
    .replace(/^[\d.]+(?=[^\d.])/, '')
    .replace(/^[\s_\-－、.)）]+/, '')
    .replace(/\s+/g, '');
}

/** Words a folder of each kind of evidence is named with, besides the type's own label. */
const TYPE_FOLDER_WORDS: Record<EvidenceType, string[]> = {
  'official-document': ['正式文件', '红头文件', '文件'],
  minutes: ['会议纪要', '纪要', '会议记录', '签到表'],
  plan: ['方案', '计划', '工作方案'],
  agreement: ['协议', '合同', '协议书', '框架协议'],
  letter: ['函件', '对接函', '函'],
  appointment: ['任职文件', '挂职文件', '任免文件'],
  ledger: ['台账', '统计表'],
  roster: ['名册', '花名册', '名单'],
  photo: ['照片', '图片', '相片', '影像资料', '图片资料'],
  news: ['新闻报道', '新闻', '报道', '媒体报道', '宣传报道'],
  voucher: ['财务凭证', '凭证', '票据', '发票', '银行回单'],
  acceptance: ['验收', '验收报告', '审计报告'],
  notice: ['公告', '公示'],
  certificate: ['证明', '证明材料', '证书'],
  report: ['总结', '总结报告', '工作总结', '报告'],
  other: [],
};

export type FolderHints = {
  /** Indicator code → how strongly the folders point at it (1 = the indicator itself, less for its category). */
  indicators: Map<string, number>;
  /** Evidence types named by a folder. */
  types: EvidenceType[];
};

const CATEGORY_WEIGHT = 0.5;

function sameOrContains(stem: string, title: string): boolean {
  const t = title.replace(/\s+/g, '');
  if (!t || !stem) return false;
  if (stem === t) return true;
  // A folder "转移就业台账" names 转移就业; one "就业" is too short to name 5.2 on its own.
  return t.length >= 3 && stem.includes(t);
}

/** Which indicators, categories and evidence types the folder names match. Empty for a flat drop. */
export function matchFolders(folders: readonly string[], framework: Framework): FolderHints {
  const indicators = new Map<string, number>();
  const types = new Set<EvidenceType>();
  const raise = (code: string, weight: number) => indicators.set(code, Math.max(indicators.get(code) ?? 0, weight));
  for (const folder of folders) {
    const stem = folderStem(folder);
    if (!stem) continue;
    // "1.2领导小组" or "1.2": the indicator code written in front of the name.
    const code = /^(\d+\.\d+)(?!\d)/.exec(folder.replace(/^\s+/, ''))?.[1];
    for (const category of framework.categories) {
      const byCategory = sameOrContains(stem, category.title);
      for (const indicator of category.indicators) {
        if (code === indicator.code || sameOrContains(stem, indicator.title)) raise(indicator.code, 1);
        else if (byCategory) raise(indicator.code, CATEGORY_WEIGHT);
      }
    }
    for (const type of EVIDENCE_TYPES) {
      const words = [EVIDENCE_TYPE_LABELS[type].zh, ...TYPE_FOLDER_WORDS[type]];
      if (words.some((w) => stem === w || (w.length >= 2 && stem.endsWith(w) && stem.length <= w.length + 4))) types.add(type);
    }
  }
  // A folder named after an indicator is more specific than one named after its category ("05劳务协作/5.2转移就业/"):
  // then the category does not pull in the indicator's siblings.
  if ([...indicators.values()].some((w) => w === 1)) for (const [code, w] of indicators) if (w < 1) indicators.delete(code);
  return { indicators, types: [...types] };
}

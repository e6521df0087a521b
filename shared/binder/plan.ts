/**
 * buildBinderPlan: decides everything about a binder — volumes, order, 件号/档号, catalogue rows,
 * cross-references, photo pages, what is missing — purely and deterministically (same input ⇒ same plan).
 * Renderers only draw what the plan says. Conventions: shared/domain.md §4.
 */
import {
  ARCHIVAL_RANK,
  IMAGE_FORMATS,
  OFFICE_FORMATS,
  type Category,
  type Evidence,
  type EvidenceLink,
  type Framework,
  type GapReport,
  type Indicator,
  type IndicatorResult,
  type Severity,
  type TargetValue,
  type WorkspaceSettings,
} from '../domain/types.js';
import { evidenceDate, isInPeriod, makePeriod } from '../gaps/periods.js';
import { awaitsReview } from '../gaps/review.js';
import type {
  BinderBlock,
  BinderEdition,
  BinderItem,
  BinderOptions,
  BinderPlan,
  BinderSection,
  BinderVolume,
  BuildWarning,
  BuildWarningKind,
  CrossReference,
  DividerFinding,
  DividerRequirement,
  DividerSource,
  DividerTarget,
  ItemRender,
  PhotoCaptionLines,
} from './types.js';
import { REQUIREMENT_STATUS, targetMet } from '../vocabulary.js';

import { buildWarning, type WarningParams } from './warnings.js';

export type * from './types.js';
export { layoutVolume } from './layout.js';
export { formatWarning } from './warnings.js';

/** Pages assumed for a document whose page count is unknown until conversion (only for volume splitting). */
const UNKNOWN_DOCUMENT_PAGES = 2;
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
/** DA/T 22: 保管期限 30 年 = D30; 门类 文书 = WS. */
const RETENTION = 'D30';
const DEFAULT_ORG_CODE = 'XZB';

export function formatItemNumber(n: number): string {
  return String(n).padStart(4, '0');
}

/** "2019-03-05" → "20190305" (DA/T 22 日期 form); a month-precision "2024-12" → "20241200" (unknown day as 00). */
export function compactDate(date: string | undefined): string | undefined {
  if (!date) return undefined;
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(date);
  return m ? `${m[1]}${m[2]}${m[3] ?? '00'}` : undefined;
}

function stripExtension(name: string): string {
  const base = name.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

function bracket(title: string): string {
  return /^\[.*\]$/.test(title) ? title : `[${title}]`;
}

const PLACEHOLDER_FIX =
  '请取得可读的原件（去掉密码或重新扫描为 PDF），在“材料”中删除此件后重新导入。';

function renderFor(e: Evidence): ItemRender {
  if (e.readability !== 'ok') {
    const reasons: Record<Exclude<Evidence['readability'], 'ok'>, string> = {
      encrypted: '文件已加密（有密码），无法装订。',
      corrupt: '文件已损坏，无法打开。',
      unsupported: '文件格式不支持，无法装订。',
      empty: '文件为空。',
      complex: '文件结构过于复杂，无法读取。',
    };
    return { kind: 'placeholder', reason: e.readError ?? reasons[e.readability], fix: PLACEHOLDER_FIX };
  }
  if (e.format === 'pdf') return { kind: 'pdf' };
  // Spreadsheets we can read ourselves are printed as tables, not through LibreOffice's default print.
  if (e.format === 'xlsx' || e.format === 'xls' || e.format === 'et' || e.format === 'ods') return { kind: 'table', source: e.format };
  if (e.format === 'txt' && /\.csv$/i.test(e.originalName)) return { kind: 'table', source: 'csv' };
  if (OFFICE_FORMATS.includes(e.format)) return { kind: 'convert' };
  if (e.format === 'heic' || e.format === 'bmp') {
    return {
      kind: 'placeholder',
      reason: `${e.format.toUpperCase()} 格式的图片无法直接装订。`,
      fix: '请用手机或看图软件另存为 JPG 后，在“材料”中删除此件并重新导入。',
    };
  }
  if (IMAGE_FORMATS.includes(e.format)) return { kind: e.type === 'photo' ? 'photo' : 'image' };
  return {
    kind: 'placeholder',
    reason: `“${e.originalName}”不是可装订的文档或图片。`,
    fix: '请转换为 PDF 后，在“材料”中删除此件并重新导入。',
  };
}

function remarksFor(e: Evidence): string[] {
  const remarks: string[] = [];
  if (e.isCopy) remarks.push('复印件');
  const unreadable: Record<Exclude<Evidence['readability'], 'ok'>, string> = {
    encrypted: '加密',
    corrupt: '文件损坏',
    unsupported: '格式不支持',
    empty: '空文件',
    complex: '结构过于复杂',
  };
  if (e.readability !== 'ok') remarks.push(unreadable[e.readability]);
  else if (e.format === 'heic' || e.format === 'bmp') remarks.push('格式不支持');
  if (e.note?.trim()) remarks.push(e.note.trim());
  return remarks;
}

type Title = { title: string; selfMade: boolean; fromFileName: boolean };

/**
 * The printed title. A title that is only a file name (`IMG_20190925_160233`) means nothing to an inspector:
 * the submission edition uses the photo caption's 事由 or else the name of the requirement it fills
 * (`fallback`); the review edition keeps it, bracketed, and flags it so the office can write a real one.
 */
function titleFor(e: Evidence, edition: BinderEdition, fallback: string): Title {
  const fromFile = stripExtension(e.originalName);
  const unbracketed = e.title.trim().replace(/^\[(.*)\]$/, '$1').trim();
  const isFileName = !unbracketed || e.titleOrigin === 'filename' || unbracketed === fromFile || unbracketed === e.originalName;
  const madeUp = (raw: string, fromFileName: boolean): Title => {
    if (fromFileName && edition === 'submission') return { title: bracket(fallback), selfMade: true, fromFileName: false };
    return { title: bracket(raw), selfMade: true, fromFileName };
  };
  if (e.type === 'photo' && IMAGE_FORMATS.includes(e.format)) {
    // A photo carries no title of its own: any title is made up by the filer (GB/T 9705 → [ ]).
    const subject = e.caption?.subject?.trim();
    if (subject) return { title: bracket(subject), selfMade: true, fromFileName: false };
    return madeUp(isFileName ? unbracketed || fromFile : unbracketed, isFileName);
  }
  const title = e.title.trim();
  if (!title) return madeUp(fromFile, true);
  if (e.titleOrigin === 'text' || e.titleOrigin === 'embedded' || e.titleOrigin === 'user') {
    // The document's own title, or one the user typed (who writes the brackets themselves when it is self-made).
    return { title, selfMade: /^\[.*\]$/.test(title), fromFileName: false };
  }
  if (isFileName) return madeUp(unbracketed, true);
  return { title, selfMade: /^\[.*\]$/.test(title), fromFileName: false };
}

/** "《关于…的通知》" or, without a title, the file name: how a warning names an item that has no 件号. */
function evidenceName(e: Evidence): string {
  return `《${e.title.trim() || e.originalName}》`;
}

function compareEvidence(a: Evidence, b: Evidence): number {
  const rank = ARCHIVAL_RANK[a.type] - ARCHIVAL_RANK[b.type];
  if (rank !== 0) return rank;
  // Undated items after dated ones.
  const da = a.date ?? '\uffff';
  const db = b.date ?? '\uffff';
  if (da !== db) return da < db ? -1 : 1;
  return a.id - b.id;
}

type Unit = { divider: boolean; block?: BinderBlock; pages: number; bytes: number };

function blockPages(block: BinderBlock): number {
  if (block.kind === 'photos') return 1;
  return block.item.knownPages ?? UNKNOWN_DOCUMENT_PAGES;
}

function blockBytes(block: BinderBlock): number {
  return block.kind === 'photos' ? block.items.reduce((s, i) => s + i.bytes, 0) : block.item.bytes;
}

function partNames(count: number): string[] {
  if (count === 2) return ['上', '下'];
  const digits = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
  return Array.from({ length: count }, (_, i) => (i < 10 ? digits[i] : String(i + 1)));
}

/** Draft section before numbering: items have placeholder numbers. */
type DraftSection = Omit<BinderSection, 'crossReferences'> & { crossEvidence: Evidence[] };
type DraftVolume = { name: string; categoryCodes: string[]; sections: DraftSection[]; part?: string };

export function buildBinderPlan(
  framework: Framework,
  settings: WorkspaceSettings,
  evidence: Evidence[],
  gaps: GapReport,
  targets: TargetValue[],
  options: BinderOptions,
  meta: {
    generatedAt: string;
    /** Target figures computed from the ledgers (shared/ledger/compute.ts): printed on dividers with their sources. */
    computed?: ReadonlyMap<string, { value: number; sources: readonly { evidence: number }[] }>;
  },
): BinderPlan {
  const resolved: BinderPlan['options'] = {
    edition: options.edition ?? 'submission',
    singleVolume: options.singleVolume ?? false,
    duplex: options.duplex ?? false,
    stamp: options.stamp ?? false,
    includeFindings: options.includeFindings ?? true,
    maxPagesPerVolume: options.maxPagesPerVolume,
    maxBytesPerVolume: options.maxBytesPerVolume,
  };
  const submission = resolved.edition === 'submission';
  const warnings: BuildWarning[] = [];
  const period = makePeriod(settings.periodStart, settings.periodEnd);

  // Framework order of indicators decides where a shared file is bound (its first indicator).
  const indicatorOrder = new Map<string, number>();
  const indicatorCategory = new Map<string, Category>();
  for (const category of framework.categories) {
    for (const indicator of category.indicators) {
      indicatorOrder.set(indicator.code, indicatorOrder.size);
      indicatorCategory.set(indicator.code, category);
    }
  }

  const sorted = [...evidence].sort((a, b) => a.id - b.id);
  const boundAt = new Map<string, Evidence[]>();
  const referencedAt = new Map<string, Evidence[]>();
  const unfiled: BinderPlan['unfiled'] = [];
  const alsoUnder = new Map<number, string[]>();
  const codesOf = (links: EvidenceLink[]): string[] =>
    [...new Set(links.map((l) => l.indicator))]
      .filter((c) => indicatorOrder.has(c))
      .sort((a, b) => (indicatorOrder.get(a) ?? 0) - (indicatorOrder.get(b) ?? 0));
  // The submission edition binds only what the user filed; machine suggestions wait in 材料库 → 待确认.
  const linksOf = (e: Evidence): EvidenceLink[] => (submission ? e.links.filter((l) => l.origin === 'user') : e.links);

  // What the submission edition leaves out; the warnings get their volume once volumes exist.
  const leftOut: BinderPlan['leftOut'] = [];
  const leftOutWarnings: { indicator: string; warning: BuildWarning }[] = [];
  const leave = (e: Evidence, indicator: string, kind: BuildWarningKind, message: string, params?: WarningParams): void => {
    leftOut.push({ evidenceId: e.id, title: e.title || e.originalName, kind });
    leftOutWarnings.push({ indicator, warning: buildWarning(kind, message, { item: evidenceName(e) }, params) });
  };
  let unconfirmed = 0;
  let awaiting = 0;
  const eligible: { e: Evidence; codes: string[] }[] = [];
  for (const e of sorted) {
    if (submission && awaitsReview(e)) {
      awaiting += 1;
      leftOut.push({ evidenceId: e.id, title: e.title || e.originalName, kind: 'awaiting-review' });
      continue;
    }
    if (codesOf(e.links).length === 0) {
      unfiled.push({ evidenceId: e.id, title: e.title || e.originalName });
      continue;
    }
    const codes = codesOf(linksOf(e));
    if (codes.length === 0) {
      unconfirmed += 1;
      leftOut.push({ evidenceId: e.id, title: e.title || e.originalName, kind: 'unconfirmed' });
      continue;
    }
    if (submission) {
      const render = renderFor(e);
      if (render.kind === 'placeholder') {
        // A reader's reason may carry its own advice ("…无法读取。请向报送单位索取…"): say what to do once.
        const [, cause = render.reason, advice] = /^(.*?)[。；]\s*(请.*)$/su.exec(render.reason) ?? [];
        leave(
          e,
          codes[0],
          'unreadable',
          `${evidenceName(e)}（原文件 ${e.originalName}）无法装订：${cause.replace(/[。.]\s*$/u, '')}。报送版未装订此件。${advice ?? render.fix}`,
          { reason: render.reason },
        );
        continue;
      }
      const dated = evidenceDate(e);
      if (dated && !isInPeriod(dated.date, period)) {
        leave(
          e,
          codes[0],
          'out-of-period',
          `${evidenceName(e)}的日期 ${dated.date} 不在考核期（${period.start} 至 ${period.end}）内，报送版未装订。若日期有误，请在“材料库”中更正后重新生成。`,
          { date: dated.date, start: period.start, end: period.end },
        );
        continue;
      }
    }
    eligible.push({ e, codes });
  }
  if (awaiting > 0) {
    warnings.push(
      buildWarning(
        'awaiting-review',
        `有 ${awaiting} 件部门报送的材料尚未审核通过（待审核或已退回），报送版未装订。请在“审核”中审核通过后重新生成。`,
        {},
        { n: awaiting },
      ),
    );
  }
  if (unconfirmed > 0) {
    warnings.push(
      buildWarning(
        'unconfirmed',
        `有 ${unconfirmed} 件材料的指标归属是系统建议、尚未确认，报送版未装订。请在“材料库 → 待确认”中确认后重新生成。`,
        {},
        { n: unconfirmed },
      ),
    );
  }

  // Duplicates (same or near-identical file imported twice): the submission edition binds the first one and
  // lists the others' indicators as 参见 to it, so one document never appears twice.
  const duplicateOf = new Map<number, number>();
  if (submission) {
    const eligibleIds = new Set(eligible.map((x) => x.e.id));
    for (const f of gaps.findings) {
      if (f.kind !== 'duplicate' || !f.evidence) continue;
      const members = [...new Set(f.evidence)].filter((id) => eligibleIds.has(id)).sort((a, b) => a - b);
      for (const id of members.slice(1)) if (!duplicateOf.has(members[0])) duplicateOf.set(id, members[0]);
    }
  }
  const byId = new Map(sorted.map((e) => [e.id, e]));
  const extraCodes = new Map<number, string[]>();
  for (const { e, codes } of eligible) {
    const canonical = duplicateOf.get(e.id);
    if (canonical === undefined) continue;
    extraCodes.set(canonical, [...(extraCodes.get(canonical) ?? []), ...codes]);
    const kept = byId.get(canonical);
    leave(
      e,
      codes[0],
      'duplicate',
      `${evidenceName(e)}与${kept ? evidenceName(kept) : '另一件材料'}内容相同或几乎相同，报送版只装订一次，其余位置列为“参见”。如确为不同材料，请在“材料库”中核对。`,
    );
  }
  for (const { e, codes: own } of eligible) {
    if (duplicateOf.has(e.id)) continue;
    const codes = [...new Set([...own, ...(extraCodes.get(e.id) ?? [])])].sort(
      (a, b) => (indicatorOrder.get(a) ?? 0) - (indicatorOrder.get(b) ?? 0),
    );
    const [first, ...rest] = codes;
    boundAt.set(first, [...(boundAt.get(first) ?? []), e]);
    for (const code of rest) referencedAt.set(code, [...(referencedAt.get(code) ?? []), e]);
    alsoUnder.set(e.id, rest);
  }
  if (unfiled.length > 0) {
    warnings.push(buildWarning('unfiled', `有 ${unfiled.length} 件材料未归入任何指标，未装订。请在“材料”中为它们选择指标。`, {}, { n: unfiled.length }));
  }

  // A title made from a file name falls back to the requirement the item fills (or the indicator's title).
  const requirementTitle = new Map<string, string>();
  const indicatorByCode = new Map<string, Indicator>();
  for (const category of framework.categories) {
    for (const indicator of category.indicators) {
      indicatorByCode.set(indicator.code, indicator);
      for (const r of indicator.requirements) requirementTitle.set(r.id, r.title);
    }
  }
  const fallbackTitle = (e: Evidence, indicator: string): string => {
    const filed = linksOf(e).find((l) => l.indicator === indicator && l.requirement && requirementTitle.has(l.requirement));
    if (filed?.requirement) return requirementTitle.get(filed.requirement) ?? indicator;
    const ind = indicatorByCode.get(indicator);
    return ind?.requirements.find((r) => r.type === e.type)?.title ?? ind?.title ?? indicator;
  };
  const titleOf = (e: Evidence, indicator: string): Title => titleFor(e, resolved.edition, fallbackTitle(e, indicator));

  const results = new Map<string, IndicatorResult>();
  for (const c of gaps.summary.categories) for (const r of c.indicators) results.set(r.code, r);
  const targetValues = new Map(targets.map((t) => [t.id, t]));

  const ledgerTitles = new Map((framework.ledgers ?? []).map((k) => [k.id, k.title]));
  // Sources by evidence id for now: where each ledger is bound is known once the volumes are numbered.
  const computedFigure = (t: Indicator['targets'][number]): Pick<DividerTarget, 'computed'> => {
    const c = meta.computed?.get(t.id);
    if (!c || !t.compute) return {};
    const ids = [...new Set(c.sources.map((s) => s.evidence))];
    return { computed: { value: c.value, ledger: ledgerTitles.get(t.compute.ledger) ?? t.compute.ledger, sources: ids.map((evidenceId) => ({ evidenceId })) } };
  };

  const makeItem = (e: Evidence, indicator: string): BinderItem => {
    const { title, selfMade, fromFileName } = titleOf(e, indicator);
    const render = renderFor(e);
    const knownPages = render.kind === 'pdf' ? (e.pages ?? null) : render.kind === 'convert' || render.kind === 'table' ? null : 1;
    return {
      number: '',
      evidenceId: e.id,
      sha256: e.sha256,
      format: e.format,
      type: e.type,
      originalName: e.originalName,
      title,
      selfMadeTitle: selfMade,
      ...(fromFileName ? { titleFromFileName: true } : {}),
      docNumber: e.docNumber?.trim() || undefined,
      issuer: e.issuer?.trim() || undefined,
      date: compactDate(e.date),
      remarks: remarksFor(e),
      render,
      knownPages,
      bytes: e.size,
      indicator,
      alsoUnder: alsoUnder.get(e.id) ?? [],
    };
  };

  const photoCaption = (e: Evidence, item: BinderItem): PhotoCaptionLines => {
    const c = e.caption ?? {};
    const note = [c.background, c.note].map((s) => s?.trim()).filter(Boolean).join('；');
    return {
      title: item.title,
      time: compactDate(c.time) ?? compactDate(e.date) ?? compactDate(e.photo?.takenAt),
      place: c.place?.trim() || undefined,
      people: c.people?.trim() || undefined,
      photographer: c.photographer?.trim() || undefined,
      note: note || undefined,
    };
  };

  const makeSection = (category: Category, indicator: Indicator): DraftSection => {
    const bound = [...(boundAt.get(indicator.code) ?? [])].sort(compareEvidence);
    const items = bound.map((e) => makeItem(e, indicator.code));
    const byId = new Map(bound.map((e) => [e.id, e]));
    for (const item of items) {
      if (item.render.kind === 'photo') item.caption = photoCaption(byId.get(item.evidenceId) as Evidence, item);
    }
    const blocks: BinderBlock[] = [];
    for (const item of items) {
      const last = blocks[blocks.length - 1];
      if (item.render.kind === 'photo' && last?.kind === 'photos' && last.items.length < 2) last.items.push(item);
      else if (item.render.kind === 'photo') blocks.push({ kind: 'photos', items: [item] });
      else blocks.push({ kind: 'document', item });
    }
    const result = results.get(indicator.code);
    const requirements: DividerRequirement[] = indicator.requirements.map((r) => {
      const rr = result?.requirements.find((x) => x.requirement === r.id);
      return {
        id: r.id,
        title: r.title,
        type: r.type,
        mandatory: r.mandatory,
        status: rr?.status ?? 'missing',
        have: rr?.have ?? 0,
        need: rr?.need ?? r.min,
        // Filled with 件号 once the volume is numbered.
        items: (rr?.evidence ?? []).map((id) => `#${id}`),
      };
    });
    const dividerTargets: DividerTarget[] = indicator.targets.map((t) => {
      const v = targetValues.get(t.id);
      const target = v?.target ?? t.value;
      const actual = v?.actual ?? null;
      return {
        id: t.id,
        label: t.label,
        unit: t.unit,
        comparison: t.comparison,
        target,
        actual,
        source: v?.source,
        met: targetMet(actual, t.comparison, target, t.unit),
        ...computedFigure(t),
      };
    });
    const findings: DividerFinding[] = resolved.includeFindings && !submission
      ? gaps.findings
          .filter((f) => f.indicator === indicator.code)
          .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
          .map((f) => ({ id: f.id, severity: f.severity, message: f.message, action: f.action }))
      : [];
    return {
      categoryCode: category.code,
      categoryTitle: category.title,
      indicatorCode: indicator.code,
      indicatorTitle: indicator.title,
      description: indicator.description,
      department: indicator.department,
      continued: false,
      requirements,
      targets: dividerTargets,
      findings,
      crossEvidence: [...(referencedAt.get(indicator.code) ?? [])].sort(compareEvidence),
      blocks,
    };
  };

  // Which categories and indicators get printed.
  const categoryDrafts: DraftVolume[] = [];
  for (const category of framework.categories) {
    const hasEvidence = (i: Indicator): boolean => boundAt.has(i.code) || referencedAt.has(i.code);
    const optional = category.bonus === true || category.negative === true;
    const indicators = optional ? category.indicators.filter(hasEvidence) : category.indicators;
    if (indicators.length === 0) continue;
    categoryDrafts.push({
      name: category.title,
      categoryCodes: [category.code],
      sections: indicators.map((i) => makeSection(category, i)),
    });
  }
  let drafts: DraftVolume[] = resolved.singleVolume
    ? [
        {
          name: '全部指标',
          categoryCodes: categoryDrafts.flatMap((d) => d.categoryCodes),
          sections: categoryDrafts.flatMap((d) => d.sections),
        },
      ]
    : categoryDrafts;
  drafts = drafts.flatMap((d) => splitVolume(d, resolved.maxPagesPerVolume, resolved.maxBytesPerVolume));

  // 件号 run on across volumes, so a 档号 (which carries the 件号, not the 卷) names one document in the whole
  // workspace: in the binders, the DOCX, 目录.xlsx and the zip alike.
  let nextNumber = 1;
  const year = (settings.periodStart || settings.periodEnd || meta.generatedAt).slice(0, 4);
  const fonds = settings.fonds?.trim();
  const orgCode = settings.orgCode?.trim() || DEFAULT_ORG_CODE;
  const where = new Map<number, { volume: number; label: string; number: string; archivalCode?: string; indicator: string }>();
  const volumes: BinderVolume[] = drafts.map((d, index) => {
    const items: BinderItem[] = [];
    for (const section of d.sections) {
      for (const block of section.blocks) {
        for (const item of block.kind === 'photos' ? block.items : [block.item]) {
          item.number = formatItemNumber(nextNumber);
          nextNumber += 1;
          if (fonds) item.archivalCode = `${fonds}-WS·${year}-${RETENTION}-${orgCode}-${item.number}`;
          items.push(item);
        }
      }
    }
    const label = `第${index + 1}卷 ${d.name}${d.part ? `（${d.part}）` : ''}`;
    for (const item of items) {
      where.set(item.evidenceId, { volume: index + 1, label, number: item.number, archivalCode: item.archivalCode, indicator: item.indicator });
    }
    return {
      index,
      number: index + 1,
      label,
      name: `${d.name}${d.part ? `（${d.part}）` : ''}`,
      categoryCodes: d.categoryCodes,
      part: d.part,
      sections: [],
      items,
      estimatedPages: d.sections.reduce((s, sec) => s + 1 + sec.blocks.reduce((t, b) => t + blockPages(b), 0), 0),
      bytes: items.reduce((s, i) => s + i.bytes, 0),
      notes: [],
    };
  });

  const indicatorTitle = (code: string): string => {
    const cat = indicatorCategory.get(code);
    const ind = cat?.indicators.find((i) => i.code === code);
    return ind ? `${code} ${ind.title}` : code;
  };

  volumes.forEach((volume, vi) => {
    const sameVolume = (id: number): boolean => where.get(id)?.volume === volume.number;
    volume.sections = drafts[vi].sections.map(({ crossEvidence, ...section }) => {
      const crossReferences: CrossReference[] = [];
      for (const e of section.continued ? [] : crossEvidence) {
        const w = where.get(e.id);
        if (!w) continue;
        const at = sameVolume(e.id) ? `本卷 件号${w.number}` : `第${w.volume}卷 件号${w.number}`;
        crossReferences.push({
          evidenceId: e.id,
          title: titleOf(e, w.indicator).title,
          volumeNumber: w.volume,
          volumeLabel: w.label,
          number: w.number,
          archivalCode: w.archivalCode,
          boundIndicator: w.indicator,
          text: `参见${at}（${indicatorTitle(w.indicator)}）`,
          shortText: sameVolume(e.id) ? `见本卷${w.number}` : `见第${w.volume}卷${w.number}`,
        });
      }
      const requirements = section.requirements.map((r) => {
        // Only what is bound in this edition; a duplicate counts as the copy that is bound.
        const refs = r.items.flatMap((ref) => {
          const id = Number(ref.slice(1));
          const w = where.get(duplicateOf.get(id) ?? id);
          if (!w) return [];
          return [w.volume === volume.number ? w.number : `第${w.volume}卷${w.number}`];
        });
        return { ...r, items: [...new Set(refs)] };
      });
      const targets = section.targets.map((t) => {
        if (!t.computed) return t;
        const sources = t.computed.sources.map(({ evidenceId }): DividerSource => {
          const w = where.get(duplicateOf.get(evidenceId) ?? evidenceId);
          if (!w) return { evidenceId };
          return w.volume === volume.number ? { evidenceId, number: w.number } : { evidenceId, number: w.number, volume: w.volume };
        });
        return { ...t, computed: { ...t.computed, sources } };
      });
      return { ...section, requirements, targets, crossReferences };
    });

    // Related document (参见号) for photos: a non-photo item of the same indicator with the same date.
    for (const section of volume.sections) {
      const docs = section.blocks.flatMap((b) => (b.kind === 'document' ? [b.item] : []));
      for (const block of section.blocks) {
        if (block.kind !== 'photos') continue;
        for (const photo of block.items) {
          const related = photo.caption?.time ? docs.find((d) => d.date === photo.caption?.time) : undefined;
          if (related && photo.caption) photo.caption.seeAlso = related.number;
        }
      }
    }

    // 备考表 情况说明 (what the plan knows; the renderer adds failed conversions).
    const notes: string[] = [];
    for (const item of volume.items) {
      if (item.remarks.includes('复印件')) notes.push(`第${item.number}件《${item.title}》为复印件，原件存于${item.issuer ?? '形成单位'}。`);
      if (item.render.kind === 'placeholder') notes.push(`第${item.number}件《${item.title}》无法装订（${item.render.reason.replace(/。$/, '')}），以说明页代替。`);
    }
    const empty: string[] = [];
    for (const section of volume.sections) {
      if (section.continued) continue;
      for (const r of section.requirements) {
        if (submission && r.mandatory && r.items.length === 0) empty.push(`${section.indicatorCode}“${r.title}”`);
        // The submission edition states no gaps: they are the office's self-check.
        if (submission || !r.mandatory || r.status === 'met') continue;
        const missing = Math.max(r.need - r.have, 0);
        notes.push(
          `${section.indicatorCode} ${section.indicatorTitle}：“${r.title}”${REQUIREMENT_STATUS[r.status].zh}（应有 ${r.need} 件，现有 ${r.have} 件${missing > 0 ? `，缺 ${missing} 件` : ''}）。`,
        );
      }
    }
    volume.notes = notes;
    // One warning per volume: the binder still builds, and the office sees at once which slots are empty.
    if (empty.length > 0) {
      warnings.push(
        buildWarning(
          'empty-slot',
          `有 ${empty.length} 项必备材料在报送版中没有装订任何材料：${empty.join('；')}。请在“材料库”中确认或补充归档后重新生成。`,
          { volume: volume.label },
          { n: empty.length, slots: empty.map((x) => `“${x}”`).join(', ') },
        ),
      );
    }
    if (!submission) {
      for (const item of volume.items) {
        if (!item.titleFromFileName) continue;
        warnings.push(
          buildWarning('filename-title', `第${item.number}件${item.title}的题名取自文件名，报送版将改用照片事由或材料要求名称。请在“材料库”中填写题名。`, {
            volume: volume.label,
            item: item.number,
          }),
        );
      }
    }
  });

  const volumeOfIndicator = new Map<string, string>();
  for (const volume of volumes) for (const section of volume.sections) if (!volumeOfIndicator.has(section.indicatorCode)) volumeOfIndicator.set(section.indicatorCode, volume.label);
  for (const { indicator, warning } of leftOutWarnings) warnings.push({ ...warning, volume: volumeOfIndicator.get(indicator) ?? null });

  const selfCheck: BinderPlan['selfCheck'] = submission
    ? undefined
    : {
        completeness: gaps.summary.completeness,
        findings: gaps.findings.map((f) => ({
          id: f.id,
          severity: f.severity,
          message: f.message,
          action: f.action,
          ...(f.indicator ? { indicator: f.indicator, indicatorTitle: indicatorByCode.get(f.indicator)?.title ?? '' } : {}),
          ...(f.department ? { department: f.department } : {}),
        })),
      };

  return {
    generatedAt: meta.generatedAt,
    title: settings.title.trim() || framework.title,
    unit: settings.unit,
    periodStart: settings.periodStart,
    periodEnd: settings.periodEnd,
    frameworkTitle: framework.title,
    frameworkId: framework.id,
    fonds: fonds ?? '',
    orgCode,
    year,
    options: resolved,
    volumes,
    unfiled,
    leftOut,
    ...(selfCheck ? { selfCheck } : {}),
    warnings,
  };
}

/**
 * Split a volume whose estimated pages or bytes exceed the limits, at block boundaries. A section cut in
 * two continues in the next part behind a "续" divider, so an item never straddles two volumes.
 */
function splitVolume(draft: DraftVolume, maxPages: number | undefined, maxBytes: number | undefined): DraftVolume[] {
  const pageLimit = maxPages && maxPages > 0 ? maxPages : Infinity;
  const byteLimit = maxBytes && maxBytes > 0 ? maxBytes : Infinity;
  const total = (units: Unit[]): { pages: number; bytes: number } =>
    units.reduce((s, u) => ({ pages: s.pages + u.pages, bytes: s.bytes + u.bytes }), { pages: 0, bytes: 0 });
  const allUnits: Unit[] = draft.sections.flatMap((s) => [
    { divider: true, pages: 1, bytes: 0 },
    ...s.blocks.map((b) => ({ divider: false, block: b, pages: blockPages(b), bytes: blockBytes(b) })),
  ]);
  const all = total(allUnits);
  if (all.pages <= pageLimit && all.bytes <= byteLimit) return [draft];

  const parts: DraftSection[][] = [[]];
  let pages = 0;
  let bytes = 0;
  for (const section of draft.sections) {
    let current: DraftSection = { ...section, blocks: [] };
    // Keep a divider with at least its first block.
    const firstCost = 1 + (section.blocks[0] ? blockPages(section.blocks[0]) : 0);
    const firstBytes = section.blocks[0] ? blockBytes(section.blocks[0]) : 0;
    if (parts[parts.length - 1].length > 0 && (pages + firstCost > pageLimit || bytes + firstBytes > byteLimit)) {
      parts.push([]);
      pages = 0;
      bytes = 0;
    }
    parts[parts.length - 1].push(current);
    pages += 1;
    for (const block of section.blocks) {
      const p = blockPages(block);
      const b = blockBytes(block);
      if (current.blocks.length > 0 && (pages + p > pageLimit || bytes + b > byteLimit)) {
        current = {
          ...section,
          continued: true,
          requirements: [],
          targets: [],
          findings: [],
          crossEvidence: [],
          blocks: [],
        };
        parts.push([current]);
        pages = 1;
        bytes = 0;
      }
      current.blocks.push(block);
      pages += p;
      bytes += b;
    }
  }
  if (parts.length === 1) return [draft];
  const names = partNames(parts.length);
  return parts.map((sections, i) => ({ ...draft, sections, part: names[i] }));
}

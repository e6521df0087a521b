import type { RectificationLedger } from '../../../../shared/rectification/ledger.js';
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  ImageRun,
  LineRuleType,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  type ISectionOptions,
  type PageNumberEstimator,
} from 'docx';
import { estimatePageNumbersWith } from 'docx/layout';
import type { BinderItem, BinderPlan, BinderSection, DividerTarget, SelfCheck } from '../../../../shared/binder/types.js';
import { EVIDENCE_TYPE_LABELS, type Severity } from '../../../../shared/domain/types.js';
import { REQUIREMENT_STATUS, SEVERITY, TARGET_STATE, targetState } from '../../../../shared/vocabulary.js';
import type { AssetSource } from '../../workspace/types.js';
import { rezipWithFixedTime } from '../package/zip-io.js';
import { BODY_LINE, FONT, STYLES, TEXT_WIDTH, cjkFont, pageNumberFooters, pageProperties, pt } from './layout.js';
import { computedLine } from '../figures.js';
import { loadThumbnail, type Thumbnail } from './thumbnails.js';
import { tocPagesFromLibreOffice, type TocPagesResult } from './toc-pages.js';

export type DocxOptions = {
  generatedAt: string;
  /** Duplex printing: page numbers right on odd pages, left on even pages (default true, GB/T 9704). */
  duplex?: boolean;
  signal?: AbortSignal;
  /** Called once per photo thumbnail made (they are the slow part). */
  onProgress?: (done: number, total: number) => void;
  /** The 整改台账, printed as its own chapter after the evidence (review edition, or when the office chooses). */
  rectification?: RectificationLedger;
  /**
   * LibreOffice to lay the finished document out with, so the TOC's page numbers are the ones LibreOffice shows
   * (it does not update fields on open). Without it the numbers are docx's estimate.
   */
  soffice?: string | null;
  /** Where TOC numbers from LibreOffice are kept by layout, so a rebuild of unchanged material reuses them. */
  tocCacheDir?: string;
  /**
   * Called once the document is packed and its LibreOffice pass started, or packed when it needs none: a build
   * holds back work that keeps the event loop busy until then, so that LibreOffice runs beside it.
   */
  onPacked?: () => void;
};

const CN_NUMERALS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 1 → 一, 12 → 十二, 21 → 二十一 (category and indicator headings up to 99). */
export function chineseNumeral(n: number): string {
  if (n <= 10) return CN_NUMERALS[n] ?? String(n);
  if (n < 20) return `十${CN_NUMERALS[n - 10]}`;
  if (n < 100) return `${CN_NUMERALS[Math.floor(n / 10)]}十${n % 10 ? CN_NUMERALS[n % 10] : ''}`;
  return String(n);
}

/** "2019-03-05T08:00:00Z" → "2019年3月5日" (the date part as written, so the output does not depend on the time zone). */
function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : iso;
}

const PLACEHOLDER = (what: string) => `【请填写：${what}】`;

export function text(value: string, options: { bold?: boolean; font?: string; size?: number } = {}): TextRun {
  return new TextRun({
    text: value,
    bold: options.bold,
    ...(options.font ? { font: cjkFont(options.font) } : {}),
    ...(options.size ? { size: pt(options.size) } : {}),
  });
}

export function bodyParagraph(value: string | TextRun[], options: { indent?: boolean; align?: 'center' | 'right'; keepNext?: boolean } = {}): Paragraph {
  return new Paragraph({
    children: typeof value === 'string' ? [text(value)] : value,
    keepNext: options.keepNext,
    spacing: BODY_LINE,
    // 首行缩进二字 (2 × 16 pt)
    indent: options.indent === false ? undefined : { firstLine: 640 },
    alignment: options.align === 'center' ? AlignmentType.CENTER : options.align === 'right' ? AlignmentType.RIGHT : undefined,
  });
}

/** "（1）材料要求": a run-in heading in 黑体 that never ends a page without the table or text it introduces. */
function subHeading(value: string): Paragraph {
  return bodyParagraph([text(value, { font: FONT.hei })], { indent: false, keepNext: true });
}

function cell(value: string, width: number, options: { header?: boolean; center?: boolean } = {}): TableCell {
  const lines = value.split('\n');
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    verticalAlign: VerticalAlign.CENTER,
    margins: { left: 60, right: 60, top: 30, bottom: 30 },
    children: lines.map(
      (line) =>
        new Paragraph({
          style: 'TableText',
          alignment: options.header || options.center ? AlignmentType.CENTER : AlignmentType.LEFT,
          children: [text(line, options.header ? { bold: true, font: FONT.hei } : {})],
        }),
    ),
  });
}

/** A bordered table with a repeated header row; widths are shares of the 156 mm text block. */
export function table(headers: string[], shares: number[], rows: string[][], centered: number[] = []): Table {
  const total = shares.reduce((a, b) => a + b, 0);
  const widths = shares.map((s) => Math.floor((s / total) * TEXT_WIDTH));
  const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: headers.map((h, i) => cell(h, widths[i], { header: true })) }),
      ...rows.map(
        (row) =>
          new TableRow({ cantSplit: true, children: row.map((value, i) => cell(value, widths[i], { center: centered.includes(i) })) }),
      ),
    ],
  });
}

function formatValue(value: number | null, unit = ''): string {
  if (value === null) return '—';
  return `${Number.isInteger(value) ? value : value.toFixed(2)}${unit}`;
}

function targetStatus(t: DividerTarget): string {
  return TARGET_STATE[targetState(t.met)].zh;
}

function itemLabel(plan: BinderPlan, volumeNumber: number, item: BinderItem): string {
  return plan.volumes.length > 1 ? `${volumeNumber}-${item.number}` : item.number;
}

/** Sections of the plan merged per indicator (a split volume continues an indicator). */
type IndicatorPart = { section: BinderSection; volumeNumber: number };
type CategoryGroup = { code: string; title: string; indicators: { code: string; title: string; parts: IndicatorPart[] }[] };

function groupByCategory(plan: BinderPlan): CategoryGroup[] {
  const categories: CategoryGroup[] = [];
  for (const volume of plan.volumes) {
    for (const section of volume.sections) {
      let category = categories.find((c) => c.code === section.categoryCode);
      if (!category) {
        category = { code: section.categoryCode, title: section.categoryTitle, indicators: [] };
        categories.push(category);
      }
      let indicator = category.indicators.find((i) => i.code === section.indicatorCode);
      if (!indicator) {
        indicator = { code: section.indicatorCode, title: section.indicatorTitle, parts: [] };
        category.indicators.push(indicator);
      }
      indicator.parts.push({ section, volumeNumber: volume.number });
    }
  }
  return categories;
}

function captionLines(item: BinderItem): string[] {
  const c = item.caption;
  const lines = [`题名：${c?.title ?? item.title}`];
  lines.push(`时间：${c?.time ?? '—'}`);
  lines.push(`地点：${c?.place ?? '—'}`);
  lines.push(`人物：${c?.people ?? '—'}`);
  lines.push(`摄影者：${c?.photographer ?? '—'}`);
  if (c?.note) lines.push(`说明：${c.note}`);
  if (c?.seeAlso) lines.push(`参见号：${c.seeAlso}`);
  return lines;
}

/** Display size of a thumbnail in pixels at 96 dpi: at most 12 cm wide and 9 cm tall. */
function displaySize(thumb: Thumbnail): { width: number; height: number } {
  const maxW = (120 / 25.4) * 96;
  const maxH = (90 / 25.4) * 96;
  const scale = Math.min(maxW / thumb.width, maxH / thumb.height);
  return { width: Math.round(thumb.width * scale), height: Math.round(thumb.height * scale) };
}

function indicatorBody(
  plan: BinderPlan,
  parts: IndicatorPart[],
  thumbnails: ReadonlyMap<string, Thumbnail>,
): (Paragraph | Table)[] {
  const first = parts[0].section;
  const out: (Paragraph | Table)[] = [];
  if (first.description) out.push(bodyParagraph(first.description));
  if (first.department) out.push(bodyParagraph(`牵头单位：${first.department}`));

  const review = plan.options.edition === 'review';
  out.push(subHeading('（1）材料要求'));
  if (first.requirements.length && !review) {
    // Submission edition: what is asked and which 件 answer it; no counts or status (those are the self-check).
    out.push(
      table(
        ['材料要求', '类型', '件号'],
        [50, 18, 32],
        first.requirements.map((r) => [`${r.title}${r.mandatory ? '' : '（选报）'}`, EVIDENCE_TYPE_LABELS[r.type].zh, r.items.join('、')]),
        [1],
      ),
    );
  } else if (first.requirements.length) {
    out.push(
      table(
        ['材料要求', '类型', '应有', '已有', '状态'],
        [46, 18, 8, 8, 12],
        first.requirements.map((r) => [
          `${r.title}${r.mandatory ? '' : '（选报）'}`,
          EVIDENCE_TYPE_LABELS[r.type].zh,
          String(r.need),
          String(r.have),
          REQUIREMENT_STATUS[r.status].zh,
        ]),
        [2, 3, 4],
      ),
    );
  } else {
    out.push(bodyParagraph('本指标无必报材料。'));
  }

  if (first.targets.length) {
    out.push(subHeading('（2）协议指标'));
    out.push(
      table(
        ['指标', '目标值', '完成值', '单位', '数据来源'],
        [34, 14, 14, 10, 28],
        first.targets.map((t) => [
          review ? `${t.label}（${targetStatus(t)}）` : t.label,
          t.target === null ? '—' : `${t.comparison === '=' ? '' : t.comparison === '>=' ? '≥' : '≤'}${formatValue(t.target)}`,
          formatValue(t.actual),
          t.unit,
          t.source ?? '',
        ]),
        [1, 2, 3],
      ),
    );
    // Every figure traceable, as on the PDF divider: the DOCX holds the catalogue of every volume but not their
    // pages, so a ledger is cited by 卷 and 件号 (the volume left out when there is only one).
    const place = { pageOf: () => undefined, ...(plan.volumes.length > 1 ? { volume: parts[0].volumeNumber } : {}) };
    for (const t of first.targets) if (t.computed) out.push(bodyParagraph(computedLine(t, place), { indent: false }));
  }

  const rows: string[][] = [];
  const photos: { item: BinderItem; label: string }[] = [];
  for (const { section, volumeNumber } of parts) {
    for (const block of section.blocks) {
      for (const item of block.kind === 'photos' ? block.items : [block.item]) {
        const label = itemLabel(plan, volumeNumber, item);
        const remarks = [...item.remarks];
        if (item.alsoUnder.length) remarks.push(`另见 ${item.alsoUnder.join('、')}`);
        rows.push([label, item.docNumber ?? '', item.issuer ?? '', item.title, item.date ?? '', remarks.join('；')]);
        if (block.kind === 'photos') photos.push({ item, label });
      }
    }
    for (const ref of section.crossReferences) rows.push(['参见', '', '', ref.title, '', ref.text]);
  }
  out.push(subHeading(`（${first.targets.length ? 3 : 2}）佐证材料目录`));
  if (rows.length) {
    out.push(table(['顺序号', '文号', '责任者', '题名', '日期', '备注'], [9, 17, 15, 32, 14, 13], rows, [0, 4]));
  } else {
    out.push(bodyParagraph('本指标暂无佐证材料。'));
  }

  if (photos.length) {
    out.push(subHeading(`（${first.targets.length ? 4 : 3}）照片`));
    for (const { item, label } of photos) {
      const thumb = thumbnails.get(item.sha256);
      if (thumb) {
        // Auto line spacing here: an exact line pitch would crop the picture to one line.
        out.push(
          new Paragraph({
            alignment: AlignmentType.CENTER,
            keepNext: true,
            spacing: { before: 120, after: 60, line: 240, lineRule: LineRuleType.AUTO },
            children: [
              new ImageRun({
                type: 'jpg',
                data: thumb.data,
                transformation: displaySize(thumb),
                altText: { name: `照片${label}`, description: item.title, title: item.title },
              }),
            ],
          }),
        );
      } else {
        out.push(bodyParagraph(`（照片无法读取：${item.originalName}）`, { align: 'center' }));
      }
      const lines = [`件号：${label}`, ...captionLines(item)];
      lines.forEach((line, i) =>
        out.push(new Paragraph({ style: 'Caption', keepNext: i < lines.length - 1, indent: { left: 1134 }, children: [text(line)] })),
      );
    }
  }
  return out;
}

type SelfCheckFinding = SelfCheck['findings'][number];

function findingsSection(findings: SelfCheckFinding[]): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [text('自查问题清单')] })];
  if (!findings.length) {
    out.push(bodyParagraph('经自查，未发现需要整改的问题。'));
    return out;
  }
  const order: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
  const byDepartment = new Map<string, SelfCheckFinding[]>();
  for (const f of findings) {
    const dept = f.department ?? '未指定牵头单位';
    byDepartment.set(dept, [...(byDepartment.get(dept) ?? []), f]);
  }
  out.push(
    bodyParagraph(
      `共 ${findings.length} 项问题（${SEVERITY.error.zh} ${findings.filter((f) => f.severity === 'error').length} 项），按牵头单位列出，请各单位对照整改。`,
    ),
  );
  const departments = [...byDepartment.keys()].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  for (const dept of departments) {
    const list = (byDepartment.get(dept) ?? []).sort(
      (a, b) => order[a.severity] - order[b.severity] || (a.indicator ?? '').localeCompare(b.indicator ?? '', 'en', { numeric: true }),
    );
    out.push(bodyParagraph([text(`${dept}（${list.length} 项）`, { font: FONT.kai })], { indent: false }));
    out.push(
      table(
        ['序号', '指标', '问题', '整改要求', '程度'],
        [8, 20, 36, 28, 8],
        list.map((f, i) => [
          String(i + 1),
          f.indicator ? `${f.indicator} ${f.indicatorTitle ?? ''}`.trim() : '—',
          f.message,
          f.action,
          SEVERITY[f.severity].zh,
        ]),
        [0, 4],
      ),
    );
  }
  return out;
}

function reportSection(plan: BinderPlan, selfCheck: SelfCheck, categories: CategoryGroup[]): (Paragraph | Table)[] {
  const indicators = categories.reduce((n, c) => n + c.indicators.length, 0);
  const items = plan.volumes.reduce((n, v) => n + v.items.length, 0);
  const completeness = Math.round(selfCheck.completeness * 1000) / 10;
  const targets = new Map<string, { code: string; target: DividerTarget }>();
  for (const c of categories) {
    for (const i of c.indicators) for (const t of i.parts[0].section.targets) if (!targets.has(t.id)) targets.set(t.id, { code: i.code, target: t });
  }
  const all = [...targets.values()];
  const met = all.filter((t) => t.target.met === true).length;
  const unmet = all.filter((t) => t.target.met === false).length;
  const unknown = all.length - met - unmet;
  const errors = selfCheck.findings.filter((f) => f.severity === 'error').length;

  const heading = (value: string) => new Paragraph({ heading: HeadingLevel.HEADING_2, children: [text(value)] });
  const out: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [text('自评报告（提纲）')] }),
    bodyParagraph(
      '说明：以下数字由软件根据已归集的佐证材料自动统计，【请填写：……】处由编制单位补充，定稿前请逐项核对数字与协议、台账一致。',
    ),
    heading('一、基本情况'),
    bodyParagraph(
      `${plan.unit}按照《${plan.frameworkTitle}》，对${chineseDate(plan.periodStart)}至${chineseDate(plan.periodEnd)}期间的东西部协作工作开展自查。` +
        `本次汇编涉及 ${categories.length} 个类别、${indicators} 项指标，装订佐证材料 ${items} 件，分 ${plan.volumes.length} 卷；材料完整度 ${completeness}%。`,
    ),
    bodyParagraph(PLACEHOLDER('本县东西部协作工作总体情况、结对关系、年度协议签订情况')),
    heading('二、协议指标完成情况'),
    bodyParagraph(
      all.length
        ? `共 ${all.length} 项协议指标，已完成 ${met} 项，未完成 ${unmet} 项，尚未填写目标值或完成值 ${unknown} 项。`
        : '本考核框架未设定量化协议指标。',
    ),
  ];
  if (all.length) {
    out.push(
      table(
        ['指标编码', '指标', '目标值', '完成值', '单位', '是否完成'],
        [12, 34, 14, 14, 10, 16],
        all.map(({ code, target: t }) => [
          code,
          t.label,
          formatValue(t.target),
          formatValue(t.actual),
          t.unit,
          targetStatus(t),
        ]),
        [0, 2, 3, 4, 5],
      ),
    );
  }
  out.push(bodyParagraph(PLACEHOLDER('未完成指标的原因说明及补救措施')));
  out.push(heading('三、主要做法和成效'));
  categories.forEach((c, i) => out.push(bodyParagraph(`（${chineseNumeral(i + 1)}）${c.title}。${PLACEHOLDER(`${c.title}方面的主要做法、成效和典型案例`)}`)));
  out.push(heading('四、存在的问题'));
  out.push(
    bodyParagraph(
      `经自查，佐证材料方面共发现问题 ${selfCheck.findings.length} 项（其中${SEVERITY.error.zh} ${errors} 项），详见自查问题清单。${PLACEHOLDER('工作中存在的主要问题')}`,
    ),
  );
  out.push(heading('五、下一步工作打算'));
  out.push(bodyParagraph(PLACEHOLDER('下一步工作措施')));
  out.push(bodyParagraph(plan.unit, { indent: false, align: 'right' }));
  out.push(bodyParagraph(PLACEHOLDER('成文日期'), { indent: false, align: 'right' }));
  return out;
}

function coverSection(plan: BinderPlan): (Paragraph | Table)[] {
  const suffix = plan.title.endsWith('佐证材料') && plan.title.length > 4;
  const titleLines = suffix ? [plan.title.slice(0, -4), '佐证材料汇编'] : [plan.title, plan.title.endsWith('佐证材料') ? '汇编' : '佐证材料汇编'];
  const spacer = (lines: number) => new Paragraph({ spacing: { before: 0, after: 0, line: 579 * lines, lineRule: 'exact' }, children: [] });
  return [
    spacer(4),
    // "…佐证材料" + "佐证材料汇编" would repeat itself, and a long title ending in 佐证材料 would break inside
    // 佐证: 佐证材料 moves to the second line, whole.
    new Paragraph({ style: 'Title', children: [text(titleLines[0])] }),
    new Paragraph({ style: 'Title', children: [text(titleLines[1])] }),
    spacer(2),
    bodyParagraph(`考核框架：${plan.frameworkTitle}`, { indent: false, align: 'center' }),
    bodyParagraph(`考核期间：${chineseDate(plan.periodStart)}至${chineseDate(plan.periodEnd)}`, { indent: false, align: 'center' }),
    spacer(6),
    bodyParagraph(`编制单位：${plan.unit}`, { indent: false, align: 'center' }),
    bodyParagraph(`编制日期：${chineseDate(plan.generatedAt)}`, { indent: false, align: 'center' }),
  ];
}

/** OOXML core properties with the build's own time instead of "now", so two builds are byte-identical. */
function fixCoreDates(xml: string, iso: string): string {
  const stamp = new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return xml.replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:(?:created|modified)>)/g, `$1${stamp}$2`);
}

/**
 * docx numbers bookmarks (and drawing ids) from process-wide counters, so the second document built in the
 * same process would differ from the first. Renumber them in order of appearance.
 */
function renumberIds(xml: string): string {
  const toc = new Map<string, string>();
  const bookmark = new Map<string, string>();
  const drawing = new Map<string, string>();
  const next = (map: Map<string, string>, key: string) => {
    if (!map.has(key)) map.set(key, String(map.size + 1));
    return map.get(key) ?? key;
  };
  return xml
    .replace(/_Toc(\d+)/g, (_m, n: string) => `_Toc${next(toc, n)}`)
    .replace(/(<w:bookmark(?:Start|End)\b[^>]*\bw:id=")(\d+)"/g, (_m, head: string, n: string) => `${head}${next(bookmark, n)}"`)
    .replace(/(<wp:docPr\b[^>]*\bid=")(\d+)"/g, (_m, head: string, n: string) => `${head}${next(drawing, n)}"`);
}

/**
 * Every TOC bookmark on page 0. Written where LibreOffice is about to set the real numbers (toc-pages.ts): docx's
 * own estimate lays the whole document out (most of the packing time) for numbers that would all be replaced. The
 * TOC sits in its own unnumbered section before the body, whose numbering restarts at 1, so the digits written
 * here cannot move a heading.
 */
class StandInPages extends Map<string, string> {
  override get(name: string): string | undefined {
    return name.startsWith('_Toc') ? '0' : undefined;
  }
  override has(name: string): boolean {
    return name.startsWith('_Toc');
  }
}
const standInPageNumbers: PageNumberEstimator = () => ({ bookmarks: new StandInPages() });

/**
 * How the TOC's page numbers were set: from LibreOffice's layout, or docx's estimate (no LibreOffice, or the round
 * trip failed: `reason` says why). Word/WPS update the field on open either way.
 */
export type TocOutcome = { source: 'libreoffice'; updated: number } | { source: 'estimate'; reason: string };

export type RenderedDocx = { bytes: Uint8Array; toc: TocOutcome };

export const NO_LIBREOFFICE = '未找到 LibreOffice';

/** Why a LibreOffice round trip left the estimate, in words for the build warning. */
function tocFailure(result: TocPagesResult): string | null {
  if ('error' in result) return result.error;
  if (result.missing.length) return `LibreOffice 排版中未找到标题“${result.missing[0]}”${result.missing.length > 1 ? `等 ${result.missing.length} 个` : ''}`;
  return null;
}

/**
 * The editable binder: cover, table of contents, one Heading 1 per category and Heading 2 per indicator with
 * its requirements, targets, evidence catalogue and photos, then the 自查问题清单 and a 自评报告 skeleton.
 * Pages follow GB/T 9704 (see layout.ts). Deterministic for a fixed `generatedAt`.
 */
export async function renderDocx(plan: BinderPlan, assets: AssetSource, opts: DocxOptions): Promise<Uint8Array> {
  return (await renderDocxWithToc(plan, assets, opts)).bytes;
}

/** As renderDocx, saying where the TOC's page numbers came from (a build warns when they are estimates). */
export async function renderDocxWithToc(
  plan: BinderPlan,
  assets: AssetSource,
  opts: DocxOptions,
): Promise<RenderedDocx> {
  const duplex = opts.duplex ?? true;
  const categories = groupByCategory(plan);

  const photoItems = plan.volumes.flatMap((v) => v.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'photos' ? b.items : []))));
  const thumbnails = new Map<string, Thumbnail>();
  let done = 0;
  for (const item of photoItems) {
    opts.signal?.throwIfAborted();
    if (!thumbnails.has(item.sha256)) {
      try {
        thumbnails.set(item.sha256, await loadThumbnail(assets, item.sha256));
      } catch {
        // Left out; the caption says the photo cannot be read (the PDF binder has the same placeholder).
      }
    }
    done += 1;
    opts.onProgress?.(done, photoItems.length);
  }

  // Made afresh for each packing: docx bookmarks the headings of the components it is given.
  const sectionsOf = (): ISectionOptions[] => {
    const body: (Paragraph | Table)[] = [];
    categories.forEach((category, ci) => {
      body.push(
        new Paragraph({
          heading: HeadingLevel.HEADING_1,
          pageBreakBefore: ci > 0,
          children: [text(`${chineseNumeral(ci + 1)}、${category.title}`)],
        }),
      );
      category.indicators.forEach((indicator, ii) => {
        body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [text(`（${chineseNumeral(ii + 1)}）${indicator.code} ${indicator.title}`)] }));
        body.push(...indicatorBody(plan, indicator.parts, thumbnails));
      });
    });
    if (!categories.length) body.push(bodyParagraph('尚未归集任何佐证材料。'));
    if (opts.rectification) {
      const ledger = opts.rectification;
      body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, children: [text(`${chineseNumeral(categories.length + 1)}、${ledger.title}`)] }));
      body.push(ledger.rows.length ? table(ledger.header, [5, 30, 11, 7, 12, 11, 10, 20], ledger.rows, [0, 3, 5]) : bodyParagraph('没有整改事项。'));
    }
    // The self-check list and the report draft (with its completeness figure and 【请填写】 gaps) are the office's
    // working material: only the review edition carries them.
    if (plan.selfCheck) {
      body.push(...findingsSection(plan.selfCheck.findings));
      body.push(...reportSection(plan, plan.selfCheck, categories));
    }
    return [
      // Cover and table of contents are not numbered (domain.md §4); numbering starts at 1 on the body.
      { properties: pageProperties(false), children: coverSection(plan) },
      {
        properties: pageProperties(false),
        children: [
          new Paragraph({ style: 'Title', children: [text('目  录')] }),
          new TableOfContents('目录', { hyperlink: true, headingStyleRange: '1-2' }),
        ],
      },
      { properties: pageProperties(true), footers: pageNumberFooters(duplex), children: body },
    ];
  };
  opts.signal?.throwIfAborted();

  const pack = async (pageNumbers: PageNumberEstimator): Promise<Uint8Array> => {
    const doc = new Document({
      creator: plan.unit || 'EvidenceBinder',
      lastModifiedBy: plan.unit || 'EvidenceBinder',
      title: `${plan.title} 佐证材料汇编`,
      description: `由 EvidenceBinder 于 ${plan.generatedAt} 生成`,
      styles: STYLES,
      evenAndOddHeaderAndFooters: duplex,
      // Word and WPS refresh the table of contents (and its page numbers) when the file is opened.
      features: { updateFields: true },
      // LibreOffice's plain convert and readers that do not update fields show the field's cached result, so
      // the TOC is written pre-filled: with LibreOffice's own numbers where it is installed (toc-pages.ts),
      // otherwise with page numbers estimated by docx's own layout of these pages.
      pageNumbers,
      sections: sectionsOf(),
    });
    const packed = await Packer.toBuffer(doc);
    opts.signal?.throwIfAborted();
    return rezipWithFixedTime(packed, new Date(opts.generatedAt), (name, data) => {
      if (name === 'docProps/core.xml') return Buffer.from(fixCoreDates(data.toString('utf8'), opts.generatedAt), 'utf8');
      if (name === 'word/document.xml') return Buffer.from(renumberIds(data.toString('utf8')), 'utf8');
      return data;
    });
  };
  // docx's estimate (`guess`: fonts missing from its width tables are measured as the nearest known font). The real
  // fonts on the reader's machine may move a heading by a page; Word/WPS correct that when they update the field.
  const estimated = (): Promise<Uint8Array> => pack(estimatePageNumbersWith({ guess: true }));
  if (!opts.soffice) {
    const bytes = await estimated();
    opts.onPacked?.();
    return { bytes, toc: { source: 'estimate', reason: NO_LIBREOFFICE } };
  }
  const result = await tocPagesFromLibreOffice(await pack(standInPageNumbers), {
    soffice: opts.soffice,
    generatedAt: opts.generatedAt,
    signal: opts.signal,
    ...(opts.tocCacheDir ? { cacheDir: opts.tocCacheDir } : {}),
    ...(opts.onPacked ? { onStarted: opts.onPacked } : {}),
  });
  opts.signal?.throwIfAborted();
  const failure = tocFailure(result);
  // On failure the estimate stands in (and Word/WPS still update the field on open).
  if (failure !== null) return { bytes: await estimated(), toc: { source: 'estimate', reason: failure } };
  return { bytes: result.bytes, toc: { source: 'libreoffice', updated: 'updated' in result ? result.updated : 0 } };
}

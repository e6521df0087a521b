/**
 * Generated pages of a volume: cover, 卷内目录 (GB/T 9705), indicator dividers, photo pages, placeholder
 * pages and the 备考表. Each drawer adds its pages to the document and returns them; page numbers are
 * stamped later by the renderer (it knows which pages are numbered).
 */
import type { PDFDocument, PDFFont, PDFPage, RGB } from '@cantoo/pdf-lib';
import { EVIDENCE_TYPE_LABELS } from '../../../../shared/domain/types.js';
import { REQUIREMENT_STATUS, SEVERITY, TARGET_STATE, targetState } from '../../../../shared/vocabulary.js';
import type { BinderEdition, BinderItem, BinderPlan, BinderSection, BinderVolume, CatalogueRow, PhotoCaptionLines } from '../../../../shared/binder/types.js';
import {
  A4,
  BLACK,
  GREY,
  LIGHT,
  MARGIN,
  MM,
  RED,
  SIZE,
  chineseDate,
  chineseNumber,
  clampLines,
  drawCentered,
  drawLine,
  drawMark,
  textWidth,
  wrapText,
  type Fonts,
} from './text.js';
import { drawFitted, type PreparedImage } from './images.js';
import { computedLine, formatFigure } from '../figures.js';

/** Flows lines down pages, starting a new page when the bottom is reached. */
class Flow {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  y = 0;
  constructor(
    private readonly newPage: () => PDFPage,
    private readonly top: number,
    private readonly bottom: number,
    private readonly onNewPage?: (page: PDFPage, index: number) => number,
  ) {
    this.addPage();
  }
  private addPage(): void {
    this.page = this.newPage();
    this.pages.push(this.page);
    this.y = A4.height - this.top;
    if (this.onNewPage) this.y = this.onNewPage(this.page, this.pages.length - 1);
  }
  get current(): PDFPage {
    return this.page;
  }
  ensure(height: number): void {
    if (this.y - height < this.bottom && this.y < A4.height - this.top - 1) this.addPage();
  }
  gap(h: number): void {
    this.y -= h;
  }
  /** A wrapped paragraph; `mark` draws a ✓/✗ box in the indent. */
  paragraph(
    text: string,
    font: PDFFont,
    size: number,
    opts: { indent?: number; hanging?: number; mark?: 'met' | 'partial' | 'missing' | 'unknown'; color?: RGB; leading?: number; center?: boolean } = {},
  ): void {
    const indent = opts.indent ?? 0;
    const hanging = opts.hanging ?? 0;
    const leading = opts.leading ?? size * 1.5;
    const left = MARGIN.left + indent;
    const width = A4.width - MARGIN.right - left;
    const lines = wrapText(font, text, size, width - hanging);
    lines.forEach((line, i) => {
      this.ensure(leading);
      this.y -= leading;
      if (i === 0 && opts.mark) drawMark(this.page, opts.mark, left - size * 1.2, this.y, size);
      if (opts.center) drawCentered(this.page, line, this.y, font, size, MARGIN.left, A4.width - MARGIN.right);
      else drawLine(this.page, line, left + (i === 0 ? 0 : hanging), this.y, font, size, opts.color);
    });
  }
}

function a4(doc: PDFDocument): () => PDFPage {
  return () => doc.addPage([A4.width, A4.height]);
}

// ---------------------------------------------------------------- cover

/**
 * A cover title breaks between its phrases (县名 | 2019年 | 东西部扶贫协作 | 佐证材料), never inside a word such
 * as 佐证; a phrase longer than a line falls back to wrapText.
 */
export function wrapTitle(font: PDFFont, title: string, size: number, width: number): string[] {
  const phrases = title.split(/(?<=[县市区州旗盟])(?=\d|[^\d县市区州旗盟])|(?=\d{4}年)|(?<=\d{4}年(?:度)?)|(?=东西部)|(?=佐证材料)|(?=汇编)/u).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const phrase of phrases) {
    if (line && textWidth(font, line + phrase, size) > width) {
      lines.push(line);
      line = '';
    }
    if (textWidth(font, phrase, size) > width) {
      const wrapped = wrapText(font, line + phrase, size, width);
      lines.push(...wrapped.slice(0, -1));
      line = wrapped[wrapped.length - 1] ?? '';
    } else line += phrase;
  }
  if (line) lines.push(line);
  return lines;
}

export function drawCover(
  page: PDFPage,
  fonts: Fonts,
  plan: BinderPlan,
  volume: BinderVolume,
  counts: { items: number; pages: number },
): void {
  const left = MARGIN.left;
  const right = A4.width - MARGIN.right;
  const width = right - left;
  let y = A4.height - 62 * MM;
  for (const line of wrapTitle(fonts.song, plan.title, SIZE.hao2, width)) {
    drawCentered(page, line, y, fonts.song, SIZE.hao2, left, right);
    y -= SIZE.hao2 * 1.6;
  }
  if (!plan.title.includes('佐证材料')) {
    drawCentered(page, '佐证材料', y, fonts.song, SIZE.hao2, left, right);
    y -= SIZE.hao2 * 1.6;
  }
  y = A4.height - 118 * MM;
  drawCentered(page, `第 ${volume.number} 卷`, y, fonts.hei, 26, left, right);
  y -= 16 * MM;
  for (const line of wrapText(fonts.song, volume.name, 26, width)) {
    drawCentered(page, line, y, fonts.song, 26, left, right);
    y -= 26 * 1.5;
  }
  const rows: [string, string][] = [
    ['编制单位', plan.unit || '（未填写）'],
    ['考核期间', plan.periodStart && plan.periodEnd ? `${chineseDate(plan.periodStart)}至${chineseDate(plan.periodEnd)}` : '（未填写）'],
    ['考核框架', plan.frameworkTitle],
    ['本卷件数', `${counts.items} 件`],
    ['本卷页数', `${counts.pages} 页`],
    ['编制日期', chineseDate(plan.generatedAt.slice(0, 10))],
  ];
  y = A4.height - 190 * MM;
  const labelX = left + 18 * MM;
  const valueX = labelX + SIZE.hao3 * 5.5;
  for (const [label, value] of rows) {
    drawLine(page, `${label}：`, labelX, y, fonts.hei, SIZE.hao3);
    const lines = clampLines(wrapText(fonts.fangsong, value, SIZE.hao3, right - valueX), 2);
    lines.forEach((line, i) => {
      drawLine(page, line, valueX, y - i * SIZE.hao3 * 1.4, fonts.fangsong, SIZE.hao3);
    });
    page.drawLine({
      start: { x: valueX, y: y - (lines.length - 1) * SIZE.hao3 * 1.4 - 4 },
      end: { x: right - 10 * MM, y: y - (lines.length - 1) * SIZE.hao3 * 1.4 - 4 },
      thickness: 0.5,
      color: GREY,
    });
    y -= SIZE.hao3 * 1.4 * lines.length + 10;
  }
}

// ---------------------------------------------------------------- catalogue (卷内目录, GB/T 9705)

/** Column widths in mm; binding edge on the left (装订线). */
const CATALOGUE_LEFT = 25 * MM;
const CATALOGUE_RIGHT = 15 * MM;
const COLUMNS: { key: 'seq' | 'docNumber' | 'issuer' | 'title' | 'date' | 'page' | 'remarks'; label: string; mm: number }[] = [
  { key: 'seq', label: '顺序号', mm: 11 },
  { key: 'docNumber', label: '文号', mm: 26 },
  { key: 'issuer', label: '责任者', mm: 22 },
  { key: 'title', label: '题名', mm: 58 },
  { key: 'date', label: '日期', mm: 18 },
  { key: 'page', label: '页号', mm: 14 },
  { key: 'remarks', label: '备注', mm: 21 },
];
const CELL = SIZE.hao5 - 0.5;
const CELL_LEADING = CELL * 1.3;
const CELL_PAD = 2 * MM;
const CELL_PAD_X = 1.2 * MM;

export type CatalogueLink = { page: PDFPage; rect: [number, number, number, number]; target: { kind: 'page'; number: number } };

/** Draw the catalogue on new pages (returned); links point at numbered pages, resolved by the renderer. */
export function drawCatalogue(
  newPage: () => PDFPage,
  fonts: Fonts,
  volume: BinderVolume,
  rows: CatalogueRow[],
): { pages: PDFPage[]; links: CatalogueLink[] } {
  const pages: PDFPage[] = [];
  const links: CatalogueLink[] = [];
  const x0 = CATALOGUE_LEFT;
  const x1 = A4.width - CATALOGUE_RIGHT;
  const xs: number[] = [x0];
  for (const c of COLUMNS) xs.push(xs[xs.length - 1] + c.mm * MM);
  xs[xs.length - 1] = x1;
  const bottom = 18 * MM;
  let page!: PDFPage;
  let y = 0;
  const startPage = (): void => {
    page = newPage();
    pages.push(page);
    y = A4.height - 22 * MM;
    drawCentered(page, pages.length === 1 ? '卷内目录' : '卷内目录（续）', y, fonts.song, SIZE.hao2, x0, x1);
    y -= 9 * MM;
    drawLine(page, volume.label, x0, y, fonts.fangsong, SIZE.xiao4);
    y -= 4 * MM;
    const h = CELL_LEADING + CELL_PAD * 2;
    page.drawRectangle({ x: x0, y: y - h, width: x1 - x0, height: h, color: LIGHT, opacity: 0.35 });
    COLUMNS.forEach((c, i) => {
      const w = textWidth(fonts.hei, c.label, CELL);
      drawLine(page, c.label, xs[i] + (xs[i + 1] - xs[i] - w) / 2, y - CELL_PAD - CELL, fonts.hei, CELL);
    });
    gridRow(y, h);
    y -= h;
  };
  const gridRow = (top: number, h: number, spanFrom?: number): void => {
    page.drawRectangle({ x: x0, y: top - h, width: x1 - x0, height: h, borderColor: BLACK, borderWidth: 0.6 });
    xs.slice(1, -1).forEach((x, i) => {
      if (spanFrom !== undefined && i + 1 > spanFrom && i + 1 < COLUMNS.length - 1) return;
      page.drawLine({ start: { x, y: top }, end: { x, y: top - h }, thickness: 0.6, color: BLACK });
    });
  };
  startPage();
  for (const row of rows) {
    if (row.kind === 'indicator') {
      // Spans 文号…题名…日期; keeps 页号 so the catalogue points at the divider.
      const spanLeft = xs[1];
      const spanRight = xs[5];
      const lines = wrapText(fonts.hei, row.title, CELL, spanRight - spanLeft - CELL_PAD * 2);
      const h = lines.length * CELL_LEADING + CELL_PAD * 2;
      if (y - h < bottom) startPage();
      const top = y;
      gridRow(top, h, 0);
      page.drawLine({ start: { x: xs[1], y: top }, end: { x: xs[1], y: top - h }, thickness: 0.6, color: BLACK });
      lines.forEach((l, i) => drawLine(page, l, spanLeft + CELL_PAD, top - CELL_PAD - CELL - i * CELL_LEADING + 1, fonts.hei, CELL));
      const pageText = String(row.page);
      const pw = textWidth(fonts.fangsong, pageText, CELL);
      drawLine(page, pageText, xs[5] + (xs[6] - xs[5] - pw) / 2, top - CELL_PAD - CELL + 1, fonts.fangsong, CELL);
      links.push({ page, rect: [x0, top - h, x1, top], target: { kind: 'page', number: row.page } });
      y -= h;
      continue;
    }
    const cells: Record<(typeof COLUMNS)[number]['key'], string> =
      row.kind === 'item'
        ? {
            seq: String(row.seq),
            docNumber: row.docNumber,
            issuer: row.issuer,
            title: row.archivalCode ? `${row.title}\n档号：${row.archivalCode}` : row.title,
            date: row.date,
            page: row.pageText,
            remarks: row.remarks,
          }
        : { seq: '', docNumber: '', issuer: '', title: `[参见] ${row.title}`, date: '', page: '—', remarks: row.remarks };
    const wrapped = COLUMNS.map((c, i) => wrapText(fonts.fangsong, cells[c.key], CELL, xs[i + 1] - xs[i] - CELL_PAD_X * 2));
    const h = Math.max(...wrapped.map((l) => l.length)) * CELL_LEADING + CELL_PAD * 2;
    if (y - h < bottom) startPage();
    const top = y;
    gridRow(top, h);
    wrapped.forEach((lines, i) => {
      const centred = COLUMNS[i].key !== 'title' && COLUMNS[i].key !== 'remarks' && COLUMNS[i].key !== 'issuer';
      lines.forEach((l, j) => {
        const w = textWidth(fonts.fangsong, l, CELL);
        const x = centred ? xs[i] + (xs[i + 1] - xs[i] - w) / 2 : xs[i] + CELL_PAD_X;
        drawLine(page, l, x, top - CELL_PAD - CELL - j * CELL_LEADING + 1, fonts.fangsong, CELL, row.kind === 'item' ? BLACK : GREY);
      });
    });
    if (row.kind === 'item') links.push({ page, rect: [x0, top - h, x1, top], target: { kind: 'page', number: row.page } });
    y -= h;
  }
  return { pages, links };
}

// ---------------------------------------------------------------- indicator divider


function formatValue(v: number | null, unit: string): string {
  return v === null ? '未填' : formatFigure(v, unit);
}

export type DividerOptions = {
  /** Where the divider's pages go (default: appended); the renderer redraws a divider in place once pages are known. */
  newPage?: () => PDFPage;
  /** The first page of a 件号 in this volume, once the volume is paginated. */
  pageOf?: (number: string) => number | undefined;
};

/**
 * The divider before an indicator's evidence. The review edition (自查版) shows each requirement's status, targets
 * met or not, and the open findings; the submission edition (报送版) shows only what is asked and what is bound.
 */
export function drawDivider(
  doc: PDFDocument,
  fonts: Fonts,
  section: BinderSection,
  categoryIndex: number,
  edition: BinderEdition,
  opts: DividerOptions = {},
): PDFPage[] {
  const review = edition === 'review';
  const flow = new Flow(opts.newPage ?? a4(doc), MARGIN.top - 10 * MM, MARGIN.bottom);
  flow.paragraph(`${chineseNumber(categoryIndex)}、${section.categoryTitle}`, fonts.hei, SIZE.hao3);
  flow.gap(6 * MM);
  flow.paragraph(`${section.indicatorCode} ${section.indicatorTitle}${section.continued ? '（续）' : ''}`, fonts.song, SIZE.hao2, {
    center: true,
    leading: SIZE.hao2 * 1.4,
  });
  if (section.department) {
    flow.gap(2 * MM);
    flow.paragraph(`牵头单位：${section.department}`, fonts.kai, SIZE.hao4, { center: true });
  }
  flow.gap(5 * MM);
  if (section.continued) {
    flow.paragraph(
      review ? '本指标材料较多，接上一分册继续装订。指标要求与问题清单见上一分册的本指标首页。' : '本指标材料较多，接上一分册继续装订。指标要求见上一分册的本指标首页。',
      fonts.fangsong,
      SIZE.hao4,
    );
  }
  if (section.description) flow.paragraph(section.description, fonts.fangsong, SIZE.hao4);

  const items = section.blocks.flatMap((b) => (b.kind === 'photos' ? b.items : [b.item]));
  const indent = SIZE.hao4 * 1.6;
  if (section.requirements.length > 0) {
    flow.gap(3 * MM);
    flow.paragraph('佐证材料要求', fonts.hei, SIZE.hao3);
    for (const r of section.requirements) {
      if (!review) {
        const where = r.items.length > 0 ? `：件号 ${r.items.join('、')}` : '';
        flow.paragraph(`${r.title}（${EVIDENCE_TYPE_LABELS[r.type].zh}）${where}`, fonts.fangsong, SIZE.hao4, { indent });
        continue;
      }
      const needs = `${r.mandatory ? '必备' : '可选'}，${EVIDENCE_TYPE_LABELS[r.type].zh}，应有 ${r.need} 件，现有 ${r.have} 件`;
      const where = r.items.length > 0 ? `；件号 ${r.items.join('、')}` : '';
      flow.paragraph(`${r.title}（${needs}）${REQUIREMENT_STATUS[r.status].zh}${where}`, fonts.fangsong, SIZE.hao4, {
        indent,
        mark: r.status,
        hanging: 0,
      });
    }
  }
  if (section.targets.length > 0) {
    flow.gap(3 * MM);
    flow.paragraph('协议指标', fonts.hei, SIZE.hao3);
    for (const t of section.targets) {
      const cmp = t.comparison === '>=' ? '≥' : t.comparison === '<=' ? '≤' : '=';
      const source = t.source ? `；来源：${t.source}` : '';
      if (!review) {
        // Figures and where they come from; whether they are met is for the inspectors to judge.
        flow.paragraph(`${t.label}：目标 ${cmp} ${formatValue(t.target, t.unit)}；完成 ${formatValue(t.actual, t.unit)}${source}`, fonts.fangsong, SIZE.hao4, { indent });
        if (t.computed) flow.paragraph(computedLine(t, { pageOf: opts.pageOf ?? (() => undefined) }), fonts.fangsong, SIZE.hao4, { indent: indent * 2 });
        continue;
      }
      const verdict = TARGET_STATE[targetState(t.met)].zh;
      const text = `${t.label}：目标 ${cmp} ${formatValue(t.target, t.unit)}；实际 ${formatValue(t.actual, t.unit)}；${verdict}${source}`;
      flow.paragraph(text, fonts.fangsong, SIZE.hao4, { indent, mark: t.met === null ? 'unknown' : t.met ? 'met' : 'missing' });
      if (t.computed) flow.paragraph(computedLine(t, { pageOf: opts.pageOf ?? (() => undefined) }), fonts.fangsong, SIZE.hao4, { indent: indent * 2 });
    }
  }
  if (section.crossReferences.length > 0) {
    flow.gap(3 * MM);
    flow.paragraph('参见（同一材料用于多个指标，只装订一次）', fonts.hei, SIZE.hao3);
    for (const ref of section.crossReferences) {
      flow.paragraph(`${ref.title}　${ref.text}`, fonts.fangsong, SIZE.hao4, { indent });
    }
  }
  if (review && section.findings.length > 0) {
    flow.gap(3 * MM);
    flow.paragraph(`待解决问题（${section.findings.length} 项）`, fonts.hei, SIZE.hao3);
    for (const f of section.findings) {
      flow.paragraph(`【${SEVERITY[f.severity].zh}】${f.message}　处理：${f.action}`, fonts.fangsong, SIZE.xiao4, {
        indent,
        color: f.severity === 'error' ? RED : BLACK,
      });
    }
  }
  flow.gap(4 * MM);
  const summary =
    items.length === 0
      ? section.continued
        ? ''
        : '本指标暂无装订的佐证材料。'
      : `本指标装订材料 ${items.length} 件（件号 ${items[0].number}${items.length > 1 ? `—${items[items.length - 1].number}` : ''}）。`;
  if (summary) flow.paragraph(summary, fonts.fangsong, SIZE.hao4);
  return flow.pages;
}

// ---------------------------------------------------------------- photo pages

/** Two photo slots per A4 page: image box on top, caption block below (domain.md §4). */
export const PHOTO = {
  top: 22 * MM,
  bottom: 30 * MM,
  captionHeight: 34 * MM,
  gap: 6 * MM,
};
export function photoBox(): { width: number; height: number } {
  const slot = (A4.height - PHOTO.top - PHOTO.bottom - PHOTO.gap) / 2;
  return { width: A4.width - MARGIN.left - MARGIN.right, height: slot - PHOTO.captionHeight };
}

/** Caption block (六要素 + 参见号), paired fields share a line so two photos fit one A4 page. */
function captionLines(c: PhotoCaptionLines, item: BinderItem): string[] {
  const pair = (a: string, b: string | undefined): string => (b ? `${a}　　${b}` : a);
  const lines = [
    `题名：${c.title}（件号 ${item.number}）`,
    pair(`时间：${c.time ?? '未注明'}`, `地点：${c.place ?? '未注明'}`),
    pair(`人物：${c.people ?? '未注明'}`, `摄影者：${c.photographer ?? '未注明'}`),
  ];
  if (c.note || c.seeAlso) lines.push([c.note ? `说明：${c.note}` : '', c.seeAlso ? `参见号：${c.seeAlso}` : ''].filter(Boolean).join('　　'));
  return lines;
}

export function drawPhotoPage(page: PDFPage, fonts: Fonts, items: BinderItem[], images: PreparedImage[]): void {
  const box = photoBox();
  const slot = box.height + PHOTO.captionHeight;
  items.forEach((item, i) => {
    const top = A4.height - PHOTO.top - i * (slot + PHOTO.gap);
    const img = images[i];
    const boxBottom = top - box.height;
    if ('ref' in img) {
      drawFitted(page, img, { x: MARGIN.left, y: boxBottom, width: box.width, height: box.height });
    } else {
      page.drawRectangle({ x: MARGIN.left, y: boxBottom, width: box.width, height: box.height, borderColor: RED, borderWidth: 1 });
      const lines = wrapText(fonts.fangsong, `照片无法读取：${img.error}`, SIZE.xiao4, box.width - 10 * MM);
      lines.forEach((l, j) => drawLine(page, l, MARGIN.left + 5 * MM, boxBottom + box.height / 2 - j * SIZE.xiao4 * 1.5, fonts.fangsong, SIZE.xiao4, RED));
    }
    let y = boxBottom - 2 * MM;
    const size = SIZE.hao5;
    const leading = size * 1.45;
    const maxLines = Math.floor((PHOTO.captionHeight - 2 * MM) / leading);
    const out = captionLines(item.caption ?? { title: item.title }, item).flatMap((l) => wrapText(fonts.fangsong, l, size, box.width));
    const shown = clampLines(out, maxLines);
    for (const line of shown) {
      y -= leading;
      drawLine(page, line, MARGIN.left, y, fonts.fangsong, size);
    }
  });
}

/** A scanned document saved as an image: one per page, as large as the margins allow. */
// The top margin leaves room for the 页号 and a whole 归档章 (16 mm) above the scan.
export const IMAGE_MARGIN = { top: 22 * MM, side: 15 * MM, bottom: 20 * MM };
export function imageBox(): { width: number; height: number } {
  return { width: A4.width - IMAGE_MARGIN.side * 2, height: A4.height - IMAGE_MARGIN.top - IMAGE_MARGIN.bottom };
}
export function drawImagePage(page: PDFPage, fonts: Fonts, item: BinderItem, img: PreparedImage): void {
  const box = imageBox();
  if ('ref' in img) {
    drawFitted(page, img, { x: IMAGE_MARGIN.side, y: IMAGE_MARGIN.bottom, width: box.width, height: box.height });
  } else {
    drawPlaceholder(page, fonts, item, `图片无法读取：${img.error}`, '请另存为 JPG 或 PDF 后，在“材料”中删除此件并重新导入。');
  }
}

// ---------------------------------------------------------------- placeholder page

/**
 * Readers' reasons often end with their own advice ("…无法读取。请向报送单位索取…"): split it off so the
 * page and the warning say what to do once, preferring the reader's specific advice to a generic fix.
 */
export function splitAdvice(reason: string): { cause: string; advice?: string } {
  const text = reason.trim();
  const m = /^(.*?)[。，；！]\s*(请.*)$/su.exec(text);
  const tidy = (s: string): string => s.trim().replace(/[。.；;，,\s]+$/u, '');
  if (!m) return { cause: tidy(text) };
  return { cause: tidy(m[1]), advice: `${tidy(m[2])}。` };
}

/** "第0004件《…》无法装订：<cause>。<one fix sentence>" — the reader's advice if it gave some, else `fix`. */
export function unbindableWarning(item: Pick<BinderItem, 'number' | 'title'>, reason: string, fix: string): string {
  const { cause, advice } = splitAdvice(reason);
  // "无法装订：文件已加密，无法装订" says it twice.
  const shortCause = cause.replace(/[，,]\s*无法装订$/u, '');
  return `第${item.number}件《${item.title}》无法装订：${shortCause}。${advice ?? fix}`;
}

export function drawPlaceholder(page: PDFPage, fonts: Fonts, item: BinderItem, reason: string, fix: string): void {
  const { cause, advice } = splitAdvice(reason);
  const left = MARGIN.left;
  const right = A4.width - MARGIN.right;
  const top = A4.height - MARGIN.top;
  page.drawRectangle({ x: left - 4 * MM, y: A4.height / 2 - 40 * MM, width: right - left + 8 * MM, height: top - A4.height / 2 + 44 * MM, borderColor: RED, borderWidth: 2 });
  let y = top - 12 * MM;
  drawCentered(page, '【说明页】此件未能装订原文', y, fonts.hei, SIZE.hao3, left, right);
  y -= 16 * MM;
  const paragraphs: [string, string][] = [
    ['件号', item.number],
    ['题名', item.title],
    ['原文件', item.originalName],
    ['原因', `${cause}。`],
    ['解决办法', advice ?? fix],
  ];
  for (const [label, text] of paragraphs) {
    const lines = wrapText(fonts.fangsong, `${label}：${text}`, SIZE.hao4, right - left);
    for (const l of lines) {
      drawLine(page, l, left, y, fonts.fangsong, SIZE.hao4, label === '原因' ? RED : BLACK);
      y -= SIZE.hao4 * 1.6;
    }
    y -= 2 * MM;
  }
}

// ---------------------------------------------------------------- 备考表

export function drawNoteSheet(
  doc: PDFDocument,
  fonts: Fonts,
  volume: BinderVolume,
  counts: { items: number; pages: number },
  notes: string[],
): PDFPage[] {
  const left = MARGIN.left;
  const right = A4.width - MARGIN.right;
  const boxTop = A4.height - 55 * MM;
  const signBlock = 42 * MM;
  const boxBottom = 30 * MM;
  const size = SIZE.hao4;
  const leading = size * 1.6;
  const lines: string[] = [];
  lines.push(
    ...wrapText(
      fonts.fangsong,
      `本卷共有文件 ${counts.items} 件，共 ${counts.pages} 页（不含封面、卷内目录和备考表）。`,
      size,
      right - left - 10 * MM,
    ),
  );
  notes.forEach((n, i) => lines.push(...wrapText(fonts.fangsong, `${i + 1}. ${n}`, size, right - left - 10 * MM)));
  if (notes.length === 0) lines.push('本卷材料齐全，无缺页、无复印件。');
  const pages: PDFPage[] = [];
  let index = 0;
  do {
    const page = doc.addPage([A4.width, A4.height]);
    pages.push(page);
    drawCentered(page, pages.length === 1 ? '卷内备考表' : '卷内备考表（续）', A4.height - 30 * MM, fonts.song, SIZE.hao2, left, right);
    drawLine(page, volume.label, left, A4.height - 44 * MM, fonts.fangsong, SIZE.xiao4);
    page.drawRectangle({ x: left, y: boxBottom, width: right - left, height: boxTop - boxBottom, borderColor: BLACK, borderWidth: 0.8 });
    let y = boxTop - 10 * MM;
    drawLine(page, '本卷情况说明：', left + 5 * MM, y, fonts.hei, SIZE.hao3);
    y -= 4 * MM;
    const limit = boxBottom + signBlock;
    while (index < lines.length && y - leading >= limit) {
      y -= leading;
      drawLine(page, lines[index], left + 5 * MM, y, fonts.fangsong, size);
      index += 1;
    }
    if (index >= lines.length) {
      // Signature lines: filled in by hand (GB/T 9705 备考表 立卷人/检查人/日期).
      let sy = boxBottom + signBlock - 12 * MM;
      for (const label of ['整理人：', '检查人：', '日　期：']) {
        drawLine(page, label, right - 80 * MM, sy, fonts.fangsong, SIZE.hao3);
        const x = right - 80 * MM + textWidth(fonts.fangsong, label, SIZE.hao3);
        // Kept short enough that 日 stays inside the frame.
        if (label === '日　期：') drawLine(page, '　　年　　月　　日', x, sy, fonts.fangsong, SIZE.hao3);
        else page.drawLine({ start: { x, y: sy - 3 }, end: { x: right - 8 * MM, y: sy - 3 }, thickness: 0.6, color: BLACK });
        sy -= 10 * MM;
      }
    }
  } while (index < lines.length);
  return pages;
}

export { GREY };

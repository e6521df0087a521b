/**
 * renderPdfVolume: one volume of the binder as a PDF — cover, 卷内目录 with exact pages and links,
 * per indicator a divider then its evidence (PDF pages copied as they are, photos 2 per A4 with captions,
 * converted office files, placeholder pages), and the 备考表. Pages from the first divider on carry
 * "— n —"; bookmarks, page labels and metadata are written so the file is navigable and deterministic.
 *
 * Memory: sources are loaded one at a time and dropped after their pages are copied. Plain JPEGs are
 * embedded as they are (images.ts) up to a per-volume budget; past it, and for anything else, photos are
 * downscaled to ~200 dpi for their print box, so a volume of hundreds of photos stays bounded.
 */
import { readFile } from 'node:fs/promises';
import { PDFDocument, type PDFFont, type PDFPage, type PDFRef } from '@cantoo/pdf-lib';
import { layoutVolume } from '../../../../shared/binder/layout.js';
import type { BinderItem, BinderPlan, BinderVolume, BuildWarning, BuildWarningKind, TableSource } from '../../../../shared/binder/types.js';
import { buildWarning } from '../../../../shared/binder/warnings.js';
import type { AssetSource } from '../../workspace/types.js';
import { embedFace, type FontFace, type FontRole } from '../../fonts.js';
import {
  drawCatalogue,
  drawCover,
  drawDivider,
  drawImagePage,
  drawNoteSheet,
  drawPhotoPage,
  drawPlaceholder,
  imageBox,
  photoBox,
  unbindableWarning,
} from './pages.js';
import { chooseOriginals, embedImage, imagePrefetcher, type PreparedImage } from './images.js';
import {
  addLink,
  displayFrame,
  fitOnA4,
  placeOnA4,
  prepareStreamsForSave,
  shownSize,
  useNativeDeflate,
  writeOutline,
  writePageLabels,
  type DisplayFrame,
  type OutlineNode,
  type PageLabelRange,
} from './structure.js';
import { findFreeSpot, stampCandidates, type Rect } from './free-area.js';
import { drawTablePages, readSheets, type CellFormatter, type SheetText } from './table.js';
import { A4, MARGIN, MM, RED, SIZE, chineseNumber, encodeByCharacter, registerFace, safeText, textWidth, type Fonts } from './text.js';

export type ConvertedPdfs = Map<string, { pdfPath: string } | { error: string }>;

export type RenderVolumeOptions = {
  fonts: Record<FontRole, FontFace>;
  /** Office files converted to PDF, by sha256 (convert/libreoffice.ts). */
  converted: ConvertedPdfs;
  onProgress?: (e: { stage: string; done: number; total: number }) => void;
  signal?: AbortSignal;
  /** How a spreadsheet cell is printed (the seam for masking personal data); default as it is. */
  formatCell?: CellFormatter;
  /** Bytes of original JPEGs the volume may embed as they are (default ORIGINAL_BUDGET_BYTES); then downscale. */
  originalImageBudget?: number;
};

export type RenderVolumeResult = {
  bytes: Uint8Array;
  pages: number;
  items: { number: string; title: string; page: number }[];
  warnings: BuildWarning[];
};

/**
 * Copied pages are scaled onto A4 below a free band at the top that carries the archival 页号 (and the
 * 归档章 when the page's own top is printed on); a thin margin on the other sides keeps content off the edge.
 */
const TOP_BAND = 12 * MM;
const SIDE_MARGIN = 5 * MM;
/** DA/T 22 归档章: 45 × 16 mm, 6 cells, top centre of the item's first page. */
const STAMP = { width: 45 * MM, height: 16 * MM, inset: 3 * MM };
/** Band that holds a whole stamp when no free spot is found on the page itself. */
const STAMP_BAND = STAMP.height + STAMP.inset + 3 * MM;
/** Archival 页号: small and plain, near the top outer corner (DA/T 22 §7.3: 正面右上角, 背面左上角). */
const FOLIO = { size: 10.5, inset: 10 * MM, baseline: 7 * MM };
/** Baseline of "— n —" on generated pages (GB/T 9704: in the bottom margin, below the text block). */
const NUMBER_BASELINE = 15 * MM;
/** Pages shrunk below this scale were bigger than A4 (A3 drawings): the 备考表 says so. */
const NOTED_SCALE = 0.85;

async function embedFonts(doc: PDFDocument, faces: Record<FontRole, FontFace>): Promise<Fonts> {
  const byFile = new Map<string, PDFFont>();
  const out = {} as Record<FontRole, PDFFont>;
  for (const role of ['song', 'fangsong', 'hei', 'kai'] as const) {
    const face = faces[role];
    const key = `${face.path}#${face.postscriptName ?? ''}`;
    let font = byFile.get(key);
    if (!font) {
      font = await embedFace(doc, face);
      registerFace(font, key);
      encodeByCharacter(font);
      byFile.set(key, font);
    }
    out[role] = font;
  }
  return out satisfies Fonts;
}

/** Metadata from the plan and generatedAt only (no clock): the same input gives byte-identical files. */
function setFixedMetadata(doc: PDFDocument, meta: { title: string; author: string; generatedAt: string }): void {
  const when = new Date(meta.generatedAt);
  doc.setTitle(meta.title);
  doc.setAuthor(meta.author || '佐证材料汇编');
  doc.setCreator('佐证材料汇编 EvidenceBinder');
  doc.setProducer('佐证材料汇编 EvidenceBinder');
  doc.setLanguage('zh-CN');
  if (!Number.isNaN(when.getTime())) {
    doc.setCreationDate(when);
    doc.setModificationDate(when);
  }
}

/**
 * A stand-alone A4 landscape table document (the 整改台账): the same table pages as a printed ledger, with fixed
 * metadata so the same input gives the same bytes.
 */
export async function renderTablePdf(
  sheets: SheetText[],
  opts: { fonts: Record<FontRole, FontFace>; title: string; author: string; generatedAt: string; formatCell?: CellFormatter },
): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  useNativeDeflate(doc);
  drawTablePages(doc, await embedFonts(doc, opts.fonts), sheets, opts.formatCell);
  setFixedMetadata(doc, { title: opts.title, author: opts.author, generatedAt: opts.generatedAt });
  await doc.flush();
  prepareStreamsForSave(doc);
  return doc.save({ useObjectStreams: true, addDefaultPage: false });
}

const PHOTO_FIX = '请用看图软件另存为 JPG 后，在“材料”中删除此件并重新导入。';

/**
 * A page between the first divider and the 备考表. `archival` pages are the evidence's own (copied PDFs,
 * scans): they get the small archival 页号 in the top corner; the binder's own pages get "— n —".
 */
/** Stands in for a ledger's page number on the first drawing of a divider: no volume reaches it, none is wider. */
const PROVISIONAL_PAGE = 9999;

type NumberedPage = { page: PDFPage; frame: DisplayFrame; archival: boolean; stamp?: Rect };

export async function renderPdfVolume(
  plan: BinderPlan,
  volumeIndex: number,
  assets: AssetSource,
  opts: RenderVolumeOptions,
): Promise<RenderVolumeResult> {
  const volume: BinderVolume | undefined = plan.volumes[volumeIndex];
  if (!volume) throw new Error(`分册序号超出范围：${volumeIndex}（共 ${plan.volumes.length} 册）。`);
  const warn = (kind: BuildWarningKind, item: BinderItem, message: string): void => {
    warnings.push(buildWarning(kind, message, { volume: volume.label, item: item.number }));
  };
  const doc = await PDFDocument.create({ updateMetadata: false });
  useNativeDeflate(doc);
  const fonts = await embedFonts(doc, opts.fonts);
  const warnings: BuildWarning[] = [];
  const numbered: NumberedPage[] = [];
  const itemPages = new Map<string, number>();
  const itemFirst = new Map<string, PDFPage>();
  const stampFirst = new Map<string, { page: NumberedPage; items: BinderItem[] }>();
  const failed = new Set<string>();
  const dividerCounts: number[] = [];
  const dividerFirst: PDFPage[] = [];
  /** Index into `numbered` (and the document, before front matter) of each divider's first page. */
  const dividerStart: number[] = [];
  const stamp = plan.options.stamp;
  const total = volume.items.length;
  let done = 0;
  const progress = (): void => opts.onProgress?.({ stage: 'pdf', done, total });
  progress();

  const scaledPages = new Map<string, { pages: number[]; size: string }>();
  const generated = (page: PDFPage, archival = false): NumberedPage => {
    const n: NumberedPage = { page, frame: displayFrame(page), archival };
    numbered.push(n);
    return n;
  };

  const placeholder = (item: BinderItem, reason: string, fix: string): void => {
    const page = doc.addPage([A4.width, A4.height]);
    drawPlaceholder(page, fonts, item, reason, fix);
    const n = generated(page);
    itemPages.set(item.number, 1);
    itemFirst.set(item.number, page);
    stampFirst.set(item.number, { page: n, items: [item] });
    warn(item.render.kind === 'convert' ? 'conversion' : 'unreadable', item, unbindableWarning(item, reason, fix));
  };

  const copyPdf = async (item: BinderItem, file: string): Promise<boolean> => {
    let src: PDFDocument;
    let indices: number[];
    try {
      src = await PDFDocument.load(await readFile(file), { updateMetadata: false });
      // A file can parse and still have no page tree (a truncated or fake PDF): that throws here, not in load.
      indices = src.getPageIndices();
    } catch (err) {
      const encrypted = err instanceof Error && /encrypt/i.test(err.message);
      placeholder(
        item,
        encrypted ? '文件已加密（有密码），无法装订。' : '文件已损坏，无法打开。',
        '请取得可读的原件（去掉密码或重新扫描为 PDF），在“材料”中删除此件后重新导入。',
      );
      return false;
    }
    if (indices.length === 0) {
      placeholder(item, '文件没有任何页面。', '请检查原件后重新导入。');
      return false;
    }
    const copied = await doc.copyPages(src, indices);
    for (const [i, page] of copied.entries()) {
      doc.addPage(page);
      let band = TOP_BAND;
      let spot: Rect | undefined;
      if (stamp && i === 0) {
        // Top centre if the page is blank there; else the nearest free spot; else a band of its own.
        const planned = placeOnA4(shownSize(page), A4, TOP_BAND, SIDE_MARGIN);
        const avoid = [folioBox(planned.sheetWidth, planned.sheetHeight, 'right'), folioBox(planned.sheetWidth, planned.sheetHeight, 'left')];
        const free = await findFreeSpot(file, 0, planned, stampCandidates(planned, STAMP, STAMP.inset, avoid));
        if (free) spot = free;
        else {
          band = STAMP_BAND;
          spot = { x: (planned.sheetWidth - STAMP.width) / 2, y: planned.sheetHeight - STAMP.inset - STAMP.height, ...STAMP };
        }
      }
      const placed = fitOnA4(page, A4, band, SIDE_MARGIN);
      if (placed.scale < NOTED_SCALE) {
        const entry = scaledPages.get(item.number) ?? { pages: [], size: paperName(placed.width / placed.scale, placed.height / placed.scale) };
        entry.pages.push(i + 1);
        scaledPages.set(item.number, entry);
      }
      const n: NumberedPage = { page, frame: placed.frame, archival: true, ...(spot ? { stamp: spot } : {}) };
      numbered.push(n);
      if (i === 0) stampFirst.set(item.number, { page: n, items: [item] });
    }
    itemPages.set(item.number, copied.length);
    itemFirst.set(item.number, copied[0]);
    return true;
  };

  const bindTable = async (item: BinderItem, source: TableSource): Promise<void> => {
    let sheets: SheetText[];
    let reason = '表格文件无法读取或没有任何内容。';
    try {
      sheets = await readSheets(assets.originalPath(item.sha256), source, item.title);
    } catch (error) {
      if (error instanceof Error && /[\u4e00-\u9fff]/.test(error.message)) reason = error.message;
      sheets = [];
    }
    if (sheets.length === 0) {
      placeholder(item, reason, '请用 WPS 或 Excel 打开检查，另存为 PDF 后在“材料”中删除此件并重新导入。');
      return;
    }
    const pages = drawTablePages(doc, fonts, sheets, opts.formatCell);
    const first = generated(pages[0], true);
    for (const page of pages.slice(1)) generated(page, true);
    itemPages.set(item.number, pages.length);
    itemFirst.set(item.number, pages[0]);
    stampFirst.set(item.number, { page: first, items: [item] });
  };

  const categoryNumber = (code: string, fallback: number): number => (/^\d+$/.test(code) ? Number(code) : fallback);
  const categoryOrder = [...new Set(volume.sections.map((s) => s.categoryCode))];

  const imageFiles = volume.sections.flatMap((section) =>
    section.blocks.flatMap((block) =>
      block.kind === 'photos'
        ? block.items.map((item) => ({ key: item.number, file: assets.originalPath(item.sha256), box: photoBox() }))
        : block.item.render.kind === 'image'
          ? [{ key: block.item.number, file: assets.originalPath(block.item.sha256), box: imageBox() }]
          : [],
    ),
  );
  const originals = await chooseOriginals(imageFiles.map((j) => j.file), opts.originalImageBudget);
  const nextImage = imagePrefetcher(
    imageFiles.map((j, i) => ({ ...j, allowOriginal: originals[i] })),
    16,
  );
  const iccProfiles = new Map<string, PDFRef>();

  for (const [si, section] of volume.sections.entries()) {
    opts.signal?.throwIfAborted();
    dividerStart[si] = numbered.length;
    // Ledger pages are not known yet: the widest page number stands in, and the divider is drawn again below.
    const dividerPages = drawDivider(
      doc,
      fonts,
      section,
      categoryNumber(section.categoryCode, categoryOrder.indexOf(section.categoryCode) + 1),
      plan.options.edition,
      { pageOf: () => PROVISIONAL_PAGE },
    );
    dividerPages.forEach((p) => generated(p));
    dividerCounts[si] = dividerPages.length;
    dividerFirst[si] = dividerPages[0];
    for (const block of section.blocks) {
      opts.signal?.throwIfAborted();
      if (block.kind === 'photos') {
        const images: PreparedImage[] = [];
        for (const item of block.items) images.push(await embedImage(doc, await nextImage(item.number), iccProfiles));
        const page = doc.addPage([A4.width, A4.height]);
        drawPhotoPage(page, fonts, block.items, images);
        const n = generated(page);
        block.items.forEach((item, i) => {
          itemPages.set(item.number, 1);
          itemFirst.set(item.number, page);
          const img = images[i];
          if ('error' in img) warn('photo', item, unbindableWarning(item, img.error, PHOTO_FIX));
        });
        stampFirst.set(block.items[0].number, { page: n, items: block.items });
        done += block.items.length;
        progress();
        continue;
      }
      const item = block.item;
      const render = item.render;
      if (render.kind === 'pdf') {
        await copyPdf(item, assets.originalPath(item.sha256));
      } else if (render.kind === 'convert') {
        const result = opts.converted.get(item.sha256);
        if (result && 'pdfPath' in result) {
          if (!(await copyPdf(item, result.pdfPath))) failed.add(item.number);
        } else {
          failed.add(item.number);
          placeholder(
            item,
            result?.error ?? `“${item.originalName}”尚未转换为 PDF，无法装订。`,
            '请安装 LibreOffice（免费）后重新生成；或在 WPS/Word 中把此文件另存为 PDF，在“材料”中删除此件后重新导入。',
          );
        }
      } else if (render.kind === 'table') {
        await bindTable(item, render.source);
      } else if (render.kind === 'image') {
        const img = await embedImage(doc, await nextImage(item.number), iccProfiles);
        const page = doc.addPage([A4.width, A4.height]);
        drawImagePage(page, fonts, item, img);
        const n = generated(page, true);
        itemPages.set(item.number, 1);
        itemFirst.set(item.number, page);
        stampFirst.set(item.number, { page: n, items: [item] });
        if ('error' in img) warn('photo', item, unbindableWarning(item, img.error, PHOTO_FIX));
      } else if (render.kind === 'placeholder') {
        placeholder(item, render.reason, render.fix);
      }
      done += 1;
      progress();
    }
  }

  const layout = layoutVolume(volume, {
    itemPages: (item) => itemPages.get(item.number) ?? 1,
    dividerPages: (i) => dividerCounts[i] ?? 1,
    failedConversions: failed,
  });
  if (layout.numberedPages !== numbered.length) {
    throw new Error(`内部错误：页码计算不一致（目录 ${layout.numberedPages} 页，实际 ${numbered.length} 页）。`);
  }

  // Dividers that cite ledger pages are drawn again with the real numbers, in place. The stand-in number is at least
  // as wide, so the text wraps to no more lines; a divider that comes out a page shorter keeps a blank page instead
  // so that no page number printed elsewhere moves.
  volume.sections.forEach((section, si) => {
    if (!section.targets.some((t) => t.computed?.sources.some((s) => s.number !== undefined && s.volume === undefined))) return;
    const start = dividerStart[si];
    const count = dividerCounts[si];
    for (let k = count - 1; k >= 0; k--) doc.removePage(start + k);
    let at = start;
    const insert = (): PDFPage => doc.insertPage(at++, [A4.width, A4.height]);
    const pages = drawDivider(doc, fonts, section, categoryNumber(section.categoryCode, categoryOrder.indexOf(section.categoryCode) + 1), plan.options.edition, {
      newPage: insert,
      pageOf: (number) => layout.itemPage.get(number),
    });
    if (pages.length > count) throw new Error(`内部错误：分隔页重排后页数增加（${section.indicatorCode}：${count} → ${pages.length} 页）。`);
    while (pages.length < count) pages.push(insert());
    pages.forEach((page, k) => {
      numbered[start + k] = { page, frame: displayFrame(page), archival: false };
    });
    dividerFirst[si] = pages[0];
  });

  numbered.forEach((n, i) => {
    const recto = !plan.options.duplex || (i + 1) % 2 === 1;
    if (n.archival) {
      // Archival 页号: plain digits in the top outer corner, unlike any number the document prints itself.
      const box = folioBox(n.frame.width, n.frame.height, recto ? 'right' : 'left');
      const text = String(i + 1);
      const w = textWidth(fonts.song, text, FOLIO.size);
      const p = n.frame.at(recto ? box.x + box.width - w : box.x, n.frame.height - FOLIO.baseline);
      n.page.drawText(text, { x: p.x, y: p.y, size: FOLIO.size, font: fonts.song, rotate: n.frame.rotate });
      return;
    }
    // The binder's own pages: "— n —", 4号 宋体 (GB/T 9704); duplex: odd right, even left; else centred.
    const text = safeText(fonts.song, `— ${i + 1} —`);
    const w = textWidth(fonts.song, text, SIZE.hao4);
    const side = plan.options.duplex ? (recto ? 'right' : 'left') : 'center';
    const dx = side === 'center' ? (n.frame.width - w) / 2 : side === 'right' ? n.frame.width - MARGIN.right - w : MARGIN.left;
    const p = n.frame.at(dx, NUMBER_BASELINE);
    n.page.drawText(text, { x: p.x, y: p.y, size: SIZE.hao4, font: fonts.song, rotate: n.frame.rotate });
  });

  if (stamp) {
    for (const [, { page: n, items }] of stampFirst) {
      const spot = n.stamp ?? { x: (n.frame.width - STAMP.width) / 2, y: n.frame.height - STAMP.inset - STAMP.height, ...STAMP };
      drawArchiveStamp(n, spot, fonts, plan, items, layout.itemPageCount);
    }
  }
  for (const [number, { pages, size }] of scaledPages) {
    layout.notes.push(`第${number}件第${pages.join('、')}页原为 ${size}，已按比例缩小至 A4 幅面装订。`);
    // Small print on an A3 drawing may become hard to read: the office should look at it before printing.
    warnings.push(
      buildWarning('scaled', `第${number}件第${pages.join('、')}页原为 ${size}，已缩小至 A4 装订（备考表已注明）。请打印核对字迹是否清晰，必要时另附原尺寸复印件。`, {
        volume: volume.label,
        item: number,
      }),
    );
  }

  // Front matter goes before the numbered part; numbering starts at the first divider, so the catalogue's
  // own length cannot shift any number it prints.
  const counts = { items: volume.items.length, pages: layout.numberedPages };
  const cover = doc.insertPage(0, [A4.width, A4.height]);
  drawCover(cover, fonts, plan, volume, counts);
  let at = 1;
  const front: { label: string; start: number }[] = [{ label: '封面', start: 0 }];
  const blank = (): void => {
    doc.insertPage(at, [A4.width, A4.height]);
    front.push({ label: '空白', start: at });
    at += 1;
  };
  // Duplex: the catalogue and page 1 must each start on a right-hand (odd physical) page.
  if (plan.options.duplex) blank();
  const catalogueStart = at;
  const catalogue = drawCatalogue(() => doc.insertPage(at++, [A4.width, A4.height]), fonts, volume, layout.rows);
  front.push({ label: '目录-', start: catalogueStart });
  if (plan.options.duplex && catalogue.pages.length % 2 === 1) blank();
  const firstNumbered = at;
  for (const link of catalogue.links) {
    const target = numbered[link.target.number - 1];
    if (target) addLink(doc, link.page, link.rect, target.page);
  }

  const noteStart = doc.getPageCount();
  const notePages = drawNoteSheet(doc, fonts, volume, counts, layout.notes);

  const labels: PageLabelRange[] = front.map((f) =>
    f.label === '目录-' ? { start: f.start, prefix: '目录-', decimal: true } : { start: f.start, prefix: f.label },
  );
  labels.push({ start: firstNumbered, decimal: true, first: 1 });
  labels.push(notePages.length > 1 ? { start: noteStart, prefix: '备考表-', decimal: true } : { start: noteStart, prefix: '备考表' });
  writePageLabels(doc, labels);

  // Bookmarks: volume → category → indicator → item (item title = its catalogue row title).
  const categories: OutlineNode[] = [];
  const rowsByNumber = new Map(layout.rows.flatMap((r) => (r.kind === 'item' ? [[r.number, r] as const] : [])));
  volume.sections.forEach((section, si) => {
    let category = categories.find((c) => c.title.endsWith(`、${section.categoryTitle}`));
    if (!category) {
      category = {
        title: `${chineseNumber(categoryNumber(section.categoryCode, categories.length + 1))}、${section.categoryTitle}`,
        page: dividerFirst[si],
        open: true,
        children: [],
      };
      categories.push(category);
    }
    const items = section.blocks.flatMap((b) => (b.kind === 'photos' ? b.items : [b.item]));
    category.children.push({
      title: `${section.indicatorCode} ${section.indicatorTitle}${section.continued ? '（续）' : ''}`,
      page: dividerFirst[si],
      open: false,
      children: items.map((item) => ({
        title: rowsByNumber.get(item.number)?.title ?? item.title,
        page: itemFirst.get(item.number) ?? dividerFirst[si],
        children: [],
      })),
    });
  });
  writeOutline(doc, [
    {
      title: volume.label,
      page: cover,
      open: true,
      children: [
        { title: '卷内目录', page: catalogue.pages[0], children: [] },
        ...categories,
        { title: '卷内备考表', page: notePages[0], children: [] },
      ],
    },
  ]);

  // Fixed metadata: same plan and generatedAt ⇒ byte-identical file.
  setFixedMetadata(doc, { title: `${plan.title} ${volume.label}`, author: plan.unit, generatedAt: plan.generatedAt });
  doc.setSubject(`${plan.frameworkTitle} 佐证材料`);
  opts.onProgress?.({ stage: 'pdf-save', done: total, total });
  await doc.flush();
  prepareStreamsForSave(doc);
  const bytes = await doc.save({ useObjectStreams: true, addDefaultPage: false });
  for (const n of failed) {
    if (!warnings.some((w) => w.item === n)) warnings.push(buildWarning('conversion', `第${n}件未能转换为 PDF，已以说明页代替。`, { volume: volume.label, item: n }));
  }
  return {
    bytes,
    pages: doc.getPageCount(),
    items: layout.rows.flatMap((r) => (r.kind === 'item' ? [{ number: r.number, title: r.title, page: r.page }] : [])),
    warnings,
  };
}

/** Where the archival 页号 goes: the top outer corner of the sheet (display coordinates). */
function folioBox(sheetWidth: number, sheetHeight: number, side: 'left' | 'right'): Rect {
  const width = 16 * MM;
  const x = side === 'right' ? sheetWidth - FOLIO.inset - width : FOLIO.inset;
  return { x, y: sheetHeight - FOLIO.baseline - 2 * MM, width, height: FOLIO.size + 3 * MM };
}

/** "A3（420×297 mm）" for the 备考表, else the size in mm. */
function paperName(width: number, height: number): string {
  const mm = (v: number) => Math.round(v / MM);
  const [a, b] = [mm(width), mm(height)].sort((x, y) => x - y);
  const named = Math.abs(a - 297) <= 3 && Math.abs(b - 420) <= 3 ? 'A3 ' : Math.abs(a - 420) <= 4 && Math.abs(b - 594) <= 4 ? 'A2 ' : '';
  return `${named}${mm(width)}×${mm(height)} mm`;
}

/**
 * 归档章 (DA/T 22—2015 §7.2): 45 × 16 mm, red, two rows of three cells —
 * 全宗号 | 年度 | 件号 / 机构（问题）| 保管期限 | 页数.
 */
function drawArchiveStamp(
  n: NumberedPage,
  spot: Rect,
  fonts: Fonts,
  plan: BinderPlan,
  items: BinderItem[],
  pageCount: Map<string, number>,
): void {
  const { x: x0, y: y0, width: w, height: h } = spot;
  const page = n.page;
  const corner = n.frame.at(x0, y0);
  page.drawRectangle({ x: corner.x, y: corner.y, width: w, height: h, borderColor: RED, borderWidth: 0.9, rotate: n.frame.rotate });
  const line = (ax: number, ay: number, bx: number, by: number): void => {
    page.drawLine({ start: n.frame.at(ax, ay), end: n.frame.at(bx, by), thickness: 0.6, color: RED });
  };
  line(x0, y0 + h / 2, x0 + w, y0 + h / 2);
  line(x0 + w / 3, y0, x0 + w / 3, y0 + h);
  line(x0 + (2 * w) / 3, y0, x0 + (2 * w) / 3, y0 + h);
  const cell = (value: string, column: number, row: number): void => {
    let size = 8;
    const text = safeText(fonts.song, value);
    while (size > 5 && textWidth(fonts.song, text, size) > w / 3 - 1.5 * MM) size -= 0.5;
    const tw = textWidth(fonts.song, text, size);
    const p = n.frame.at(x0 + (column * w) / 3 + (w / 3 - tw) / 2, y0 + (row === 0 ? h / 2 : 0) + (h / 2 - size * 0.7) / 2);
    page.drawText(text, { x: p.x, y: p.y, size, font: fonts.song, color: RED, rotate: n.frame.rotate });
  };
  const first = items[0];
  const numbers = items.length > 1 ? `${first.number}-${items[items.length - 1].number}` : first.number;
  // Top row: 全宗号 · 年度 · 件号; bottom row: 机构（问题）· 保管期限 · 页数.
  cell(plan.fonds || '—', 0, 0);
  cell(plan.year, 1, 0);
  cell(numbers, 2, 0);
  cell(plan.orgCode, 0, 1);
  cell('30年', 1, 1);
  cell(String(pageCount.get(first.number) ?? 1), 2, 1);
}

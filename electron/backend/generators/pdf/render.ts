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
import type { BinderItem, BinderPlan, BinderVolume } from '../../../../shared/binder/types.js';
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
import { addLink, addStrips, prepareStreamsForSave, useNativeDeflate, displayFrame, writeOutline, writePageLabels, type DisplayFrame, type OutlineNode, type PageLabelRange } from './structure.js';
import { A4, MARGIN, MM, RED, SIZE, WHITE, chineseNumber, encodeByCharacter, registerFace, safeText, textWidth, type Fonts } from './text.js';

export type ConvertedPdfs = Map<string, { pdfPath: string } | { error: string }>;

export type RenderVolumeOptions = {
  fonts: Record<FontRole, FontFace>;
  /** Office files converted to PDF, by sha256 (convert/libreoffice.ts). */
  converted: ConvertedPdfs;
  onProgress?: (e: { stage: string; done: number; total: number }) => void;
  signal?: AbortSignal;
  /** Bytes of original JPEGs the volume may embed as they are (default ORIGINAL_BUDGET_BYTES); then downscale. */
  originalImageBudget?: number;
};

export type RenderVolumeResult = {
  bytes: Uint8Array;
  pages: number;
  items: { number: string; title: string; page: number }[];
  warnings: string[];
};

/** Strip added below copied pages for the page number, and above an item's first page for the 归档章. */
const NUMBER_STRIP = 14 * MM;
const STAMP_STRIP = 20 * MM;
/** Baseline of "— n —" on generated pages (GB/T 9704: in the bottom margin, below the text block). */
const NUMBER_BASELINE = 15 * MM;

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

const PHOTO_FIX = '请用看图软件另存为 JPG 后，在“材料”中删除此件并重新导入。';

type NumberedPage = { page: PDFPage; frame: DisplayFrame; margin: number; stripped: boolean };

export async function renderPdfVolume(
  plan: BinderPlan,
  volumeIndex: number,
  assets: AssetSource,
  opts: RenderVolumeOptions,
): Promise<RenderVolumeResult> {
  const volume: BinderVolume | undefined = plan.volumes[volumeIndex];
  if (!volume) throw new Error(`分册序号超出范围：${volumeIndex}（共 ${plan.volumes.length} 册）。`);
  // 件号 restart in every volume: a warning names the volume too.
  const inVolume = plan.volumes.length > 1 ? `第${volume.number}卷` : '';
  const doc = await PDFDocument.create({ updateMetadata: false });
  useNativeDeflate(doc);
  const fonts = await embedFonts(doc, opts.fonts);
  const warnings: string[] = [];
  const numbered: NumberedPage[] = [];
  const itemPages = new Map<string, number>();
  const itemFirst = new Map<string, PDFPage>();
  const stampFirst = new Map<string, { page: NumberedPage; items: BinderItem[] }>();
  const failed = new Set<string>();
  const dividerCounts: number[] = [];
  const dividerFirst: PDFPage[] = [];
  const stamp = plan.options.stamp;
  const total = volume.items.length;
  let done = 0;
  const progress = (): void => opts.onProgress?.({ stage: 'pdf', done, total });
  progress();

  const generated = (page: PDFPage, margin = 0): NumberedPage => {
    const n: NumberedPage = { page, frame: displayFrame(page), margin, stripped: false };
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
    warnings.push(inVolume + unbindableWarning(item, reason, fix));
  };

  const copyPdf = async (item: BinderItem, file: string): Promise<boolean> => {
    let src: PDFDocument;
    try {
      src = await PDFDocument.load(await readFile(file), { updateMetadata: false });
    } catch (err) {
      const encrypted = err instanceof Error && /encrypt/i.test(err.message);
      placeholder(
        item,
        encrypted ? '文件已加密（有密码），无法装订。' : '文件已损坏，无法打开。',
        '请取得可读的原件（去掉密码或重新扫描为 PDF），在“材料”中删除此件后重新导入。',
      );
      return false;
    }
    const indices = src.getPageIndices();
    if (indices.length === 0) {
      placeholder(item, '文件没有任何页面。', '请检查原件后重新导入。');
      return false;
    }
    const copied = await doc.copyPages(src, indices);
    copied.forEach((page, i) => {
      doc.addPage(page);
      const frame = addStrips(page, NUMBER_STRIP, stamp && i === 0 ? STAMP_STRIP : 0);
      // Blank the strips: content outside the original crop box must not show through.
      const white = (dy: number, h: number): void => {
        const p = frame.at(0, dy);
        page.drawRectangle({ x: p.x, y: p.y, width: frame.width, height: h, color: WHITE, rotate: frame.rotate });
      };
      white(0, NUMBER_STRIP);
      if (stamp && i === 0) white(frame.height - STAMP_STRIP, STAMP_STRIP);
      const n: NumberedPage = { page, frame, margin: 12 * MM, stripped: true };
      numbered.push(n);
      if (i === 0) stampFirst.set(item.number, { page: n, items: [item] });
    });
    itemPages.set(item.number, copied.length);
    itemFirst.set(item.number, copied[0]);
    return true;
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
    const dividerPages = drawDivider(doc, fonts, section, categoryNumber(section.categoryCode, categoryOrder.indexOf(section.categoryCode) + 1));
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
          if ('error' in img) warnings.push(inVolume + unbindableWarning(item, img.error, PHOTO_FIX));
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
      } else if (render.kind === 'image') {
        const img = await embedImage(doc, await nextImage(item.number), iccProfiles);
        const page = doc.addPage([A4.width, A4.height]);
        drawImagePage(page, fonts, item, img);
        const n = generated(page);
        itemPages.set(item.number, 1);
        itemFirst.set(item.number, page);
        stampFirst.set(item.number, { page: n, items: [item] });
        if ('error' in img) warnings.push(inVolume + unbindableWarning(item, img.error, PHOTO_FIX));
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

  // Page numbers "— n —", 4号 宋体 (GB/T 9704); duplex: odd right, even left; else centred.
  numbered.forEach((n, i) => {
    const text = safeText(fonts.song, `— ${i + 1} —`);
    const w = textWidth(fonts.song, text, SIZE.hao4);
    const side = plan.options.duplex ? ((i + 1) % 2 === 1 ? 'right' : 'left') : 'center';
    const inset = n.stripped ? n.margin : side === 'right' ? MARGIN.right : MARGIN.left;
    const dx = side === 'center' ? (n.frame.width - w) / 2 : side === 'right' ? n.frame.width - inset - w : inset;
    const dy = n.stripped ? (NUMBER_STRIP - SIZE.hao4 * 0.7) / 2 : NUMBER_BASELINE;
    const p = n.frame.at(dx, dy);
    n.page.drawText(text, { x: p.x, y: p.y, size: SIZE.hao4, font: fonts.song, rotate: n.frame.rotate });
  });

  if (stamp) {
    for (const [, { page: n, items }] of stampFirst) drawArchiveStamp(n, fonts, items, layout.itemPageCount);
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
  const when = new Date(plan.generatedAt);
  doc.setTitle(`${plan.title} ${volume.label}`);
  doc.setAuthor(plan.unit || '佐证材料汇编');
  doc.setSubject(`${plan.frameworkTitle} 佐证材料`);
  doc.setCreator('佐证材料汇编 EvidenceBinder');
  doc.setProducer('佐证材料汇编 EvidenceBinder');
  doc.setLanguage('zh-CN');
  if (!Number.isNaN(when.getTime())) {
    doc.setCreationDate(when);
    doc.setModificationDate(when);
  }
  opts.onProgress?.({ stage: 'pdf-save', done: total, total });
  await doc.flush();
  prepareStreamsForSave(doc);
  const bytes = await doc.save({ useObjectStreams: true, addDefaultPage: false });
  for (const n of failed) {
    if (!warnings.some((w) => w.startsWith(`第${n}件`))) warnings.push(`第${n}件未能转换为 PDF，已以说明页代替。`);
  }
  return {
    bytes,
    pages: doc.getPageCount(),
    items: layout.rows.flatMap((r) => (r.kind === 'item' ? [{ number: r.number, title: r.title, page: r.page }] : [])),
    warnings,
  };
}

/** 归档章 (DA/T 22): a red box top-right of the item's first page — 档号, 件号, 页数. */
function drawArchiveStamp(n: NumberedPage, fonts: Fonts, items: BinderItem[], pageCount: Map<string, number>): void {
  const w = 66 * MM;
  const h = 13 * MM;
  const size = 8;
  const right = n.stripped ? 8 * MM : 10 * MM;
  const topInset = n.stripped ? 3.5 * MM : 5 * MM;
  const x0 = n.frame.width - right - w;
  const y0 = n.frame.height - topInset - h;
  const corner = n.frame.at(x0, y0);
  const page = n.page;
  page.drawRectangle({ x: corner.x, y: corner.y, width: w, height: h, borderColor: RED, borderWidth: 1, rotate: n.frame.rotate });
  const line = (ax: number, ay: number, bx: number, by: number): void => {
    const a = n.frame.at(ax, ay);
    const b = n.frame.at(bx, by);
    page.drawLine({ start: a, end: b, thickness: 0.6, color: RED });
  };
  line(x0, y0 + h / 2, x0 + w, y0 + h / 2);
  line(x0 + w / 2, y0, x0 + w / 2, y0 + h / 2);
  const text = (s: string, dx: number, dy: number): void => {
    const p = n.frame.at(dx, dy);
    page.drawText(safeText(fonts.song, s), { x: p.x, y: p.y, size, font: fonts.song, color: RED, rotate: n.frame.rotate });
  };
  const code = items[0].archivalCode ?? '（未设全宗号）';
  text(`档号 ${code}`, x0 + 2 * MM, y0 + h / 2 + 2.2 * MM);
  text(`件号 ${items.map((i) => i.number).join('、')}`, x0 + 2 * MM, y0 + 2.2 * MM);
  text(`页数 ${pageCount.get(items[0].number) ?? 1}`, x0 + w / 2 + 2 * MM, y0 + 2.2 * MM);
}

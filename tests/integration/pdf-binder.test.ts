/**
 * The printed binder: a small workspace (real PDFs with Chinese text, an EXIF-rotated phone photo, a DOCX
 * converted by LibreOffice, an encrypted PDF) rendered to a volume PDF, then read back with poppler, qpdf
 * and mupdf the way a user's reader would see it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { PDFDocument, degrees } from '@cantoo/pdf-lib';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBinderPlan, type BinderPlan } from '../../shared/binder/plan.js';
import type { Evidence, Framework, GapReport, WorkspaceSettings } from '../../shared/domain/types.js';
import { convertToPdf } from '../../electron/backend/convert/libreoffice.js';
import { chooseFonts, embedFace, type FontFace, type FontRole } from '../../electron/backend/fonts.js';
import { wrapText } from '../../electron/backend/generators/pdf/text.js';
import { wrapTitle } from '../../electron/backend/generators/pdf/pages.js';
import { renderPdfVolume, type RenderVolumeResult } from '../../electron/backend/generators/pdf/index.js';
import { chooseOriginals } from '../../electron/backend/generators/pdf/images.js';
import { unbindableWarning } from '../../electron/backend/generators/pdf/pages.js';
import type { AssetSource } from '../../electron/backend/workspace/types.js';

const GENERATED_AT = '2019-12-20T08:00:00.000Z';
let dir: string;
let store: string;
let fonts: Record<FontRole, FontFace>;
let plan: BinderPlan;
let assets: AssetSource;
let converted: Awaited<ReturnType<typeof convertToPdf>>;
let result: RenderVolumeResult;
let outFile: string;
let photoRotatedSha: string;

const framework: Framework = {
  id: 'test',
  title: '东西部扶贫协作考核（测试）',
  categories: [
    {
      code: '1',
      title: '组织领导',
      indicators: [
        {
          code: '1.1',
          title: '党委政府研究部署',
          department: '县协作办',
          requirements: [
            { id: '1.1-1', title: '党委政府专题研究会议纪要', type: 'minutes', min: 1, period: 'once', mandatory: true },
            { id: '1.1-2', title: '活动影像', type: 'photo', min: 2, period: 'once', mandatory: false },
          ],
          targets: [{ id: '1.1-t', label: '专题会议次数', unit: '次', comparison: '>=', value: 4 }],
        },
        {
          code: '1.2',
          title: '领导小组及工作机制',
          department: '县协作办',
          requirements: [{ id: '1.2-1', title: '领导小组成立文件', type: 'official-document', min: 1, period: 'once', mandatory: true }],
          targets: [],
        },
      ],
    },
    {
      code: '2',
      title: '人才交流',
      indicators: [
        {
          code: '2.1',
          title: '党政干部挂职',
          department: '县委组织部',
          requirements: [{ id: '2.1-1', title: '挂职干部任职文件', type: 'appointment', min: 1, period: 'once', mandatory: true }],
          targets: [],
        },
      ],
    },
    {
      code: '9',
      title: '负面清单',
      negative: true,
      indicators: [{ code: '9.1', title: '未完成协议指标', requirements: [], targets: [] }],
    },
  ],
};

const settings: WorkspaceSettings = {
  title: '某县2019年东西部扶贫协作考核',
  unit: '某县东西部扶贫协作办公室',
  periodStart: '2019-01-01',
  periodEnd: '2019-12-31',
  fonds: 'Z109',
  frameworkId: 'test',
};

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function store_(bytes: Uint8Array): string {
  const h = sha(bytes);
  writeFileSync(path.join(store, h), bytes);
  return h;
}

async function textPdf(lines: string[][], rotate = 0): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await embedFace(doc, fonts.song);
  for (const pageLines of lines) {
    // Content reaches the bottom edge on purpose: the page number must not cover it.
    const page = doc.addPage([595.28, 841.89]);
    if (rotate) page.setRotation(degrees(rotate));
    pageLines.forEach((l, i) => page.drawText(l, { x: 60, y: 780 - i * 30, size: 16, font }));
    page.drawText('底部边缘内容', { x: 60, y: 4, size: 12, font });
  }
  return doc.save();
}

let nextId = 1;
function evidence(partial: Partial<Evidence> & Pick<Evidence, 'sha256' | 'format' | 'type' | 'title' | 'originalName'> & { indicators: string[] }): Evidence {
  const { indicators, ...rest } = partial;
  return {
    id: nextId++,
    size: readFileSync(path.join(store, partial.sha256)).length,
    source: partial.originalName,
    typeOrigin: 'user',
    typeConfidence: 1,
    readability: 'ok',
    links: indicators.map((indicator) => ({ indicator, origin: 'user', confidence: 1 })),
    importedAt: GENERATED_AT,
    updatedAt: GENERATED_AT,
    ...rest,
  };
}

function gapsFor(ev: Evidence[]): GapReport {
  const ids = (type: string): number[] => ev.filter((e) => e.type === type).map((e) => e.id);
  return {
    summary: {
      completeness: 0.6,
      counts: { error: 1, warning: 0, info: 0 },
      departments: [],
      categories: [
        {
          code: '1',
          title: '组织领导',
          completeness: 0.8,
          indicators: [
            {
              code: '1.1',
              title: '党委政府研究部署',
              status: 'partial',
              completeness: 0.5,
              findings: 1,
              requirements: [
                { requirement: '1.1-1', indicator: '1.1', status: 'missing', evidence: [], have: 0, need: 1, completeness: 0 },
                { requirement: '1.1-2', indicator: '1.1', status: 'met', evidence: ids('photo'), have: 2, need: 2, completeness: 1 },
              ],
            },
          ],
        },
      ],
    },
    findings: [
      {
        id: 'missing-evidence:1.1:1.1-1',
        severity: 'error',
        kind: 'missing-evidence',
        indicator: '1.1',
        requirement: '1.1-1',
        message: '缺少党委政府专题研究会议纪要',
        action: '请县委办提供会议纪要',
        detail: { have: 0, need: 1, min: 1, period: 'once' },
      },
    ],
  };
}

const pdftext = (file: string, first: number, last = first): string =>
  execFileSync('pdftotext', ['-layout', '-f', String(first), '-l', String(last), file, '-'], { encoding: 'utf8' });

/** Page sizes in points as pdfinfo reports them, by physical page (1-based). */
function pageSizes(file: string, pages: number): { width: number; height: number }[] {
  const info = execFileSync('pdfinfo', ['-f', '1', '-l', String(pages), file], { encoding: 'utf8' });
  return [...info.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/g)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
}

/** Text in a rectangle of a page (points from the top-left corner, as pdftotext crops). */
const textIn = (file: string, page: number, x: number, y: number, w: number, h: number): string =>
  execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-x', String(Math.round(x)), '-y', String(y), '-W', String(w), '-H', String(h), file, '-'], {
    encoding: 'utf8',
  }).trim();

/** The number printed on each physical page: the binder's "— n —", or the archival 页号 alone in a top corner. */
const printedCache = new Map<string, Map<number, number>>();
function printedNumbers(file: string, pages: number): Map<number, number> {
  const key = `${file}:${readFileSync(file).length}`;
  const cached = printedCache.get(key);
  if (cached) return cached;
  const byNumber = new Map<number, number>();
  pageSizes(file, pages).forEach((size, i) => {
    const p = i + 1;
    const own = /—\s*(\d+)\s*—/.exec(pdftext(file, p));
    if (own) {
      byNumber.set(Number(own[1]), p);
      return;
    }
    for (const x of [0, size.width - 80]) {
      const corner = textIn(file, p, x, 0, 80, 34);
      if (/^\d+$/.test(corner)) byNumber.set(Number(corner), p);
    }
  });
  printedCache.set(key, byNumber);
  return byNumber;
}

/** Physical page (1-based) that carries the printed number n. */
function physicalPageOf(file: string, pages: number, n: number): number {
  return printedNumbers(file, pages).get(n) ?? -1;
}

type Region = { x: number; y: number; width: number; height: number; colourAt: (fx: number, fy: number) => [number, number, number] };

/**
 * The photos on a rendered page as a reader shows them: boxes of coloured (saturated) pixels, top to bottom.
 * Captions and rules are black or grey, so they are not counted.
 */
async function photoRegions(file: string, page: number, dpi = 50, skipTopMm = 0): Promise<Region[]> {
  const prefix = path.join(dir, `photos-${page}-${dpi}`);
  execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), '-png', '-singlefile', file, prefix]);
  const { data, info } = await sharp(`${prefix}.png`).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const px = (x: number, y: number): [number, number, number] => {
    const i = (y * info.width + x) * 3;
    return [data[i], data[i + 1], data[i + 2]];
  };
  const coloured = (x: number, y: number): boolean => {
    if (y < (skipTopMm / 25.4) * dpi) return false;
    const [r, g, b] = px(x, y);
    return Math.max(r, g, b) - Math.min(r, g, b) > 60;
  };
  const rows: boolean[] = [];
  for (let y = 0; y < info.height; y++) {
    let n = 0;
    for (let x = 0; x < info.width; x++) if (coloured(x, y)) n += 1;
    rows.push(n > 3);
  }
  const regions: Region[] = [];
  for (let y = 0; y < info.height; y++) {
    if (!rows[y]) continue;
    let y1 = y;
    while (y1 + 1 < info.height && rows[y1 + 1]) y1 += 1;
    let x0 = info.width;
    let x1 = -1;
    for (let yy = y; yy <= y1; yy++) {
      for (let x = 0; x < info.width; x++) {
        if (coloured(x, yy)) {
          x0 = Math.min(x0, x);
          x1 = Math.max(x1, x);
        }
      }
    }
    const region = { x: x0, y, width: x1 - x0 + 1, height: y1 - y + 1 };
    if (region.height > 5) {
      regions.push({
        ...region,
        colourAt: (fx, fy) => px(Math.round(region.x + fx * (region.width - 1)), Math.round(region.y + fy * (region.height - 1))),
      });
    }
    y = y1;
  }
  return regions;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'pdf-binder-'));
  store = path.join(dir, 'store');
  mkdirSync(store);
  mkdirSync(path.join(dir, 'cache'));
  fonts = chooseFonts();
  assets = { originalPath: (h) => path.join(store, h), cacheDir: () => path.join(dir, 'cache') };

  const notice = store_(await textPdf([['关于成立东西部扶贫协作领导小组的通知', '标记甲一'], ['第二页 标记甲二']]));
  const minutes = store_(await textPdf([['领导小组会议纪要 标记乙'], ['纪要第二页']], 90));
  photoRotatedSha = sha(
    await sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 30, g: 90, b: 160 } } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer(),
  );
  const photoRotated = store_(
    await sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 30, g: 90, b: 160 } } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer(),
  );
  const photoPlain = store_(
    await sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 160, g: 60, b: 40 } } }).jpeg().toBuffer(),
  );
  const docx = store_(
    new Uint8Array(
      await Packer.toBuffer(
        new Document({ sections: [{ children: [new Paragraph({ children: [new TextRun('挂职干部任职通知 标记丙')] })] }] }),
      ),
    ),
  );
  const secretSrc = path.join(dir, 'secret-src.pdf');
  writeFileSync(secretSrc, await textPdf([['加密文件']]));
  const secretOut = path.join(dir, 'secret.pdf');
  execFileSync('qpdf', ['--encrypt', 'user', 'owner', '256', '--', secretSrc, secretOut]);
  const secret = store_(readFileSync(secretOut));

  const ev: Evidence[] = [
    evidence({
      sha256: notice,
      format: 'pdf',
      type: 'official-document',
      title: '关于成立领导小组的通知',
      originalName: '领导小组通知.pdf',
      docNumber: '某县委办发〔2019〕3号',
      issuer: '中共某县委办公室',
      date: '2019-03-05',
      pages: 2,
      indicators: ['1.2', '1.1'],
    }),
    evidence({ sha256: minutes, format: 'pdf', type: 'minutes', title: '领导小组第一次会议纪要', originalName: 'm.pdf', date: '2019-04-10', indicators: ['1.2'], isCopy: true }),
    evidence({
      sha256: photoRotated,
      format: 'jpeg',
      type: 'photo',
      title: 'IMG_0001',
      originalName: 'IMG_0001.jpg',
      date: '2019-03-05',
      caption: { subject: '领导小组成立会议', place: '县政府三楼会议室', people: '县长张三', photographer: '李四' },
      indicators: ['1.1'],
    }),
    evidence({ sha256: photoPlain, format: 'jpeg', type: 'photo', title: 'IMG_0002', originalName: 'IMG_0002.jpg', date: '2019-05-01', indicators: ['1.1'] }),
    evidence({ sha256: docx, format: 'docx', type: 'appointment', title: '挂职干部任职通知', originalName: '任职通知.docx', date: '2019-06-01', indicators: ['2.1'] }),
    evidence({
      sha256: secret,
      format: 'pdf',
      type: 'appointment',
      title: '挂职干部名单',
      originalName: '名单.pdf',
      date: '2019-06-02',
      readability: 'encrypted',
      readError: '文件已加密（有密码），无法装订。',
      indicators: ['2.1'],
    }),
  ];
  plan = buildBinderPlan(framework, settings, ev, gapsFor(ev), [{ id: '1.1-t', target: 4, actual: 5, source: '会议台账' }], { edition: 'review', singleVolume: true, stamp: true, duplex: true }, { generatedAt: GENERATED_AT });
  converted = await convertToPdf([{ sha256: docx, path: assets.originalPath(docx), ext: 'docx' }], path.join(dir, 'cache'));
  result = await renderPdfVolume(plan, 0, assets, { fonts, converted });
  outFile = path.join(dir, 'volume.pdf');
  writeFileSync(outFile, result.bytes);
}, 180_000);

afterAll(() => {
  if (process.env.KEEP_BINDER_TEST) console.log('kept', dir);
  else rmSync(dir, { recursive: true, force: true });
});

describe('PDF binder volume', () => {
  it('has the page count it reports, and qpdf finds no damage', () => {
    const info = execFileSync('pdfinfo', [outFile], { encoding: 'utf8' });
    expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBe(result.pages);
    execFileSync('qpdf', ['--check', outFile]);
    expect(result.items.map((i) => i.number)).toEqual(['0001', '0002', '0003', '0004', '0005', '0006']);
  });

  it('prints a cover with title, unit, volume and counts', () => {
    const cover = pdftext(outFile, 1);
    expect(cover).toContain('某县2019年东西部扶贫协作考核');
    expect(cover).toMatch(/第\s*1\s*卷/);
    expect(cover).toContain('全部指标');
    expect(cover).toContain('某县东西部扶贫协作办公室');
    expect(cover).toContain('6 件');
    expect(cover).toContain('2019年1月1日至2019年12月31日');
  });

  it('catalogue page numbers match the stamped number on the page where each item starts', () => {
    const catalogue = pdftext(outFile, 1, 4);
    expect(catalogue).toContain('卷内目录');
    const markers: Record<string, string> = {
      '0001': '标记甲一',
      '0002': '件号 0002',
      '0003': '件号 0003',
      '0004': '标记乙',
      '0005': '标记丙',
      '0006': '件号：0006',
    };
    for (const item of result.items) {
      // The row as printed: title … date … 页号.
      const line = catalogue.split('\n').find((l) => l.includes(item.title));
      expect(line, item.title).toBeDefined();
      const printed = /\d{8}\s+(\d+)(?:-\d+)?\s/.exec(`${line} `)?.[1];
      expect(Number(printed), `${item.number} ${item.title}`).toBe(item.page);
      const physical = physicalPageOf(outFile, result.pages, item.page);
      expect(physical).toBeGreaterThan(0);
      expect(pdftext(outFile, physical), item.number).toContain(markers[item.number]);
    }
  });

  it('binds a file linked to two indicators once, with a 参见 entry at the other', () => {
    const all = pdftext(outFile, 1, result.pages);
    expect(all.match(/标记甲一/g)?.length).toBe(1);
    expect(all).toContain('参见本卷 件号0001');
    // Self-made photo titles are bracketed; 档号 is printed for items when 全宗号 is set.
    expect(all).toContain('[领导小组成立会议]');
    expect(all).toContain('Z109-WS·2019-D30-XZB-0001');
  });

  it('shows requirements, targets and findings on the divider', () => {
    const page = physicalPageOf(outFile, result.pages, 1);
    const text = pdftext(outFile, page);
    expect(text).toContain('1.1 党委政府研究部署');
    expect(text).toContain('党委政府专题研究会议纪要');
    expect(text).toContain('缺失');
    expect(text).toContain('专题会议次数');
    expect(text).toContain('已完成');
    expect(text).toContain('缺少党委政府专题研究会议纪要');
  });

  it('writes bookmarks volume → category → indicator → item', () => {
    const outline = execFileSync('mutool', ['show', outFile, 'outline'], { encoding: 'utf8' });
    expect(outline).toContain('第1卷');
    expect(outline).toContain('一、组织领导');
    expect(outline).toContain('二、人才交流');
    expect(outline).toContain('1.1 党委政府研究部署');
    expect(outline).toContain('关于成立领导小组的通知');
    expect(outline).toContain('卷内备考表');
  });

  it('labels pages 封面, 目录-1, 1 … and 备考表', () => {
    const json = JSON.parse(execFileSync('qpdf', ['--json', '--json-key=pagelabels', outFile], { encoding: 'utf8' })) as {
      pagelabels: { index: number; label: { '/P'?: string; '/S'?: string; '/St'?: number } }[];
    };
    const labels = json.pagelabels.map((l) => ({ index: l.index, prefix: l.label['/P'], style: l.label['/S'] }));
    expect(labels[0]).toEqual({ index: 0, prefix: 'u:封面', style: undefined });
    expect(labels.some((l) => l.prefix === 'u:目录-' && l.style === '/D')).toBe(true);
    const numberedStart = physicalPageOf(outFile, result.pages, 1) - 1;
    expect(labels.some((l) => l.index === numberedStart && l.style === '/D' && l.prefix === undefined)).toBe(true);
    expect(labels[labels.length - 1].prefix).toBe('u:备考表');
    // Duplex: page 1 is a right-hand page (odd physical page).
    expect(numberedStart % 2).toBe(0);
  });

  it('places photos upright (EXIF orientation applied) on a photo page, embedding the JPEG as it is', async () => {
    const item = result.items.find((i) => i.number === '0002');
    const page = physicalPageOf(outFile, result.pages, item?.page ?? -1);
    // The red 归档章 in the top margin is not a photo.
    const photos = await photoRegions(outFile, page, 50, 21);
    expect(photos).toHaveLength(2);
    // Stored 600×400 with orientation 6 → shown portrait, 2:3; the other photo stays landscape, 3:2.
    expect(photos[0].height / photos[0].width).toBeCloseTo(1.5, 1);
    expect(photos[1].width / photos[1].height).toBeCloseTo(1.5, 1);
    // Not re-encoded: the PDF holds the stored JPEG bytes (600×400, DCT) and turns them when drawing.
    const list = execFileSync('pdfimages', ['-list', '-f', String(page), '-l', String(page), outFile], { encoding: 'utf8' });
    const rows = list.split('\n').slice(2).filter((l) => l.trim()).map((l) => l.trim().split(/\s+/));
    expect(rows.map((c) => [Number(c[3]), Number(c[4]), c[8]])).toEqual([
      [600, 400, 'jpeg'],
      [600, 400, 'jpeg'],
    ]);
    const prefix = path.join(dir, 'extracted');
    execFileSync('pdfimages', ['-j', '-f', String(page), '-l', String(page), outFile, prefix]);
    expect(sha(readFileSync(`${prefix}-000.jpg`))).toBe(photoRotatedSha);
    const text = pdftext(outFile, page);
    expect(text).toContain('县政府三楼会议室');
    expect(text).toContain('20190305');
    // 参见号: the document of the same date.
    expect(text).toMatch(/参见号：\s*0001/);
  });

  it('warns once per unbindable item, in one natural sentence with one piece of advice', () => {
    expect(result.warnings.map((w) => w.message)).toContain(
      '第0006件《挂职干部名单》无法装订：文件已加密（有密码）。请取得可读的原件（去掉密码或重新扫描为 PDF），在“材料”中删除此件后重新导入。',
    );
    for (const { message: w } of result.warnings) {
      expect(w, w).not.toMatch(/。。|：：/);
      expect(w.match(/请/g)?.length ?? 0, w).toBeLessThanOrEqual(1);
    }
    // A reader's reason that already says what to do keeps its own advice and gets no second one.
    const readerReason = 'PDF 文件有打开密码，无法读取和装订。请向报送单位索取无密码版本，或用密码打开后另存为无密码 PDF 再导入。';
    expect(unbindableWarning({ number: '0004', title: '关于印发方案的通知' }, readerReason, '请取得可读的原件后重新导入。')).toBe(
      '第0004件《关于印发方案的通知》无法装订：PDF 文件有打开密码，无法读取和装订。请向报送单位索取无密码版本，或用密码打开后另存为无密码 PDF 再导入。',
    );
    expect(unbindableWarning({ number: '0007', title: 'IMG_1' }, 'HEIC 照片暂不能排版，请另存为 JPG 后导入', '请重新导入。')).toBe(
      '第0007件《IMG_1》无法装订：HEIC 照片暂不能排版。请另存为 JPG 后导入。',
    );
  });

  it('prints every page on A4, a rotated source page on landscape A4 with /Rotate kept and nothing cut off', async () => {
    for (const [i, size] of pageSizes(outFile, result.pages).entries()) {
      const dims = [size.width, size.height].sort((a, b) => a - b);
      expect(dims[0], `page ${i + 1}`).toBeCloseTo(595.28, 0);
      expect(dims[1], `page ${i + 1}`).toBeCloseTo(841.89, 0);
    }
    const doc = await PDFDocument.load(result.bytes);
    const item = result.items.find((i) => i.number === '0004');
    const physical = physicalPageOf(outFile, result.pages, item?.page ?? -1);
    const page = doc.getPage(physical - 1);
    expect(page.getRotation().angle).toBe(90);
    // Shown turned (a portrait sheet rotated 90° reads as landscape): the A4 sheet is landscape as shown.
    expect(page.getMediaBox()).toMatchObject({ x: 0, y: 0 });
    expect(page.getMediaBox().width).toBeCloseTo(595.28, 0);
    expect(page.getMediaBox().height).toBeCloseTo(841.89, 0);
    // Content that touched the source's bottom edge is still on the sheet.
    expect(pdftext(outFile, physical)).toContain('底部边缘内容');
  });

  it('prints the archival 页号 alone in the top outer corner of copied pages: right on recto, left on verso', () => {
    const first = result.items.find((i) => i.number === '0001');
    const recto = physicalPageOf(outFile, result.pages, first?.page ?? -1);
    const sizes = pageSizes(outFile, result.pages);
    const n = first?.page ?? -1;
    // Duplex: odd numbers on the right, even on the left; no "— n —" on the document's own page.
    const side = (p: number, number: number) => {
      const width = sizes[p - 1].width;
      if (textIn(outFile, p, width - 80, 0, 80, 34) === String(number)) return 'right';
      if (textIn(outFile, p, 0, 0, 80, 34) === String(number)) return 'left';
      return 'none';
    };
    expect(side(recto, n)).toBe(n % 2 === 1 ? 'right' : 'left');
    expect(side(recto + 1, n + 1)).toBe((n + 1) % 2 === 1 ? 'right' : 'left');
    expect(pdftext(outFile, recto)).not.toMatch(/—\s*\d+\s*—/);
  });

  it('stamps a DA/T 22 归档章 (6 cells: 全宗号 年度 件号 / 机构 保管期限 页数) at the top centre of each item', () => {
    const first = result.items.find((i) => i.number === '0001');
    const p = physicalPageOf(outFile, result.pages, first?.page ?? -1);
    const width = pageSizes(outFile, result.pages)[p - 1].width;
    // 45 mm wide centred, in the top 22 mm.
    const stamp = textIn(outFile, p, width / 2 - 64, 0, 128, 62).split(/\s+/);
    expect(stamp).toEqual(['Z109', '2019', '0001', 'XZB', '30年', '2']);
  });

  it('puts a placeholder page for an encrypted file and lists it in the 备考表', () => {
    const item = result.items.find((i) => i.number === '0006');
    const text = pdftext(outFile, physicalPageOf(outFile, result.pages, item?.page ?? -1));
    expect(text).toContain('此件未能装订原文');
    expect(text).toContain('加密');
    const last = pdftext(outFile, result.pages);
    expect(last).toContain('卷内备考表');
    expect(last).toContain('为复印件');
    expect(last).toContain('整理人');
    expect(last).toContain('党委政府专题研究会议纪要');
  });

  it('prints a marked placeholder and a warning when an office file was not converted', async () => {
    const bare = await renderPdfVolume(plan, 0, assets, { fonts, converted: new Map() });
    const file = path.join(dir, 'bare.pdf');
    writeFileSync(file, bare.bytes);
    const item = bare.items.find((i) => i.number === '0005');
    const text = pdftext(file, physicalPageOf(file, bare.pages, item?.page ?? -1));
    expect(text).toContain('LibreOffice');
    expect(text).toContain('任职通知.docx');
    expect(bare.warnings.some((w) => w.item === '0005' && w.kind === 'conversion')).toBe(true);
    expect(pdftext(file, 1, 4)).toContain('无法转换');
  });

  it('never breaks a line inside a 文号, a 档号 or a Latin word, nor after an opening bracket', async () => {
    const doc = await PDFDocument.create();
    const font = await embedFace(doc, fonts.song);
    const text = '根据某县委办发〔2019〕13号文件和《东西部扶贫协作考核办法》，档号Z109-WS·2019-D30-XZB-0001';
    for (let width = 60; width <= 400; width += 7) {
      const lines = wrapText(font, text, 10.5, width);
      expect(lines.join('')).toBe(text);
      for (const line of lines) {
        expect(line, `${width}: ${lines.join(' | ')}`).not.toMatch(/[〔《（]$|^[〕》）]/);
      }
      const joined = lines.join('|');
      if (width >= 70) expect(joined, String(width)).toContain('〔2019〕13号');
      if (width >= 170) expect(joined, String(width)).toContain('Z109-WS·2019-D30-XZB-0001');
    }
  });

  it('breaks a cover title between phrases, never inside 佐证', async () => {
    const doc = await PDFDocument.create();
    const font = await embedFace(doc, fonts.song);
    for (const width of [120, 160, 200, 260, 330]) {
      const lines = wrapTitle(font, '青山县2019年东西部扶贫协作佐证材料汇编', 22, width);
      expect(lines.join('')).toBe('青山县2019年东西部扶贫协作佐证材料汇编');
      expect(lines.some((l) => l.endsWith('佐')), lines.join('|')).toBe(false);
    }
  });

  it('keeps the 备考表 date line inside its frame', () => {
    const bbox = execFileSync('pdftotext', ['-bbox', '-f', String(result.pages), '-l', String(result.pages), outFile, '-'], { encoding: 'utf8' });
    const words = [...bbox.matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)];
    const day = words.filter((w) => w[3].endsWith('日'));
    expect(day.length).toBeGreaterThan(0);
    // The frame's right edge is the text block's: A4 width − 26 mm.
    for (const w of day) expect(Number(w[2])).toBeLessThan(595.28 - 26 * (72 / 25.4));
  });

  it('renders Chinese text visibly (cover and divider are not blank)', async () => {
    for (const page of [1, physicalPageOf(outFile, result.pages, 1)]) {
      const prefix = path.join(dir, `shot-${page}`);
      execFileSync('pdftoppm', ['-r', '40', '-f', String(page), '-l', String(page), '-png', '-singlefile', outFile, prefix]);
      const { data, info } = await sharp(`${prefix}.png`).greyscale().raw().toBuffer({ resolveWithObject: true });
      const dark = data.filter((v) => v < 128).length;
      expect(dark / (info.width * info.height)).toBeGreaterThan(0.005);
    }
  });

  it('is deterministic: the same plan renders to identical bytes', async () => {
    const again = await renderPdfVolume(plan, 0, assets, { fonts, converted });
    expect(sha(again.bytes)).toBe(sha(result.bytes));
  });
});

describe('photo orientation', () => {
  // Quadrants red | green over blue | yellow: any turn or mirror moves them somewhere else.
  const QUADRANTS: [number, number, number][] = [
    [220, 30, 30],
    [30, 170, 40],
    [30, 40, 220],
    [235, 205, 20],
  ];
  const W = 120;
  const H = 80;
  let photoPlan: BinderPlan;
  const cases: { label: string; orientation: number; cmyk?: boolean; sha256: string }[] = [];

  beforeAll(async () => {
    const raw = Buffer.alloc(W * H * 3);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        raw.set(QUADRANTS[(y < H / 2 ? 0 : 2) + (x < W / 2 ? 0 : 1)], (y * W + x) * 3);
      }
    }
    const stored = (orientation: number, cmyk = false): Promise<Buffer> => {
      const img = sharp(raw, { raw: { width: W, height: H, channels: 3 } });
      // withMetadata alone would convert back to sRGB; a CMYK profile keeps the JPEG in 4 channels.
      if (cmyk) return img.toColourspace('cmyk').jpeg({ quality: 95 }).withMetadata({ orientation }).withIccProfile('cmyk').toBuffer();
      return img.jpeg({ quality: 95 }).withMetadata({ orientation }).toBuffer();
    };
    for (let o = 1; o <= 8; o++) cases.push({ label: `orientation ${o}`, orientation: o, sha256: store_(await stored(o)) });
    // CMYK cannot go in as it is (readers disagree on inverted CMYK): decoded instead, colours kept.
    cases.push({ label: 'CMYK', orientation: 6, cmyk: true, sha256: store_(await stored(6, true)) });
    const ev = cases.map((c, i) =>
      evidence({
        sha256: c.sha256,
        format: 'jpeg',
        type: 'photo',
        title: `方向测试${i + 1}`,
        originalName: `o${i + 1}.jpg`,
        date: `2019-07-${String(10 + i).padStart(2, '0')}`,
        indicators: ['1.1'],
      }),
    );
    photoPlan = buildBinderPlan(framework, settings, ev, gapsFor(ev), [], { singleVolume: true }, { generatedAt: GENERATED_AT });
  }, 60_000);

  async function expectUpright(budget: number | undefined, name: string): Promise<RenderVolumeResult> {
    const r = await renderPdfVolume(photoPlan, 0, assets, { fonts, converted: new Map(), originalImageBudget: budget });
    const file = path.join(dir, `${name}.pdf`);
    writeFileSync(file, r.bytes);
    execFileSync('qpdf', ['--check', file]);
    const byPage = new Map<number, string[]>();
    for (const item of r.items) byPage.set(item.page, [...(byPage.get(item.page) ?? []), item.number]);
    for (const [numbered, numbers] of byPage) {
      const regions = await photoRegions(file, physicalPageOf(file, r.pages, numbered), 60);
      expect(regions.length, `page ${numbered}`).toBe(numbers.length);
      for (const [slot, number] of numbers.entries()) {
        const c = cases[r.items.findIndex((i) => i.number === number)];
        // What an image viewer shows: sharp applies the EXIF orientation.
        const { data, info } = await sharp(readFileSync(path.join(store, c.sha256))).rotate().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
        const region = regions[slot];
        expect(region.width / region.height, c.label).toBeCloseTo(info.width / info.height, 1);
        for (const [fx, fy] of [
          [0.25, 0.25],
          [0.75, 0.25],
          [0.25, 0.75],
          [0.75, 0.75],
        ]) {
          const at = (Math.round(fy * (info.height - 1)) * info.width + Math.round(fx * (info.width - 1))) * info.channels;
          const want = [data[at], data[at + 1], data[at + 2]];
          const got = region.colourAt(fx, fy);
          const off = Math.max(...want.map((v, k) => Math.abs(v - got[k])));
          expect(off, `${c.label} at ${fx},${fy}: want ${want.join(',')} got ${got.join(',')}`).toBeLessThan(50);
        }
      }
    }
    return r;
  }

  it('shows every EXIF orientation (turned and mirrored) upright and unstretched when embedding originals', async () => {
    const r = await expectUpright(undefined, 'orientations');
    const file = path.join(dir, 'orientations.pdf');
    const list = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' });
    // The 8 RGB photos keep their stored 120×80 pixels and their ICC profile (sharp writes sRGB); only the
    // CMYK one was decoded (turned upright: 80×120, plain RGB).
    expect(list.match(/\s120\s+80\s+icc\s+3\s+8\s+jpeg/g)?.length).toBe(8);
    expect(list.match(/\s80\s+120\s+rgb\s+3\s+8\s+jpeg/g)?.length).toBe(1);
    expect(list).not.toMatch(/cmyk/);
    expect(r.warnings).toEqual([]);
  });

  it('downscales past the volume budget, still upright', async () => {
    await expectUpright(0, 'orientations-downscaled');
    const list = execFileSync('pdfimages', ['-list', path.join(dir, 'orientations-downscaled.pdf')], { encoding: 'utf8' });
    // Decoded and turned upright: orientations 5–8 and the CMYK photo are now stored portrait.
    expect(list.match(/\s80\s+120\s+rgb\s+3\s+8\s+jpeg/g)?.length).toBe(5);
    expect(list).not.toMatch(/icc/);
  });

  it('spends the budget in print order, by file size', async () => {
    const files = cases.slice(0, 3).map((c) => path.join(store, c.sha256));
    const sizes = files.map((f) => readFileSync(f).length);
    expect(await chooseOriginals(files, sizes[0] + sizes[1])).toEqual([true, true, false]);
    expect(await chooseOriginals([...files, path.join(dir, 'missing.jpg')])).toEqual([true, true, true, false]);
  });
});

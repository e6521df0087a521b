import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemoFont, idCheckDigit, writeDemoEvidence, type DemoEvidence, type DemoFont } from '../../electron/backend/demo/demo-files.js';
import { encryptPdf, makeDocx, makePdf, makePhoto, makeScannedPdf, makeXlsx, readZipEntries } from '../../electron/backend/demo/synth.js';

let tmp: string;
let font: DemoFont;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'synth-test-'));
  font = findDemoFont();
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const squash = (text: string): string => text.replace(/\s+/g, '');

function save(name: string, bytes: Uint8Array): string {
  const file = path.join(tmp, name);
  writeFileSync(file, bytes);
  return file;
}

function pdftotext(file: string, password?: string): string {
  return execFileSync('pdftotext', [...(password ? ['-upw', password] : []), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/** Renders page 1 at 50 dpi and counts dark and red pixels: a broken font subset renders blank. */
async function renderPage1(file: string): Promise<{ dark: number; red: number; total: number }> {
  const prefix = path.join(tmp, `${path.basename(file, '.pdf')}-render`);
  execFileSync('pdftoppm', ['-r', '50', '-f', '1', '-l', '1', '-png', '-singlefile', file, prefix]);
  const { data, info } = await sharp(`${prefix}.png`).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let dark = 0;
  let red = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
    if (r < 100 && g < 100 && b < 100) dark += 1;
    if (r > 150 && g < 90 && b < 90) red += 1;
  }
  return { dark, red, total: info.width * info.height };
}

const MEETING_LINES = [
  '时间：2019年3月15日上午',
  '地点：县人民政府第一会议室',
  '会议议定事项：一、深化劳务协作，做好贫困劳动力转移就业工作；二、推进消费扶贫，拓宽“黔货出山”销售渠道。',
];

describe('makePdf', () => {
  it('writes Chinese text that poppler extracts and renders, with a red 红头 and fixed metadata', async () => {
    const bytes = await makePdf({
      font: font.bytes,
      fontName: font.fontName,
      title: '关于成立青山县东西部扶贫协作工作领导小组的通知',
      author: '青山县人民政府办公室',
      redHeader: '青山县人民政府办公室文件',
      docNumber: '青山府办发〔2019〕3号',
      date: '2019-01-18T09:00:00',
      pages: [{ lines: MEETING_LINES }, { lines: ['第二页：携手奔小康结对帮扶工作。'] }],
    });
    const file = save('meeting.pdf', bytes);
    const text = squash(pdftotext(file));
    for (const line of [...MEETING_LINES, '青山县人民政府办公室文件', '青山府办发〔2019〕3号', '携手奔小康结对帮扶工作']) {
      expect(text).toContain(squash(line));
    }
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Title:\s+关于成立青山县东西部扶贫协作工作领导小组的通知/);
    expect(info).toMatch(/Author:\s+青山县人民政府办公室/);
    expect(info).toMatch(/Pages:\s+2/);
    expect(info).toMatch(/CreationDate:.*2019/);
    const page = await renderPage1(file);
    // A broken CFF subset renders as an empty page (pdftotext would still pass).
    expect(page.dark).toBeGreaterThan(300);
    expect(page.red).toBeGreaterThan(50);
  });

  it('wraps long paragraphs onto further pages and is byte-identical on a second run', async () => {
    const paragraph = '为深入贯彻落实习近平总书记关于东西部扶贫协作的重要指示精神，进一步加强劳务协作和消费扶贫工作。'.repeat(12);
    const opts = { font: font.bytes, fontName: font.fontName, pages: [{ lines: [paragraph, paragraph, paragraph] }] };
    const a = await makePdf(opts);
    const b = await makePdf(opts);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    const file = save('long.pdf', a);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Pages:\s+[2-9]/);
    expect(squash(pdftotext(file))).toContain(squash(paragraph).slice(0, 200));
  });

  it('encrypts a copy that cannot be opened without the password, reproducibly', async () => {
    const plain = await makePdf({ font: font.bytes, fontName: font.fontName, pages: [{ lines: ['资金拨付明细'] }] });
    const locked = await encryptPdf(plain, { userPassword: '123456', seed: 7 });
    expect(Buffer.compare(Buffer.from(locked), Buffer.from(await encryptPdf(plain, { userPassword: '123456', seed: 7 })))).toBe(0);
    const file = save('locked.pdf', locked);
    const denied = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toMatch(/password/i);
    expect(squash(pdftotext(file, '123456'))).toContain('资金拨付明细');
  });
});

describe('makeScannedPdf', () => {
  it('makes image-only pages that render as a page with dark print but carry no text layer', async () => {
    const bytes = await makeScannedPdf({ seed: 3, redHeader: '青山县财政局', pages: [{ lines: ['国库集中支付凭证', '金额：人民币 1,200,000.00 元'] }] });
    const file = save('scan.pdf', bytes);
    expect(squash(pdftotext(file))).toBe('');
    const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' });
    expect(images).toMatch(/\bjpeg\b/);
    const page = await renderPage1(file);
    expect(page.dark).toBeGreaterThan(20);
    expect(page.red).toBeGreaterThan(20);
  });
});

describe('makePhoto', () => {
  it('writes EXIF DateTimeOriginal, camera, orientation and GPS that exifr reads back', async () => {
    const bytes = await makePhoto({
      width: 1600,
      height: 1200,
      seed: 5,
      takenAt: '2019-06-12T09:35:12',
      gps: { lat: 26.2583, lon: 107.5172 },
      orientation: 6,
      label: '东西部扶贫协作高层联席会议',
    });
    const exif = await exifr.parse(Buffer.from(bytes), { reviveValues: false, translateValues: false, gps: true });
    expect(exif.DateTimeOriginal).toBe('2019:06:12 09:35:12');
    expect(exif.Make).toBe('HUAWEI');
    expect(exif.Orientation).toBe(6);
    const gps = await exifr.gps(Buffer.from(bytes));
    expect(gps.latitude).toBeCloseTo(26.2583, 3);
    expect(gps.longitude).toBeCloseTo(107.5172, 3);
    const meta = await sharp(Buffer.from(bytes)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 1600, 1200]);
  });

  it('has a phone-like size at 3000×2000 and is deterministic', async () => {
    const opts = { width: 3000, height: 2000, seed: 9, quality: 90, takenAt: '2019-08-21T14:30:05' };
    const a = await makePhoto(opts);
    expect(a.length).toBeGreaterThan(1_200_000);
    expect(a.length).toBeLessThan(4_000_000);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(await makePhoto(opts)))).toBe(0);
  });
});

describe('makeDocx / makeXlsx', () => {
  it('writes a Word document whose XML holds the Chinese paragraphs and table, with fixed dates', async () => {
    const opts = {
      title: '青山县2019年东西部扶贫协作工作方案',
      paragraphs: ['深化劳务协作，建立转移就业台账。', '大力推进消费扶贫。'],
      table: [
        ['序号', '工作任务', '牵头单位'],
        ['1', '劳务协作', '县人社局'],
      ],
    };
    const bytes = await makeDocx(opts);
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(await makeDocx(opts)))).toBe(0);
    const entries = await readZipEntries(bytes);
    const xml = entries.find((e) => e.name === 'word/document.xml')?.data.toString('utf8') ?? '';
    for (const text of ['青山县2019年东西部扶贫协作工作方案', '深化劳务协作，建立转移就业台账。', '县人社局']) expect(xml).toContain(text);
    const core = entries.find((e) => e.name === 'docProps/core.xml')?.data.toString('utf8') ?? '';
    expect(core).toContain('2019-12-20T09:00:00Z');
  });

  it('writes a workbook that exceljs reads back with sheet names, Chinese text and 2-decimal money', async () => {
    const opts = {
      sheets: [
        {
          name: '资金项目台账',
          columnFormats: { 3: '0.00' },
          rows: [
            ['序号', '项目名称', '金额(万元)'],
            [1, '茶园镇茶叶加工厂建设项目', 320.5],
            [2, '易地扶贫搬迁安置点扶贫车间项目', null],
          ],
        },
      ],
    };
    const bytes = await makeXlsx(opts);
    expect(Buffer.compare(Buffer.from(bytes), Buffer.from(await makeXlsx(opts)))).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('资金项目台账');
    expect(ws?.getCell('B2').value).toBe('茶园镇茶叶加工厂建设项目');
    expect(ws?.getCell('C2').value).toBe(320.5);
    expect(ws?.getCell('C2').numFmt).toBe('0.00');
    expect(ws?.getCell('B3').value).toBe('易地扶贫搬迁安置点扶贫车间项目');
  });
});

describe('writeDemoEvidence', () => {
  let dirA: string;
  let demo: DemoEvidence;

  beforeAll(async () => {
    dirA = path.join(tmp, 'demo-a');
    demo = await writeDemoEvidence(dirA, { year: 2019, font });
  });

  const listFiles = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
      .sort();

  it('writes every listed file, including the junk and the broken ones, and nothing else', () => {
    const listed = demo.files.map((f) => f.path).sort();
    expect(new Set(listed).size).toBe(listed.length);
    expect(listFiles(dirA)).toEqual(listed);
    expect(listed).toHaveLength(50);
    expect(listed).toContain('县协作办/高层联席会议照片/Thumbs.db');
    expect(listed).toContain('县协作办/~$工作方案.docx');
    expect(demo.files.filter((f) => f.intended.ignored).map((f) => path.basename(f.path)).sort()).toEqual(['Thumbs.db', '~$工作方案.docx']);
    expect(demo.files.filter((f) => f.intended.type === 'photo')).toHaveLength(12);
    expect(listed.some((p) => /\/IMG_2019\d{4}_\d{6}\.jpg$/.test(p))).toBe(true);
  });

  it('has leading-group minutes for 10 months, with April and August missing', () => {
    const minutes = demo.files.filter((f) => f.path.startsWith('县协作办/领导小组会议纪要/'));
    expect(minutes).toHaveLength(10);
    expect(demo.missingMinutesMonths).toEqual(['2019-04', '2019-08']);
    const months = minutes.map((f) => Number(/2019年(\d+)月/.exec(f.path)?.[1])).sort((a, b) => a - b);
    expect(months).toEqual([1, 2, 3, 5, 6, 7, 9, 10, 11, 12]);
    const text = squash(pdftotext(path.join(dirA, minutes[0].path)));
    expect(text).toMatch(/时间：2019年1月\d+日上午/);
    expect(text).toContain('主持：县委副书记、县长王建国');
    expect(text).toContain('会议议定事项');
  });

  it('puts the 文号 in the founding notice and leaves it out of the funds notice', () => {
    const founding = pdftotext(path.join(dirA, '县协作办/关于成立青山县东西部扶贫协作工作领导小组的通知.pdf'));
    expect(squash(founding)).toContain('青山府办发〔2019〕3号');
    const funds = demo.files.find((f) => f.intended.findings?.includes('missing-metadata'));
    expect(funds?.intended.type).toBe('official-document');
    const fundsText = squash(pdftotext(path.join(dirA, funds?.path ?? '')));
    expect(fundsText).toContain('关于下达2019年东西部扶贫协作财政援助资金的通知');
    expect(fundsText).not.toMatch(/〔\d{4}〕\d+号/);
  });

  it('plants an encrypted and a truncated PDF that poppler refuses', () => {
    const unreadable = demo.files.filter((f) => f.intended.findings?.includes('unreadable'));
    expect(unreadable).toHaveLength(2);
    for (const f of unreadable) {
      const r = spawnSync('pdfinfo', [path.join(dirA, f.path)], { encoding: 'utf8' });
      expect(r.status, f.path).not.toBe(0);
    }
    const locked = unreadable.find((f) => f.path.includes('加密'));
    expect(squash(pdftotext(path.join(dirA, locked?.path ?? ''), '123456'))).toContain('已拨付');
  });

  it('dates photos by EXIF: one in December 2018, one a day after the meeting', async () => {
    const old = demo.files.find((f) => f.intended.findings?.includes('out-of-period'));
    const oldExif = await exifr.parse(path.join(dirA, old?.path ?? ''), { reviveValues: false });
    expect(oldExif.DateTimeOriginal).toMatch(/^2018:12:/);
    const late = demo.files.find((f) => f.intended.findings?.includes('date-mismatch'));
    const lateExif = await exifr.parse(path.join(dirA, late?.path ?? ''), { reviveValues: false });
    expect(lateExif.DateTimeOriginal).toMatch(/^2019:06:13 /);
    const gps = await exifr.gps(path.join(dirA, late?.path ?? ''));
    expect(gps.latitude).toBeCloseTo(26.26, 1);
  });

  it('saves the same training photo twice at different qualities (a near-duplicate)', async () => {
    const dup = demo.files.find((f) => f.intended.findings?.includes('duplicate'));
    const original = path.join(dirA, '县人社局/劳务培训/IMG_20190821_143005.jpg');
    const copy = path.join(dirA, dup?.path ?? '');
    expect(readFileSync(original).equals(readFileSync(copy))).toBe(false);
    const tiny = (file: string): Promise<Buffer> => sharp(file).greyscale().resize(32, 24, { fit: 'fill' }).raw().toBuffer();
    const [a, b] = await Promise.all([tiny(original), tiny(copy)]);
    const meanDiff = a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;
    expect(meanDiff).toBeLessThan(3);
    const other = await tiny(path.join(dirA, '县人社局/劳务培训/IMG_20190822_091247.jpg'));
    expect(a.reduce((s, v, i) => s + Math.abs(v - other[i]), 0) / a.length).toBeGreaterThan(5);
  });

  it('fills the transfer-employment ledger with valid ID numbers and exactly one duplicate', async () => {
    const ledger = demo.files.find((f) => f.path.includes('转移就业台账'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dirA, ledger?.path ?? ''));
    const ws = wb.getWorksheet('转移就业台账');
    const header = (ws?.getRow(1).values ?? []) as unknown[];
    expect(header).toContain('身份证号');
    expect(header).toContain('就业去向');
    const idCol = header.indexOf('身份证号');
    const ids: string[] = [];
    ws?.eachRow((row, n) => {
      if (n > 1) ids.push(String(row.getCell(idCol).value));
    });
    expect(ids.length).toBeGreaterThan(30);
    for (const id of ids) {
      expect(id).toMatch(/^\d{17}[\dX]$/);
      expect(id[17]).toBe(idCheckDigit(id.slice(0, 17)));
    }
    expect(ids.length - new Set(ids).size).toBe(1);
  });

  it('keeps the fund ledger in 万元 with two decimals and a total row', async () => {
    const ledger = demo.files.find((f) => f.path.includes('资金项目台账'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dirA, ledger?.path ?? ''));
    const ws = wb.getWorksheet('资金项目台账');
    expect(ws?.getCell('E1').value).toBe('金额(万元)');
    const amounts: number[] = [];
    for (let r = 2; r <= 16; r++) amounts.push(Number(ws?.getCell(`E${r}`).value));
    expect(amounts.every((a) => Number.isFinite(a) && Math.abs(Math.round(a * 100) - a * 100) < 1e-6)).toBe(true);
    expect(ws?.getCell('A17').value).toBe('合计');
    expect(Number(ws?.getCell('E17').value)).toBeCloseTo(amounts.reduce((s, a) => s + a, 0), 2);
    expect(ws?.getCell('E2').numFmt).toBe('0.00');
  });

  it('writes byte-identical files on a second run', async () => {
    const dirB = path.join(tmp, 'demo-b');
    const again = await writeDemoEvidence(dirB, { year: 2019, font });
    expect(again.files).toEqual(demo.files);
    for (const f of demo.files) {
      const a = readFileSync(path.join(dirA, f.path));
      const b = readFileSync(path.join(dirB, f.path));
      expect(a.equals(b), f.path).toBe(true);
    }
    expect(existsSync(path.join(dirB, '县协作办/领导小组会议纪要/2019年4月领导小组会议纪要.pdf'))).toBe(false);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { PDFDocument } from '@cantoo/pdf-lib';
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat, detectFormatOfBytes, detectFormatOfFile } from '../../electron/backend/intake/detect.js';
import { fingerprintImage, fingerprintText, hammingDistanceHex } from '../../electron/backend/intake/fingerprint.js';
import { readEvidenceFile } from '../../electron/backend/intake/read.js';

// fontkit 2 ships no type declarations; pdf-lib's structural type describes what registerFontkit needs.
const fontkit = createRequire(import.meta.url)('fontkit') as Parameters<PDFDocument['registerFontkit']>[0];
const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc';
const DOC_NUMBER = '津南政发〔2019〕12号';
const SENTENCE = '关于召开东西部扶贫协作联席会议的通知';

let dir: string;
let cjkPdf: Buffer;

async function makeCjkPdf(lines: string[][], encrypt = false): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(readFileSync(CJK_FONT), { subset: true, postscriptName: 'NotoSerifCJKsc-Regular' });
  doc.setTitle(SENTENCE);
  doc.setAuthor('县协作办');
  doc.setCreationDate(new Date('2019-03-15T01:30:00Z'));
  for (const pageLines of lines) {
    const page = doc.addPage([595, 842]);
    pageLines.forEach((text, i) => page.drawText(text, { x: 60, y: 760 - i * 30, size: 16, font }));
  }
  if (encrypt) doc.encrypt({ userPassword: 'secret', ownerPassword: 'owner-secret' });
  return Buffer.from(await doc.save());
}

/**
 * A PDF as older Chinese tools write it: a non-embedded STSong-Light with the predefined CMap
 * UniGB-UTF16-H. Its text can only be read with pdfjs's CMap files (cMapUrl).
 */
function predefinedCmapPdf(text: string): Buffer {
  const hex = Buffer.from(text, 'utf16le').swap16().toString('hex');
  const content = `BT /F1 16 Tf 60 760 Td <${hex}> Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H /DescendantFonts [6 0 R] >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R >>',
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

async function photoJpeg(color: { r: number; g: number; b: number }, withExif: boolean): Promise<Buffer> {
  // A picture with structure (a bar and a gradient) so the difference hash has something to see.
  const w = 320;
  const h = 240;
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      const bar = x > 100 && x < 160 ? 0.3 : 1;
      raw[i] = Math.round(color.r * bar * (x / w));
      raw[i + 1] = Math.round(color.g * bar * (y / h));
      raw[i + 2] = Math.round(color.b * bar);
    }
  }
  const img = sharp(raw, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 90 });
  if (!withExif) return img.toBuffer();
  return img
    .withExif({
      IFD0: { Make: 'HUAWEI', Model: 'HUAWEI P30' },
      IFD2: { DateTimeOriginal: '2019:03:15 09:30:00' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '30/1 30/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '104/1 4/1 30/1' },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

function soffice(args: string[]): void {
  execFileSync('soffice', [`-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--headless', ...args], {
    cwd: dir,
    stdio: 'pipe',
    timeout: 90_000,
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'intake-readers-'));
  cjkPdf = await makeCjkPdf([[DOC_NUMBER, SENTENCE], ['第二页：会议纪要', '二〇一九年三月十五日']]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('PDF', () => {
  it('reads pages, Chinese text and document info from a CJK PDF', async () => {
    expect(detectFormat(cjkPdf, '通知.pdf')).toEqual({ format: 'pdf', extensionFormat: 'pdf', mismatch: false });
    const r = await readEvidenceFile(cjkPdf, 'pdf', '通知.pdf');
    expect(r.readability).toBe('ok');
    expect(r.pages).toBe(2);
    expect(r.text).toContain(DOC_NUMBER);
    expect(r.text).toContain(SENTENCE);
    expect(r.text).toContain('第二页：会议纪要');
    expect(r.scanned).toBe(false);
    expect(r.embedded).toEqual({ title: SENTENCE, author: '县协作办', created: '2019-03-15T01:30:00Z' });
  });

  it('reads Chinese set in a non-embedded font with a predefined CMap (UniGB-UTF16-H)', async () => {
    const r = await readEvidenceFile(predefinedCmapPdf(DOC_NUMBER), 'pdf', '旧公文.pdf');
    expect(r.readability).toBe('ok');
    expect(r.pages).toBe(1);
    expect(r.text).toContain(DOC_NUMBER);
  });

  it('reports a password-protected PDF as encrypted with what to do', async () => {
    const encrypted = await makeCjkPdf([[SENTENCE]], true);
    const r = await readEvidenceFile(encrypted, 'pdf', '加密.pdf');
    expect(r.readability).toBe('encrypted');
    expect(r.readError).toBe(
      'PDF 文件有打开密码，无法读取和装订。请向报送单位索取无密码版本，或用密码打开后另存为无密码 PDF 再导入。',
    );
  });

  it('also recognises a PDF encrypted by qpdf', async () => {
    const plain = join(dir, 'plain.pdf');
    const locked = join(dir, 'locked.pdf');
    writeFileSync(plain, cjkPdf);
    execFileSync('qpdf', ['--encrypt', 'user-pw', 'owner-pw', '256', '--', plain, locked]);
    const r = await readEvidenceFile(readFileSync(locked), 'pdf', 'locked.pdf');
    expect(r.readability).toBe('encrypted');
  });

  it('reports a truncated PDF as corrupt, naming the file', async () => {
    const truncated = cjkPdf.subarray(0, Math.floor(cjkPdf.length / 2));
    const r = await readEvidenceFile(truncated, 'pdf', '残缺.pdf');
    expect(r.readability).toBe('corrupt');
    expect(r.readError).toContain('PDF 文件已损坏或不完整（残缺.pdf）');
  });

  it('marks a PDF made of page images only as scanned', async () => {
    const doc = await PDFDocument.create();
    const jpg = await doc.embedJpg(await photoJpeg({ r: 240, g: 240, b: 230 }, false));
    for (let i = 0; i < 2; i++) doc.addPage([595, 842]).drawImage(jpg, { x: 0, y: 0, width: 595, height: 842 });
    const r = await readEvidenceFile(Buffer.from(await doc.save()), 'pdf', '扫描件.pdf');
    expect(r.readability).toBe('ok');
    expect(r.pages).toBe(2);
    expect(r.scanned).toBe(true);
    expect(r.text.trim()).toBe('');
  });
});

describe('Office documents', () => {
  let docxBytes: Buffer;
  let xlsxBytes: Buffer;

  beforeAll(async () => {
    const doc = new Document({
      title: '东西部协作工作方案',
      creator: '县协作办',
      sections: [
        {
          children: [
            new Paragraph(DOC_NUMBER),
            new Paragraph(SENTENCE),
            new Table({
              rows: [
                new TableRow({ children: [new TableCell({ children: [new Paragraph('姓名')] }), new TableCell({ children: [new Paragraph('挂职单位及职务')] })] }),
                new TableRow({ children: [new TableCell({ children: [new Paragraph('张三')] }), new TableCell({ children: [new Paragraph('县委常委、副县长')] })] }),
              ],
            }),
            new Paragraph('县东西部协作办公室'),
          ],
        },
      ],
    });
    docxBytes = await Packer.toBuffer(doc);

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('挂职干部名册');
    ws.addRow(['序号', '姓名', '派出单位及职务', '到岗日期', '在岗月数']);
    ws.addRow([1, '张三', '天津市津南区发改委副主任', new Date(Date.UTC(2019, 2, 1)), 12]);
    ws.addRow([2, '李四', '天津市津南区教育局科长', new Date(Date.UTC(2019, 5, 15)), 6.5]);
    const ws2 = wb.addWorksheet('汇总');
    ws2.getCell('A1').value = '合计';
    ws2.getCell('C1').value = 2;
    xlsxBytes = Buffer.from(await wb.xlsx.writeBuffer());
  });

  it('reads a DOCX: the 文号 line, paragraphs on lines, table cells separated by tabs', async () => {
    expect((await detectFormatOfBytes(docxBytes, '方案.docx')).format).toBe('docx');
    const r = await readEvidenceFile(docxBytes, 'docx', '方案.docx');
    expect(r.readability).toBe('ok');
    const lines = r.text.split('\n');
    expect(lines[0]).toBe(DOC_NUMBER);
    expect(lines[1]).toBe(SENTENCE);
    expect(lines).toContain('姓名\t挂职单位及职务');
    expect(lines).toContain('张三\t县委常委、副县长');
    expect(lines).toContain('县东西部协作办公室');
    expect(r.embedded).toMatchObject({ title: '东西部协作工作方案', author: '县协作办' });
  });

  it('reads an XLSX ledger row by row under the sheet name, dates as YYYY-MM-DD', async () => {
    expect((await detectFormatOfBytes(xlsxBytes, '台账.xlsx')).format).toBe('xlsx');
    const r = await readEvidenceFile(xlsxBytes, 'xlsx', '台账.xlsx');
    expect(r.readability).toBe('ok');
    expect(r.text.split('\n')).toEqual([
      '挂职干部名册',
      '序号\t姓名\t派出单位及职务\t到岗日期\t在岗月数',
      '1\t张三\t天津市津南区发改委副主任\t2019-03-01\t12',
      '2\t李四\t天津市津南区教育局科长\t2019-06-15\t6.5',
      '',
      '汇总',
      '合计\t\t2',
    ]);
  });

  it('reads legacy DOC/WPS and XLS/ET converted by LibreOffice, telling them apart by content', async () => {
    writeFileSync(join(dir, 'fangan.docx'), docxBytes);
    writeFileSync(join(dir, 'taizhang.xlsx'), xlsxBytes);
    soffice(['--convert-to', 'doc', '--outdir', dir, join(dir, 'fangan.docx')]);
    soffice(['--convert-to', 'xls', '--outdir', dir, join(dir, 'taizhang.xlsx')]);
    const docPath = join(dir, 'fangan.doc');
    const xlsPath = join(dir, 'taizhang.xls');

    expect(await detectFormatOfFile(docPath)).toEqual({ format: 'doc', extensionFormat: 'doc', mismatch: false });
    const doc = await readEvidenceFile(readFileSync(docPath), 'doc', 'fangan.doc');
    expect(doc.readability).toBe('ok');
    expect(doc.text).toContain(DOC_NUMBER);
    expect(doc.text).toContain(SENTENCE);

    // WPS saves Word-format files with a .wps extension; a .doc named .xls is a mismatch.
    writeFileSync(join(dir, '方案.wps'), readFileSync(docPath));
    expect(await detectFormatOfFile(join(dir, '方案.wps'))).toEqual({ format: 'wps', extensionFormat: 'wps', mismatch: false });
    writeFileSync(join(dir, '假表格.xls'), readFileSync(docPath));
    expect(await detectFormatOfFile(join(dir, '假表格.xls'))).toEqual({ format: 'doc', extensionFormat: 'xls', mismatch: true });
    expect((await readEvidenceFile(readFileSync(docPath), 'wps', '方案.wps')).text).toContain(DOC_NUMBER);

    expect(await detectFormatOfFile(xlsPath)).toEqual({ format: 'xls', extensionFormat: 'xls', mismatch: false });
    writeFileSync(join(dir, '台账.et'), readFileSync(xlsPath));
    expect((await detectFormatOfFile(join(dir, '台账.et'))).format).toBe('et');
    const xls = await readEvidenceFile(readFileSync(xlsPath), 'xls', 'taizhang.xls');
    expect(xls.readability).toBe('ok');
    expect(xls.text.split('\n')).toEqual(expect.arrayContaining(['挂职干部名册', '汇总', '张三', '天津市津南区教育局科长', '合计']));
  });

  it('reports a password-protected Office file (OLE container with EncryptionInfo) as encrypted', async () => {
    // Office stores a password-protected docx as a compound file with EncryptionInfo/EncryptedPackage
    // streams. LibreOffice here cannot write one, so rename the streams of a real compound file.
    const doc = Buffer.from(readFileSync(join(dir, 'fangan.doc')));
    const rename = (from: string, to: string): void => {
      const at = doc.indexOf(Buffer.from(from, 'utf16le'));
      expect(at).toBeGreaterThan(0);
      doc.fill(0, at, at + 64);
      doc.write(to, at, 'utf16le');
      doc.writeUInt16LE((to.length + 1) * 2, at + 64);
    };
    rename('WordDocument', 'EncryptionInfo');
    rename('1Table', 'EncryptedPackage');
    expect(await detectFormatOfBytes(doc, '协议.docx')).toEqual({ format: 'docx', extensionFormat: 'docx', mismatch: false });
    const r = await readEvidenceFile(doc, 'docx', '协议.docx');
    expect(r.readability).toBe('encrypted');
    expect(r.readError).toContain('文件设有打开密码（协议.docx）');
  });

  it('reports a damaged DOCX and a damaged DOC as corrupt', async () => {
    const brokenZip = docxBytes.subarray(0, 200);
    const r1 = await readEvidenceFile(brokenZip, 'docx', '坏.docx');
    expect(r1.readability).toBe('corrupt');
    expect(r1.readError).toContain('文件已损坏或格式不正确（坏.docx）');
    const brokenOle = readFileSync(join(dir, 'fangan.doc')).subarray(0, 1500);
    const r2 = await readEvidenceFile(brokenOle, 'doc', '坏.doc');
    expect(r2.readability).toBe('corrupt');
  });
});

describe('images', () => {
  it('reads EXIF date (camera local time), GPS, orientation, camera and stored size', async () => {
    const jpg = await photoJpeg({ r: 200, g: 120, b: 60 }, true);
    const r = await readEvidenceFile(jpg, 'jpeg', 'IMG_0001.jpg');
    expect(r.readability).toBe('ok');
    expect(r.photo?.takenAt).toBe('2019-03-15T09:30:00');
    expect(r.photo?.orientation).toBe(6);
    expect(r.photo?.camera).toBe('HUAWEI P30');
    expect(r.photo?.width).toBe(320);
    expect(r.photo?.height).toBe(240);
    expect(r.photo?.gps?.lat).toBeCloseTo(30.5, 6);
    expect(r.photo?.gps?.lon).toBeCloseTo(104 + 4 / 60 + 30 / 3600, 6);
  });

  it('detects a JPEG named .pdf as a JPEG and flags the mismatch', async () => {
    const jpg = await photoJpeg({ r: 10, g: 200, b: 90 }, false);
    expect(detectFormat(jpg.subarray(0, 8192), '会议照片.pdf')).toEqual({ format: 'jpeg', extensionFormat: 'pdf', mismatch: true });
    const path = join(dir, '会议照片.pdf');
    writeFileSync(path, jpg);
    expect(await detectFormatOfFile(path)).toEqual({ format: 'jpeg', extensionFormat: 'pdf', mismatch: true });
    expect((await readEvidenceFile(jpg, 'jpeg', '会议照片.pdf')).readability).toBe('ok');
  });

  it('reports a truncated photo as corrupt', async () => {
    const jpg = await photoJpeg({ r: 10, g: 20, b: 200 }, false);
    const r = await readEvidenceFile(jpg.subarray(0, Math.floor(jpg.length / 3)), 'jpeg', '坏照片.jpg');
    expect(r.readability).toBe('corrupt');
    expect(r.readError).toContain('图片已损坏或不完整（坏照片.jpg）');
  });

  it('gives the same photo re-encoded a near fingerprint and a different photo a far one', async () => {
    const a = await photoJpeg({ r: 200, g: 120, b: 60 }, true);
    const aSmall = await sharp(a).resize(160).jpeg({ quality: 60 }).withMetadata({ orientation: 6 }).toBuffer();
    const b = await sharp(await photoJpeg({ r: 200, g: 120, b: 60 }, false)).flop().toBuffer();
    const fa = await fingerprintImage(a);
    const fSmall = await fingerprintImage(aSmall);
    const fb = await fingerprintImage(b);
    expect(fa).toMatch(/^d:[0-9a-f]{16}$/);
    expect(hammingDistanceHex(fa ?? '', fSmall ?? '')).toBeLessThanOrEqual(5);
    expect(hammingDistanceHex(fa ?? '', fb ?? '')).toBeGreaterThan(5);
    expect(await fingerprintImage(Buffer.from('not an image'))).toBeUndefined();
  });
});

describe('text, empty and unknown files', () => {
  it('decodes UTF-8 and GBK text', async () => {
    const { default: iconv } = await import('iconv-lite');
    const gbk = iconv.encode(`${DOC_NUMBER}\r\n${SENTENCE}\r\n`, 'gbk');
    expect(detectFormat(gbk, '通知.txt').format).toBe('txt');
    expect((await readEvidenceFile(gbk, 'txt', '通知.txt')).text).toBe(`${DOC_NUMBER}\n${SENTENCE}\n`);
    const utf8 = Buffer.from(`\uFEFF${SENTENCE}`, 'utf8');
    expect((await readEvidenceFile(utf8, 'txt', 'a.txt')).text).toBe(SENTENCE);
  });

  it('reports an empty file with what to do', async () => {
    const r = await readEvidenceFile(Buffer.alloc(0), 'pdf', '空.pdf');
    expect(r).toEqual({ readability: 'empty', readError: '文件为空（0 字节），请向报送单位重新索取', text: '' });
  });

  it('reports an unknown format as unsupported, naming the file', async () => {
    const junk = Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe, 0x00, 0x10, 0x20]);
    expect(detectFormat(junk, '数据.dat').format).toBe('unknown');
    const r = await readEvidenceFile(junk, 'unknown', '数据.dat');
    expect(r.readability).toBe('unsupported');
    expect(r.readError).toContain('“数据.dat”');
  });

  it('fingerprints text regardless of spacing and punctuation, and not when too short', () => {
    const body = `${SENTENCE}。各乡镇、各部门：为深入贯彻落实东西部扶贫协作工作部署，经研究，决定召开联席会议，请准时参加。`;
    const respaced = body.replace(/，/g, ' , ').replace(/。/g, '.\n');
    expect(fingerprintText(body)).toMatch(/^t:[0-9a-f]{32}$/);
    expect(fingerprintText(respaced)).toBe(fingerprintText(body));
    expect(fingerprintText(body.replace('联席会议', '专题会议'))).not.toBe(fingerprintText(body));
    expect(fingerprintText('会议纪要')).toBeUndefined();
  });
});

/**
 * Hostile and broken input through the real import path (importPaths on a real workspace): each bad file gets a
 * Chinese reason, the rest of the batch is imported, and evidence stored before is left exactly as it was.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemoFont } from '../../electron/backend/demo/demo-files.js';
import { makePdf, makePhoto } from '../../electron/backend/demo/synth.js';
import { buildOutputs } from '../../electron/backend/generators/build.js';
import type { ImportReport } from '../../shared/domain/intake.js';
import { importPaths, importUploads, ORIGINAL_RECOVERED_NOTE } from '../../electron/backend/workspace/import.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';

type Member = { name: string | Buffer; data: Buffer; deflate?: boolean; declaredSize?: number };

/** A minimal zip writer (UTF-8 flag set), so tests control names, duplicates and declared sizes exactly. */
function writeZip(members: Member[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const name = Buffer.isBuffer(m.name) ? m.name : Buffer.from(m.name, 'utf8');
    const body = m.deflate ? deflateRawSync(m.data) : m.data;
    const size = m.declaredSize ?? m.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(m.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc32(m.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(m.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc32(m.data), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(members.length, 8);
  eocd.writeUInt16LE(members.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

function yazlZip(files: Record<string, Buffer>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [name, data] of Object.entries(files)) zip.addBuffer(data, name);
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** A well-formed PDF built object by object (with an xref table), for page-tree and action tests. */
function rawPdf(objects: string[]): Buffer {
  const parts = ['%PDF-1.7\n'];
  const offsets: number[] = [];
  let length = parts[0].length;
  objects.forEach((o, i) => {
    offsets.push(length);
    const part = `${i + 1} 0 obj\n${o}\nendobj\n`;
    parts.push(part);
    length += Buffer.byteLength(part);
  });
  const xref = length;
  let out = parts.join('');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<</Size ${objects.length + 1}/Root 1 0 R>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([len, typed, crc]);
}

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Every vault file with its hash. */
function vaultFiles(vaultRoot: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else files.set(path.relative(vaultRoot, full), sha(readFileSync(full)));
    }
  };
  walk(vaultRoot);
  return files;
}

/** Vault files and the evidence row count: what "nothing already stored is lost" is checked against. */
async function stored(ws: Workspace): Promise<{ rows: number; files: Map<string, string> }> {
  return { rows: (await ws.integrity()).evidenceRows, files: vaultFiles(ws.vault.root) };
}

function expectKept(before: { rows: number; files: Map<string, string> }, after: { rows: number; files: Map<string, string> }): void {
  for (const [file, hash] of before.files) expect(after.files.get(file), file).toBe(hash);
  expect(after.rows).toBeGreaterThanOrEqual(before.rows);
}

const reasonOf = (report: ImportReport, suffix: string): string | undefined =>
  [...report.rejected, ...report.ignored].find((r) => r.source.endsWith(suffix))?.reason;
const importedNames = (report: ImportReport): string[] => report.imported.map((i) => i.source.split(/::|\//).pop() ?? i.source).sort();

let root: string;
let seedPdf: Buffer;
let seedPhoto: Buffer;
let counter = 0;

/** A workspace that already holds two pieces of evidence (a PDF and a photo), as the office's would. */
async function seededWorkspace(): Promise<{ ws: Workspace; before: Awaited<ReturnType<typeof stored>> }> {
  const dir = path.join(root, `ws-${++counter}`);
  const ws = (await Workspace.init(dir, { templateId: 'east-west-2017', periodStart: '2019-01-01', periodEnd: '2019-12-31' }));
  const seeds = path.join(root, `seed-${counter}`);
  mkdirSync(seeds);
  writeFileSync(path.join(seeds, '领导小组会议纪要.pdf'), seedPdf);
  writeFileSync(path.join(seeds, '现场照片.jpg'), seedPhoto);
  const report = await importPaths(ws, [seeds]);
  expect(report.imported).toHaveLength(2);
  return { ws, before: (await stored(ws)) };
}

function folder(name: string): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const textPdf = async (lines: string[]): Promise<Buffer> => {
  const font = findDemoFont();
  return Buffer.from(await makePdf({ pages: [{ lines }], font: font.bytes, fontName: font.fontName }));
};

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'binder-hostile-'));
  seedPdf = await textPdf(['青山县东西部扶贫协作工作领导小组', '2019年第5次会议纪要', '时间：2019年5月20日']);
  seedPhoto = Buffer.from(await makePhoto({ width: 640, height: 480, seed: 3, takenAt: '2019-06-12T09:35:12' }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('hostile zip archives', () => {
  it('refuses unsafe and invisible member names, keeps the good members with sensible names, and loses nothing stored', async () => {
    const { ws, before } = await seededWorkspace();
    const inbox = folder('zip-names');
    const pdf = (label: string): Promise<Buffer> => textPdf([`东西部协作材料 ${label}`]);
    const long = `${'关于东西部协作'.repeat(45)}.pdf`;
    writeFileSync(
      path.join(inbox, '各单位报送.zip'),
      writeZip([
        { name: '..\\..\\evil.pdf', data: await pdf('evil') },
        { name: 'C:\\x.pdf', data: await pdf('drive') },
        { name: '组织部\\ok.pdf', data: await pdf('ok') },
        { name: 'nul\u0000.pdf.exe', data: await pdf('nul') },
        { name: 'bell\u0007\n.pdf', data: await pdf('bell') },
        { name: long, data: await pdf('long') },
        { name: 'Report.pdf', data: await pdf('upper') },
        { name: 'report.pdf', data: await pdf('lower') },
        { name: 'CON.pdf', data: await pdf('con') },
        { name: 'aux.jpg', data: Buffer.from(await makePhoto({ width: 640, height: 480, seed: 9 })) },
        { name: '附件/', data: Buffer.from('a directory entry carrying data') },
        { name: '通知.pdf', data: await pdf('first') },
        { name: '通知.pdf', data: await pdf('second') },
        { name: '会议🎉纪要（终稿）.pdf', data: await pdf('emoji') },
      ]),
    );
    const report = await importPaths(ws, [inbox]);

    const unsafe = '压缩包内的文件路径不安全（含 ../ 或绝对路径），已拒绝';
    expect(reasonOf(report, '::../../evil.pdf')).toBe(unsafe);
    expect(reasonOf(report, '::C:/x.pdf')).toBe(unsafe);
    // Control characters: refused, and the report line shows them as visible marks (one line, no NUL).
    const control = report.rejected.filter((r) => r.reason.includes('控制字符'));
    expect(control.map((r) => r.source.split('::')[1]).sort()).toEqual(['bell\uFFFD\uFFFD.pdf', 'nul\uFFFD.pdf.exe']);
    expect(control.every((r) => !/[\u0000-\u001f]/.test(r.source))).toBe(true);

    const sources = report.imported.map((i) => i.source.split('::')[1]).sort();
    expect(sources).toEqual(
      ['组织部/ok.pdf', long, 'Report.pdf', 'report.pdf', 'CON.pdf', 'aux.jpg', '通知.pdf', '通知.pdf（同名第2个）', '会议🎉纪要（终稿）.pdf'].sort(),
    );
    const ok = (await ws.listEvidence()).find((e) => e.source.endsWith('::组织部/ok.pdf'));
    expect(ok).toMatchObject({ originalName: 'ok.pdf', readability: 'ok' });
    const emoji = (await ws.listEvidence()).find((e) => e.originalName === '会议🎉纪要（终稿）.pdf');
    expect(emoji?.source).toMatch(/各单位报送\.zip::会议🎉纪要（终稿）\.pdf$/);
    expect((await ws.listEvidence()).filter((e) => e.originalName === long)).toHaveLength(1);
    // The directory entry with data is not a file; nothing else is reported for it.
    expect(report.imported.some((i) => i.source.includes('附件/'))).toBe(false);

    expectKept(before, (await stored(ws)));
    expect((await stored(ws)).rows).toBe(before.rows + 9);
    await ws.close();
  });

  it('refuses a bomb of many small, highly compressed members as a whole, and imports nothing from it', async () => {
    const { ws, before } = await seededWorkspace();
    const inbox = folder('zip-bomb');
    // 80 members of 1 MB each (distinct, so deduplication does not hide them), ~1 KB packed: 80 MB from 100 KB.
    const members: Member[] = Array.from({ length: 80 }, (_, i) => ({
      name: `台账${String(i).padStart(2, '0')}.txt`,
      data: Buffer.concat([Buffer.from(`第${i}号`), Buffer.alloc(1024 * 1024 - 16, 0x20)]),
      deflate: true,
    }));
    writeFileSync(path.join(inbox, '炸弹.zip'), writeZip(members));
    writeFileSync(path.join(inbox, '正常纪要.pdf'), await textPdf(['2019年第6次会议纪要']));
    const report = await importPaths(ws, [inbox]);
    expect(report.rejected).toHaveLength(1);
    expect(report.rejected[0].source).toMatch(/炸弹\.zip$/);
    expect(report.rejected[0].reason).toMatch(/^压缩包内的文件解压后异常巨大（80 个文件共 .* KB，解压后共 80\.0 MB），疑似“压缩炸弹”，已拒绝。.*未导入其中任何文件。$/);
    expect(importedNames(report)).toEqual(['正常纪要.pdf']);
    expectKept(before, (await stored(ws)));
    expect((await stored(ws)).rows).toBe(before.rows + 1);
    await ws.close();
  });

  it('handles a 0-byte zip, a zip in a zip in a zip, and a central directory that lies about sizes', async () => {
    const { ws, before } = await seededWorkspace();
    const inbox = folder('zip-nesting');
    writeFileSync(path.join(inbox, '空.zip'), Buffer.alloc(0));
    const innermost = await yazlZip({ '最里层.pdf': await textPdf(['最里层的材料']) });
    const middle = await yazlZip({ '第三层.zip': innermost, '第二层.pdf': await textPdf(['第二层的材料']) });
    writeFileSync(path.join(inbox, '三层.zip'), await yazlZip({ '第二层.zip': middle, '第一层.pdf': await textPdf(['第一层的材料']) }));
    const real = Buffer.from('青山县东西部协作台账 '.repeat(2000));
    writeFileSync(
      path.join(inbox, '谎报大小.zip'),
      writeZip([
        { name: '少报.txt', data: real, deflate: true, declaredSize: 100 },
        { name: '多报.txt', data: real, deflate: true, declaredSize: real.length * 3 },
        { name: '如实.txt', data: Buffer.from('如实申报的台账'), deflate: true },
      ]),
    );
    const report = await importPaths(ws, [inbox]);
    expect(reasonOf(report, '空.zip')).toBe('文件为空（0 字节），请向报送单位重新索取');
    expect(reasonOf(report, '三层.zip::第二层.zip::第三层.zip')).toBe('压缩包嵌套超过两层，请先解压外层压缩包，再导入其中的文件。');
    expect(reasonOf(report, '谎报大小.zip::少报.txt')).toContain('压缩包内的文件已损坏');
    expect(reasonOf(report, '谎报大小.zip::多报.txt')).toContain('压缩包内的文件已损坏');
    expect(importedNames(report)).toEqual(['如实.txt', '第一层.pdf', '第二层.pdf'].sort());
    expectKept(before, (await stored(ws)));
    expect((await stored(ws)).rows).toBe(before.rows + 3);
    await ws.close();
  });
});

describe('hostile files in a folder', () => {
  it('never reads outside the tree or from a pipe, and says why for each odd entry', async () => {
    const { ws, before } = await seededWorkspace();
    const inbox = folder('odd-entries');
    symlinkSync('/etc/passwd', path.join(inbox, 'passwd.pdf'));
    execFileSync('mkfifo', [path.join(inbox, '管道.pdf')]);
    mkdirSync(path.join(inbox, '像文件的文件夹.pdf'));
    writeFileSync(path.join(inbox, '~$实施方案.docx'), await textPdf(['其实是一份PDF']));
    writeFileSync(path.join(inbox, '控制\u0001字符.pdf'), await textPdf(['名字里有控制字符']));
    writeFileSync(path.join(inbox, '📷 活动照片 2019.jpg'), Buffer.from(await makePhoto({ width: 640, height: 480, seed: 11 })));
    writeFileSync(path.join(inbox, '正常通知.pdf'), await textPdf(['关于开展东西部协作的通知']));

    const report = await importPaths(ws, [inbox]);
    expect(reasonOf(report, 'passwd.pdf')).toBe('快捷方式（符号链接）指向所选文件夹之外，已忽略；如需导入请直接选择目标文件');
    expect(reasonOf(report, '管道.pdf')).toBe('不是普通文件（设备、管道等），已忽略');
    expect(reasonOf(report, '像文件的文件夹.pdf')).toBe('空文件夹，没有可导入的文件');
    expect(reasonOf(report, '~$实施方案.docx')).toContain('按文件名判断；如确是需要的材料，请去掉文件名开头的“~$”后再导入');
    expect(reasonOf(report, '控制\uFFFD字符.pdf')).toContain('文件名中含有控制字符');
    expect(importedNames(report)).toEqual(['📷 活动照片 2019.jpg', '正常通知.pdf'].sort());
    const texts = [...(await ws.evidenceTexts((await ws.listEvidence()).map((e) => e.id))).values()];
    expect(texts.some((t) => t.includes('root:'))).toBe(false);
    expectKept(before, (await stored(ws)));
    expect((await stored(ws)).rows).toBe(before.rows + 2);
    await ws.close();
  });

  it('reports a file that vanished, or turned into a link, between listing and reading in Chinese', async () => {
    const { ws, before } = await seededWorkspace();
    const inbox = folder('vanishing');
    writeFileSync(path.join(inbox, '1-会被删除.pdf'), await textPdf(['会被删除的材料']));
    writeFileSync(path.join(inbox, '2-会被换成链接.pdf'), await textPdf(['会被替换的材料']));
    writeFileSync(path.join(inbox, '3-正常.pdf'), await textPdf(['正常的材料']));
    // The label hook runs after a file is listed and before it is read: the moment another program could strike.
    const report = await importPaths(ws, [inbox], {}, (source) => {
      if (source.endsWith('1-会被删除.pdf') && existsSync(source)) unlinkSync(source);
      if (source.endsWith('2-会被换成链接.pdf') && !statSync(source, { throwIfNoEntry: false })?.isSymbolicLink()) {
        unlinkSync(source);
        symlinkSync('/etc/passwd', source);
      }
      return source;
    });
    expect(reasonOf(report, '1-会被删除.pdf')).toMatch(/^文件在读取前已被移动或删除，未导入：.*1-会被删除\.pdf。请确认文件还在原处后重新导入。$/);
    expect(reasonOf(report, '2-会被换成链接.pdf')).toMatch(/^文件在读取前被替换成了快捷方式（符号链接），为安全起见未导入/);
    expect(importedNames(report)).toEqual(['3-正常.pdf']);
    expectKept(before, (await stored(ws)));
    await ws.close();
  });

  it('reads a PDF declaring 100 000 pages (with a JavaScript action) quickly and says it is abnormal', async () => {
    const { ws, before } = await seededWorkspace();
    const inbox = folder('pdf-pages');
    const n = 100_000;
    const objects = [
      '<</Type/Catalog/Pages 2 0 R/OpenAction<</S/JavaScript/JS(app.alert\\(1\\); this.exportDataObject\\({cName:"x"}\\))>>>>',
      `<</Type/Pages/Count ${n}/Kids[${Array.from({ length: n }, (_, i) => `${i + 4} 0 R`).join(' ')}]>>`,
      '<</Length 0>>stream\n\nendstream',
      ...Array.from({ length: n }, () => '<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 3 0 R>>'),
    ];
    writeFileSync(path.join(inbox, '十万页.pdf'), rawPdf(objects));
    // A page tree whose /Count lies (one real page).
    writeFileSync(
      path.join(inbox, '页数谎报.pdf'),
      rawPdf(['<</Type/Catalog/Pages 2 0 R>>', `<</Type/Pages/Count ${n}/Kids[4 0 R]>>`, '<</Length 0>>stream\n\nendstream', '<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 3 0 R>>']),
    );
    const report = await importPaths(ws, [inbox]);
    const huge = report.imported.find((i) => i.source.endsWith('十万页.pdf'));
    expect(huge?.warning).toBe('PDF 有 100000 页，远超一份材料的正常页数（5000 页），只读取了前 20 页的文字。请确认文件是否正确，必要时拆分后再导入。');
    expect((await ws.getEvidence(huge!.id))).toMatchObject({ pages: 100000, readability: 'ok' });
    expect((await ws.getEvidence(report.imported.find((i) => i.source.endsWith('页数谎报.pdf'))!.id))?.pages).toBe(1);
    expectKept(before, (await stored(ws)));
    await ws.close();
  });

  it('does not expand a billion-laughs entity bomb in a DOCX', async () => {
    const { ws, before } = await seededWorkspace();
    const inbox = folder('docx-bomb');
    const entities = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)];
    const document = `<?xml version="1.0"?><!DOCTYPE lolz [${entities.join('')}]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>青山县协作方案&lol9;</w:t></w:r></w:p></w:body></w:document>`;
    writeFileSync(
      path.join(inbox, '实施方案.docx'),
      await yazlZip({
        '[Content_Types].xml': Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
        '_rels/.rels': Buffer.from('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'),
        'word/document.xml': Buffer.from(document),
      }),
    );
    const report = await importPaths(ws, [inbox]);
    expect(importedNames(report)).toEqual(['实施方案.docx']);
    const text = (await ws.evidenceText(report.imported[0].id));
    expect(text).toContain('青山县协作方案');
    expect(text.length).toBeLessThan(5000);
    expectKept(before, (await stored(ws)));
    await ws.close();
  });

  it('refuses images whose header claims billions of pixels, without decoding them', async () => {
    const { ws, before } = await seededWorkspace();
    const inbox = folder('pixel-bombs');
    // A real 16×16 JPEG whose frame header is patched to 60000×60000.
    const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg.writeUInt16BE(60000, sof + 5);
    jpeg.writeUInt16BE(60000, sof + 7);
    writeFileSync(path.join(inbox, '巨幅.jpg'), jpeg);
    // A real PNG bomb: 20000×20000 1-bit pixels (400 M) deflate to ~50 KB.
    const w = 20000;
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(w, 0);
    ihdr.writeUInt32BE(w, 4);
    ihdr[8] = 1; // bit depth
    const idat = deflateSync(Buffer.alloc((1 + w / 8) * w));
    writeFileSync(
      path.join(inbox, '炸弹.png'),
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]),
    );
    // A 65-byte GIF whose screen and frame are 65535×65535 (16 GB of pixels once decoded).
    const gif = Buffer.from('474946383961ffffffff00000021f90401000000002c00000000ffffffff0002024401003b', 'hex');
    writeFileSync(path.join(inbox, '动图.gif'), gif);
    writeFileSync(path.join(inbox, '正常照片.jpg'), Buffer.from(await makePhoto({ width: 640, height: 480, seed: 5 })));

    const report = await importPaths(ws, [inbox]);
    expect(reasonOf(report, '巨幅.jpg')).toBe(
      '图片尺寸异常巨大（巨幅.jpg：60000×60000 像素，上限约 2.7 亿像素），可能是损坏或恶意构造的文件，未导入。如确是需要的图片，请缩小尺寸或转为 PDF 后再导入。',
    );
    expect(reasonOf(report, '炸弹.png')).toContain('图片尺寸异常巨大（炸弹.png：20000×20000 像素');
    expect(reasonOf(report, '动图.gif')).toContain('图片尺寸异常巨大（动图.gif：65535×65535 像素');
    expect(importedNames(report)).toEqual(['正常照片.jpg']);
    expectKept(before, (await stored(ws)));
    expect((await stored(ws)).rows).toBe(before.rows + 1);
    await ws.close();
  });

  it('reads text in a broken encoding (UTF-8 and GBK pasted together) and warns about unreadable characters', async () => {
    const { ws } = await seededWorkspace();
    const inbox = folder('text-encodings');
    const gbk = Buffer.from('d7e9d6afb2bfd7aac7d8', 'hex'); // "组织部转秦" in GBK
    writeFileSync(path.join(inbox, '混合编码.txt'), Buffer.concat([Buffer.from('东西部协作台账\n', 'utf8'), gbk, Buffer.from('\n坏字节', 'utf8'), Buffer.from([0xff, 0x80])]));
    const report = await importPaths(ws, [inbox]);
    expect(importedNames(report)).toEqual(['混合编码.txt']);
    expect(report.imported[0].warning).toContain('文本中有部分字符无法识别');
    const text = (await ws.evidenceText(report.imported[0].id));
    expect(text).toContain('东西部协作台账');
    expect(text).toContain('组织部转秦');
    await ws.close();
  });
});

describe('the workspace under stress', () => {
  it('two windows importing the same folder at once store each file once and report no failure', async () => {
    const { ws, before } = await seededWorkspace();
    const inbox = folder('concurrent');
    for (let i = 1; i <= 6; i++) writeFileSync(path.join(inbox, `第${i}次会议纪要.pdf`), await textPdf([`2019年第${i}次会议纪要`]));
    const other = (await Workspace.open(ws.dir));
    const [a, b] = await Promise.all([importPaths(ws, [inbox]), importPaths(other, [inbox])]);
    expect([...a.rejected, ...b.rejected]).toEqual([]);
    expect(a.imported.length + b.imported.length).toBe(6);
    expect(a.duplicates.length + b.duplicates.length).toBe(6);
    expectKept(before, (await stored(ws)));
    expect((await stored(ws)).rows).toBe(before.rows + 6);
    expect(new Set((await ws.listEvidence()).map((e) => e.sha256)).size).toBe(before.rows + 6);
    await other.close();
    await ws.close();
  });

  it('a workspace that cannot be written refuses each file with a Chinese reason and half-writes nothing', async () => {
    const { ws, before } = await seededWorkspace();
    const inbox = folder('readonly');
    writeFileSync(path.join(inbox, '新纪要.pdf'), await textPdf(['2019年第9次会议纪要']));
    writeFileSync(path.join(inbox, '新照片.jpg'), Buffer.from(await makePhoto({ width: 640, height: 480, seed: 21 })));
    // Root ignores permission bits, so make the vault immutable (or, as a normal user, read-only).
    const lock = (on: boolean): void => {
      const dirs = [ws.vault.root, ...readdirSync(ws.vault.root).map((d) => path.join(ws.vault.root, d))].filter((d) => statSync(d).isDirectory());
      for (const d of dirs) {
        if (process.getuid?.() === 0) execFileSync('chattr', [on ? '+i' : '-i', d]);
        else chmodSync(d, on ? 0o555 : 0o755);
      }
    };
    lock(true);
    let report: ImportReport;
    try {
      report = await importPaths(ws, [inbox]);
    } finally {
      lock(false);
    }
    expect(report.imported).toEqual([]);
    expect(report.rejected.map((r) => path.basename(r.source)).sort()).toEqual(['新照片.jpg', '新纪要.pdf'].sort());
    for (const r of report.rejected) {
      expect(r.reason).toBe(
        '无法把文件保存到工作区：工作区文件夹是只读的或没有写入权限（如光盘、写保护的U盘、网络共享）。未导入该文件，已有材料不受影响。请把工作区复制到本机可写的位置（或腾出磁盘空间）后重新导入。',
      );
    }
    const after = (await stored(ws));
    expect(after).toEqual(before);
    expect(readdirSync(path.join(ws.vault.root, 'tmp'))).toEqual([]);
    await ws.close();
  });

  it('an original deleted by hand: open, list, gaps and build still work and name the item; importing it again restores it', async () => {
    const { ws } = await seededWorkspace();
    const pdfItem = (await ws.listEvidence()).find((e) => e.format === 'pdf')!;
    await ws.link([pdfItem.id], '1.1');
    const vaultFile = ws.originalPath(pdfItem.sha256);
    await ws.close();
    unlinkSync(vaultFile);

    const reopened = (await Workspace.open(ws.dir));
    const missing = (await reopened.getEvidence(pdfItem.id))!;
    expect(missing.readability).toBe('corrupt');
    expect(missing.readError).toBe(
      '工作区中该材料的原始文件（领导小组会议纪要.pdf）已丢失，可能被手动删除或移动。请重新导入这份文件，导入后会自动恢复，原有的分类和著录信息保持不变。',
    );
    expect((await reopened.listEvidence())).toHaveLength(2);
    const findings = (await reopened.gaps()).findings.filter((f) => f.evidence?.includes(pdfItem.id));
    expect(findings.map((f) => f.kind)).toEqual(['unreadable']);
    expect(findings[0].message).toContain('无法读取（文件已损坏）：工作区中该材料的原始文件（领导小组会议纪要.pdf）已丢失');
    const build = (edition: 'submission' | 'review') =>
      buildOutputs(snapshot, reopened, {
        outDir: path.join(root, `build-missing-${edition}`),
        formats: ['pdf'],
        edition,
        generatedAt: '2019-12-20T08:00:00.000Z',
        generatorVersion: 'test',
      });
    const snapshot = await reopened.snapshot();
    // The submission edition leaves the lost original out and says so; the review edition binds a placeholder page.
    const submission = await build('submission');
    expect(submission.warnings.some((w) => w.kind === 'unreadable' && w.message.includes('领导小组会议纪要'))).toBe(true);
    const review = await build('review');
    expect(review.outputs.length).toBeGreaterThan(0);
    const pdfText = execFileSync('pdftotext', [review.outputs[0].path, '-']).toString();
    expect(pdfText.replace(/\s/g, '')).toContain('原始文件（领导小组会议纪要.pdf）已丢失');

    const again = folder('restore-original');
    writeFileSync(path.join(again, '重新找到的纪要.pdf'), seedPdf);
    const report = await importPaths(reopened, [again]);
    expect(report.imported).toEqual([expect.objectContaining({ id: pdfItem.id, warning: ORIGINAL_RECOVERED_NOTE })]);
    expect(readFileSync(vaultFile)).toEqual(seedPdf);
    expect((await reopened.getEvidence(pdfItem.id))).toMatchObject({
      readability: 'ok',
      links: expect.arrayContaining([expect.objectContaining({ indicator: '1.1', origin: 'user' })]) as unknown,
    });
    await reopened.close();
  });

  it('a framework.json edited into invalid JSON: a clear error naming the file, and the database untouched', async () => {
    const { ws, before } = await seededWorkspace();
    await ws.close();
    const file = path.join(ws.dir, 'framework.json');
    const db = path.join(ws.dir, 'binder.db');
    const dbBefore = sha(readFileSync(db));
    writeFileSync(file, `${readFileSync(file, 'utf8').slice(0, 200)}，被手工改坏`);
    await expect(Workspace.open(ws.dir)).rejects.toThrow(`工作区的框架文件 ${file} 已损坏，不是有效的 JSON（`);
    await expect(Workspace.open(ws.dir)).rejects.toThrow(/请从备份恢复该文件/);
    expect(sha(readFileSync(db))).toBe(dbBefore);
    expect(existsSync(`${db}-wal`)).toBe(false);
    expect(vaultFiles(ws.vault.root)).toEqual(before.files);
  });

  it('uploads with Windows device names, very long names and hostile paths are stored under safe names', async () => {
    const { ws, before } = await seededWorkspace();
    const long = `${'东西部协作工作'.repeat(60)}.pdf`;
    const report = await importUploads(ws, [
      { name: 'CON.pdf', bytes: await textPdf(['设备名文件']) },
      { name: 'aux', bytes: Buffer.from('纯文本的说明') },
      { name: long, bytes: await textPdf(['很长的文件名']) },
      { name: '../../../etc/结尾有点和空格. .pdf', bytes: await textPdf(['路径穿越']) },
    ]);
    expect(report.rejected).toEqual([]);
    // 200 bytes per name at most: 65 of these 3-byte characters and the extension.
    expect(report.imported.map((i) => i.source).sort()).toEqual(
      ['上传/_CON.pdf', '上传/_aux', `上传/${long.slice(0, 65)}.pdf`, '上传/etc/结尾有点和空格. .pdf'].sort(),
    );
    expectKept(before, (await stored(ws)));
    expect((await stored(ws)).rows).toBe(before.rows + 4);
    await ws.close();
  });
});

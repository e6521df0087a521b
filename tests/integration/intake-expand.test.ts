import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import iconv from 'iconv-lite';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandInputs } from '../../electron/backend/intake/expand.js';
import type { InputItem } from '../../electron/backend/intake/expand.js';

type RawMember = {
  /** Raw name bytes as stored. */
  name: Buffer;
  data: Buffer;
  utf8Flag?: boolean;
  deflate?: boolean;
  /** Lie about the uncompressed size in both headers (zip bomb). */
  declaredSize?: number;
};

/** A minimal zip writer, so tests control name encoding and flags exactly as Chinese Windows writes them. */
function writeZip(members: RawMember[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const m of members) {
    const body = m.deflate ? deflateRawSync(m.data) : m.data;
    const flags = m.utf8Flag ? 0x800 : 0;
    const method = m.deflate ? 8 : 0;
    const size = m.declaredSize ?? m.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10); // DOS time/date 1980-01-01
    local.writeUInt32LE(crc32(m.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(m.name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc32(m.data), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(m.name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, m.name, body);
    centrals.push(central, m.name);
    offset += 30 + m.name.length + body.length;
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

async function collect(paths: string[]): Promise<InputItem[]> {
  const items: InputItem[] = [];
  for await (const item of expandInputs(paths)) items.push(item);
  return items;
}

const fakePdf = (label: string): Buffer => Buffer.from(`%PDF-1.4\n% ${label}\n`, 'utf8');
const rel = (root: string, source: string): string => source.split(`${root}/`).join('');

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'intake-expand-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('expandInputs on folders', () => {
  it('walks folders in natural order, skips junk with reasons, reports empty folders and keeps empty files', async () => {
    const top = join(root, '组织领导');
    mkdirSync(join(top, '会议纪要'), { recursive: true });
    mkdirSync(join(top, '空文件夹'));
    writeFileSync(join(top, '会议纪要', '10月纪要.pdf'), fakePdf('10'));
    writeFileSync(join(top, '会议纪要', '2月纪要.pdf'), fakePdf('2'));
    writeFileSync(join(top, 'Thumbs.db'), Buffer.from([1, 2, 3]));
    writeFileSync(join(top, '.DS_Store'), Buffer.from([0, 0, 0, 1]));
    writeFileSync(join(top, 'desktop.ini'), '[.ShellClassInfo]');
    writeFileSync(join(top, '~$实施方案.docx'), Buffer.from('lock'));
    writeFileSync(join(top, '实施方案.docx.txt'), '');
    const items = await collect([top]);
    const view = items.map((i) => [i.kind, rel(top, i.source)]);
    expect(view).toEqual([
      ['ignored', '.DS_Store'],
      ['ignored', '~$实施方案.docx'],
      ['ignored', 'desktop.ini'],
      ['ignored', 'Thumbs.db'],
      ['file', '会议纪要/2月纪要.pdf'],
      ['file', '会议纪要/10月纪要.pdf'],
      ['ignored', '空文件夹'],
      ['file', '实施方案.docx.txt'],
    ]);
    // The natural order inside a folder: 2月 before 10月.
    const files = items.filter((i) => i.kind === 'file').map((i) => rel(top, i.source));
    expect(files.indexOf('会议纪要/2月纪要.pdf')).toBeLessThan(files.indexOf('会议纪要/10月纪要.pdf'));
    const reasons = Object.fromEntries(items.filter((i) => i.kind !== 'file').map((i) => [rel(top, i.source), 'reason' in i ? i.reason : '']));
    expect(reasons['Thumbs.db']).toBe('Windows 系统自动生成的文件（Thumbs.db），不是佐证材料，已忽略');
    expect(reasons['~$实施方案.docx']).toContain('临时锁定文件');
    expect(reasons['空文件夹']).toBe('空文件夹，没有可导入的文件');
    const empty = items.find((i) => i.kind === 'file' && i.name === '实施方案.docx.txt');
    expect(empty && empty.kind === 'file' ? [empty.size, (await empty.read()).length] : null).toEqual([0, 0]);
    const feb = items.find((i) => i.kind === 'file' && i.name === '2月纪要.pdf');
    expect(feb && feb.kind === 'file' ? (await feb.read()).toString() : '').toContain('% 2');
  });

  it('rejects a missing path with its name and does not follow symlinks out of the tree', async () => {
    const outside = join(root, 'outside');
    const tree = join(root, 'tree');
    mkdirSync(outside);
    mkdirSync(tree);
    writeFileSync(join(outside, 'secret.pdf'), fakePdf('secret'));
    writeFileSync(join(tree, 'a.pdf'), fakePdf('a'));
    symlinkSync(join(outside, 'secret.pdf'), join(tree, 'link.pdf'));
    symlinkSync(tree, join(tree, 'loop'));
    const missing = join(root, '不存在的文件夹');
    const items = await collect([missing, tree]);
    expect(items[0]).toEqual({ kind: 'rejected', source: missing, reason: `找不到文件或文件夹：${missing}` });
    const view = items.slice(1).map((i) => [i.kind, rel(tree, i.source)]);
    expect(view).toEqual([
      ['file', 'a.pdf'],
      ['ignored', 'link.pdf'],
      ['ignored', 'loop'],
    ]);
  });
});

describe('expandInputs on zip archives', () => {
  it('expands a zip by content (not extension), nested one level, with GBK and UTF-8 names', async () => {
    const inner = await yazlZip({ '附件/签到表.pdf': fakePdf('inner') });
    const outer = writeZip([
      { name: iconv.encode('会议纪要.pdf', 'gbk'), data: fakePdf('gbk') },
      { name: Buffer.from('照片/现场照片.jpg', 'utf8'), data: Buffer.from([0xff, 0xd8, 0xff, 0xe0]), utf8Flag: true },
      { name: iconv.encode('二级/内层.zip', 'gbk'), data: inner },
      { name: Buffer.from('__MACOSX/._会议纪要.pdf', 'utf8'), data: Buffer.from('x'), utf8Flag: true },
      { name: Buffer.from('Thumbs.db'), data: Buffer.from('x') },
      { name: Buffer.from('空目录/'), data: Buffer.alloc(0) },
      { name: Buffer.from('long.txt'), data: Buffer.from('协作'.repeat(5000), 'utf8'), deflate: true },
    ]);
    // Named .dat: detection is by content.
    const path = join(root, '报送材料.dat');
    writeFileSync(path, outer);
    const items = await collect([path]);
    const view = items.map((i) => [i.kind, rel(root, i.source)]);
    expect(view).toEqual([
      ['ignored', '报送材料.dat::空目录/'],
      ['ignored', '报送材料.dat::__MACOSX/._会议纪要.pdf'],
      ['file', '报送材料.dat::long.txt'],
      ['ignored', '报送材料.dat::Thumbs.db'],
      ['file', '报送材料.dat::二级/内层.zip::附件/签到表.pdf'],
      ['file', '报送材料.dat::会议纪要.pdf'],
      ['file', '报送材料.dat::照片/现场照片.jpg'],
    ]);
    const byName = new Map(items.flatMap((i) => (i.kind === 'file' ? [[i.name, i] as const] : [])));
    expect([...byName.keys()].sort()).toEqual(['long.txt', '会议纪要.pdf', '现场照片.jpg', '签到表.pdf'].sort());
    expect((await byName.get('会议纪要.pdf')?.read())?.toString()).toContain('% gbk');
    expect((await byName.get('签到表.pdf')?.read())?.toString()).toContain('% inner');
    const long = byName.get('long.txt');
    expect(long?.size).toBe(30000);
    expect((await long?.read())?.toString('utf8')).toBe('协作'.repeat(5000));
  });

  it('leaves a DOCX (a zip inside) as one file', async () => {
    const docx = await yazlZip({ '[Content_Types].xml': Buffer.from('<Types/>'), 'word/document.xml': Buffer.from('<w:document/>') });
    const path = join(root, '方案.docx');
    writeFileSync(path, docx);
    const items = await collect([path]);
    expect(items.map((i) => [i.kind, i.source])).toEqual([['file', path]]);
  });

  it('rejects unsafe member paths, zip bombs and a corrupt archive with Chinese reasons', async () => {
    const evil = writeZip([
      { name: Buffer.from('../evil.pdf'), data: fakePdf('evil') },
      { name: Buffer.from('/etc/evil.pdf'), data: fakePdf('abs') },
      { name: Buffer.from('C:/Windows/evil.pdf'), data: fakePdf('drive') },
      { name: Buffer.from('ok.pdf'), data: fakePdf('ok') },
      { name: Buffer.from('bomb.txt'), data: Buffer.alloc(1000, 0x41), deflate: true, declaredSize: 2 * 1024 * 1024 * 1024 },
      { name: Buffer.from('ratio.txt'), data: Buffer.alloc(1000, 0x41), deflate: true, declaredSize: 100 * 1024 * 1024 },
    ]);
    const path = join(root, 'evil.zip');
    writeFileSync(path, evil);
    const items = await collect([path]);
    const bySource = Object.fromEntries(items.map((i) => [rel(root, i.source), i]));
    const unsafe = '压缩包内的文件路径不安全（含 ../ 或绝对路径），已拒绝';
    expect(bySource['evil.zip::../evil.pdf']).toMatchObject({ kind: 'rejected', reason: unsafe });
    expect(bySource['evil.zip::/etc/evil.pdf']).toMatchObject({ kind: 'rejected', reason: unsafe });
    expect(bySource['evil.zip::C:/Windows/evil.pdf']).toMatchObject({ kind: 'rejected', reason: unsafe });
    expect(bySource['evil.zip::ok.pdf']).toMatchObject({ kind: 'file', name: 'ok.pdf' });
    expect(bySource['evil.zip::bomb.txt']).toMatchObject({ kind: 'rejected' });
    expect(bySource['evil.zip::bomb.txt'].kind === 'rejected' && bySource['evil.zip::bomb.txt'].reason).toContain('压缩炸弹');
    expect(bySource['evil.zip::ratio.txt'].kind === 'rejected' && bySource['evil.zip::ratio.txt'].reason).toContain('压缩炸弹');

    const corrupt = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 7)]);
    const corruptPath = join(root, '损坏.zip');
    writeFileSync(corruptPath, corrupt);
    const [bad] = await collect([corruptPath]);
    expect(bad.kind).toBe('rejected');
    expect(bad.kind === 'rejected' ? bad.reason : '').toContain('压缩包已损坏或不完整');
  });

  it('rejects a member whose real size differs from the declared one (at once, or when read)', async () => {
    const lying = writeZip([
      // Declares 10 bytes, holds 5,000: caught while peeking at the member.
      { name: Buffer.from('short.txt'), data: Buffer.alloc(5000, 0x42), deflate: true, declaredSize: 10 },
      // Declares 100 KB, holds 400 KB: caught when the member is read.
      { name: Buffer.from('long.txt'), data: Buffer.alloc(400_000, 0x43), deflate: true, declaredSize: 100_000 },
    ]);
    const path = join(root, 'lying.zip');
    writeFileSync(path, lying);
    const [long, short] = await collect([path]);
    expect(short).toMatchObject({ kind: 'rejected', source: `${path}::short.txt` });
    expect(short.kind === 'rejected' ? short.reason : '').toContain('压缩包内的文件已损坏');
    expect(long).toMatchObject({ kind: 'file', source: `${path}::long.txt`, size: 100_000 });
    await expect(long.kind === 'file' ? long.read() : Promise.resolve()).rejects.toThrow('压缩包内的文件已损坏');
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const run = async (): Promise<void> => {
      for await (const item of expandInputs([root], { signal: controller.signal })) void item;
    };
    await expect(run()).rejects.toThrow();
  });
});

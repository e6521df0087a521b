import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Readable } from 'node:stream';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBinderPlan } from '../../shared/binder/plan.js';
import type { BinderPlan } from '../../shared/binder/types.js';
import { parseManifest } from '../../electron/backend/generators/package/manifest.js';
import { verifyPackage } from '../../electron/backend/generators/package/verify.js';
import { ZIP_UTF8_FLAG, readStreamToBuffer, readZipFiles, walkZip } from '../../electron/backend/generators/package/zip-io.js';
import { writePackage } from '../../electron/backend/generators/package/zip.js';
import { makePdf, makeTestWorkspace, type TestWorkspace } from './fixtures/output-workspace.js';
import { createHash } from 'node:crypto';

const GENERATED_AT = '2019-12-20T08:00:00.000Z';
let ws: TestWorkspace;
let plan: BinderPlan;
let tmp: string;
let zipPath: string;
let files: Map<string, Buffer>;

async function pack(target: string): Promise<{ bytes: number; files: number }> {
  return writePackage(
    plan,
    ws.assets,
    [{ path: join(tmp, 'binder-vol1.pdf'), kind: 'pdf', name: '某县2019年东西部扶贫协作_第1卷_组织领导.pdf' }],
    target,
    { generatedAt: GENERATED_AT, generatorVersion: '0.1.0-test' },
  );
}

beforeAll(async () => {
  ws = await makeTestWorkspace();
  tmp = await mkdtemp(join(tmpdir(), 'eb-package-'));
  const s = ws.snapshot;
  plan = buildBinderPlan(s.framework, s.settings, s.evidence, s.gaps, s.targets, {}, { generatedAt: GENERATED_AT });
  await writeFile(join(tmp, 'binder-vol1.pdf'), await makePdf(['第1卷 组织领导']));
  zipPath = join(tmp, 'package.zip');
  await pack(zipPath);
  files = await readZipFiles(zipPath);
});

afterAll(async () => {
  await ws?.cleanup();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** Rewrites a zip member by member, letting the test change, drop or add members. */
async function rewrite(source: string, target: string, edit: (name: string, data: Buffer) => Buffer | null, add?: [string, Buffer]) {
  const out = new yazl.ZipFile();
  await walkZip(source, async (entry, open) => {
    const data = edit(entry.name, await readStreamToBuffer(await open()));
    if (data) out.addBuffer(data, entry.name, { mtime: new Date(GENERATED_AT) });
  });
  if (add) out.addBuffer(add[1], add[0], { mtime: new Date(GENERATED_AT) });
  out.end();
  await writeFile(target, await readStreamToBuffer(out.outputStream as Readable));
}

describe('writePackage', () => {
  it('lays out a numbered folder tree with 件号_题名 names, the binders on top and the catalogue', () => {
    const names = [...files.keys()];
    expect(names).toContain('00_汇编/某县2019年东西部扶贫协作_第1卷_组织领导.pdf');
    expect(names).toContain('01_组织领导/1.1_党委政府研究部署/0001_中共某县县委常委会会议纪要（第5次）.pdf');
    expect(names).toContain('01_组织领导/1.2_领导小组及工作机制/0002_关于成立东西部扶贫协作工作领导小组的通知.pdf');
    // The original extension is kept as received (.JPG), the self-made title keeps its brackets.
    expect(names.some((n) => /^01_组织领导\/1\.2_领导小组及工作机制\/\d{4}_\[领导小组第一次会议\]\.JPG$/.test(n))).toBe(true);
    expect(names.some((n) => /^02_人才交流\/2\.1_党政干部挂职\/\d{4}_关于王五同志挂职任某县副县长的通知\.pdf$/.test(n))).toBe(true);
    expect(names).toContain('目录.xlsx');
    expect(names[names.length - 1]).toBe('manifest.json');
    // The minutes are linked to 1.1 and 1.2 but packed once, where they are bound.
    expect(names.filter((n) => n.includes('县委常委会会议纪要')).length).toBe(1);
    // Originals are the stored bytes, unchanged.
    const minutes = ws.snapshot.evidence.find((e) => e.type === 'minutes');
    const packed = files.get('01_组织领导/1.1_党委政府研究部署/0001_中共某县县委常委会会议纪要（第5次）.pdf');
    expect(createHash('sha256').update(packed ?? Buffer.alloc(0)).digest('hex')).toBe(minutes?.sha256);
  });

  it('sets the UTF-8 flag on every entry and the fixed time', async () => {
    const flags: { name: string; utf8: boolean; mtime: Date }[] = [];
    await walkZip(zipPath, async (entry) => {
      flags.push({ name: entry.name, utf8: (entry.flags & ZIP_UTF8_FLAG) !== 0, mtime: entry.mtime });
    });
    const nonAscii = flags.filter((f) => /[^\x00-\x7f]/.test(f.name));
    expect(nonAscii.length).toBeGreaterThan(5);
    for (const f of nonAscii) expect(f.utf8, f.name).toBe(true);
    // DOS time is local and has 2-second resolution.
    for (const f of flags) expect(Math.abs(f.mtime.getTime() - new Date(GENERATED_AT).getTime())).toBeLessThan(2000);
  });

  it('writes a manifest whose checksums match every other member', () => {
    const manifest = parseManifest((files.get('manifest.json') ?? Buffer.alloc(0)).toString('utf8'));
    expect(manifest.framework).toEqual({ id: 'test-2019', title: '东西部扶贫协作考核（测试）' });
    expect(manifest.workspace).toEqual({ title: '某县2019年东西部扶贫协作', unit: '某县东西部协作办公室', period: { start: '2019-01-01', end: '2019-12-31' } });
    expect(manifest.generator.version).toBe('0.1.0-test');
    expect(manifest.generatedAt).toBe(GENERATED_AT);
    const listed = manifest.files.map((f) => f.path).sort();
    expect(listed).toEqual([...files.keys()].filter((n) => n !== 'manifest.json').sort());
    for (const f of manifest.files) {
      const data = files.get(f.path) ?? Buffer.alloc(0);
      expect(f.size).toBe(data.length);
      expect(f.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('writes 目录.xlsx with the DA/T 22 columns, A4 landscape and a bold header', async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(files.get('目录.xlsx') ?? []).buffer);
    const sheet = workbook.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 10)).toEqual(['序号', '档号', '文号', '责任者', '题名', '日期', '密级', '页数', '备注', '指标编码']);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.pageSetup.orientation).toBe('landscape');
    expect(sheet.pageSetup.paperSize).toBe(9);
    expect(sheet.getColumn(5).width).toBeGreaterThan(30);
    expect(sheet.rowCount).toBe(1 + 5);
    const notice = sheet.getRow(3).values as unknown[];
    expect(notice.slice(1, 11)).toEqual([
      2,
      'Z109-WS·2019-D30-XZB-0002',
      '某政办发〔2019〕12号',
      '某县人民政府办公室',
      '关于成立东西部扶贫协作工作领导小组的通知',
      '20190220',
      '',
      1,
      '',
      '1.2',
    ]);
  });

  it('is byte-identical when built twice for the same generatedAt', async () => {
    const again = join(tmp, 'again.zip');
    await pack(again);
    expect((await readFile(again)).equals(await readFile(zipPath))).toBe(true);
  });
});

describe('verifyPackage', () => {
  it('accepts an untouched package', async () => {
    const result = await verifyPackage(zipPath);
    expect(result).toEqual({ ok: true, checked: files.size - 1, missing: [], extra: [], changed: [] });
  });

  it('lists a member with one byte changed', async () => {
    const target = join(tmp, 'tampered.zip');
    const victim = '01_组织领导/1.2_领导小组及工作机制/0002_关于成立东西部扶贫协作工作领导小组的通知.pdf';
    await rewrite(zipPath, target, (name, data) => {
      if (name !== victim) return data;
      const copy = Buffer.from(data);
      copy[Math.floor(copy.length / 2)] ^= 0x01;
      return copy;
    });
    const result = await verifyPackage(target);
    expect(result.ok).toBe(false);
    expect(result.changed).toEqual([victim]);
    expect(result.missing).toEqual([]);
    expect(result.extra).toEqual([]);
  });

  it('detects a byte flipped in place inside the zip file itself', async () => {
    const target = join(tmp, 'flipped.zip');
    const bytes = Buffer.from(await readFile(zipPath));
    // PDFs are stored uncompressed: find this one's text and flip a byte of it.
    const marker = bytes.indexOf(Buffer.from('%PDF-'), bytes.indexOf(Buffer.from('0002_')));
    bytes[marker + 200] ^= 0x20;
    await writeFile(target, bytes);
    const result = await verifyPackage(target);
    expect(result.ok).toBe(false);
    expect(result.changed.length).toBe(1);
    expect(result.changed[0]).toMatch(/0002_/);
  });

  it('lists a removed member as missing and an added one as extra', async () => {
    const removed = join(tmp, 'removed.zip');
    await rewrite(zipPath, removed, (name, data) => (name === '目录.xlsx' ? null : data));
    expect(await verifyPackage(removed)).toMatchObject({ ok: false, missing: ['目录.xlsx'], extra: [], changed: [] });

    const added = join(tmp, 'added.zip');
    await rewrite(zipPath, added, (_n, data) => data, ['01_组织领导/补充说明.txt', Buffer.from('后加的文件')]);
    expect(await verifyPackage(added)).toMatchObject({ ok: false, missing: [], extra: ['01_组织领导/补充说明.txt'], changed: [] });
  });

  it('reports a zip-slip name as extra without extracting anything', async () => {
    const target = join(tmp, 'slip.zip');
    // yazl refuses to write "../", so write a same-length name and patch it in both headers.
    await rewrite(zipPath, target, (_n, data) => data, ['QQ/QQ/evil.txt', Buffer.from('x')]);
    const bytes = await readFile(target);
    const name = Buffer.from('QQ/QQ/evil.txt');
    for (let at = bytes.indexOf(name); at >= 0; at = bytes.indexOf(name, at + 1)) bytes.write('../../', at, 'latin1');
    await writeFile(target, bytes);
    const result = await verifyPackage(target);
    expect(result.ok).toBe(false);
    expect(result.extra).toEqual(['../../evil.txt']);
  });

  it('fails a zip without manifest.json', async () => {
    const target = join(tmp, 'nomanifest.zip');
    await rewrite(zipPath, target, (name, data) => (name === 'manifest.json' ? null : data));
    const result = await verifyPackage(target);
    expect(result.ok).toBe(false);
    expect(result.missing).toEqual(['manifest.json']);
  });

  it('removes a partial zip when cancelled', async () => {
    const target = join(tmp, 'cancelled.zip');
    const controller = new AbortController();
    const promise = writePackage(plan, ws.assets, [], target, {
      generatedAt: GENERATED_AT,
      generatorVersion: 'x',
      signal: controller.signal,
      onProgress: (e) => {
        if (e.done === 2) controller.abort();
      },
    });
    await expect(promise).rejects.toThrow();
    await expect(readFile(target)).rejects.toThrow(/ENOENT/);
    await copyFile(zipPath, join(tmp, 'still-there.zip'));
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemoFont } from '../../electron/backend/demo/demo-files.js';
import { makeDocx, makePdf, makePhoto } from '../../electron/backend/demo/synth.js';
import { importPaths, importUploads, reclassify } from '../../electron/backend/workspace/import.js';
import { Workspace, WorkspaceError } from '../../electron/backend/workspace/workspace.js';
import { sha256Hex } from '../../electron/backend/vault.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'binder-ws-'));
const inbox = path.join(root, 'inbox');
let minutesPdf: Uint8Array;

async function pdf(lines: string[], title?: string): Promise<Uint8Array> {
  const font = findDemoFont();
  return makePdf({ pages: [{ lines }], font: font.bytes, fontName: font.fontName, title });
}

beforeAll(async () => {
  mkdirSync(path.join(inbox, '组织部'), { recursive: true });
  minutesPdf = await pdf([
    '青山县东西部扶贫协作工作领导小组',
    '2019年第5次会议纪要',
    '时间：2019年5月20日上午',
    '地点：县政府第一会议室',
    '会议研究了东西部扶贫协作工作，议定事项如下。',
  ]);
  writeFileSync(path.join(inbox, '5月份领导小组会议纪要.pdf'), minutesPdf);
  // The same bytes sent again by another department under another name.
  writeFileSync(path.join(inbox, '组织部', '转发-领导小组纪要.pdf'), minutesPdf);
  writeFileSync(
    path.join(inbox, '组织部', '关于选派干部挂职的通知.pdf'),
    await pdf([
      '中共青山县委组织部文件',
      '青组发〔2019〕12号',
      '关于选派党政干部到东海市滨江区挂职的通知',
      '各乡镇党委，县直各单位：根据东西部扶贫协作工作安排，经研究，决定选派王某某等3名同志挂职。',
      '中共青山县委组织部',
      '2019年3月15日',
    ]),
  );
  const photo = await makePhoto({ width: 800, height: 600, seed: 7, takenAt: '2019-06-12T09:35:12' });
  writeFileSync(path.join(inbox, 'IMG_20190612_093512.jpg'), photo);
  // A photo named like a PDF: detected by its bytes.
  writeFileSync(path.join(inbox, '培训现场.pdf'), await makePhoto({ width: 640, height: 480, seed: 8, takenAt: '2019-07-02T10:00:00' }));
  writeFileSync(path.join(inbox, '工作方案.docx'), await makeDocx({ paragraphs: ['青山县2019年东西部扶贫协作工作方案', '一、总体要求'] }));
  writeFileSync(path.join(inbox, '空文件.pdf'), new Uint8Array());
  writeFileSync(path.join(inbox, '损坏的纪要.pdf'), minutesPdf.slice(0, 400));
  writeFileSync(path.join(inbox, 'Thumbs.db'), 'junk');
  writeFileSync(path.join(inbox, '~$工作方案.docx'), 'lock');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('workspace', () => {
  it('refuses a non-empty folder and an unknown template, with Chinese reasons', async () => {
    await expect(Workspace.init(inbox, { templateId: 'east-west-2017' })).rejects.toThrow(/文件夹不是空的/);
    await expect(Workspace.init(path.join(root, 'x'), { templateId: 'no-such' })).rejects.toThrow(/未找到考核框架模板/);
    await expect(Workspace.open(path.join(root, 'missing'))).rejects.toThrow(WorkspaceError);
    await expect(Workspace.open(path.join(root, 'missing'))).rejects.toThrow(/找不到工作区/);
  });

  it('imports a folder: stores each original once, detects real formats, reports duplicates, rejects and ignores', async () => {
    const ws = (await Workspace.init(path.join(root, 'ws1'), { templateId: 'east-west-2017', periodStart: '2019-01-01', periodEnd: '2019-12-31' }));
    const report = await importPaths(ws, [inbox]);
    const sources = (list: { source: string }[]) => list.map((x) => path.basename(x.source)).sort();

    expect(sources(report.imported)).toEqual(
      ['5月份领导小组会议纪要.pdf', 'IMG_20190612_093512.jpg', '培训现场.pdf', '工作方案.docx', '损坏的纪要.pdf', '关于选派干部挂职的通知.pdf'].sort(),
    );
    expect(report.duplicates).toHaveLength(1);
    expect(path.basename(report.duplicates[0].source)).toBe('转发-领导小组纪要.pdf');
    expect(report.duplicates[0].of).toBe(report.imported.find((i) => i.source.endsWith('5月份领导小组会议纪要.pdf'))!.id);
    expect(report.rejected.map((r) => path.basename(r.source))).toEqual(['空文件.pdf']);
    expect(report.rejected[0].reason).toMatch(/文件为空/);
    expect(sources(report.ignored)).toEqual(['Thumbs.db', '~$工作方案.docx'].sort());

    const items = (await ws.listEvidence());
    expect(items).toHaveLength(6);
    const disguised = items.find((e) => e.originalName === '培训现场.pdf')!;
    expect(disguised.format).toBe('jpeg');
    expect(disguised.type).toBe('photo');
    const notice = items.find((e) => e.originalName === '关于选派干部挂职的通知.pdf')!;
    expect(notice.docNumber).toBe('青组发〔2019〕12号');
    expect(notice.date).toBe('2019-03-15');
    expect(notice.pages).toBe(1);
    const photo = items.find((e) => e.originalName.startsWith('IMG_'))!;
    expect(photo.date).toBe('2019-06-12');
    expect(photo.dateOrigin).toBe('exif');
    const corrupt = items.find((e) => e.originalName === '损坏的纪要.pdf')!;
    expect(corrupt.readability).toBe('corrupt');
    expect(corrupt.readError).toBeTruthy();

    // Originals are stored byte for byte, content-addressed.
    const stored = readFileSync(ws.originalPath(sha256Hex(minutesPdf)));
    expect(Buffer.compare(stored, Buffer.from(minutesPdf))).toBe(0);
    const vaultFiles = readdirSync(path.join(ws.dir, 'vault'), { recursive: true }).filter((f) => /[0-9a-f]{64}/.test(String(f)));
    expect(vaultFiles).toHaveLength(6);

    // Running the same import again stores nothing new.
    const again = await importPaths(ws, [inbox]);
    expect(again.imported).toHaveLength(0);
    expect(again.duplicates).toHaveLength(7);
    await ws.close();
  });

  it('searches Chinese substrings of any length', async () => {
    const ws = (await Workspace.open(path.join(root, 'ws1')));
    const notice = (await ws.listEvidence()).find((e) => e.docNumber === '青组发〔2019〕12号')!;
    expect((await ws.search('挂职'))).toContain(notice.id);
    expect((await ws.search('滨江区挂职'))).toContain(notice.id);
    expect((await ws.search('组'))).toContain(notice.id);
    expect((await ws.search('不存在的词语'))).toEqual([]);
    await ws.close();
  });

  it('keeps the user’s choices: link, type and fields are never overwritten by later suggestions', async () => {
    const ws = (await Workspace.open(path.join(root, 'ws1')));
    const plan = (await ws.listEvidence()).find((e) => e.originalName === '工作方案.docx')!;
    await ws.update([plan.id], { type: 'plan', title: '[青山县2019年东西部扶贫协作工作方案]', date: '2019-02-01' });
    await ws.link([plan.id], '1.1');
    for (const code of plan.links.filter((l) => l.origin === 'suggested' && l.indicator !== '1.1').map((l) => l.indicator)) {
      await ws.unlink([plan.id], code);
    }
    await reclassify(ws);
    const after = (await ws.requireEvidence(plan.id));
    expect(after.type).toBe('plan');
    expect(after.typeOrigin).toBe('user');
    expect(after.title).toBe('[青山县2019年东西部扶贫协作工作方案]');
    expect(after.date).toBe('2019-02-01');
    expect(after.links.filter((l) => l.origin === 'user').map((l) => l.indicator)).toEqual(['1.1']);
    expect(after.links.filter((l) => l.origin === 'suggested')).toEqual([]);
    await ws.close();
  });

  it('rejects bad edits with a Chinese reason and changes nothing', async () => {
    const ws = (await Workspace.open(path.join(root, 'ws1')));
    const first = (await ws.listEvidence())[0];
    await expect(ws.update([first.id], { date: '2019-02-30' })).rejects.toThrow(/日期“2019-02-30”无效/);
    await expect(ws.link([first.id], '99.9')).rejects.toThrow(/框架中没有指标 99.9/);
    expect((await ws.requireEvidence(first.id))).toEqual(first);
    await ws.close();
  });

  it('deletes to a trash that can be restored, records history, and undoes the last filing', async () => {
    const ws = (await Workspace.open(path.join(root, 'ws1')));
    const photo = (await ws.listEvidence()).find((e) => e.originalName.startsWith('IMG_'))!;
    await ws.delete([photo.id]);
    expect((await ws.listEvidence()).some((e) => e.id === photo.id)).toBe(false);
    expect((await ws.listEvidence({ trash: true })).map((e) => e.id)).toEqual([photo.id]);
    // Re-importing a deleted file brings the stored one back instead of storing it twice.
    const again = await importPaths(ws, [path.join(inbox, 'IMG_20190612_093512.jpg')]);
    expect(again.imported[0].id).toBe(photo.id);
    expect(again.imported[0].warning).toMatch(/回收站/);

    await ws.link([photo.id], '1.3');
    expect((await ws.requireEvidence(photo.id)).links.some((l) => l.indicator === '1.3' && l.origin === 'user')).toBe(true);
    expect((await ws.undoLast())).toMatch(/已撤销/);
    const restoredLinks = (await ws.requireEvidence(photo.id)).links;
    expect(restoredLinks.some((l) => l.indicator === '1.3' && l.origin === 'user')).toBe(false);

    const actions = (await ws.history(500)).map((h) => h.event.action);
    expect(actions).toEqual(expect.arrayContaining(['import', 'update', 'link', 'unlink', 'delete', 'restore']));
    await ws.close();
  });

  it('imports browser uploads under their own names, never outside the upload folder', async () => {
    const ws = (await Workspace.init(path.join(root, 'ws2'), { templateId: 'east-west-2017' }));
    const report = await importUploads(ws, [
      { name: '../../逃逸.pdf', bytes: minutesPdf },
      { name: '资料/纪要副本.pdf', bytes: minutesPdf },
    ]);
    expect(report.imported).toHaveLength(1);
    expect(report.imported[0].source).toBe('上传/逃逸.pdf');
    expect(report.duplicates[0].source).toBe('上传/资料/纪要副本.pdf');
    expect(existsSync(path.join(root, '逃逸.pdf'))).toBe(false);
    expect(readdirSync(ws.cacheDir('uploads'))).toEqual([]);
    await ws.close();
  });

  it('sets and validates agreement targets', async () => {
    const ws = (await Workspace.open(path.join(root, 'ws2')));
    const rows = (await ws.setTargets([{ id: '4.2-t1', target: 6, actual: 5, source: '落地企业台账' }]));
    expect(rows.find((r) => r.id === '4.2-t1')).toEqual({ id: '4.2-t1', target: 6, actual: 5, source: '落地企业台账' });
    await expect(ws.setTargets([{ id: 'nope', actual: 1 }])).rejects.toThrow(/框架中没有目标 nope/);
    const unmet = (await ws.gaps()).findings.find((f) => f.kind === 'target-unmet' && f.target === '4.2-t1');
    expect(unmet?.severity).toBe('error');
    await ws.close();
  });
});

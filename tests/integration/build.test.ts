import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOutputs, type BuildOptions } from '../../electron/backend/generators/build.js';
import { verifyPackage } from '../../electron/backend/generators/package/verify.js';
import { readZipFiles } from '../../electron/backend/generators/package/zip-io.js';
import ExcelJS from 'exceljs';
import { makeTestWorkspace, type TestWorkspace } from './fixtures/output-workspace.js';

const GENERATED_AT = '2019-12-20T08:00:00.000Z';
let ws: TestWorkspace;
let root: string;

beforeAll(async () => {
  ws = await makeTestWorkspace({ withOffice: true, extraPdfs: 6 });
  root = await mkdtemp(join(tmpdir(), 'eb-build-'));
});

afterAll(async () => {
  await ws?.cleanup();
  if (root) await rm(root, { recursive: true, force: true });
});

const options = (outDir: string, extra: Partial<BuildOptions> = {}): BuildOptions => ({
  outDir,
  formats: ['pdf', 'docx', 'zip'],
  generatedAt: GENERATED_AT,
  generatorVersion: '0.1.0-test',
  ...extra,
});

describe('buildOutputs', () => {
  it('splits a volume that exceeds the page limit the user sets into parts', async () => {
    const whole = await buildOutputs(ws.snapshot, ws.assets, options(join(root, 'whole'), { formats: ['pdf'], singleVolume: true }));
    expect(whole.outputs).toHaveLength(1);
    const limit = Math.floor((whole.outputs[0].pages ?? 0) / 2);
    expect(limit).toBeGreaterThan(3);
    const split = await buildOutputs(ws.snapshot, ws.assets, options(join(root, 'split'), { formats: ['pdf'], singleVolume: true, maxPagesPerVolume: limit }));
    expect(split.outputs.length).toBeGreaterThan(1);
    expect(split.outputs.map((o) => o.path.slice(join(root, 'split').length + 1))[0]).toMatch(/第1卷_全部指标（上|（一）/);
    // Every item is bound exactly once across the parts.
    const titles = (r: typeof whole) => r.outputs.flatMap((o) => o.items.map((i) => i.title)).sort();
    expect(titles(split)).toEqual(titles(whole));
  });

  it('embeds camera originals by default and downscaled photos when asked to compress', async () => {
    const original = await buildOutputs(ws.snapshot, ws.assets, options(join(root, 'originals'), { formats: ['pdf'] }));
    const compressed = await buildOutputs(ws.snapshot, ws.assets, options(join(root, 'compressed'), { formats: ['pdf'], compressPhotos: true }));
    // Same pages either way; only the photo bytes differ.
    expect(compressed.outputs.map((o) => o.pages)).toEqual(original.outputs.map((o) => o.pages));
    const photoVolume = (r: typeof original) => r.outputs.reduce((sum, o) => sum + o.bytes, 0);
    expect(photoVolume(compressed)).toBeLessThan(photoVolume(original));
  });

  it('builds one PDF per volume, the DOCX and the zip, and lists them with sizes', async () => {
    const outDir = join(root, 'all');
    const stages = new Set<string>();
    const result = await buildOutputs(ws.snapshot, ws.assets, options(outDir, { onProgress: (e) => stages.add(e.stage) }));
    expect([...stages]).toEqual(['计划', '转换', '生成PDF', '生成DOCX', '打包']);
    expect(result.outputs.map((o) => o.format)).toEqual(['pdf', 'pdf', 'docx', 'zip']);
    expect(result.outputs.map((o) => o.path.slice(outDir.length + 1))).toEqual([
      '某县2019年东西部扶贫协作_第1卷_组织领导.pdf',
      '某县2019年东西部扶贫协作_第2卷_人才交流.pdf',
      '某县2019年东西部扶贫协作_佐证材料汇编.docx',
      '某县2019年东西部扶贫协作_提交包.zip',
    ]);
    for (const output of result.outputs) {
      expect(output.bytes).toBe((await stat(output.path)).size);
      expect(output.bytes).toBeGreaterThan(1000);
    }
    const volume1 = result.outputs[0];
    expect(volume1.pages).toBeGreaterThan(3);
    expect(volume1.items.map((i) => i.title)).toContain('关于成立东西部扶贫协作工作领导小组的通知');
    expect(result.fonts.length).toBe(4);
    // The .docx roster was converted by LibreOffice, not replaced by a placeholder page.
    expect(result.warnings.filter((w) => w.kind === 'conversion')).toEqual([]);
    expect(result.outputs[1].items.map((i) => i.title)).toContain('[挂职干部名册]');
    // Nothing else is left in the folder: no temporary files.
    expect((await readdir(outDir)).sort()).toEqual(result.outputs.map((o) => o.path.slice(outDir.length + 1)).sort());

    const zip = result.outputs[3].path;
    expect(await verifyPackage(zip)).toMatchObject({ ok: true });
    const names = [...(await readZipFiles(zip)).keys()];
    expect(names).toContain('00_汇编/某县2019年东西部扶贫协作_第2卷_人才交流.pdf');
    expect(names).toContain('00_汇编/某县2019年东西部扶贫协作_佐证材料汇编.docx');
    expect(names.some((n) => n.startsWith('02_人才交流/2.1_党政干部挂职/') && n.endsWith('_[挂职干部名册].docx'))).toBe(true);
  });

  it('builds the binders into the zip even when only the zip is asked for', async () => {
    const outDir = join(root, 'zip-only');
    const result = await buildOutputs(ws.snapshot, ws.assets, options(outDir, { formats: ['zip'] }));
    expect(result.outputs.map((o) => o.format)).toEqual(['zip']);
    expect(await readdir(outDir)).toEqual(['某县2019年东西部扶贫协作_提交包.zip']);
    const names = [...(await readZipFiles(result.outputs[0].path)).keys()];
    expect(names.filter((n) => n.startsWith('00_汇编/')).length).toBe(3);
  });

  for (const stage of ['生成PDF', '生成DOCX', '打包']) {
    it(`leaves neither final nor partial files when cancelled during ${stage}`, async () => {
      const outDir = join(root, `cancel-${stage}`);
      const controller = new AbortController();
      const promise = buildOutputs(
        ws.snapshot,
        ws.assets,
        options(outDir, {
          signal: controller.signal,
          onProgress: (e) => {
            if (e.stage === stage && e.done >= 1) controller.abort();
          },
        }),
      );
      await expect(promise).rejects.toThrow();
      expect(controller.signal.aborted).toBe(true);
      expect(await readdir(outDir)).toEqual([]);
    });
  }

  it('refuses an empty format list with a Chinese reason', async () => {
    await expect(buildOutputs(ws.snapshot, ws.assets, options(join(root, 'none'), { formats: [] }))).rejects.toThrow(/请至少选择一种输出格式/);
  });
});

/** Words that belong to the office's self-check and must never reach the inspectors. */
const SELF_CHECK_WORDS = ['缺失', '不全', '请补充', '错误', '自查', '完整度', '待解决问题', '未完成', '请填写', '此件未能装订'];

const docxText = async (file: string): Promise<string> =>
  ((await readZipFiles(file)).get('word/document.xml')?.toString('utf8') ?? '').replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, '');

describe('buildOutputs on a workspace with unconfirmed, out-of-period, doubly filed, unreadable and spreadsheet items', () => {
  let messy: TestWorkspace;
  let out: string;
  let result: Awaited<ReturnType<typeof buildOutputs>>;
  const pdfs = () => result.outputs.filter((o) => o.format === 'pdf');

  beforeAll(async () => {
    messy = await makeTestWorkspace({ withOffice: true, messy: true });
    out = join(root, 'messy');
    // What `binder build --json` prints: the result object as JSON.
    result = JSON.parse(JSON.stringify(await buildOutputs(messy.snapshot, messy.assets, options(out, { stamp: true })))) as typeof result;
  }, 300_000);
  afterAll(async () => messy?.cleanup());

  it('prints every page of every binder on A4 (portrait or landscape)', () => {
    for (const pdf of pdfs()) {
      const info = execFileSync('pdfinfo', ['-f', '1', '-l', String(pdf.pages), pdf.path], { encoding: 'utf8' });
      const sizes = [...info.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/g)].map((m) => [Number(m[1]), Number(m[2])].sort((a, b) => a - b));
      expect(sizes).toHaveLength(pdf.pages ?? -1);
      for (const [i, [short, long]] of sizes.entries()) {
        expect(short, `${pdf.path} page ${i + 1}`).toBeCloseTo(595.28, 0);
        expect(long, `${pdf.path} page ${i + 1}`).toBeCloseTo(841.89, 0);
      }
    }
  });

  it('puts none of the self-check in the submission PDFs and DOCX, and no title made from a file name', async () => {
    const texts = pdfs().map((pdf) => execFileSync('pdftotext', [pdf.path, '-'], { encoding: 'utf8' }));
    texts.push(await docxText(result.outputs.find((o) => o.format === 'docx')?.path ?? ''));
    for (const text of texts) {
      for (const word of SELF_CHECK_WORDS) expect(text, word).not.toContain(word);
      expect(text).not.toMatch(/\[IMG_/);
    }
    const all = texts.join('\n');
    // Bound: the confirmed minutes and the ledger; left out: the unconfirmed minutes.
    expect(all).toContain('中共某县县委常委会会议纪要（第5次）');
    expect(all).toContain('2019年东西部协作资金项目台账');
    expect(all).not.toContain('未确认标记');
  });

  it('gives every 件 a 档号 of its own across volumes, in the PDFs and 目录.xlsx', async () => {
    const codesIn = (text: string) => new Set(text.match(/Z109-WS·2019-D30-XZB-\d{4}/g) ?? []);
    const perVolume = pdfs().map((pdf) => codesIn(execFileSync('pdftotext', [pdf.path, '-'], { encoding: 'utf8' })));
    const all = perVolume.flatMap((codes) => [...codes]);
    expect(all.length).toBeGreaterThan(5);
    expect(new Set(all).size).toBe(all.length);
    const zip = await readZipFiles(result.outputs.find((o) => o.format === 'zip')?.path ?? '');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(zip.get('目录.xlsx') ?? []).buffer);
    const sheet = workbook.worksheets[0];
    const codes: string[] = [];
    sheet.eachRow((row, i) => {
      if (i > 1) codes.push(String(row.getCell(2).value));
    });
    expect(codes.length).toBe(all.length);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(codes)).toEqual(new Set(all));
  });

  it('ships no unreadable, unconfirmed or out-of-period original in the zip', async () => {
    const zip = await readZipFiles(result.outputs.find((o) => o.format === 'zip')?.path ?? '');
    const hashes = new Set([...zip.values()].map((data) => createHash('sha256').update(data).digest('hex')));
    const byName = new Map(messy.snapshot.evidence.map((e) => [e.originalName, e.sha256]));
    for (const name of ['挂职干部花名册.pdf', '县委常委会会议纪要（第8次）.pdf', 'IMG_20181102_093000.jpg', 'IMG_20190925_160233(1).jpg']) {
      expect(hashes.has(byName.get(name) ?? ''), name).toBe(false);
    }
    expect(hashes.has(byName.get('资金项目台账.xlsx') ?? '')).toBe(true);
    expect(await verifyPackage(result.outputs.find((o) => o.format === 'zip')?.path ?? '')).toMatchObject({ ok: true });
  });

  it('lists in its warnings what was left out and why, each with its volume and item', () => {
    const kinds = (kind: string) => result.warnings.filter((w) => w.kind === kind);
    // The A3 plan was shrunk onto A4: named, with its size, so the office checks the print.
    expect(kinds('scaled').map((w) => w.message)).toEqual([expect.stringMatching(/^第\d{4}件第1页原为 A3 297×420 mm，已缩小至 A4 装订/)]);
    expect(kinds('unconfirmed')).toHaveLength(1);
    expect(kinds('unconfirmed')[0]).toMatchObject({ volume: null, message: expect.stringMatching(/有 1 件.*材料库 → 待确认/) });
    expect(kinds('unreadable')).toEqual([
      expect.objectContaining({ volume: '第2卷 人才交流', item: '《挂职干部花名册》', message: expect.stringMatching(/原文件 挂职干部花名册\.pdf.*无法装订.*请/) }),
    ]);
    expect(kinds('out-of-period')).toEqual([expect.objectContaining({ volume: '第1卷 组织领导', item: '《IMG_20181102_093000》' })]);
    expect(kinds('duplicate')).toEqual([expect.objectContaining({ volume: '第2卷 人才交流', item: '《IMG_20190925_160233(1)》' })]);
    // The JSON shape scripts rely on, plus the optional English and its parameters the workbench uses.
    for (const w of result.warnings) {
      expect(Object.keys(w)).toEqual(expect.arrayContaining(['item', 'kind', 'message', 'volume']));
      expect(Object.keys(w).filter((k) => !['item', 'kind', 'message', 'volume', 'messageEn', 'params'].includes(k))).toEqual([]);
    }
  });

  it('prints the XLSX ledger as an A4 landscape table: header on every page, every row once, 第 n 页 共 m 页', () => {
    const volume = pdfs().find((o) => o.path.includes('人才交流'));
    const file = volume?.path ?? '';
    const sizes = [...execFileSync('pdfinfo', ['-f', '1', '-l', String(volume?.pages), file], { encoding: 'utf8' }).matchAll(/size:\s+([\d.]+) x ([\d.]+)/g)];
    const pages = sizes.flatMap((m, i) => {
      const text = execFileSync('pdftotext', ['-layout', '-f', String(i + 1), '-l', String(i + 1), file, '-'], { encoding: 'utf8' });
      return text.includes('资金项目台账') && text.includes('受益村') ? [{ text, landscape: Number(m[1]) > Number(m[2]) }] : [];
    });
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.length).toBeLessThan(5);
    pages.forEach((p, i) => {
      expect(p.landscape).toBe(true);
      expect(p.text).toMatch(/序号\s+项目名称\s+实施单位/);
      expect(p.text).toMatch(new RegExp(`第\\s*${i + 1}\\s*页\\s*共\\s*${pages.length}\\s*页`));
    });
    const projects = pages.flatMap((p) => [...p.text.matchAll(/某县第(\d+)号产业扶贫/g)].map((m) => Number(m[1])));
    expect(projects).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // 文号 are never split: 〔2019〕12号 stays on one line.
    expect(pages.map((p) => p.text).join('\n')).toMatch(/〔2019〕12号/);
  });

  it('the review edition still shows the self-check, under names that say so', async () => {
    const review = await buildOutputs(messy.snapshot, messy.assets, options(join(root, 'messy-review'), { formats: ['pdf', 'docx'], edition: 'review' }));
    expect(review.edition).toBe('review');
    expect(review.outputs.every((o) => o.path.includes('自查版'))).toBe(true);
    const pdfText = review.outputs.filter((o) => o.format === 'pdf').map((o) => execFileSync('pdftotext', [o.path, '-'], { encoding: 'utf8' })).join('\n');
    expect(pdfText).toContain('待解决问题');
    expect(pdfText).toContain('此件未能装订原文');
    const docx = await docxText(review.outputs.find((o) => o.format === 'docx')?.path ?? '');
    expect(docx).toContain('自查问题清单');
    expect(docx).toContain('完整度');
    expect(review.warnings.some((w) => w.kind === 'filename-title')).toBe(true);
  });
});

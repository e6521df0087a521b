import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOutputs, type BuildOptions } from '../../electron/backend/generators/build.js';
import { verifyPackage } from '../../electron/backend/generators/package/verify.js';
import { readZipFiles } from '../../electron/backend/generators/package/zip-io.js';
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

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFinding, type Evidence, type GapReport } from '../../shared/domain/types.js';
import type { ImportReport } from '../../shared/domain/intake.js';
import { findDemoFont } from '../../electron/backend/demo/demo-files.js';
import { makePdf, makePhoto } from '../../electron/backend/demo/synth.js';
import { sha256Hex } from '../../electron/backend/vault.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';
import { buildCli, runCli, runCliTracingPackages, spawnCli } from '../helpers/cli.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'binder-cli-'));
const ws = path.join(root, 'ws');
const inbox = path.join(root, 'inbox');
let cli = '';

beforeAll(async () => {
  cli = await buildCli();
  mkdirSync(inbox);
  const font = findDemoFont();
  writeFileSync(
    path.join(inbox, '领导小组会议纪要（2019年6月）.pdf'),
    await makePdf({
      font: font.bytes,
      fontName: font.fontName,
      pages: [{ lines: ['青山县东西部扶贫协作工作领导小组会议纪要', '时间：2019年6月18日上午', '会议听取了东西部扶贫协作工作进展情况汇报。'] }],
    }),
  );
  writeFileSync(path.join(inbox, 'IMG_20190618_101010.jpg'), await makePhoto({ width: 640, height: 480, seed: 3, takenAt: '2019-06-18T10:10:10' }));
  writeFileSync(path.join(inbox, 'broken.pdf'), Buffer.from('%PDF-1.7\n1 0 obj <<'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const runTraced = (args: string[]) => runCliTracingPackages(cli, args, path.join(root, 'trace'));

// Each step starts a process (and on PostgreSQL connects to the server): a whole workflow needs more than the default timeout.
describe('binder CLI', { timeout: 300_000 }, () => {
  it('lists the bundled templates as JSON', async () => {
    const r = runCli(cli, ['templates', '--json']);
    expect(r.code).toBe(0);
    const list = r.json as { id: string; title: string; categories: number; indicators: number }[];
    expect(list.map((t) => t.id)).toEqual(['east-west-2017', 'east-west-2021']);
    expect(list[0].categories).toBe(9);
    expect(list[0].title).toMatch(/东西部扶贫协作/);
  });

  it('prints a framework tree', async () => {
    const r = runCli(cli, ['framework', 'east-west-2017', '--json']);
    expect(r.code).toBe(0);
    const fw = r.json as { categories: { code: string; title: string; indicators: { code: string; title: string }[] }[] };
    expect(fw.categories[0].title).toBe('组织领导');
    expect(fw.categories[0].indicators.map((i) => i.code)).toContain('1.2');
    const text = runCli(cli, ['framework', 'east-west-2017']);
    expect(text.stdout).toMatch(/1\.2 领导小组及工作机制/);
  });

  it('uses exit code 2 for usage errors and 1 for a missing workspace, with Chinese messages', async () => {
    const usage = runCli(cli, ['init', path.join(root, 'x')]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/缺少 --template/);
    const unknown = runCli(cli, ['frobnicate']);
    expect(unknown.code).toBe(2);
    const missing = runCli(cli, ['gaps', path.join(root, 'nowhere'), '--json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/找不到工作区/);
    expect((missing.json as { error: { message: string } }).error.message).toMatch(/找不到工作区/);
  });

  it('init → import → list → link → set → targets → gaps, as JSON', async () => {
    const init = runCli(cli, ['init', ws, '--template', 'east-west-2017', '--title', '青山县佐证材料', '--unit', '县协作办', '--period', '2019-01-01..2019-12-31', '--json']);
    expect(init.code).toBe(0);
    expect((init.json as { settings: { periodEnd: string } }).settings.periodEnd).toBe('2019-12-31');

    const imp = runCli(cli, ['import', ws, inbox, '--json']);
    expect(imp.code).toBe(0);
    const report = imp.json as ImportReport;
    expect(report.imported.map((i) => path.basename(i.source)).sort()).toEqual(['IMG_20190618_101010.jpg', 'broken.pdf', '领导小组会议纪要（2019年6月）.pdf'].sort());
    for (const item of report.imported) expect(item.sha256).toMatch(/^[0-9a-f]{64}$/);
    const minutes = report.imported.find((i) => i.source.includes('领导小组'))!;
    expect(minutes.type).toBe('minutes');
    expect(minutes.date).toBe('2019-06-18');
    expect(minutes.indicators).toContain('1.2');
    const photo = report.imported.find((i) => i.source.endsWith('.jpg'))!;
    expect(photo.type).toBe('photo');

    const list = runCli(cli, ['list', ws, '--json']).json as { id: number; title: string; type: string }[];
    expect(list).toHaveLength(3);

    const link = runCli(cli, ['link', ws, String(photo.id), '1.3', '--json']);
    expect(link.code).toBe(0);
    expect((link.json as { links: { indicator: string; origin: string }[] }).links).toContainEqual(expect.objectContaining({ indicator: '1.3', origin: 'user' }));

    const set = runCli(cli, ['set', ws, String(photo.id), '--subject', '领导小组会议', '--place', '县政府会议室', '--people', '县长 李某', '--json']);
    expect(set.code).toBe(0);
    expect((set.json as { caption: { subject: string } }).caption.subject).toBe('领导小组会议');

    const badType = runCli(cli, ['set', ws, String(photo.id), '--type', 'poster']);
    expect(badType.code).toBe(2);
    expect(badType.stderr).toMatch(/未知的材料类型 poster/);

    const targets = runCli(cli, ['targets', ws, '--target', '4.2-t1=6', '--set', '4.2-t1=5', '--source', '4.2-t1=落地企业台账', '--json']);
    expect(targets.code).toBe(0);
    expect((targets.json as { id: string; target: number; actual: number }[]).find((t) => t.id === '4.2-t1')).toMatchObject({ target: 6, actual: 5 });

    const gaps = runCli(cli, ['gaps', ws, '--json']);
    expect(gaps.code).toBe(0);
    const g = gaps.json as GapReport;
    expect(g.summary.completeness).toBeGreaterThan(0);
    expect(g.summary.completeness).toBeLessThan(1);
    const kinds = new Set(g.findings.map((f) => f.kind));
    for (const kind of ['missing-evidence', 'period-gap', 'target-unmet', 'unreadable']) expect(kinds).toContain(kind);
    const monthly = g.findings.filter(isFinding('period-gap')).find((f) => f.indicator === '1.2')!;
    expect(monthly.detail.missing).toContain('2019-01');
    expect(monthly.detail.missing).not.toContain('2019-06');

    const text = runCli(cli, ['gaps', ws]);
    expect(text.stdout).toMatch(/总体完成度 \d+%/);
    expect(text.stdout).toMatch(/县委组织部/);
  });

  it('gives each command its JSON shape and each bad argument a Chinese error with the right exit code', async () => {
    const items = runCli(cli, ['list', ws, '--json']).json as Evidence[];
    const photo = items.find((i) => i.type === 'photo')!;
    expect(Object.keys(photo)).toEqual(expect.arrayContaining(['id', 'sha256', 'title', 'type', 'typeOrigin', 'links', 'readability', 'caption']));
    expect(photo).not.toHaveProperty('thumbUrl');

    const unlink = runCli(cli, ['unlink', ws, String(photo.id), '1.3', '--json']);
    expect(unlink.code).toBe(0);
    expect((unlink.json as Evidence).links.map((l) => l.indicator)).not.toContain('1.3');
    const unlinkText = runCli(cli, ['unlink', ws, String(photo.id), '1.3']);
    expect(unlinkText.code).toBe(1);
    expect(unlinkText.stderr).toMatch(/没有归入指标 1\.3/);

    const search = runCli(cli, ['list', ws, '--search', '领导小组', '--json']);
    expect(search.code).toBe(0);
    expect((search.json as Evidence[]).map((ev) => ev.title)).toEqual([expect.stringContaining('领导小组会议纪要')]);
    expect(runCli(cli, ['list', ws, '--search', '不存在的词语'])).toMatchObject({ code: 0, stdout: '（没有材料）\n' });

    const trash = runCli(cli, ['list', ws, '--trash', '--json']);
    expect(trash.code).toBe(0);
    expect(trash.json).toEqual([]);

    const reclassify = runCli(cli, ['reclassify', ws, '--json']);
    expect(reclassify.code).toBe(0);
    expect(Object.keys(reclassify.json as object)).toEqual(['changed']);
    expect(runCli(cli, ['reclassify', ws]).stdout).toMatch(/已按人工修正重新归类，\d+ 件材料的建议有变化/);

    const targets = runCli(cli, ['targets', ws, '--json']);
    const rows = targets.json as Record<string, unknown>[];
    expect(rows.length).toBe(19);
    expect(Object.keys(rows.find((r) => r.id === '4.2-t1')!).sort()).toEqual(['actual', 'comparison', 'id', 'indicator', 'label', 'source', 'target', 'unit']);
    expect(runCli(cli, ['targets', ws]).stdout).toMatch(/4\.2-t1　.+：目标不少于 6 .+，完成 5 .+（落地企业台账）/);

    const org = runCli(cli, ['init', path.join(root, 'ws-org'), '--template', 'east-west-2021', '--fonds', 'Z109', '--org', 'XZB', '--json']);
    expect(org.code).toBe(0);
    expect((org.json as { settings: { fonds: string; orgCode: string } }).settings).toMatchObject({ fonds: 'Z109', orgCode: 'XZB' });

    // [arguments, exit code, JSON error code (with --json) or null, Chinese message on stderr]
    const cases: [string[], number, string | null, RegExp][] = [
      [['link', ws, 'x', '1.3'], 2, null, /材料编号应为正整数：x/],
      [['link', ws, String(photo.id), 'abc', '--json'], 1, 'invalid-input', /指标编码应为“1\.2”这样的数字编码/],
      [['link', ws, String(photo.id), '9.9', '--json'], 1, 'usage', /框架中没有指标 9\.9。可用的指标编码：1\.1、/],
      [['set', ws, '999', '--title', '某文件', '--json'], 1, 'not-found', /没有编号为 999 的材料/],
      [['set', ws, String(photo.id), '--date', '2019-13-45', '--json'], 1, 'usage', /日期“2019-13-45”无效/],
      [['set', ws, String(photo.id)], 2, null, /没有要修改的内容/],
      [['targets', ws, '--set', '4.2-t1=abc'], 2, null, /目标 4\.2-t1 的数值“abc”不是数字/],
      [['targets', ws, '--set', 'nosuch=1', '--json'], 1, 'usage', /框架中没有目标 nosuch/],
      [['build', ws, '--json'], 2, 'usage', /缺少 --out 输出目录/],
      [['build', ws, '--out', path.join(root, 'o'), '--max-pages', '5'], 2, null, /--max-pages 应为不小于 20 的整数/],
      [['build', ws, '--out', path.join(root, 'o'), '--format', 'pdf,odt'], 2, null, /未知的输出格式 odt/],
      [['build', ws, '--out', path.join(root, 'o'), '--font', path.join(root, 'nofont.ttf'), '--json'], 1, 'internal', /找不到所选字体文件/],
      [['list', ws, '--bogus'], 2, null, /Unknown option '--bogus'/],
      [['list', ws, '--trash', '--search', '会议', '--json'], 2, 'usage', /--search 只查找未删除的材料/],
      [['verify', path.join(root, 'none.zip'), '--json'], 1, 'not-found', /找不到文件/],
      [['framework', 'nosuch', '--json'], 1, 'not-found', /未找到考核框架模板“nosuch”。可用的模板：east-west-2017、east-west-2021/],
      [['init', ws, '--template', 'east-west-2017', '--json'], 1, 'exists', /这里已经有一个工作区/],
      [['init', path.join(root, 'p'), '--template', 'east-west-2017', '--period', '2019'], 2, null, /--period 的格式应为 2019-01-01\.\.2019-12-31/],
      [['serve', '--port', '99999'], 2, null, /--port 应为 0–65535 的整数/],
    ];
    for (const [args, code, errorCode, message] of cases) {
      const r = runCli(cli, args);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(/^错误：/);
      expect(r.stderr).toMatch(message);
      if (code === 2) expect(r.stderr).toMatch(/运行 binder --help 查看用法/);
      if (errorCode) expect(r.json).toEqual({ error: { code: errorCode, message: expect.stringMatching(message) } });
    }
    // Nothing above changed the workspace: the same items, the same links.
    expect(runCli(cli, ['list', ws, '--json']).json).toEqual(runCli(cli, ['list', ws, '--json']).json);
    expect((runCli(cli, ['list', ws, '--json']).json as Evidence[]).length).toBe(items.length);
    // File the photo again for the build test below.
    expect(runCli(cli, ['link', ws, String(photo.id), '1.3']).code).toBe(0);
  }, 300_000);

  it('demo builds the example workspace through the contract, and --force refuses a folder that is not a workspace', () => {
    const dir = path.join(root, 'demo');
    const demo = runCli(cli, ['demo', dir, '--json']);
    expect(demo.code).toBe(0);
    const out = demo.json as { dir: string; import: ImportReport; summary: GapReport['summary'] };
    expect(Object.keys(out)).toEqual(['dir', 'import', 'summary']);
    expect(out.dir).toBe(dir);
    expect(out.import.imported.length).toBeGreaterThan(40);
    expect(out.summary.completeness).toBeGreaterThan(0.2);
    expect(out.summary.completeness).toBeLessThan(0.6);
    // The demo is an ordinary workspace afterwards.
    expect((runCli(cli, ['list', dir, '--json']).json as Evidence[]).length).toBe(out.import.imported.length);

    const again = runCli(cli, ['demo', dir, '--json']);
    expect(again.code).toBe(1);
    expect(again.json).toEqual({ error: { code: 'exists', message: expect.stringMatching(/这里已经有一个工作区/) } });

    const notWorkspace = path.join(root, 'not-a-workspace');
    mkdirSync(notWorkspace);
    writeFileSync(path.join(notWorkspace, '重要.txt'), '别删我');
    const refused = runCli(cli, ['demo', notWorkspace, '--force']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/不是工作区，未做改动/);
    expect(readFileSync(path.join(notWorkspace, '重要.txt'), 'utf8')).toBe('别删我');
  }, 300_000);

  it('binder templates loads no PDF, image, Office or OCR package; verify loads its zip reader only when called', async () => {
    const templates = runTraced(['templates', '--json']);
    expect(templates.code).toBe(0);
    expect((templates.json as { id: string }[]).map((t) => t.id)).toEqual(['east-west-2017', 'east-west-2021']);
    for (const heavy of ['sharp', 'pdfjs-dist', '@cantoo/pdf-lib', 'fontkit', 'docx', 'exceljs', 'exifr', 'word-extractor', 'yauzl', 'yazl', '@napi-rs/canvas', 'onnxruntime-node', 'tesseract.js']) {
      expect(templates.packages).not.toContain(heavy);
    }
    // The trace does see packages loaded later with import(): a corrupt zip makes verify open its zip reader.
    const verify = runTraced(['verify', path.join(inbox, 'broken.pdf'), '--json']);
    expect(verify.code).toBe(1);
    expect(verify.json).toEqual({ error: { code: 'corrupt', message: expect.stringMatching(/无法读取提交包 .*broken\.pdf：它不是完整的 zip 文件/) } });
    expect(verify.packages).toContain('yauzl');
    expect(verify.packages).not.toContain('pdfjs-dist');
  });

  it('build → verify the submission package, and verify lists a tampered copy', async () => {
    const out = path.join(root, 'out');
    const build = runCli(cli, ['build', ws, '--out', out, '--format', 'pdf,zip', '--generated-at', '2019-12-20T09:00:00Z', '--json']);
    expect(build.code).toBe(0);
    const result = build.json as { outputs: { format: string; path: string; pages?: number; bytes: number; items: { title: string; page: number }[] }[]; warnings: { volume: string | null; item: string | null; kind: string; message: string }[] };
    const zip = result.outputs.find((o) => o.format === 'zip')!;
    const pdf = result.outputs.find((o) => o.format === 'pdf')!;
    expect(pdf.pages).toBeGreaterThan(2);
    // The submission edition binds what the user filed (the captioned photo), not the classifier's
    // unconfirmed suggestion for the minutes: one warning counts those and says where to confirm them.
    expect(pdf.items.map((i) => i.title)).toEqual(['[领导小组会议]']);
    expect(result.warnings).toContainEqual(expect.objectContaining({ kind: 'unconfirmed', message: expect.stringMatching(/有 1 件.*材料库 → 待确认/) }));
    // The corrupt PDF was never filed, so it is not bound: the build says so.
    expect(result.warnings).toContainEqual(expect.objectContaining({ kind: 'unfiled', message: expect.stringMatching(/有 1 件材料未归入任何指标，未装订/) }));

    const ok = runCli(cli, ['verify', zip.path]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/校验通过：\d+ 个文件的校验码全部一致/);

    // Rewrite one member's bytes inside a copy of the zip (a stored PDF: same length, different content).
    const bytes = readFileSync(zip.path);
    const marker = bytes.indexOf(Buffer.from('%PDF-'), 40);
    expect(marker).toBeGreaterThan(0);
    const tampered = Buffer.from(bytes);
    tampered[marker + 200] ^= 0xff;
    const copy = path.join(root, 'tampered.zip');
    writeFileSync(copy, tampered);
    const bad = runCli(cli, ['verify', copy, '--json']);
    expect(bad.code).toBe(1);
    const report = bad.json as { ok: boolean; changed: string[] };
    expect(report.ok).toBe(false);
    expect(report.changed.length).toBe(1);
  });

  it('a killed import leaves the workspace consistent, and running it again finishes the job', async () => {
    const big = path.join(root, 'batch');
    mkdirSync(big);
    for (let i = 0; i < 40; i++) {
      writeFileSync(path.join(big, `IMG_2019${String((i % 12) + 1).padStart(2, '0')}01_${i}.jpg`), await makePhoto({ width: 1200, height: 900, seed: 100 + i }));
    }
    const target = path.join(root, 'ws-crash');
    expect(runCli(cli, ['init', target, '--template', 'east-west-2017']).code).toBe(0);
    const child = spawnCli(cli, ['import', target, big]);
    const vault = path.join(target, 'vault');
    const countStored = () =>
      existsSync(vault) ? readdirSync(vault, { recursive: true }).filter((f) => /[0-9a-f]{64}\.jpg$/.test(String(f))).length : 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (countStored() >= 5 || child.exitCode !== null) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    await new Promise((resolve) => child.once('exit', resolve));
    const partial = countStored();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(40);

    const wsAfter = (await Workspace.open(target));
    const items = (await wsAfter.listEvidence());
    // Every row points at a complete stored file with the right checksum; no orphan rows.
    for (const ev of items) {
      expect(sha256Hex(readFileSync(wsAfter.originalPath(ev.sha256)))).toBe(ev.sha256);
    }
    const integrity = await wsAfter.integrity();
    expect(integrity.orphanLinks).toBe(0);
    expect(integrity.orphanTexts).toBe(0);
    if (integrity.searchRows !== null) expect(integrity.searchRows).toBe(items.length);
    expect(readdirSync(path.join(vault, 'tmp'))).toEqual([]);
    await wsAfter.close();

    const rerun = runCli(cli, ['import', target, big, '--json']);
    expect(rerun.code).toBe(0);
    const r = rerun.json as ImportReport;
    expect(r.imported.length + r.duplicates.length).toBe(40);
    expect(r.duplicates.length).toBe(items.length);
    const final = (await Workspace.open(target));
    expect((await final.listEvidence())).toHaveLength(40);
    await final.close();
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GapReport } from '../../shared/domain/types.js';
import type { ImportReport } from '../../shared/domain/intake.js';
import { findDemoFont } from '../../electron/backend/demo/demo-files.js';
import { makePdf, makePhoto } from '../../electron/backend/demo/synth.js';
import { sha256Hex } from '../../electron/backend/vault.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';
import { buildCli, runCli, spawnCli } from '../helpers/cli.js';

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

describe('binder CLI', () => {
  it('lists the bundled templates as JSON', () => {
    const r = runCli(cli, ['templates', '--json']);
    expect(r.code).toBe(0);
    const list = r.json as { id: string; title: string; categories: number; indicators: number }[];
    expect(list.map((t) => t.id)).toEqual(['east-west-2017', 'east-west-2021']);
    expect(list[0].categories).toBe(9);
    expect(list[0].title).toMatch(/东西部扶贫协作/);
  });

  it('prints a framework tree', () => {
    const r = runCli(cli, ['framework', 'east-west-2017', '--json']);
    expect(r.code).toBe(0);
    const fw = r.json as { categories: { code: string; title: string; indicators: { code: string; title: string }[] }[] };
    expect(fw.categories[0].title).toBe('组织领导');
    expect(fw.categories[0].indicators.map((i) => i.code)).toContain('1.2');
    const text = runCli(cli, ['framework', 'east-west-2017']);
    expect(text.stdout).toMatch(/1\.2 领导小组及工作机制/);
  });

  it('uses exit code 2 for usage errors and 1 for a missing workspace, with Chinese messages', () => {
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

  it('init → import → list → link → set → targets → gaps, as JSON', () => {
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
    const monthly = g.findings.find((f) => f.kind === 'period-gap' && f.indicator === '1.2')!;
    expect(monthly.detail.missing).toContain('2019-01');
    expect(monthly.detail.missing).not.toContain('2019-06');

    const text = runCli(cli, ['gaps', ws]);
    expect(text.stdout).toMatch(/总体完成度 \d+%/);
    expect(text.stdout).toMatch(/县委组织部/);
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

    const wsAfter = Workspace.open(target);
    const items = wsAfter.listEvidence();
    // Every row points at a complete stored file with the right checksum; no orphan rows.
    for (const ev of items) {
      expect(sha256Hex(readFileSync(wsAfter.originalPath(ev.sha256)))).toBe(ev.sha256);
    }
    const orphans = wsAfter.db.prepare('SELECT COUNT(*) AS n FROM links WHERE evidence_id NOT IN (SELECT id FROM evidence)').get() as { n: number };
    expect(orphans.n).toBe(0);
    const fts = wsAfter.db.prepare('SELECT COUNT(*) AS n FROM evidence_fts').get() as { n: number };
    expect(fts.n).toBe(items.length);
    expect(readdirSync(path.join(vault, 'tmp'))).toEqual([]);
    wsAfter.close();

    const rerun = runCli(cli, ['import', target, big, '--json']);
    expect(rerun.code).toBe(0);
    const r = rerun.json as ImportReport;
    expect(r.imported.length + r.duplicates.length).toBe(40);
    expect(r.duplicates.length).toBe(items.length);
    const final = Workspace.open(target);
    expect(final.listEvidence()).toHaveLength(40);
    final.close();
  });
});

/**
 * 整改 items (issue 10 item 6) on SQLite and on PostgreSQL (the "postgres" project runs this file too): add,
 * close with evidence, verify, edit, undo of each as one action, an imported list with its unreadable rows,
 * overdue and unproven findings judged on the workspace clock's day, and the CLI.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../../electron/backend/demo/synth.js';
import { findDemoFont } from '../../electron/backend/demo/demo-files.js';
import { importPaths } from '../../electron/backend/workspace/import.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';
import { readZipFiles } from '../../electron/backend/generators/package/zip-io.js';
import { buildCli, runCli } from '../helpers/cli.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'binder-rectify-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const engine = process.env.EVIDENCE_BINDER_DATABASE ? 'postgres' : 'sqlite';
let counter = 0;
const newDir = () => path.join(root, `ws-${++counter}`);

/** The workspace clock: 2019-11-20, so a 时限 of 2019-10-31 is past and one of 2019-12-15 is not. */
const clock = { at: new Date('2019-11-20T09:00:00Z') };
const now = () => clock.at;

function pdf(lines: string[]): Promise<Uint8Array> {
  const font = findDemoFont();
  return makePdf({ pages: [{ lines }], font: font.bytes, fontName: font.fontName });
}

async function feedbackList(file: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('问题清单');
  sheet.addRow(['2019年省级考核反馈问题整改清单']);
  sheet.mergeCells('A1:G1');
  sheet.addRow(['填报单位：县协作办', '', '', '', '', '填报时间：2019年9月']);
  sheet.addRow(['序号', '反馈问题', '问题来源', '对应指标', '责任单位', '整改时限', '整改情况']);
  sheet.addRow([1, '东西部协作资金项目台账不完整', '省考核反馈', '3.1', '县财政局', '2019-10-31', '整改中']);
  sheet.addRow([2, '劳务协作转移就业人员未登记造册', '省考核反馈', '5.1 劳务协作', '县人社局', '2019年12月底', '']);
  sheet.addRow([3, '', '省考核反馈', '', '', '', '']);
  sheet.addRow([4, '挂职干部分管工作不明确', '自查', '9.9', '县委组织部', '长期坚持', '已完成']);
  sheet.addRow([5, '携手奔小康结对帮扶协议未签订', '国家考核反馈', '6.1', '县协作办', new Date(Date.UTC(2019, 8, 30)), '已销号']);
  await workbook.xlsx.writeFile(file);
}

describe(`整改 items on ${engine}`, () => {
  let ws: Workspace;
  let evidenceId: number;

  beforeAll(async () => {
    ws = await Workspace.init(newDir(), { templateId: 'east-west-2017', now }, {});
    const inbox = path.join(root, `inbox-${counter}`);
    mkdirSync(inbox);
    writeFileSync(path.join(inbox, '资金台账整改报告.pdf'), await pdf(['关于资金项目台账整改情况的报告', '2019年11月5日']));
    await importPaths(ws, [inbox]);
    evidenceId = (await ws.listEvidence())[0].id;
  });
  afterAll(async () => ws?.close());

  it('adds, closes with evidence, verifies and edits items; each is one undoable action', async () => {
    const [item] = await ws.addRectification([{ text: '资金项目台账不完整', source: '省考核反馈', indicator: '3.1', department: '县财政局', due: '2019-10-31' }]);
    expect(item).toMatchObject({ text: '资金项目台账不完整', status: 'open', evidence: [], closedAt: null, due: '2019-10-31', indicator: '3.1' });

    const closed = await ws.closeRectification(item.id, [evidenceId]);
    expect(closed).toMatchObject({ status: 'rectified', evidence: [evidenceId], closedAt: '2019-11-20T09:00:00.000Z' });
    const verified = await ws.verifyRectification(item.id);
    expect(verified.status).toBe('verified');
    const edited = await ws.editRectification(item.id, { department: '县财政局（牵头）', due: '2019-11-15' });
    expect(edited).toMatchObject({ department: '县财政局（牵头）', due: '2019-11-15', status: 'verified', evidence: [evidenceId] });

    expect(await ws.undoLast()).toBe(`已撤销：修改整改事项 ${item.id}`);
    expect(await ws.undoLast()).toBe(`已撤销：销号：整改事项 ${item.id}`);
    expect(await ws.undoLast()).toBe(`已撤销：整改完成：整改事项 ${item.id}`);
    expect((await ws.rectificationItems()).find((i) => i.id === item.id)).toMatchObject({ status: 'open', evidence: [], closedAt: null, department: '县财政局' });
    expect(await ws.undoLast()).toBe(`已撤销：新增整改事项 ${item.id}`);
    expect(await ws.rectificationItems()).toEqual([]);
  });

  it('refuses an empty problem, an impossible date, an unknown indicator or evidence, in Chinese, storing nothing', async () => {
    await expect(ws.addRectification([{ text: '  ' }])).rejects.toThrow('整改事项的问题描述不能为空');
    await expect(ws.addRectification([{ text: '问题', due: '2019-02-30' }])).rejects.toThrow('整改时限“2019-02-30”不是有效日期');
    await expect(ws.addRectification([{ text: '问题', indicator: '99.9' }])).rejects.toThrow('框架中没有指标 99.9');
    const [item] = await ws.addRectification([{ text: '问题' }]);
    await expect(ws.closeRectification(item.id, [99999])).rejects.toThrow('没有编号为 99999 的材料');
    await expect(ws.verifyRectification(4242)).rejects.toThrow('没有编号为 4242 的整改事项');
    expect((await ws.rectificationItems()).map((i) => [i.text, i.status])).toEqual([['问题', 'open']]);
    await ws.undoLast();
  });

  it('imports a list: header found under title lines, rows read by alias, unreadable rows and values reported by row number; one undo removes it', async () => {
    const file = path.join(root, '反馈问题清单.xlsx');
    await feedbackList(file);
    const { readRectificationList } = await import('../../electron/backend/rectification/import-list.js');
    const list = await readRectificationList(file, (code) => ws.hasIndicator(code));
    expect(list.headerRow).toBe(3);
    expect(list.problems).toEqual([
      { row: 6, message: '第 6 行没有问题描述，未导入。' },
      { row: 7, message: '第 7 行的指标“9.9”不在考核框架中，已留空。' },
      { row: 7, message: '第 7 行的整改时限“长期坚持”不是日期，已留空。' },
    ]);
    const added = await ws.addRectification(list.items);
    expect(added.map((i) => [i.text, i.indicator, i.department, i.due, i.status])).toEqual([
      ['东西部协作资金项目台账不完整', '3.1', '县财政局', '2019-10-31', 'open'],
      ['劳务协作转移就业人员未登记造册', '5.1', '县人社局', '2019-12-31', 'open'],
      ['挂职干部分管工作不明确', null, '县委组织部', null, 'rectified'],
      ['携手奔小康结对帮扶协议未签订', '6.1', '县协作办', '2019-09-30', 'verified'],
    ]);

    // Findings on the clock's day: row 4 is past its 时限 and open; rows 7 and 8 are closed with no evidence.
    const findings = (await ws.gaps()).findings.filter((f) => f.kind.startsWith('rectification-'));
    expect(findings.map((f) => [f.kind, f.severity, f.department, f.indicator ?? null])).toEqual([
      ['rectification-overdue', 'error', '县财政局', '3.1'],
      ['rectification-unproven', 'warning', '县协作办', '6.1'],
      ['rectification-unproven', 'warning', '县委组织部', null],
    ]);
    expect(findings[0].message).toBe('整改事项“东西部协作资金项目台账不完整”已超过整改时限 2019-10-31，仍未整改（责任单位：县财政局）。');
    expect(findings[0].detail).toMatchObject({ due: '2019-10-31', department: '县财政局', text: '东西部协作资金项目台账不完整' });

    // Closing with evidence clears the overdue finding; a later day makes the second item overdue.
    await ws.closeRectification(added[0].id, [evidenceId]);
    clock.at = new Date('2020-01-02T09:00:00Z');
    const later = (await ws.gaps()).findings.filter((f) => f.kind === 'rectification-overdue');
    expect(later.map((f) => f.detail.text)).toEqual(['劳务协作转移就业人员未登记造册']);
    clock.at = new Date('2019-11-20T09:00:00Z');

    await ws.undoLast();
    expect(await ws.undoLast()).toBe('已撤销：4 项新增整改事项');
    expect(await ws.rectificationItems()).toEqual([]);
  });
});

describe(`binder rectify on ${engine}`, () => {
  let cli: string;
  beforeAll(async () => {
    cli = await buildCli();
  });

  it('add, list, close --evidence, verify and import, each with --json; errors in Chinese', async () => {
    const dir = newDir();
    expect(runCli(cli, ['init', dir, '--template', 'east-west-2017']).code).toBe(0);
    const inbox = path.join(root, `cli-inbox-${counter}`);
    mkdirSync(inbox);
    writeFileSync(path.join(inbox, '整改报告.pdf'), await pdf(['整改报告']));
    const imported = runCli(cli, ['import', dir, inbox, '--no-ocr-wait', '--json']);
    const evidence = (imported.json as { imported: { id: number }[] }).imported[0].id;

    const add = runCli(cli, ['rectify', dir, 'add', '--text', '资金项目台账不完整', '--indicator', '3.1', '--department', '县财政局', '--due', '2019-10-31', '--source', '省考核反馈', '--json']);
    expect(add.code, add.stderr).toBe(0);
    const id = (add.json as { id: number }).id;
    expect(add.json).toMatchObject({ text: '资金项目台账不完整', status: 'open', department: '县财政局' });

    const list = runCli(cli, ['rectify', dir, 'list']);
    expect(list.stdout).toContain(`${id}　[未整改] 资金项目台账不完整（指标 3.1；责任单位 县财政局；时限 2019-10-31；来源 省考核反馈）`);

    const close = runCli(cli, ['rectify', dir, 'close', String(id), '--evidence', String(evidence), '--json']);
    expect(close.json).toMatchObject({ status: 'rectified', evidence: [evidence] });
    expect(runCli(cli, ['rectify', dir, 'verify', String(id), '--json']).json).toMatchObject({ status: 'verified' });

    const file = path.join(root, 'cli-list.xlsx');
    await feedbackList(file);
    const imp = runCli(cli, ['rectify', dir, 'import', file]);
    expect(imp.code).toBe(0);
    expect(imp.stdout).toContain('已导入 4 项整改事项（表头在第 3 行）');
    expect(imp.stdout).toContain('⚠ 第 6 行没有问题描述，未导入。');

    // The review binder prints the 整改台账 with overdue items marked; the submission edition only when chosen.
    const build = (out: string, extra: string[]) => {
      const r = runCli(cli, ['build', dir, '--out', path.join(root, out), '--format', 'pdf,docx', '--generated-at', '2019-12-20T09:00:00Z', '--json', ...extra]);
      expect(r.code, r.stderr).toBe(0);
      return (r.json as { outputs: { format: string; path: string }[] }).outputs;
    };
    const ledgerText = (outputs: { path: string }[]) => {
      const file = outputs.find((o) => o.path.includes('整改台账'));
      return file ? execFileSync('pdftotext', ['-layout', file.path, '-'], { encoding: 'utf8' }).replace(/ +/g, ' ') : null;
    };
    const review = build('review', ['--edition', 'review']);
    const reviewLedger = ledgerText(review);
    expect(reviewLedger).toMatch(/序号 问题 来源 指标 责任单位 时限 状态 佐证/);
    expect(reviewLedger).toMatch(/2 东西部协作资金项目台账不完整 省考核反馈 3\.1 县财政局 2019-10-31 未整改（已逾期）/);
    expect(reviewLedger).toMatch(/3 劳务协作转移就业人员未登记造册 省考核反馈 5\.1 县人社局 2019-12-31 未整改$/m);
    expect(reviewLedger).toMatch(/1 资金项目台账不完整 省考核反馈 3\.1 县财政局 2019-10-31 已销号 第\d+卷第\d{4}件《整改报告》$/m);
    const reviewDocx = await readZipFiles(review.find((o) => o.format === 'docx')!.path);
    expect(reviewDocx.get('word/document.xml')?.toString('utf8')).toContain('整改台账');
    expect(ledgerText(build('submission', []))).toBeNull();
    const chosen = ledgerText(build('chosen', ['--rectification-ledger']));
    expect(chosen).toMatch(/2 东西部协作资金项目台账不完整 省考核反馈 3\.1 县财政局 2019-10-31 未整改/);
    expect(chosen).not.toContain('逾期');

    const bad = runCli(cli, ['rectify', dir, 'add', '--due', '2019-10-31', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('缺少 --text 问题描述');
    const unknown = runCli(cli, ['rectify', dir, 'close', '999', '--evidence', String(evidence), '--json']);
    expect(unknown.json).toEqual({ error: { code: 'not-found', message: '没有编号为 999 的整改事项。' } });
  }, 300_000);
});

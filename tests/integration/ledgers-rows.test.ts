import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerRowsPage, LedgerSummary } from '../../shared/api/contract.js';
import { findPersonalData } from '../../shared/privacy/mask.js';
import { buildCli, runCli } from '../helpers/cli.js';
import { makeScenario, writeScenario } from '../helpers/ledgers.js';

/**
 * `ledgers.rows` through the CLI (binder ledgers --rows): a sheet's parsed rows with their Excel row numbers,
 * values by field, problems per row and the 合计 rows; ID numbers masked unless --unmasked.
 */

const root = mkdtempSync(path.join(os.tmpdir(), 'binder-ledger-rows-'));
const scenario = makeScenario();
let cli = '';
let ws = '';
let transfer = 0;

beforeAll(async () => {
  const inbox = path.join(root, 'inbox');
  mkdirSync(inbox);
  await writeScenario(scenario, inbox);
  cli = await buildCli();
  ws = path.join(root, 'ws');
  expect(runCli(cli, ['init', ws, '--template', 'east-west-2017', '--period', `${scenario.periodStart}..${scenario.periodEnd}`]).code).toBe(0);
  expect(runCli(cli, ['import', ws, inbox, '--no-ocr-wait', '--json']).code).toBe(0);
  transfer = (runCli(cli, ['ledgers', ws, '--json']).json as LedgerSummary[]).find((l) => l.sheet === '城关镇')?.evidence ?? 0;
}, 300_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const idsIn = (text: string) => findPersonalData(text).filter((m) => m.kind === 'id');

describe('binder ledgers --rows', { timeout: 300_000 }, () => {
  it('lists a sheet’s rows masked, with row numbers, problems and totals', () => {
    const result = runCli(cli, ['ledgers', ws, '--rows', `${transfer}:城关镇`, '--json']);
    expect(result.code).toBe(0);
    const page = result.json as LedgerRowsPage;
    expect(page).toMatchObject({ sheet: '城关镇', kind: 'transfer-employment', kindTitle: '转移就业台账', total: 12, offset: 0, masked: true });
    expect(page.rows.map((r) => r.row)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(page.columns.find((c) => c.field === 'idNumber')).toMatchObject({ header: '身份证号码', label: '身份证号' });
    // No full ID number anywhere in the answer; each shows its first 6 and last 4 characters.
    expect(idsIn(result.stdout)).toEqual([]);
    const source = scenario.files[0].grids[0].cells;
    expect(page.rows[0].values.idNumber).toBe(`${source[5][2].slice(0, 6)}********${source[5][2].slice(-4)}`);
    // The planted problems, each on its own row, and no other row has any.
    const withProblems = page.rows.filter((r) => r.problems.length).map((r) => [r.row, r.problems.map((p) => p.field)]);
    expect(withProblems).toEqual([
      [10, ['idNumber']],
      [13, ['startDate']],
    ]);
    expect(page.rows.find((r) => r.row === 10)?.problems[0].zh).toBe('身份证号校验位错误');
    expect(page.rows.find((r) => r.row === 13)?.problems[0].zh).toMatch(/不在考核期（2019-01-01 至 2019-12-31）内/);
    expect(page.totals.map((t) => t.label)).toEqual(['合计']);

    const text = runCli(cli, ['ledgers', ws, '--rows', `${transfer}:城关镇`]).stdout;
    expect(text).toContain('工作表“城关镇”：转移就业台账，共 12 行，显示第 1–12 行（身份证号、手机号已遮蔽）');
    expect(text).toContain('问题：身份证号校验位错误');
    expect(idsIn(text)).toEqual([]);
  });

  it('pages, unmasks when asked and says which sheets there are', () => {
    const page = runCli(cli, ['ledgers', ws, '--rows', `${transfer}:城关镇`, '--offset', '2', '--limit', '3', '--unmasked', '--json']).json as LedgerRowsPage;
    expect(page.rows.map((r) => r.row)).toEqual([8, 9, 10]);
    expect(page.masked).toBe(false);
    expect(page.rows[0].values.idNumber).toBe(scenario.files[0].grids[0].cells[7][2]);

    const unnamed = runCli(cli, ['ledgers', ws, '--rows', String(transfer)]);
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toContain('请指明工作表');
    expect(unnamed.stderr).toContain('城关镇、古城乡');
    const wrong = runCli(cli, ['ledgers', ws, '--rows', `${transfer}:城关镇`, '--limit', 'x']);
    expect(wrong.code).toBe(2);
  });
});

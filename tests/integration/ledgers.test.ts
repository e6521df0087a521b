import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerSummary, TargetRow } from '../../shared/api/contract.js';
import type { FindingKind, GapReport } from '../../shared/domain/types.js';
import { importPaths } from '../../electron/backend/workspace/import.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';
import { buildCli, runCli } from '../helpers/cli.js';
import { makeScenario, writeScenario } from '../helpers/ledgers.js';

/**
 * Ledgers end to end, on both storage engines (this file is in the postgres project too): import a folder of the
 * ledgers an office sends, read them, compute the targets, find every planted problem and nothing else, and keep
 * a user's mapping.
 */

const root = mkdtempSync(path.join(os.tmpdir(), 'binder-ledgers-'));
const inbox = path.join(root, 'inbox');
const scenario = makeScenario();
const LEDGER_KINDS: FindingKind[] = ['ledger-invalid-id', 'ledger-duplicate', 'double-counted', 'ledger-out-of-period', 'ledger-total-mismatch', 'figure-mismatch', 'computed-differs', 'ledger-cross-check'];

beforeAll(async () => {
  mkdirSync(inbox);
  await writeScenario(scenario, inbox);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const computedOf = (rows: TargetRow[]) => Object.fromEntries(rows.filter((r) => r.computed).map((r) => [r.id, r.computed?.value]));

describe('ledgers in a workspace', { timeout: 300_000 }, () => {
  it('reads imported ledgers, computes targets, finds the planted problems, keeps a user mapping and undoes an accept', async () => {
    const ws = await Workspace.init(path.join(root, 'ws'), { templateId: 'east-west-2017', periodStart: scenario.periodStart, periodEnd: scenario.periodEnd });
    try {
      const report = await importPaths(ws, [inbox]);
      expect(report.imported).toHaveLength(5);
      const idOf = (name: string) => report.imported.find((i) => i.source.endsWith(name))?.id ?? 0;
      const reportItem = await ws.requireEvidence(idOf(scenario.report.name));
      if (reportItem.type !== 'report') await ws.update([reportItem.id], { type: 'report' });

      const ledgers = await ws.ledgers();
      expect(ledgers).toHaveLength(5);
      expect(ledgers.map((l) => [l.sheet, l.kind, l.rows, l.used])).toEqual(expect.arrayContaining([
        ['城关镇', 'transfer-employment', 12, true],
        ['古城乡', 'transfer-employment', 9, true],
        ['资金项目', 'fund-projects', 4, true],
        ['消费扶贫台账', 'consumption', 4, true],
        ['Sheet1', 'public-welfare-posts', 3, true],
      ]));

      const computed = await ws.computedTargets();
      expect(Object.fromEntries([...computed].map(([id, c]) => [id, c.value]))).toEqual(scenario.truth);

      const gaps = await ws.gaps();
      const found = gaps.findings.filter((f) => LEDGER_KINDS.includes(f.kind));
      expect(found.map((f) => f.kind).sort()).toEqual(scenario.planted.map((p) => p.kind).sort());
      expect(found.find((f) => f.kind === 'figure-mismatch')?.evidence).toEqual([reportItem.id]);
      expect(found.find((f) => f.kind === 'ledger-invalid-id')?.message).toContain('工作表“城关镇”中有 1 个身份证号无效：第 10 行');

      // A typed figure that differs is a finding; accepting the computed one clears it, and undo brings it back.
      await ws.setTargets([{ id: '5.2-t2', actual: 1 }]);
      expect((await ws.gaps()).findings.some((f) => f.kind === 'computed-differs' && f.target === '5.2-t2')).toBe(true);
      await ws.acceptComputed(['5.2-t2']);
      expect((await ws.targets()).find((t) => t.id === '5.2-t2')?.actual).toBe(scenario.truth['5.2-t2']);
      expect((await ws.gaps()).findings.some((f) => f.kind === 'computed-differs')).toBe(false);
      expect(await ws.undoLast()).toBeTruthy();
      expect((await ws.targets()).find((t) => t.id === '5.2-t2')?.actual).toBe(1);
      await expect(ws.acceptComputed(['1.1-t1'])).rejects.toThrow(/没有台账计算值/);

      // The user's mapping is kept when the sheet is read again (a new parser version or a re-open).
      const transfer = idOf(scenario.files[0].name);
      const before = await ws.ledgerData();
      expect(await ws.ledgerData()).toBe(before);
      const mapped = await ws.mapLedger(transfer, '古城乡', { kind: 'labour-training', columns: { 外出时间: 'trainingDate' } });
      // Only the remapped workbook's sheets are loaded again: the other items' sheets are the same objects, so the
      // analysis reuses what it derived from them (the first analysis after a remap stays fast).
      const after = await ws.ledgerData();
      expect(after.map((s) => [s.evidence, s.sheet])).toEqual(before.map((s) => [s.evidence, s.sheet]));
      expect(after.filter((s) => s.evidence === transfer).map((s) => [s.sheet, s.kind, before.includes(s)])).toEqual([
        ['城关镇', 'transfer-employment', false],
        ['古城乡', 'labour-training', false],
      ]);
      const others = after.filter((s) => s.evidence !== transfer);
      expect(others).toHaveLength(3);
      expect(others.every((s) => before.includes(s))).toBe(true);
      expect((await ws.gaps()).findings.filter((f) => f.kind === 'ledger-total-mismatch')).toHaveLength(scenario.planted.filter((p) => p.kind === 'ledger-total-mismatch').length);
      expect(mapped.find((l) => l.sheet === '古城乡')).toMatchObject({ kind: 'labour-training', origin: 'user', confidence: 1 });
      expect(mapped.find((l) => l.sheet === '城关镇')).toMatchObject({ kind: 'transfer-employment', origin: 'auto' });
      await expect(ws.mapLedger(transfer, undefined, { kind: 'labour-training' })).rejects.toThrow(/请指明工作表/);
      await expect(ws.mapLedger(transfer, '古城乡', { kind: 'nope' })).rejects.toThrow(/框架中没有台账类型 nope/);
    } finally {
      await ws.close();
    }
    const again = await Workspace.open(path.join(root, 'ws'));
    try {
      const sheet = (await again.ledgers()).find((l) => l.sheet === '古城乡');
      expect(sheet).toMatchObject({ kind: 'labour-training', origin: 'user', columns: expect.objectContaining({ trainingDate: '外出时间' }) });
    } finally {
      await again.close();
    }
  });
});

describe('mapping a ledger by hand is an undoable edit', { timeout: 300_000 }, () => {
  it('records ledgers.map in history and undo restores the mapping before, or detection', async () => {
    const ws = await Workspace.init(path.join(root, 'ws-undo'), { templateId: 'east-west-2017', periodStart: scenario.periodStart, periodEnd: scenario.periodEnd });
    try {
      const report = await importPaths(ws, [path.join(inbox, scenario.files[0].name)]);
      const transfer = report.imported[0].id;
      const sheetOf = async () => (await ws.ledgers()).find((l) => l.sheet === '古城乡');
      const total = async () => (await ws.computedTargets()).get('5.2-t1')?.value;
      expect(await total()).toBe(scenario.truth['5.2-t1']);

      await ws.mapLedger(transfer, '古城乡', { kind: 'labour-training', columns: { 外出时间: 'trainingDate' } });
      expect(await sheetOf()).toMatchObject({ kind: 'labour-training', origin: 'user' });
      const without = await total();
      expect(without).toBeLessThan(scenario.truth['5.2-t1']);
      expect((await ws.history(1))[0].event).toMatchObject({ action: 'ledger-map', evidenceId: transfer, sheet: '古城乡', before: null });
      expect(await ws.nextUndo()).toBe(`材料 ${transfer} 工作表“古城乡”人工指定为劳务培训台账`);

      // A second mapping on top of the first: undo goes back to the first, then to what detection found.
      await ws.mapLedger(transfer, '古城乡', { kind: 'transfer-employment', columns: { 就业去向: '' } });
      expect(await sheetOf()).toMatchObject({ kind: 'transfer-employment', origin: 'user' });
      expect(await ws.undoLast()).toBe(`已撤销：材料 ${transfer} 工作表“古城乡”人工指定为转移就业台账`);
      expect(await sheetOf()).toMatchObject({ kind: 'labour-training', origin: 'user', columns: expect.objectContaining({ trainingDate: '外出时间' }) });
      expect(await total()).toBe(without);
      expect(await ws.undoLast()).toMatch(/^已撤销：/);
      expect(await sheetOf()).toMatchObject({ kind: 'transfer-employment', origin: 'auto' });
      expect(await total()).toBe(scenario.truth['5.2-t1']);
      // The other sheet of the workbook kept what it had.
      expect((await ws.ledgers()).find((l) => l.sheet === '城关镇')).toMatchObject({ kind: 'transfer-employment', origin: 'auto', rows: 12 });
    } finally {
      await ws.close();
    }
  });
});

describe('binder ledgers and targets', { timeout: 300_000 }, () => {
  let cli = '';
  beforeAll(async () => {
    cli = await buildCli();
  });

  it('imports a folder of ledgers and shows computed targets with their sources, and maps a sheet by hand', () => {
    const ws = path.join(root, 'cli-ws');
    expect(runCli(cli, ['init', ws, '--template', 'east-west-2017', '--period', `${scenario.periodStart}..${scenario.periodEnd}`]).code).toBe(0);
    expect(runCli(cli, ['import', ws, inbox, '--no-ocr-wait', '--json']).code).toBe(0);

    const targets = runCli(cli, ['targets', ws, '--json']);
    expect(targets.code).toBe(0);
    const rows = targets.json as TargetRow[];
    expect(computedOf(rows)).toEqual(scenario.truth);
    const east = rows.find((r) => r.id === '5.2-t2');
    expect(east).toMatchObject({ indicator: '5.2', label: '到结对东部地区就业', unit: '人', comparison: '>=', actual: null });
    expect(east?.computed?.formula).toBe('到结对东部地区就业 = 转移就业台账中就业地区为“东部”的不重复身份证号人数（起始日期在考核期外的行不计）');
    expect(east?.computed?.sources.map((s) => [s.sheet, s.rows])).toEqual([['城关镇', [6, 7, 9, 12, 15, 17]], ['古城乡', [3, 6, 8]]]);
    expect(runCli(cli, ['targets', ws]).stdout).toContain(`台账计算 ${scenario.truth['5.2-t2']} 人：到结对东部地区就业 = 转移就业台账中`);

    const accepted = runCli(cli, ['targets', ws, '--accept-computed', '5.2-t1', '5.2-t2', '--json']);
    expect(accepted.code).toBe(0);
    const after = accepted.json as TargetRow[];
    expect(after.find((r) => r.id === '5.2-t1')?.actual).toBe(scenario.truth['5.2-t1']);
    expect(after.find((r) => r.id === '5.2-t2')?.source).toMatch(/^台账计算：到结对东部地区就业 = /);
    const refused = runCli(cli, ['targets', ws, '--accept-computed', '--json']);
    expect(refused.code).toBe(2);

    const gaps = runCli(cli, ['gaps', ws, '--json']).json as GapReport;
    const kinds = gaps.findings.filter((f) => LEDGER_KINDS.includes(f.kind)).map((f) => f.kind);
    // The report was classified by its name; the figure check needs it as a report.
    expect(kinds).toEqual(expect.arrayContaining(['ledger-invalid-id', 'ledger-duplicate', 'double-counted', 'ledger-out-of-period', 'ledger-total-mismatch', 'ledger-cross-check']));

    const list = runCli(cli, ['ledgers', ws, '--json']).json as LedgerSummary[];
    expect(list.find((l) => l.sheet === '城关镇')?.columns).toMatchObject({ idNumber: '身份证号码', destination: '就业地区/东部、就业地区/省内、就业地区/省外其他' });
    const transfer = list.find((l) => l.sheet === '古城乡')?.evidence ?? 0;
    const mapped = runCli(cli, ['ledgers', ws, '--map', `${transfer}:古城乡`, '--kind', 'labour-training', '--column', '外出时间=trainingDate', '--column', '就业去向=', '--json']);
    expect(mapped.code).toBe(0);
    expect((mapped.json as LedgerSummary[]).find((l) => l.sheet === '古城乡')).toMatchObject({ kind: 'labour-training', origin: 'user' });
    const text = runCli(cli, ['ledgers', ws]).stdout;
    expect(text).toContain('工作表“古城乡”：劳务培训台账，9 行（表头第 2 行，人工指定）');
    const bad = runCli(cli, ['ledgers', ws, '--map', `${transfer}:古城乡`, '--kind', 'labour-training', '--column', '外出时间=moon']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('劳务培训台账没有字段 moon');
  });
});

import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../electron/backend/templates.js';
import { analyzeGaps } from '../../../shared/gaps/analyze.js';
import { makePeriod } from '../../../shared/gaps/periods.js';
import { buildLedgerIndex, computeTargets, type LedgerSheetData } from '../../../shared/ledger/compute.js';
import { idNumberProblem } from '../../../shared/ledger/id-number.js';
import { columnsByField, parseSheet } from '../../../shared/ledger/table.js';
import { parseLedgerDate, parseMoney, parsePercent } from '../../../shared/ledger/values.js';
import type { Evidence, Finding, FindingKind } from '../../../shared/domain/types.js';
import { breakCheckDigit, makeIdNumber, makeScenario } from '../../helpers/ledgers.js';

const fw = loadTemplate('east-west-2017');
const kinds = fw.ledgers ?? [];

describe('ID numbers (GB 11643)', () => {
  const good = makeIdNumber('621022', '19850312', 123);
  it('accepts a valid number and a lower-case x, and names each problem', () => {
    expect(idNumberProblem(good, '2019-12-31')).toBeUndefined();
    expect(idNumberProblem('11010519491231002X'.toLowerCase(), '2019-12-31')).toBeUndefined();
    expect(idNumberProblem(breakCheckDigit(good), '2019-12-31')).toBe('check-digit');
    expect(idNumberProblem(makeIdNumber('621022', '19850230', 1), '2019-12-31')).toBe('birth-date');
    expect(idNumberProblem(makeIdNumber('621022', '20200101', 1), '2019-12-31')).toBe('birth-date');
    expect(idNumberProblem(makeIdNumber('991022', '19850312', 1), '2019-12-31')).toBe('region');
    expect(idNumberProblem('621022850312123', '2019-12-31')).toBe('old-15');
    expect(idNumberProblem('6210228503', '2019-12-31')).toBe('format');
  });
});

describe('cell values', () => {
  it('reads dates as offices write them', () => {
    expect(parseLedgerDate('43535')).toBe('2019-03-11');
    expect(parseLedgerDate('2019/3/5')).toBe('2019-03-05');
    expect(parseLedgerDate('2019年3月')).toBe('2019-03');
    expect(parseLedgerDate('2019.03')).toBe('2019-03');
    expect(parseLedgerDate('2019年2月30日')).toBeUndefined();
  });
  it('converts money to the field unit and reads percentages', () => {
    expect(parseMoney('125,000.00', '万元', '元')).toBe(12.5);
    expect(parseMoney('3.5万元', '元')).toBe(35000);
    expect(parseMoney('85.25', '万元')).toBe(85.25);
    expect(parsePercent('85%')).toBe(85);
    expect(parsePercent('0.85')).toBe(85);
  });
});

const scenario = makeScenario();
const sheets: LedgerSheetData[] = scenario.files.flatMap((file, fi) =>
  file.grids.map((grid) => {
    const parsed = parseSheet(grid, kinds);
    if (!parsed) throw new Error(`no table in ${file.name}`);
    return { ...parsed, evidence: fi + 1 };
  }),
);

describe('finding the table', () => {
  it('skips the title and 填报单位 rows, joins the two-row header and maps tick columns to the destination', () => {
    const s = sheets[0];
    expect(s.kind).toBe('transfer-employment');
    expect(s.headerRows).toEqual([4, 5]);
    expect(columnsByField(s.columns)).toMatchObject({ name: '姓名', idNumber: '身份证号码', destination: '就业地区/东部、就业地区/省内、就业地区/省外其他', startDate: '就业时间', income: '月收入（元）' });
    expect(s.rows.map((r) => r.row)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(s.rows[0].values).toMatchObject({ destination: 'east', category: 'poor', startDate: '2019-03-10', income: 3000 });
    expect(s.totals).toHaveLength(1);
    expect(s.totals[0].row).toBe(18);
    expect(s.confidence).toBeGreaterThan(0.8);
  });
  it('reads a one-row header with destinations in words, and the other kinds by their headers', () => {
    const s = sheets[1];
    expect(s.kind).toBe('transfer-employment');
    expect(s.headerRows).toEqual([2]);
    expect(s.rows.map((r) => r.values.destination)).toEqual(['east', 'in-province', 'other', 'east', 'in-province', 'east', 'in-province', 'east', 'in-province']);
    expect(s.unmatched).toEqual([]);
    expect(sheets.slice(2).map((x) => x.kind)).toEqual(['fund-projects', 'consumption', 'public-welfare-posts']);
    expect(sheets[2].totals[0].label).toBe('合计');
    expect(sheets[3].rows[0].values.amount).toBe(12.5);
  });
  it('lets the user fix the kind and a column, and keeps it', () => {
    const grid = scenario.files[0].grids[1];
    const parsed = parseSheet(grid, kinds, { kind: 'labour-training', columns: { 外出时间: 'trainingDate', 就业去向: '' } });
    expect(parsed?.kind).toBe('labour-training');
    expect(parsed?.confidence).toBe(1);
    expect(columnsByField(parsed?.columns ?? [])).toMatchObject({ trainingDate: '外出时间' });
    expect(parsed?.columns.some((c) => c.header === '就业去向')).toBe(false);
  });
});

describe('computed targets and ledger findings', () => {
  const period = makePeriod(scenario.periodStart, scenario.periodEnd);
  it('computes every target with a ledger exactly, with its formula and rows', () => {
    const computed = computeTargets(fw, buildLedgerIndex(fw, sheets, period));
    expect(Object.fromEntries([...computed].map(([id, c]) => [id, c.value]))).toEqual(scenario.truth);
    const east = computed.get('5.2-t2');
    expect(east?.formula).toBe('到结对东部地区就业 = 转移就业台账中就业地区为“东部”的不重复身份证号人数（起始日期在考核期外的行不计）');
    expect(east?.sources).toEqual([
      { evidence: 1, sheet: '城关镇', rows: [6, 7, 9, 12, 15, 17] },
      { evidence: 1, sheet: '古城乡', rows: [3, 6, 8] },
    ]);
  });

  it('counts distinct people right across thousands of ID numbers, 15-digit ones and names-only rows alike', () => {
    // Stored-form ID numbers are interned by their digits in a table that grows while they are read: a person met
    // before the table grew and again after must still count once, and an X check character is a digit of its own.
    const ids = Array.from({ length: 2500 }, (_, i) => makeIdNumber('621022', `19${60 + (i % 40)}0${1 + (i % 9)}1${i % 10}`, i % 1000));
    const values = [...ids, ...ids.slice().reverse(), '621022850312123', '621022850312123', 'no-id'].map((idNumber, i) => ({ idNumber, name: `人员${i}`, destination: i % 2 ? 'east' : 'other', startDate: '2019-05-01' }));
    const sheet: LedgerSheetData = { evidence: 1, sheet: '花名册', kind: 'transfer-employment', confidence: 1, headerRows: [1], columns: [], headers: [], rows: values.map((v, i) => ({ row: i + 2, values: v })), totals: [], unmatched: [] };
    const computed = computeTargets(fw, buildLedgerIndex(fw, [sheet], period));
    const distinct = new Set(values.map((v) => v.idNumber)).size;
    expect(distinct).toBeGreaterThan(2000);
    expect(computed.get('5.2-t1')?.value).toBe(distinct);
    const east = new Set(values.filter((v) => v.destination === 'east').map((v) => v.idNumber)).size;
    expect(computed.get('5.2-t2')?.value).toBe(east);
  });

  it('finds every planted problem with its rows and nothing else', () => {
    const evidence = scenario.files.map((f, i) => ({ id: i + 1, title: f.name, originalName: f.name, type: 'ledger', readability: 'ok', links: [] }) as unknown as Evidence);
    evidence.push({ id: 9, title: scenario.report.name, originalName: scenario.report.name, type: 'report', readability: 'ok', links: [] } as unknown as Evidence);
    const report = analyzeGaps({
      framework: fw,
      settings: { title: 't', unit: 'u', periodStart: scenario.periodStart, periodEnd: scenario.periodEnd, frameworkId: fw.id },
      evidence,
      targets: [{ id: '3.2-t1', target: 700, actual: scenario.truth['3.2-t1'] + 5 }],
      ledgers: sheets,
      reports: [{ evidence: 9, text: scenario.report.text }],
    });
    const ledgerKinds: FindingKind[] = ['ledger-invalid-id', 'ledger-duplicate', 'double-counted', 'ledger-out-of-period', 'ledger-total-mismatch', 'figure-mismatch', 'computed-differs', 'ledger-cross-check'];
    const found = report.findings.filter((f) => ledgerKinds.includes(f.kind));
    const rowsOf = (d: Record<string, unknown>) =>
      Array.isArray(d.rows) ? d.rows.map((r: { row: number }) => r.row) : typeof d.row === 'number' ? [d.row] : [];
    expect(found.map((f) => f.kind).sort()).toEqual([...scenario.planted.map((p) => p.kind), 'computed-differs'].sort());
    // Each ledger kind's detail names its sheet and rows in one of two ways; read them the same way here.
    const loose = (f: Finding): Record<string, unknown> => f.detail;
    for (const p of scenario.planted) {
      const hit = found.find((f) => {
        const d = loose(f);
        return f.kind === p.kind && (p.sheet === undefined || d.sheet === p.sheet || (Array.isArray(d.rows) && d.rows.some((r: { sheet?: string }) => r.sheet === p.sheet)));
      });
      expect(hit, `${p.kind} in ${p.file}`).toBeDefined();
      if (p.rows.length) expect(rowsOf(hit ? loose(hit) : {})).toEqual(p.rows);
    }
    const invalid = found.find((f) => f.kind === 'ledger-invalid-id');
    expect(invalid?.message).toMatch(/工作表“城关镇”中有 1 个身份证号无效：第 10 行（.+）校验位错误/);
    expect(found.find((f) => f.kind === 'figure-mismatch')?.message).toMatch(new RegExp(`写“赴天津就业${scenario.truth['5.2-t2'] + 3}人”，但目标“到结对东部地区就业”按台账计算为 ${scenario.truth['5.2-t2']}人`));
    expect(found.find((f) => f.kind === 'double-counted')?.message).toMatch(/同时登记为“东部”.+和“省内”/);
    expect(found.find((f) => f.kind === 'ledger-duplicate')?.message).toMatch(/身份证号 \d{6}\*{8}[\dX]{4}）在转移就业台账中登记了 2 次/);
    expect(found.every((f) => Boolean(f.messageEn) && typeof loose(f).actionEn === 'string')).toBe(true);
  });
});

import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { readCsv } from '../../electron/backend/intake/readers/csv.js';
import { MAX_SHEET_CELLS, readLedgerBytes } from '../../electron/backend/ledger/read.js';
import { loadTemplate } from '../../electron/backend/templates.js';
import { parseSheet } from '../../shared/ledger/table.js';
import { makeScenario, writeScenario, writeXls } from '../helpers/ledgers.js';

const real = path.join(import.meta.dirname, '..', 'fixtures', 'realworld');
const read = async (file: string, format: 'xls' | 'xlsx' | 'ods') => readLedgerBytes(readFileSync(path.join(real, file)), format, path.basename(file));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ledger-read-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('reading spreadsheets nobody here wrote', async () => {
  it('keeps ragged rows as they are (xlrd ragged.xls)', async () => {
    const r = await read('xlrd/ragged.xls', 'xls');
    expect(r.problems).toEqual([]);
    expect(r.sheets[0].cells).toEqual([['a', 'b', 'c'], ['d', 'e'], ['f'], ['g', 'h', 'I', 'j'], ['k', '', '', 'l']]);
  });

  it('reads every sheet, merged ranges and date cells as dates (xlrd Formate.xls)', async () => {
    const r = await read('xlrd/Formate.xls', 'xls');
    expect(r.sheets.map((s) => s.name)).toEqual(['Blätt1', 'ÖÄÜ', 'Blätt3', 'Formate']);
    expect(r.sheets[1].merges).toEqual([{ r0: 2, c0: 2, r1: 4, c1: 4 }]);
    expect(r.sheets[1].cells[2][2]).toBe('MERGED CELLS');
    // xlrd's test_date_cells: these three are date cells (serials 2741, 38406, 32266 with date formats).
    expect(r.sheets[0].cells.slice(0, 3)).toEqual([['Huber', '1907-07-03'], ['Äcker', '2005-02-23'], ['Öcker', '1988-05-03']]);
  });

  it('reads a workbook of several wide sheets (xlrd profiles.xls)', async () => {
    const r = await read('xlrd/profiles.xls', 'xls');
    expect(r.sheets.map((s) => s.name)).toEqual(['PROFILEDEF', 'AXISDEF', 'TRAVERSALCHAINAGE', 'AXISDATUMLEVELS', 'PROFILELEVELS']);
    expect(r.sheets[0].cells[1].slice(0, 3)).toEqual(['P8.2', '100', '101']);
  });

  it('says in Chinese that a workbook or an ODS file has an open password (calamine)', async () => {
    for (const [file, format] of [['calamine/tests__pass_protected.xlsx', 'xlsx'], ['calamine/tests__pass_protected.ods', 'ods']] as const) {
      const r = await read(file, format);
      expect(r.sheets).toEqual([]);
      expect(r.problems[0].reason).toContain('设有打开密码，无法读取台账数据');
    }
  });

  it('gives a Chinese reason for a truncated or a fake workbook instead of throwing', async () => {
    const whole = readFileSync(path.join(real, 'calamine/tests__any_sheets.xlsx'));
    expect((await readLedgerBytes(whole, 'xlsx', 'a.xlsx')).sheets[0].cells[0]).toEqual(['1', '2']);
    for (const [bytes, format] of [[whole.subarray(0, whole.length / 2), 'xlsx'], [Buffer.from('序号,姓名\n1,张三'), 'xls'], [readFileSync(path.join(real, 'xlrd/ragged.xls')).subarray(0, 3000), 'xls']] as const) {
      const r = await readLedgerBytes(Buffer.from(bytes), format, `坏.${format}`);
      expect(r.sheets).toEqual([]);
      expect(r.problems[0].reason).toMatch(/“坏\.xlsx?”已损坏或不是有效的电子表格/);
    }
  });

  it('refuses a sheet above the cell limit with a reason and still reads the others', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('名册').getCell('A1').value = '姓名';
    wb.addWorksheet('巨大').getCell(Math.ceil(MAX_SHEET_CELLS / 20) + 10, 30).value = 'x';
    const file = path.join(tmp, 'big.xlsx');
    await wb.xlsx.writeFile(file);
    const r = await readLedgerBytes(readFileSync(file), 'xlsx', 'big.xlsx');
    expect(r.sheets.map((s) => s.name)).toEqual(['名册']);
    expect(r.problems).toEqual([{ sheet: '巨大', reason: expect.stringMatching(/^工作表“巨大”约有 [\d,]+ 个单元格，超过上限 2,000,000，未读取/) }]);
  });
});

describe('reading the ledgers offices send', () => {
  it('reads the generated XLSX, BIFF8 XLS and GBK CSV into the same rows as the sheets they were made from', async () => {
    const scenario = makeScenario();
    await writeScenario(scenario, tmp);
    const kinds = loadTemplate('east-west-2017').ledgers ?? [];
    for (const file of scenario.files) {
      const bytes = readFileSync(path.join(tmp, file.name));
      const r = await readLedgerBytes(bytes, file.format, file.name);
      expect(r.problems).toEqual([]);
      expect(r.sheets.map((s) => s.name)).toEqual(file.grids.map((g) => g.name));
      r.sheets.forEach((sheet, i) => {
        const fromFile = parseSheet(sheet, kinds);
        const fromGrid = parseSheet(file.grids[i], kinds);
        expect(fromFile?.kind).toBe(fromGrid?.kind);
        expect(fromFile?.rows, `${file.name} ${sheet.name}`).toEqual(fromGrid?.rows);
        expect(fromFile?.totals).toEqual(fromGrid?.totals);
      });
    }
    // The merged header of the XLSX survives: the destination comes from the tick columns.
    const xlsx = await readLedgerBytes(readFileSync(path.join(tmp, scenario.files[0].name)), 'xlsx', 'x.xlsx');
    expect(xlsx.sheets[0].merges).toContainEqual({ r0: 3, c0: 5, r1: 3, c1: 7 });
  });

  it('reads CSV in UTF-8 with and without BOM, and GBK', () => {
    const text = '姓名,身份证号,就业去向\r\n张三,"621022198503121234",天津\r\n"李,四",x,"省内""就近"""\r\n';
    for (const bytes of [Buffer.from(text), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), iconv.encode(text, 'gbk')]) {
      expect(readCsv(bytes)).toEqual([['姓名', '身份证号', '就业去向'], ['张三', '621022198503121234', '天津'], ['李,四', 'x', '省内"就近"']]);
    }
  });

  it('reads an ODS workbook with its merges', async () => {
    const file = path.join(tmp, 'x.ods');
    writeXls([{ name: '名册', cells: [['挂职干部名册'], ['姓名', '性别']], merges: [{ r0: 0, c0: 0, r1: 0, c1: 1 }] }], file, 'ods');
    const r = await readLedgerBytes(readFileSync(file), 'ods', 'x.ods');
    expect(r.sheets[0].cells).toEqual([['挂职干部名册'], ['姓名', '性别']]);
    expect(r.sheets[0].merges).toEqual([{ r0: 0, c0: 0, r1: 0, c1: 1 }]);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { readLedgerBytes } from '../../electron/backend/ledger/read.js';
import { parseFramework } from '../../shared/framework/schema.js';
import { makePeriod } from '../../shared/gaps/periods.js';
import { ledgerRowsPage } from '../../shared/ledger/rows.js';
import { parseSheet } from '../../shared/ledger/table.js';
import { makeIdNumber } from '../helpers/ledgers.js';

/**
 * A month typed as 2019.10 in Excel is kept as the number 2019.1. With a number format that shows two decimals
 * ('0.00') it is October; with none it could be January or October, so the row says so instead of guessing.
 */

const file = path.join(process.cwd(), 'templates', 'frameworks', 'east-west-2017.json');
const framework = parseFramework(JSON.parse(readFileSync(file, 'utf8')), file);
const kinds = framework.ledgers ?? [];

function workbook(): Buffer {
  const people = [1, 2, 3, 4, 5].map((i) => makeIdNumber('621022', `1980010${i}`, 100 + i));
  const sheet = XLSX.utils.aoa_to_sheet([
    ['姓名', '身份证号码', '就业地区', '就业时间'],
    ['张一', people[0], '东部', 2019.1],
    ['张二', people[1], '东部', 2019.1],
    ['张三', people[2], '省内', 2019.11],
    ['张四', people[3], '省内', 2019.3],
    ['张五', people[4], '东部', '2019.1'],
  ]);
  // Row 2: shown with two decimals, as Excel keeps "2019.10" typed in a '0.00' column. Row 3: General.
  (sheet.D2 as XLSX.CellObject).z = '0.00';
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, '转移就业');
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

describe('a month stored as a number', () => {
  it('reads 2019.1 as October where the format shows two decimals, and reports it as ambiguous where not', async () => {
    const read = await readLedgerBytes(workbook(), 'xlsx', '转移就业台账.xlsx');
    expect(read.problems).toEqual([]);
    const parsed = parseSheet(read.sheets[0], kinds);
    expect(parsed?.kind).toBe('transfer-employment');
    expect(parsed?.rows.map((r) => [r.row, r.values.startDate])).toEqual([
      [2, '2019-10'],
      [3, undefined],
      [4, '2019-11'],
      [5, '2019-03'],
      // Typed as text "2019.1": January, as written.
      [6, '2019-01'],
    ]);
    expect(parsed?.unmatched).toEqual([{ row: 3, field: 'startDate', text: '2019.1', reason: 'ambiguous-month' }]);

    const kind = kinds.find((k) => k.id === 'transfer-employment');
    const page = ledgerRowsPage({ evidence: 1, sheet: '转移就业' }, parsed, kind, makePeriod('2019-01-01', '2019-12-31'), {});
    expect(page.rows.filter((r) => r.problems.length).map((r) => [r.row, r.problems.map((p) => p.zh)])).toEqual([
      [3, ['起始日期“2019.1”是数字，看不出是 2019 年 1 月还是 10 月（Excel 把 2019.10 存成 2019.1），未读入；请在表中改为文本（如 2019-10）或设置两位小数格式后重新导入']],
    ]);
  });

  it('leaves figures alone: 2019.1 in a money column is the same number either way', async () => {
    const sheet = XLSX.utils.aoa_to_sheet([
      ['项目名称', '资金金额（万元）', '资金类别'],
      ['甲项目', 2019.1, '产业发展'],
      ['乙项目', 2019.1, '产业发展'],
    ]);
    (sheet.B2 as XLSX.CellObject).z = '0.00';
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, '资金项目');
    const read = await readLedgerBytes(XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer, 'xlsx', '资金项目.xlsx');
    const parsed = parseSheet(read.sheets[0], kinds);
    expect(parsed?.kind).toBe('fund-projects');
    expect(parsed?.rows.map((r) => r.values.amount)).toEqual([2019.1, 2019.1]);
    expect(parsed?.unmatched).toEqual([]);
  });
});

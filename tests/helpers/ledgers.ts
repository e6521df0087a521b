import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import type { Grid, Merge } from '../../shared/ledger/grid.js';
import { checkCharacter } from '../../shared/ledger/id-number.js';

/**
 * Realistic county ledgers with planted problems and the truth about them: a merged title row, a 填报单位 line,
 * a two-row merged header (就业地区 over 东部 | 省内 | 省外其他 tick columns), a second sheet with a one-row header
 * and destination words, a wrong 合计 row, notes under the table, duplicates, a bad check digit, a row of last
 * year, a person in two disjoint parts, a GBK CSV and a BIFF8 .xls, and a self-evaluation report with a wrong figure.
 * The grids feed the pure core directly; the writers turn them into the files offices send.
 */

/** A valid 18-digit ID number (GB 11643) from a region, a birth date and a sequence. */
export function makeIdNumber(region: string, birth: string, seq: number): string {
  const first = `${region}${birth}${String(seq).padStart(3, '0')}`;
  return first + checkCharacter(first);
}

/** The same number with its check character replaced by a wrong one. */
export function breakCheckDigit(id: string): string {
  const wrong = id[17] === '1' ? '2' : '1';
  return id.slice(0, 17) + wrong;
}

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const GIVEN = ['建国', '秀英', '志强', '桂兰', '海燕', '国华', '丽娟', '永红', '小军', '春梅', '文斌', '玉兰', '德明', '晓东', '金花'];

function person(i: number): { name: string; id: string } {
  const name = SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length];
  const year = 1965 + (i % 35);
  const month = String(1 + (i % 12)).padStart(2, '0');
  const day = String(1 + (i % 28)).padStart(2, '0');
  return { name, id: makeIdNumber(i % 2 ? '621022' : '620523', `${year}${month}${day}`, 100 + i) };
}

export type PlantedProblem = { kind: string; file: string; sheet?: string; rows: number[] };

export type LedgerScenario = {
  files: { name: string; grids: Grid[]; format: 'xlsx' | 'xls' | 'csv' }[];
  report: { name: string; text: string };
  /** Computed values every target with a ledger must have (2017 template, period 2019). */
  truth: Record<string, number>;
  planted: PlantedProblem[];
  periodStart: string;
  periodEnd: string;
};

type Dest = 'east' | 'in' | 'other';
const DEST_TICK: Record<Dest, number> = { east: 0, in: 1, other: 2 };
const DEST_WORDS: Record<Dest, string[]> = {
  east: ['到结对东部地区就业', '天津市津南区', '东部'],
  in: ['省内就近就业', '县内就近', '省内县外'],
  other: ['其他地区', '省外', '其他'],
};

/** The ledger set of one county for 2019, with what a careful inspector would find in it. */
export function makeScenario(): LedgerScenario {
  const planted: PlantedProblem[] = [];
  const transferFile = '2019年转移就业台账.xlsx';
  // Sheet 1 城关镇: title, 填报单位 line, blank row, two-row header (rows 4–5), data from row 6.
  const s1: string[][] = [
    ['青山县2019年建档立卡贫困劳动力转移就业台账'],
    ['填报单位：青山县人力资源和社会保障局（盖章）', '', '', '', '', '', '', '', '', '填报时间：2019年12月20日'],
    [],
    ['序号', '姓名', '身份证号码', '乡镇', '人员类别', '就业地区', '', '', '就业单位', '就业时间', '月收入（元）'],
    ['', '', '', '', '', '东部', '省内', '省外其他', '', '', ''],
  ];
  const merges1: Merge[] = [{ r0: 0, c0: 0, r1: 0, c1: 10 }, { r0: 3, c0: 5, r1: 3, c1: 7 }];
  for (const c of [0, 1, 2, 3, 4, 8, 9, 10]) merges1.push({ r0: 3, c0: c, r1: 4, c1: c });
  const dests1: Dest[] = ['east', 'east', 'in', 'east', 'other', 'in', 'east', 'east', 'in', 'east', 'other', 'east'];
  const people1 = dests1.map((_, i) => person(i));
  const ids1 = people1.map((p) => p.id);
  let incomeSum = 0;
  dests1.forEach((d, i) => {
    const tick = ['', '', ''];
    tick[DEST_TICK[d]] = '√';
    const income = 3000 + i * 150;
    incomeSum += income;
    const date = i === 7 ? '2018-11-05' : `2019-${String(3 + (i % 9)).padStart(2, '0')}-10`;
    s1.push([String(i + 1), people1[i].name, i === 4 ? breakCheckDigit(people1[i].id) : people1[i].id, '城关镇', i % 3 ? '建档立卡贫困户' : '脱贫户', ...tick, `天津某公司${i}`, date, String(income)]);
  });
  // Row numbers as Excel shows them: data starts at row 6.
  planted.push({ kind: 'ledger-invalid-id', file: transferFile, sheet: '城关镇', rows: [6 + 4] });
  planted.push({ kind: 'ledger-out-of-period', file: transferFile, sheet: '城关镇', rows: [6 + 7] });
  const total1Row = s1.length + 1;
  s1.push(['合计', '', '', '', '', '', '', '', '', '', String(incomeSum + 500)]);
  planted.push({ kind: 'ledger-total-mismatch', file: transferFile, sheet: '城关镇', rows: [total1Row] });
  s1.push([]);
  s1.push(['填表说明：1.就业地区在对应栏内打“√”；2.身份证号码须填写18位；3.月收入以工资流水为准。']);

  // Sheet 2 古城乡: blank spacer, one-row header, destination in words, a duplicate and a double count.
  const s2: string[][] = [[], ['序号', '姓名', '身份证号', '乡镇', '人员类别', '就业去向', '务工单位', '外出时间']];
  const dests2: Dest[] = ['east', 'in', 'other', 'east', 'in', 'east', 'in'];
  const people2 = dests2.map((_, i) => person(40 + i));
  dests2.forEach((d, i) => {
    s2.push([String(i + 1), people2[i].name, people2[i].id, '古城乡', '监测对象', DEST_WORDS[d][i % 3], '某企业', `2019年${1 + i}月`]);
  });
  // The same person as 城关镇 row 6 (东部), again as 东部: a duplicate. Row numbers: header row 2, data from 3.
  const dupRow = s2.length + 1;
  s2.push(['8', people1[0].name, people1[0].id, '古城乡', '脱贫户', '天津', '某企业', '2019年9月']);
  planted.push({ kind: 'ledger-duplicate', file: transferFile, sheet: '古城乡', rows: [6, dupRow] });
  // The same person as 城关镇 row 7 (东部), here under 省内: counted in two parts.
  const dblRow = s2.length + 1;
  s2.push(['9', people1[1].name, ` ${people1[1].id.toLowerCase()}`, '古城乡', '脱贫户', '省内就近就业', '某企业', '2019.10']);
  planted.push({ kind: 'double-counted', file: transferFile, sheet: '古城乡', rows: [7, dblRow] });
  s2.push(['小计', '', '', '', '', '', '', '']);

  // Truth for the transfer targets: rows in period, distinct ID numbers, per destination.
  const rows: { id: string; dest: Dest }[] = [];
  dests1.forEach((d, i) => {
    if (i !== 7) rows.push({ id: i === 4 ? breakCheckDigit(ids1[i]) : ids1[i], dest: d });
  });
  dests2.forEach((d, i) => rows.push({ id: people2[i].id, dest: d }));
  rows.push({ id: people1[0].id, dest: 'east' }, { id: people1[1].id, dest: 'in' });
  const distinct = (dest?: Dest) => new Set(rows.filter((r) => !dest || r.dest === dest).map((r) => r.id)).size;

  // Fund projects (.xls, BIFF8): 金额 in 万元, a 合计 row that is 10 万元 off.
  const fundFile = '2019年东西部扶贫协作资金项目台账.xls';
  const fund: string[][] = [
    ['2019年东西部扶贫协作财政援助资金项目台账'],
    ['单位：万元'],
    ['序号', '项目名称', '资金类别', '批复文号', '金额（万元）', '已拨付', '带动贫困人口'],
  ];
  const projects: [string, string, number, number, number][] = [
    ['城关镇蔬菜大棚', '产业发展', 320.5, 300, 120],
    ['劳务输出补贴', '就业扶贫', 85.25, 85.25, 400],
    ['古城乡饮水工程', '基础设施', 150, 150, 60],
    ['肉牛养殖合作社', '产业', 210, 180, 95],
  ];
  projects.forEach((p, i) => fund.push([String(i + 1), p[0], p[1], `青扶发〔2019〕${i + 3}号`, String(p[2]), String(p[3]), String(p[4])]));
  const fundSum = projects.reduce((s, p) => s + p[2], 0);
  const fundTotalRow = fund.length + 1;
  fund.push(['合 计', '', '', '', String(fundSum + 10), String(projects.reduce((s, p) => s + p[3], 0)), String(projects.reduce((s, p) => s + p[4], 0))]);
  planted.push({ kind: 'ledger-total-mismatch', file: fundFile, sheet: '资金项目', rows: [fundTotalRow] });
  fund.push(['注：本表资金为东西部扶贫协作财政援助资金，不含社会帮扶资金。']);
  const industry = projects.filter((p) => ['产业发展', '就业扶贫', '产业'].includes(p[1])).reduce((s, p) => s + p[2], 0);

  // Consumption (GBK CSV): amounts in 元 in the header, computed in 万元.
  const consumptionFile = '消费扶贫台账.csv';
  const cons: string[][] = [['日期', '销售主体', '购买方', '购买方地区', '产品', '金额（元）', '凭证件号']];
  const sales = [125000, 83000.5, 230000, 45600];
  sales.forEach((amount, i) => cons.push([`2019/${4 + i}/1${i}`, `青山县合作社${i}`, '天津某超市', i === 2 ? '本地' : '天津', '牛肉', amount.toFixed(2), `7.1-${i + 1}`]));

  // Public-welfare posts (xlsx): one person also counted as working in the east.
  const postsFile = '公益性岗位台账.xlsx';
  const posts: string[][] = [['公益性岗位人员花名册'], ['姓名', '身份证号', '岗位名称', '上岗时间', '月补贴（元）']];
  const people3 = [person(60), person(61), people1[3]];
  people3.forEach((p, i) => posts.push([p.name, p.id, ['护林员', '保洁员', '水管员'][i], '2019-05-01', '800']));
  planted.push({ kind: 'ledger-cross-check', file: postsFile, sheet: 'Sheet1', rows: [5] });

  const east = distinct('east');
  const report = {
    name: '青山县2019年东西部扶贫协作自评报告.txt',
    text: `一年来，全县帮助建档立卡贫困人口转移就业${distinct()}人，其中赴天津就业${east + 3}人，省内就近就业${distinct('in')}人。\n消费扶贫${Math.round((sales.reduce((s, a) => s + a, 0) / 10000) * 100) / 100}万元。`,
  };
  planted.push({ kind: 'figure-mismatch', file: report.name, rows: [] });

  return {
    files: [
      { name: transferFile, format: 'xlsx', grids: [{ name: '城关镇', cells: s1, merges: merges1 }, { name: '古城乡', cells: s2, merges: [] }] },
      { name: fundFile, format: 'xls', grids: [{ name: '资金项目', cells: fund, merges: [{ r0: 0, c0: 0, r1: 0, c1: 6 }] }] },
      { name: consumptionFile, format: 'csv', grids: [{ name: '消费扶贫台账', cells: cons, merges: [] }] },
      { name: postsFile, format: 'xlsx', grids: [{ name: 'Sheet1', cells: posts, merges: [{ r0: 0, c0: 0, r1: 0, c1: 4 }] }] },
    ],
    report,
    truth: {
      '5.2-t1': distinct(),
      '5.2-t2': east,
      '5.2-t3': distinct('in'),
      '5.2-t4': distinct('other'),
      '3.2-t1': Math.round(fundSum * 1e4) / 1e4,
      '6.2-t1': Math.round((industry / fundSum) * 10000) / 100,
      '7.1-t1': Math.round((sales.reduce((s, a) => s + a, 0) / 10000) * 1e4) / 1e4,
    },
    planted,
    periodStart: '2019-01-01',
    periodEnd: '2019-12-31',
  };
}

/** Writes the scenario's files (and its report) into a folder, as offices send them. */
export async function writeScenario(scenario: LedgerScenario, dir: string): Promise<void> {
  for (const file of scenario.files) {
    const target = path.join(dir, file.name);
    if (file.format === 'xlsx') await writeXlsx(file.grids, target);
    else if (file.format === 'xls') writeXls(file.grids, target);
    else writeFileSync(target, iconv.encode(file.grids[0].cells.map((r) => r.map(csvCell).join(',')).join('\r\n'), 'gbk'));
  }
  writeFileSync(path.join(dir, scenario.report.name), scenario.report.text);
}

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Figures as numbers, as Excel stores what is typed; everything else (ID numbers, 2019.10 typed as a month, which
 * offices enter as text so that Excel does not turn it into 2019.1) as text.
 */
function asStored(text: string): string | number {
  return /^-?\d{1,12}(\.\d+)?$/.test(text) && !/^\d{4}\.\d{1,2}$/.test(text) && !/^0\d/.test(text) ? Number(text) : text;
}

export async function writeXlsx(grids: Grid[], file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  for (const grid of grids) {
    const ws = wb.addWorksheet(grid.name);
    grid.cells.forEach((row, r) => row.forEach((text, c) => {
      if (text === '') return;
      // Numbers as numbers, as Excel stores them; everything else (ID numbers too) as text.
      ws.getCell(r + 1, c + 1).value = asStored(text);
    }));
    for (const m of grid.merges) ws.mergeCells(m.r0 + 1, m.c0 + 1, m.r1 + 1, m.c1 + 1);
  }
  await wb.xlsx.writeFile(file);
}

export function writeXls(grids: Grid[], file: string, bookType: 'biff8' | 'ods' = 'biff8'): void {
  const wb = XLSX.utils.book_new();
  for (const grid of grids) {
    const ws = XLSX.utils.aoa_to_sheet(grid.cells.map((row) => row.map(asStored)));
    ws['!merges'] = grid.merges.map((m) => ({ s: { r: m.r0, c: m.c0 }, e: { r: m.r1, c: m.c1 } }));
    XLSX.utils.book_append_sheet(wb, ws, grid.name);
  }
  // XLSX.writeFile needs SheetJS's fs hook under ESM; writing the buffer ourselves does not.
  writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType }) as Buffer);
}

/**
 * Reads a 整改 list as offices keep it (an XLSX or CSV from the provincial feedback, re-typed by the office): a
 * title row or two, a header row with words such as 问题/整改事项, 来源, 指标, 责任单位, 整改时限, 状态 — found by
 * aliases — then one problem a row. Rows that cannot be read are reported with their row number; values that
 * cannot be kept (a 时限 of 长期坚持, an unknown indicator) leave that field empty and are reported too.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { isIsoDate } from '../../../shared/domain/dates.js';
import { AppError } from '../../../shared/errors.js';
import type { NewRectification, RectificationStatus } from '../../../shared/rectification/types.js';
import { readCsv } from '../intake/readers/csv.js';

type Field = 'text' | 'source' | 'indicator' | 'department' | 'due' | 'status';

/** Header words per field, longest first within a field; a header matches when it equals or contains one. */
const ALIASES: Record<Field, string[]> = {
  text: ['整改事项', '问题描述', '存在问题', '反馈问题', '问题清单', '整改问题', '问题表现', '具体问题', '问题'],
  source: ['问题来源', '反馈来源', '来源'],
  indicator: ['指标编码', '对应指标', '考核指标', '指标'],
  department: ['责任单位', '责任部门', '牵头单位', '整改单位'],
  due: ['整改时限', '完成时限', '整改期限', '时限'],
  status: ['整改状态', '整改情况', '完成情况', '状态'],
};

const STATUS_WORDS: [RegExp, RectificationStatus][] = [
  [/销号|已验收|验收通过/, 'verified'],
  [/未整改|整改中|正在整改|未完成|推进中|持续整改/, 'open'],
  [/已整改|已完成|完成|整改到位/, 'rectified'],
];

export type ImportProblem = { row: number; message: string };
export type ImportedList = { items: NewRectification[]; problems: ImportProblem[]; headerRow: number };

const normalise = (text: string) => text.replace(/[\s\u3000]+/g, '').replace(/[（(].*?[)）]/g, '');

function fieldOf(header: string, taken: Set<Field>): Field | null {
  const h = normalise(header);
  if (!h) return null;
  for (const exact of [true, false]) {
    for (const [field, words] of Object.entries(ALIASES) as [Field, string[]][]) {
      if (taken.has(field)) continue;
      if (words.some((w) => (exact ? h === w : h.includes(w)))) return field;
    }
  }
  return null;
}

/** The first row (of the first 15) where a problem column and at least one other column are named. */
function findHeader(grid: string[][]): { row: number; columns: Map<Field, number> } | null {
  for (let r = 0; r < Math.min(grid.length, 15); r += 1) {
    const columns = new Map<Field, number>();
    grid[r].forEach((cell, c) => {
      const field = fieldOf(cell, new Set(columns.keys()));
      if (field) columns.set(field, c);
    });
    if (columns.has('text') && columns.size >= 2) return { row: r, columns };
  }
  return null;
}

/** 2019-10-31, 2019.10.31, 2019/10/31, 2019年10月31日 (and 2019年10月底 → last day) as ISO; else null. */
export function parseDue(text: string): string | null {
  const t = text.trim();
  const m = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$/.exec(t);
  const end = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?\s*(底|末)$/.exec(t);
  let iso: string | null = null;
  if (m) iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  else if (end) iso = new Date(Date.UTC(Number(end[1]), Number(end[2]), 0)).toISOString().slice(0, 10);
  return isIsoDate(iso) ? iso : null;
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (v && typeof v === 'object' && 'result' in v) return v.result instanceof Date ? v.result.toISOString().slice(0, 10) : String(v.result ?? '');
  return cell.text ?? '';
}

async function readGrid(file: string): Promise<string[][]> {
  const bytes = await readFile(file);
  if (/\.csv$/i.test(file)) return readCsv(bytes);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  } catch (error) {
    throw new AppError('corrupt', `无法读取“${path.basename(file)}”：它不是有效的 XLSX 文件。请用 WPS 或 Excel 打开后另存为 .xlsx 再导入。`, { cause: error });
  }
  const sheet = workbook.worksheets.find((s) => s.state === 'visible' && s.rowCount > 0);
  if (!sheet) return [];
  const grid: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, index) => {
    grid[index - 1] = Array.from({ length: sheet.columnCount }, (_, c) => cellText(row.getCell(c + 1)));
  });
  return Array.from(grid, (r) => r ?? []);
}

/** Reads the list; `indicatorExists` keeps only indicator codes of the workspace's framework. */
export async function readRectificationList(file: string, indicatorExists: (code: string) => boolean): Promise<ImportedList> {
  const grid = await readGrid(file);
  const header = findHeader(grid);
  if (!header) {
    throw new AppError('usage', `“${path.basename(file)}”中找不到表头：需要一列“问题”（或“整改事项”），以及来源、指标、责任单位、整改时限、状态中的至少一列。`);
  }
  const items: NewRectification[] = [];
  const problems: ImportProblem[] = [];
  const at = (r: string[], field: Field) => {
    const c = header.columns.get(field);
    return c === undefined ? '' : (r[c] ?? '').replace(/\s+/g, ' ').trim();
  };
  for (let r = header.row + 1; r < grid.length; r += 1) {
    const cells = grid[r] ?? [];
    const rowNumber = r + 1;
    if (cells.every((c) => !c.trim())) continue;
    const text = at(cells, 'text');
    if (!text) {
      problems.push({ row: rowNumber, message: `第 ${rowNumber} 行没有问题描述，未导入。` });
      continue;
    }
    const item: NewRectification = { text };
    const source = at(cells, 'source');
    if (source) item.source = source;
    const department = at(cells, 'department');
    if (department) item.department = department;
    const indicator = at(cells, 'indicator').replace(/^([\d.]+).*$/, '$1');
    if (indicator) {
      if (indicatorExists(indicator)) item.indicator = indicator;
      else problems.push({ row: rowNumber, message: `第 ${rowNumber} 行的指标“${indicator}”不在考核框架中，已留空。` });
    }
    const dueText = at(cells, 'due');
    if (dueText) {
      const due = parseDue(dueText);
      if (due) item.due = due;
      else problems.push({ row: rowNumber, message: `第 ${rowNumber} 行的整改时限“${dueText}”不是日期，已留空。` });
    }
    const statusText = at(cells, 'status');
    const status = statusText ? STATUS_WORDS.find(([re]) => re.test(statusText))?.[1] : undefined;
    if (status) item.status = status;
    else if (statusText) problems.push({ row: rowNumber, message: `第 ${rowNumber} 行的状态“${statusText}”无法识别，按未整改导入。` });
    items.push(item);
  }
  return { items, problems, headerRow: header.row + 1 };
}

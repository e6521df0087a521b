/**
 * 催报通知: a one-page notice in the office's name to one department — what it owes, by when, how to deliver —
 * as DOCX (GB/T 9704-ish, the binder's fonts and styles) or XLSX (the same list as the department's 待补清单).
 * The owed list here is also the collection kit's (./kits.ts), so the notice and the kit never disagree.
 */
import { Document, Packer, Paragraph, type Table } from 'docx';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../../../shared/domain/types.js';
import { EVIDENCE_TYPE_LABELS } from '../../../shared/domain/types.js';
import { AppError } from '../../../shared/errors.js';
import { findIndicator, listIndicators } from '../../../shared/framework/schema.js';
import { deadlineFor } from '../../../shared/gaps/rules/deadlines.js';
import { isOwed } from '../../../shared/gaps/owes.js';
import type { Deadline } from '../../../shared/team/types.js';
import { writeListSheet } from '../api/department-export.js';
import { listDeadlines } from '../db/deadlines.js';
import { safeFileName } from '../generators/package/safe-names.js';
import { STYLES, pageProperties } from '../generators/docx/layout.js';
import { bodyParagraph, table, text } from '../generators/docx/render.js';
import type { WorkspaceSnapshot } from '../workspace/types.js';
import type { Workspace } from '../workspace/workspace.js';
import { requireDepartment } from './deadlines.js';

/** One thing a department owes, as a notice, a kit folder and a 待交清单 row name it. */
export type OwedEntry = {
  indicator: string;
  indicatorTitle: string;
  /** Absent for debts that are not a slot (a target figure, an item's missing 文号). */
  requirement?: string;
  requirementTitle?: string;
  /** What counts (the framework's hint), else what is wrong. */
  hint: string;
  /** How many are still wanted, in words (还差 2 份, 缺 3 个月). */
  howMany: string;
  due?: string;
  overdue: boolean;
};

function howManyOf(f: Finding): string {
  switch (f.kind) {
    case 'missing-evidence':
      return `${f.detail.need} 份`;
    case 'too-few':
      return `还差 ${f.detail.short} 份`;
    case 'period-gap':
      return `缺 ${f.detail.missing.length} 期`;
    default:
      return '';
  }
}

/** What one department owes now, in framework order (the analysis's order), with due dates and lateness. */
export function owedList(snapshot: WorkspaceSnapshot, deadlines: readonly Deadline[], department: string): OwedEntry[] {
  const late = new Set(snapshot.gaps.findings.flatMap((f) => (f.kind === 'overdue' ? [f.detail.owed] : [])));
  const entries: OwedEntry[] = [];
  for (const f of snapshot.gaps.findings) {
    if (!isOwed(f) || f.department !== department || !f.indicator) continue;
    const indicator = findIndicator(snapshot.framework, f.indicator)?.indicator;
    const requirement = indicator?.requirements.find((r) => r.id === f.requirement);
    const due = deadlineFor(deadlines, department, f.indicator, f.requirement)?.due;
    entries.push({
      indicator: f.indicator,
      indicatorTitle: indicator?.title ?? '',
      ...(requirement ? { requirement: requirement.id, requirementTitle: requirement.title } : {}),
      hint: requirement ? (requirement.hint ?? `${EVIDENCE_TYPE_LABELS[requirement.type].zh}，${f.message}`) : f.message,
      howMany: howManyOf(f),
      ...(due ? { due } : {}),
      overdue: late.has(f.id),
    });
  }
  // Framework order (the order of the binder and of the kit's folders); debts that are not a slot after the slots.
  const order = new Map(listIndicators(snapshot.framework).flatMap(({ indicator }) => indicator.requirements.map((r) => r.id)).map((id, i) => [id, i]));
  const rank = (e: OwedEntry) => (e.requirement !== undefined ? (order.get(e.requirement) ?? order.size) : order.size + 1);
  return entries.sort((a, b) => rank(a) - rank(b));
}

export type NoticeOptions = { contact?: string; uploadAddress?: string };

/** The owed list of a department, with the workspace's deadlines (both exports and the kit start here). */
export async function departmentOwed(ws: Workspace, department: string): Promise<{ snapshot: WorkspaceSnapshot; entries: OwedEntry[] }> {
  const name = requireDepartment(ws.framework(), department);
  const snapshot = await ws.snapshot();
  const deadlines = await listDeadlines(ws.teamScope().store.reader);
  return { snapshot, entries: owedList(snapshot, deadlines, name) };
}

const TITLE = '关于报送东西部协作考核佐证材料的催报通知';

function dueText(entry: OwedEntry): string {
  if (!entry.due) return '尽快';
  return entry.overdue ? `${entry.due}（已逾期）` : entry.due;
}

/** How to deliver: the team server when the office runs one, else a collection kit or the office in person. */
function deliveryLines(options: NoticeOptions): string[] {
  return options.uploadAddress
    ? [`请登录佐证材料汇编系统（${options.uploadAddress}），在“我的待交材料”中把文件上传到对应的材料要求下。`]
    : ['请向协作办索取本单位的收集包（zip 文件），把文件放进对应编号的文件夹后，将整个收集包交回协作办（U 盘或工作群均可）。'];
}

function contactLine(options: NoticeOptions): string {
  return options.contact?.trim() ? `联系人及电话：${options.contact.trim()}` : '联系人：____________  联系电话：____________';
}

/** 序号, 指标, 材料要求, 要求与说明, 数量, 报送期限 (the XLSX has the room for the indicator's title too). */
function noticeRows(entries: OwedEntry[], lateOnNewLine = false): string[][] {
  return entries.map((e, i) => [
    String(i + 1),
    `${e.indicator} ${e.indicatorTitle}`,
    e.requirementTitle ? `${e.requirement} ${e.requirementTitle}` : '—',
    e.hint,
    e.howMany || '—',
    lateOnNewLine ? dueText(e).replace('（已逾期）', '\n已逾期') : dueText(e),
  ]);
}

function intro(snapshot: WorkspaceSnapshot, department: string, entries: OwedEntry[]): string {
  const slots = entries.filter((e) => e.requirement !== undefined).length;
  const checks = entries.length - slots;
  const late = entries.filter((e) => e.overdue).length;
  const what = [slots ? `提供以下 ${slots} 项佐证材料` : '', checks ? `核实更正 ${checks} 个问题` : ''].filter(Boolean).join('，并');
  return `按照东西部协作考核工作安排，${snapshot.settings.title}（考核期 ${snapshot.settings.periodStart} 至 ${snapshot.settings.periodEnd}）需由${department}${what}${late ? `，其中 ${late} 项已超过报送期限` : ''}。请于期限前报送，逾期未报的将在考核中作为缺项处理。`;
}

const HEADINGS = ['一', '二', '三'];
const heading = (n: number, words: string): Paragraph => bodyParagraph([text(`${HEADINGS[n]}、${words}`, { font: '黑体' })], { indent: false });

async function noticeDocx(snapshot: WorkspaceSnapshot, department: string, entries: OwedEntry[], options: NoticeOptions, date: string): Promise<Buffer> {
  const office = snapshot.settings.unit || '县东西部协作工作领导小组办公室';
  const body: (Paragraph | Table)[] = [
    new Paragraph({ style: 'Title', children: [text(TITLE)] }),
    bodyParagraph(`${department}：`, { indent: false }),
    bodyParagraph(intro(snapshot, department, entries)),
  ];
  // Slots owed go in the table; what is to be checked and corrected (a figure, a person listed twice) is a sentence
  // each under its own heading — in a table cell of a portrait page such a sentence takes a page of its own.
  const slots = entries.filter((e) => e.requirement !== undefined);
  const checks = entries.filter((e) => e.requirement === undefined);
  let n = 0;
  if (slots.length) {
    body.push(heading(n++, '待报送材料'));
    // A4 portrait leaves 156 mm (小四 in the table): the indicator's title stays in the XLSX, the page names it by its code;
    // 序号/指标 hold two characters, 数量 "还差 1 份", 报送期限 a date on one line.
    const rows = noticeRows(slots, true).map(([i, indicator, requirement, hint, howMany, due]) => [i, indicator.split(' ')[0], requirement, hint, howMany, due]);
    body.push(table(['序号', '指标', '材料要求', '要求与说明', '数量', '报送期限'], [7, 7, 24, 35, 12, 15], rows, [0, 1, 4, 5]));
  }
  if (checks.length) {
    body.push(heading(n++, '需核实更正的事项'));
    const due = (e: OwedEntry): string => (e.due ? `期限 ${e.due}${e.overdue ? '，已逾期' : ''}` : '尽快');
    checks.forEach((e, i) => body.push(bodyParagraph(`${i + 1}. 指标 ${e.indicator}：${e.hint}（${due(e)}）`)));
  }
  const after: Paragraph[] = [
    heading(n, '报送方式'),
    ...deliveryLines(options).map((line) => bodyParagraph(line)),
    bodyParagraph(contactLine(options)),
    bodyParagraph(office, { align: 'right' }),
    bodyParagraph(`${date.slice(0, 4)}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`, { align: 'right' }),
  ];
  const doc = new Document({ creator: office, title: TITLE, styles: STYLES, sections: [{ properties: pageProperties(false), children: [...body, ...after] }] });
  return Packer.toBuffer(doc);
}

/** Writes the 催报通知 of one department into `dir` and returns its path. */
export async function exportNotice(ws: Workspace, department: string, format: 'docx' | 'xlsx', dir: string, options: NoticeOptions = {}): Promise<string> {
  const { snapshot, entries } = await departmentOwed(ws, department);
  const name = requireDepartment(ws.framework(), department);
  if (!entries.length) throw new AppError('usage', `${name}目前没有待补的佐证材料，无需催报。`);
  const date = ws.teamScope().now().toISOString().slice(0, 10);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, safeFileName(`${name}_催报通知_${date}.${format}`));
  if (format === 'docx') {
    writeFileSync(file, await noticeDocx(snapshot, name, entries, options, date));
  } else {
    await writeListSheet(file, {
      sheet: '催报通知',
      title: `${TITLE}（${name}）`,
      header: ['序号', '指标', '材料要求', '要求与说明', '数量', '报送期限'],
      widths: [6, 26, 30, 48, 10, 16],
      rows: noticeRows(entries),
      notes: [intro(snapshot, name, entries), ...deliveryLines(options), contactLine(options), `${snapshot.settings.unit || '协作办'}  ${date}`],
    });
  }
  return file;
}

import ExcelJS from 'exceljs';
import path from 'node:path';
import { EVIDENCE_TYPE_LABELS } from '../../../shared/domain/types.js';
import { findIndicator } from '../../../shared/framework/schema.js';
import { SEVERITY } from '../../../shared/vocabulary.js';
import type { WorkspaceSnapshot } from '../workspace/types.js';


/**
 * Writes one department's list of what it still owes as an XLSX the office can send to that department:
 * indicator, what is missing or wrong, what to do, with the assessment period in the title.
 */
export async function exportDepartmentOwes(snapshot: WorkspaceSnapshot, department: string, dir: string): Promise<string> {
  const owes = snapshot.gaps.summary.departments.find((d) => d.department === department);
  if (!owes) throw Object.assign(new Error(`没有找到单位“${department}”的待补材料清单。`), { code: 'not-found' });
  const findings = new Map(snapshot.gaps.findings.map((f) => [f.id, f]));
  const { settings } = snapshot;
  const rows = owes.items.map((item, index) => {
    const finding = findings.get(item.findingId);
    const indicator = findIndicator(snapshot.framework, item.indicator)?.indicator;
    const requirement = indicator?.requirements.find((r) => r.id === item.requirement);
    return [
      index + 1,
      indicator ? `${indicator.code} ${indicator.title}` : item.indicator,
      requirement ? `${requirement.title}（${EVIDENCE_TYPE_LABELS[requirement.type].zh}）` : (item.target ?? ''),
      item.message,
      finding?.action ?? '',
      finding ? SEVERITY[finding.severity].zh : '',
    ];
  });
  const safe = department.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 60);
  const file = path.join(dir, `${safe}_待补材料清单.xlsx`);
  await writeListSheet(file, {
    sheet: '待补材料',
    title: `${department} 待补佐证材料清单（${settings.title}，考核期 ${settings.periodStart} 至 ${settings.periodEnd}）`,
    header: ['序号', '指标', '材料要求', '问题', '请这样处理', '级别'],
    widths: [6, 28, 28, 48, 40, 8],
    rows,
  });
  return file;
}

export type ListSheet = {
  sheet: string;
  title: string;
  header: string[];
  /** Column widths in characters, one per header. */
  widths: number[];
  rows: (string | number)[][];
  /** Lines under the table (how to deliver, who to call). */
  notes?: string[];
};

/**
 * One list a person prints or sends on (a department's 待补清单, a 催报通知, a kit's 待交清单, the audit log): a bold
 * title, a header row, wrapped cells, A4 landscape fitted to the width. Fixed creation dates so two exports of the
 * same list are the same file.
 */
export async function writeListSheet(file: string, list: ListSheet): Promise<void> {
  const book = new ExcelJS.Workbook();
  book.created = new Date(0);
  book.modified = new Date(0);
  const sheet = book.addWorksheet(list.sheet, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  const last = String.fromCharCode(64 + list.header.length);
  sheet.mergeCells(`A1:${last}1`);
  sheet.getCell('A1').value = list.title;
  sheet.getCell('A1').font = { bold: true, size: 14 };
  sheet.addRow([]);
  sheet.addRow(list.header).font = { bold: true };
  for (const row of list.rows) sheet.addRow(row);
  if (list.notes?.length) {
    sheet.addRow([]);
    for (const note of list.notes) sheet.addRow([note]);
  }
  list.widths.forEach((width, i) => {
    sheet.getColumn(i + 1).width = width;
    sheet.getColumn(i + 1).alignment = { wrapText: true, vertical: 'top' };
  });
  await book.xlsx.writeFile(file);
}

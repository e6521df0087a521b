import ExcelJS from 'exceljs';
import type { BinderPlan } from '../../../../shared/binder/types.js';
import { rezipWithFixedTime } from './zip-io.js';

/**
 * DA/T 22-2015 归档文件目录 columns, plus 指标编码 so a reader finds the indicator, and where the file sits in
 * the package. Widths (in Excel character units, ≈ 1.87 mm each) of the printed columns add up to 141, which
 * fits the 271 mm between 0.5-inch margins of A4 landscape at 100 %: the sheet prints at its own 10 pt
 * instead of being shrunk to fit. 包内位置 is for the screen and stays outside the print area.
 */
export const CATALOGUE_COLUMNS = [
  { header: '序号', key: 'seq', width: 5 },
  { header: '档号', key: 'archivalCode', width: 22 },
  { header: '文号', key: 'docNumber', width: 16 },
  { header: '责任者', key: 'issuer', width: 14 },
  { header: '题名', key: 'title', width: 33 },
  { header: '日期', key: 'date', width: 10 },
  { header: '密级', key: 'secrecy', width: 5 },
  { header: '页数', key: 'pages', width: 5 },
  { header: '备注', key: 'remarks', width: 14 },
  { header: '指标编码', key: 'indicator', width: 7 },
  { header: '卷号', key: 'volume', width: 5 },
  { header: '件号', key: 'number', width: 5 },
  { header: '包内位置', key: 'path', width: 40 },
] as const;

/** Columns printed on paper: all but 包内位置. */
const PRINTED_COLUMNS = CATALOGUE_COLUMNS.length - 1;

export type CatalogueExtras = {
  /** Path of each bound item inside the package, by evidence id. */
  pathOf?: (evidenceId: number) => string | undefined;
  /** Measured page counts (converted office files), by evidence id; falls back to the plan's known count. */
  pageCounts?: ReadonlyMap<number, number>;
};

/**
 * 目录.xlsx: one row per bound item (件) across all volumes, in binding order. A4 landscape as DA/T 22
 * recommends, header row repeated on every printed page.
 */
export async function renderCatalogueXlsx(plan: BinderPlan, extras: CatalogueExtras = {}): Promise<Buffer> {
  const generated = new Date(plan.generatedAt);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = plan.unit || 'EvidenceBinder';
  workbook.lastModifiedBy = plan.unit || 'EvidenceBinder';
  workbook.created = generated;
  workbook.modified = generated;
  workbook.title = `${plan.title} 归档文件目录`;

  const sheet = workbook.addWorksheet('归档文件目录', {
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      // Never shrink to fit (that printed at ~6 pt): the widths above fit the page at 100 %.
      fitToPage: false,
      scale: 100,
      printTitlesRow: '1:1',
      horizontalCentered: true,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  sheet.columns = CATALOGUE_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));

  let seq = 0;
  for (const volume of plan.volumes) {
    for (const item of volume.items) {
      seq += 1;
      const remarks = [...item.remarks];
      if (item.alsoUnder.length) remarks.push(`另见指标 ${item.alsoUnder.join('、')}`);
      sheet.addRow({
        seq,
        archivalCode: item.archivalCode ?? '',
        docNumber: item.docNumber ?? '',
        issuer: item.issuer ?? '',
        title: item.title,
        // Text, not a number or a date: DA/T 22 writes 8 digits, and Excel would reformat a date cell.
        date: item.date ?? '',
        secrecy: '',
        pages: extras.pageCounts?.get(item.evidenceId) ?? item.knownPages ?? '',
        remarks: remarks.join('；'),
        indicator: item.indicator,
        volume: volume.number,
        number: item.number,
        path: extras.pathOf?.(item.evidenceId) ?? '',
      });
    }
  }

  const header = sheet.getRow(1);
  header.font = { bold: true, name: '宋体', size: 11 };
  header.alignment = { horizontal: 'center', vertical: 'middle' };
  header.height = 22;
  sheet.eachRow((row, index) => {
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
      if (index > 1) {
        cell.font = { name: '宋体', size: 10 };
        cell.alignment = { vertical: 'middle', wrapText: true };
      }
    });
  });
  sheet.getColumn('date').numFmt = '@';
  sheet.pageSetup.printArea = `A1:${String.fromCharCode(64 + PRINTED_COLUMNS)}${Math.max(sheet.rowCount, 1)}`;

  const bytes = await workbook.xlsx.writeBuffer();
  return rezipWithFixedTime(new Uint8Array(bytes as ArrayBuffer), generated);
}

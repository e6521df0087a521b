/**
 * Spreadsheets other than .xlsx (.xls, WPS .et, .ods) are printed by the binder as its own A4 tables, as .xlsx and
 * .csv are, instead of going through LibreOffice's default print (column strips on US Letter, no grid).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseFonts, embedFace, type FontRole } from '../../electron/backend/fonts.js';
import { drawTablePages, readSheets } from '../../electron/backend/generators/pdf/table.js';
import type { Fonts } from '../../electron/backend/generators/pdf/text.js';
import type { Grid } from '../../shared/ledger/grid.js';
import { writeXls } from '../helpers/ledgers.js';

let dir: string;
const ROWS = 30;
const roster: Grid = {
  name: '挂职干部',
  cells: [
    ['2019年东西部扶贫协作挂职干部名册', '', '', '', ''],
    ['序号', '姓名', '派出单位', '挂职职务', '挂职时间'],
    ...Array.from({ length: ROWS }, (_, i) => [String(i + 1), `干部${i + 1}`, '东海市滨江区人民政府', `副县长${i + 1}`, '2019-03-01']),
  ],
  // The title is merged across the table: readers repeat it in every cell it covers.
  merges: [{ r0: 0, c0: 0, r1: 0, c1: 4 }],
};

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'table-sheets-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function printed(file: string, kind: 'xls' | 'ods'): Promise<{ text: string; sizes: number[][] }> {
  const sheets = await readSheets(file, kind, '名册');
  const doc = await PDFDocument.create();
  const faces = chooseFonts();
  const fonts = Object.fromEntries(
    await Promise.all((Object.keys(faces) as FontRole[]).map(async (role) => [role, await embedFace(doc, faces[role])] as const)),
  ) as Fonts;
  drawTablePages(doc, fonts, sheets);
  const out = path.join(dir, `${kind}.pdf`);
  writeFileSync(out, await doc.save());
  const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
  const sizes = doc.getPages().map((p) => [Math.round(p.getWidth()), Math.round(p.getHeight())]);
  return { text, sizes };
}

describe('.xls and .ods ledgers printed as tables', () => {
  for (const kind of ['xls', 'ods'] as const) {
    it(`prints a ${kind} roster on A4 landscape with its merged title as a title, every row once`, async () => {
      const file = path.join(dir, `名册.${kind}`);
      writeXls([roster], file, kind === 'xls' ? 'biff8' : 'ods');
      const { text, sizes } = await printed(file, kind);
      for (const size of sizes) expect(size).toEqual([842, 595]);
      expect(text).toContain('2019年东西部扶贫协作挂职干部名册');
      // The merged title is a caption above the table on each page, never its header (it would then fill every
      // header cell, and the real header would be printed as a data row on page 1 only).
      const pages = sizes.length;
      expect(pages).toBeGreaterThan(1);
      expect(text.match(/序号\s+姓名\s+派出单位\s+挂职职务\s+挂职时间/g)).toHaveLength(pages);
      expect(text.split('2019年东西部扶贫协作挂职干部名册').length - 1).toBe(pages);
      expect(text).not.toMatch(/挂职干部名册\s+2019年东西部扶贫协作挂职干部名册/);
      for (let i = 1; i <= ROWS; i++) expect(text.split(`副县长${i}\n`).length + text.split(`副县长${i} `).length - 2, `row ${i}`).toBeGreaterThanOrEqual(1);
      expect(text).toMatch(new RegExp(`第\\s*1\\s*页\\s*共\\s*${pages}\\s*页`));
    });
  }

  it('refuses a fake workbook with the reader’s Chinese reason', async () => {
    const file = path.join(dir, '假台账.xls');
    writeFileSync(file, 'not a workbook at all');
    await expect(readSheets(file, 'xls', '假台账')).rejects.toThrow(/[\u4e00-\u9fff]/);
  });
});

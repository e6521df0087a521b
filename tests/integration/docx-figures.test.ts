/**
 * The DOCX's dividers trace every computed figure to its ledger, as the PDF's do (issue 10): under 5.2's 协议指标 each
 * figure computed from the transfer-employment ledger names the ledger and where it is bound (卷 and 件号: the DOCX
 * holds the catalogue of every volume, not their pages), and that 件号 is the ledger's row in the DOCX's own
 * catalogue. The builds run without LibreOffice (null) or with a LibreOffice that cannot start: the TOC numbers are
 * then docx's estimate, and the build says so.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatWarning } from '../../shared/binder/warnings.js';
import { findLibreOffice } from '../../electron/backend/convert/libreoffice.js';
import { buildOutputs, type BuildResult } from '../../electron/backend/generators/build.js';
import { tocEntries } from '../../electron/backend/generators/docx/toc-pages.js';
import { readZipFiles } from '../../electron/backend/generators/package/zip-io.js';
import type { Workspace } from '../../electron/backend/workspace/workspace.js';
import type { LedgerScenario } from '../helpers/ledgers.js';
import { workspaceWithLedger } from './fixtures/output-workspace.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'binder-docx-figures-'));
let ws: Workspace;
let scenario: LedgerScenario;

beforeAll(async () => {
  ({ ws, scenario } = await workspaceWithLedger(root, 2));
}, 300_000);

afterAll(async () => {
  await ws?.close();
  rmSync(root, { recursive: true, force: true });
});

async function buildDocx(out: string, soffice: string | null, generatedAt = '2019-12-20T08:00:00.000Z'): Promise<{ result: BuildResult; xml: string; text: string }> {
  const result = await buildOutputs(await ws.snapshot(), ws, {
    outDir: path.join(root, out),
    formats: ['docx'],
    edition: 'submission',
    generatedAt,
    generatorVersion: '0.1.0-test',
    soffice,
  });
  const file = result.outputs.find((o) => o.format === 'docx')?.path ?? '';
  const xml = (await readZipFiles(file)).get('word/document.xml')?.toString('utf8') ?? '';
  // Paragraphs and table cells on their own lines, white space removed inside them.
  const text = xml
    .replace(/<w:instrText[^>]*>[^<]*<\/w:instrText>/g, '')
    .replace(/<\/w:(p|tc)>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/[ \t]+/g, '');
  return { result, xml, text };
}

describe('DOCX dividers', { timeout: 300_000 }, () => {
  it('print each computed figure with its ledger and the 卷 and 件号 it is bound under', async () => {
    const { text } = await buildDocx('figures', null);
    const cited = [...text.matchAll(/台账计算：(帮助建档立卡贫困人口转移就业|到结对东部地区就业|省内就近就业|到其他地区就业)(\d+)人（来源：转移就业台账，第(\d+)卷件号(\d+)）/g)];
    expect(cited.map((m) => [m[1], Number(m[2])])).toEqual([
      ['帮助建档立卡贫困人口转移就业', scenario.truth['5.2-t1']],
      ['到结对东部地区就业', scenario.truth['5.2-t2']],
      ['省内就近就业', scenario.truth['5.2-t3']],
      ['到其他地区就业', scenario.truth['5.2-t4']],
    ]);
    const places = new Set(cited.map((m) => `${m[3]}-${m[4]}`));
    expect(places.size).toBe(1);
    // The catalogue row under that label (顺序号 卷-件号) is the ledger's.
    const lines = text.split('\n');
    const row = lines.indexOf([...places][0]);
    expect(row).toBeGreaterThan(0);
    // A catalogue row: 顺序号, 文号, 责任者, 题名 (each cell its paragraph and its end).
    expect(lines.slice(row, row + 8).join('')).toContain('转移就业台账');
  });

  it('warn that the TOC page numbers are estimates when LibreOffice is missing or cannot start', async () => {
    const missing = await buildDocx('no-soffice', null);
    const broken = await buildDocx('broken-soffice', path.join(root, 'no-such-dir', 'soffice'));
    for (const { result } of [missing, broken]) {
      const toc = result.warnings.filter((w) => w.kind === 'docx-toc-estimated');
      expect(toc).toHaveLength(1);
      expect(toc[0]).toMatchObject({ volume: null, item: null });
      expect(formatWarning(toc[0])).toMatch(/^DOCX（报送版）目录中的页码为估算值（.+）：在 WPS\/Word 中打开时会自动更新/);
      expect(formatWarning(toc[0], 'en')).toMatch(/table of contents of the DOCX \(submission edition\) are estimates/);
    }
    expect(missing.result.warnings.find((w) => w.kind === 'docx-toc-estimated')?.message).toContain('未找到 LibreOffice');
    expect(formatWarning(missing.result.warnings.find((w) => w.kind === 'docx-toc-estimated') ?? missing.result.warnings[0], 'en')).toContain('LibreOffice was not found');
    expect(broken.result.warnings.find((w) => w.kind === 'docx-toc-estimated')?.message).toContain('无法启动 LibreOffice');
    // The estimate is still written: every TOC entry carries a page number of the body (which starts at 1).
    for (const { xml } of [missing, broken]) {
      const entries = tocEntries(xml);
      expect(entries.length).toBeGreaterThan(20);
      expect(entries.filter((e) => e.page < 1)).toEqual([]);
    }
  });

  it('reuse LibreOffice\'s TOC numbers for a rebuild of the same material at another time', async () => {
    const soffice = findLibreOffice();
    if (!soffice) throw new Error('LibreOffice is needed for this test (libreoffice-writer-nogui)');
    // A LibreOffice that notes each conversion it starts in a file (not the `--version` asked once for its profile).
    const starts = path.join(root, 'starts.txt');
    const wrapper = path.join(root, 'soffice-counting');
    writeFileSync(wrapper, `#!/bin/sh\ncase "$*" in *--convert-to*) echo start >> '${starts}';; esac\nexec '${soffice}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    const first = await buildDocx('toc-first', wrapper, '2019-12-20T08:00:00.000Z');
    const again = await buildDocx('toc-again', wrapper, '2019-12-31T16:30:00.000Z');
    expect(readFileSync(starts, 'utf8').trim().split('\n')).toEqual(['start']);
    for (const { result } of [first, again]) expect(result.warnings.filter((w) => w.kind === 'docx-toc-estimated')).toEqual([]);
    const pages = (xml: string) => tocEntries(xml).map((e) => [e.title, e.page]);
    expect(pages(first.xml).length).toBeGreaterThan(20);
    expect(pages(again.xml)).toEqual(pages(first.xml));
    // LibreOffice's numbers, not the stand-in zeros or docx's estimate: the first heading is on page 1, the last later.
    expect(pages(first.xml)[0][1]).toBe(1);
    expect(Number(pages(first.xml).at(-1)?.[1])).toBeGreaterThan(1);
    expect(again.text).toContain('编制日期：2019年12月31日');
  });
});

/**
 * Real-world files from other projects' test suites (tests/fixtures/realworld, with their licences): each one is
 * accounted for with what a user would see, and a file that would keep a reader busy for ever is flagged, not fatal.
 * The full corpus run (about 1 300 files) is `node scripts/corpus.mjs` + `binder import` under /usr/bin/time.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TOO_COMPLEX_REASON } from '../../electron/backend/intake/read-pool.js';
import { PDF_ENCRYPTED_REASON } from '../../electron/backend/intake/read.js';
import { importPaths } from '../../electron/backend/workspace/import.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';

const fixtures = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'realworld');
let root: string;
let inbox: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'intake-realworld-'));
  inbox = path.join(root, 'inbox');
  mkdirSync(inbox);
  for (const dir of readdirSync(fixtures, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const file of readdirSync(path.join(fixtures, dir.name)).filter((f) => f !== 'LICENSE')) {
      copyFileSync(path.join(fixtures, dir.name, file), path.join(inbox, file));
    }
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

it('imports every sample: a cyclic PDF is flagged too complex, passwords are named, the rest is read', async () => {
  const ws = (await Workspace.init(path.join(root, 'ws'), { templateId: 'east-west-2017', periodStart: '2019-01-01', periodEnd: '2019-12-31' }));
  try {
    // Limits lowered so the endless file is stopped within seconds; the other files need far less.
    const report = await importPaths(ws, [inbox], { readLimits: { heapMb: 128, timeoutMs: 30_000, rssGrowthBytes: 400 * 1024 * 1024 } });
    expect(report.rejected).toEqual([]);
    expect(report.imported).toHaveLength(10);
    const byName = new Map((await ws.listEvidence()).map((ev) => [ev.originalName, ev]));
    expect(byName.get('operator_list_cycle.pdf')).toMatchObject({ readability: 'complex', readError: TOO_COMPLEX_REASON });
    expect(byName.get('libreoffice-writer-password.pdf')).toMatchObject({ readability: 'encrypted', readError: PDF_ENCRYPTED_REASON });
    expect(byName.get('imagemagick-CCITTFaxDecode.pdf')).toMatchObject({ readability: 'ok', scanned: true, pages: 1 });
    expect(byName.get('tests__pass_protected.xlsx')?.readability).toBe('encrypted');
    expect(byName.get('tests__pass_protected.xlsx')?.readError).toContain('密码');
    expect(byName.get('tests__pass_protected.ods')).toMatchObject({ readability: 'encrypted', readError: expect.stringContaining('密码') });
    expect(byName.get('tests__any_sheets.xlsx')).toMatchObject({ readability: 'ok', type: 'ledger' });
    // xlrd's BIFF8 workbooks (ragged rows, merged ranges and date formats, several sheets) are read like any .xls.
    for (const name of ['ragged.xls', 'Formate.xls', 'profiles.xls']) expect(byName.get(name)?.readability, name).toBe('ok');
    const docx = byName.get('test.docx');
    expect(docx?.readability).toBe('ok');
    expect((await ws.search('python-docx'))).toContain(docx?.id);
    // Each unreadable one is in the findings with what to do about it.
    const unreadable = (await ws.gaps()).findings.filter((f) => f.kind === 'unreadable').map((f) => f.message);
    expect(unreadable.some((m) => m.includes('operator_list_cycle') && m.includes('文件结构过于复杂'))).toBe(true);
    expect(unreadable.filter((m) => m.includes('文件已加密'))).toHaveLength(3);
  } finally {
    await ws.close();
  }
});

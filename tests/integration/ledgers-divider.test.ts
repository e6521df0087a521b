import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOutputs } from '../../electron/backend/generators/build.js';
import { workspaceWithLedger } from './fixtures/output-workspace.js';

/**
 * Every figure traceable in the submission binder (issue 10): the divider of 5.2 prints each figure computed from
 * the ledgers with the ledger's name and the page where that ledger is bound. Pages are only known after
 * pagination, so the test reads the built PDF page by page and checks that the cited page is where the ledger starts.
 */

const root = mkdtempSync(path.join(os.tmpdir(), 'binder-ledger-divider-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const pageText = (file: string, page: number): string =>
  execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
const pageCount = (file: string): number => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);

describe('computed figures on the divider', { timeout: 300_000 }, () => {
  it('cite the ledger by name and the page where it is bound', async () => {
    // A document of several pages filed with the ledgers, so the ledger does not simply follow the divider.
    const { ws, scenario } = await workspaceWithLedger(root, 4);
    try {
      const result = await buildOutputs(await ws.snapshot(), ws, {
        outDir: path.join(root, 'out'),
        formats: ['pdf'],
        edition: 'submission',
        generatedAt: '2019-12-20T08:00:00.000Z',
        generatorVersion: '0.1.0-test',
      });
      const volume = result.outputs.find((o) => o.items.some((i) => i.title.includes('转移就业台账')));
      expect(volume).toBeDefined();
      const file = volume?.path ?? '';
      const texts = Array.from({ length: pageCount(file) }, (_, i) => pageText(file, i + 1));

      const dividerAt = texts.findIndex((t) => t.includes('5.2') && t.includes('台账计算'));
      expect(dividerAt).toBeGreaterThan(0);
      const divider = texts[dividerAt];
      // Each of the four transfer-employment figures, with the ledger's name and one page.
      const cited = [...divider.matchAll(/台账计算：(帮助建档立卡贫困人口转移就业|到结对东部地区就业|省内就近就业|到其他地区就业)(\d+)人（来源：转移就业台账，第(\d+)页）/g)];
      expect(cited.map((m) => [m[1], Number(m[2])])).toEqual([
        ['帮助建档立卡贫困人口转移就业', scenario.truth['5.2-t1']],
        ['到结对东部地区就业', scenario.truth['5.2-t2']],
        ['省内就近就业', scenario.truth['5.2-t3']],
        ['到其他地区就业', scenario.truth['5.2-t4']],
      ]);
      const pages = new Set(cited.map((m) => Number(m[3])));
      expect(pages.size).toBe(1);
      const page = [...pages][0];

      // The divider's own number (— n —) ties printed page numbers to pages of the file.
      const own = Number(/—(\d+)—/.exec(divider)?.[1]);
      expect(own).toBeGreaterThan(0);
      const ledgerAt = dividerAt + (page - own);
      // The ledger starts on that page: its title is there and not on the page before (the 4-page plan is).
      expect(page).toBeGreaterThan(own + 1);
      expect(texts[ledgerAt]).toContain('青山县2019年建档立卡贫困劳动力转移就业台账');
      expect(texts[ledgerAt - 1]).not.toContain('青山县2019年建档立卡贫困劳动力转移就业台账');
      // The catalogue says the same page for the ledger.
      expect(volume?.items.find((i) => i.title.includes('转移就业台账'))?.page).toBe(page);
    } finally {
      await ws.close();
    }
  });
});

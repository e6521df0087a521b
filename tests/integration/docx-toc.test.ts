/**
 * The DOCX's table of contents as a LibreOffice user sees it: the demo's review and submission DOCX are built,
 * converted with a plain `soffice --convert-to pdf` (LibreOffice does not update fields, so it prints the TOC's
 * cached numbers), and for every TOC line the page it names must be the page whose footer number is printed
 * on the page where that heading stands. Read with pdftotext, independently of the code that computed them.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../electron/backend/demo/demo.js';
import { findLibreOffice } from '../../electron/backend/convert/libreoffice.js';
import { buildOutputs, type BuildResult } from '../../electron/backend/generators/build.js';
import type { Workspace } from '../../electron/backend/workspace/workspace.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'binder-toc-'));
let ws: Workspace;
const pdfs = new Map<string, string>();

beforeAll(async () => {
  ws = (await buildDemo(path.join(root, 'ws'), { database: null, now: () => new Date('2019-12-20T08:00:00Z') })).workspace;
  const docx: string[] = [];
  for (const edition of ['review', 'submission'] as const) {
    const result: BuildResult = await buildOutputs(await ws.snapshot(), ws, {
      outDir: path.join(root, edition),
      formats: ['docx'],
      edition,
      generatedAt: '2019-12-20T08:00:00.000Z',
      generatorVersion: 'test',
    });
    const file = result.outputs.find((o) => o.format === 'docx')?.path;
    if (!file) throw new Error(`no DOCX for ${edition}`);
    docx.push(file);
    pdfs.set(edition, path.join(root, 'pdf', `${path.basename(file, '.docx')}.pdf`));
  }
  const soffice = findLibreOffice();
  if (!soffice) throw new Error('LibreOffice is needed for this test (libreoffice-writer-nogui)');
  // What a user does: a plain conversion, own profile, no font mapping of ours.
  execFileSync(
    soffice,
    [`-env:UserInstallation=${pathToFileURL(path.join(root, 'profile')).href}`, '--headless', '--convert-to', 'pdf', '--outdir', path.join(root, 'pdf'), ...docx],
    { stdio: 'ignore', timeout: 300_000 },
  );
}, 600_000);

afterAll(async () => {
  await ws?.close();
  rmSync(root, { recursive: true, force: true });
});

type TocLine = { title: string; page: number };

/** TOC lines (title …… n) from the unnumbered pages, and the printed number of the page each body line is on. */
function readPdf(pdf: string): { toc: TocLine[]; headingPage: (title: string) => number | undefined } {
  const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\f');
  const toc: TocLine[] = [];
  const body: { number: number; lines: string[] }[] = [];
  for (const page of pages) {
    const lines = page
      .split('\n')
      .map((l) => l.replace(/\s+/g, ''))
      .filter(Boolean);
    const footer = lines.map((l) => /^—(\d+)—$/.exec(l)).find(Boolean);
    if (footer) {
      body.push({ number: Number(footer[1]), lines });
      continue;
    }
    let pending = '';
    for (const line of lines) {
      const entry = /^(.*?)\.{3,}(\d+)$/.exec(line);
      if (entry) {
        toc.push({ title: pending + entry[1], page: Number(entry[2]) });
        pending = '';
      } else if (toc.length || /^[一二三四五六七八九十]+、/.test(line)) pending += line;
    }
  }
  let from = 0;
  return {
    toc,
    // In document order, as the TOC lists them: the first body page at or after the previous heading.
    headingPage: (title) => {
      for (let i = from; i < body.length; i += 1) {
        if (body[i].lines.includes(title)) {
          from = i;
          return body[i].number;
        }
      }
      return undefined;
    },
  };
}

describe('DOCX table of contents after a LibreOffice conversion', () => {
  for (const edition of ['review', 'submission'] as const) {
    it(`prints, in the ${edition} edition, the page each heading is on`, () => {
      const { toc, headingPage } = readPdf(pdfs.get(edition) as string);
      // Seven categories and their indicators at least; the review edition adds the self-check and report.
      expect(toc.length).toBeGreaterThanOrEqual(edition === 'review' ? 35 : 30);
      expect(toc.map((t) => t.title)).toContain('一、组织领导');
      const wrong = toc
        .map((t) => ({ ...t, actual: headingPage(t.title) }))
        .filter((t) => t.actual !== t.page)
        .map((t) => `${t.title}: TOC ${t.page}, heading on ${t.actual ?? 'no page'}`);
      expect(wrong).toEqual([]);
    });
  }
});

// The pdf.js worker with kept CMaps is edited at build time into dist/ (scripts/build.mjs) and the bundled CLI loads
// it from beside itself; only a checkout without it edits a copy into the temp folder at run time.
import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Evidence } from '../../shared/domain/types.js';
import { BUILT_WORKER_FILE, writeBuiltWorker } from '../../electron/backend/intake/readers/pdfjs-worker.js';
import { buildCli, runCli } from '../helpers/cli.js';
import { chineseNonEmbeddedPdf } from '../helpers/raw-pdf.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'binder-pdfjs-built-'));
const savedTmp = process.env.TMPDIR;

afterAll(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  rmSync(root, { recursive: true, force: true });
});

/** Imports a non-embedded Chinese PDF with the CLI, its temp folder private to this run; returns what it left there. */
function importWithTemp(cli: string, name: string): { found: Evidence[]; temp: string[] } {
  const temp = path.join(root, `tmp-${name}`);
  mkdirSync(temp);
  const pdf = path.join(root, `${name}.pdf`);
  writeFileSync(pdf, chineseNonEmbeddedPdf([['青府办发〔2019〕7号', '关于做好劳务协作工作的通知', '2019年3月7日']], { fontName: 'STSong-Light' }));
  const ws = path.join(root, `ws-${name}`);
  // The CLI and its reader threads take their temp folder from TMPDIR.
  process.env.TMPDIR = temp;
  try {
    expect(runCli(cli, ['init', ws, '--template', 'east-west-2017', '--period', '2019-01-01..2019-12-31']).code).toBe(0);
    expect(runCli(cli, ['import', ws, pdf, '--no-ocr-wait']).code).toBe(0);
    const found = runCli(cli, ['list', ws, '--search', '劳务协作', '--json']).json as Evidence[];
    return { found, temp: readdirSync(temp).filter((f) => f.startsWith('evidence-binder-pdfjs')) };
  } finally {
    process.env.TMPDIR = savedTmp;
  }
}

describe('pdf.js worker edited at build time', () => {
  it('the bundled CLI reads with the built file and writes no run-time copy; without it, it makes one', async () => {
    const cli = await buildCli();
    const dir = path.dirname(cli);
    // As scripts/build.mjs lays out dist/cli: the reader worker and the edited pdf.js worker beside the CLI.
    await build({
      entryPoints: [path.resolve(import.meta.dirname, '../../electron/backend/intake/read-worker.ts')],
      outfile: path.join(dir, 'read-worker.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'error',
    });
    expect(writeBuiltWorker(dir)).toBe(true);

    const built = importWithTemp(cli, 'built');
    expect(built.found.map((e) => e.docNumber)).toEqual(['青府办发〔2019〕7号']);
    expect(built.temp).toEqual([]);

    rmSync(path.join(dir, BUILT_WORKER_FILE));
    expect(existsSync(path.join(dir, BUILT_WORKER_FILE))).toBe(false);
    const runTime = importWithTemp(cli, 'run-time');
    expect(runTime.found.map((e) => e.docNumber)).toEqual(['青府办发〔2019〕7号']);
    expect(runTime.temp).toHaveLength(1);
  }, 300_000);
});

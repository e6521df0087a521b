import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../../electron/backend/demo/demo.js';
import { buildOutputs } from '../../electron/backend/generators/build.js';
import type { Workspace } from '../../electron/backend/workspace/workspace.js';

// Runs in the "postgres" project: EVIDENCE_BINDER_DATABASE names the private test cluster.
const postgresUrl = process.env.EVIDENCE_BINDER_DATABASE;
const root = mkdtempSync(path.join(os.tmpdir(), 'binder-engines-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Everything a user sees of a workspace: items with their filing and metadata, search hits, targets, findings. */
async function observe(ws: Workspace) {
  const evidence = await ws.listEvidence();
  return {
    evidence: evidence.map(({ importedAt: _i, updatedAt: _u, ...rest }) => rest),
    texts: [...(await ws.evidenceTexts(evidence.map((e) => e.id))).entries()].sort((x, y) => x[0] - y[0]),
    search: {
      long: await ws.search('领导小组'),
      short: await ws.search('纪要'),
      latin: await ws.search('img'),
    },
    targets: await ws.targets(),
    gaps: await ws.gaps(),
    history: (await ws.history(1000)).map((h) => ({ batch: h.batch, undone: h.undone, event: h.event })),
  };
}

describe('the same folder on SQLite and on PostgreSQL', () => {
  it('imports, files, reports gaps and builds the same binder on both engines', async () => {
    expect(postgresUrl, 'the postgres project provides the test cluster').toMatch(/^postgres:\/\//);
    const now = () => new Date('2019-12-20T08:00:00Z');
    const sqlite = (await buildDemo(path.join(root, 'sqlite'), { database: null, now })).workspace;
    const postgres = (await buildDemo(path.join(root, 'postgres'), { database: postgresUrl, now })).workspace;
    expect(sqlite.database.engine).toBe('sqlite');
    expect(postgres.database.engine).toBe('postgres');

    const [a, b] = [await observe(sqlite), await observe(postgres)];
    expect(a.evidence.length).toBeGreaterThan(40);
    expect(a.gaps.findings.length).toBeGreaterThan(10);
    expect(a.search.long.length).toBeGreaterThan(0);
    expect(a.search.short.length).toBeGreaterThan(0);
    expect(b).toEqual(a);

    // One undo on each reverts the same action with the same words.
    expect(await postgres.undoLast()).toBe(await sqlite.undoLast());
    expect((await observe(postgres)).evidence).toEqual((await observe(sqlite)).evidence);

    const build = async (ws: Workspace, out: string) =>
      buildOutputs(await ws.snapshot(), ws, {
        outDir: path.join(root, out),
        formats: ['pdf', 'zip'],
        generatedAt: '2019-12-20T08:00:00.000Z',
        generatorVersion: 'test',
      });
    const [ra, rb] = [await build(sqlite, 'out-sqlite'), await build(postgres, 'out-postgres')];
    const shape = (r: typeof ra) => r.outputs.map((o) => ({ format: o.format, file: path.basename(o.path), pages: o.pages, items: o.items }));
    expect(shape(rb)).toEqual(shape(ra));
    expect(rb.warnings).toEqual(ra.warnings);
    // The binders read the same, page by page.
    for (const [i, output] of ra.outputs.entries()) {
      if (output.format !== 'pdf') continue;
      const text = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text(rb.outputs[i].path)).toBe(text(output.path));
    }
    await sqlite.close();
    await postgres.close();
  }, 600_000);
});

/** Folder hints through the real import: a department's folder tree files its photos; a flat drop stays as before. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makePhoto } from '../../electron/backend/demo/synth.js';
import { importPaths, reclassify } from '../../electron/backend/workspace/import.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';

let root: string;
beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'intake-folders-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('photos in 05劳务协作/5.2转移就业/照片/ are suggested for 5.2, the same photo dropped flat is not, and reclassify keeps it', async () => {
  const tree = path.join(root, '县人社局报送', '05劳务协作', '5.2转移就业', '照片');
  const flat = path.join(root, 'flat');
  mkdirSync(tree, { recursive: true });
  mkdirSync(flat);
  writeFileSync(path.join(tree, 'IMG_0001.jpg'), await makePhoto({ width: 640, height: 480, seed: 1, takenAt: '2019-04-02T09:00:00' }));
  writeFileSync(path.join(flat, 'IMG_0002.jpg'), await makePhoto({ width: 640, height: 480, seed: 2, takenAt: '2019-04-03T09:00:00' }));
  const ws = (await Workspace.init(path.join(root, 'ws'), { templateId: 'east-west-2017', periodStart: '2019-01-01', periodEnd: '2019-12-31' }));
  try {
    const report = await importPaths(ws, [path.join(root, '县人社局报送'), flat]);
    const bySource = new Map(report.imported.map((i) => [path.basename(i.source), i]));
    expect(bySource.get('IMG_0001.jpg')?.indicators).toEqual(['5.2']);
    expect(bySource.get('IMG_0002.jpg')?.indicators).toEqual([]);
    await reclassify(ws);
    const stored = (await ws.listEvidence()).find((ev) => ev.originalName === 'IMG_0001.jpg');
    expect(stored?.links.map((l) => `${l.indicator}:${l.origin}`)).toEqual(['5.2:suggested']);
  } finally {
    await ws.close();
  }
});

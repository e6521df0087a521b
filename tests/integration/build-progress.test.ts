import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../shared/domain/intake.js';
import { buildOutputs } from '../../electron/backend/generators/build.js';
import { makeTestWorkspace, type TestWorkspace } from './fixtures/output-workspace.js';

let ws: TestWorkspace;
let root: string;

beforeAll(async () => {
  ws = await makeTestWorkspace({ withOffice: true, officeFiles: 5 });
  root = await mkdtemp(join(tmpdir(), 'eb-build-progress-'));
});

afterAll(async () => {
  await ws?.cleanup();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('build progress', () => {
  it('reports conversion per document while LibreOffice works, never sitting at 转换 0/N', async () => {
    const events: ProgressEvent[] = [];
    await buildOutputs(ws.snapshot, ws.assets, {
      outDir: join(root, 'out'),
      formats: ['pdf'],
      generatedAt: '2019-12-20T08:00:00.000Z',
      generatorVersion: '0.1.0-test',
      onProgress: (e) => events.push({ ...e }),
    });
    const converting = events.filter((e) => e.stage === '转换');
    const total = converting[0].total;
    expect(total).toBe(6);
    const done = converting.map((e) => e.done);
    // Strictly increasing from 0 to all six, with counts in between (not one jump at the end).
    expect(done[0]).toBe(0);
    expect(done.at(-1)).toBe(total);
    for (let i = 1; i < done.length; i += 1) expect(done[i]).toBeGreaterThan(done[i - 1]);
    // At least one count between 0 and N (how many depends on how fast LibreOffice is: a quick machine shows one).
    expect(done.filter((n) => n > 0 && n < total).length).toBeGreaterThanOrEqual(1);
  });
});

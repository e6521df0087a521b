/**
 * The classifier model learned from the office's corrections is trained once per set of corrections: a server
 * importing one upload at a time reuses it, and every correction (a type chosen, a link made) is in the next one.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importPaths, learnedModel } from '../../electron/backend/workspace/import.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';

let root: string;
let ws: Workspace;
let ids: number[];

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'binder-learned-'));
  ws = await Workspace.init(path.join(root, 'ws'), { templateId: 'east-west-2017', periodStart: '2019-01-01', periodEnd: '2019-12-31' });
  const files = ['劳务协作协议.txt', '培训签到表.txt', '挂职干部名单.txt'].map((name, i) => {
    const file = path.join(root, name);
    writeFileSync(file, `${name.replace('.txt', '')}\n青山县人力资源和社会保障局 2019年${i + 3}月\n`);
    return file;
  });
  const report = await importPaths(ws, files);
  ids = report.imported.map((r) => r.id);
});

afterAll(async () => {
  await ws.close();
  rmSync(root, { recursive: true, force: true });
});

describe('learned classifier model', () => {
  it('is trained again only when the corrections change', async () => {
    const none = await learnedModel(ws);
    expect(none.examples).toHaveLength(0);
    expect(await learnedModel(ws)).toBe(none);

    await ws.update([ids[0]], { type: 'agreement' });
    const one = await learnedModel(ws);
    expect(one).not.toBe(none);
    expect(one.examples).toHaveLength(1);
    expect(one.examples[0].type).toBe('agreement');
    expect(await learnedModel(ws)).toBe(one);

    await ws.link([ids[1]], '5.3');
    const two = await learnedModel(ws);
    expect(two.examples).toHaveLength(2);
    expect(two.examples.find((e) => e.indicators)?.indicators).toEqual(['5.3']);

    // The same item corrected again: a new model with the new type.
    await ws.update([ids[0]], { type: 'minutes' });
    const again = await learnedModel(ws);
    expect(again).not.toBe(two);
    expect(again.examples.map((e) => e.type)).toContain('minutes');
  });
});

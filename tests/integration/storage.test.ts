import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { legacyEvent } from '../../electron/backend/db/migrations/0003-history-batches-and-jobs.js';
import { findDemoFont } from '../../electron/backend/demo/demo-files.js';
import { makePdf, makePhoto } from '../../electron/backend/demo/synth.js';
import { importPaths, reclassify } from '../../electron/backend/workspace/import.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'binder-storage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Set by the "postgres" project (tests/helpers/postgres-env.ts); the same tests then run on PostgreSQL. */
const postgresUrl = process.env.EVIDENCE_BINDER_DATABASE;
const engine = postgresUrl ? 'postgres' : 'sqlite';
let counter = 0;
const newDir = () => path.join(root, `ws-${++counter}`);

describe(`storage on ${engine}`, () => {
  it('converts each kind of version-1 history record to a typed event', () => {
    expect(legacyEvent('unlink', 4, { indicator: '1.2', before: { indicator: '1.2', origin: 'suggested', confidence: 0.5 } }, 't')).toEqual({
      action: 'unlink',
      evidenceId: 4,
      indicator: '1.2',
      before: { indicator: '1.2', requirement: null, origin: 'suggested', confidence: 0.5 },
    });
    expect(legacyEvent('accept', 4, { type: 'plan', indicators: ['1.1'] }, 't')).toMatchObject({ action: 'accept', linksBefore: null });
    expect(legacyEvent('restore', 4, {}, '2019-06-01T00:00:00Z')).toEqual({ action: 'restore', evidenceId: 4, deletedAt: '2019-06-01T00:00:00Z' });
    expect(legacyEvent('targets', null, { id: '4.2-t1', before: { target: 6, actual: null }, after: { target: 6, actual: 5, source: '台账' } }, 't')).toEqual({
      action: 'targets',
      id: '4.2-t1',
      before: { target: 6, actual: null, source: null },
      after: { target: 6, actual: 5, source: '台账' },
    });
    expect(legacyEvent('update', 4, { title: ['a', 'b'], isCopy: [0, 1], undone: true }, 't')).toEqual({
      action: 'update',
      evidenceId: 4,
      changes: { title: ['a', 'b'], is_copy: [0, 1] },
    });
  });

  it('refuses a workspace written by a newer version and leaves it untouched', async () => {
    const dir = newDir();
    await (await Workspace.init(dir, { templateId: 'east-west-2017' })).close();
    if (engine === 'sqlite') {
      const db = new Database(path.join(dir, 'binder.db'));
      db.pragma('user_version = 99');
      db.close();
      const before = readFileSync(path.join(dir, 'binder.db'));
      await expect(Workspace.open(dir)).rejects.toThrow(/更新版本.*数据版本 99/);
      expect(Buffer.compare(readFileSync(path.join(dir, 'binder.db')), before)).toBe(0);
    } else {
      const { schema } = JSON.parse(readFileSync(path.join(dir, 'database.json'), 'utf8')) as { schema: string };
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`UPDATE ${schema}.schema_version SET version = 99`);
      const tables = async () => (await client.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema])).rows;
      const before = await tables();
      await expect(Workspace.open(dir)).rejects.toThrow(/更新版本.*数据版本 99/);
      expect(await tables()).toEqual(before);
      expect((await client.query(`SELECT version FROM ${schema}.schema_version`)).rows).toEqual([{ version: 99 }]);
      await client.end();
    }
  });

  it('a PostgreSQL server that cannot be reached: one Chinese sentence with the URL tried, and nothing written', async () => {
    const dir = newDir();
    const url = 'postgres://binder:secret@127.0.0.1:1/evidence';
    const attempt = Workspace.init(dir, { templateId: 'east-west-2017', database: url });
    await expect(attempt).rejects.toThrow(/^无法连接 PostgreSQL 数据库 postgres:\/\/binder@127\.0\.0\.1:1\/evidence（.*），未做任何改动；/);
    await expect(Workspace.init(dir, { templateId: 'east-west-2017', database: url })).rejects.not.toThrow(/secret/);
    expect(existsSync(dir)).toBe(false);
  });

  it('keeps metadata where it was created, never a password in the folder, and every later open finds it', async () => {
    const dir = newDir();
    const ws = await Workspace.init(dir, { templateId: 'east-west-2017', title: '青山县' });
    expect(ws.database.engine).toBe(engine);
    const photo = path.join(root, `p-${counter}.jpg`);
    writeFileSync(photo, await makePhoto({ width: 640, height: 480, seed: 3, takenAt: '2019-06-12T09:35:12' }));
    await importPaths(ws, [photo]);
    await ws.close();
    if (engine === 'postgres') {
      expect(existsSync(path.join(dir, 'binder.db'))).toBe(false);
      const record = readFileSync(path.join(dir, 'database.json'), 'utf8');
      expect(JSON.parse(record)).toMatchObject({ engine: 'postgres', url: postgresUrl });
    } else {
      expect(existsSync(path.join(dir, 'database.json'))).toBe(false);
    }
    const again = await Workspace.open(dir);
    expect((await again.settings()).title).toBe('青山县');
    expect((await again.listEvidence()).map((e) => e.originalName)).toEqual([`p-${counter}.jpg`]);
    await again.close();
  });

  it('records one batch per user action: one undo reverts a batch edit of many items and a deletion of many, saying how many', async () => {
    const dir = newDir();
    const ws = await Workspace.init(dir, { templateId: 'east-west-2017' });
    const inbox = path.join(dir, '..', `inbox-${counter}`);
    mkdirSync(inbox);
    for (let i = 0; i < 5; i++) writeFileSync(path.join(inbox, `IMG_${i}.jpg`), await makePhoto({ width: 640, height: 480, seed: 10 + i }));
    await importPaths(ws, [inbox]);
    const ids = (await ws.listEvidence()).map((e) => e.id);
    await ws.update([ids[0]], { docNumber: '青政发〔2019〕1号' });
    await ws.update(ids, { date: '2019-05-01', caption: { place: '县政府' } });
    await ws.delete(ids.slice(1));
    expect((await ws.listEvidence()).map((e) => e.id)).toEqual([ids[0]]);
    expect(await ws.undoLast()).toBe('已撤销：4 份材料的删除');
    expect((await ws.listEvidence()).map((e) => e.id)).toEqual(ids);
    expect(await ws.undoLast()).toBe('已撤销：5 份材料的修改');
    const after = await ws.listEvidence();
    expect(after.map((e) => e.date ?? null)).toEqual(after.map(() => null));
    expect(after.every((e) => e.caption?.place === undefined)).toBe(true);
    // Origins and the user-confirmed marks are restored too: the items count as unconfirmed again.
    expect(await ws.userFields(ids[1])).toEqual([]);
    expect(await ws.userFields(ids[0])).toEqual(['docNumber']);
    // The earlier single edit is a separate action: still there until the next undo.
    expect((await ws.requireEvidence(ids[0])).docNumber).toBe('青政发〔2019〕1号');
    expect(await ws.undoLast()).toBe(`已撤销：材料 ${ids[0]} 修改 文号`);
    expect(await ws.userFields(ids[0])).toEqual([]);
    await ws.close();
  });

  it('re-suggestions are recorded and undone as one action; undoing a type edit makes the item unconfirmed again', async () => {
    const ws = await Workspace.init(newDir(), { templateId: 'east-west-2017' });
    const file = path.join(root, `notice-${counter}.pdf`);
    const font = findDemoFont();
    writeFileSync(file, await makePdf({ pages: [{ lines: ['青山县东西部扶贫协作工作领导小组', '2019年第3次会议纪要', '会议研究部署东西部扶贫协作工作。'] }], font: font.bytes, fontName: font.fontName }));
    await importPaths(ws, [file]);
    const [imported] = await ws.listEvidence();
    expect(imported.typeOrigin).toBe('suggested');

    // An older model suggested something else; re-suggesting brings back today's suggestion, as one history entry.
    await ws.applySuggestions([{ id: imported.id, type: { type: 'voucher', confidence: 0.4 }, links: [{ indicator: '3.1', requirement: null, origin: 'suggested', confidence: 0.4 }] }]);
    const stale = await ws.requireEvidence(imported.id);
    expect(await reclassify(ws)).toEqual({ changed: 1 });
    expect((await ws.history(1))[0].event.action).toBe('reclassify');
    expect(await ws.requireEvidence(imported.id)).toMatchObject({ type: imported.type, links: imported.links });
    expect(await ws.undoLast()).toBe(`已撤销：材料 ${imported.id} 重新建议分类`);
    expect(await ws.requireEvidence(imported.id)).toMatchObject({ type: 'voucher', links: stale.links });

    await ws.update([imported.id], { type: 'minutes', title: '第3次会议纪要' });
    expect(await ws.requireEvidence(imported.id)).toMatchObject({ typeOrigin: 'user', typeConfidence: 1, titleOrigin: 'user' });
    await ws.undoLast();
    const undone = await ws.requireEvidence(imported.id);
    expect(undone).toMatchObject({ type: 'voucher', typeOrigin: 'suggested', typeConfidence: 0.4, title: imported.title, titleOrigin: imported.titleOrigin });
    expect(await ws.userFields(imported.id)).toEqual([]);
    await ws.close();
  });
});

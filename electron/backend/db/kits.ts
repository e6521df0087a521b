import { randomBytes } from 'node:crypto';
import type { ReadableDb, WritableDb } from './connection.js';

/** One folder of a collection kit and the requirement whose files go in it. */
export type KitFolder = { folder: string; indicator: string; requirement: string; title: string };

export type KitRecord = { id: string; department: string; folders: KitFolder[]; createdAt: string; createdBy: string | null };

/** Meta keys of the kit signature: the workspace's own id (named in every kit) and the HMAC secret. */
const WORKSPACE_ID = 'workspace-id';
const KIT_SECRET = 'kit-secret';

export type KitKeys = { workspaceId: string; secret: string };

/** The workspace's id and kit secret, or undefined before the first kit was made. */
export async function kitKeys(db: ReadableDb): Promise<KitKeys | undefined> {
  const rows = await db.k.selectFrom('meta').select(['key', 'value']).where('key', 'in', [WORKSPACE_ID, KIT_SECRET]).execute();
  const byKey = new Map(rows.map((r) => [r.key, r.value]));
  const workspaceId = byKey.get(WORKSPACE_ID);
  const secret = byKey.get(KIT_SECRET);
  return workspaceId && secret ? { workspaceId, secret } : undefined;
}

/** The keys, made on first use (random; they never leave the database except the id, inside kits). */
export async function ensureKitKeys(db: WritableDb): Promise<KitKeys> {
  const known = await kitKeys(db);
  if (known) return known;
  const keys = { workspaceId: randomBytes(8).toString('hex'), secret: randomBytes(32).toString('hex') };
  for (const [key, value] of [[WORKSPACE_ID, keys.workspaceId], [KIT_SECRET, keys.secret]] as const) {
    await db.k.insertInto('meta').values({ key, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
  }
  return keys;
}

export async function insertKit(db: WritableDb, kit: KitRecord): Promise<void> {
  await db.k
    .insertInto('kits')
    .values({ id: kit.id, department: kit.department, folders: JSON.stringify(kit.folders), created_at: kit.createdAt, created_by: kit.createdBy })
    .execute();
}

export async function getKit(db: ReadableDb, id: string): Promise<KitRecord | undefined> {
  const row = await db.k.selectFrom('kits').selectAll().where('id', '=', id).executeTakeFirst();
  return row
    ? { id: row.id, department: row.department, folders: JSON.parse(row.folders) as KitFolder[], createdAt: row.created_at, createdBy: row.created_by }
    : undefined;
}

import type { ReadableDb, WritableDb } from './connection.js';

/** Keys of the meta table: the workspace's settings (JSON) and when it was created. */
export type MetaKey = 'settings' | 'created';

export async function getMeta(db: ReadableDb, key: MetaKey): Promise<string | undefined> {
  const row = await db.k.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function setMeta(db: WritableDb, key: MetaKey, value: string): Promise<void> {
  await db.k
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

import type { ReadableDb, WritableDb } from './connection.js';
import type { TargetRecord } from './history.js';

export async function targetRows(db: ReadableDb): Promise<Map<string, TargetRecord>> {
  const rows = await db.k.selectFrom('target_values').selectAll().execute();
  return new Map(rows.map((r) => [r.id, { target: r.target, actual: r.actual, source: r.source }]));
}

export async function putTarget(db: WritableDb, id: string, value: TargetRecord): Promise<void> {
  const { target, actual } = value;
  const source = value.source || null;
  await db.k
    .insertInto('target_values')
    .values({ id, target, actual, source })
    .onConflict((oc) => oc.column('id').doUpdateSet({ target, actual, source }))
    .execute();
}

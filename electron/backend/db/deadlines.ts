import type { Deadline } from '../../../shared/team/types.js';
import type { ReadableDb, WritableDb } from './connection.js';

/** Where a deadline applies: a department, optionally narrowed to one indicator or one requirement. */
export type DeadlineKey = { department: string; indicator?: string; requirement?: string };

function keyValues(key: DeadlineKey): { department: string; indicator: string; requirement: string } {
  return { department: key.department, indicator: key.indicator ?? '', requirement: key.requirement ?? '' };
}

/** Every deadline, by department, then the department-wide one before narrower ones. */
export async function listDeadlines(db: ReadableDb): Promise<Deadline[]> {
  const rows = await db.k.selectFrom('deadlines').selectAll().orderBy('department').orderBy('indicator').orderBy('requirement').execute();
  return rows.map((r) => ({
    department: r.department,
    ...(r.indicator ? { indicator: r.indicator } : {}),
    ...(r.requirement ? { requirement: r.requirement } : {}),
    due: r.due,
  }));
}

export async function getDeadline(db: ReadableDb, key: DeadlineKey): Promise<string | null> {
  const { department, indicator, requirement } = keyValues(key);
  const row = await db.k
    .selectFrom('deadlines')
    .select('due')
    .where('department', '=', department)
    .where('indicator', '=', indicator)
    .where('requirement', '=', requirement)
    .executeTakeFirst();
  return row?.due ?? null;
}

/** Sets a due date, or with null removes it. */
export async function putDeadline(db: WritableDb, key: DeadlineKey, due: string | null): Promise<void> {
  const values = keyValues(key);
  if (due === null) {
    await db.k
      .deleteFrom('deadlines')
      .where('department', '=', values.department)
      .where('indicator', '=', values.indicator)
      .where('requirement', '=', values.requirement)
      .execute();
    return;
  }
  await db.k
    .insertInto('deadlines')
    .values({ ...values, due })
    .onConflict((oc) => oc.columns(['department', 'indicator', 'requirement']).doUpdateSet({ due }))
    .execute();
}

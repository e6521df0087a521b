import type { ReviewState } from '../../../shared/domain/types.js';
import type { ReadableDb } from './connection.js';

/** Live submissions in one review state (optionally of one department), oldest first. */
export async function submissionIds(db: ReadableDb, state: ReviewState, department?: string): Promise<number[]> {
  let query = db.k.selectFrom('evidence').select('id').where('deleted_at', 'is', null).where('review_state', '=', state);
  if (department !== undefined) query = query.where('department', '=', department);
  const rows = await query.orderBy('id').execute();
  return rows.map((r) => r.id);
}

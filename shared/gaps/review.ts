import type { Evidence } from '../domain/types.js';

/**
 * A department's submission the office has not accepted (待审核) or has returned: it is kept and shown, but it
 * fills no slot and is bound into no edition until accepted. Items the office stored itself have no review state.
 */
export function awaitsReview(item: Pick<Evidence, 'reviewState'>): boolean {
  return item.reviewState === 'pending' || item.reviewState === 'returned';
}

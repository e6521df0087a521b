import type { Evidence } from '../domain/types.js';

type Submission = Pick<Evidence, 'id' | 'department' | 'reviewState' | 'links'>;

/**
 * For a returned submission, the newer submission its department has since made into the same requirement (the
 * replacement), if any. Built once over all items; asked per returned item (review list, findings).
 */
export function replacementFinder(all: readonly Submission[]): (item: Submission) => number | undefined {
  const slotsOf = (e: Submission) => e.links.map((l) => `${l.indicator}\u0000${l.requirement ?? ''}`);
  const latest = new Map<string, number>();
  for (const e of all) {
    if (!e.department || !e.reviewState || e.reviewState === 'returned') continue;
    for (const slot of slotsOf(e)) {
      const key = `${e.department}\u0000${slot}`;
      latest.set(key, Math.max(latest.get(key) ?? 0, e.id));
    }
  }
  return (e) => {
    if (e.reviewState !== 'returned' || !e.department) return undefined;
    const newer = slotsOf(e)
      .map((slot) => latest.get(`${e.department}\u0000${slot}`) ?? 0)
      .filter((id) => id > e.id);
    return newer.length ? Math.min(...newer) : undefined;
  };
}

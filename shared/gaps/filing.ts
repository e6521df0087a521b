import type { Evidence, Indicator, Requirement } from '../domain/types.js';
import type { AnalysisContext, PreparedEvidence } from './context.js';

/**
 * Which linked items belong to which evidence slot of an indicator.
 *
 * - A link that names a requirement of the indicator puts the item in that slot only. The user's own
 *   choice (origin "user") is honoured even when the type differs — they filed it there on purpose;
 *   a suggested link must still match the slot's type.
 * - Otherwise the item goes to every slot whose type (or `accepts`) matches — one file may fill several
 *   slots (一材多用) — except that when several slots accept the type, an item whose title matches a
 *   sibling's keywords but not this slot's keywords goes to the sibling.
 */
export type SlotFiling = {
  requirement: Requirement;
  /** Every linked item filed here, whether or not it counts (unreadable, out of period). */
  items: PreparedEvidence[];
};

export function acceptsType(requirement: Requirement, type: Evidence['type']): boolean {
  return requirement.type === type || (requirement.accepts?.includes(type) ?? false);
}

function matchesKeywords(requirement: Requirement, title: string): boolean {
  return (requirement.keywords ?? []).some((word) => title.includes(word));
}

export function fileIndicator(ctx: AnalysisContext, indicator: Indicator): SlotFiling[] {
  const slots = indicator.requirements.map((requirement) => ({ requirement, items: [] as PreparedEvidence[] }));
  const slotIndex = new Map(indicator.requirements.map((r, i) => [r.id, i]));
  // Slots accepting each type, computed once per indicator rather than once per item.
  const byType = new Map<Evidence['type'], number[]>();
  indicator.requirements.forEach((requirement, i) => {
    for (const type of new Set([requirement.type, ...(requirement.accepts ?? [])])) {
      const list = byType.get(type);
      if (list) list.push(i);
      else byType.set(type, [i]);
    }
  });
  const hasKeywords = indicator.requirements.map((r) => (r.keywords?.length ?? 0) > 0);
  for (const { prepared, links } of ctx.byIndicator.get(indicator.code) ?? []) {
    let named: number[] | undefined;
    for (const link of links) {
      if (link.requirement === undefined) continue;
      const index = slotIndex.get(link.requirement);
      // A stale requirement id (framework edited since) falls back to matching by type.
      if (index === undefined) continue;
      named ??= [];
      if ((link.origin === 'user' || acceptsType(slots[index].requirement, prepared.type)) && !named.includes(index)) {
        named.push(index);
      }
    }
    if (named) {
      for (const index of named) slots[index].items.push(prepared);
      continue;
    }
    const candidates = byType.get(prepared.type);
    if (!candidates) continue;
    if (candidates.length === 1 || !candidates.some((i) => hasKeywords[i])) {
      for (const index of candidates) slots[index].items.push(prepared);
      continue;
    }
    const matching = candidates.filter((i) => matchesKeywords(slots[i].requirement, prepared.title));
    for (const index of candidates) {
      const goesToSibling = hasKeywords[index] && matching.length > 0 && !matching.includes(index);
      if (!goesToSibling) slots[index].items.push(prepared);
    }
  }
  return slots;
}

/** Multi-selection in a list, as in Windows Explorer: click, Ctrl-click, Shift-click, Ctrl+A, arrows. */
export type Selection = {
  ids: ReadonlySet<number>;
  /** Where a Shift range starts. */
  anchor: number | null;
  /** The row the keyboard is on (and the one previewed). */
  focus: number | null;
};

export const emptySelection: Selection = { ids: new Set(), anchor: null, focus: null };

function range(order: readonly number[], from: number, to: number): number[] {
  const a = order.indexOf(from);
  const b = order.indexOf(to);
  if (a < 0 || b < 0) return [to];
  return order.slice(Math.min(a, b), Math.max(a, b) + 1);
}

export function selectClick(sel: Selection, order: readonly number[], id: number, mods: { shift?: boolean; ctrl?: boolean }): Selection {
  if (mods.shift && sel.anchor != null) {
    const ids = new Set(mods.ctrl ? sel.ids : []);
    for (const x of range(order, sel.anchor, id)) ids.add(x);
    return { ids, anchor: sel.anchor, focus: id };
  }
  if (mods.ctrl) {
    const ids = new Set(sel.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: id, focus: id };
  }
  return { ids: new Set([id]), anchor: id, focus: id };
}

export function selectAll(order: readonly number[], sel: Selection): Selection {
  return { ids: new Set(order), anchor: sel.anchor ?? order[0] ?? null, focus: sel.focus ?? order[0] ?? null };
}

/** Arrow keys: move the focus by `delta` rows; with Shift the selection grows from the anchor. */
export function moveFocus(sel: Selection, order: readonly number[], delta: number, shift: boolean): Selection {
  if (!order.length) return sel;
  const at = sel.focus == null ? -1 : order.indexOf(sel.focus);
  const nextIndex = Math.max(0, Math.min(order.length - 1, at < 0 ? (delta > 0 ? 0 : order.length - 1) : at + delta));
  const next = order[nextIndex];
  if (shift && sel.anchor != null) return { ids: new Set(range(order, sel.anchor, next)), anchor: sel.anchor, focus: next };
  return { ids: new Set([next]), anchor: next, focus: next };
}

/** Drops ids that are no longer in the list (after a filter or a delete). */
export function pruneSelection(sel: Selection, order: readonly number[]): Selection {
  const present = new Set(order);
  const ids = new Set([...sel.ids].filter((id) => present.has(id)));
  if (ids.size === sel.ids.size && (sel.focus == null || present.has(sel.focus))) return sel;
  return { ids, anchor: sel.anchor != null && present.has(sel.anchor) ? sel.anchor : null, focus: sel.focus != null && present.has(sel.focus) ? sel.focus : null };
}

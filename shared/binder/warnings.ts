/**
 * Build warnings are structured where they arise ({volume, item, kind, message}) and turned into a line of
 * text here only, so the CLI, the build screen and the tests print them the same way.
 */
import type { BuildWarning, BuildWarningKind } from './types.js';

export function buildWarning(kind: BuildWarningKind, message: string, where: { volume?: string | null; item?: string | null } = {}): BuildWarning {
  return { volume: where.volume ?? null, item: where.item ?? null, kind, message };
}

/** "第2卷 组织领导：第0004件《…》无法装订：…" — the volume once, then the message (which names the 件). */
export function formatWarning(w: BuildWarning): string {
  return w.volume ? `${w.volume}：${w.message}` : w.message;
}

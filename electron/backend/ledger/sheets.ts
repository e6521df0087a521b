import { readFile } from 'node:fs/promises';
import type { Evidence } from '../../../shared/domain/types.js';
import type { LedgerSheetData } from '../../../shared/ledger/compute.js';
import { parseSheet, type UserMapping } from '../../../shared/ledger/table.js';
import type { LedgerKind } from '../../../shared/ledger/types.js';
import type { StoredLedgerSheet } from '../db/ledgers.js';
import type { LedgerFormat } from './read.js';

/**
 * From a spreadsheet item to stored ledger sheets: read the original, find each sheet's table (the user's mapping
 * where there is one), and keep the reasons for what could not be read.
 */

export function ledgerFormatOf(format: string, fileName: string): LedgerFormat | undefined {
  if (format === 'xlsx' || format === 'xls' || format === 'et' || format === 'ods') return format;
  if (/\.csv$/i.test(fileName)) return 'csv';
  return undefined;
}

/** Bumped when parsing changes, so sheets read by an older version are read again. */
export const LEDGER_PARSER_VERSION = 2;

/** Below this, detection is a guess: the sheet is listed but not used for figures until the user maps it. */
export const MIN_LEDGER_CONFIDENCE = 0.5;

export function sourceKeyOf(item: Pick<Evidence, 'sha256'>): string {
  return `${item.sha256}:${LEDGER_PARSER_VERSION}`;
}

export function isLedgerCandidate(item: Pick<Evidence, 'format' | 'originalName'>): boolean {
  return ledgerFormatOf(item.format, item.originalName) !== undefined;
}

/** Reads one item's sheets; `user` holds the user's mappings by sheet name (kept on re-reading). */
export async function readItemLedgers(
  item: Pick<Evidence, 'id' | 'sha256' | 'format' | 'originalName'>,
  file: string,
  kinds: readonly LedgerKind[],
  user: ReadonlyMap<string, UserMapping>,
  at: string,
): Promise<StoredLedgerSheet[]> {
  const format = ledgerFormatOf(item.format, item.originalName);
  const base = { evidence: item.id, sourceKey: sourceKeyOf(item), parsedAt: at };
  if (!format) return [];
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return [{ ...base, sheet: '', origin: 'auto', problem: `“${item.originalName}”的原始文件无法读取，请重新导入。` }];
  }
  // SheetJS and the zip reader load on the first ledger read, not with every command (binder templates stays light).
  const { readLedgerBytes } = await import('./read.js');
  const read = await readLedgerBytes(bytes, format, item.originalName);
  const out: StoredLedgerSheet[] = read.problems.map((p) => ({ ...base, sheet: p.sheet ?? '', origin: 'auto', problem: p.reason }));
  for (const grid of read.sheets) {
    const mapping = user.get(grid.name);
    const parsed = parseSheet(grid, kinds, mapping);
    const entry: StoredLedgerSheet = { ...base, sheet: grid.name, origin: mapping ? 'user' : 'auto' };
    if (mapping) entry.userMapping = mapping;
    if (parsed) entry.parsed = parsed;
    else if (mapping) entry.problem = `工作表“${grid.name}”中找不到与所选台账类型相符的表头，请检查所选类型和列的对应。`;
    out.push(entry);
  }
  return out;
}

/** Sheets the analysis uses: a detected kind with enough confidence, or the user's mapping. */
export function usableSheets(stored: readonly StoredLedgerSheet[], live: ReadonlySet<number>): LedgerSheetData[] {
  const out: LedgerSheetData[] = [];
  for (const s of stored) {
    if (!s.parsed || !live.has(s.evidence)) continue;
    if (s.origin !== 'user' && s.parsed.confidence < MIN_LEDGER_CONFIDENCE) continue;
    out.push({ ...s.parsed, evidence: s.evidence });
  }
  return out;
}

import type { ColumnMapping, LedgerRow, ParsedSheet, TotalRow, UserMapping } from '../../../shared/ledger/table.js';
import type { ReadableDb, WritableDb } from './connection.js';

/** A sheet as stored: the parse, or the reason it could not be read. */
export type StoredLedgerSheet = {
  evidence: number;
  sheet: string;
  sourceKey: string;
  origin: 'auto' | 'user';
  userMapping?: UserMapping;
  parsed?: ParsedSheet;
  problem?: string;
  parsedAt: string;
};

type RowsJson = { rows: LedgerRow[]; totals: TotalRow[]; unmatched: ParsedSheet['unmatched'] };
type MappingJson = { columns: ColumnMapping[]; headers: string[] };

export async function ledgerKeys(db: ReadableDb): Promise<Map<number, string>> {
  const rows = await db.k.selectFrom('ledger_sheets').select(['evidence_id', 'source_key']).execute();
  return new Map(rows.map((r) => [r.evidence_id, r.source_key]));
}

/** Stored sheets, optionally of one item; `withRows: false` leaves the parsed rows out (lists). */
export async function ledgerSheets(db: ReadableDb, options: { evidence?: number; withRows?: boolean } = {}): Promise<StoredLedgerSheet[]> {
  let q = db.k
    .selectFrom('ledger_sheets')
    .select(['evidence_id', 'sheet', 'source_key', 'kind', 'mapping', 'mapping_origin', 'user_mapping', 'confidence', 'header_rows', 'row_count', 'problem', 'parsed_at'])
    .orderBy('evidence_id')
    .orderBy('position');
  if (options.evidence !== undefined) q = q.where('evidence_id', '=', options.evidence);
  const rows = await q.execute();
  const bodies = options.withRows === false ? new Map<string, string>() : await rowBodies(db, options.evidence);
  return rows.map((r) => {
    const out: StoredLedgerSheet = { evidence: r.evidence_id, sheet: r.sheet, sourceKey: r.source_key, origin: r.mapping_origin === 'user' ? 'user' : 'auto', parsedAt: r.parsed_at };
    if (r.user_mapping) out.userMapping = JSON.parse(r.user_mapping) as UserMapping;
    if (r.problem) out.problem = r.problem;
    if (r.kind) {
      const mapping = JSON.parse(r.mapping) as MappingJson;
      const body = bodies.get(`${r.evidence_id}\u0000${r.sheet}`);
      const parsedRows: RowsJson = body ? (JSON.parse(body) as RowsJson) : { rows: [], totals: [], unmatched: [] };
      out.parsed = {
        sheet: r.sheet,
        kind: r.kind,
        confidence: r.confidence,
        headerRows: JSON.parse(r.header_rows) as number[],
        columns: mapping.columns,
        headers: mapping.headers,
        ...parsedRows,
      };
      if (options.withRows === false) out.parsed.rows = new Array<LedgerRow>(r.row_count);
    }
    return out;
  });
}

async function rowBodies(db: ReadableDb, evidence?: number): Promise<Map<string, string>> {
  let q = db.k.selectFrom('ledger_sheets').select(['evidence_id', 'sheet', 'rows']).where('kind', 'is not', null);
  if (evidence !== undefined) q = q.where('evidence_id', '=', evidence);
  const rows = await q.execute();
  return new Map(rows.map((r) => [`${r.evidence_id}\u0000${r.sheet}`, r.rows]));
}

/** Replaces every stored sheet of one item by a new reading. */
export async function replaceLedgerSheets(db: WritableDb, evidence: number, sheets: StoredLedgerSheet[]): Promise<void> {
  await db.k.deleteFrom('ledger_sheets').where('evidence_id', '=', evidence).execute();
  for (const [position, s] of sheets.entries()) {
    const p = s.parsed;
    await db.k
      .insertInto('ledger_sheets')
      .values({
        evidence_id: evidence,
        sheet: s.sheet,
        position,
        source_key: s.sourceKey,
        kind: p?.kind ?? null,
        mapping: JSON.stringify({ columns: p?.columns ?? [], headers: p?.headers ?? [] } satisfies MappingJson),
        mapping_origin: s.origin,
        user_mapping: s.userMapping ? JSON.stringify(s.userMapping) : null,
        confidence: p?.confidence ?? 0,
        header_rows: JSON.stringify(p?.headerRows ?? []),
        row_count: p?.rows.length ?? 0,
        rows: JSON.stringify({ rows: p?.rows ?? [], totals: p?.totals ?? [], unmatched: p?.unmatched ?? [] } satisfies RowsJson),
        problem: s.problem ?? null,
        parsed_at: s.parsedAt,
      })
      .execute();
  }
}

/**
 * Puts a sheet's user mapping back (undo of ledgers.map): null returns the sheet to detection. The stored source key
 * is cleared so the workbook is read again with it on the next look.
 */
export async function restoreUserMapping(db: WritableDb, evidence: number, sheet: string, mapping: UserMapping | null): Promise<void> {
  await db.k
    .updateTable('ledger_sheets')
    .set({ user_mapping: mapping ? JSON.stringify(mapping) : null, mapping_origin: mapping ? 'user' : 'auto' })
    .where('evidence_id', '=', evidence)
    .where('sheet', '=', sheet)
    .execute();
  // Every sheet of the item: the workbook is read as a whole, and any stale key makes it read again.
  await db.k.updateTable('ledger_sheets').set({ source_key: '' }).where('evidence_id', '=', evidence).execute();
}

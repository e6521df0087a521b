import type { Framework, Target } from '../domain/types.js';
import { isInPeriod, type AssessmentPeriod } from '../gaps/periods.js';
import type { LedgerRow, ParsedSheet } from './table.js';
import type { LedgerValue } from './values.js';
import type { ComputeTerm, LedgerKind, LedgerWhere, TargetCompute } from './types.js';

/** A parsed sheet with the evidence item it was read from. */
export type LedgerSheetData = ParsedSheet & { evidence: number };

export type ComputedSource = { evidence: number; sheet: string; rows: number[] };

/** A target's figure computed from ledgers: value, the formula in words, and the rows it counted. */
export type ComputedValue = { value: number; formula: string; sources: ComputedSource[] };

/** Ledger sheets by kind, each row once, out-of-period rows set apart: built once per analysis. */
export type LedgerIndex = {
  kinds: Map<string, LedgerKind>;
  sheets: Map<string, LedgerSheetData[]>;
  period: AssessmentPeriod;
  /** Rows dated inside the period (or undated), per sheet: the rows that count. Split once, read by every rule. */
  counted: Map<LedgerSheetData, LedgerRow[]>;
  /** Rows dated outside the period, per sheet. */
  outside: Map<LedgerSheetData, LedgerRow[]>;
  /** What was derived from each sheet alone (reused across indexes while the sheet object is the same). */
  facts: Map<LedgerSheetData, SheetFacts>;
  /** Each counted row's value of a field as a small integer, per kind and field, made on first use (see ordinalsOf). */
  ordinals: Map<string, FieldOrdinals>;
  /** The computed figures of the index's framework, made on first use (computeTargets): they depend on nothing else. */
  computed?: ReadonlyMap<string, ComputedValue>;
};

/**
 * Each counted row's value of one field as an ordinal (-1 when empty), so counting distinct people and finding the
 * same person twice use typed arrays instead of sets of strings. Ordinals come from one table per kind and field
 * (see internTable) and are only compared for equality: their numbering carries no meaning.
 */
export type FieldOrdinals = { byRow: Map<LedgerSheetData, Int32Array>; count: number };

/**
 * Values to ordinals, per kind and field, kept across analyses: a sheet's ordinals stay valid while its table does,
 * so after one ledger changed only that ledger's values are looked up (the others' arrays are reused). A table only
 * grows; once it holds far more values than the ledgers now use (ledgers replaced many times), it starts afresh.
 *
 * ID numbers as stored (17 digits and a digit or X) are looked up by their digits, two integers in typed arrays,
 * not as strings in a Map: a newly opened workspace brings every row's string new, and hashing and comparing 50,000
 * of them in a large Map was the biggest part of its first analysis. Other values use the Map; ordinals of both
 * come from one counter.
 */
type InternTable = { ids: Map<LedgerValue, number>; size: number; digits: DigitTable };

/**
 * Open addressing over (high 9 digits, low 8 digits × 11 + check) pairs, three numbers a slot side by side so a probe
 * reads one cache line: high, low, ordinal + 1 (0 when the slot is empty).
 */
type DigitTable = { slots: Int32Array; capacity: number; used: number };

const digitTable = (capacity: number): DigitTable => ({ slots: new Int32Array(3 * capacity), capacity, used: 0 });

const internTables = new Map<string, InternTable>();

function internTable(key: string, rowsInUse: number): InternTable {
  const known = internTables.get(key);
  if (known && known.size <= 4 * rowsInUse + 4096) return known;
  const made: InternTable = { ids: new Map(), size: 0, digits: digitTable(1024) };
  internTables.set(key, made);
  return made;
}

/** The slot's offset holding (high, low), or the empty slot where it goes. */
function digitSlot(t: DigitTable, high: number, low: number): number {
  const mask = t.capacity - 1;
  const slots = t.slots;
  let h = Math.imul(high, 0x9e3779b1) ^ low;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  let slot = h ^ (h >>> 13);
  for (;;) {
    slot &= mask;
    const at = 3 * slot;
    if (slots[at + 2] === 0 || (slots[at] === high && slots[at + 1] === low)) return at;
    slot++;
  }
}

function growDigits(table: InternTable): void {
  const old = table.digits.slots;
  const made = digitTable(table.digits.capacity * 2);
  for (let at = 0; at < old.length; at += 3) {
    if (old[at + 2] === 0) continue;
    made.slots.set(old.subarray(at, at + 3), digitSlot(made, old[at], old[at + 1]));
  }
  made.used = table.digits.used;
  table.digits = made;
}

/** The ordinal of a stored-form ID number, or -1 when `v` has another form. */
function digitOrdinal(table: InternTable, v: string): number {
  if (v.length !== 18) return -1;
  let high = 0;
  let low = 0;
  for (let i = 0; i < 17; i++) {
    const d = v.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    if (i < 9) high = high * 10 + d;
    else low = low * 10 + d;
  }
  const last = v.charCodeAt(17);
  const check = last === 88 ? 10 : last - 48;
  if (check < 0 || check > 10) return -1;
  low = low * 11 + check;
  if (2 * (table.digits.used + 1) > table.digits.capacity) growDigits(table);
  const t = table.digits;
  const at = digitSlot(t, high, low);
  const slots = t.slots;
  if (slots[at + 2] !== 0) return slots[at + 2] - 1;
  slots[at] = high;
  slots[at + 1] = low;
  slots[at + 2] = ++table.size;
  t.used++;
  return table.size - 1;
}

function ordinalOf(table: InternTable, v: LedgerValue): number {
  if (typeof v === 'string') {
    const o = digitOrdinal(table, v);
    if (o >= 0) return o;
  }
  let id = table.ids.get(v);
  if (id === undefined) {
    id = table.size++;
    table.ids.set(v, id);
  }
  return id;
}

/**
 * What the analysis derives from one sheet alone, kept per sheet object: stored rows do not change, and a ledger
 * read again or remapped comes back as new objects (electron/backend/workspace/workspace.ts ledgerData).
 */
type SheetFacts = {
  kind: LedgerKind;
  start: string;
  end: string;
  valid: boolean;
  /** Rows dated inside the period (or undated): the rows that count. */
  counted: LedgerRow[];
  /** Rows dated outside the period. */
  outside: LedgerRow[];
  /** Ordinals of the counted rows per field, with the table they were taken from. */
  ordinals: Map<string, { table: InternTable; byRow: Int32Array }>;
  /** The counted rows' values of a field that filters compute terms, as codes (see fieldCodes). */
  codes: Map<string, FieldCodes>;
  /** Each compute term's pass over this sheet (see sheetTerm). */
  terms: Map<string, SheetTerm>;
};

/**
 * A filter field's value in each counted row as a small code (0: not a text value), with the code of each value:
 * several terms filter on the same field (就业地区 is 东部, 省内, 省外), and each reads these codes instead of every
 * row's value again.
 */
type FieldCodes = { byRow: Int32Array; values: Map<string, number> };

function fieldCodes(facts: SheetFacts, field: string): FieldCodes {
  const known = facts.codes.get(field);
  if (known) return known;
  const values = new Map<string, number>();
  const rows = facts.counted;
  const byRow = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i].values[field];
    if (typeof v !== 'string') continue;
    let code = values.get(v);
    if (code === undefined) {
      code = values.size + 1;
      values.set(v, code);
    }
    byRow[i] = code;
  }
  const made = { byRow, values };
  facts.codes.set(field, made);
  return made;
}

const sheetFacts = new WeakMap<LedgerSheetData, SheetFacts>();

function factsOfSheet(sheet: LedgerSheetData, kind: LedgerKind, period: AssessmentPeriod): SheetFacts {
  const known = sheetFacts.get(sheet);
  if (known && known.kind === kind && known.start === period.start && known.end === period.end && known.valid === period.valid) return known;
  // Usually no row is dated outside: then the sheet's own rows are the counted ones, without a copy.
  const all = sheet.rows;
  let first = 0;
  while (first < all.length && !rowOutOfPeriod(all[first], kind, period)) first++;
  let counted = all;
  const outside: LedgerRow[] = [];
  if (first < all.length) {
    counted = all.slice(0, first);
    for (let i = first; i < all.length; i++) (rowOutOfPeriod(all[i], kind, period) ? outside : counted).push(all[i]);
  }
  const made: SheetFacts = { kind, start: period.start, end: period.end, valid: period.valid, counted, outside, ordinals: new Map(), codes: new Map(), terms: new Map() };
  sheetFacts.set(sheet, made);
  return made;
}

function sheetOrdinals(facts: SheetFacts, field: string, table: InternTable): Int32Array {
  const known = facts.ordinals.get(field);
  if (known && known.table === table) return known.byRow;
  const rows = facts.counted;
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i].values[field];
    out[i] = v === undefined ? -1 : ordinalOf(table, v);
  }
  facts.ordinals.set(field, { table, byRow: out });
  return out;
}

export function ordinalsOf(index: LedgerIndex, kind: string, field: string): FieldOrdinals {
  const key = `${kind}\u0000${field}`;
  const known = index.ordinals.get(key);
  if (known) return known;
  const sheets = index.sheets.get(kind) ?? [];
  let rowsInUse = 0;
  for (const sheet of sheets) rowsInUse += index.counted.get(sheet)?.length ?? 0;
  const table = internTable(key, rowsInUse);
  const byRow = new Map<LedgerSheetData, Int32Array>();
  for (const sheet of sheets) {
    const facts = index.facts.get(sheet);
    if (facts) byRow.set(sheet, sheetOrdinals(facts, field, table));
  }
  const made = { byRow, count: table.size };
  index.ordinals.set(key, made);
  return made;
}

/**
 * The index of the last analyses, by the sheets array they were given: the workbench re-runs the analysis after
 * every edit while the ledgers stay the same (tests/bench/ledgers.ts).
 */
const indexes = new WeakMap<readonly LedgerSheetData[], { framework: Framework; period: AssessmentPeriod; index: LedgerIndex }>();

export function buildLedgerIndex(framework: Framework, sheets: readonly LedgerSheetData[], period: AssessmentPeriod): LedgerIndex {
  const cached = indexes.get(sheets);
  if (cached && cached.framework === framework && cached.period.start === period.start && cached.period.end === period.end && cached.period.valid === period.valid) {
    return cached.index;
  }
  const index = makeLedgerIndex(framework, sheets, period);
  indexes.set(sheets, { framework, period, index });
  return index;
}

function makeLedgerIndex(framework: Framework, sheets: readonly LedgerSheetData[], period: AssessmentPeriod): LedgerIndex {
  const kinds = new Map((framework.ledgers ?? []).map((k) => [k.id, k]));
  const byKind = new Map<string, LedgerSheetData[]>();
  const counted = new Map<LedgerSheetData, LedgerRow[]>();
  const outside = new Map<LedgerSheetData, LedgerRow[]>();
  const facts = new Map<LedgerSheetData, SheetFacts>();
  for (const sheet of sheets) {
    const kind = kinds.get(sheet.kind);
    if (!kind) continue;
    const list = byKind.get(sheet.kind);
    if (list) list.push(sheet);
    else byKind.set(sheet.kind, [sheet]);
    const made = factsOfSheet(sheet, kind, period);
    facts.set(sheet, made);
    counted.set(sheet, made.counted);
    outside.set(sheet, made.outside);
  }
  return { kinds, sheets: byKind, period, counted, outside, facts, ordinals: new Map() };
}

/** A row dated outside the assessment period by the kind's period field; undated rows count. */
export function rowOutOfPeriod(row: LedgerRow, kind: LedgerKind, period: AssessmentPeriod): boolean {
  if (!kind.periodField) return false;
  const date = row.values[kind.periodField];
  return typeof date === 'string' && !isInPeriod(date, period);
}

/**
 * One term's pass over one sheet, kept with the sheet: the rows it counts (row numbers) and, for sums and row counts,
 * its value. For a distinct count, the rows whose value is the first of its kind within the sheet (by index into the
 * counted rows); whether an earlier sheet had it already is decided per analysis, over these few typed arrays.
 */
type SheetTerm = { value: number; rows: number[]; firsts?: Int32Array };

/** A filter on enum fields as sets of wanted value keys (a row's value must be one of them, as a Map key would). */
function whereSets(where: LedgerWhere | undefined): [string, Set<string>][] {
  return Object.entries(where ?? {}).map(([key, want]) => [key, new Set(Array.isArray(want) ? want : [want])]);
}

function termKey(term: ComputeTerm): string {
  return `${term.op}\u0000${term.field ?? ''}\u0000${JSON.stringify(term.where ?? {})}`;
}

/** Marks of people already counted by a distinct-count term in one sheet, cleared after each pass. */
let seenScratch = new Uint8Array(0);
let pickedScratch = new Int32Array(0);

function sheetTerm(facts: SheetFacts, term: ComputeTerm, key: string, ordinals: Int32Array | undefined, count: number): SheetTerm {
  // Which rows are the first of their value within the sheet does not depend on the table the ordinals came from.
  const known = facts.terms.get(key);
  if (known) return known;
  // Each filter as its field's codes and the codes it wants.
  const filters = whereSets(term.where).map(([field, want]) => {
    const codes = fieldCodes(facts, field);
    const ok = new Uint8Array(codes.values.size + 1);
    for (const [v, code] of codes.values) if (want.has(v)) ok[code] = 1;
    return { byRow: codes.byRow, ok };
  });
  const list = facts.counted;
  // Indexes of the rows counted, in a scratch array: the lists kept are made once at their size.
  if (pickedScratch.length < list.length) pickedScratch = new Int32Array(Math.max(list.length, 2 * pickedScratch.length));
  const picked = pickedScratch;
  let n = 0;
  // Ordinals are below `count` (the size of the table they came from).
  if (ordinals && seenScratch.length < count) seenScratch = new Uint8Array(Math.max(count, 2 * seenScratch.length));
  const seen = seenScratch;
  const sumField = term.field;
  let value = 0;
  rows: for (let i = 0; i < list.length; i++) {
    for (let f = 0; f < filters.length; f++) if (filters[f].ok[filters[f].byRow[i]] === 0) continue rows;
    if (term.op === 'count-rows') {
      value++;
    } else if (ordinals) {
      const o = ordinals[i];
      if (o < 0 || seen[o]) continue;
      seen[o] = 1;
      value++;
    } else {
      const v = sumField ? list[i].values[sumField] : undefined;
      if (typeof v !== 'number') continue;
      value += v;
    }
    picked[n++] = i;
  }
  const rows = new Array<number>(n);
  for (let j = 0; j < n; j++) rows[j] = list[picked[j]].row;
  if (ordinals) for (let j = 0; j < n; j++) seen[ordinals[picked[j]]] = 0;
  // For a distinct count every counted row is the first of its value within the sheet.
  const made: SheetTerm = ordinals ? { value, rows, firsts: picked.slice(0, n) } : { value, rows };
  facts.terms.set(key, made);
  return made;
}

type TermResult = { value: number; rows: Map<LedgerSheetData, number[]> };

function evaluate(index: LedgerIndex, kind: LedgerKind, term: ComputeTerm): TermResult {
  const rows = new Map<LedgerSheetData, number[]>();
  const key = termKey(term);
  const distinct = term.op === 'count-distinct' && term.field ? ordinalsOf(index, kind.id, term.field) : undefined;
  const seen = distinct ? new Uint8Array(distinct.count) : undefined;
  let value = 0;
  for (const sheet of index.sheets.get(kind.id) ?? []) {
    const facts = index.facts.get(sheet);
    if (!facts) continue;
    const ordinals = distinct?.byRow.get(sheet);
    const part = sheetTerm(facts, term, key, ordinals, distinct?.count ?? 0);
    if (seen && ordinals && part.firsts) {
      // A person already counted from an earlier sheet is not counted again: the rows list shrinks only then.
      let kept: number[] | undefined;
      const firsts = part.firsts;
      for (let j = 0; j < firsts.length; j++) {
        const o = ordinals[firsts[j]];
        if (seen[o]) {
          kept ??= part.rows.slice(0, j);
          continue;
        }
        seen[o] = 1;
        value++;
        kept?.push(part.rows[j]);
      }
      const counted = kept ?? part.rows;
      if (counted.length) rows.set(sheet, counted);
      continue;
    }
    value += part.value;
    if (part.rows.length) rows.set(sheet, part.rows);
  }
  return { value, rows };
}

const ROUND = 1e4;

function countNoun(unit: string): string {
  if (unit === '人' || unit === '人次') return '人数';
  if (unit === '家') return '家数';
  if (unit === '个') return '个数';
  return '数';
}

function fieldLabel(kind: LedgerKind, key: string | undefined): string {
  return kind.fields.find((f) => f.key === key)?.label ?? key ?? '';
}

function whereWords(kind: LedgerKind, where: LedgerWhere | undefined): string {
  return Object.entries(where ?? {})
    .map(([key, want]) => {
      const field = kind.fields.find((f) => f.key === key);
      const labels = (Array.isArray(want) ? want : [want]).map((v) => `“${field?.values?.find((x) => x.key === v)?.label ?? v}”`);
      return `${field?.label ?? key}为${labels.join('或')}`;
    })
    .join('且');
}

/** 转移就业台账中就业地区为“东部”的不重复身份证号人数 */
function termWords(kind: LedgerKind, term: ComputeTerm, unit: string): string {
  const where = whereWords(kind, term.where);
  const of = where ? `${where}的` : '';
  if (term.op === 'count-distinct') return `${kind.title}中${of}不重复${fieldLabel(kind, term.field)}${countNoun(unit)}`;
  if (term.op === 'count-rows') return `${kind.title}中${of}记录条数`;
  return `${kind.title}中${of}“${fieldLabel(kind, term.field)}”之和`;
}

export function formulaOf(target: Target, kind: LedgerKind, compute: TargetCompute): string {
  const body =
    compute.op === 'ratio' && compute.numerator && compute.denominator
      ? `${termWords(kind, compute.numerator, target.unit)} ÷ ${termWords(kind, compute.denominator, target.unit)} × 100%`
      : termWords(kind, { op: compute.op === 'ratio' ? 'count-rows' : compute.op, field: compute.field, where: compute.where }, target.unit);
  const period = kind.periodField ? `（${fieldLabel(kind, kind.periodField)}在考核期外的行不计）` : '';
  return `${target.label} = ${body}${period}`;
}

function mergeSources(...parts: Map<LedgerSheetData, number[]>[]): ComputedSource[] {
  // Rows come in ascending order per sheet: one part needs no merging.
  if (parts.length === 1) return [...parts[0]].map(([sheet, rows]) => ({ evidence: sheet.evidence, sheet: sheet.sheet, rows }));
  const merged = new Map<LedgerSheetData, Set<number>>();
  for (const part of parts) {
    for (const [sheet, rows] of part) {
      const set = merged.get(sheet) ?? new Set<number>();
      for (const r of rows) set.add(r);
      merged.set(sheet, set);
    }
  }
  return [...merged].map(([sheet, rows]) => ({ evidence: sheet.evidence, sheet: sheet.sheet, rows: [...rows].sort((a, b) => a - b) }));
}

/** The target's computed figure, or undefined when it has no computation or no ledger of its kind is present. */
export function computeTarget(target: Target, index: LedgerIndex): ComputedValue | undefined {
  const compute = target.compute;
  if (!compute) return undefined;
  const kind = index.kinds.get(compute.ledger);
  if (!kind || !index.sheets.get(kind.id)?.length) return undefined;
  const formula = formulaOf(target, kind, compute);
  if (compute.op === 'ratio') {
    if (!compute.numerator || !compute.denominator) return undefined;
    const num = evaluate(index, kind, compute.numerator);
    const den = evaluate(index, kind, compute.denominator);
    if (den.value === 0) return undefined;
    // Percentages with 2 decimals, as the agreement states them.
    return { value: Math.round((num.value / den.value) * 100 * 100) / 100, formula, sources: mergeSources(den.rows, num.rows) };
  }
  const result = evaluate(index, kind, { op: compute.op, field: compute.field, where: compute.where });
  return { value: Math.round(result.value * ROUND) / ROUND, formula, sources: mergeSources(result.rows) };
}

/**
 * Every computable target of the framework, by target id. Kept on the index (built for this framework): the
 * workbench re-analyses after every edit while the ledgers stay the same. The map is shared: do not change it.
 */
export function computeTargets(framework: Framework, index: LedgerIndex): ReadonlyMap<string, ComputedValue> {
  if (index.computed) return index.computed;
  const out = new Map<string, ComputedValue>();
  for (const category of framework.categories) {
    for (const indicator of category.indicators) {
      for (const target of indicator.targets) {
        const computed = computeTarget(target, index);
        if (computed) out.set(target.id, computed);
      }
    }
  }
  index.computed = out;
  return out;
}

import type { Evidence, Finding, Target } from '../domain/types.js';
import { itemName, makeFinding, withUnit, type AnalysisContext } from '../gaps/context.js';
import { targetTolerance } from '../vocabulary.js';
import { computeTargets, ordinalsOf, type ComputedValue, type LedgerIndex, type LedgerSheetData } from './compute.js';
import { ID_PROBLEM_WORDS, idNumberProblem } from './id-number.js';
import type { LedgerRow } from './table.js';
import type { LedgerCrossCheck, LedgerKind } from './types.js';

/**
 * Consistency checks on ledgers (issue 10): invalid ID numbers, the same person twice, one person in parts that
 * must be disjoint, rows outside the period, 合计 rows that disagree, figures in reports that disagree with the
 * ledger, typed actuals that differ from the computed ones, and cross-ledger rules the framework declares.
 * Messages name the ledger, the sheet and the rows, never a full ID number (masked 6 + 4).
 */

/** Text of a report (自评报告, 总结) in which stated figures are looked for. */
export type ReportText = { evidence: number; text: string };

const LIST_LIMIT = 10;

/** 621022********1234: the first 6 and last 4 characters, as every outward copy shows ID numbers. */
export function maskIdNumber(id: string): string {
  return id.length >= 15 ? `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}` : id;
}

type Ref = { sheet: LedgerSheetData; row: LedgerRow };

type LedgerContext = {
  ctx: AnalysisContext;
  index: LedgerIndex;
  items: Map<number, Evidence>;
  /** The first indicator and target that compute from each kind: where its findings are filed. */
  home: Map<string, { indicator: string; target: string }>;
};

function sheetName(lc: LedgerContext, sheet: LedgerSheetData): string {
  const item = lc.items.get(sheet.evidence);
  return `${item ? itemName(item) : `第 ${sheet.evidence} 件`}工作表“${sheet.sheet}”`;
}

function listRows(rows: string[]): string {
  return rows.length > LIST_LIMIT ? `${rows.slice(0, LIST_LIMIT).join('；')}；等 ${rows.length} 行` : rows.join('；');
}

function personWords(kind: LedgerKind, row: LedgerRow): { zh: string; en: string } {
  const name = typeof row.values.name === 'string' ? row.values.name : '';
  const key = kind.personKey ? String(row.values[kind.personKey] ?? '') : '';
  const id = kind.fields.find((f) => f.key === kind.personKey)?.type === 'id-number' ? maskIdNumber(key) : '';
  const zh = name && id ? `${name}（身份证号 ${id}）` : name || id || key;
  return { zh, en: name && id ? `${name} (ID ${id})` : name || id || key };
}

function base(lc: LedgerContext, kind: string, evidence: number[]) {
  const home = lc.home.get(kind);
  return { ...(home ? { indicator: home.indicator } : {}), evidence };
}

type BadId = { row: number; field: string; problem: keyof typeof ID_PROBLEM_WORDS; who: string };

/** Invalid ID numbers of a sheet, per sheet object and last possible birth date: stored rows do not change. */
const badIds = new WeakMap<LedgerSheetData, { kind: LedgerKind; latest: string; bad: BadId[] }>();

function invalidIds(kind: LedgerKind, sheet: LedgerSheetData, latest: string): BadId[] {
  const known = badIds.get(sheet);
  if (known && known.kind === kind && known.latest === latest) return known.bad;
  const idFields = kind.fields.filter((f) => f.type === 'id-number').map((f) => f.key);
  const bad: BadId[] = [];
  const rows = sheet.rows;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let k = 0; k < idFields.length; k++) {
      const key = idFields[k];
      const value = row.values[key];
      if (typeof value !== 'string') continue;
      const problem = idNumberProblem(value, latest);
      if (problem) bad.push({ row: row.row, field: key, problem, who: typeof row.values.name === 'string' ? row.values.name : '' });
    }
  }
  badIds.set(sheet, { kind, latest, bad });
  return bad;
}

function checkIdNumbers(lc: LedgerContext, kind: LedgerKind, sheet: LedgerSheetData): Finding[] {
  if (!kind.fields.some((f) => f.type === 'id-number')) return [];
  const bad = invalidIds(kind, sheet, lc.index.period.valid ? lc.index.period.end : '9999-12-31');
  if (!bad.length) return [];
  const zh = bad.map((b) => `第 ${b.row} 行${b.who ? `（${b.who}）` : ''}${ID_PROBLEM_WORDS[b.problem].zh}`);
  const en = bad.map((b) => `row ${b.row}${b.who ? ` (${b.who})` : ''}: ${ID_PROBLEM_WORDS[b.problem].en}`);
  const where = sheetName(lc, sheet);
  return [
    makeFinding(lc.ctx, {
      ...base(lc, kind.id, [sheet.evidence]),
      severity: 'error',
      kind: 'ledger-invalid-id',
      idExtra: sheet.sheet,
      message: `${where}中有 ${bad.length} 个身份证号无效：${listRows(zh)}。`,
      action: '请对照身份证或户口簿核对并更正这些行的身份证号，然后重新导入台账。',
      messageEn: `Ledger sheet “${sheet.sheet}” has ${bad.length} invalid ID number(s): ${en.slice(0, LIST_LIMIT).join('; ')}.`,
      detail: {
        ledger: kind.id,
        sheet: sheet.sheet,
        rows: bad.map((b) => ({ row: b.row, field: b.field, problem: b.problem })),
        actionEn: 'Check these ID numbers against the ID cards or household registers, correct them and import the ledger again.',
      },
    }),
  ];
}

function checkPeriod(lc: LedgerContext, kind: LedgerKind, sheet: LedgerSheetData): Finding[] {
  if (!kind.periodField || !lc.index.period.valid) return [];
  const outside = lc.index.outside.get(sheet) ?? [];
  if (!outside.length) return [];
  const label = kind.fields.find((f) => f.key === kind.periodField)?.label ?? kind.periodField;
  const { start, end } = lc.index.period;
  const rows = outside.map((row) => `第 ${row.row} 行（${String(row.values[kind.periodField ?? ''])}）`);
  return [
    makeFinding(lc.ctx, {
      ...base(lc, kind.id, [sheet.evidence]),
      severity: 'warning',
      kind: 'ledger-out-of-period',
      idExtra: sheet.sheet,
      message: `${sheetName(lc, sheet)}中有 ${outside.length} 行的${label}不在考核期（${start} 至 ${end}）内：${listRows(rows)}。这些行不计入指标。`,
      action: '请核实日期：属于其他年度的行应移出本年度台账，填错的日期请更正后重新导入。',
      messageEn: `Ledger sheet “${sheet.sheet}”: ${outside.length} row(s) dated outside the assessment period (${start} to ${end}): rows ${outside.map((r) => r.row).join(', ')}. They are not counted.`,
      detail: {
        ledger: kind.id,
        sheet: sheet.sheet,
        rows: outside.map((row) => ({ row: row.row, date: row.values[kind.periodField ?? ''] })),
        actionEn: 'Check the dates: rows of another year belong in that year’s ledger; correct wrong dates and import again.',
      },
    }),
  ];
}

function checkTotals(lc: LedgerContext, kind: LedgerKind, sheet: LedgerSheetData): Finding[] {
  const findings: Finding[] = [];
  const numeric = kind.fields.filter((f) => f.type === 'money' || f.type === 'count');
  let from = 0;
  const data = sheet.rows;
  for (const total of sheet.totals) {
    // A 小计 adds the rows since the previous 小计/合计; a 合计 or 总计 adds every row above it.
    const rows = data.filter((r) => r.row < total.row && (total.subtotal ? r.row > from : true));
    for (const field of numeric) {
      const stated = total.values[field.key];
      if (typeof stated !== 'number') continue;
      const sum = rows.reduce((s, r) => s + (typeof r.values[field.key] === 'number' ? (r.values[field.key] as number) : 0), 0);
      const unit = field.type === 'money' ? (field.unit ?? '万元') : '';
      if (Math.abs(sum - stated) <= targetTolerance(unit || '人') + 1e-9) continue;
      findings.push(
        makeFinding(lc.ctx, {
          ...base(lc, kind.id, [sheet.evidence]),
          severity: 'error',
          kind: 'ledger-total-mismatch',
          idExtra: `${sheet.sheet}:${total.row}:${field.key}`,
          message: `${sheetName(lc, sheet)}第 ${total.row} 行“${total.label}”的${field.label}为 ${withUnit(stated, unit)}，但各行之和为 ${withUnit(sum, unit)}，相差 ${withUnit(Math.abs(sum - stated), unit)}。`,
          action: '请重新计算合计行，并核对是否漏填或多填了数据行，更正后重新导入台账。',
          messageEn: `Ledger sheet “${sheet.sheet}” row ${total.row} (${total.label}): ${field.label} says ${stated}, the rows add up to ${Math.round(sum * 1e4) / 1e4}.`,
          detail: { ledger: kind.id, sheet: sheet.sheet, row: total.row, field: field.key, stated, sum: Math.round(sum * 1e4) / 1e4, actionEn: 'Recalculate the total row and check for missing or extra rows, then import the ledger again.' },
        }),
      );
    }
    from = total.row;
  }
  return findings;
}

function refWords(lc: LedgerContext, refs: Ref[]): string {
  return refs.map((r) => `${sheetName(lc, r.sheet)}第 ${r.row.row} 行`).join('、');
}

/** Facts of an index that depend on nothing else, made once per index (the workbench re-analyses after every edit). */
type IndexFacts = { people: Map<string, Ref[][]>; cross: Map<string, CrossHit[]> };
type CrossHit = { check: LedgerCrossCheck; sheet: LedgerSheetData; row: LedgerRow; match: Ref | undefined };

const facts = new WeakMap<LedgerIndex, IndexFacts>();

function factsOf(index: LedgerIndex): IndexFacts {
  let known = facts.get(index);
  if (!known) {
    known = { people: new Map(), cross: new Map() };
    facts.set(index, known);
  }
  return known;
}

/** The rows of each person listed more than once in a kind's sheets, in sheet and row order. */
function peopleSeenTwice(index: LedgerIndex, kind: LedgerKind, key: string, sheets: LedgerSheetData[]): Ref[][] {
  const cache = factsOf(index).people;
  const known = cache.get(kind.id);
  if (known) return known;
  // Sightings counted per person ordinal; lists are made only for the few people seen twice.
  const ordinals = ordinalsOf(index, kind.id, key);
  const times = new Uint32Array(ordinals.count);
  for (const sheet of sheets) {
    const byRow = ordinals.byRow.get(sheet);
    if (byRow) for (let i = 0; i < byRow.length; i++) if (byRow[i] >= 0) times[byRow[i]]++;
  }
  const people = new Map<number, Ref[]>();
  for (const sheet of sheets) {
    const rows = index.counted.get(sheet) ?? [];
    const byRow = ordinals.byRow.get(sheet) ?? new Int32Array(0);
    for (let i = 0; i < rows.length; i++) {
      const o = byRow[i];
      if (o < 0 || times[o] < 2) continue;
      const list = people.get(o);
      if (list) list.push({ sheet, row: rows[i] });
      else people.set(o, [{ sheet, row: rows[i] }]);
    }
  }
  const made = [...people.values()];
  cache.set(kind.id, made);
  return made;
}

/** Same person twice in one kind (ledger-duplicate), or under two values of its disjoint field (double-counted). */
function checkPeople(lc: LedgerContext, kind: LedgerKind, sheets: LedgerSheetData[]): Finding[] {
  if (!kind.personKey) return [];
  const people = peopleSeenTwice(lc.index, kind, kind.personKey, sheets);
  const findings: Finding[] = [];
  const part = kind.disjointBy;
  const partField = kind.fields.find((f) => f.key === part);
  for (const refs of people) {
    const who = personWords(kind, refs[0].row);
    const evidence = [...new Set(refs.map((r) => r.sheet.evidence))].sort((a, b) => a - b);
    const rows = refs.map((r) => ({ evidence: r.sheet.evidence, sheet: r.sheet.sheet, row: r.row.row }));
    const first = `${refs[0].sheet.evidence}:${refs[0].sheet.sheet}:${refs[0].row.row}`;
    const parts = part ? [...new Set(refs.map((r) => r.row.values[part]).filter((v) => v !== undefined).map(String))] : [];
    if (parts.length > 1 && partField) {
      const labelOf = (v: string) => partField.values?.find((x) => x.key === v)?.label ?? v;
      const each = refs.map((r) => `“${labelOf(String(r.row.values[part ?? '']))}”（${sheetName(lc, r.sheet)}第 ${r.row.row} 行）`).join('和');
      findings.push(
        makeFinding(lc.ctx, {
          ...base(lc, kind.id, evidence),
          severity: 'error',
          kind: 'double-counted',
          idExtra: `${kind.id}:${first}`,
          message: `${who.zh}在${kind.title}中同时登记为${each}，被重复计入不同的${partField.label}。`,
          action: `同一人只能计入一个${partField.label}：请核实实际情况，删除或更正其中一行后重新导入。`,
          messageEn: `${who.en} is counted under ${parts.length} different ${partField.key} values in the ${kind.id} ledger (rows ${rows.map((r) => r.row).join(', ')}).`,
          detail: { ledger: kind.id, field: partField.key, values: parts, rows, actionEn: 'A person counts under one value only: check which is right and delete or correct the other row.' },
        }),
      );
      continue;
    }
    findings.push(
      makeFinding(lc.ctx, {
        ...base(lc, kind.id, evidence),
        severity: 'error',
        kind: 'ledger-duplicate',
        idExtra: `${kind.id}:${first}`,
        message: `${who.zh}在${kind.title}中登记了 ${refs.length} 次：${refWords(lc, refs)}。`,
        action: '同一人只应登记一次：请核实是否重复登记，删除重复的行后重新导入，并核对依据该台账计算的指标。',
        messageEn: `${who.en} appears ${refs.length} times in the ${kind.id} ledger (rows ${rows.map((r) => r.row).join(', ')}).`,
        detail: { ledger: kind.id, rows, actionEn: 'A person is registered once: delete the duplicate rows, import again and check the figures computed from this ledger.' },
      }),
    );
  }
  return findings;
}

/** Rows of a kind that break one of its cross-ledger rules, with the other ledger's row where there is one. */
function crossHits(index: LedgerIndex, kind: LedgerKind, sheets: LedgerSheetData[]): CrossHit[] {
  const cache = factsOf(index).cross;
  const known = cache.get(kind.id);
  if (known) return known;
  const hits: CrossHit[] = [];
  for (const check of kind.crossChecks ?? []) {
    const other = index.kinds.get(check.ledger);
    const otherSheets = index.sheets.get(check.ledger) ?? [];
    if (!other?.personKey || !kind.personKey || !otherSheets.length) continue;
    const want = Object.entries(check.where ?? {}).map(([k, v]) => [k, new Set(Array.isArray(v) ? v : [v])] as const);
    const there = new Map<string, Ref>();
    for (const sheet of otherSheets) {
      for (const row of index.counted.get(sheet) ?? []) {
        if (!want.every(([k, set]) => set.has(String(row.values[k])))) continue;
        const v = row.values[other.personKey];
        if (v !== undefined && !there.has(String(v))) there.set(String(v), { sheet, row });
      }
    }
    for (const sheet of sheets) {
      for (const row of index.counted.get(sheet) ?? []) {
        const v = row.values[kind.personKey];
        if (v === undefined) continue;
        const match = there.get(String(v));
        if ((check.mode === 'must-not-appear') !== (match !== undefined)) continue;
        hits.push({ check, sheet, row, match });
      }
    }
  }
  cache.set(kind.id, hits);
  return hits;
}

function checkCross(lc: LedgerContext, kind: LedgerKind, sheets: LedgerSheetData[]): Finding[] {
  const findings: Finding[] = [];
  const conditions = new Map<LedgerCrossCheck, string>();
  for (const { check, sheet, row, match } of crossHits(lc.index, kind, sheets)) {
    const other = lc.index.kinds.get(check.ledger);
    if (!other) continue;
    let condition = conditions.get(check);
    if (condition === undefined) {
      condition = Object.entries(check.where ?? {})
        .map(([k, v]) => {
          const f = other.fields.find((x) => x.key === k);
          return `${f?.label ?? k}为${(Array.isArray(v) ? v : [v]).map((x) => `“${f?.values?.find((y) => y.key === x)?.label ?? x}”`).join('或')}`;
        })
        .join('且');
      conditions.set(check, condition);
    }
    const who = personWords(kind, row);
    const here = `${sheetName(lc, sheet)}第 ${row.row} 行`;
    const message =
      check.mode === 'must-not-appear' && match
        ? `${who.zh}登记在${kind.title}（${here}），又在${other.title}中登记为${condition || '在册人员'}（${sheetName(lc, match.sheet)}第 ${match.row.row} 行），不能同时计入两项。`
        : `${who.zh}登记在${kind.title}（${here}），但${other.title}中没有${condition ? `${condition}的` : ''}此人。`;
    findings.push(
      makeFinding(lc.ctx, {
        ...base(lc, kind.id, [...new Set([sheet.evidence, ...(match ? [match.sheet.evidence] : [])])].sort((a, b) => a - b)),
        severity: 'warning',
        kind: 'ledger-cross-check',
        idExtra: `${kind.id}:${check.ledger}:${sheet.evidence}:${sheet.sheet}:${row.row}`,
        message,
        action: '请核实此人的实际情况，更正其中一本台账后重新导入。',
        messageEn: `${who.en} (${kind.id}, row ${row.row}) ${check.mode === 'must-not-appear' ? `is also counted in the ${other.id} ledger` : `is missing from the ${other.id} ledger`}.`,
        detail: { ledger: kind.id, other: other.id, mode: check.mode, sheet: sheet.sheet, row: row.row, otherRow: match ? { evidence: match.sheet.evidence, sheet: match.sheet.sheet, row: match.row.row } : null, actionEn: 'Check this person and correct one of the two ledgers.' },
      }),
    );
  }
  return findings;
}

type TargetHome = { target: Target; indicator: string; actual: number | null };

function checkComputed(lc: LedgerContext, entries: TargetHome[], computed: ReadonlyMap<string, ComputedValue>): Finding[] {
  const findings: Finding[] = [];
  for (const { target, indicator, actual } of entries) {
    const c = computed.get(target.id);
    if (!c || actual === null || Math.abs(actual - c.value) <= targetTolerance(target.unit) + 1e-9) continue;
    findings.push(
      makeFinding(lc.ctx, {
        indicator,
        target: target.id,
        evidence: [...new Set(c.sources.map((s) => s.evidence))].sort((a, b) => a - b),
        severity: 'warning',
        kind: 'computed-differs',
        message: `目标“${target.label}”填写的完成数为 ${withUnit(actual, target.unit)}，按台账计算为 ${withUnit(c.value, target.unit)}（${c.formula}）。`,
        action: '请核对台账与填写的数字：台账无误的，采用台账计算值；台账有误的，更正台账后重新导入。',
        messageEn: `Target “${target.id}”: the entered figure is ${actual} ${target.unit}, the ledger gives ${c.value} ${target.unit}.`,
        detail: { entered: actual, computed: c.value, unit: target.unit, formula: c.formula, actionEn: 'Check the ledger: if it is right, accept the computed figure; otherwise correct the ledger and import it again.' },
      }),
    );
  }
  return findings;
}

const FILLER = '[\\s为达到共计累计实现完成了约近：:]{0,6}';
const UNIT_WORDS = '(万元|亿元|元|人次|人|家|个|户|%)';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Statements of a target's figure in reports ("转移就业2244人"), compared with the computed or entered one. */
function checkStatements(lc: LedgerContext, entries: TargetHome[], computed: ReadonlyMap<string, ComputedValue>, reports: readonly ReportText[]): Finding[] {
  if (!reports.length) return [];
  const findings: Finding[] = [];
  for (const entry of entries) {
    const { target, indicator } = entry;
    const c = computed.get(target.id);
    const expected = c?.value ?? entry.actual;
    if (expected === null || expected === undefined) continue;
    const words = [target.label.replace(/^其中[:：]/, ''), ...(target.aliases ?? [])].filter((w) => w.length >= 2);
    const texts = reports.filter((r) => words.some((w) => r.text.includes(w)));
    if (!texts.length) continue;
    const pattern = new RegExp(`(${words.map(escapeRegExp).join('|')})${FILLER}(\\d+(?:\\.\\d+)?)\\s*${UNIT_WORDS}`, 'g');
    for (const report of texts) {
      const seen = new Set<number>();
      for (const m of report.text.matchAll(pattern)) {
        if (m[3] !== target.unit) continue;
        const stated = Number(m[2]);
        if (seen.has(stated) || Math.abs(stated - expected) <= targetTolerance(target.unit) + 1e-9) continue;
        seen.add(stated);
        const item = lc.items.get(report.evidence);
        const basis = c ? `按台账计算为 ${withUnit(expected, target.unit)}（${c.formula}）` : `填写的完成数为 ${withUnit(expected, target.unit)}`;
        findings.push(
          makeFinding(lc.ctx, {
            indicator,
            target: target.id,
            evidence: [report.evidence],
            severity: 'error',
            kind: 'figure-mismatch',
            idExtra: String(stated),
            message: `${item ? itemName(item) : `第 ${report.evidence} 件`}中写“${m[0].trim()}”，但目标“${target.label}”${basis}。`,
            action: '请统一报告与台账的数字：台账无误的，更正报告中的数字；报告无误的，补全或更正台账。',
            messageEn: `Report ${report.evidence} states “${m[0].trim()}”, but target “${target.id}” is ${expected} ${target.unit}${c ? ' by the ledger' : ' as entered'}.`,
            detail: { stated, expected, unit: target.unit, basis: c ? 'computed' : 'entered', quote: m[0].trim(), actionEn: 'Make the report and the ledger agree: correct the report, or complete or correct the ledger.' },
          }),
        );
      }
    }
  }
  return findings;
}

/**
 * The items messages name (ledger sheets' and reports'), found in the id-ordered evidence by binary search rather
 * than a map of every item (10,000 entries built per analysis for a few dozen look-ups).
 */
function itemsNamed(ctx: AnalysisContext, index: LedgerIndex, reports: readonly ReportText[]): Map<number, Evidence> {
  const items = new Map<number, Evidence>();
  const list = ctx.evidence;
  const add = (id: number) => {
    if (items.has(id)) return;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = list[mid].id;
      if (at === id) {
        items.set(id, list[mid].item);
        return;
      }
      if (at < id) lo = mid + 1;
      else hi = mid - 1;
    }
  };
  for (const sheets of index.sheets.values()) for (const sheet of sheets) add(sheet.evidence);
  for (const report of reports) add(report.evidence);
  return items;
}

/** All ledger findings for one analysis, plus the computed figures they were checked against. */
export function checkLedgers(
  ctx: AnalysisContext,
  index: LedgerIndex,
  reports: readonly ReportText[],
): { findings: Finding[]; computed: ReadonlyMap<string, ComputedValue> } {
  const items = itemsNamed(ctx, index, reports);
  const home = new Map<string, { indicator: string; target: string }>();
  const values = new Map(ctx.input.targets.map((t) => [t.id, t]));
  const entries: TargetHome[] = [];
  for (const { indicator } of ctx.indicators.values()) {
    for (const target of indicator.targets) {
      if (target.compute && !home.has(target.compute.ledger)) home.set(target.compute.ledger, { indicator: indicator.code, target: target.id });
      entries.push({ target, indicator: indicator.code, actual: values.get(target.id)?.actual ?? null });
    }
  }
  const lc: LedgerContext = { ctx, index, items, home };
  const computed = computeTargets(ctx.input.framework, index);
  const findings: Finding[] = [];
  for (const [kindId, sheets] of index.sheets) {
    const kind = index.kinds.get(kindId);
    if (!kind) continue;
    for (const sheet of sheets) findings.push(...checkIdNumbers(lc, kind, sheet), ...checkPeriod(lc, kind, sheet), ...checkTotals(lc, kind, sheet));
    findings.push(...checkPeople(lc, kind, sheets), ...checkCross(lc, kind, sheets));
  }
  findings.push(...checkComputed(lc, entries, computed), ...checkStatements(lc, entries, computed, reports));
  return { findings, computed };
}

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GapReport } from '../../../shared/domain/types.js';
import { analyzeGaps } from '../../../shared/gaps/analyze.js';
import { makePeriod } from '../../../shared/gaps/periods.js';
import { buildLedgerIndex, computeTargets, type LedgerSheetData } from '../../../shared/ledger/compute.js';
import { bigLedgerWorkspace } from '../../helpers/ledger-workspace.js';

/**
 * The gap analysis of the benchmark's big workspace (10,000 items, 50,000 ledger rows) must stay what it was before
 * the analysis was made fast: the fixture holds hashes of the report taken from the code before (commit 855510d),
 * per finding kind, so a rule added later changes only its own kind's entry and the summary.
 * `RECORD_BIG_REPORT=1 npx vitest run tests/unit/ledger/big-report.test.ts` writes the fixture again.
 */

const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'gaps', 'big-ledger-report.json');

type Digest = { findings: number; order: string; summary: string; computed: string; kinds: Record<string, { count: number; sha256: string }> };

const sha = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

function digest(report: GapReport, computed: unknown): Digest {
  const byKind = new Map<string, GapReport['findings']>();
  for (const f of report.findings) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
  const kinds: Digest['kinds'] = {};
  for (const [kind, list] of [...byKind].sort(([a], [b]) => (a < b ? -1 : 1))) kinds[kind] = { count: list.length, sha256: sha(list) };
  return { findings: report.findings.length, order: sha(report.findings.map((f) => f.id)), summary: sha(report.summary), computed: sha(computed), kinds };
}

describe('gap analysis of the big ledger workspace', () => {
  it('gives the same report, finding for finding, as before it was made fast', () => {
    const ws = bigLedgerWorkspace();
    const report = analyzeGaps(ws.withLedgers);
    const period = makePeriod(ws.withLedgers.settings.periodStart, ws.withLedgers.settings.periodEnd);
    const computed = [...computeTargets(ws.framework, buildLedgerIndex(ws.framework, [...ws.sheets], period))];
    const now = digest(report, computed);
    if (process.env.RECORD_BIG_REPORT) writeFileSync(FIXTURE, `${JSON.stringify(now, null, 2)}\n`);
    const before = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Digest;
    expect(now.kinds).toEqual(before.kinds);
    expect(now.computed).toBe(before.computed);
    expect(now.summary).toBe(before.summary);
    expect(now.findings).toBe(before.findings);
    expect(now.order).toBe(before.order);
    // The report is not trivially empty: every ledger check found something in this workspace.
    for (const kind of ['ledger-invalid-id', 'ledger-duplicate', 'double-counted', 'ledger-out-of-period', 'ledger-total-mismatch', 'figure-mismatch', 'computed-differs']) {
      expect(now.kinds[kind]?.count ?? 0, kind).toBeGreaterThan(0);
    }
    // A second analysis of the same input (the warm path, caches in use) gives the same report.
    expect(digest(analyzeGaps(ws.withLedgers), computed)).toEqual(now);
  });

  it('after one ledger changed gives what a fresh analysis of the same ledgers gives, with figures counted right', () => {
    const ws = bigLedgerWorkspace();
    const before = analyzeGaps(ws.withLedgers);
    // The workspace loads only the changed item's sheets again (new objects); every other sheet object is kept,
    // with what the analysis derived from it.
    const clone = (sheet: LedgerSheetData) => JSON.parse(JSON.stringify(sheet)) as LedgerSheetData;
    const changedItem = ws.sheets[0].evidence;
    const changed = ws.sheets.map((s) => (s.evidence === changedItem ? clone(s) : s));
    const sheet = changed[0];
    const movedTo = sheet.rows[0].values.destination === 'east' ? 'other' : 'east';
    sheet.rows[0].values.destination = movedTo;
    sheet.rows.splice(5, 1);
    // A person of another transfer-employment sheet, listed here too: counted once, and a duplicate.
    const other = ws.sheets[1].rows[0];
    sheet.rows.push({ row: 9999, values: { ...other.values } });

    const period = makePeriod(ws.withLedgers.settings.periodStart, ws.withLedgers.settings.periodEnd);
    const incremental = analyzeGaps({ ...ws.withLedgers, ledgers: changed });
    const fresh = analyzeGaps({ ...ws.withLedgers, ledgers: changed.map(clone) });
    expect(incremental).toEqual(fresh);
    expect(incremental.findings.length).toBeGreaterThan(before.findings.length);

    // The figures against a plain count of the same rows: distinct ID numbers, in the period, per destination.
    const computed = computeTargets(ws.framework, buildLedgerIndex(ws.framework, changed, period));
    const distinct = (destination?: string) =>
      new Set(
        changed
          .filter((s) => s.kind === 'transfer-employment')
          .flatMap((s) => s.rows)
          .filter((r) => String(r.values.startDate) >= period.start && String(r.values.startDate) <= period.end)
          .filter((r) => destination === undefined || r.values.destination === destination)
          .map((r) => r.values.idNumber),
      ).size;
    expect(computed.get('5.2-t1')?.value).toBe(distinct());
    expect(computed.get('5.2-t2')?.value).toBe(distinct('east'));
    expect(computed.get('5.2-t3')?.value).toBe(distinct('in-province'));
    expect(computed.get('5.2-t4')?.value).toBe(distinct('other'));
    expect(computed.get('5.2-t2')?.sources.find((s) => s.evidence === changedItem)?.rows.includes(sheet.rows[0].row)).toBe(movedTo === 'east');
  });
});

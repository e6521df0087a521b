import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GapReport } from '../../../shared/domain/types.js';
import { analyzeGaps } from '../../../shared/gaps/analyze.js';
import { makePeriod } from '../../../shared/gaps/periods.js';
import { buildLedgerIndex, computeTargets } from '../../../shared/ledger/compute.js';
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
});

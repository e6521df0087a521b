/**
 * Gap analysis with ledgers: 10,000 evidence items, 50,000 ledger rows (transfer employment, training, funds,
 * consumption, with ~1% duplicates, ~0.5% bad ID numbers, some rows of last year and 合计 rows) and 20 reports
 * whose figures are checked. Goal (issue 10): under 100 ms per analysis. Run with `npm run bench -- ledgers`.
 */
import os from 'node:os';
import { analyzeGaps, type GapInput } from '../../shared/gaps/analyze.js';
import { buildContext } from '../../shared/gaps/context.js';
import { checkLedgers } from '../../shared/ledger/checks.js';
import { buildLedgerIndex } from '../../shared/ledger/compute.js';
import { BIG_ITEMS as ITEMS, bigLedgerWorkspace } from '../helpers/ledger-workspace.js';

const RUNS = 20;
const { framework, sheets, reports, without, withLedgers } = bigLedgerWorkspace();
const rowCount = sheets.reduce((n, s) => n + s.rows.length, 0);

type Timing = { min: number; median: number; p95: number; cpu: number };

/** Wall and CPU time of RUNS calls after 3 warm-ups: on a busy machine wall time mostly measures waiting. */
function timeRuns(run: () => void): Timing {
  for (let i = 0; i < 3; i++) run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { min: wall[0], median: wall[RUNS >> 1], p95: wall[Math.floor(RUNS * 0.95)], cpu: cpu[RUNS >> 1] };
}

function measure(input: GapInput): Timing & { findings: number } {
  return { ...timeRuns(() => analyzeGaps(input)), findings: analyzeGaps(input).findings.length };
}

/**
 * The ledger phase alone (index, figures, checks), on a context built once: cold gets a new sheets array every run
 * (the first analysis after the ledgers changed), warm the same one (the workbench re-analysing after an edit, when
 * Workspace.ledgerData returns the same array and the index of the people is reused).
 */
function measureLedgerPhase(warm: boolean): Timing {
  const ctx = buildContext(withLedgers);
  return timeRuns(() => checkLedgers(ctx, buildLedgerIndex(framework, warm ? sheets : [...sheets], ctx.period), reports));
}

const cold = measureLedgerPhase(false);
const warm = measureLedgerPhase(true);
const base = measure(without);
const full = measure(withLedgers);
const fullCold = timeRuns(() => analyzeGaps({ ...withLedgers, ledgers: [...sheets] }));
const kinds = new Map<string, number>();
for (const f of analyzeGaps(withLedgers).findings) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
console.log(`evidence items ${ITEMS}, ledger rows ${rowCount} in ${sheets.length} sheets, reports ${reports.length}`);
console.log(`gap analysis without ledgers: min ${base.min.toFixed(1)} ms, median ${base.median.toFixed(1)} ms, p95 ${base.p95.toFixed(1)} ms, cpu ${base.cpu.toFixed(1)} ms, findings ${base.findings}`);
console.log(`gap analysis with ledgers, cold: min ${fullCold.min.toFixed(1)} ms, median ${fullCold.median.toFixed(1)} ms, p95 ${fullCold.p95.toFixed(1)} ms, cpu ${fullCold.cpu.toFixed(1)} ms`);
console.log(`gap analysis with ledgers, warm: min ${full.min.toFixed(1)} ms, median ${full.median.toFixed(1)} ms, p95 ${full.p95.toFixed(1)} ms, cpu ${full.cpu.toFixed(1)} ms, findings ${full.findings}`);
console.log(`ledger phase alone, cold: min ${cold.min.toFixed(1)} ms, median ${cold.median.toFixed(1)} ms, cpu ${cold.cpu.toFixed(1)} ms`);
console.log(`ledger phase alone, warm: min ${warm.min.toFixed(1)} ms, median ${warm.median.toFixed(1)} ms, cpu ${warm.cpu.toFixed(1)} ms`);
console.log(`ledger findings: ${['ledger-invalid-id', 'ledger-duplicate', 'double-counted', 'ledger-out-of-period', 'ledger-total-mismatch', 'figure-mismatch', 'computed-differs'].map((k) => `${k} ${kinds.get(k) ?? 0}`).join(', ')}`);
// The machine's load changes wall times several-fold (shared CI cores): the load average is printed with the figures.
console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores`);
console.log(`goal: < 100 ms with ledgers — warm median ${full.median < 100 ? 'met' : 'NOT met'}, cold median ${fullCold.median < 100 ? 'met' : 'NOT met'}`);

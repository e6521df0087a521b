/**
 * Gap analysis benchmark: 10,000 live evidence items against the east-west-2017 framework
 * (templates/frameworks/east-west-2017.json, or an inline ~40-indicator framework when the template is absent).
 * Goal: well under 50 ms per analysis. Run with `node scripts/bench.mjs gaps`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Evidence, EvidenceType, Framework, Requirement, TargetValue, WorkspaceSettings } from '../../shared/domain/types.js';
import { parseFramework } from '../../shared/framework/schema.js';
import { analyzeGaps } from '../../shared/gaps/analyze.js';
import { buildContext } from '../../shared/gaps/context.js';
import { checkDuplicates } from '../../shared/gaps/rules/duplicates.js';
import { checkEvidenceItems } from '../../shared/gaps/rules/evidence.js';
import { evaluateIndicatorRequirements } from '../../shared/gaps/rules/requirements.js';
import { checkTargets } from '../../shared/gaps/rules/targets.js';

const ITEMS = 10_000;
const WARMUPS = 5;
const RUNS = 20;

/** Deterministic PRNG (mulberry32) so every run measures the same data. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function inlineFramework(): Framework {
  const types: EvidenceType[] = ['official-document', 'minutes', 'plan', 'ledger', 'photo', 'news', 'voucher', 'roster'];
  const categories = Array.from({ length: 9 }, (_, ci) => ({
    code: String(ci + 1),
    title: `类别${ci + 1}`,
    ...(ci === 7 ? { bonus: true } : {}),
    ...(ci === 8 ? { negative: true } : {}),
    indicators: Array.from({ length: ci < 7 ? 5 : 3 }, (_, ii) => {
      const code = `${ci + 1}.${ii + 1}`;
      const requirements: Requirement[] = Array.from({ length: 4 }, (_, ri) => ({
        id: `${code}-${ri + 1}`,
        title: `要求${code}-${ri + 1}`,
        type: types[(ci + ii + ri) % types.length],
        min: ri === 0 ? 4 : 1,
        period: ri === 1 && ii === 1 ? 'monthly' : ri === 2 ? 'yearly' : 'per-event',
        mandatory: ci < 7 && ri < 3,
        keywords: [`关键词${ri}`],
      }));
      return {
        code,
        title: `指标${code}`,
        department: `部门${ci + 1}`,
        requirements,
        targets: [
          { id: `${code}-t`, label: `总数${code}`, unit: '人', comparison: '>=' as const, value: 100, parts: [`${code}-t1`, `${code}-t2`] },
          { id: `${code}-t1`, label: `分项一${code}`, unit: '人', comparison: '>=' as const, value: null },
          { id: `${code}-t2`, label: `分项二${code}`, unit: '人', comparison: '>=' as const, value: null },
        ],
      };
    }),
  }));
  return { id: 'bench-inline', title: '基准测试框架', categories };
}

function loadFramework(): { framework: Framework; from: string } {
  const file = path.join(process.cwd(), 'templates', 'frameworks', 'east-west-2017.json');
  if (existsSync(file)) {
    return { framework: parseFramework(JSON.parse(readFileSync(file, 'utf8')), file), from: path.relative(process.cwd(), file) };
  }
  return { framework: inlineFramework(), from: 'inline (template not found)' };
}

function hex16(random: () => number): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += Math.floor(random() * 16).toString(16);
  return s;
}

function flipBits(hex: string, count: number, random: () => number): string {
  let value = BigInt(`0x${hex}`);
  for (let i = 0; i < count; i++) value ^= 1n << BigInt(Math.floor(random() * 64));
  return value.toString(16).padStart(16, '0');
}

function makeEvidence(framework: Framework, random: () => number): Evidence[] {
  const slots = framework.categories
    .filter((c) => !c.negative)
    .flatMap((c) => c.indicators.flatMap((indicator) => indicator.requirements.map((requirement) => ({ indicator, requirement }))));
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const items: Evidence[] = [];
  const photoHashes: string[] = [];
  const textHashes: string[] = [];
  for (let id = 1; id <= ITEMS; id++) {
    const roll = random();
    const { indicator, requirement } = pick(slots);
    // A realistic mix: a third photos, many monthly minutes, the rest documents and ledgers.
    const type: EvidenceType = roll < 0.33 ? 'photo' : roll < 0.5 ? 'minutes' : requirement.type;
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const year = random() < 0.02 ? 2018 : 2019;
    const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const keyword = requirement.keywords?.length ? pick(requirement.keywords) : '';
    let fingerprint: string;
    if (type === 'photo') {
      // ~3% re-shot or re-filed photos: a near copy of an earlier hash.
      fingerprint = photoHashes.length && random() < 0.03 ? flipBits(pick(photoHashes), Math.floor(random() * 4), random) : hex16(random);
      photoHashes.push(fingerprint);
      fingerprint = `d:${fingerprint}`;
    } else {
      fingerprint = textHashes.length && random() < 0.02 ? pick(textHashes) : `t:${hex16(random)}${hex16(random)}`;
      textHashes.push(fingerprint);
    }
    const unfiled = random() < 0.05;
    const links: Evidence['links'] = unfiled
      ? []
      : [
          {
            indicator: indicator.code,
            ...(random() < 0.1 ? { requirement: requirement.id } : {}),
            origin: random() < 0.7 ? 'suggested' : 'user',
            confidence: 0.8,
          },
        ];
    if (!unfiled && random() < 0.2) links.push({ indicator: pick(slots).indicator.code, origin: 'user', confidence: 1 });
    const readable = random() > 0.01;
    items.push({
      id,
      sha256: id.toString(16).padStart(64, '0'),
      size: 100_000,
      originalName: `材料${id}.${type === 'photo' ? 'jpg' : 'pdf'}`,
      source: `D:/迎检材料/${indicator.code}/材料${id}`,
      format: type === 'photo' ? 'jpeg' : 'pdf',
      type,
      typeOrigin: 'suggested',
      typeConfidence: 0.8,
      title: type === 'minutes' ? `县东西部扶贫协作领导小组${month}月会议纪要` : `${keyword}材料${id}`,
      ...(random() < 0.9 ? { issuer: '某县人民政府' } : {}),
      ...(type === 'official-document' && random() < 0.8 ? { docNumber: `某政发〔2019〕${id}号` } : {}),
      ...(random() < 0.97 ? { date } : {}),
      readability: readable ? 'ok' : 'encrypted',
      ...(readable ? {} : { readError: 'PDF 设有打开密码' }),
      ...(type === 'photo'
        ? {
            photo: { takenAt: `${date}T10:00:00` },
            caption: {
              subject: keyword || '活动',
              ...(random() < 0.8 ? { place: '县政府' } : {}),
              ...(random() < 0.7 ? { people: '县长张三' } : {}),
              ...(random() < 0.1 ? { time: '2019-01-01' } : {}),
            },
          }
        : {}),
      fingerprint,
      links,
      importedAt: '2019-12-01T08:00:00',
      updatedAt: '2019-12-01T08:00:00',
    });
  }
  return items;
}

function targetValues(framework: Framework, random: () => number): TargetValue[] {
  return framework.categories.flatMap((c) =>
    c.indicators.flatMap((i) =>
      i.targets.map((t) => ({ id: t.id, target: Math.round(random() * 1000), actual: random() < 0.8 ? Math.round(random() * 1000) : null })),
    ),
  );
}

const { framework, from } = loadFramework();
const random = prng(2019);
const evidence = makeEvidence(framework, random);
const targets = targetValues(framework, random);
const settings: WorkspaceSettings = {
  title: '基准测试',
  unit: '某县协作办',
  periodStart: '2019-01-01',
  periodEnd: '2019-12-31',
  frameworkId: framework.id,
};
const input = { framework, settings, evidence, targets };
const indicatorCount = framework.categories.reduce((n, c) => n + c.indicators.length, 0);

const gc = (globalThis as { gc?: () => void }).gc;
let report = analyzeGaps(input);
for (let i = 0; i < WARMUPS; i++) report = analyzeGaps(input);
gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const times: number[] = [];
// CPU time as well as wall time: on a busy machine (parallel test runs) wall time mostly measures waiting.
const cpuTimes: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  report = analyzeGaps(input);
  times.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpuTimes.push((c.user + c.system) / 1000);
}
cpuTimes.sort((a, b) => a - b);
const heapAfter = process.memoryUsage().heapUsed;
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

console.log(`framework: ${from} (${indicatorCount} indicators)`);
console.log(`evidence: ${evidence.length} items, ${evidence.reduce((n, e) => n + e.links.length, 0)} links`);
console.log(
  `findings: ${report.findings.length} (error ${report.summary.counts.error}, warning ${report.summary.counts.warning}, info ${report.summary.counts.info}); ` +
    `duplicates ${report.findings.filter((f) => f.kind === 'duplicate').length} groups; completeness ${(report.summary.completeness * 100).toFixed(1)}%`,
);
console.log(`analyzeGaps × ${RUNS}: min ${times[0].toFixed(2)} ms, median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms (goal < 50 ms)`);
console.log(`CPU time per run: min ${cpuTimes[0].toFixed(2)} ms, median ${cpuTimes[Math.floor(RUNS / 2)].toFixed(2)} ms`);
console.log(`heap used: ${mb(heapAfter)} MB (${mb(heapAfter - heapBefore)} MB more than before the timed runs${gc ? '' : '; run with --expose-gc for a clean baseline'})`);

/** Min / median time of each phase on its own (same input), to see where the time goes. */
function timePhase(run: () => unknown, times = 15): string {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    run();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return `${samples[0].toFixed(2)}/${samples[Math.floor(samples.length / 2)].toFixed(2)} ms`;
}
const ctx = buildContext(input);
const phases: [string, () => unknown][] = [
  ['index (buildContext)', () => buildContext(input)],
  ['slots', () => [...ctx.indicators.values()].map((entry) => evaluateIndicatorRequirements(ctx, entry))],
  ['items', () => checkEvidenceItems(ctx)],
  ['duplicates', () => checkDuplicates(ctx)],
  ['targets', () => checkTargets(ctx)],
];
console.log(`phases (min/median of 15): ${phases.map(([name, run]) => `${name} ${timePhase(run)}`).join(', ')}`);

import { describe, expect, it } from 'vitest';
import type { Framework, GapReport, TargetValue } from '../../../shared/domain/types.js';
import { analyzeGaps } from '../../../shared/gaps/analyze.js';
import { analyze, makeFramework, SETTINGS } from './fixture.js';

const ofKind = (report: GapReport, kind: string) => report.findings.filter((f) => f.kind === kind);
const value = (id: string, target: number | null, actual: number | null): TargetValue => ({ id, target, actual });

describe('target-unmet', () => {
  it('reports an actual below a ≥ target with the gap', () => {
    const report = analyze([], [value('2.1-t1', 3, 2)]);
    const [f] = ofKind(report, 'target-unmet');
    expect(f.severity).toBe('error');
    expect(f.indicator).toBe('2.1');
    expect(f.target).toBe('2.1-t1');
    expect(f.department).toBe('县委组织部');
    expect(f.message).toBe('目标“选派党政挂职干部”未完成：协议要求不少于 3人，实际 2人，相差 1人。');
    expect(f.detail).toMatchObject({ goal: 3, actual: 2, gap: 1, comparison: '>=' });
    expect(f.id).toBe('target-unmet:2.1:2.1-t1:');
  });

  it('uses the template default when the workspace has no value, and accepts money within half a cent', () => {
    // 5.2-t5 has value 5000 万元 in the template.
    expect(ofKind(analyze([], [value('5.2-t5', null, 4999.996)]), 'target-unmet')).toEqual([]);
    const [f] = ofKind(analyze([], [value('5.2-t5', null, 4999.99)]), 'target-unmet');
    expect(f.message).toContain('实际 4999.99万元');
  });

  it('checks ≤ and = comparisons', () => {
    const fw: Framework = makeFramework();
    fw.categories[1].indicators[0].targets = [
      { id: 'a', label: '闲置率', unit: '%', comparison: '<=', value: 10 },
      { id: 'b', label: '结对村数', unit: '个', comparison: '=', value: 5 },
    ];
    const report = analyzeGaps({ framework: fw, settings: SETTINGS, evidence: [], targets: [value('a', null, 12), value('b', null, 5)] });
    expect(ofKind(report, 'target-unmet').map((f) => f.target)).toEqual(['a']);
    expect(ofKind(report, 'target-unmet')[0].message).toContain('不超过 10%');
  });
});

describe('target-missing', () => {
  it('warns when a target value has no actual', () => {
    const [f] = ofKind(analyze([], [value('2.1-t1', 3, null)]), 'target-missing').filter((x) => x.target === '2.1-t1');
    expect(f.severity).toBe('warning');
    expect(f.message).toBe('目标“选派党政挂职干部”协议目标为不少于 3人，但尚未填写实际完成数。');
  });

  it('is information when no target value is set at all', () => {
    const [f] = ofKind(analyze([]), 'target-missing').filter((x) => x.target === '2.1-t1');
    expect(f.severity).toBe('info');
    expect(f.message).toContain('尚未填写协议目标值');
  });
});

describe('figures-inconsistent', () => {
  it('reports a total that is not the sum of its parts, with the numbers', () => {
    const report = analyze([], [
      value('5.2-t', 1000, 1200),
      value('5.2-t1', null, 500),
      value('5.2-t2', null, 400),
      value('5.2-t3', null, 250),
    ]);
    const [f] = ofKind(report, 'figures-inconsistent');
    expect(f.severity).toBe('error');
    expect(f.indicator).toBe('5.2');
    expect(f.target).toBe('5.2-t');
    expect(f.department).toBe('县人社局');
    expect(f.message).toContain('“转移就业”实际 1200人，但分项之和为 1150人');
    expect(f.message).toContain('到结对东部就业 500人 + 省内就近就业 400人 + 其他地区就业 250人');
    expect(f.message).toContain('相差 50人');
    expect(f.detail).toMatchObject({ totalActual: 1200, sum: 1150, difference: -50, complete: true });
  });

  it('accepts a consistent total', () => {
    const report = analyze([], [
      value('5.2-t', 1000, 1150),
      value('5.2-t1', null, 500),
      value('5.2-t2', null, 400),
      value('5.2-t3', null, 250),
      value('5.2-t4', null, 300),
    ]);
    expect(ofKind(report, 'figures-inconsistent')).toEqual([]);
  });

  it('with parts still blank, flags only a sum already above the total', () => {
    const ok = analyze([], [value('5.2-t', null, 1000), value('5.2-t1', null, 500)]);
    expect(ofKind(ok, 'figures-inconsistent')).toEqual([]);
    const over = analyze([], [value('5.2-t', null, 1000), value('5.2-t1', null, 700), value('5.2-t2', null, 400)]);
    expect(ofKind(over, 'figures-inconsistent')[0].message).toContain('已填分项之和为 1100人');
  });

  it('reports a 其中 larger than its total', () => {
    const report = analyze([], [value('5.2-t', null, 400), value('5.2-t4', null, 500)]);
    const [f] = ofKind(report, 'figures-inconsistent');
    expect(f.message).toBe('“其中”项“其中脱贫人口”实际 500人，大于总数“转移就业”的实际 400人。');
    expect(f.detail).toMatchObject({ total: '5.2-t', subtotal: '5.2-t4', totalActual: 400, subtotalActual: 500 });
  });

  it('warns about 人 mixed with 人次 and does not add them up', () => {
    const fw = makeFramework();
    const targets = fw.categories[2].indicators[0].targets;
    targets[3] = { ...targets[3], unit: '人次' };
    const report = analyzeGaps({
      framework: fw,
      settings: SETTINGS,
      evidence: [],
      targets: [value('5.2-t', null, 1), value('5.2-t1', null, 500), value('5.2-t2', null, 400), value('5.2-t3', null, 250)],
    });
    const found = ofKind(report, 'figures-inconsistent');
    expect(found).toHaveLength(1);
    expect(found[0].severity).toBe('warning');
    expect(found[0].message).toContain('分项“其他地区就业”的单位是“人次”，总数“转移就业”的单位是“人”');
  });
});

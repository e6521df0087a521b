import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../../shared/domain/types.js';
import { analyzeGaps } from '../../../shared/gaps/analyze.js';
import { analyze, link, makeEvidence, makeFramework, monthlyMinutes, SETTINGS } from './fixture.js';

/**
 * Hand-computed example (mandatory slots only count):
 *   1.1: 专题研究纪要 1/1                              → 1
 *   1.2: 成立文件 0/1, 领导小组纪要 6 of 12 months       → (0 + 0.5) / 2 = 0.25
 *   1.3: 照片 3/4, 函件 0/1                             → (0.75 + 0) / 2 = 0.375
 *   2.1: 任职文件 1/1                                   → 1
 *   5.2: 台账 0/1                                       → 0
 *   category 1 = (1 + 0.25 + 0.375) / 3; overall = 2.625 / 5 = 0.525; bonus 8.1 and negative 9.1 left out.
 */
function example(): Evidence[] {
  const photo = (id: number): Evidence =>
    makeEvidence(id, {
      type: 'photo',
      format: 'jpeg',
      title: `互访照片${id}`,
      photo: { takenAt: '2019-05-12T09:30:00' },
      caption: { subject: '高层互访', place: '县政府', people: '县长张三' },
      links: [link('1.3')],
    });
  return [
    makeEvidence(1, { type: 'minutes', title: '县委常委会会议纪要', date: '2019-02-01', links: [link('1.1')] }),
    ...monthlyMinutes(100, [7, 8, 9, 10, 11, 12]),
    photo(201),
    photo(202),
    photo(203),
    makeEvidence(301, { type: 'appointment', title: '关于张三同志挂职的通知', docNumber: '组干〔2019〕3号', links: [link('2.1')] }),
  ];
}

describe('summary', () => {
  it('rolls completeness up from slots to indicators, categories and overall', () => {
    const { summary } = analyze(example());
    const byCode = new Map(summary.categories.flatMap((c) => c.indicators).map((i) => [i.code, i]));
    expect(byCode.get('1.1')).toMatchObject({ completeness: 1, status: 'met', department: '县协作办' });
    expect(byCode.get('1.2')?.completeness).toBeCloseTo(0.25);
    expect(byCode.get('1.2')?.status).toBe('partial');
    expect(byCode.get('1.3')?.completeness).toBeCloseTo(0.375);
    expect(byCode.get('2.1')?.completeness).toBe(1);
    expect(byCode.get('5.2')).toMatchObject({ completeness: 0, status: 'missing' });
    expect(summary.categories.map((c) => c.code)).toEqual(['1', '2', '5', '8', '9']);
    expect(summary.categories[0].completeness).toBeCloseTo((1 + 0.25 + 0.375) / 3);
    expect(summary.completeness).toBeCloseTo(0.525);
    expect(byCode.get('1.3')?.findings).toBe(2);
  });

  it('weights indicators only when every counted indicator has a weight', () => {
    const weighted = makeFramework();
    const weights: Record<string, number> = { '1.1': 2, '1.2': 1, '1.3': 1, '2.1': 1, '5.2': 1 };
    for (const c of weighted.categories) for (const i of c.indicators) i.weight = weights[i.code] ?? null;
    const report = analyzeGaps({ framework: weighted, settings: SETTINGS, evidence: example(), targets: [] });
    expect(report.summary.completeness).toBeCloseTo(3.625 / 6);
    weighted.categories[2].indicators[0].weight = null;
    const partial = analyzeGaps({ framework: weighted, settings: SETTINGS, evidence: example(), targets: [] });
    expect(partial.summary.completeness).toBeCloseTo(0.525);
  });

  it('counts findings by severity', () => {
    const report = analyze(example());
    for (const severity of ['error', 'warning', 'info'] as const) {
      expect(report.summary.counts[severity]).toBe(report.findings.filter((f) => f.severity === severity).length);
    }
    expect(report.summary.counts.error).toBe(5);
  });

  it('lists what each lead department owes, the department owing most first', () => {
    const { summary } = analyze(example());
    expect(summary.departments.map((d) => [d.department, d.items.length])).toEqual([
      ['县协作办', 6],
      ['县人社局', 3],
    ]);
    const [office, hr] = summary.departments;
    expect(office.items.map((i) => `${i.indicator}/${i.requirement ?? i.target}`)).toEqual([
      '1.2/1.2-1',
      '1.2/1.2-2',
      '1.3/1.3-2',
      '1.3/1.3-1',
      '1.1/1.1-2',
      '1.2/1.2-3',
    ]);
    expect(office.items[1].message).toContain('2019年7月');
    expect(hr.items.map((i) => i.requirement ?? i.target)).toEqual(['5.2-1', '5.2-2', '5.2-t5']);
    // 2.1's only open item is an unset target (info): the organisation department owes nothing.
    expect(summary.departments.some((d) => d.department === '县委组织部')).toBe(false);
  });
});

describe('determinism', () => {
  it('gives the same findings, in the same order with the same ids, whatever the input order', () => {
    const items = [
      ...example(),
      makeEvidence(400, { type: 'letter', title: '旧函', date: '2018-03-01', links: [link('1.3'), link('1.1')] }),
      makeEvidence(401, { type: 'photo', fingerprint: 'd:00000000000000ff', links: [link('1.3')] }),
      makeEvidence(402, { type: 'photo', fingerprint: 'd:00000000000000fe' }),
      makeEvidence(403, { title: '未归档材料', fingerprint: 't:x' }),
      makeEvidence(404, { title: '未归档材料', fingerprint: 't:x', readability: 'corrupt' }),
    ];
    const targets = [
      { id: '5.2-t', target: 1000, actual: 900 },
      { id: '5.2-t1', target: null, actual: 950 },
    ];
    const first = analyze(items, targets);
    const second = analyze([...items].reverse(), [...targets].reverse());
    expect(second.findings).toEqual(first.findings);
    expect(second.summary).toEqual(first.summary);
    const ids = first.findings.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Errors first, then warnings, then information.
    const ranks = first.findings.map((f) => ['error', 'warning', 'info'].indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });
});

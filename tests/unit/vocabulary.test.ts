import { describe, expect, it } from 'vitest';
import { buildBinderPlan } from '../../shared/binder/plan.js';
import { isIsoDate } from '../../shared/domain/dates.js';
import type { Framework, WorkspaceSettings } from '../../shared/domain/types.js';
import { analyzeGaps } from '../../shared/gaps/analyze.js';
import { targetMet } from '../../shared/vocabulary.js';

const framework: Framework = {
  id: 'f',
  title: '测试框架',
  categories: [
    {
      code: '4',
      title: '产业合作',
      indicators: [
        {
          code: '4.2',
          title: '落地企业',
          requirements: [],
          targets: [
            { id: 'money', label: '企业实际投资额', unit: '万元', comparison: '>=', value: 3000 },
            { id: 'people', label: '带动贫困人口', unit: '人', comparison: '>=', value: 3800 },
          ],
        },
      ],
    },
  ],
};
const settings: WorkspaceSettings = { title: '某县', unit: '', periodStart: '2019-01-01', periodEnd: '2019-12-31', frameworkId: 'f' };

describe('one vocabulary', () => {
  it('one ISO date rule: real calendar days only, leap years included', () => {
    expect(['2019-03-15', '2020-02-29', '2000-02-29', '2019-12-31'].every((d) => isIsoDate(d))).toBe(true);
    expect(['2019-02-29', '1900-02-29', '2019-04-31', '2019-13-01', '2019-00-10', '2019-3-15', '2019/03/15', '', undefined].some((d) => isIsoDate(d))).toBe(false);
  });

  it('one "target met" rule: money within half a unit of the last digit is met, people are counted exactly, missing is not met', () => {
    expect(targetMet(2999.996, '>=', 3000, '万元')).toBe(true);
    expect(targetMet(2999.99, '>=', 3000, '万元')).toBe(false);
    expect(targetMet(3799, '>=', 3800, '人')).toBe(false);
    expect(targetMet(null, '>=', 3800, '人')).toBeNull();
    expect(targetMet(5, '>=', null, '人')).toBeNull();
  });

  it('the gap report and the binder divider agree on a rounded money figure', () => {
    const targets = [
      { id: 'money', target: 3000, actual: 2999.996 },
      { id: 'people', target: 3800, actual: 3700 },
    ];
    const gaps = analyzeGaps({ framework, settings, evidence: [], targets });
    const unmet = gaps.findings.filter((f) => f.kind === 'target-unmet').map((f) => f.target);
    expect(unmet).toEqual(['people']);
    const plan = buildBinderPlan(framework, settings, [], gaps, targets, {}, { generatedAt: '2019-12-20T00:00:00Z' });
    const divider = plan.volumes.flatMap((v) => v.sections).find((s) => s.indicatorCode === '4.2')!;
    expect(divider.targets.map((t) => [t.id, t.met])).toEqual([
      ['money', true],
      ['people', false],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { isFinding, type FindingKind, type GapReport } from '../../../shared/domain/types.js';
import { analyze, link, makeEvidence, monthlyMinutes, SETTINGS } from './fixture.js';

const findingsOf = <K extends FindingKind>(report: GapReport, kind: K, indicator?: string) =>
  report.findings.filter(isFinding(kind)).filter((f) => indicator === undefined || f.indicator === indicator);
const slot = (report: GapReport, indicator: string, requirement: string) => {
  const result = report.summary.categories
    .flatMap((c) => c.indicators)
    .find((i) => i.code === indicator)
    ?.requirements.find((r) => r.requirement === requirement);
  if (!result) throw new Error(`no result for ${requirement}`);
  return result;
};

describe('missing-evidence', () => {
  it('reports a mandatory slot with nothing as an error owed by the lead department', () => {
    const report = analyze([]);
    const [f] = findingsOf(report, 'missing-evidence', '2.1');
    expect(f.severity).toBe('error');
    expect(f.requirement).toBe('2.1-1');
    expect(f.department).toBe('县委组织部');
    expect(f.message).toContain('缺少“挂职干部任职文件”');
    expect(f.message).toContain('至少 1 份');
    expect(f.action).toContain('县委组织部');
    expect(f.id).toBe('missing-evidence:2.1:2.1-1:');
    expect(slot(report, '2.1', '2.1-1')).toMatchObject({ status: 'missing', have: 0, need: 1, completeness: 0 });
  });

  it('lists every month of a monthly slot that has nothing', () => {
    const [f] = findingsOf(analyze([]), 'missing-evidence', '1.2').filter((x) => x.requirement === '1.2-2');
    expect(f.message).toContain('每月至少 1 份（考核期共 12 个月）');
    expect(f.detail.missing).toHaveLength(12);
  });

  it('mentions filed items that do not count (unreadable)', () => {
    const broken = makeEvidence(1, { type: 'appointment', docNumber: '组干〔2019〕3号', readability: 'encrypted', links: [link('2.1')] });
    const [f] = findingsOf(analyze([broken]), 'missing-evidence', '2.1');
    expect(f.message).toContain('另有 1 份已归入的材料因无法读取或日期不在考核期内未计入');
  });

  it('never reports bonus or negative-list slots as errors', () => {
    const report = analyze([]);
    expect(report.findings.filter((f) => f.indicator === '9.1')).toEqual([]);
    const bonus = report.findings.filter((f) => f.indicator === '8.1');
    expect(bonus.map((f) => f.severity)).toEqual(['info']);
    expect(bonus[0].message).toContain('加分项');
  });
});

describe('too-few', () => {
  it('counts per-event photos and says how many are still needed', () => {
    const photos = [1, 2].map((id) =>
      makeEvidence(id, { type: 'photo', format: 'jpeg', title: `互访照片${id}`, links: [link('1.3')] }),
    );
    const report = analyze(photos);
    const [f] = findingsOf(report, 'too-few', '1.3');
    expect(f.severity).toBe('error');
    expect(f.requirement).toBe('1.3-1');
    expect(f.message).toContain('仅有 2 份');
    expect(f.message).toContain('要求至少 4 份（每次活动都应有）');
    expect(f.message).toContain('还差 2 份');
    expect(f.detail).toMatchObject({ have: 2, need: 4, short: 2 });
    expect(slot(report, '1.3', '1.3-1')).toMatchObject({ status: 'partial', completeness: 0.5, evidence: [1, 2] });
  });

  it('is a warning for a slot that is not mandatory', () => {
    const [f] = findingsOf(analyze([]), 'too-few', '1.1');
    expect(f.requirement).toBe('1.1-2');
    expect(f.severity).toBe('warning');
    expect(f.message).toContain('“年度工作要点”尚无材料');
  });

  it('counts yearly slots per calendar year of a two-year period', () => {
    const settings = { ...SETTINGS, periodStart: '2019-01-01', periodEnd: '2020-12-31' };
    const ledger = makeEvidence(1, { type: 'roster', title: '转移就业人员名册', date: '2019-12-20', links: [link('5.2')] });
    const report = analyze([ledger], [], settings);
    const [f] = findingsOf(report, 'too-few', '5.2');
    expect(f.requirement).toBe('5.2-1');
    expect(f.detail.missing).toEqual(['2020']);
    expect(f.message).toContain('不足的年度：2020年');
    expect(slot(report, '5.2', '5.2-1')).toMatchObject({
      need: 2,
      completeness: 0.5,
      periods: [
        { key: '2019', covered: true },
        { key: '2020', covered: false },
      ],
    });
  });
});

describe('period-gap', () => {
  it('lists the months without leading-group minutes in order', () => {
    const report = analyze(monthlyMinutes(100, [4, 9]));
    const [f] = findingsOf(report, 'period-gap', '1.2');
    expect(f.severity).toBe('error');
    expect(f.requirement).toBe('1.2-2');
    expect(f.detail.missing).toEqual(['2019-04', '2019-09']);
    expect(f.message).toContain('以下 2 个月没有：2019年4月、2019年9月');
    const result = slot(report, '1.2', '1.2-2');
    expect(result.periods).toHaveLength(12);
    expect(result.periods?.filter((p) => !p.covered).map((p) => p.key)).toEqual(['2019-04', '2019-09']);
    expect(result.completeness).toBeCloseTo(10 / 12);
    expect(result.status).toBe('partial');
  });

  it('says that undated minutes cannot cover a month', () => {
    const items = [
      ...monthlyMinutes(100, [4, 9]),
      makeEvidence(500, { type: 'minutes', title: '领导小组会议纪要（日期不详）', date: undefined, links: [link('1.2')] }),
    ];
    const [f] = findingsOf(analyze(items), 'period-gap', '1.2');
    expect(f.message).toContain('另有 1 份材料未标注日期，无法计入任何月份');
    expect(f.action).toContain('补填日期');
    expect(f.detail.undated).toBe(1);
  });

  it('spans years and partial months of the period', () => {
    const settings = { ...SETTINGS, periodStart: '2019-11-20', periodEnd: '2020-02-10' };
    const items = [
      makeEvidence(1, { type: 'minutes', title: '领导小组会议纪要', date: '2019-11-25', links: [link('1.2')] }),
      makeEvidence(2, { type: 'minutes', title: '领导小组会议纪要', date: '2020-02-05', links: [link('1.2')] }),
    ];
    const report = analyze(items, [], settings);
    const [f] = findingsOf(report, 'period-gap', '1.2');
    expect(f.detail.missing).toEqual(['2019-12', '2020-01']);
    expect(slot(report, '1.2', '1.2-2').periods?.map((p) => p.key)).toEqual(['2019-11', '2019-12', '2020-01', '2020-02']);
  });

  it('uses quarter keys for quarterly slots and is a warning when not mandatory', () => {
    const report = analyze([
      makeEvidence(1, { type: 'report', title: '一季度就业统计', date: '2019-03-31', links: [link('5.2')] }),
      makeEvidence(2, { type: 'report', title: '三季度就业统计', date: '2019-09-30', links: [link('5.2')] }),
    ]);
    const [f] = findingsOf(report, 'period-gap', '5.2');
    expect(f.severity).toBe('warning');
    expect(f.detail.missing).toEqual(['2019-Q2', '2019-Q4']);
    expect(f.message).toContain('2019年第2季度、2019年第4季度');
  });

  it('is silent when every month is covered', () => {
    expect(findingsOf(analyze(monthlyMinutes(100)), 'period-gap', '1.2')).toEqual([]);
  });
});

describe('filing evidence into slots', () => {
  it('a link naming a requirement fills only that slot', () => {
    const minutes = makeEvidence(1, { type: 'minutes', title: '会议纪要', date: '2019-03-01', links: [link('1.2', '1.2-3')] });
    const report = analyze([minutes]);
    expect(slot(report, '1.2', '1.2-3').evidence).toEqual([1]);
    expect(slot(report, '1.2', '1.2-2').evidence).toEqual([]);
  });

  it("honours the user's own filing into a slot of another type, but not a suggestion's", () => {
    const byUser = makeEvidence(1, { type: 'report', title: '领导小组成立情况说明', links: [link('1.2', '1.2-1', 'user')] });
    expect(slot(analyze([byUser]), '1.2', '1.2-1').evidence).toEqual([1]);
    const suggested = makeEvidence(2, { type: 'report', title: '领导小组成立情况说明', links: [link('1.2', '1.2-1', 'suggested')] });
    expect(slot(analyze([suggested]), '1.2', '1.2-1').evidence).toEqual([]);
  });

  it('without a named requirement one item fills every slot of its type (一材多用)', () => {
    const minutes = makeEvidence(1, { type: 'minutes', title: '会议纪要', date: '2019-03-01', links: [link('1.2')] });
    const report = analyze([minutes]);
    expect(slot(report, '1.2', '1.2-2').evidence).toEqual([1]);
    expect(slot(report, '1.2', '1.2-3').evidence).toEqual([1]);
  });

  it("a title matching a sibling's keywords goes to the sibling", () => {
    const minutes = makeEvidence(1, { type: 'minutes', title: '东西部协作联席会议纪要', date: '2019-03-01', links: [link('1.2', undefined, 'suggested')] });
    const report = analyze([minutes]);
    expect(slot(report, '1.2', '1.2-3').evidence).toEqual([1]);
    expect(slot(report, '1.2', '1.2-2').evidence).toEqual([]);
  });

  it('accepts the alternative types a slot names', () => {
    const roster = makeEvidence(1, { type: 'roster', title: '转移就业人员名册', links: [link('5.2')] });
    expect(slot(analyze([roster]), '5.2', '5.2-1')).toMatchObject({ status: 'met', evidence: [1] });
  });

  it('out-of-period and unreadable items do not count', () => {
    const items = [
      makeEvidence(1, { type: 'letter', title: '对接函', date: '2018-12-30', links: [link('1.3')] }),
      makeEvidence(2, { type: 'letter', title: '对接函', readability: 'corrupt', links: [link('1.3')] }),
    ];
    expect(slot(analyze(items), '1.3', '1.3-2')).toMatchObject({ have: 0, evidence: [] });
    const undated = makeEvidence(3, { type: 'letter', title: '对接函', date: undefined, links: [link('1.3')] });
    expect(slot(analyze([undated]), '1.3', '1.3-2')).toMatchObject({ have: 1, status: 'met' });
  });
});

describe('month-precision dates ("2019-04": the document gives only the month)', () => {
  it('a month-dated 纪要 covers its month and counts as dated', () => {
    const items = [...monthlyMinutes(100, [4, 9]), makeEvidence(200, { type: 'minutes', title: '领导小组会议纪要', date: '2019-04', links: [link('1.2')] })];
    const report = analyze(items);
    const [f] = findingsOf(report, 'period-gap', '1.2');
    expect(f.detail.missing).toEqual(['2019-09']);
    expect(f.message).not.toContain('未标注日期');
    expect(findingsOf(report, 'out-of-period')).toEqual([]);
  });

  it('a month outside the period is out of period, a month overlapping its edge is inside', () => {
    const settings = { ...SETTINGS, periodStart: '2019-03-15', periodEnd: '2019-12-31' };
    const items = [
      makeEvidence(1, { type: 'letter', title: '关于开展对接工作的函', date: '2019-03', links: [link('1.3')] }),
      makeEvidence(2, { type: 'letter', title: '关于结对帮扶工作的函', date: '2020-01', links: [link('1.3')] }),
    ];
    const out = findingsOf(analyze(items, [], settings), 'out-of-period');
    expect(out.map((f) => f.evidence)).toEqual([[2]]);
    expect(out[0].message).toContain('日期 2020-01 不在考核期');
  });
});

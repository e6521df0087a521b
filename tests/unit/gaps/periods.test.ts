import { describe, expect, it } from 'vitest';
import { evidenceDate, formatPeriodKey, makePeriod, periodKeys } from '../../../shared/gaps/periods.js';
import { makeEvidence } from './fixture.js';

describe('assessment periods', () => {
  it('lists months of a period that spans years and ends mid-month', () => {
    expect(periodKeys(makePeriod('2019-10-15', '2020-02-03'), 'monthly')).toEqual(['2019-10', '2019-11', '2019-12', '2020-01', '2020-02']);
  });

  it('lists quarters and years', () => {
    expect(periodKeys(makePeriod('2019-05-01', '2020-04-30'), 'quarterly')).toEqual(['2019-Q2', '2019-Q3', '2019-Q4', '2020-Q1', '2020-Q2']);
    expect(periodKeys(makePeriod('2018-07-01', '2020-06-30'), 'yearly')).toEqual(['2018', '2019', '2020']);
  });

  it('has no periods when the settings are reversed or incomplete', () => {
    expect(makePeriod('2020-01-01', '2019-01-01').valid).toBe(false);
    expect(periodKeys(makePeriod('', '2019-12-31'), 'monthly')).toEqual([]);
  });

  it('names period keys in Chinese', () => {
    expect(['2019-04', '2019-Q3', '2020'].map(formatPeriodKey)).toEqual(['2019年4月', '2019年第3季度', '2020年']);
  });

  it("dates an item by its own date, else by the photo's EXIF date", () => {
    const photo = { takenAt: '2019-05-12T09:30:00' };
    expect(evidenceDate(makeEvidence(1, { date: undefined, photo }))).toEqual({ date: '2019-05-12', by: 'takenAt' });
    expect(evidenceDate(makeEvidence(2, { date: '2019-06-01', photo }))).toEqual({ date: '2019-06-01', by: 'date' });
    expect(evidenceDate(makeEvidence(3, { date: '2019-13-01' }))).toBeUndefined();
  });
});

import { isIsoDate } from '../domain/dates.js';
import type { Evidence } from '../domain/types.js';

/**
 * Calendar arithmetic for the assessment period. All dates are ISO "YYYY-MM-DD" strings, so range checks
 * are plain string comparisons; no Date objects (time zones would shift a day at the period edges).
 */

/** The assessment period from the workspace settings; `valid` is false when a bound is missing or reversed. */
export type AssessmentPeriod = { start: string; end: string; valid: boolean };

export type PeriodicUnit = 'monthly' | 'quarterly' | 'yearly';

export { isIsoDate };

export function makePeriod(periodStart: string, periodEnd: string): AssessmentPeriod {
  const valid = isIsoDate(periodStart) && isIsoDate(periodEnd) && periodStart <= periodEnd;
  return { start: periodStart, end: periodEnd, valid };
}

/** "YYYY-MM": a document dated by month only ("2024年12月" on a cover); it has no day and gets none invented. */
export function isMonthPrecision(value: string | undefined): boolean {
  if (value === undefined || value.length !== 7 || value.charCodeAt(4) !== 45) return false;
  return isIsoDate(`${value}-01`);
}

export type DatedBy = 'date' | 'takenAt';

/** The date that places an item in time: its own date, else the photo's EXIF capture date. */
export function evidenceDate(item: Evidence): { date: string; by: DatedBy } | undefined {
  if (item.date !== undefined && (isIsoDate(item.date) || isMonthPrecision(item.date))) return { date: item.date, by: 'date' };
  const taken = item.photo?.takenAt?.slice(0, 10);
  if (isIsoDate(taken)) return { date: taken, by: 'takenAt' };
  return undefined;
}

/** An invalid period bounds nothing: every date counts as inside (the settings screen reports the period itself). */
export function isInPeriod(date: string, period: AssessmentPeriod): boolean {
  if (!period.valid) return true;
  // A month counts as inside when any of its days is.
  if (isMonthPrecision(date)) return `${date}-31` >= period.start && `${date}-01` <= period.end;
  return date >= period.start && date <= period.end;
}

export function periodKeyOf(date: string, unit: PeriodicUnit): string {
  const year = date.slice(0, 4);
  if (unit === 'yearly') return year;
  const month = Number(date.slice(5, 7));
  if (unit === 'monthly') return `${year}-${date.slice(5, 7)}`;
  return `${year}-Q${Math.ceil(month / 3)}`;
}

/**
 * Every period key from the start to the end of the assessment period, in order. A period that starts or
 * ends mid-month (or mid-quarter) includes that month (quarter): inspectors ask for its minutes too.
 */
export function periodKeys(period: AssessmentPeriod, unit: PeriodicUnit): string[] {
  if (!period.valid) return [];
  const startYear = Number(period.start.slice(0, 4));
  const endYear = Number(period.end.slice(0, 4));
  const keys: string[] = [];
  if (unit === 'yearly') {
    for (let y = startYear; y <= endYear; y++) keys.push(String(y));
    return keys;
  }
  const perYear = unit === 'monthly' ? 12 : 4;
  const indexOf = (date: string) => {
    const month = Number(date.slice(5, 7));
    return unit === 'monthly' ? month : Math.ceil(month / 3);
  };
  for (let y = startYear, i = indexOf(period.start); y < endYear || (y === endYear && i <= indexOf(period.end)); ) {
    keys.push(unit === 'monthly' ? `${y}-${String(i).padStart(2, '0')}` : `${y}-Q${i}`);
    i++;
    if (i > perYear) {
      i = 1;
      y++;
    }
  }
  return keys;
}

/** "2019-04" → "2019年4月", "2019-Q2" → "2019年第2季度", "2019" → "2019年". */
export function formatPeriodKey(key: string): string {
  const quarter = /^(\d{4})-Q(\d)$/.exec(key);
  if (quarter) return `${quarter[1]}年第${quarter[2]}季度`;
  const month = /^(\d{4})-(\d{2})$/.exec(key);
  if (month) return `${month[1]}年${Number(month[2])}月`;
  return `${key}年`;
}

export const PERIOD_UNIT_LABEL: Record<PeriodicUnit, string> = { monthly: '每月', quarterly: '每季度', yearly: '每年' };
export const PERIOD_UNIT_NOUN: Record<PeriodicUnit, string> = { monthly: '个月', quarterly: '个季度', yearly: '年' };

/**
 * Date recognition in Chinese official texts and file names. Pure.
 * Days are ISO "YYYY-MM-DD" and only real calendar days: "2019年度" or "2019年3月" is not a day. A document dated
 * by month only (a cover saying "2024年12月") gets month precision, "YYYY-MM" (findMonthsInText), never an
 * invented day.
 */

/** Years an evidence item can plausibly carry; keeps "3015年" OCR noise and serial numbers out. */
const MIN_YEAR = 1990;
const MAX_YEAR = 2099;

export function isValidDay(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= days;
}

export function toIsoDate(year: number, month: number, day: number): string | undefined {
  if (!isValidDay(year, month, day)) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Digits used for years in 成文日期 (GB/T 9704 writes them with 〇; OCR and typists use ○, 零, Ｏ, O). */
const YEAR_DIGITS: Record<string, number> = {
  '〇': 0, '○': 0, '零': 0, 'Ｏ': 0, 'O': 0, 'o': 0, '０': 0,
  '一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
};

const SMALL: Record<string, number> = { '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9 };

/** 一 … 三十一 (also 〇/零 inside, e.g. 二十〇 is not used but 三十一 is). Returns NaN when not a number. */
export function parseChineseSmallNumber(s: string): number {
  if (!s) return NaN;
  if (s === '十') return 10;
  const m = /^([一二两三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
  if (m) return (m[1] ? SMALL[m[1]] : 1) * 10 + (m[2] ? SMALL[m[2]] : 0);
  if (s.length === 1 && s in SMALL) return SMALL[s];
  return NaN;
}

export function parseChineseYear(s: string): number {
  if (s.length !== 4) return NaN;
  let y = 0;
  for (const ch of s) {
    const d = YEAR_DIGITS[ch];
    if (d === undefined) return NaN;
    y = y * 10 + d;
  }
  return y;
}

/** Full-width digits and separators → ASCII, so one set of patterns covers typed and OCR text. */
export function normaliseDigits(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[．]/g, '.').replace(/[／]/g, '/').replace(/[－—–]/g, '-');
}

export type DateHit = { iso: string; index: number; length: number };

const CN_YEAR = '[〇○零ＯOo０一二三四五六七八九]{4}';
const CN_SMALL = '[一二两三四五六七八九十]{1,3}';
const ARABIC_CN_RE = /((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号](?!楼|院|线|文)/g;
const CHINESE_RE = new RegExp(`(${CN_YEAR})\\s*年\\s*(${CN_SMALL})\\s*月\\s*(${CN_SMALL})\\s*日`, 'g');
// "2019.3.15", "2019-03-15", "2019/3/15": the separator must repeat, and no digit may follow (not a version or phone number).
const SEPARATED_RE = /(?<![\d.])((?:19|20)\d{2})([./-])(\d{1,2})\2(\d{1,2})(?![\d.]*\d)/g;

/** Every full date in running text, in order of appearance. */
export function findDatesInText(text: string): DateHit[] {
  const src = normaliseDigits(text);
  const hits: DateHit[] = [];
  for (const m of src.matchAll(ARABIC_CN_RE)) {
    const iso = toIsoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    if (iso) hits.push({ iso, index: m.index, length: m[0].length });
  }
  for (const m of src.matchAll(CHINESE_RE)) {
    const iso = toIsoDate(parseChineseYear(m[1]), parseChineseSmallNumber(m[2]), parseChineseSmallNumber(m[3]));
    if (iso) hits.push({ iso, index: m.index, length: m[0].length });
  }
  for (const m of src.matchAll(SEPARATED_RE)) {
    const iso = toIsoDate(Number(m[1]), Number(m[3]), Number(m[4]));
    if (iso) hits.push({ iso, index: m.index, length: m[0].length });
  }
  return hits.sort((a, b) => a.index - b.index);
}

/** "YYYY-MM" of a month-precision date, or "YYYY-MM-DD". */
export function isMonthDate(value: string | undefined): value is string {
  return value !== undefined && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

const ARABIC_MONTH_RE = /((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])(?!份)/g;
const CHINESE_MONTH_RE = new RegExp(`(${CN_YEAR})\\s*年\\s*(${CN_SMALL})\\s*月(?!\\s*${CN_SMALL}\\s*日)(?!份)`, 'g');

/** Year and month without a day ("2024年12月", "二〇二四年十二月"; not "12月份"), as "YYYY-MM". */
export function findMonthsInText(text: string): DateHit[] {
  const src = normaliseDigits(text);
  const hits: DateHit[] = [];
  const add = (year: number, month: number, index: number, length: number) => {
    if (isValidDay(year, month, 1)) hits.push({ iso: `${year}-${String(month).padStart(2, '0')}`, index, length });
  };
  for (const m of src.matchAll(ARABIC_MONTH_RE)) add(Number(m[1]), Number(m[2]), m.index, m[0].length);
  for (const m of src.matchAll(CHINESE_MONTH_RE)) add(parseChineseYear(m[1]), parseChineseSmallNumber(m[2]), m.index, m[0].length);
  return hits.sort((a, b) => a.index - b.index);
}

// Camera and messenger names: IMG_20190612_093512, 微信图片_20190708153012, Screenshot_2019-07-08-….
const COMPACT_RE = /(?<!\d)((?:19|20)\d{2})(\d{2})(\d{2})(?:[_-]?\d{6})?(?!\d)/g;

/**
 * A date written in a file name. Only full dates count: "第3次会议纪要", "5月份" and "3号楼" give nothing.
 */
export function findDateInFileName(fileName: string): string | undefined {
  const base = normaliseDigits(fileName.replace(/\.[A-Za-z0-9]{1,5}$/, ''));
  const inText = findDatesInText(base);
  if (inText.length) return inText[0].iso;
  for (const m of base.matchAll(COMPACT_RE)) {
    const iso = toIsoDate(Number(m[1]), Number(m[2]), Number(m[3]));
    if (iso) return iso;
  }
  return undefined;
}

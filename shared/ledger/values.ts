import { isIsoDate } from '../domain/dates.js';
import { squash, toHalfWidth } from './grid.js';
import { normaliseIdNumber } from './id-number.js';
import type { LedgerEnumValue, LedgerField } from './types.js';

/** A parsed cell: numbers for money/count/percent, "YYYY-MM-DD" or "YYYY-MM" for dates, an enum value key, else text. */
export type LedgerValue = string | number;

// Excel's day 1 is 1900-01-01 and it counts 1900-02-29, so serials from 61 on are one day ahead of the calendar.
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function isoOrMonth(y: number, m: number, d?: number): string | undefined {
  if (y < 1900 || y > 2100 || m < 1 || m > 12) return undefined;
  if (d === undefined) return `${y}-${pad(m)}`;
  const iso = `${y}-${pad(m)}-${pad(d)}`;
  return isIsoDate(iso) ? iso : undefined;
}

/** 43535 (an Excel serial), 2019/3/5, 2019-03-05, 2019.3.5, 2019年3月5日, 2019年3月, 2019.03, 20190305. */
export function parseLedgerDate(text: string): string | undefined {
  const t = toHalfWidth(text).trim();
  if (!t) return undefined;
  if (/^\d{5}(\.\d+)?$/.test(t)) {
    const serial = Math.floor(Number(t));
    if (serial < 20000 || serial > 80000) return undefined;
    return new Date(EXCEL_EPOCH_MS + serial * 86_400_000).toISOString().slice(0, 10);
  }
  let m = /^(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(:\d{2})?)?$/.exec(t);
  if (m) return isoOrMonth(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})\s*[年/.-]\s*(\d{1,2})\s*月?$/.exec(t);
  if (m) return isoOrMonth(Number(m[1]), Number(m[2]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) return isoOrMonth(Number(m[1]), Number(m[2]), Number(m[3]));
  return undefined;
}

const MONEY_FACTOR: Record<string, number> = { 元: 1, 万元: 10_000, 亿元: 100_000_000 };

/** A plain number from a cell: thousands separators, currency signs and trailing unit words removed. */
function parseNumber(text: string): { value: number; unit?: string } | undefined {
  const t = toHalfWidth(text).replace(/[,\s¥￥]/g, '');
  const m = /^(-?\d+(?:\.\d+)?)(万元|亿元|元|人次|人|个|家|户|%)?$/.exec(t);
  if (!m) return undefined;
  return { value: Number(m[1]), unit: m[2] };
}

/**
 * Money in the field's unit (万元 unless the field says 元): a figure written with its own unit (3.5万元) wins,
 * else the header's unit (金额（元）), else the field's.
 */
export function parseMoney(text: string, fieldUnit = '万元', headerUnit?: string): number | undefined {
  const n = parseNumber(text);
  if (!n) return undefined;
  const from = MONEY_FACTOR[n.unit ?? ''] ?? MONEY_FACTOR[headerUnit ?? ''] ?? MONEY_FACTOR[fieldUnit] ?? 1;
  const to = MONEY_FACTOR[fieldUnit] ?? 1;
  // Rounded to 6 decimals: 万元 from 元 is exact to the fen, and float noise stays out of sums.
  return Math.round(((n.value * from) / to) * 1e6) / 1e6;
}

export function parseCount(text: string): number | undefined {
  const n = parseNumber(text);
  return n && Number.isFinite(n.value) ? n.value : undefined;
}

/** 85%, 85 or 0.85 (a fraction when not above 1 and written without %) → 85. */
export function parsePercent(text: string): number | undefined {
  const n = parseNumber(text);
  if (!n) return undefined;
  if (n.unit !== '%' && n.value > 0 && n.value <= 1 && /\./.test(text)) return Math.round(n.value * 100 * 1e6) / 1e6;
  return n.value;
}

/** Enum values with their squashed names, longest first so 省内县外 wins over 省内. */
export type EnumMatcher = { exact: Map<string, string>; contained: { word: string; key: string }[] };

export function enumMatcher(values: readonly LedgerEnumValue[]): EnumMatcher {
  const exact = new Map<string, string>();
  const contained: { word: string; key: string }[] = [];
  for (const v of values) {
    for (const word of [v.key, v.label, ...(v.aliases ?? [])]) {
      const s = squash(word);
      if (!s) continue;
      if (!exact.has(s)) exact.set(s, v.key);
      contained.push({ word: s, key: v.key });
    }
  }
  contained.sort((a, b) => b.word.length - a.word.length);
  return { exact, contained };
}

/** The enum value a cell means: an exact name first, else the longest name it contains (天津市津南区 → 东部). */
export function parseEnum(text: string, matcher: EnumMatcher): string | undefined {
  const s = squash(text);
  if (!s) return undefined;
  const exact = matcher.exact.get(s);
  if (exact) return exact;
  for (const { word, key } of matcher.contained) if (word.length >= 2 && s.includes(word)) return key;
  return undefined;
}

/** Tick marks and words that mean "yes" in a column per enum value (就业地区 / 东部 | 省内 | 省外 with √). */
export function isMarked(text: string): boolean {
  const t = squash(text);
  return t !== '' && !['0', '否', '无', '×', 'x', 'n', 'no'].includes(t);
}

/** One cell as the field's type; undefined when empty or not understood. */
export function parseValue(text: string, field: LedgerField, matcher: EnumMatcher | undefined, headerUnit?: string): LedgerValue | undefined {
  const t = text.trim();
  if (!t) return undefined;
  switch (field.type) {
    case 'text':
      return t;
    case 'id-number':
      return normaliseIdNumber(t);
    case 'date':
      return parseLedgerDate(t);
    case 'money':
      return parseMoney(t, field.unit, headerUnit);
    case 'count':
      return parseCount(t);
    case 'percent':
      return parsePercent(t);
    case 'enum':
      return matcher ? parseEnum(t, matcher) : undefined;
  }
}

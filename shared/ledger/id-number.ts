import { isIsoDate } from '../domain/dates.js';
import { idCheckCharacter } from '../privacy/mask.js';

/**
 * Resident identity numbers (GB 11643-1999): 6-digit region code, 8-digit birth date, 3-digit sequence, check
 * character by ISO 7064 MOD 11-2. Old 15-digit numbers (2-digit year, no check character) must be updated.
 */

/** First two digits: provinces, autonomous regions, municipalities (GB/T 2260), plus 71 台湾, 81 香港, 82 澳门, 83 台湾居民居住证. */
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
]);

export type IdProblem = 'format' | 'check-digit' | 'birth-date' | 'region' | 'old-15';

export const ID_PROBLEM_WORDS: Record<IdProblem, { zh: string; en: string }> = {
  format: { zh: '不是 18 位身份证号', en: 'not an 18-character ID number' },
  'check-digit': { zh: '校验位错误', en: 'wrong check digit' },
  'birth-date': { zh: '出生日期不存在或晚于考核期', en: 'impossible birth date' },
  region: { zh: '地区码不是有效的省级代码', en: 'invalid region code' },
  'old-15': { zh: '是 15 位旧号码，需换为 18 位', en: 'old 15-digit number, needs the 18-digit one' },
};

/** Spaces, a leading apostrophe (Excel's text marker) and a lower-case x removed. */
export function normaliseIdNumber(text: string): string {
  return text.replace(/[\s'’‘]/g, '').toUpperCase();
}

/** The GB 11643 check character: one implementation, the masking module's. */
export const checkCharacter = idCheckCharacter;

function digitsUpTo(id: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = id.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** The last birth date as YYYYMMDD, for the last `latest` string seen (one per analysis). */
let latestSeen = { text: '', value: 0 };

function latestValue(latest: string): number {
  if (latestSeen.text !== latest) {
    const value = isIsoDate(latest) ? Number(latest.slice(0, 4) + latest.slice(5, 7) + latest.slice(8, 10)) : Number.NaN;
    latestSeen = { text: latest, value };
  }
  return latestSeen.value;
}

function birthDigits(id: string): number {
  let ymd = 0;
  for (let i = 6; i < 14; i++) ymd = ymd * 10 + (id.charCodeAt(i) - 48);
  return ymd;
}

/**
 * Digits 7–14 (`ymd`, read by the caller) are a real calendar day from 1900-01-01 up to `latest`: by character
 * codes, without building a date string per row (the analysis checks every row of every roster).
 */
function birthDateOk(id: string, ymd: number, latest: string): boolean {
  const year = Math.floor(ymd / 10000);
  const month = Math.floor(ymd / 100) % 100;
  const day = ymd % 100;
  if (month < 1 || month > 12 || day < 1 || day > DAYS_IN_MONTH[month - 1]) return false;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return false;
  const last = latestValue(latest);
  // A `latest` that is not a date: compare as the strings did (every digit string sorts before a letter).
  if (Number.isNaN(last)) return ymd >= 19000101 && `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}` <= latest;
  return ymd >= 19000101 && ymd <= last;
}

/**
 * An 18-character number as stored (17 digits, then a digit or X), its digits and birth date read in one pass over
 * the character codes: the gap analysis checks every row of every roster, and a newly opened workspace meets all of
 * them at once. 'other' when `id` has another form (the general path decides), else what the general path says.
 */
function storedFormProblem(id: string, latest: string): IdProblem | undefined | 'other' {
  if (id.length !== 18) return 'other';
  let ymd = 0;
  for (let i = 0; i < 17; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return 'other';
    if (i >= 6 && i < 14) ymd = ymd * 10 + d;
  }
  const last = id.charCodeAt(17);
  if ((last < 48 || last > 57) && last !== 88) return 'other';
  if (!PROVINCES.has((id.charCodeAt(0) - 48) * 10 + id.charCodeAt(1) - 48)) return 'region';
  if (!birthDateOk(id, ymd, latest)) return 'birth-date';
  return checkCharacter(id) === id[17] ? undefined : 'check-digit';
}

/** The problem with an ID number, or undefined when it is valid; `latest` is the last possible birth date. */
export function idNumberProblem(raw: string, latest: string): IdProblem | undefined {
  const stored = storedFormProblem(raw, latest);
  if (stored !== 'other') return stored;
  const id = /[^\dX]/.test(raw) ? normaliseIdNumber(raw) : raw;
  if (id.length === 15 && digitsUpTo(id, 15)) return 'old-15';
  if (id.length !== 18 || !digitsUpTo(id, 17) || !(digitsUpTo(id[17], 1) || id[17] === 'X')) return 'format';
  if (!PROVINCES.has((id.charCodeAt(0) - 48) * 10 + id.charCodeAt(1) - 48)) return 'region';
  if (!birthDateOk(id, birthDigits(id), latest)) return 'birth-date';
  if (checkCharacter(id) !== id[17]) return 'check-digit';
  return undefined;
}

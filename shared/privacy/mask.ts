/**
 * Personal data in what leaves the office (domain.md §4): resident ID numbers (GB 11643-1999) and mainland
 * mobile numbers of poor households are masked in the submission edition — `621022********1234`,
 * `138****5678` — unless the office turns masking off for a named purpose. Pure: used by the PDF, DOCX and
 * XLSX generators and by the build warnings.
 *
 * Every mask keeps the text's length (digits become `*` one for one), so a caller that masks a string
 * assembled from pieces (the runs of a DOCX paragraph) can map the masked positions back to each piece.
 */

export type PersonalDataKind = 'id' | 'mobile';

/** One match: [start, end) in the text, and the characters from `maskFrom` to `maskTo` become `*`. */
export type PersonalDataMatch = { kind: PersonalDataKind; start: number; end: number; maskFrom: number; maskTo: number };

/** ISO 7064 MOD 11-2 weights and check characters of GB 11643-1999. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

/** The GB 11643 check character of the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  // charCodeAt: the ledger checks call this for every row of every roster.
  for (let i = 0; i < 17; i += 1) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/**
 * A valid 18-digit resident ID number: a region code not starting with 0 or 9, a real birth date (1900–2099),
 * and the right check character (X in either case). An 18-digit number failing any of these is not an ID.
 */
export function isValidIdNumber(value: string): boolean {
  if (!/^[1-8]\d{16}[\dXx]$/.test(value)) return false;
  if (!isCalendarDate(Number(value.slice(6, 10)), Number(value.slice(10, 12)), Number(value.slice(12, 14)))) return false;
  return idCheckCharacter(value.slice(0, 17)) === value[17].toUpperCase();
}

/** A 15-digit ID number of the first generation (before 1999): region, YYMMDD of a 19xx birth date, sequence; no check digit. */
export function isValidOldIdNumber(value: string): boolean {
  if (!/^[1-8]\d{14}$/.test(value)) return false;
  return isCalendarDate(1900 + Number(value.slice(6, 8)), Number(value.slice(8, 10)), Number(value.slice(10, 12)));
}

/**
 * Digit runs (with a trailing X for an ID) standing alone: not part of a longer run of digits or Latin
 * letters, so a 20-digit account number, a 统一社会信用代码 or a hash is never taken apart. Chinese text may
 * touch the run on either side ("身份证号621022199001011234，联系电话13812345678").
 */
const RUN = /(?<![0-9A-Za-z])\d+[Xx]?(?![0-9A-Za-z])/g;

/** Every ID number and mobile number in the text, in order. */
export function findPersonalData(text: string): PersonalDataMatch[] {
  const found: PersonalDataMatch[] = [];
  for (const m of text.matchAll(RUN)) {
    const run = m[0];
    const start = m.index;
    const end = start + run.length;
    if (run.length === 18 && isValidIdNumber(run)) found.push({ kind: 'id', start, end, maskFrom: start + 6, maskTo: end - 4 });
    else if (run.length === 15 && isValidOldIdNumber(run)) found.push({ kind: 'id', start, end, maskFrom: start + 6, maskTo: end - 4 });
    else if (run.length === 11 && /^1[3-9]\d{9}$/.test(run)) found.push({ kind: 'mobile', start, end, maskFrom: start + 3, maskTo: end - 4 });
  }
  return found;
}

/** Positions of the text that are masked (as a sorted list of [from, to) ranges). */
export function maskedRanges(text: string): [number, number][] {
  return findPersonalData(text).map((m) => [m.maskFrom, m.maskTo]);
}

/** The text with ID numbers as `621022********1234` and mobile numbers as `138****5678`; same length. */
export function maskPersonalData(text: string): string {
  const ranges = maskedRanges(text);
  if (ranges.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [from, to] of ranges) {
    out += text.slice(at, from) + '*'.repeat(to - from);
    at = to;
  }
  return out + text.slice(at);
}

/** Does the text hold a valid ID number (18- or 15-digit)? The build warns about originals it cannot mask. */
export function containsIdNumber(text: string): boolean {
  return findPersonalData(text).some((m) => m.kind === 'id');
}

/**
 * A copy of a JSON-like value (a binder plan) with every string masked, except under the keys given (hashes,
 * file names used to find stored files). Arrays and plain objects are copied; other values are kept.
 */
export function maskStrings<T>(value: T, keep: ReadonlySet<string> = new Set()): T {
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') return maskPersonalData(v);
    if (Array.isArray(v)) return v.map(visit);
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, keep.has(k) ? inner : visit(inner)]));
    }
    return v;
  };
  return visit(value) as T;
}

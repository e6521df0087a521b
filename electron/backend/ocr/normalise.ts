/**
 * Fixes OCR misreadings that break extraction. The 六角括号 of a 文号 (〔2019〕) is read as 」 ] 」 】 or dropped;
 * docmeta accepts the usual typists' brackets, so only the shapes OCR makes are mapped back to 〔〕.
 */
const DOC_NUMBER_SHAPE = /([\u4e00-\u9fa5]{2,})\s*([〔[【(（［「『{])?\s*((?:19|20)\d{2})\s*([〕\]】)）］」』}|])?\s*(\d{1,4})\s*号/g;

/**
 * A line that is only a date whose 日 a seal has turned into something else ("2021年12月281", "2021年12月28图"):
 * the 成文日期 under the seal. Only a lone date line is touched.
 */
const SEALED_DATE_LINE = /^((?:19|20)\d{2}年(?:1[0-2]|0?[1-9])月(?:3[01]|[12]\d|0?[1-9]))[^\s日\d]?\d?$/gm;

/**
 * A year 二〇xx in Chinese numerals whose 〇 was read as the digit 0, the letter O or C, 口, or "10"
 * ("二0一九年", "二C一九年", "二10一九年").
 */
const ZERO_LIKE = '〇○零OoＯ0０Cc口';
const CHINESE_YEAR = new RegExp(`二\\s*1?[${ZERO_LIKE}]\\s*([${ZERO_LIKE}一二三四五六七八九])\\s*([${ZERO_LIKE}一二三四五六七八九])(?=\\s*年)`, 'g');
const toZero = (d: string) => (ZERO_LIKE.includes(d) ? '〇' : d);

/** 十 inside a Chinese-numeral month or day is often read as 午, 干, 千 or +. */
const TEN_LIKE = /(?<=[一二三四五六七八九年月])[午干千+](?=[一二三四五六七八九]?[日月])/g;

/** Digits of a month or day, Arabic or Chinese, as OCR leaves them (l, I, | for 1; O, o for 0). */
const MD = '[\\dlI|Oo]{1,2}|[一二两三四五六七八九十]{1,3}';
const YEAR_ANY = '(?:19|20|[lI|][9]|2[0OoD])[\\dlI|OoD]{2}|[〇一二三四五六七八九]{4}';

/**
 * 年 of a date read as 午 or 车, 月 as 用 or 目, the final 日 as 曰, 目 or 臼: put back where the rest of the line is a
 * date (year, month, day in place), never elsewhere.
 */
const DATE_SHAPE = new RegExp(`(?<![\\dA-Za-z])(${YEAR_ANY})\\s*[年午车]\\s*(${MD})\\s*[月用]\\s*(${MD})\\s*(?:[日曰]|[目臼](?![\\u4e00-\\u9fff]))(?![\\dA-Za-z])`, 'g');

/** Spaces OCR puts inside a number ("20 19年", "2 8日"); Chinese dates have none. */
const joinDigits = (s: string) => s.replace(/\s+/g, '');
/** Letters OCR reads for digits inside an Arabic date: l, I, | for 1; O, o, D for 0. */
const toDigits = (s: string) => (/^[\dlI|OoD]+$/.test(s) ? s.replace(/[lI|]/g, '1').replace(/[OoD]/g, '0') : s);
const SPACED_YEAR = /(?<![\dA-Za-z])((?:19|20)\s+\d{2}|(?:1\s*9|2\s*0)\s*\d\s+\d)(?=\s*年)/g;
const SPACED_DAY = /(?<=月\s*)(\d)\s+(\d)(?=\s*日)/g;

export function normaliseOcrText(text: string): string {
  return text
    .replace(SPACED_YEAR, joinDigits)
    .replace(SPACED_DAY, '$1$2')
    .replace(CHINESE_YEAR, (_year, d3: string, d4: string) => `二〇${toZero(d3)}${toZero(d4)}`)
    .replace(DATE_SHAPE, (_whole, y: string, m: string, d: string) => `${toDigits(y)}年${toDigits(m)}月${toDigits(d)}日`)
    .replace(TEN_LIKE, '十')
    .replace(SEALED_DATE_LINE, (_whole, date: string) => `${date}日`)
    .replace(DOC_NUMBER_SHAPE, (whole, prefix: string, open: string | undefined, year: string, close: string | undefined, no: string) =>
    open || close ? `${prefix}〔${year}〕${no}号` : whole,
  );
}

/**
 * A 成文日期 cannot lie in the future; OCR makes one when it misreads a digit of the year under a seal (二〇三二 for
 * 二〇二二). The 文号 on the same page gives the year of issue: a future date whose year differs from it in one digit
 * takes the 文号's year. Any other date is left as read (a document issued in early January may carry last year's
 * 文号 year, and that date is not in the future).
 */
export function repairFutureYear(date: string, docNumber: string | undefined, today: string): string {
  const issued = docNumber?.match(/〔((?:19|20)\d{2})〕/)?.[1];
  const year = date.slice(0, 4);
  if (!issued || date <= today || issued > today.slice(0, 4)) return date;
  const differing = [...year].filter((d, i) => d !== issued[i]).length;
  return differing === 1 ? issued + date.slice(4) : date;
}

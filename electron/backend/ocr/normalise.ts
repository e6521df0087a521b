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

export function normaliseOcrText(text: string): string {
  return text
    .replace(TEN_LIKE, '十')
    .replace(CHINESE_YEAR, (_year, d3: string, d4: string) => `二〇${toZero(d3)}${toZero(d4)}`)
    .replace(SEALED_DATE_LINE, (_whole, date: string) => `${date}日`)
    .replace(DOC_NUMBER_SHAPE, (whole, prefix: string, open: string | undefined, year: string, close: string | undefined, no: string) =>
    open || close ? `${prefix}〔${year}〕${no}号` : whole,
  );
}

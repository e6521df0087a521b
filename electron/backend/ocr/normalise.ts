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

export function normaliseOcrText(text: string): string {
  return text
    .replace(SEALED_DATE_LINE, (_whole, date: string) => `${date}日`)
    .replace(DOC_NUMBER_SHAPE, (whole, prefix: string, open: string | undefined, year: string, close: string | undefined, no: string) =>
    open || close ? `${prefix}〔${year}〕${no}号` : whole,
  );
}

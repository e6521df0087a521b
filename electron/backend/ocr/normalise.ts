/**
 * Fixes OCR misreadings that break extraction. The 六角括号 of a 文号 (〔2019〕) is read as 」 ] 」 】 or dropped;
 * docmeta accepts the usual typists' brackets, so only the shapes OCR makes are mapped back to 〔〕.
 */
const DOC_NUMBER_SHAPE = /([\u4e00-\u9fa5]{2,})\s*([〔[【(（［「『{])?\s*((?:19|20)\d{2})\s*([〕\]】)）］」』}|])?\s*(\d{1,4})\s*号/g;

export function normaliseOcrText(text: string): string {
  return text.replace(DOC_NUMBER_SHAPE, (whole, prefix: string, open: string | undefined, year: string, close: string | undefined, no: string) =>
    open || close ? `${prefix}〔${year}〕${no}号` : whole,
  );
}

/**
 * Reads an evidence file offline: text, pages, scan detection, photo EXIF, document properties.
 * Bad content never throws: it comes back as readability 'encrypted' | 'corrupt' | 'empty' |
 * 'unsupported' with a Chinese reason that says what to do. Only programming errors throw.
 */
import type { FileFormat } from '../../../shared/domain/types.js';
import { IMAGE_FORMATS } from '../../../shared/domain/types.js';
import { readImage } from './readers/image.js';
import { OFFICE_CORRUPT_REASON, openLegacy, readLegacyOffice } from './readers/legacy.js';
import { isOle } from './readers/ole.js';
import { readOfficeZip } from './readers/office.js';
import { readPdf } from './readers/pdf.js';
import type { ReadResult } from './readers/result.js';
import { readText } from './readers/text.js';
import { importReason } from '../../../shared/intake/reasons.js';

export type { ReadResult } from './readers/result.js';
export { MAX_TEXT_CHARS } from './readers/result.js';
export { HEIC_NOTE } from './readers/image.js';
export { PDF_ENCRYPTED_REASON } from './readers/pdf.js';

export const EMPTY_FILE_REASON = importReason('empty-file');

export async function readEvidenceFile(bytes: Buffer, format: FileFormat, fileName: string): Promise<ReadResult> {
  if (bytes.length === 0) return { readability: 'empty', readError: EMPTY_FILE_REASON, text: '' };
  switch (format) {
    case 'pdf':
      return readPdf(bytes, fileName);
    case 'docx':
    case 'xlsx':
    case 'pptx':
    case 'odt':
    case 'ods':
      // A password-protected docx/xlsx/pptx is an OLE container, not a zip.
      if (isOle(bytes)) {
        const opened = openLegacy(bytes, fileName);
        return 'result' in opened ? opened.result : { readability: 'corrupt', readError: OFFICE_CORRUPT_REASON(fileName), text: '' };
      }
      try {
        return await readOfficeZip(bytes, format, fileName);
      } catch {
        return { readability: 'corrupt', readError: OFFICE_CORRUPT_REASON(fileName), text: '' };
      }
    case 'doc':
    case 'wps':
    case 'xls':
    case 'et':
    case 'ppt':
      return readLegacyOffice(bytes, format, fileName);
    case 'txt':
      return readText(bytes);
    case 'zip':
      return {
        readability: 'unsupported',
        readError: `“${fileName}”是压缩包，请解压后导入其中的文件（或直接把压缩包拖入导入窗口，会自动展开）。`,
        text: '',
      };
    case 'unknown':
      if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes.subarray(0, 64 * 1024).includes('OFD.xml')) {
        return { readability: 'unsupported', readError: `“${fileName}”是 OFD 版式文件，暂不支持。请用数科阅读器等软件另存（打印）为 PDF 后再导入。`, text: '' };
      }
      return {
        readability: 'unsupported',
        readError: `无法识别“${fileName}”的文件格式，不能导入。支持 PDF、Word/WPS、Excel、图片（JPG/PNG 等）和文本文件；请转换为 PDF 后再导入。`,
        text: '',
      };
    default:
      if (IMAGE_FORMATS.includes(format)) return readImage(bytes, format, fileName);
      throw new Error(`readEvidenceFile: unhandled format ${format satisfies string}`);
  }
}

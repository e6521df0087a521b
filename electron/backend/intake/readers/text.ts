import iconv from 'iconv-lite';
import type { ReadResult } from './result.js';
import { capText } from './result.js';

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 (with or without BOM), UTF-16 with BOM, else GBK (GB18030 is a superset; Notepad "ANSI" on Chinese Windows). */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes.subarray(2), 'utf16-be');
  try {
    return utf8Fatal.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return iconv.decode(bytes, 'gb18030');
  }
}

export function readText(bytes: Buffer): ReadResult {
  return { readability: 'ok', text: capText(decodeText(bytes).replace(/\r\n?/g, '\n')) };
}

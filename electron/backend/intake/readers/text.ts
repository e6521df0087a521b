import iconv from 'iconv-lite';
import type { ReadResult } from './result.js';
import { capText } from './result.js';

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

export const GARBLED_TEXT_NOTE =
  '文本中有部分字符无法识别（编码混乱或文件损坏），已尽量读取，无法识别处显示为“�”。请核对内容，必要时用记事本另存为 UTF-8 后重新导入。';

function tryUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8Fatal.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * UTF-8 (with or without BOM), UTF-16 with BOM, else GBK (GB18030 is a superset; Notepad "ANSI" on Chinese Windows).
 * A file pasted together from UTF-8 and GBK parts is decoded line by line, so each part stays legible.
 */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes.subarray(2), 'utf16-be');
  const whole = tryUtf8(bytes);
  if (whole !== undefined) return whole.replace(/^\uFEFF/, '');
  const lines: string[] = [];
  let start = 0;
  while (start <= bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    const line = bytes.subarray(start, end);
    lines.push(tryUtf8(line) ?? iconv.decode(line, 'gb18030'));
    start = end + 1;
  }
  return lines.join('\n').replace(/^\uFEFF/, '');
}

export function readText(bytes: Buffer): ReadResult {
  const text = capText(decodeText(bytes).replace(/\r\n?/g, '\n'));
  return { readability: 'ok', text, ...(text.includes('\uFFFD') ? { readError: GARBLED_TEXT_NOTE } : {}) };
}

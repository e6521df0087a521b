/**
 * Legacy binary Office files (OLE2): .doc/.wps text via word-extractor; .xls/.et strings from the
 * BIFF8 shared string table (all text the workbook holds, without cell layout); .ppt is readable
 * but yields no text. Password protection is detected from the file structure, not guessed.
 */
import WordExtractor from 'word-extractor';
import type { FileFormat } from '../../../../shared/domain/types.js';
import { classifyOle, OleFile } from './ole.js';
import type { ReadResult } from './result.js';
import { capText, MAX_TEXT_CHARS } from './result.js';
import { importReason } from '../../../../shared/intake/reasons.js';

export const OFFICE_ENCRYPTED_REASON = (name: string): string => importReason('office-encrypted', { name });
export const OFFICE_CORRUPT_REASON = (name: string): string => importReason('office-corrupt', { name });

/** Checks the structure and returns a failure result, or the parsed file to read text from. */
export function openLegacy(bytes: Buffer, fileName: string): { ole: OleFile } | { result: ReadResult } {
  let ole: OleFile;
  try {
    ole = new OleFile(bytes);
  } catch {
    return { result: { readability: 'corrupt', readError: OFFICE_CORRUPT_REASON(fileName), text: '' } };
  }
  if (classifyOle(ole) === 'encrypted-ooxml') {
    return { result: { readability: 'encrypted', readError: OFFICE_ENCRYPTED_REASON(fileName), text: '' } };
  }
  return { ole };
}

export async function readLegacyOffice(bytes: Buffer, format: FileFormat, fileName: string): Promise<ReadResult> {
  const opened = openLegacy(bytes, fileName);
  if ('result' in opened) return opened.result;
  const { ole } = opened;
  const kind = classifyOle(ole);
  try {
    if (kind === 'doc') {
      const word = ole.stream('WordDocument');
      // [MS-DOC] 2.5.2 FibBase: wIdent 0xA5EC; flags at 0x0A, bit 8 = fEncrypted.
      if (!word || word.length < 12 || (word[0] | (word[1] << 8)) !== 0xa5ec) {
        return { readability: 'corrupt', readError: OFFICE_CORRUPT_REASON(fileName), text: '' };
      }
      if (((word[0x0a] | (word[0x0b] << 8)) & 0x0100) !== 0) {
        return { readability: 'encrypted', readError: OFFICE_ENCRYPTED_REASON(fileName), text: '' };
      }
      const doc = await new WordExtractor().extract(bytes);
      const text = [doc.getBody(), doc.getFootnotes(), doc.getEndnotes()]
        .map((s) => s.replace(/\r\n?/g, '\n').trim())
        .filter((s) => s !== '')
        .join('\n\n');
      return { readability: 'ok', text: capText(text) };
    }
    if (kind === 'xls') {
      const workbook = ole.stream('Workbook') ?? ole.stream('Book');
      if (!workbook) return { readability: 'corrupt', readError: OFFICE_CORRUPT_REASON(fileName), text: '' };
      const biff = readBiffStrings(workbook);
      if (biff.encrypted) return { readability: 'encrypted', readError: OFFICE_ENCRYPTED_REASON(fileName), text: '' };
      return { readability: 'ok', text: capText([...biff.sheets, ...biff.strings].join('\n')) };
    }
    if (kind === 'ppt') {
      if (ole.has('EncryptedSummary')) {
        return { readability: 'encrypted', readError: OFFICE_ENCRYPTED_REASON(fileName), text: '' };
      }
      return { readability: 'ok', text: '' };
    }
    return { readability: 'corrupt', readError: OFFICE_CORRUPT_REASON(fileName), text: '' };
  } catch {
    return { readability: 'corrupt', readError: OFFICE_CORRUPT_REASON(fileName), text: '' };
  }
}

class BiffEnd extends Error {}

/**
 * BIFF8 globals ([MS-XLS] 2.4): BOUNDSHEET8 (0x0085) sheet names, FILEPASS (0x002F) = encrypted,
 * SST (0x00FC) + CONTINUE (0x003C) = every distinct cell string. A string may run across a CONTINUE,
 * where a fresh option byte says whether the rest is 8- or 16-bit.
 */
export function readBiffStrings(stream: Uint8Array): { sheets: string[]; strings: string[]; encrypted: boolean } {
  const sheets: string[] = [];
  let strings: string[] = [];
  let pos = 0;
  const u16 = (at: number): number => stream[at] | (stream[at + 1] << 8);
  while (pos + 4 <= stream.length) {
    const type = u16(pos);
    const len = u16(pos + 2);
    const data = stream.subarray(pos + 4, pos + 4 + len);
    pos += 4 + len;
    if (type === 0x002f) return { sheets, strings, encrypted: true };
    if (type === 0x0085 && data.length > 8) {
      const cch = data[6];
      const wide = (data[7] & 1) !== 0;
      const chars = data.subarray(8, 8 + cch * (wide ? 2 : 1));
      sheets.push(wide ? Buffer.from(chars).toString('utf16le') : Buffer.from(chars).toString('latin1'));
    } else if (type === 0x00fc) {
      const segments = [data];
      while (pos + 4 <= stream.length && u16(pos) === 0x003c) {
        const l = u16(pos + 2);
        segments.push(stream.subarray(pos + 4, pos + 4 + l));
        pos += 4 + l;
      }
      strings = readSst(segments);
    } else if (type === 0x000a && strings.length > 0) {
      break; // EOF of the globals substream: sheet substreams hold no more shared strings
    }
  }
  return { sheets, strings, encrypted: false };
}

function readSst(segments: Uint8Array[]): string[] {
  let seg = 0;
  let pos = 0;
  const nextSegment = (): void => {
    seg++;
    pos = 0;
    if (seg >= segments.length) throw new BiffEnd();
  };
  const byte = (): number => {
    while (pos >= segments[seg].length) nextSegment();
    return segments[seg][pos++];
  };
  const u16 = (): number => byte() | (byte() << 8);
  const u32 = (): number => (u16() | (u16() << 16)) >>> 0;
  const skip = (n: number): void => {
    let left = n;
    while (left > 0) {
      while (pos >= segments[seg].length) nextSegment();
      const take = Math.min(left, segments[seg].length - pos);
      pos += take;
      left -= take;
    }
  };
  const out: string[] = [];
  let chars = 0;
  try {
    u32(); // total references
    const unique = u32();
    for (let i = 0; i < unique && chars < MAX_TEXT_CHARS; i++) {
      const cch = u16();
      const flags = byte();
      let wide = (flags & 0x01) !== 0;
      const runs = (flags & 0x08) !== 0 ? u16() : 0;
      const ext = (flags & 0x04) !== 0 ? u32() : 0;
      const codes: number[] = [];
      for (let k = 0; k < cch; k++) {
        if (pos >= segments[seg].length) {
          nextSegment();
          wide = (segments[seg][pos++] & 0x01) !== 0;
        }
        codes.push(wide ? byte() | (byte() << 8) : byte());
      }
      skip(runs * 4 + ext);
      const s = String.fromCharCode(...codes).trim();
      if (s !== '') {
        out.push(s);
        chars += s.length + 1;
      }
    }
  } catch (e) {
    if (!(e instanceof BiffEnd)) throw e;
  }
  return out;
}

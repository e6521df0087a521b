/**
 * File and folder names that survive Windows Explorer, WPS and a USB stick formatted FAT32/NTFS.
 * Rules (Microsoft "Naming Files, Paths, and Namespaces"): no \ / : * ? " < > | or control characters,
 * no trailing dot or space, no reserved device names (CON, PRN, AUX, NUL, COM1–9, LPT1–9, also with an
 * extension: "CON.txt" opens the console), and a bounded length so the whole path stays under MAX_PATH (260).
 */

/** Characters Windows forbids; Chinese titles often contain the ASCII ones, so prefer the full-width form. */
const REPLACEMENTS: Record<string, string> = {
  '\\': '_',
  '/': '_',
  ':': '：',
  '*': '＊',
  '?': '？',
  '"': '＂',
  '<': '＜',
  '>': '＞',
  '|': '｜',
};

// COM¹²³ / LPT¹²³ are reserved too since Windows 10; COM0/LPT0 are not.
const RESERVED = /^(con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])$/i;

export const DEFAULT_MAX_NAME_LENGTH = 120;

function splitExtension(name: string): { stem: string; ext: string } {
  const dot = name.lastIndexOf('.');
  // A leading dot (".gitignore") or a long "extension" is part of the name, not an extension.
  if (dot <= 0 || name.length - dot > 10 || /[\s]/.test(name.slice(dot))) return { stem: name, ext: '' };
  return { stem: name.slice(0, dot), ext: name.slice(dot) };
}

/** Cuts a string to at most `max` UTF-16 units without splitting a surrogate pair. */
function cutUtf16(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max));
  const last = cut.charCodeAt(cut.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut;
}

function trimEnds(text: string): string {
  return text.replace(/^[\s]+/u, '').replace(/[\s.]+$/u, '');
}

/**
 * A Windows-safe version of one path component (file or folder name). Forbidden characters become their
 * full-width equivalents (or "_"), control characters are dropped, trailing dots/spaces are removed,
 * reserved device names get a "_" and the result is at most `maxLen` UTF-16 units, keeping the extension.
 */
export function safeFileName(name: string, maxLen: number = DEFAULT_MAX_NAME_LENGTH): string {
  let cleaned = '';
  for (const ch of name.normalize('NFC')) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) continue;
    cleaned += REPLACEMENTS[ch] ?? ch;
  }
  cleaned = trimEnds(cleaned);
  let { stem, ext } = splitExtension(cleaned);
  ext = ext.replace(/[\s.]+$/u, '');
  if (ext === '.') ext = '';
  stem = trimEnds(stem);
  if (!stem) stem = '未命名';
  // "CON.tar.gz" is as reserved as "CON": Windows looks at the part before the first dot.
  const firstPart = stem.split('.')[0] ?? stem;
  if (RESERVED.test(firstPart)) stem = `${firstPart}_${stem.slice(firstPart.length)}`;
  const room = Math.max(1, maxLen - ext.length);
  stem = trimEnds(cutUtf16(stem, room)) || '未命名';
  return cutUtf16(stem + ext, maxLen);
}

/**
 * Hands out unique names inside one folder. Windows compares names case-insensitively, so "A.pdf" and
 * "a.pdf" collide; the second becomes "a（2）.pdf", the third "a（3）.pdf", staying within `maxLen`.
 */
export class FolderNames {
  private readonly taken = new Set<string>();

  constructor(private readonly maxLen: number = DEFAULT_MAX_NAME_LENGTH) {}

  /** Makes `name` safe and unique in this folder and reserves it. */
  claim(name: string): string {
    const safe = safeFileName(name, this.maxLen);
    if (this.reserve(safe)) return safe;
    const { stem, ext } = splitExtension(safe);
    for (let n = 2; ; n += 1) {
      const suffix = `（${n}）`;
      const candidate = `${trimEnds(cutUtf16(stem, this.maxLen - ext.length - suffix.length)) || '未命名'}${suffix}${ext}`;
      if (this.reserve(candidate)) return candidate;
    }
  }

  private reserve(name: string): boolean {
    const key = name.toLocaleLowerCase('en-US');
    if (this.taken.has(key)) return false;
    this.taken.add(key);
    return true;
  }
}

/** Extension of an original file name as received, with its dot ("" when there is none). */
export function extensionOf(fileName: string): string {
  return splitExtension(fileName.trim()).ext;
}

/**
 * Pure (no node:*) text fingerprint and hex Hamming distance, so they can move to shared/ unchanged.
 */

/** Documents shorter than this (after normalisation) are too generic to call duplicates. */
export const MIN_FINGERPRINT_CHARS = 50;

/** Drops whitespace, punctuation and symbols and folds width/case, so re-typeset copies hash alike. */
export function normaliseForFingerprint(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}\p{Cc}\p{Cf}]+/gu, '');
}

/**
 * 128-bit non-cryptographic hash (four 32-bit multiply-xorshift lanes over UTF-16 code units,
 * in the style of cyrb53): equal normalised text ⇔ equal hash for practical purposes.
 */
export function hash128Hex(s: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  let h3 = 0x9e3779b9;
  let h4 = 0x85ebca6b;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
    h3 = Math.imul(h3 ^ c, 2246822507);
    h4 = Math.imul(h4 ^ c, 3266489909);
  }
  const mix = (a: number, b: number): number => {
    let h = Math.imul(a ^ (a >>> 16), 2246822507);
    h ^= Math.imul(b ^ (b >>> 13), 3266489909);
    return h >>> 0;
  };
  const a = mix(h1, h2);
  const b = mix(h2, h3);
  const c = mix(h3, h4);
  const d = mix(h4, h1 ^ s.length);
  return [a, b, c, d].map((x) => x.toString(16).padStart(8, '0')).join('');
}

/** "t:" + 32 hex digits, or undefined when the text is too short to identify a document. */
export function fingerprintText(text: string): string | undefined {
  const norm = normaliseForFingerprint(text);
  if (norm.length < MIN_FINGERPRINT_CHARS) return undefined;
  return `t:${hash128Hex(norm)}`;
}

const POPCOUNT4 = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];

/**
 * Bits that differ between two fingerprints ("d:…" or bare hex). Fingerprints of different kinds or
 * lengths are incomparable: Infinity (never "near").
 */
export function hammingDistanceHex(a: string, b: string): number {
  const pa = /^([a-z]):/.exec(a)?.[1];
  const pb = /^([a-z]):/.exec(b)?.[1];
  if (pa !== pb) return Number.POSITIVE_INFINITY;
  const ha = pa ? a.slice(2) : a;
  const hb = pb ? b.slice(2) : b;
  if (ha.length !== hb.length || !/^[0-9a-f]*$/i.test(ha) || !/^[0-9a-f]*$/i.test(hb)) return Number.POSITIVE_INFINITY;
  let d = 0;
  for (let i = 0; i < ha.length; i++) d += POPCOUNT4[parseInt(ha[i], 16) ^ parseInt(hb[i], 16)];
  return d;
}

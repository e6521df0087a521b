/**
 * Near-duplicate fingerprints (痕迹主义: the same photo filed twice, the same document re-saved).
 * Images: 64-bit difference hash — within Hamming distance ≤ 5 counts as the same picture.
 * Documents: a hash of the normalised text (equal = same content).
 */
import sharp from 'sharp';

export { fingerprintText, hammingDistanceHex, normaliseForFingerprint, MIN_FINGERPRINT_CHARS } from './readers/text-hash.js';

/** Images whose dHashes differ in at most this many bits are near-duplicates. */
export const NEAR_DUPLICATE_MAX_DISTANCE = 5;

/**
 * dHash (Krawetz): EXIF-rotate, grey, shrink to 9×8, one bit per horizontally adjacent pair
 * (left brighter than right). "d:" + 16 hex digits; undefined when the image cannot be decoded.
 */
export async function fingerprintImage(bytes: Buffer | Uint8Array): Promise<string | undefined> {
  try {
    const pixels = await sharp(bytes).rotate().grayscale().resize(9, 8, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
    if (pixels.length !== 72) return undefined;
    let hex = '';
    for (let row = 0; row < 8; row++) {
      let byte = 0;
      for (let col = 0; col < 8; col++) {
        const left = pixels[row * 9 + col];
        const right = pixels[row * 9 + col + 1];
        byte = (byte << 1) | (left > right ? 1 : 0);
      }
      hex += byte.toString(16).padStart(2, '0');
    }
    return `d:${hex}`;
  } catch {
    return undefined;
  }
}

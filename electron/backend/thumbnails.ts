import { existsSync, renameSync } from 'node:fs';
import path from 'node:path';
import { IMAGE_FORMATS, type FileFormat } from '../../shared/domain/types.js';

/** Longest side of a thumbnail, in pixels: cards in the workbench are at most ~160 CSS px wide on 2× screens. */
export const THUMB_SIZE = 320;

export function hasThumbnail(format: FileFormat): boolean {
  return IMAGE_FORMATS.includes(format) && format !== 'heic';
}

/**
 * A small JPEG of a stored photo, EXIF orientation applied, cached as cache/thumbs/<sha256>.jpg (derived, safe to
 * delete). Returns null when the original is not an image sharp can decode.
 */
export async function ensureThumbnail(originalPath: string, sha256: string, thumbsDir: string): Promise<string | null> {
  const file = path.join(thumbsDir, `${sha256}.jpg`);
  if (existsSync(file)) return file;
  const temp = `${file}.${process.pid}.part`;
  try {
    // Loaded on first use: the CLI and the API import this module for hasThumbnail() alone.
    const { default: sharp } = await import('sharp');
    await sharp(originalPath, { failOn: 'none' })
      .rotate()
      .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 75 })
      .toFile(temp);
    renameSync(temp, file);
    return file;
  } catch {
    return null;
  }
}

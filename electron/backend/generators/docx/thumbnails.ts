import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { AssetSource } from '../../workspace/types.js';

export type Thumbnail = { data: Buffer; width: number; height: number };

/** Longest side of a DOCX thumbnail in pixels: sharp enough at 10 cm wide, small enough for a 200-photo binder. */
const THUMB_MAX = 1200;
const THUMB_VERSION = 'docx1';

/**
 * A downscaled JPEG of a stored photo with its EXIF orientation applied (the original is never touched).
 * Cached in the workspace's thumbs cache by content hash, written under a temporary name then renamed, so an
 * interrupted build never leaves a truncated thumbnail behind.
 */
export async function loadThumbnail(assets: AssetSource, sha256: string): Promise<Thumbnail> {
  const dir = assets.cacheDir('thumbs');
  const cached = join(dir, `${sha256}-${THUMB_VERSION}.jpg`);
  let data: Buffer | null = null;
  try {
    data = await readFile(cached);
  } catch {
    data = null;
  }
  if (!data) {
    data = await sharp(assets.originalPath(sha256), { failOn: 'none' })
      .rotate()
      .resize({ width: THUMB_MAX, height: THUMB_MAX, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82, mozjpeg: false })
      .toBuffer();
    try {
      await mkdir(dir, { recursive: true });
      const temp = `${cached}.${process.pid}.tmp`;
      await writeFile(temp, data);
      await rename(temp, cached);
    } catch {
      // The cache is an optimisation: a read-only workspace still gets its thumbnails.
    }
  }
  const meta = await sharp(data).metadata();
  return { data, width: meta.width ?? THUMB_MAX, height: meta.height ?? THUMB_MAX };
}

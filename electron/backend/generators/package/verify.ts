import type { VerifyResult } from '../../../../shared/api/contract.js';
import { MANIFEST_NAME, HashingStream, parseManifest, type ManifestFile } from './manifest.js';
import { readStreamToBuffer, walkZip } from './zip-io.js';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';

export type { VerifyResult };

/**
 * Recomputes the SHA-256 of every member of a submission package and compares it with manifest.json.
 * Streams each member (never holds a large scan in memory) and never writes anything to disk, so a
 * hostile name cannot escape a folder (zip slip).
 */
export async function verifyPackage(zipPath: string): Promise<VerifyResult> {
  const actual = new Map<string, { size: number; sha256: string } | null>();
  const extra: string[] = [];
  let manifestText: string | null = null;

  await walkZip(zipPath, async (entry, open) => {
    if (entry.isDirectory) return;
    if (entry.unsafe) {
      extra.push(entry.name);
      return;
    }
    if (entry.name === MANIFEST_NAME) {
      if (manifestText === null) manifestText = (await readStreamToBuffer(await open())).toString('utf8');
      else extra.push(entry.name);
      return;
    }
    if (actual.has(entry.name)) {
      extra.push(entry.name);
      return;
    }
    const hashing = new HashingStream();
    try {
      const sink = new Writable({ write: (_chunk, _enc, done) => done() });
      await pipeline(await open(), hashing, sink);
      actual.set(entry.name, { size: hashing.size, sha256: hashing.digest() });
    } catch {
      // A corrupted deflate stream or a size that does not match the central directory.
      actual.set(entry.name, null);
    }
  });

  if (manifestText === null) {
    return { ok: false, checked: 0, missing: [MANIFEST_NAME], extra: [...actual.keys(), ...extra], changed: [] };
  }
  const manifest = parseManifest(manifestText);
  const listed = new Map<string, ManifestFile>(manifest.files.map((f) => [f.path, f]));
  const missing: string[] = [];
  const changed: string[] = [];
  let checked = 0;
  for (const file of manifest.files) {
    if (!actual.has(file.path)) {
      missing.push(file.path);
      continue;
    }
    checked += 1;
    const got = actual.get(file.path);
    if (!got || got.size !== file.size || got.sha256 !== file.sha256) changed.push(file.path);
  }
  for (const name of actual.keys()) if (!listed.has(name)) extra.push(name);
  return { ok: !missing.length && !extra.length && !changed.length, checked, missing, extra, changed };
}

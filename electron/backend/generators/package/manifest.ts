import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export const MANIFEST_NAME = 'manifest.json';
export const GENERATOR_NAME = 'EvidenceBinder 佐证材料汇编';

export type ManifestFile = { path: string; size: number; sha256: string };

/** manifest.json at the root of a submission package: lets the receiver check nothing was lost or altered. */
export type PackageManifest = {
  framework: { id: string; title: string };
  workspace: { title: string; unit: string; period: { start: string; end: string } };
  generator: { name: string; version: string };
  generatedAt: string;
  /** Every file in the zip except manifest.json itself, in zip order. */
  files: ManifestFile[];
};

/** Passes bytes through unchanged while computing their SHA-256 and length. */
export class HashingStream extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    done(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

export function parseManifest(text: string): PackageManifest {
  const raw: unknown = JSON.parse(text);
  if (!raw || typeof raw !== 'object' || !Array.isArray((raw as { files?: unknown }).files)) {
    throw new Error('manifest.json 格式不正确：缺少 files 列表');
  }
  const files = (raw as { files: unknown[] }).files.map((f, i) => {
    const file = f as Partial<ManifestFile> | null;
    if (!file || typeof file.path !== 'string' || typeof file.sha256 !== 'string' || typeof file.size !== 'number') {
      throw new Error(`manifest.json 格式不正确：第 ${i + 1} 个文件记录缺少 path、size 或 sha256`);
    }
    return { path: file.path, size: file.size, sha256: file.sha256.toLowerCase() };
  });
  return { ...(raw as PackageManifest), files };
}

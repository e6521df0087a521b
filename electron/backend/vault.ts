import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The workspace folder could not be written (read-only medium, no permission, disk full). */
export class VaultWriteError extends Error {
  readonly code: string;
  constructor(cause: unknown) {
    const code = cause instanceof Error && 'code' in cause && typeof cause.code === 'string' ? cause.code : 'UNKNOWN';
    const why =
      code === 'ENOSPC' || code === 'EDQUOT'
        ? '磁盘空间不足'
        : code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
          ? '工作区文件夹是只读的或没有写入权限（如光盘、写保护的U盘、网络共享）'
          : `写入出错（${code}）`;
    super(`无法把文件保存到工作区：${why}。未导入该文件，已有材料不受影响。请把工作区复制到本机可写的位置（或腾出磁盘空间）后重新导入。`, { cause });
    this.name = 'VaultWriteError';
    this.code = code;
  }
}

/**
 * Content-addressed store of originals: vault/ab/<sha256>.<ext>. A file is written to tmp/, fsynced and renamed
 * into place, so a crash leaves either no file or a complete one; an unreferenced complete file is harmless and is
 * reused when the same bytes are imported again. Stored files are never modified.
 */
export class Vault {
  readonly root: string;
  private readonly tmp: string;

  constructor(workspaceDir: string) {
    this.root = path.join(workspaceDir, 'vault');
    this.tmp = path.join(this.root, 'tmp');
    mkdirSync(this.tmp, { recursive: true });
  }

  pathOf(sha256: string, ext: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`无效的文件指纹：${sha256}`);
    const safeExt = ext.replace(/[^a-z0-9]/gi, '').toLowerCase().slice(0, 8);
    return path.join(this.root, sha256.slice(0, 2), safeExt ? `${sha256}.${safeExt}` : sha256);
  }

  /** The stored file of these bytes whatever its extension, or undefined when it is not in the vault. */
  locate(sha256: string): string | undefined {
    const dir = path.dirname(this.pathOf(sha256, ''));
    if (!existsSync(dir)) return undefined;
    const name = readdirSync(dir).find((n) => n === sha256 || n.startsWith(`${sha256}.`));
    return name ? path.join(dir, name) : undefined;
  }

  has(sha256: string, ext: string): boolean {
    return existsSync(this.pathOf(sha256, ext));
  }

  /** Throws VaultWriteError (Chinese message) when the workspace cannot be written; no partial file is left behind. */
  put(sha256: string, ext: string, bytes: Uint8Array): string {
    const target = this.pathOf(sha256, ext);
    if (existsSync(target)) return target;
    const temp = path.join(this.tmp, `${sha256}.${randomBytes(4).toString('hex')}.part`);
    try {
      mkdirSync(path.dirname(target), { recursive: true });
      mkdirSync(this.tmp, { recursive: true });
      const fd = openSync(temp, 'w');
      try {
        let offset = 0;
        while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, target);
    } catch (error) {
      rmSync(temp, { force: true });
      throw new VaultWriteError(error);
    }
    return target;
  }

  /** Removes leftovers of writes interrupted by a crash. */
  cleanTemp(): number {
    let removed = 0;
    for (const name of readdirSync(this.tmp)) {
      rmSync(path.join(this.tmp, name), { force: true });
      removed++;
    }
    return removed;
  }
}

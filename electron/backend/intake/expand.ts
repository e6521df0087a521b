/**
 * Expands what the user dropped (files, folders, zip archives) into a flat, stably ordered list of
 * candidate files, plus the junk we skip and the inputs we refuse — each with a Chinese reason.
 * Nothing is read into memory until an item's read() is called (zip members are re-extracted on demand).
 */
import { constants as fsConstants } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, isAbsolute, sep } from 'node:path';
import type { Entry, ZipFile } from 'yauzl';
import { detectFormatOfBytes, detectFormatOfFile, isZipHead } from './detect.js';
import { closeZip, listZipEntries, openZipBuffer, openZipFile, readZipEntry, ZipEntryTooLargeError } from './readers/zip.js';
import type { ZipEntryInfo } from './readers/zip.js';
import { importReason, zipSizeDetail } from '../../../shared/intake/reasons.js';

export type InputFile = {
  kind: 'file';
  /** A path, or "a.zip::dir/member.pdf" (nested: "a.zip::b.zip::c.pdf"). */
  source: string;
  /** Base name (for zip members: the member's base name). */
  name: string;
  size: number;
  /** Rejects with an Error whose message is a Chinese, user-facing reason (e.g. a damaged zip member). */
  read(): Promise<Buffer>;
};
export type InputIgnored = { kind: 'ignored'; source: string; reason: string };
export type InputRejected = { kind: 'rejected'; source: string; reason: string };
export type InputItem = InputFile | InputIgnored | InputRejected;

export type ExpandOptions = { signal?: AbortSignal };

/** One member may not unpack to more than this (declared or actual). */
export const MAX_ENTRY_BYTES = 1024 * 1024 * 1024;
/** A whole archive (all members) may not unpack to more than this. */
export const MAX_ARCHIVE_BYTES = 4 * 1024 * 1024 * 1024;
/** Ratio beyond which a large member is treated as a zip bomb (documents compress ~3–20×). */
export const MAX_RATIO = 200;
const RATIO_MIN_BYTES = 16 * 1024 * 1024;
/** A zip inside a zip is read into memory to be listed, so it gets a tighter cap. */
const MAX_NESTED_ZIP_BYTES = 512 * 1024 * 1024;
/**
 * Many small, highly compressed members stay under the per-member checks: the archive as a whole is a bomb
 * when everything together unpacks to more than this and more than MAX_RATIO times the packed size.
 */
const ARCHIVE_RATIO_MIN_BYTES = 64 * 1024 * 1024;
/** More members than this is not a batch of evidence (a county's whole year is a few thousand files). */
export const MAX_ARCHIVE_ENTRIES = 20_000;

export const REASON_UNSAFE_PATH = importReason('unsafe-path');
export const REASON_CONTROL_CHARS = importReason('control-chars');
const REASON_ENCRYPTED_MEMBER = importReason('encrypted-member');
const REASON_TOO_DEEP = importReason('too-deep');
const REASON_EMPTY_FOLDER = importReason('empty-folder');
const reasonBomb = (what: string): string => importReason('zip-bomb', { what });
const reasonCorruptZip = (detail: string): string => importReason('corrupt-zip', { detail });

/** Junk that operating systems and Office leave beside real files. */
export function junkReason(name: string): string | null {
  const lower = name.toLowerCase();
  if (lower === 'thumbs.db' || lower === 'ehthumbs.db' || lower === 'desktop.ini') {
    return importReason('junk-windows', { name });
  }
  if (lower === '.ds_store') return importReason('junk-mac', { name });
  if (name.startsWith('._')) return importReason('junk-mac-fork', { name });
  // Judged by the name alone (a lock file's content is not a format): say so, and how to import a real file named like one.
  if (name.startsWith('~$')) {
    return importReason('junk-office-lock', { name });
  }
  if (name.startsWith('.~lock.')) {
    return importReason('junk-libreoffice-lock', { name });
  }
  return null;
}

/** C0/C1 controls (NUL, newline, bell …) never occur in real file names; they hide extensions and break displays. */
export function hasControlChars(name: string): boolean {
  return /[\u0000-\u001f\u007f-\u009f]/.test(name);
}

function isUnsafeZipPath(name: string): boolean {
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return true;
  return name.split('/').some((seg) => seg === '..');
}

const collator = new Intl.Collator('zh-Hans-CN', { numeric: true, sensitivity: 'variant' });
const startsWithHan = (s: string): boolean => /^\p{Script=Han}/u.test(s);
/**
 * Like Windows Explorer on Chinese Windows: digits and Latin before Chinese, numbers in natural order
 * (2 before 10), Chinese by 拼音; a code-point tie-break makes the order total (stable across runs).
 */
export function compareNames(a: string, b: string): number {
  const han = Number(startsWithHan(a)) - Number(startsWithHan(b));
  return han || collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

function checkAbort(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}

export async function* expandInputs(paths: string[], opts: ExpandOptions = {}): AsyncGenerator<InputItem> {
  for (const input of paths) {
    checkAbort(opts.signal);
    let info;
    try {
      // The user picked this path: follow a symlink at the top level.
      info = await stat(input);
    } catch {
      yield { kind: 'rejected', source: input, reason: importReason('not-found', { path: input }) };
      continue;
    }
    if (info.isDirectory()) {
      const root = await realpath(input);
      yield* walkDirectory(input, root, new Set([root]), opts);
    } else if (info.isFile()) {
      // Read the file the link points to (O_NOFOLLOW below refuses links swapped in later).
      yield* expandFile(input, info.size, opts, await realpath(input));
    } else {
      yield { kind: 'rejected', source: input, reason: importReason('not-regular', { path: input }) };
    }
  }
}

async function* walkDirectory(dir: string, root: string, visited: Set<string>, opts: ExpandOptions): AsyncGenerator<InputItem> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    yield { kind: 'rejected', source: dir, reason: importReason('folder-unreadable', { code: errorCode(e), path: dir }) };
    return;
  }
  if (names.length === 0) {
    yield { kind: 'ignored', source: dir, reason: REASON_EMPTY_FOLDER };
    return;
  }
  names.sort(compareNames);
  for (const name of names) {
    checkAbort(opts.signal);
    const full = join(dir, name);
    if (hasControlChars(name)) {
      yield { kind: 'rejected', source: join(dir, visibleName(name)), reason: REASON_CONTROL_CHARS };
      continue;
    }
    const junk = junkReason(name);
    if (junk) {
      yield { kind: 'ignored', source: full, reason: junk };
      continue;
    }
    let info;
    let readPath = full;
    try {
      info = await lstat(full);
    } catch (e) {
      yield { kind: 'rejected', source: full, reason: importReason('file-unreadable', { code: errorCode(e), path: full }) };
      continue;
    }
    if (info.isSymbolicLink()) {
      let target: string;
      try {
        target = await realpath(full);
        info = await stat(full);
      } catch {
        yield { kind: 'ignored', source: full, reason: importReason('symlink-dangling') };
        continue;
      }
      const rel = relative(root, target);
      if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep)[0] === '..') {
        yield { kind: 'ignored', source: full, reason: importReason('symlink-outside') };
        continue;
      }
      // Read the checked target itself, so a link swapped afterwards cannot lead outside the tree.
      readPath = target;
      if (info.isDirectory()) {
        if (visited.has(target)) {
          yield { kind: 'ignored', source: full, reason: importReason('symlink-loop') };
          continue;
        }
        visited.add(target);
      }
    } else if (info.isDirectory()) {
      visited.add(await realpath(full));
    }
    if (info.isDirectory()) {
      if (name === '__MACOSX') {
        yield { kind: 'ignored', source: full, reason: importReason('macosx-folder') };
        continue;
      }
      yield* walkDirectory(full, root, visited, opts);
    } else if (info.isFile()) {
      yield* expandFile(full, info.size, opts, readPath);
    } else {
      yield { kind: 'ignored', source: full, reason: importReason('special-file') };
    }
  }
}

function errorCode(e: unknown): string {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : '未知错误';
}

/**
 * Reads a listed file. Between listing and reading it may have vanished, been replaced by a symlink (refused:
 * O_NOFOLLOW) or by a pipe/device (opened non-blocking and refused by fstat, so a FIFO never hangs the import).
 * Errors carry a Chinese reason for the report.
 */
export async function readListedFile(path: string, source = path): Promise<Buffer> {
  // O_NOFOLLOW / O_NONBLOCK are 0 on Windows, where neither symlink swaps nor FIFOs in folders are a concern.
  const flags = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0);
  let handle;
  try {
    handle = await open(path, flags);
  } catch (e) {
    throw new Error(readFailureReason(e, source), { cause: e });
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error(`不是普通文件（设备、管道等），未导入：${source}`);
    return await handle.readFile();
  } catch (e) {
    if (e instanceof Error && !('code' in e)) throw e;
    throw new Error(readFailureReason(e, source), { cause: e });
  } finally {
    await handle.close();
  }
}

function readFailureReason(e: unknown, source: string): string {
  const code = errorCode(e);
  switch (code) {
    case 'ENOENT':
      return `文件在读取前已被移动或删除，未导入：${source}。请确认文件还在原处后重新导入。`;
    case 'ELOOP':
      return `文件在读取前被替换成了快捷方式（符号链接），为安全起见未导入：${source}`;
    case 'EACCES':
    case 'EPERM':
      return `没有权限读取该文件，未导入：${source}。请检查文件权限，或复制到本机后再导入。`;
    case 'EBUSY':
      return `文件正被其他程序占用，未导入：${source}。请关闭打开它的程序后重新导入。`;
    case 'EISDIR':
      return `这是一个文件夹而不是文件，未导入：${source}`;
    default:
      return `读取文件失败（${code}），未导入：${source}。请确认文件可以正常打开后重新导入。`;
  }
}

async function* expandFile(path: string, size: number, opts: ExpandOptions, readPath = path): AsyncGenerator<InputItem> {
  const name = basename(path);
  const fileItem: InputFile = { kind: 'file', source: path, name, size, read: () => readListedFile(readPath, path) };
  let isZip = false;
  if (size >= 4) {
    try {
      const head = await readHead(readPath);
      if (isZipHead(head)) isZip = (await detectFormatOfFile(readPath, name)).format === 'zip';
    } catch {
      isZip = false; // unreadable now: the reader reports it when read() fails
    }
  }
  if (!isZip) {
    yield fileItem;
    return;
  }
  let zip: ZipFile;
  try {
    zip = await openZipFile(readPath);
  } catch (e) {
    yield { kind: 'rejected', source: path, reason: reasonCorruptZip(describe(e)) };
    return;
  }
  const reopen = async (entry: Entry, limit: number): Promise<Buffer> => {
    const z = await openZipFile(readPath);
    try {
      return await readZipEntry(z, entry, limit);
    } finally {
      closeZip(z);
    }
  };
  try {
    yield* expandZip(zip, path, reopen, 0, opts);
  } finally {
    closeZip(zip);
  }
}

async function readHead(path: string): Promise<Buffer> {
  const h = await open(path, fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0));
  try {
    const buf = Buffer.alloc(4);
    await h.read(buf, 0, 4, 0);
    return buf;
  } finally {
    await h.close();
  }
}

function describe(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.length > 80 ? `${msg.slice(0, 80)}…` : msg;
}

type EntryReader = (entry: Entry, limit: number) => Promise<Buffer>;

async function* expandZip(
  zip: ZipFile,
  zipSource: string,
  readEntry: EntryReader,
  depth: number,
  opts: ExpandOptions,
): AsyncGenerator<InputItem> {
  let entries: ZipEntryInfo[];
  try {
    entries = await listZipEntries(zip);
  } catch (e) {
    yield { kind: 'rejected', source: zipSource, reason: reasonCorruptZip(describe(e)) };
    return;
  }
  const files = entries.filter((e) => !e.isDirectory);
  if (files.length === 0) {
    yield { kind: 'ignored', source: zipSource, reason: importReason('empty-zip') };
    return;
  }
  if (files.length > MAX_ARCHIVE_ENTRIES) {
    yield {
      kind: 'rejected',
      source: zipSource,
      reason: importReason('too-many-entries', { n: files.length, max: MAX_ARCHIVE_ENTRIES }),
    };
    return;
  }
  // Sizes as declared (yauzl refuses a member that unpacks to more than it declares, so they bound the real ones).
  // Members that are bombs on their own are refused one by one below; the rest must not be one together.
  const rest = files.filter((f) => !isMemberBomb(f));
  const packed = rest.reduce((sum, f) => sum + f.compressedSize, 0);
  const unpacked = rest.reduce((sum, f) => sum + f.uncompressedSize, 0);
  if (unpacked > ARCHIVE_RATIO_MIN_BYTES && unpacked > Math.max(packed, 1) * MAX_RATIO) {
    yield {
      kind: 'rejected',
      source: zipSource,
      reason: importReason('zip-bomb-archive', { what: zipSizeDetail('archive', { n: files.length, packed: formatBytes(packed), size: formatBytes(unpacked) }) }),
    };
    return;
  }
  // Folders stored as entries but holding nothing.
  for (const dir of entries.filter((e) => e.isDirectory)) {
    if (isUnsafeZipPath(dir.name) || dir.name.startsWith('__MACOSX/')) continue;
    if (!entries.some((e) => e !== dir && e.name.startsWith(dir.name))) {
      yield { kind: 'ignored', source: `${zipSource}::${dir.name}`, reason: REASON_EMPTY_FOLDER };
    }
  }
  files.sort((a, b) => compareNames(a.name, b.name));
  // A zip may hold several members under one name: number the later ones so each has its own source.
  const seen = new Map<string, number>();
  let declaredTotal = 0;
  for (const member of files) {
    checkAbort(opts.signal);
    const count = (seen.get(member.name) ?? 0) + 1;
    seen.set(member.name, count);
    const source = `${zipSource}::${member.name}${count > 1 ? `（同名第${count}个）` : ''}`;
    const name = member.name.split('/').pop() ?? member.name;
    if (hasControlChars(member.name)) {
      yield { kind: 'rejected', source: `${zipSource}::${visibleName(member.name)}`, reason: REASON_CONTROL_CHARS };
      continue;
    }
    if (isUnsafeZipPath(member.name)) {
      yield { kind: 'rejected', source, reason: REASON_UNSAFE_PATH };
      continue;
    }
    if (member.name.startsWith('__MACOSX/') || member.name.includes('/__MACOSX/')) {
      yield { kind: 'ignored', source, reason: importReason('macosx-file') };
      continue;
    }
    const junk = junkReason(name);
    if (junk) {
      yield { kind: 'ignored', source, reason: junk };
      continue;
    }
    if (member.encrypted) {
      yield { kind: 'rejected', source, reason: REASON_ENCRYPTED_MEMBER };
      continue;
    }
    const declared = member.uncompressedSize;
    if (declared > MAX_ENTRY_BYTES) {
      yield { kind: 'rejected', source, reason: reasonBomb(zipSizeDetail('declared', { size: formatBytes(declared) })) };
      continue;
    }
    if (isMemberBomb(member)) {
      yield {
        kind: 'rejected',
        source,
        reason: reasonBomb(zipSizeDetail('ratio', { packed: formatBytes(member.compressedSize), size: formatBytes(declared) })),
      };
      continue;
    }
    declaredTotal += declared;
    if (declaredTotal > MAX_ARCHIVE_BYTES) {
      yield { kind: 'rejected', source, reason: reasonBomb(zipSizeDetail('total')) };
      continue;
    }

    const read = async (): Promise<Buffer> => {
      try {
        return await readEntry(member.entry, MAX_ENTRY_BYTES);
      } catch (e) {
        if (e instanceof ZipEntryTooLargeError) throw new Error(reasonBomb(zipSizeDetail('actual')), { cause: e });
        throw new Error(`压缩包内的文件已损坏，无法解压（${describe(e)}）：${source}。请向报送单位重新索取。`, { cause: e });
      }
    };

    // A member that is itself a plain zip is expanded (one level deep); docx/xlsx stay files.
    let nested: Buffer | null = null;
    if (declared >= 4) {
      let head: Buffer;
      try {
        head = await readZipEntry(zip, member.entry, MAX_ENTRY_BYTES, 4);
      } catch (e) {
        yield { kind: 'rejected', source, reason: importReason('corrupt-member', { detail: describe(e) }) };
        continue;
      }
      if (isZipHead(head) && declared <= MAX_NESTED_ZIP_BYTES) {
        const bytes = await read().catch(() => null);
        if (bytes && (await detectFormatOfBytes(bytes, name)).format === 'zip') nested = bytes;
      }
    }
    if (nested) {
      if (depth >= 1) {
        yield { kind: 'rejected', source, reason: REASON_TOO_DEEP };
        continue;
      }
      const inner = nested;
      let innerZip: ZipFile;
      try {
        innerZip = await openZipBuffer(inner);
      } catch (e) {
        yield { kind: 'rejected', source, reason: reasonCorruptZip(describe(e)) };
        continue;
      }
      const innerRead: EntryReader = async (entry, limit) => {
        const z = await openZipBuffer(inner);
        try {
          return await readZipEntry(z, entry, limit);
        } finally {
          closeZip(z);
        }
      };
      try {
        yield* expandZip(innerZip, source, innerRead, depth + 1, opts);
      } finally {
        closeZip(innerZip);
      }
      continue;
    }
    yield { kind: 'file', source, name, size: declared, read };
  }
}

function isMemberBomb(member: ZipEntryInfo): boolean {
  const declared = member.uncompressedSize;
  return declared > MAX_ENTRY_BYTES || (declared > RATIO_MIN_BYTES && declared > member.compressedSize * MAX_RATIO);
}

/** A name with its control characters shown as U+FFFD, so a report line stays one line. */
function visibleName(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\uFFFD');
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / 1024 / 1024 / 1024).toFixed(1)} GB`;
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.ceil(n / 1024)} KB`;
}

/**
 * Thin promise wrapper around yauzl. File names are decoded here (not by yauzl) so that names from
 * Chinese Windows (GBK, no UTF-8 flag) come out right and unsafe names reach our own checks instead of
 * being dropped by yauzl's validation.
 */
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';

export type ZipEntryInfo = {
  /** Decoded name with "/" separators, as stored (may be unsafe: checked by the caller). */
  name: string;
  isDirectory: boolean;
  encrypted: boolean;
  compressedSize: number;
  uncompressedSize: number;
  entry: Entry;
};

/** APPNOTE 4.4.4: general purpose bit 11 = names are UTF-8. */
const UTF8_FLAG = 0x800;
/** APPNOTE 4.6.9: Info-ZIP Unicode Path extra field. */
const UNICODE_PATH_EXTRA = 0x7075;

const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function isStrictUtf8(bytes: Uint8Array): boolean {
  try {
    utf8Strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Names without the UTF-8 flag: the Info-ZIP Unicode Path field wins; otherwise bytes that are valid
 * UTF-8 (macOS Archive Utility writes UTF-8 without the flag) are UTF-8, and anything else is GBK
 * (CP936, what Windows Explorer / WinRAR on Chinese Windows write). GBK Chinese is almost never valid UTF-8.
 */
export function decodeZipName(raw: Buffer, flags: number, extraFields: readonly { id: number; data: Buffer }[]): string {
  if ((flags & UTF8_FLAG) !== 0) return raw.toString('utf8');
  for (const field of extraFields) {
    // version (1) + CRC-32 of the raw name (4) + UTF-8 name
    if (field.id === UNICODE_PATH_EXTRA && field.data.length > 5 && field.data[0] === 1) {
      return field.data.subarray(5).toString('utf8');
    }
  }
  const ascii = raw.every((b) => b < 0x80);
  if (ascii) return raw.toString('latin1');
  if (isStrictUtf8(raw)) return raw.toString('utf8');
  return iconv.decode(raw, 'gbk');
}

const baseOptions = { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: false } as const;

export function openZipBuffer(bytes: Buffer): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, baseOptions, (err, zip) => (err ? reject(err) : resolve(zip)));
  });
}

export function openZipFile(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, baseOptions, (err, zip) => (err ? reject(err) : resolve(zip)));
  });
}

/** Reads the whole central directory. Throws on a corrupt archive. */
export function listZipEntries(zip: ZipFile): Promise<ZipEntryInfo[]> {
  return new Promise((resolve, reject) => {
    const entries: ZipEntryInfo[] = [];
    const onEntry = (entry: Entry): void => {
      // decodeStrings:false gives Buffers at run time; the @types say string.
      const rawName: unknown = entry.fileName;
      const raw = Buffer.isBuffer(rawName) ? rawName : Buffer.from(String(rawName), 'utf8');
      const name = decodeZipName(raw, entry.generalPurposeBitFlag, entry.extraFields).replace(/\\/g, '/');
      entries.push({
        name,
        isDirectory: name.endsWith('/'),
        encrypted: (entry.generalPurposeBitFlag & 0x1) !== 0,
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        entry,
      });
      zip.readEntry();
    };
    const cleanup = (): void => {
      zip.removeListener('entry', onEntry);
      zip.removeListener('end', onEnd);
      zip.removeListener('error', onError);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(entries);
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    zip.on('entry', onEntry);
    zip.once('end', onEnd);
    zip.once('error', onError);
    zip.readEntry();
  });
}

export class ZipEntryTooLargeError extends Error {}

/**
 * Reads one entry into memory, stopping at `limit` bytes (the declared size is checked by yauzl, but a
 * lying header must not make us allocate without bound). `maxBytes` lets a caller peek at the start.
 */
export function readZipEntry(zip: ZipFile, entry: Entry, limit: number, maxBytes?: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) {
        reject(err);
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      let settled = false;
      const finish = (error: Error | null): void => {
        if (settled) return;
        settled = true;
        if (error) reject(error);
        else resolve(Buffer.concat(chunks, Math.min(total, maxBytes ?? total)));
      };
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        total += chunk.length;
        if (maxBytes !== undefined && total >= maxBytes) {
          finish(null);
          stream.destroy();
        } else if (total > limit) {
          finish(new ZipEntryTooLargeError(`entry exceeds ${limit} bytes`));
          stream.destroy();
        }
      });
      stream.once('end', () => finish(null));
      stream.on('error', (e: Error) => finish(e));
    });
  });
}

export function closeZip(zip: ZipFile): void {
  if (zip.isOpen) zip.close();
}

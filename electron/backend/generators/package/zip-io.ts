import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import yazl from 'yazl';

/** General-purpose bit 11 (APPNOTE 4.4.4): the name and comment are UTF-8. */
export const ZIP_UTF8_FLAG = 0x0800;

export type ZipEntryInfo = {
  /** Decoded name: UTF-8 when flagged, otherwise GBK (zips made on Chinese Windows). */
  name: string;
  utf8: boolean;
  /** Why the name is unsafe to extract (absolute path, "..", drive letter), or null. */
  unsafe: string | null;
  isDirectory: boolean;
  size: number;
  compressedSize: number;
  /** 0 stored, 8 deflate */
  method: number;
  flags: number;
  mtime: Date;
};

function openZip(source: string | Buffer): Promise<yauzl.ZipFile> {
  // decodeStrings: false so a hostile name ("../../x") reaches us as data instead of aborting the whole read.
  const options = { lazyEntries: true, decodeStrings: false, validateEntrySizes: true, autoClose: true };
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip: yauzl.ZipFile) => (err ? reject(err) : resolve(zip));
    if (typeof source === 'string') yauzl.open(source, options, done);
    else yauzl.fromBuffer(source, options, done);
  });
}

function decodeName(entry: yauzl.Entry): { name: string; utf8: boolean } {
  const raw: unknown = entry.fileName;
  const utf8 = (entry.generalPurposeBitFlag & ZIP_UTF8_FLAG) !== 0;
  if (!Buffer.isBuffer(raw)) return { name: String(raw), utf8 };
  return { name: utf8 ? raw.toString('utf8') : iconv.decode(raw, 'gbk'), utf8 };
}

function unsafeReason(name: string): string | null {
  if (name.includes('\\')) return '路径中含有反斜杠';
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return '绝对路径';
  if (name.split('/').some((part) => part === '..')) return '路径中含有“..”';
  return yauzl.validateFileName(name);
}

/**
 * Visits every entry of a zip in central-directory order. `open` streams the entry's uncompressed bytes;
 * entries the visitor does not open are skipped without reading them.
 */
export async function walkZip(
  source: string | Buffer,
  visit: (entry: ZipEntryInfo, open: () => Promise<Readable>) => Promise<void>,
): Promise<void> {
  const zip = await openZip(source);
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      zip.close();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    zip.on('error', fail);
    zip.on('end', () => {
      if (!failed) resolve();
    });
    zip.on('entry', (entry: yauzl.Entry) => {
      const { name, utf8 } = decodeName(entry);
      const info: ZipEntryInfo = {
        name,
        utf8,
        unsafe: unsafeReason(name),
        isDirectory: name.endsWith('/'),
        size: entry.uncompressedSize,
        compressedSize: entry.compressedSize,
        method: entry.compressionMethod,
        flags: entry.generalPurposeBitFlag,
        mtime: entry.getLastModDate(),
      };
      const open = () =>
        new Promise<Readable>((res, rej) => zip.openReadStream(entry, (err, stream) => (err ? rej(err) : res(stream))));
      visit(info, open).then(() => zip.readEntry(), fail);
    });
    zip.readEntry();
  });
}

export async function readStreamToBuffer(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** Every file of a zip held in memory, in order (for small zips: DOCX, XLSX, tests). */
export async function readZipFiles(source: string | Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  await walkZip(source, async (entry, open) => {
    if (!entry.isDirectory) files.set(entry.name, await readStreamToBuffer(await open()));
  });
  return files;
}

/**
 * Rewrites a zip (DOCX, XLSX) with one fixed timestamp on every entry: the docx and exceljs writers stamp
 * entries with the current time, which makes two builds of the same workspace differ byte for byte.
 */
export async function rezipWithFixedTime(
  bytes: Uint8Array,
  mtime: Date,
  transform?: (name: string, data: Buffer) => Buffer,
): Promise<Buffer> {
  const files = await readZipFiles(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const out = new yazl.ZipFile();
  for (const [name, data] of files) {
    out.addBuffer(transform ? transform(name, data) : data, name, { mtime, compress: true, forceDosTimestamp: true });
  }
  out.end();
  return readStreamToBuffer(out.outputStream as Readable);
}

/**
 * Minimal reader for OLE2 compound files ([MS-CFB]): .doc/.xls/.ppt, WPS/ET, and password-protected
 * OOXML (which Office wraps in a compound file with EncryptionInfo + EncryptedPackage streams).
 * Only what detection and text extraction need: the directory and reading a stream by name.
 */

export const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;

export class OleFormatError extends Error {}

export function isOle(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && OLE_MAGIC.every((b, i) => bytes[i] === b);
}

type DirEntry = { name: string; type: number; start: number; size: number };

// [MS-CFB] 2.1: special sector numbers
const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;

export class OleFile {
  readonly entries: DirEntry[];
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly sectorSize: number;
  private readonly miniSectorSize: number;
  private readonly miniCutoff: number;
  private readonly fat: number[];
  private miniFat: number[] | null = null;
  private miniStream: Uint8Array | null = null;
  private readonly firstMiniFat: number;

  constructor(bytes: Uint8Array) {
    if (!isOle(bytes) || bytes.length < 512) throw new OleFormatError('not a compound file');
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const sectorShift = this.view.getUint16(0x1e, true);
    const miniShift = this.view.getUint16(0x20, true);
    if (sectorShift !== 9 && sectorShift !== 12) throw new OleFormatError('bad sector size');
    this.sectorSize = 1 << sectorShift;
    this.miniSectorSize = 1 << miniShift;
    this.miniCutoff = this.view.getUint32(0x38, true);
    const firstDir = this.view.getUint32(0x30, true);
    this.firstMiniFat = this.view.getUint32(0x3c, true);
    const fatSectorCount = this.view.getUint32(0x2c, true);
    let difatSector = this.view.getUint32(0x44, true);

    // DIFAT: 109 entries in the header, the rest in a chain of DIFAT sectors.
    const fatSectors: number[] = [];
    for (let i = 0; i < 109 && fatSectors.length < fatSectorCount; i++) {
      const s = this.view.getUint32(0x4c + i * 4, true);
      if (s !== FREESECT) fatSectors.push(s);
    }
    const perDifat = this.sectorSize / 4 - 1;
    let guard = 0;
    while (fatSectors.length < fatSectorCount && difatSector !== ENDOFCHAIN && difatSector !== FREESECT) {
      if (++guard > 1_000_000) throw new OleFormatError('DIFAT loop');
      const off = this.sectorOffset(difatSector);
      for (let i = 0; i < perDifat && fatSectors.length < fatSectorCount; i++) {
        const s = this.u32(off + i * 4);
        if (s !== FREESECT) fatSectors.push(s);
      }
      difatSector = this.u32(off + perDifat * 4);
    }
    this.fat = [];
    for (const s of fatSectors) {
      const off = this.sectorOffset(s);
      for (let i = 0; i < this.sectorSize / 4; i++) this.fat.push(this.u32(off + i * 4));
    }

    const dir = this.readChain(firstDir, this.fat, this.sectorSize, (s) => this.sectorSlice(s));
    this.entries = [];
    for (let off = 0; off + 128 <= dir.length; off += 128) {
      const dv = new DataView(dir.buffer, dir.byteOffset + off, 128);
      const nameLen = dv.getUint16(64, true);
      const type = dv.getUint8(66);
      if (type === 0 || nameLen < 2 || nameLen > 64) continue;
      const name = new TextDecoder('utf-16le').decode(dir.subarray(off, off + nameLen - 2));
      this.entries.push({ name, type, start: dv.getUint32(116, true), size: dv.getUint32(120, true) });
    }
    if (!this.entries.some((e) => e.type === 5)) throw new OleFormatError('no root entry');
  }

  /** Names of all streams and storages (case as stored). */
  names(): string[] {
    return this.entries.map((e) => e.name);
  }

  has(name: string): boolean {
    const lower = name.toLowerCase();
    return this.entries.some((e) => e.name.toLowerCase() === lower);
  }

  /** Reads a stream by (case-insensitive) name; undefined when absent. */
  stream(name: string): Uint8Array | undefined {
    const lower = name.toLowerCase();
    const entry = this.entries.find((e) => e.type === 2 && e.name.toLowerCase() === lower);
    if (!entry) return undefined;
    if (entry.size < this.miniCutoff) {
      const mini = this.loadMini();
      const data = this.readChain(entry.start, mini.fat, this.miniSectorSize, (s) => {
        const off = s * this.miniSectorSize;
        if (off + this.miniSectorSize > mini.stream.length) throw new OleFormatError('mini sector out of range');
        return mini.stream.subarray(off, off + this.miniSectorSize);
      });
      return data.subarray(0, entry.size);
    }
    return this.readChain(entry.start, this.fat, this.sectorSize, (s) => this.sectorSlice(s)).subarray(0, entry.size);
  }

  private loadMini(): { fat: number[]; stream: Uint8Array } {
    if (!this.miniFat || !this.miniStream) {
      const root = this.entries.find((e) => e.type === 5);
      if (!root) throw new OleFormatError('no root entry');
      this.miniStream = this.readChain(root.start, this.fat, this.sectorSize, (s) => this.sectorSlice(s));
      const mf = this.readChain(this.firstMiniFat, this.fat, this.sectorSize, (s) => this.sectorSlice(s));
      const fat: number[] = [];
      for (let i = 0; i + 4 <= mf.length; i += 4) fat.push(new DataView(mf.buffer, mf.byteOffset + i, 4).getUint32(0, true));
      this.miniFat = fat;
    }
    return { fat: this.miniFat, stream: this.miniStream };
  }

  private readChain(start: number, fat: number[], size: number, slice: (s: number) => Uint8Array): Uint8Array {
    const parts: Uint8Array[] = [];
    const seen = new Set<number>();
    let s = start;
    while (s !== ENDOFCHAIN && s !== FREESECT) {
      if (seen.has(s) || s >= fat.length) throw new OleFormatError('broken sector chain');
      seen.add(s);
      parts.push(slice(s));
      s = fat[s];
    }
    const out = new Uint8Array(parts.length * size);
    parts.forEach((p, i) => out.set(p, i * size));
    return out;
  }

  private sectorOffset(s: number): number {
    const off = (s + 1) * this.sectorSize;
    if (off + this.sectorSize > this.bytes.length) throw new OleFormatError('sector out of range');
    return off;
  }

  private sectorSlice(s: number): Uint8Array {
    const off = this.sectorOffset(s);
    return this.bytes.subarray(off, off + this.sectorSize);
  }

  private u32(off: number): number {
    return this.view.getUint32(off, true);
  }
}

export type OleKind = 'doc' | 'xls' | 'ppt' | 'encrypted-ooxml' | 'other';

/** What a compound file holds, from its stream names. */
export function classifyOle(ole: OleFile): OleKind {
  if (ole.has('EncryptionInfo') && ole.has('EncryptedPackage')) return 'encrypted-ooxml';
  if (ole.has('WordDocument')) return 'doc';
  if (ole.has('Workbook') || ole.has('Book')) return 'xls';
  if (ole.has('PowerPoint Document')) return 'ppt';
  return 'other';
}

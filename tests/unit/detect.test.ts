import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectFormat, extensionFormat } from '../../electron/backend/intake/detect.js';
import { hammingDistanceHex } from '../../electron/backend/intake/fingerprint.js';

const bytes = (...parts: (number[] | string)[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('detectFormat by magic bytes', () => {
  it.each([
    ['a.pdf', bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n'), 'pdf'],
    ['junk-before-header.pdf', bytes('\r\n\x00garbage from a mail gateway\n%PDF-1.4\n'), 'pdf'],
    ['a.jpg', bytes([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10]), 'jpeg'],
    ['a.png', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'png'],
    ['a.gif', bytes('GIF89a\x01\x00\x01\x00'), 'gif'],
    ['a.bmp', bytes('BM', [0x46, 0, 0, 0, 0, 0, 0, 0, 0x36, 0, 0, 0, 40, 0, 0, 0], new Array<number>(10).fill(0)), 'bmp'],
    ['a.tif', bytes([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]), 'tiff'],
    ['b.tif', bytes([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8]), 'tiff'],
    ['a.webp', bytes('RIFF\x24\x00\x00\x00WEBPVP8 '), 'webp'],
    ['IMG_0001.HEIC', bytes([0, 0, 0, 0x18], 'ftypheic', [0, 0, 0, 0], 'mif1heic'), 'heic'],
    ['IMG_0002.heic', bytes([0, 0, 0, 0x18], 'ftypmif1', [0, 0, 0, 0], 'mif1heic'), 'heic'],
  ] as const)('%s → %s', (name, head, format) => {
    expect(detectFormat(head, name)).toMatchObject({ format, mismatch: false });
  });

  it('trusts the content over the extension and says so', () => {
    const jpeg = bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF');
    expect(detectFormat(jpeg, '会议纪要.pdf')).toEqual({ format: 'jpeg', extensionFormat: 'pdf', mismatch: true });
    expect(detectFormat(bytes('%PDF-1.4\n'), '照片.JPG')).toEqual({ format: 'pdf', extensionFormat: 'jpeg', mismatch: true });
    expect(detectFormat(bytes('%PDF-1.4\n'), '没有扩展名')).toEqual({ format: 'pdf', extensionFormat: null, mismatch: false });
  });

  it('tells OOXML and ODF from a plain zip by the entries in the head', () => {
    const local = (name: string, data = ''): Uint8Array =>
      bytes([0x50, 0x4b, 0x03, 0x04], new Array<number>(22).fill(0), [name.length, 0, 0, 0], name, data);
    const docx = Buffer.concat([local('[Content_Types].xml', '<Types/>'), local('word/document.xml')]);
    const xlsx = Buffer.concat([local('[Content_Types].xml'), local('xl/workbook.xml')]);
    const pptx = Buffer.concat([local('[Content_Types].xml'), local('ppt/presentation.xml')]);
    const odt = local('mimetype', 'application/vnd.oasis.opendocument.text');
    const zip = local('会议纪要.pdf', '%PDF-1.4');
    expect(detectFormat(docx, '方案.docx').format).toBe('docx');
    expect(detectFormat(xlsx, '台账').format).toBe('xlsx');
    expect(detectFormat(pptx, '汇报.pptx').format).toBe('pptx');
    expect(detectFormat(odt, '方案.odt').format).toBe('odt');
    // A zip whose first member is a PDF is still a zip.
    expect(detectFormat(zip, '材料.zip')).toEqual({ format: 'zip', extensionFormat: 'zip', mismatch: false });
    expect(detectFormat(zip, '材料.docx')).toMatchObject({ format: 'docx' });
    expect(detectFormat(local('OFD.xml'), '电子公文.ofd')).toMatchObject({ format: 'unknown' });
  });

  it('uses the extension to name a compound (OLE) file whose directory is beyond the head', () => {
    const ole = bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], new Array<number>(100).fill(0));
    expect(detectFormat(ole, '通知.doc').format).toBe('doc');
    expect(detectFormat(ole, '通知.wps').format).toBe('wps');
    expect(detectFormat(ole, '台账.et').format).toBe('et');
    expect(detectFormat(ole, '不明').format).toBe('unknown');
  });

  it('recognises UTF-8, GBK and UTF-16 text and refuses binary', () => {
    expect(detectFormat(Buffer.from('津南政发〔2019〕12号\n', 'utf8'), 'a.txt').format).toBe('txt');
    expect(detectFormat(iconv.encode('关于召开联席会议的通知\r\n', 'gbk'), '通知').format).toBe('txt');
    expect(detectFormat(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('通知', 'utf16le')]), 'a.txt').format).toBe('txt');
    expect(detectFormat(bytes([0x00, 0x01, 0x02, 0x80, 0x81, 0x82]), 'a.txt')).toEqual({ format: 'unknown', extensionFormat: 'txt', mismatch: true });
    expect(detectFormat(new Uint8Array(0), 'empty.pdf').format).toBe('unknown');
  });

  it('maps extensions case-insensitively', () => {
    expect(extensionFormat('A.JPEG')).toBe('jpeg');
    expect(extensionFormat('x.tif')).toBe('tiff');
    expect(extensionFormat('台账.csv')).toBe('txt');
    expect(extensionFormat('no-extension')).toBeNull();
  });
});

describe('hammingDistanceHex', () => {
  it('counts differing bits and refuses to compare different kinds', () => {
    expect(hammingDistanceHex('d:0000000000000000', 'd:0000000000000000')).toBe(0);
    expect(hammingDistanceHex('d:0000000000000000', 'd:000000000000000f')).toBe(4);
    expect(hammingDistanceHex('d:ffffffffffffffff', 'd:0000000000000000')).toBe(64);
    expect(hammingDistanceHex('d:00', 't:00')).toBe(Number.POSITIVE_INFINITY);
  });
});

import { describe, expect, it } from 'vitest';
import { FolderNames, extensionOf, safeFileName } from '../../electron/backend/generators/package/safe-names.js';

describe('safeFileName (Windows rules)', () => {
  it('replaces every character Windows forbids', () => {
    const name = safeFileName('关于<A>:B"C/D\\E|F?G*H的通知.pdf');
    expect(name).toBe('关于＜A＞：B＂C_D_E｜F？G＊H的通知.pdf');
    expect(name).not.toMatch(/[\\/:*?"<>|]/);
  });

  it('drops control characters', () => {
    expect(safeFileName('会议\u0000纪要\u0007\n第1次\t.docx')).toBe('会议纪要第1次.docx');
    expect(safeFileName('a\u007fb\u0085c.txt')).toBe('abc.txt');
  });

  it('removes trailing dots and spaces, also before the extension', () => {
    expect(safeFileName('签到表. . ')).toBe('签到表');
    expect(safeFileName('签到表 ...')).toBe('签到表');
    expect(safeFileName('  纪要 .pdf')).toBe('纪要.pdf');
    expect(safeFileName('纪要.pdf. ')).toBe('纪要.pdf');
  });

  it('renames reserved device names, with or without extension, in any case', () => {
    for (const reserved of ['CON', 'prn', 'Aux', 'NUL', 'COM1', 'com9', 'LPT1', 'lpt9', 'COM¹']) {
      const safe = safeFileName(reserved);
      expect(safe.toLowerCase()).not.toBe(reserved.toLowerCase());
      expect(safe.startsWith(reserved)).toBe(true);
    }
    expect(safeFileName('CON.txt')).toBe('CON_.txt');
    expect(safeFileName('nul.tar.gz')).toBe('nul_.tar.gz');
    // Not reserved: longer names and COM0.
    expect(safeFileName('CONSOLE.txt')).toBe('CONSOLE.txt');
    expect(safeFileName('COM10.pdf')).toBe('COM10.pdf');
    expect(safeFileName('COM0')).toBe('COM0');
  });

  it('limits the length to 120 UTF-16 units by default, keeping the extension', () => {
    const long = `${'东西部扶贫协作'.repeat(40)}.pdf`;
    const safe = safeFileName(long);
    expect(safe.length).toBe(120);
    expect(safe.endsWith('.pdf')).toBe(true);
    expect(safeFileName('a'.repeat(50), 20)).toBe('a'.repeat(20));
  });

  it('counts UTF-16 units and never splits a surrogate pair', () => {
    const emoji = '😀'.repeat(10); // 20 UTF-16 units
    const safe = safeFileName(`${emoji}.jpg`, 10);
    expect(safe.length).toBeLessThanOrEqual(10);
    expect(safe).toBe('😀😀😀.jpg');
    expect(safe).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('never returns an empty name', () => {
    expect(safeFileName('')).toBe('未命名');
    expect(safeFileName(' ... ')).toBe('未命名');
    expect(safeFileName('.pdf')).toBe('.pdf');
    expect(safeFileName('???')).toBe('？？？');
  });

  it('numbers collisions with （2）, case-insensitively, within the length limit', () => {
    const folder = new FolderNames();
    expect(folder.claim('0001_会议纪要.pdf')).toBe('0001_会议纪要.pdf');
    expect(folder.claim('0001_会议纪要.pdf')).toBe('0001_会议纪要（2）.pdf');
    expect(folder.claim('0001_会议纪要.PDF')).toBe('0001_会议纪要（3）.PDF');
    expect(folder.claim('0001_会议纪要（2）.pdf')).toBe('0001_会议纪要（2）（2）.pdf');
    const small = new FolderNames(12);
    expect(small.claim('一二三四五六七八九十.pdf')).toBe('一二三四五六七八.pdf');
    const second = small.claim('一二三四五六七八九十.pdf');
    expect(second).toBe('一二三四五（2）.pdf');
    expect(second.length).toBeLessThanOrEqual(12);
  });

  it('keeps the original extension as received', () => {
    expect(extensionOf('IMG_0001.JPG')).toBe('.JPG');
    expect(extensionOf('纪要.docx')).toBe('.docx');
    expect(extensionOf('无扩展名')).toBe('');
  });
});

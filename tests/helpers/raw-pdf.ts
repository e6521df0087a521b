/**
 * PDFs written object by object, for what pdf-lib will not write: fonts that are referenced but not embedded
 * (government and OA exports name STSong-Light with the predefined UniGB-UCS2-H CMap and ship no glyphs), and
 * hostile content that a reader must survive.
 */
import { deflateSync } from 'node:zlib';

/** Objects numbered from 1 in order; object 1 must be the catalogue. Offsets in the xref table are exact. */
export function rawPdf(objects: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0].length;
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(offset);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), Buffer.isBuffer(object) ? object : Buffer.from(object, 'latin1'), Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(chunk);
    offset += chunk.length;
  });
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${offset}\n%%EOF\n`;
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}

export function flateStream(content: Buffer | string): Buffer {
  const z = deflateSync(typeof content === 'string' ? Buffer.from(content, 'latin1') : content, { level: 9 });
  return Buffer.concat([Buffer.from(`<< /Length ${z.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), z, Buffer.from('\nendstream', 'latin1')]);
}

/**
 * One page whose content stream holds a single text string of `megabytes` MB of "A": 60 KB on disk, but pdfjs
 * builds the whole string (and its text items) in memory — over 1 GB of heap for 60 MB. Such a file must cost
 * one reader worker, never the import.
 */
export function memoryBombPdf(megabytes: number): Buffer {
  const content = Buffer.concat([Buffer.from('BT /F1 12 Tf 72 720 Td (', 'latin1'), Buffer.alloc(megabytes * 1024 * 1024, 0x41), Buffer.from(') Tj ET', 'latin1')]);
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    flateStream(content),
  ]);
}

const LEADING = 20;
const LINES_PER_PAGE = 34;

function utf16Hex(text: string): string {
  let hex = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0x3000;
    // UniGB-UCS2-H maps BMP code points only; anything else would not be in a GB 2312 document anyway.
    hex += (code > 0xffff ? 0x3000 : code).toString(16).padStart(4, '0').toUpperCase();
  }
  return hex;
}

/**
 * A Chinese PDF as many OA systems and older Acrobat exports write it: Type0 font STSong-Light, encoding the
 * predefined CMap UniGB-UCS2-H (Adobe-GB1), no font file embedded. Viewers (and pdfjs) must load the CMap and a
 * substitute font to read it. Each page is a list of lines, set top-down at 14 pt in 宋体.
 */
export function chineseNonEmbeddedPdf(logicalPages: string[][], options: { fontName?: 'STSong-Light' | 'STSongStd-Light' } = {}): Buffer {
  const fontName = options.fontName ?? 'STSong-Light';
  // A page holds LINES_PER_PAGE lines; longer ones continue on the next page (text below the page would be lost).
  const pages = logicalPages.flatMap((lines) =>
    lines.length <= LINES_PER_PAGE ? [lines] : Array.from({ length: Math.ceil(lines.length / LINES_PER_PAGE) }, (_, i) => lines.slice(i * LINES_PER_PAGE, (i + 1) * LINES_PER_PAGE)),
  );
  const pageCount = pages.length;
  // 1 catalogue, 2 pages, 3 Type0 font, 4 CIDFont, 5 descriptor, then (page, content) pairs.
  const firstPage = 6;
  const kids = pages.map((_, i) => `${firstPage + 2 * i} 0 R`).join(' ');
  const objects: (string | Buffer)[] = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${pageCount} >>`,
    `<< /Type /Font /Subtype /Type0 /BaseFont /${fontName} /Encoding /UniGB-UCS2-H /DescendantFonts [4 0 R] >>`,
    `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /${fontName} /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 5 0 R /DW 1000 >>`,
    `<< /Type /FontDescriptor /FontName /${fontName} /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>`,
  ];
  pages.forEach((lines, i) => {
    const ops = lines.map((line, n) => `BT /F1 14 Tf 72 ${770 - n * LEADING} Td <${utf16Hex(line)}> Tj ET`).join('\n');
    objects.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${firstPage + 2 * i + 1} 0 R >>`);
    objects.push(flateStream(Buffer.from(ops, 'latin1')));
  });
  return rawPdf(objects);
}

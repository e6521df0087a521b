import {
  AlignmentType,
  Footer,
  PageNumber,
  Paragraph,
  TextRun,
  type IStylesOptions,
  type ISectionPropertiesOptions,
} from 'docx';

/** Twips (1/1440 inch) from millimetres: OOXML page geometry is in twips. */
export function mm(value: number): number {
  return Math.round((value / 25.4) * 1440);
}

/** Half-points from points: OOXML font sizes (w:sz) are in half-points. */
export function pt(value: number): number {
  return Math.round(value * 2);
}

/** GB/T 9704-2012 §5.2: A4 (210 × 297 mm); 天头 37 mm, 订口 28 mm, 下白边 35 mm, 翻口 26 mm. */
export const PAGE = {
  width: mm(210),
  height: mm(297),
  margin: { top: mm(37), left: mm(28), bottom: mm(35), right: mm(26) },
  /** The page number line sits about 7 mm below the text block (GB/T 9704 §7.5). */
  footer: mm(23),
  header: mm(15),
} as const;

/** Width of the text block in twips (210 − 28 − 26 mm = 156 mm, 28 characters of 16 pt). */
export const TEXT_WIDTH = PAGE.width - PAGE.margin.left - PAGE.margin.right;

/**
 * Font names the standard asks for. They exist on Windows machines with the government font pack; WPS and
 * Word substitute others by themselves, so the document names the standard fonts and leaves fallbacks to the
 * reader's machine. Latin letters and digits use Times New Roman, as official documents do.
 */
export const FONT = {
  title: '方正小标宋简体',
  body: '仿宋_GB2312',
  hei: '黑体',
  kai: '楷体',
  song: '宋体',
  latin: 'Times New Roman',
} as const;

export function cjkFont(eastAsia: string): { ascii: string; hAnsi: string; eastAsia: string; cs: string; hint: 'eastAsia' } {
  return { ascii: FONT.latin, hAnsi: FONT.latin, eastAsia, cs: FONT.latin, hint: 'eastAsia' };
}

/** GB/T 9704 §5.2.2: 22 lines of 28 characters; 3号 text on a fixed 28.95 pt line pitch. */
export const BODY_LINE = { line: 579, lineRule: 'exact' as const };

export const STYLES: IStylesOptions = {
  default: {
    document: {
      run: { font: cjkFont(FONT.body), size: pt(16) },
      paragraph: { spacing: { line: 360, lineRule: 'auto' } },
    },
  },
  paragraphStyles: [
    {
      id: 'Normal',
      name: 'Normal',
      quickFormat: true,
      run: { font: cjkFont(FONT.body), size: pt(16) },
    },
    {
      id: 'Title',
      name: 'Title',
      basedOn: 'Normal',
      next: 'Normal',
      quickFormat: true,
      // 2号 方正小标宋简体, centred (GB/T 9704 §7.3.3)
      run: { font: cjkFont(FONT.title), size: pt(22), bold: false },
      // An exact 36 pt pitch for 22 pt type: a title that wraps keeps clear lines in Word, WPS and LibreOffice
      // alike (without a lineRule LibreOffice set the wrapped lines on top of each other).
      paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 0, after: 240, line: 720, lineRule: 'exact' } },
    },
    {
      id: 'Heading1',
      name: 'heading 1',
      basedOn: 'Normal',
      next: 'Normal',
      quickFormat: true,
      // 一级标题 "一、" 黑体 3号
      run: { font: cjkFont(FONT.hei), size: pt(16), bold: false },
      paragraph: { outlineLevel: 0, keepNext: true, spacing: { before: 240, after: 120, line: 360, lineRule: 'auto' } },
    },
    {
      id: 'Heading2',
      name: 'heading 2',
      basedOn: 'Normal',
      next: 'Normal',
      quickFormat: true,
      // 二级标题 "（一）" 楷体 3号
      run: { font: cjkFont(FONT.kai), size: pt(16), bold: false },
      paragraph: { outlineLevel: 1, keepNext: true, spacing: { before: 180, after: 120, line: 360, lineRule: 'auto' } },
    },
    {
      id: 'TableText',
      name: 'Table Text',
      basedOn: 'Normal',
      quickFormat: true,
      // Tables are set in 小四 so six columns fit the 156 mm text block.
      run: { font: cjkFont(FONT.body), size: pt(12) },
      paragraph: { spacing: { before: 0, after: 0, line: 276, lineRule: 'auto' } },
    },
    {
      id: 'Caption',
      name: 'caption',
      basedOn: 'Normal',
      quickFormat: true,
      run: { font: cjkFont(FONT.body), size: pt(12) },
      paragraph: { spacing: { before: 0, after: 0, line: 276, lineRule: 'auto' } },
    },
  ],
};

function pageNumberParagraph(alignment: 'left' | 'right' | 'center'): Paragraph {
  // GB/T 9704 §7.5: 4号 半角宋体 "— 1 —", odd pages right and even pages left, one character in from the edge.
  const oneChar = 20 * 14;
  return new Paragraph({
    alignment: alignment === 'left' ? AlignmentType.LEFT : alignment === 'right' ? AlignmentType.RIGHT : AlignmentType.CENTER,
    indent: alignment === 'left' ? { left: oneChar } : alignment === 'right' ? { right: oneChar } : undefined,
    children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: cjkFont(FONT.song), size: pt(14) })],
  });
}

/** Footers with the page number: odd right / even left for duplex printing, centred otherwise. */
export function pageNumberFooters(duplex: boolean): { default: Footer; even?: Footer } {
  if (!duplex) return { default: new Footer({ children: [pageNumberParagraph('center')] }) };
  return {
    default: new Footer({ children: [pageNumberParagraph('right')] }),
    even: new Footer({ children: [pageNumberParagraph('left')] }),
  };
}

export function pageProperties(numbered: boolean): ISectionPropertiesOptions {
  return {
    page: {
      size: { width: PAGE.width, height: PAGE.height },
      margin: { ...PAGE.margin, footer: PAGE.footer, header: PAGE.header },
      ...(numbered ? { pageNumbers: { start: 1 } } : {}),
    },
  };
}

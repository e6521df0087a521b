/**
 * Chinese font discovery for generated pages (GB/T 9704-2012: body 仿宋, title 小标宋/宋, headings 黑体,
 * 楷体 for second-level headings; page numbers 宋体). Windows fonts first, then macOS, then the Linux
 * packages (Noto CJK, WenQuanYi, AR PL). Never DroidSansFallback: it has no Latin letters or digits.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { PDFDocument, PDFFont } from '@cantoo/pdf-lib';

export type FontRole = 'song' | 'fangsong' | 'hei' | 'kai';
export type FontFace = {
  path: string;
  /** Face inside a .ttc/.otc collection. */
  postscriptName?: string;
  family: string;
  role: FontRole;
  source: 'user' | 'system';
};

type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
type FontkitFont = {
  postscriptName: string | null;
  glyphForCodePoint(codePoint: number): { id: number } | null;
};
type FontkitCollection = { fonts: FontkitFont[] };

// fontkit 2 ships no type declarations; pdf-lib's structural `Fontkit` type describes what we use.
const require = createRequire(import.meta.url);
const baseFontkit = require('fontkit') as Fontkit;

/**
 * Parsing a 20 MB CJK collection takes ~0.3 s; every volume embeds the same faces, so parsed fonts are
 * kept per (bytes, face). fontkit fonts are read-only once parsed: each PDF still gets its own subset.
 */
const parsed = new WeakMap<Uint8Array, Map<string, ReturnType<Fontkit['create']>>>();
export const fontkit: Fontkit = {
  create(buffer: Uint8Array, postscriptName?: string) {
    let faces = parsed.get(buffer);
    if (!faces) {
      faces = new Map();
      parsed.set(buffer, faces);
    }
    const key = postscriptName ?? '';
    let font = faces.get(key);
    if (font === undefined) {
      font = baseFontkit.create(buffer, postscriptName);
      faces.set(key, font);
    }
    return font;
  },
};

type Candidate = { file: string; postscriptName?: string; family: string };

/** Candidates per role, best first. File names are matched case-insensitively anywhere under the font dirs. */
const CANDIDATES: Record<FontRole, Candidate[]> = {
  fangsong: [
    { file: '仿宋_gb2312.ttf', family: '仿宋_GB2312' },
    { file: 'fs_gb2312.ttf', family: '仿宋_GB2312' },
    { file: 'simfang.ttf', family: '仿宋' },
    { file: 'stfangso.ttf', family: '华文仿宋' },
    { file: 'fangsong.ttf', family: '仿宋' },
  ],
  song: [
    { file: 'simsun.ttc', postscriptName: 'SimSun', family: '宋体' },
    { file: 'fzxiaobiaosong-b05s.ttf', family: '方正小标宋简体' },
    { file: 'fzxbsjw.ttf', family: '方正小标宋简体' },
    { file: 'songti.ttc', postscriptName: 'STSongti-SC-Regular', family: '宋体-简' },
    { file: 'stsong.ttf', family: '华文宋体' },
    { file: 'notoserifcjk-regular.ttc', postscriptName: 'NotoSerifCJKsc-Regular', family: 'Noto Serif CJK SC' },
    { file: 'notoserifcjksc-regular.otf', family: 'Noto Serif CJK SC' },
    { file: 'notoserifsc-regular.otf', family: 'Noto Serif SC' },
    { file: 'sourcehanserifsc-regular.otf', family: '思源宋体' },
    { file: 'uming.ttc', postscriptName: 'UMingCN', family: 'AR PL UMing CN' },
  ],
  hei: [
    { file: 'simhei.ttf', family: '黑体' },
    { file: 'stheiti medium.ttc', postscriptName: 'STHeitiSC-Medium', family: '黑体-简' },
    { file: 'stheiti light.ttc', postscriptName: 'STHeitiSC-Light', family: '黑体-简' },
    { file: 'notosanscjk-regular.ttc', postscriptName: 'NotoSansCJKsc-Regular', family: 'Noto Sans CJK SC' },
    { file: 'notosanscjksc-regular.otf', family: 'Noto Sans CJK SC' },
    { file: 'notosanssc-regular.otf', family: 'Noto Sans SC' },
    { file: 'sourcehansanssc-regular.otf', family: '思源黑体' },
    { file: 'wqy-zenhei.ttc', postscriptName: 'WenQuanYiZenHei', family: '文泉驿正黑' },
    { file: 'wqy-microhei.ttc', postscriptName: 'WenQuanYiMicroHei', family: '文泉驿微米黑' },
  ],
  kai: [
    { file: '楷体_gb2312.ttf', family: '楷体_GB2312' },
    { file: 'simkai.ttf', family: '楷体' },
    { file: 'stkaiti.ttf', family: '华文楷体' },
    { file: 'kaiti.ttc', postscriptName: 'STKaiti-SC-Regular', family: '楷体-简' },
    { file: 'ukai.ttc', postscriptName: 'UKaiCN', family: 'AR PL UKai CN' },
  ],
};

/** Fallback order when a role has no font of its own (仿宋 → 宋 is the closest look; 楷 → 仿宋). */
const FALLBACK: Record<FontRole, FontRole[]> = {
  fangsong: ['song', 'kai', 'hei'],
  song: ['fangsong', 'hei', 'kai'],
  hei: ['song', 'fangsong', 'kai'],
  kai: ['fangsong', 'song', 'hei'],
};

export const NO_CJK_FONT_MESSAGE =
  '未找到中文字体。请安装 仿宋/宋体（Windows 自带 simfang.ttf、simsun.ttc），或在 Linux 上安装 fonts-noto-cjk（或 fonts-wqy-zenhei、fonts-arphic-uming），然后重新生成。';

export function systemFontDirs(): string[] {
  const home = os.homedir();
  const dirs: string[] = [];
  if (process.platform === 'win32') {
    dirs.push(path.join(process.env.WINDIR ?? 'C:\\Windows', 'Fonts'));
    if (process.env.LOCALAPPDATA) dirs.push(path.join(process.env.LOCALAPPDATA, 'Microsoft', 'Windows', 'Fonts'));
  } else if (process.platform === 'darwin') {
    dirs.push('/System/Library/Fonts', '/System/Library/Fonts/Supplemental', '/Library/Fonts', path.join(home, 'Library', 'Fonts'));
  } else {
    dirs.push('/usr/share/fonts', '/usr/local/share/fonts', path.join(home, '.fonts'), path.join(home, '.local', 'share', 'fonts'));
  }
  return dirs;
}

/** Font files under dir (depth-limited: font trees are shallow, and a symlink loop must not hang us). */
function listFontFiles(dir: string, depth: number, out: Map<string, string>): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries.sort()) {
    const full = path.join(dir, name);
    const lower = name.toLowerCase();
    if (/\.(ttf|ttc|otf|otc)$/.test(lower)) {
      if (!out.has(lower)) out.set(lower, full);
      continue;
    }
    if (depth <= 0) continue;
    try {
      if (statSync(full).isDirectory()) listFontFiles(full, depth - 1, out);
    } catch {
      // unreadable entry: skip
    }
  }
}

/** Every known CJK face found on this machine, best first within each role. */
export function findSystemFonts(extraDirs: string[] = []): FontFace[] {
  const files = new Map<string, string>();
  for (const dir of [...extraDirs, ...systemFontDirs()]) listFontFiles(dir, 4, files);
  const faces: FontFace[] = [];
  for (const role of Object.keys(CANDIDATES) as FontRole[]) {
    for (const c of CANDIDATES[role]) {
      const found = files.get(c.file);
      if (found) faces.push({ path: found, postscriptName: c.postscriptName, family: c.family, role, source: 'system' });
    }
  }
  return faces;
}

const bytesCache = new Map<string, Uint8Array>();
function fontBytes(file: string): Uint8Array {
  let bytes = bytesCache.get(file);
  if (!bytes) {
    bytes = readFileSync(file);
    bytesCache.set(file, bytes);
  }
  return bytes;
}

function isCollection(value: unknown): value is FontkitCollection {
  return typeof value === 'object' && value !== null && Array.isArray((value as { fonts?: unknown }).fonts);
}

/** Chinese, Latin letters and digits must all be present (DroidSansFallback has no digits). */
function coversChinese(font: FontkitFont): boolean {
  return ['中', '文', 'A', 'z', '0', '9'].every((ch) => font.glyphForCodePoint(ch.codePointAt(0) ?? 0) !== null);
}

/** Open a user-chosen font; for a collection pick the first face that covers Chinese, Latin and digits. */
function userFace(file: string): FontFace {
  if (!existsSync(file)) throw new Error(`找不到所选字体文件：${file}。请重新选择字体，或留空使用系统字体。`);
  let opened: unknown;
  try {
    opened = fontkit.create(fontBytes(file));
  } catch {
    throw new Error(`无法读取字体文件：${path.basename(file)}。请选择 .ttf、.otf 或 .ttc 字体文件。`);
  }
  const faces: FontkitFont[] = isCollection(opened) ? opened.fonts : [opened as FontkitFont];
  const face = faces.find(coversChinese);
  if (!face) {
    throw new Error(`字体“${path.basename(file)}”缺少汉字或数字，不能用于排版。请选择仿宋、宋体或黑体等完整中文字体。`);
  }
  return {
    path: file,
    postscriptName: isCollection(opened) ? (face.postscriptName ?? undefined) : undefined,
    family: face.postscriptName ?? path.basename(file),
    role: 'fangsong',
    source: 'user',
  };
}

/**
 * One face per role. A user font (a real 仿宋_GB2312, say) is used for every role: the user chose it on
 * purpose. Otherwise each role takes its best system font, falling back to the nearest other role.
 */
export function chooseFonts(opts: { userFont?: string; extraDirs?: string[] } = {}): Record<FontRole, FontFace> {
  if (opts.userFont) {
    const face = userFace(opts.userFont);
    return {
      song: { ...face, role: 'song' },
      fangsong: { ...face, role: 'fangsong' },
      hei: { ...face, role: 'hei' },
      kai: { ...face, role: 'kai' },
    };
  }
  const faces = findSystemFonts(opts.extraDirs);
  const best = (role: FontRole): FontFace | undefined => faces.find((f) => f.role === role);
  const pick = (role: FontRole): FontFace | undefined => {
    const own = best(role);
    if (own) return own;
    for (const other of FALLBACK[role]) {
      const f = best(other);
      if (f) return { ...f, role };
    }
    return undefined;
  };
  const song = pick('song');
  const fangsong = pick('fangsong');
  const hei = pick('hei');
  const kai = pick('kai');
  if (!song || !fangsong || !hei || !kai) throw new Error(NO_CJK_FONT_MESSAGE);
  return { song, fangsong, hei, kai };
}

/** "正文 仿宋（simfang.ttf）；标题 宋体（simsun.ttc）…" for the build report. */
export function describeFonts(fonts: Record<FontRole, FontFace>): string {
  const names: Record<FontRole, string> = { fangsong: '正文', song: '标题/页码', hei: '小标题', kai: '说明' };
  return (Object.keys(names) as FontRole[])
    .map((role) => `${names[role]} ${fonts[role].family}（${path.basename(fonts[role].path)}）`)
    .join('；');
}

/** Embed a face as a subset (only the glyphs used are written). */
export async function embedFace(doc: PDFDocument, face: FontFace): Promise<PDFFont> {
  doc.registerFontkit(fontkit);
  return doc.embedFont(fontBytes(face.path), { subset: true, postscriptName: face.postscriptName });
}

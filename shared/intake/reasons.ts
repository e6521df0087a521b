import { phrasebook, type PhraseParams } from '../phrasebook.js';
import type { Words } from '../vocabulary.js';

/**
 * Why a file was not imported, ignored, or cannot be bound: one table with a code, the Chinese sentence (what the
 * backend stores and prints) and the English one (the workbench's English mode). `{name}` marks a parameter.
 * The backend builds its sentences from here (`importReason`); the workbench shows the English (`explainReason`).
 */
export const IMPORT_REASONS = {
  'junk-windows': {
    zh: 'Windows 系统自动生成的文件（{name}），不是佐证材料，已忽略',
    en: 'A file Windows creates by itself ({name}); not evidence, ignored',
  },
  'junk-mac': { zh: '苹果电脑系统自动生成的文件（{name}），不是佐证材料，已忽略', en: 'A file macOS creates by itself ({name}); not evidence, ignored' },
  'junk-mac-fork': { zh: '苹果电脑生成的附属文件（{name}），不是佐证材料，已忽略', en: 'A side file macOS creates ({name}); not evidence, ignored' },
  'junk-office-lock': {
    zh: 'Office/WPS 打开文档时生成的临时锁定文件（{name}），不是佐证材料，已忽略（按文件名判断；如确是需要的材料，请去掉文件名开头的“~$”后再导入）',
    en: 'A temporary lock file Office/WPS creates while a document is open ({name}); not evidence, ignored (judged by the name; if it is a real document, remove the leading “~$” and import it again)',
  },
  'junk-libreoffice-lock': {
    zh: 'LibreOffice 打开文档时生成的临时锁定文件（{name}），不是佐证材料，已忽略（按文件名判断；如确是需要的材料，请改名后再导入）',
    en: 'A temporary lock file LibreOffice creates while a document is open ({name}); not evidence, ignored (judged by the name; if it is a real document, rename it and import it again)',
  },
  'macosx-folder': { zh: '苹果电脑压缩时生成的附属文件夹（__MACOSX），已忽略', en: 'A side folder macOS adds to zip files (__MACOSX); ignored' },
  'macosx-file': { zh: '苹果电脑压缩时生成的附属文件（__MACOSX），已忽略', en: 'A side file macOS adds to zip files (__MACOSX); ignored' },
  'empty-folder': { zh: '空文件夹，没有可导入的文件', en: 'Empty folder; nothing to import' },
  'empty-zip': { zh: '空压缩包，没有可导入的文件', en: 'Empty zip file; nothing to import' },
  'symlink-dangling': { zh: '快捷方式（符号链接）指向的文件不存在，已忽略', en: 'The shortcut (symbolic link) points to a file that does not exist; ignored' },
  'symlink-outside': {
    zh: '快捷方式（符号链接）指向所选文件夹之外，已忽略；如需导入请直接选择目标文件',
    en: 'The shortcut (symbolic link) points outside the chosen folder; ignored. To import it, choose the file it points to',
  },
  'symlink-loop': { zh: '快捷方式（符号链接）指向已经导入过的文件夹，已忽略', en: 'The shortcut (symbolic link) points to a folder already imported; ignored' },
  'special-file': { zh: '不是普通文件（设备、管道等），已忽略', en: 'Not an ordinary file (a device, a pipe …); ignored' },
  'not-found': { zh: '找不到文件或文件夹：{path}', en: 'File or folder not found: {path}' },
  'not-regular': { zh: '不是普通文件或文件夹，无法导入：{path}', en: 'Not an ordinary file or folder; cannot import: {path}' },
  'folder-unreadable': { zh: '无法打开文件夹（{code}），请检查访问权限：{path}', en: 'Cannot open the folder ({code}); check the access rights: {path}' },
  'file-unreadable': { zh: '无法读取（{code}）：{path}', en: 'Cannot read ({code}): {path}' },
  'unsafe-path': { zh: '压缩包内的文件路径不安全（含 ../ 或绝对路径），已拒绝', en: 'A path inside the zip file is unsafe (../ or an absolute path); refused' },
  'control-chars': {
    zh: '文件名中含有控制字符（不可见字符），可能是恶意构造的文件，已拒绝。如确是需要的材料，请改名后再导入。',
    en: 'The file name contains control (invisible) characters and may be crafted to harm; refused. If it is a real document, rename it and import it again.',
  },
  'encrypted-member': {
    zh: '压缩包内的文件设有解压密码，无法读取。请先用密码解压，再导入解压后的文件。',
    en: 'A file in the zip is password-protected and cannot be read. Unzip it with the password first, then import the unzipped files.',
  },
  'too-deep': {
    zh: '压缩包嵌套超过两层，请先解压外层压缩包，再导入其中的文件。',
    en: 'Zip files are nested more than two levels deep; unzip the outer one first, then import the files inside.',
  },
  'nested-zip': { zh: '压缩包内还有多层压缩包，请先解压后再导入。', en: 'The zip holds further zip files; unzip them first, then import.' },
  'zip-bomb': {
    zh: '压缩包内的文件解压后异常巨大（{what}），疑似“压缩炸弹”，已拒绝。请确认来源，或解压后只导入需要的文件。',
    en: 'A file in the zip unpacks to an abnormal size ({what}), like a “zip bomb”; refused. Check where it came from, or unzip it and import only the files you need.',
  },
  'zip-bomb-archive': {
    zh: '压缩包内的文件解压后异常巨大（{what}），疑似“压缩炸弹”，已拒绝。请确认来源，或解压后只导入需要的文件。未导入其中任何文件。',
    en: 'The zip unpacks to an abnormal size ({what}), like a “zip bomb”; refused. Check where it came from, or unzip it and import only the files you need. None of its files were imported.',
  },
  'too-many-entries': {
    zh: '压缩包内有 {n} 个文件，超过单次导入上限（{max} 个），未导入其中任何文件。请解压后分批导入。',
    en: 'The zip holds {n} files, more than one import takes ({max}); none were imported. Unzip it and import in parts.',
  },
  'corrupt-zip': {
    zh: '压缩包已损坏或不完整，无法解压（{detail}）。请向报送单位重新索取，或用解压软件修复后再导入。',
    en: 'The zip file is damaged or incomplete and cannot be unpacked ({detail}). Ask the department for it again, or repair it with an unzip program, then import it.',
  },
  'corrupt-member': {
    zh: '压缩包内的文件已损坏，无法解压（{detail}）。请向报送单位重新索取。',
    en: 'A file in the zip is damaged and cannot be unpacked ({detail}). Ask the department for it again.',
  },
  'too-large': {
    zh: '文件过大（{mb} MB，上限 1024 MB），未导入。请拆分或压缩后再导入。',
    en: 'The file is too large ({mb} MB, limit 1024 MB); not imported. Split or compress it, then import it.',
  },
  'empty-file': { zh: '文件为空（0 字节），请向报送单位重新索取', en: 'The file is empty (0 bytes); ask the department for it again' },
  'unknown-format': { zh: '无法识别的文件格式：{name}', en: 'Unrecognised file format: {name}' },
  ofd: {
    zh: 'OFD 版式文件暂不支持，请用数科阅读器等软件另存（打印）为 PDF 后再导入。',
    en: 'OFD files are not supported yet; save (print) it as PDF with an OFD reader, then import that.',
  },
  'pdf-encrypted': {
    zh: 'PDF 文件有打开密码，无法读取和装订。请向报送单位索取无密码版本，或用密码打开后另存为无密码 PDF 再导入。',
    en: 'The PDF has an opening password and cannot be read or bound. Ask the department for a copy without password, or open it with the password and save it without one, then import it.',
  },
  'pdf-corrupt': {
    zh: 'PDF 文件已损坏或不完整（{name}），无法读取。请向报送单位重新索取，或用原软件重新导出 PDF 后再导入。',
    en: 'The PDF is damaged or incomplete ({name}) and cannot be read. Ask the department for it again, or export the PDF again from the program that made it, then import it.',
  },
  'office-encrypted': {
    zh: '文件设有打开密码（{name}），无法读取和装订。请向报送单位索取无密码版本，或用密码打开后另存为无密码文件再导入。',
    en: 'The file has an opening password ({name}) and cannot be read or bound. Ask the department for a copy without password, or open it with the password and save it without one, then import it.',
  },
  'office-corrupt': {
    zh: '文件已损坏或格式不正确（{name}），无法读取。请向报送单位重新索取，或用 WPS/Office 打开后另存一份再导入。',
    en: 'The file is damaged or not in its format ({name}) and cannot be read. Ask the department for it again, or open it in WPS/Office and save a copy, then import it.',
  },
  'image-corrupt': {
    zh: '图片已损坏或不完整（{name}），无法打开。请向报送单位索取原图，或用看图软件打开后另存为 JPG 再导入。',
    en: 'The picture is damaged or incomplete ({name}) and cannot be opened. Ask the department for the original, or open it in a picture viewer and save it as JPG, then import it.',
  },
  'image-too-large': {
    zh: '图片尺寸异常巨大（{name}：{width}×{height} 像素，上限约 2.7 亿像素），可能是损坏或恶意构造的文件，未导入。如确是需要的图片，请缩小尺寸或转为 PDF 后再导入。',
    en: 'The picture is abnormally large ({name}: {width}×{height} pixels, limit about 270 million) and may be damaged or crafted to harm; not imported. If you need it, shrink it or convert it to PDF, then import it.',
  },
  'too-complex': {
    zh: '文件结构过于复杂，无法读取，请另存为PDF后重新导入',
    en: 'The file is too complex to read; save it as PDF and import it again',
  },
  'restored-from-trash': { zh: '该文件此前被删除到回收站，已恢复原记录。', en: 'This file had been moved to the trash; its record is restored.' },
  'original-recovered': {
    zh: '工作区中该材料的原始文件此前丢失，已用本次导入的文件恢复，原有的分类和著录信息保持不变。',
    en: 'The stored original of this item was lost; it is restored from this import, and its filing and details stay as they were.',
  },
  'import-failed': { zh: '导入失败：{message}', en: 'Import failed: {message}' },
  'ocr-failed': {
    zh: '文字识别失败：{message}。可在材料详情中手工填写文号、日期。',
    en: 'Text recognition failed: {message}. You can type the document number and date in the item’s details.',
  },
  'ocr-worker-exit': { zh: '文字识别进程意外退出（代码 {code}）', en: 'The text recognition process stopped unexpectedly (code {code})' },
  'ocr-worker-killed': { zh: '文字识别进程意外退出（信号 {signal}）', en: 'The text recognition process stopped unexpectedly (signal {signal})' },
  'ocr-memory': {
    zh: '识别此文件所需内存超过 {mb} MB 的上限，已停止识别（原件已保存；可另存为分辨率较低的图片或 PDF 后重新导入）',
    en: 'Reading this file needs more than the {mb} MB memory limit; recognition was stopped (the original is kept; save it at a lower resolution and import it again)',
  },
  'ocr-missing': {
    zh: '找不到文字识别组件（{file}），扫描件和图片暂不能识别文字。请重新安装程序。',
    en: 'The text recognition component is missing ({file}); scans and photos cannot be read for now. Please reinstall the program.',
  },
} as const satisfies Record<string, Words>;

/** What made a zip look like a zip bomb (the `{what}` of zip-bomb reasons), in both languages. */
export const ZIP_SIZE_DETAILS = {
  declared: { zh: '声明大小 {size}，单个文件上限 1 GB', en: 'declared size {size}, limit 1 GB a file' },
  ratio: { zh: '{packed} 解压为 {size}', en: '{packed} unpacks to {size}' },
  total: { zh: '整个压缩包解压后超过 4 GB', en: 'the whole zip unpacks to more than 4 GB' },
  actual: { zh: '实际解压大小超过 1 GB', en: 'it actually unpacks to more than 1 GB' },
  archive: { zh: '{n} 个文件共 {packed}，解压后共 {size}', en: '{n} files of {packed} unpack to {size}' },
} as const satisfies Record<string, Words>;

const zipSizes = phrasebook<keyof typeof ZIP_SIZE_DETAILS>(ZIP_SIZE_DETAILS);

/** The Chinese zip-bomb detail (goes into a reason's `{what}`). */
export function zipSizeDetail(code: keyof typeof ZIP_SIZE_DETAILS, params: PhraseParams = {}): string {
  return zipSizes.zh(code, params);
}

/** Uploaded files are named 上传/<the user's name> in reports and records. */
export const UPLOAD_PREFIX = '上传/';

/** A file's source (path or 上传/… name) in the reader's language: only the upload prefix has words in it. */
export function explainSource(source: string, lang: 'zh' | 'en'): string {
  return lang === 'en' && source.startsWith(UPLOAD_PREFIX) ? `Upload/${source.slice(UPLOAD_PREFIX.length)}` : source;
}

export type ImportReasonCode = keyof typeof IMPORT_REASONS;

const reasons = phrasebook<ImportReasonCode>(IMPORT_REASONS);

/** The Chinese sentence for a reason (what the backend stores and reports). */
export function importReason(code: ImportReasonCode, params: PhraseParams = {}): string {
  return reasons.zh(code, params);
}

/** Takes a Chinese reason back to its code and parameters; null for a sentence not from the table. */
export const parseReason = reasons.parse;

/**
 * A reason in the reader's language. A sentence that wraps another (导入失败：…) has its inner part explained
 * too; a sentence from outside the table (an operating system's message) is shown as it came.
 */
export function explainReason(text: string, lang: 'zh' | 'en'): string {
  if (lang === 'zh') return text;
  const parsed = parseReason(text);
  if (!parsed) return text;
  const explainParam = (key: string, value: string): string => {
    if (key === 'message' || key === 'detail') return explainReason(value, lang);
    if (key === 'what') {
      const size = zipSizes.parse(value);
      return size ? zipSizes.en(size.code, size.params) : value;
    }
    return value;
  };
  const params = Object.fromEntries(Object.entries(parsed.params).map(([k, v]) => [k, explainParam(k, v)]));
  return reasons.en(parsed.code, params);
}

/**
 * Several reasons written one after the other (an import's warnings are joined): each run of sentences that is a
 * reason from the table is explained, the rest stays as it came.
 */
export function explainReasons(text: string, lang: 'zh' | 'en'): string {
  if (lang === 'zh') return text;
  const sentences = text.split(/(?<=[。；])/u).filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < sentences.length; ) {
    let j = sentences.length;
    while (j > i && !parseReason(sentences.slice(i, j).join(''))) j--;
    if (j === i) out.push(sentences[i++]);
    else {
      out.push(explainReason(sentences.slice(i, j).join(''), lang));
      i = j;
    }
  }
  return out.join(' ');
}

import { findDateInFileName, findDatesInText, findMonthsInText, normaliseDigits, type DateHit } from './dates.js';

/**
 * Catalogue metadata (文号 · 责任者 · 题名 · 日期, GB/T 9705 / DA/T 22) read from a document's text and file name.
 * Pure. Everything is a suggestion the user can correct; a field we are unsure about is left out rather than guessed.
 */
export type DocMeta = {
  docNumber?: string;
  issuer?: string;
  title?: string;
  /** "YYYY-MM-DD", or "YYYY-MM" when the document gives only the month. */
  date?: string;
  dateSource?: 'text' | 'filename';
  dateKind?: 'issued' | 'meeting' | 'other';
};

/** DA/T 22 题名 column: long titles are cut so the catalogue row stays one or two lines. */
export const MAX_TITLE_LENGTH = 80;

export function extractDocMeta(text: string, fileName: string): DocMeta {
  const lines = splitLines(text);
  const meta: DocMeta = {};
  const docNumber = findDocNumber(lines) ?? findDocNumberInFileName(fileName);
  if (docNumber) meta.docNumber = docNumber;
  const date = pickDate(text, lines);
  if (date) {
    meta.date = date.iso;
    meta.dateSource = 'text';
    meta.dateKind = date.kind;
  } else {
    const fromName = findDateInFileName(baseName(fileName));
    if (fromName) {
      meta.date = fromName;
      meta.dateSource = 'filename';
      meta.dateKind = 'other';
    }
  }
  const issuer = findIssuer(lines, date?.line);
  if (issuer) meta.issuer = issuer;
  const title = findTitle(lines) ?? titleFromFileName(fileName);
  if (title) meta.title = title;
  return meta;
}

// ---------------------------------------------------------------------------------------------------------
// Lines

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    // A spreadsheet or CSV row: its cells are the line. One filled cell (a merged title row, "2019年转移就业台账,,,")
    // reads as that cell; a row of several cells (a header, a person's record) is data, never a title.
    const cells = raw.split(/\t|,/);
    const filled = cells.length >= 3 ? cells.map((c) => c.trim()).filter(Boolean) : [];
    const line = filled.length === 1 ? filled[0] : raw;
    const trimmed = line.replace(/[\s\u3000]+/g, ' ').trim();
    if (trimmed) out.push({ text: trimmed, start, ...(filled.length > 1 ? { row: true } : {}) });
    start += raw.length + 1;
  }
  return out;
}

function baseName(fileName: string): string {
  const parts = fileName.split(/[\\/]/);
  return parts[parts.length - 1] ?? fileName;
}

// ---------------------------------------------------------------------------------------------------------
// 文号: 机关代字 + 〔年份〕 + 序号 + 号 (GB/T 9704 §7.2.4). Typists use [ ] 【】 ( ) （ ） ［］ instead of 〔〕.

const DOC_NUMBER_RE = /([\u4e00-\u9fa5A-Za-z]{1,16})\s*[〔[【(（［]\s*((?:19|20)\d{2})\s*[〕\]】)）］]\s*第?\s*(\d{1,4})\s*号/g;
/** Words that introduce a cited document, not the document's own number. */
const CITATION_LEAD = /(根据|按照|依据|依照|参照|遵照|落实|贯彻|转发|印发|执行|见|按|经|据|详见)$/;
const LEADING_NOISE = /^(?:.*?(根据|按照|依据|依照|参照|遵照|贯彻|转发|印发|执行|详见))/;

type DocNumberHit = { value: string; index: number; lineAlone: boolean; cited: boolean };

function scanDocNumbers(src: string): DocNumberHit[] {
  const hits: DocNumberHit[] = [];
  const text = normaliseDigits(src);
  for (const m of text.matchAll(DOC_NUMBER_RE)) {
    let prefix = m[1];
    const before = text.slice(Math.max(0, m.index - 2), m.index);
    const cited = /[《（(“"]$/.test(before) || CITATION_LEAD.test(prefix) || LEADING_NOISE.test(prefix);
    prefix = prefix.replace(LEADING_NOISE, '');
    // A 机关代字 is short; longer runs mean running text glued in front ("…的通知津南政发").
    if (prefix.length > 10) prefix = prefix.slice(-10);
    if (!prefix) continue;
    const value = `${prefix}〔${m[2]}〕${String(Number(m[3]))}号`;
    hits.push({ value, index: m.index, lineAlone: false, cited });
  }
  return hits;
}

function findDocNumber(lines: Line[]): string | undefined {
  let best: { value: string; score: number } | undefined;
  lines.forEach((line, li) => {
    for (const hit of scanDocNumbers(line.text)) {
      const rest = line.text.replace(/签发人[:：].*$/, '').length - hit.value.length;
      let score = 0;
      if (rest <= 4) score += 3; // the number stands on its own line under the red header
      if (li < 12) score += 1;
      if (hit.cited) score -= 5;
      if (!best || score > best.score) best = { value: hit.value, score };
    }
  });
  return best && best.score > 0 ? best.value : undefined;
}

function findDocNumberInFileName(fileName: string): string | undefined {
  const hit = scanDocNumbers(baseName(fileName)).find((h) => !h.cited);
  return hit?.value;
}

// ---------------------------------------------------------------------------------------------------------
// Dates

// A bare 时间： starts a line or a field; 发布时间：/拍摄时间： are other labels.
const MEETING_LABEL = /(会议时间|开会时间|召开时间|(?:^|[\s　])时\s*间)\s*[:：]\s*$/;
const EVENT_LABEL = /(拍摄时间|拍摄日期|活动时间|培训时间|日\s*期|签订日期|签约日期|填报日期|制表日期|发布时间)\s*[:：]\s*$/;

/**
 * Dates that are never the document's own (成文日期): found near the top of real documents and taken for it before.
 * - a statistics period or a range: "2023年1月1日至2023年12月31日", "2019.1.1-2019.12.31";
 * - 截至/截止 dates ("截至2024年12月31日，全县…");
 * - print, download, export and browse dates added by a printer or a web page;
 * - ICP and 公安 filing lines, copyright lines of web pages;
 * - legislative histories and effective dates: "（2005年8月27日…通过 根据…修正）", "自2020年1月1日起施行".
 */
const RANGE_AFTER = /^\s*(?:至|到|—|–|-|~|～)\s*(?:(?:19|20)\d{2}\s*年|\d{1,2}\s*月|(?:19|20)\d{2}[./-])/;
const RANGE_BEFORE = /(?:(?:19|20)\d{2}\s*年\s*)?(?:\d{1,2}\s*月\s*)?\d{1,2}\s*[日号]?\s*(?:至|到|—|–|-|~|～)\s*$/;
const AS_OF_BEFORE = /(截至|截止|截止到|截至到|截止于|截至于|统计时段|统计期|统计时间|期间|从|自)\s*[:：]?\s*$/;
const FROM_UNTIL_AFTER = /^\s*(起施行|起执行|起实施|起生效|施行|起|以来|以前|之前|前|后|止|为止|期间)/;
const STAMP_LINE = /(打印|下载|导出|浏览|访问|生成|查询)(日期|时间)|打印于|下载于|ICP|备案|公网安备|版权所有|Copyright|©|技术支持|网站标识码/i;
const HISTORY_CONTEXT = /(通过|修正|修订|公布|施行|颁布|发布|批准|印发)/;

/** `row`: a table row of several cells (TSV, CSV, a sheet's text). */
type Line = { text: string; start: number; row?: true };

function isDistractor(src: string, hit: DateHit, line: Line | undefined): boolean {
  const before = src.slice(Math.max(line?.start ?? 0, hit.index - 16), hit.index);
  const after = src.slice(hit.index + hit.length, hit.index + hit.length + 12);
  if (RANGE_AFTER.test(after) || RANGE_BEFORE.test(before)) return true;
  if (AS_OF_BEFORE.test(before) || FROM_UNTIL_AFTER.test(after)) return true;
  if (line && STAMP_LINE.test(line.text)) return true;
  // Inside brackets that tell a law's or a rule's history (they run long: look back to the start of the line).
  const lineBefore = src.slice(line?.start ?? Math.max(0, hit.index - 200), hit.index);
  const open = Math.max(lineBefore.lastIndexOf('（'), lineBefore.lastIndexOf('('));
  if (open >= 0 && !/[）)]/.test(lineBefore.slice(open))) {
    const rest = src.slice(hit.index, hit.index + 200);
    const close = rest.search(/[）)]/);
    if (close >= 0 && HISTORY_CONTEXT.test(rest.slice(0, close))) return true;
  }
  return false;
}

type PickedDate = { iso: string; kind: 'issued' | 'meeting' | 'other'; line?: number };

function lineOf(lines: Line[], index: number): number {
  let found = -1;
  for (let i = 0; i < lines.length; i++) if (lines[i].start <= index) found = i;
  return found;
}

/** Whether the text of `hit` is (nearly) all there is on its line: how a 成文日期 is set under the signature. */
function standsAlone(src: string, lines: Line[], hit: DateHit, li: number): boolean {
  const normalisedLine = normaliseDigits(lines[li].text);
  const rest = normalisedLine.replace(/\s/g, '').length - src.slice(hit.index, hit.index + hit.length).replace(/\s/g, '').length;
  return rest <= 2 && !/印发|印制/.test(normalisedLine);
}

function pickDate(text: string, lines: Line[]): PickedDate | undefined {
  const src = normaliseDigits(text);
  const keep = (hit: DateHit) => !isDistractor(src, hit, lines[lineOf(lines, hit.index)]);
  const hits = findDatesInText(src).filter(keep);
  const months = findMonthsInText(src).filter(keep);
  if (!hits.length && !months.length) return undefined;
  const at = (hit: DateHit, kind: PickedDate['kind']): PickedDate => ({ iso: hit.iso, kind, line: lineOf(lines, hit.index) });
  const labelled = (re: RegExp) =>
    hits.find((h) => {
      const li = lineOf(lines, h.index);
      const lineStart = li >= 0 ? lines[li].start : 0;
      return re.test(src.slice(Math.max(lineStart, h.index - 12), h.index));
    });
  const meeting = labelled(MEETING_LABEL);
  if (meeting) return at(meeting, 'meeting');
  // 纪要 carry their date in the header, under the title (GB/T 9704 §10.2): the first date of the first lines.
  const headLines = lines.slice(0, 8);
  if (headLines.some((l) => /纪\s*要/.test(l.text))) {
    const headDate = hits.find((h) => lineOf(lines, h.index) < headLines.length);
    if (headDate) return at(headDate, 'meeting');
  }

  // 成文日期: a date alone on its line, below the issuer/seal; the last such line before the 版记 (…印发). A cover or
  // a report dated "2024年12月" alone on the last such line has month precision.
  const alone = [...hits, ...months]
    .map((hit) => ({ hit, line: lineOf(lines, hit.index) }))
    .filter(({ hit, line }) => line >= 0 && standsAlone(src, lines, hit, line))
    .sort((a, b) => a.hit.index - b.hit.index);
  if (alone.length) {
    const last = alone[alone.length - 1];
    return { iso: last.hit.iso, kind: li0(last.line) ? 'other' : 'issued', line: last.line };
  }
  const event = labelled(EVENT_LABEL);
  if (event) return at(event, 'other');
  const printed = hits.find((h) => /印发|印制/.test(lines[lineOf(lines, h.index)]?.text ?? ''));
  const first = hits.find((h) => h !== printed) ?? hits[0];
  if (first) return at(first, 'other');
  return undefined;

  // A dateline that opens the text (news: "2019-07-08 来源：…") is an event/publication date, not 成文日期.
  function li0(line: number): boolean {
    return line <= 1 && lines.length > 3;
  }
}

// ---------------------------------------------------------------------------------------------------------
// 责任者

const ORG_SUFFIX =
  /(人民政府|政府办公室|办公室|办公厅|委员会|领导小组|工作组|指挥部|人民代表大会常务委员会|党委|党组|党工委|委|局|厅|部|办|中心|公司|集团|协会|商会|联合会|工商联|妇联|团委|街道办事处|街道|镇|乡|村民委员会|村委会|学校|学院|医院|银行|支行|分行|报社|研究院|合作社|基金会|所|站|队|社区)$/;

function looksLikeOrg(s: string): boolean {
  if (s.length < 3 || s.length > 40) return false;
  if (/[，。；：:,;、！？!?“”《》]/.test(s)) return false;
  if (/\d{3,}/.test(s)) return false;
  return ORG_SUFFIX.test(s);
}

function findIssuer(lines: Line[], dateLine: number | undefined): string | undefined {
  // Red header: "中共XX县委办公室文件", "XX县人民政府文件".
  for (const line of lines.slice(0, 5)) {
    const m = /^(.{3,40}?)\s*文\s*件$/.exec(line.text);
    if (m && !/[，。：:]/.test(m[1])) return m[1].replace(/\s+/g, '');
  }
  // Signature line just above the 成文日期 (joint issuers sit on one line separated by spaces: take them whole).
  if (dateLine !== undefined && dateLine > 0) {
    for (let li = dateLine - 1; li >= Math.max(0, dateLine - 2); li--) {
      const candidate = lines[li].text.replace(/（?\(?盖章\)?）?/g, '').trim();
      const parts = candidate.split(' ').filter(Boolean);
      if (parts.length && parts.every(looksLikeOrg)) return parts.join('、');
    }
  }
  // Header of an unbound document: the first line is the body that speaks.
  const first = lines[0]?.text.replace(/\s+/g, '');
  if (first && looksLikeOrg(first) && lines.length > 2) return first;
  // "来源：XX日报" on news pages.
  for (const line of lines.slice(0, 8)) {
    const m = /来\s*源\s*[:：]\s*([^\s|｜]{2,30})/.exec(line.text);
    if (m) return m[1];
  }
  // An office name at the end, e.g. "XX县人力资源和社会保障局".
  for (const line of lines.slice(-4).reverse()) {
    const candidate = line.text.replace(/\s+/g, '');
    if (looksLikeOrg(candidate)) return candidate;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// 题名

const TITLE_ENDING =
  /(通知|决定|意见|方案|纪要|报告|协议|协议书|合同|请示|批复|函|办法|细则|规定|计划|要点|总结|公告|公示|通报|决议|制度|说明|证明|汇报|记录|台账|名册|花名册|名单|签到表|情况|备忘录|简报|专报|清单|规划|措施|实施意见|报道)$/;
const NOT_A_TITLE =
  /^(签发人|主\s*送|抄\s*送|附件|联系人|电话|各|第.{1,3}[条章节]|[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．])/;

const DOC_NUMBER_TEST = new RegExp(DOC_NUMBER_RE.source);

/** A table's column headings ("序号 姓名 性别 身份证号 …"): several short cells, not a heading. */
function isTableHeader(s: string): boolean {
  const cells = s.trim().split(/\s+/);
  return /^序\s*号/.test(s.trim()) || (cells.length >= 4 && cells.every((c) => c.length <= 6));
}

function isHeaderOrNumberLine(s: string): boolean {
  return isTableHeader(s) || /文\s*件$/.test(s) || DOC_NUMBER_TEST.test(s) || /^[\d\s.\-/年月日〇○零一二三四五六七八九十]+$/.test(s) || /^(密级|紧急程度|特急|加急|机密|秘密|份号)/.test(s);
}

const BARE_GENRE = /^(证明|公告|公示|通知|纪要|声明|说明|收据|报告)$/;

function cleanTitle(s: string): string {
  const t = s.replace(/\s+/g, '').replace(/^[【[]|[】\]]$/g, '');
  return t.length > MAX_TITLE_LENGTH ? t.slice(0, MAX_TITLE_LENGTH) : t;
}

function findTitle(all: Line[]): string | undefined {
  // Table rows and lines carrying an ID, phone or account number are records, not headings (a roster's first
  // row must not become its catalogue title — with a person's ID number in it).
  const head = all.filter((l) => !l.row && !/\d{11,}/.test(l.text.replace(/\s+/g, ''))).slice(0, 14);
  // "关于……的通知", often wrapped over two or three lines.
  for (let i = 0; i < head.length; i++) {
    if (!/^关于/.test(head[i].text)) continue;
    let joined = head[i].text;
    for (let j = i; j < Math.min(i + 3, head.length); j++) {
      if (j > i) joined += head[j].text;
      if (TITLE_ENDING.test(joined.replace(/\s+/g, '')) || /的(通知|决定|意见|报告|请示|函|批复|通报)/.test(joined)) return cleanTitle(joined);
    }
  }
  for (let i = 0; i < head.length; i++) {
    const t = head[i].text.replace(/\s+/g, '');
    // A bare 文种 heading ("证　明", "公　告") is the title of a short form.
    if (BARE_GENRE.test(t)) return t;
    if (t.length < 4 || t.length > 60) continue;
    if (isHeaderOrNumberLine(head[i].text) || NOT_A_TITLE.test(t) || /[:：]$/.test(t)) continue;
    if (/[，。；]/.test(t)) continue;
    // A title wrapped over two or three lines ("……高层联" / "席会议纪要"): the longest join that ends like a title.
    const wrapped = wrappedTitle(head, i).reverse().find((c) => TITLE_ENDING.test(c.replace(/[（(][^）)]*[）)]$/, '')));
    if (wrapped) return cleanTitle(wrapped);
  }
  for (let i = 0; i < head.length; i++) {
    const t = head[i].text.replace(/\s+/g, '');
    if (t.length < 6 || isHeaderOrNumberLine(head[i].text) || NOT_A_TITLE.test(t) || /[:：]$/.test(t)) continue;
    if (FIELD_LINE.test(t)) continue;
    if (looksLikeOrg(t)) continue;
    // A first sentence of body text makes a poor title: cut at the first full stop.
    if (/[，。；]/.test(t)) return cleanTitle(t.split(/[。；]/)[0]);
    const joins = wrappedTitle(head, i);
    return cleanTitle(joins[joins.length - 1]);
  }
  return undefined;
}

const FIELD_LINE = /^(来源|发布时间|作者|记者|编辑|时间|地点|主持人?|参加人员|参会|出席|记录人?)[:：]/;

/**
 * Line i alone, then joined with the next one or two lines while they read as the rest of a wrapped heading:
 * no sentence punctuation, not a field line ("时间：…"), and the line before was full width (a short line ends
 * the heading).
 */
function wrappedTitle(lines: Line[], i: number): string[] {
  const first = lines[i].text.replace(/\s+/g, '');
  const out = [first];
  let joined = first;
  for (let j = i + 1; j < Math.min(i + 3, lines.length); j++) {
    const previous = lines[j - 1].text.replace(/\s+/g, '');
    const next = lines[j].text.replace(/\s+/g, '');
    if (!next || previous.length < 12 || next.length > previous.length) break;
    if (/[，。；：:]/.test(next) || FIELD_LINE.test(next) || isHeaderOrNumberLine(lines[j].text) || NOT_A_TITLE.test(next)) break;
    joined += next;
    out.push(joined);
  }
  return out;
}

/** "01-关于….pdf", "（3）2019.3.15 会议纪要.docx", "20190315_签到表.pdf" → the words that are left. */
export function titleFromFileName(fileName: string): string | undefined {
  const base = baseName(fileName).replace(/\.[A-Za-z0-9]{1,5}$/, '');
  let t = normaliseDigits(base).trim();
  for (let i = 0; i < 4; i++) {
    const before = t;
    t = t
      .replace(/^[(（【[]?\d{1,3}[)）】\]]?[\s.、_\-－]+/, '')
      .replace(/^[(（【[]\d{1,3}[)）】\]]/, '')
      .replace(/^(?:19|20)\d{2}(?:\d{4}|[.\-/_]\d{1,2}[.\-/_]\d{1,2})(?!\d)[\s_\-、.]*/, '')
      .replace(/^(?:19|20)\d{2}年\d{1,2}月\d{1,2}日[\s_\-、.]*/, '')
      .trim();
    if (t === before) break;
  }
  if (!t || /^[\d\s_\-.]+$/.test(t)) t = base.trim();
  return t ? cleanTitle(t) : undefined;
}

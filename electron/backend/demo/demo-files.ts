/**
 * The demo county's evidence, written as the departments would send it: a fictional 青山县 (paired with
 * the fictional 东海市滨江区) for one assessment year, in folders per department, with real PDFs, scans,
 * phone photos with EXIF, Word and Excel files — and the problems inspectors reject, on purpose:
 * two months of leading-group minutes missing, a photo from the year before, a photo whose EXIF date is a
 * day off the meeting, a near-duplicate photo, a photo with no caption information, a notice without its
 * 文号, a duplicated ID number in the employment ledger, a password-protected and a truncated PDF, and
 * junk (Thumbs.db, an Office lock file) that import must skip.
 *
 * Everything is fictional (people, companies, ID numbers under the unassigned area code 522799) and
 * deterministic: the same year gives byte-identical files.
 */
import { Buffer } from 'node:buffer';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EvidenceType, FindingKind } from '../../../shared/domain/types.js';
import {
  createRng,
  encryptPdf,
  makeDocx,
  makePdf,
  makePhoto,
  makeScannedPdf,
  makeXlsx,
  type PdfLine,
} from './synth.js';

export type DemoFont = { bytes: Uint8Array; fontName?: string; path: string };

export type DemoFile = {
  /** Relative to the output folder, "/"-separated. */
  path: string;
  intended: {
    type: EvidenceType;
    indicators: string[];
    note?: string;
    /** Findings this file is planted to trigger (for tests of import and gap analysis). */
    findings?: FindingKind[];
    /** Import should skip it as junk rather than store it. */
    ignored?: boolean;
  };
};

export type DemoEvidence = {
  files: DemoFile[];
  /** Months ("YYYY-MM") deliberately left without leading-group minutes (indicator 1.2). */
  missingMinutesMonths: string[];
  /** The font the PDFs were set in. */
  font: string;
};

const COUNTY = '青山县';
const PARTNER = '东海市滨江区';
/** 青山县 is placed in 黔南州 (south Guizhou); photos carry GPS around here. */
const COUNTY_GPS = { lat: 26.2583, lon: 107.5172 };

type FontCandidate = { file: string; fontName?: string };

function fontCandidates(): FontCandidate[] {
  const win = process.env.WINDIR ?? process.env.SystemRoot ?? 'C:\\Windows';
  const winFonts = path.win32.join(win, 'Fonts');
  return [
    { file: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', fontName: 'NotoSerifCJKsc-Regular' },
    { file: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', fontName: 'WenQuanYiZenHei' },
    { file: path.win32.join(winFonts, 'simsun.ttc'), fontName: 'SimSun' },
    { file: path.win32.join(winFonts, 'simfang.ttf') },
    { file: path.win32.join(winFonts, 'msyh.ttc'), fontName: 'MicrosoftYaHei' },
  ];
}

/** A CJK font for the demo PDFs; a clear Chinese error naming what to install when there is none. */
export function findDemoFont(): DemoFont {
  for (const c of fontCandidates()) {
    if (existsSync(c.file)) return { bytes: new Uint8Array(readFileSync(c.file)), fontName: c.fontName, path: c.file };
  }
  throw new Error(
    '未找到可用的中文字体，无法生成演示材料。请安装以下任一字体后重试：' +
      'Linux 上安装 fonts-noto-cjk（思源宋体 Noto Serif CJK）或 fonts-wqy-zenhei（文泉驿正黑）；' +
      'Windows 上确认 C:\\Windows\\Fonts 中有 宋体 simsun.ttc、仿宋 simfang.ttf 或 微软雅黑 msyh.ttc。',
  );
}

// ───────────────────────────── fictional people and numbers ─────────────────────────────

const SURNAMES = Array.from('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韦蒙杨石龙吴潘罗');
const GIVEN = Array.from('建国明华军平志勇永英秀兰芳丽强伟红玉梅金福德仕清云海涛顺春才光荣发文昌');

/** GB 11643-1999 check character of an 18-digit 公民身份号码. */
export function idCheckDigit(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = Array.from(first17).reduce((s, ch, i) => s + Number(ch) * weights[i], 0);
  return '10X98765432'[sum % 11];
}

/** GB 32100-2015 check character of an 18-character 统一社会信用代码. */
export function creditCodeCheck(first17: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = Array.from(first17).reduce((s, ch, i) => s + alphabet.indexOf(ch) * weights[i], 0);
  return alphabet[(31 - (sum % 31)) % 31];
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const round2 = (n: number): number => Math.round(n * 100) / 100;
const cnDate = (y: number, m: number, d: number): string => `${y}年${m}月${d}日`;
const isoDate = (y: number, m: number, d: number): string => `${y}-${pad2(m)}-${pad2(d)}`;

function makePeople(rand: () => number, count: number, year: number): { name: string; sex: '男' | '女'; id: string }[] {
  const seen = new Set<string>();
  const out: { name: string; sex: '男' | '女'; id: string }[] = [];
  while (out.length < count) {
    const pick = (list: string[]): string => list[Math.floor(rand() * list.length)];
    const name = pick(SURNAMES) + pick(GIVEN) + (rand() < 0.6 ? pick(GIVEN) : '');
    if (seen.has(name)) continue;
    seen.add(name);
    const sex = rand() < 0.55 ? '男' : '女';
    const birthYear = year - 19 - Math.floor(rand() * 36);
    const birth = `${birthYear}${pad2(1 + Math.floor(rand() * 12))}${pad2(1 + Math.floor(rand() * 28))}`;
    const seq = String(10 + Math.floor(rand() * 89)) + String(sex === '男' ? 1 + 2 * Math.floor(rand() * 5) : 2 * Math.floor(rand() * 5));
    const first17 = `522799${birth}${seq}`;
    out.push({ name, sex, id: first17 + idCheckDigit(first17) });
  }
  return out;
}

const TOWNS = ['城关镇', '茶园镇', '青溪镇', '龙井乡', '石板镇', '高寨乡'];
const VILLAGES = ['新寨村', '坪上村', '大坝村', '水口村', '岩脚村', '桃源村', '松林村', '河坝村'];

// ───────────────────────────── texts ─────────────────────────────

const MONTHLY_ITEMS: string[] = [
  '会议听取了县协作办关于东西部扶贫协作工作推进情况的汇报，要求各工作组对照年度协议指标逐项梳理，建立问题清单、任务清单、责任清单。',
  '会议研究了东海市滨江区援助资金项目安排，要求县财政局会同项目实施单位加快资金拨付进度，确保项目按期开工、按期完工。',
  '会议要求县人社局进一步深化劳务协作，加强与滨江区人社部门对接，做好贫困劳动力转移就业和稳岗工作，确保转移就业人员信息准确、台账完整。',
  '会议要求县委组织部做好东部挂职干部和专技人才服务保障工作，落实挂职干部分管扶贫协作工作，推动专技人才交流常态化。',
  '会议要求县商务局大力推进消费扶贫，组织农特产品参加滨江区展销活动，拓宽“黔货出山”销售渠道，做好消费扶贫台账登记。',
  '会议要求县发改局加大招商引资力度，跟踪落实已签约企业投资到位情况，强化利益联结机制，带动更多贫困群众稳定增收。',
  '会议要求各乡镇扎实推进携手奔小康行动，深化乡镇、村结对帮扶，落实结对双方党政主要负责人互访对接。',
  '会议强调，要严格按照考核要求收集整理佐证材料，做到资料真实、完整、规范，坚决杜绝弄虚作假。',
];

const MONTH_ITEMS: Record<number, string> = {
  1: '会议传达学习了全省东西部扶贫协作工作会议精神，研究部署本年度东西部扶贫协作重点工作。',
  2: '会议审议了《青山县东西部扶贫协作工作方案》，明确了十一个工作组的牵头单位和工作职责。',
  3: '会议研究了与东海市滨江区签订年度东西部扶贫协作协议有关事宜，对协议指标进行了逐项分解。',
  5: '会议研究了高层联席会议筹备工作，明确由县协作办牵头做好会务保障。',
  6: '会议总结了东西部扶贫协作高层联席会议成果，要求各部门抓好会议议定事项的落实。',
  7: '会议听取了上半年东西部扶贫协作工作情况汇报，对照协议指标分析了存在的差距和不足。',
  9: '会议研究了劳务协作“春风行动”后续工作，要求做好省外就业人员跟踪服务。',
  10: '会议研究了迎接年度东西部扶贫协作成效考核准备工作，要求各单位按指标收集整理佐证材料。',
  11: '会议听取了省考核组反馈意见，研究部署整改工作，明确整改责任单位和完成时限。',
  12: '会议总结了全年东西部扶贫协作工作，研究了下一年度工作思路。',
};

const ATTENDEES =
  '县委常委、副县长（挂职）李明，县人民政府副县长杨光荣，县协作办、县委组织部、县委宣传部、县委统战部、县发改局、县财政局、县人社局、县农业农村局、县商务局、县教育局、县卫健局、县扶贫办主要负责同志，各乡（镇）分管负责同志。';

function meetingDay(year: number, month: number, rand: () => number): number {
  // A weekday in the middle of the month: the leading group meets after the monthly 调度.
  for (let tries = 0; tries < 20; tries++) {
    const d = 8 + Math.floor(rand() * 15);
    const dow = new Date(Date.UTC(year, month - 1, d)).getUTCDay();
    if (dow >= 1 && dow <= 5) return d;
  }
  return 15;
}

function minutesLines(year: number, month: number, day: number, rand: () => number, index: number): PdfLine[] {
  const items = [MONTH_ITEMS[month], ...MONTHLY_ITEMS.filter((_, i) => (i + month) % 3 !== 0).slice(0, 3 + Math.floor(rand() * 2))].filter(
    (x): x is string => typeof x === 'string',
  );
  return [
    { text: `${COUNTY}东西部扶贫协作工作领导小组会议纪要`, align: 'center', size: 22 },
    { text: `（${year}年第${index}次）`, align: 'center', gapBefore: 4 },
    { text: `时间：${cnDate(year, month, day)}上午`, indent: false, gapBefore: 10 },
    { text: `地点：县人民政府第一会议室`, indent: false },
    { text: `主持：县委副书记、县长 王建国`, indent: false },
    { text: `参会：${ATTENDEES}`, indent: false },
    { text: `记录：县协作办 张华`, indent: false },
    `${cnDate(year, month, day)}，县委副书记、县长王建国主持召开${COUNTY}东西部扶贫协作工作领导小组会议，深入学习贯彻习近平总书记关于东西部扶贫协作和对口支援工作的重要指示精神，听取各工作组工作情况汇报，研究部署下一步工作。现将会议议定事项纪要如下：`,
    { text: '会议议定事项：', indent: false, gapBefore: 4 },
    ...items.map((t, i) => `${['一', '二', '三', '四', '五', '六'][i]}、${t}`),
    { text: `${COUNTY}东西部扶贫协作工作领导小组办公室`, align: 'right', gapBefore: 20 },
    { text: cnDate(year, month, day + 1 > 28 ? day : day + 1), align: 'right' },
  ];
}

// ───────────────────────────── writer ─────────────────────────────

export type WriteDemoOptions = {
  year?: number;
  /** Font to set the PDFs in; found on the system when absent. */
  font?: DemoFont;
};

/**
 * Writes the demo county's evidence for one year into `dir` (created if needed) and returns what each
 * file is meant to be. Existing files of the same name are overwritten; nothing else in `dir` is touched.
 */
export async function writeDemoEvidence(dir: string, opts: WriteDemoOptions = {}): Promise<DemoEvidence> {
  const Y = opts.year ?? 2019;
  const font = opts.font ?? findDemoFont();
  const rand = createRng(Y * 7919);
  const files: DemoFile[] = [];

  const writeBytes = (rel: string, bytes: Uint8Array): void => {
    const full = path.join(dir, ...rel.split('/'));
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, bytes);
  };
  const write = (rel: string, bytes: Uint8Array, intended: DemoFile['intended']): void => {
    writeBytes(rel, bytes);
    files.push({ path: rel, intended });
  };
  const pdf = (o: {
    lines: PdfLine[];
    title: string;
    author: string;
    date: string;
    redHeader?: string;
    docNumber?: string;
  }): Promise<Uint8Array> =>
    makePdf({
      font: font.bytes,
      fontName: font.fontName,
      title: o.title,
      author: o.author,
      date: `${o.date}T09:00:00`,
      redHeader: o.redHeader,
      docNumber: o.docNumber,
      pages: [{ lines: o.lines }],
    });
  const heading = (text: string): PdfLine => ({ text, align: 'center', size: 22, gapBefore: 6 });
  const plain = (text: string): PdfLine => ({ text, indent: false });
  const signature = (issuer: string, date: string): PdfLine[] => [
    { text: issuer, align: 'right', gapBefore: 24 },
    { text: date, align: 'right' },
  ];

  // ── 1.2 领导小组成立文件 (红头, 文号) ──
  const groupDoc = `青山府办发〔${Y}〕3号`;
  write(
    `县协作办/关于成立${COUNTY}东西部扶贫协作工作领导小组的通知.pdf`,
    await pdf({
      title: `关于成立${COUNTY}东西部扶贫协作工作领导小组的通知`,
      author: `${COUNTY}人民政府办公室`,
      date: isoDate(Y, 1, 18),
      redHeader: `${COUNTY}人民政府办公室文件`,
      docNumber: groupDoc,
      lines: [
        heading(`关于成立${COUNTY}东西部扶贫协作工作领导小组的通知`),
        plain('各乡（镇）人民政府，县直各部门：'),
        `为深入贯彻落实习近平总书记关于东西部扶贫协作和对口支援工作的重要指示精神，进一步加强与${PARTNER}的东西部扶贫协作和携手奔小康工作，经县人民政府同意，决定成立${COUNTY}东西部扶贫协作工作领导小组。现将有关事项通知如下：`,
        '一、领导小组组成人员',
        plain('组　　长：陈志强　县委书记'),
        plain('常务副组长：王建国　县委副书记、县长'),
        plain(`副 组 长：李　明　县委常委、副县长（${PARTNER}挂职）`),
        plain('　　　　　杨光荣　县人民政府副县长'),
        plain('成　　员：县委组织部、县委宣传部、县委统战部、县发改局、县财政局、县人社局、县农业农村局、县商务局、县教育局、县卫健局、县文旅局、县扶贫办主要负责人。'),
        '二、工作职责',
        '领导小组负责统筹协调全县东西部扶贫协作工作，研究解决工作中的重大问题。领导小组下设办公室，办公室设在县协作办，张华同志兼任办公室主任。领导小组每月至少召开一次会议，各工作组每周调度一次工作进展。',
        '三、工作要求',
        '各成员单位要按照职责分工，密切配合，形成工作合力，确保人才交流、资金使用、产业合作、劳务协作、携手奔小康、消费扶贫等各项协议指标全面完成。',
        ...signature(`${COUNTY}人民政府办公室`, cnDate(Y, 1, 18)),
      ],
    }),
    { type: 'official-document', indicators: ['1.2'], note: `文号 ${groupDoc}` },
  );

  // ── 1.2 领导小组会议纪要: 10 of 12 months ──
  const missingMonths = [4, 8];
  let meetingIndex = 0;
  for (let month = 1; month <= 12; month++) {
    const day = meetingDay(Y, month, rand);
    if (missingMonths.includes(month)) continue;
    meetingIndex += 1;
    write(
      `县协作办/领导小组会议纪要/${Y}年${month}月领导小组会议纪要.pdf`,
      await pdf({
        title: `${COUNTY}东西部扶贫协作工作领导小组会议纪要（${Y}年第${meetingIndex}次）`,
        author: `${COUNTY}东西部扶贫协作工作领导小组办公室`,
        date: isoDate(Y, month, day),
        lines: minutesLines(Y, month, day, rand, meetingIndex),
      }),
      { type: 'minutes', indicators: ['1.2'], note: `会议日期 ${isoDate(Y, month, day)}` },
    );
  }

  // ── 1.1 党委常委会会议纪要 ──
  write(
    `县协作办/中共${COUNTY}委常委会会议纪要（${Y}年第5次）.pdf`,
    await pdf({
      title: `中共${COUNTY}委常委会会议纪要`,
      author: `中共${COUNTY}委办公室`,
      date: isoDate(Y, 3, 6),
      redHeader: `中共${COUNTY}委常委会会议纪要`,
      docNumber: `〔${Y}〕5号`,
      lines: [
        plain(`时间：${cnDate(Y, 3, 5)}下午`),
        plain('地点：县委常委会议室'),
        plain('主持：县委书记 陈志强'),
        plain('出席：县委常委'),
        plain('列席：县人大常委会、县政协主要负责同志，县协作办、县财政局、县人社局主要负责同志'),
        `${cnDate(Y, 3, 5)}，县委书记陈志强主持召开县委常委会会议，专题研究东西部扶贫协作工作。会议传达学习了习近平总书记在东西部扶贫协作座谈会上的重要讲话精神和省、州有关会议精神，听取了县协作办关于${Y - 1}年东西部扶贫协作工作情况和${Y}年工作打算的汇报。`,
        `会议指出，东西部扶贫协作是党中央着眼推动区域协调发展、促进共同富裕作出的重大决策，是一项严肃的政治任务。全县上下要提高政治站位，主动加强与${PARTNER}的对接，把东西部扶贫协作作为打赢脱贫攻坚战的重要抓手。`,
        '会议议定：一、原则同意《青山县东西部扶贫协作工作方案》，由县协作办按程序印发实施；二、县委、县政府主要负责同志年内率队赴滨江区开展高层互访对接；三、将东西部扶贫协作工作纳入年度目标考核，每季度通报一次工作进展。',
        ...signature(`中共${COUNTY}委办公室`, cnDate(Y, 3, 6)),
      ],
    }),
    { type: 'minutes', indicators: ['1.1'] },
  );

  // ── 1.1 工作方案 (DOCX) + the Office lock file next to it ──
  const planTitle = `${COUNTY}${Y}年东西部扶贫协作工作方案`;
  write(
    `县协作办/${COUNTY}${Y}年东西部扶贫协作工作方案.docx`,
    await makeDocx({
      title: planTitle,
      author: '县协作办',
      date: `${Y}-03-12T10:30:00`,
      paragraphs: [
        `为深入贯彻落实中央和省、州关于东西部扶贫协作的决策部署，全面完成与${PARTNER}签订的${Y}年东西部扶贫协作协议各项指标，结合我县实际，制定本方案。`,
        '一、总体目标',
        `坚持精准扶贫精准脱贫基本方略，以组织领导、人才交流、资金使用、产业合作、劳务协作、携手奔小康和消费扶贫为重点，推动东西部扶贫协作向纵深发展，确保年度考核获得“好”的等次。`,
        '二、重点任务',
        '（一）加强组织领导。县东西部扶贫协作工作领导小组每月召开一次会议，研究解决重大问题；县委、县政府主要负责同志赴滨江区开展对接。',
        '（二）深化人才交流。接收东部挂职党政干部3名、专业技术人才28名以上，选派本县干部和专技人才赴滨江区挂职学习。',
        '（三）用好帮扶资金。援助资金项目全部纳入项目库管理，资金用于产业发展的比例不低于50%，项目建成后及时组织验收并公示。',
        '（四）推进产业合作。引导东部企业到我县投资兴业，全年新增落地企业6家以上，带动贫困人口稳定增收。',
        '（五）深化劳务协作。建立转移就业台账，分类登记造册，帮助贫困劳动力到东部、省内就近和县内就业。',
        '（六）开展携手奔小康。推动乡镇、村与滨江区街道、社区、企业结对帮扶全覆盖。',
        '（七）大力推进消费扶贫。组织农特产品进滨江区机关、学校、企业食堂和商超，全年销售额不低于5000万元。',
        '三、保障措施',
        '各牵头单位要建立工作台账，按月报送工作进展，及时收集整理佐证材料，确保资料真实、完整、规范。',
      ],
      table: [
        ['序号', '工作任务', '牵头单位', '完成时限'],
        ['1', '组织领导', '县协作办', `${Y}年12月`],
        ['2', '人才交流', '县委组织部', `${Y}年12月`],
        ['3', '资金使用', '县财政局', `${Y}年12月`],
        ['4', '产业合作', '县发改局', `${Y}年12月`],
        ['5', '劳务协作', '县人社局', `${Y}年12月`],
        ['6', '携手奔小康', '县协作办', `${Y}年12月`],
        ['7', '消费扶贫', '县商务局', `${Y}年12月`],
      ],
    }),
    { type: 'plan', indicators: ['1.1'] },
  );
  // Office leaves "~$" + the name's tail as a 162-byte lock file while the document is open.
  const lock = new Uint8Array(162);
  lock[0] = 4;
  Buffer.from('zhanghua', 'latin1').copy(lock, 1);
  write('县协作办/~$工作方案.docx', lock, { type: 'other', indicators: [], note: 'Office 临时锁文件，应被忽略', ignored: true });

  // ── 1.3 对接函件 (文号) ──
  const letterNo = `青山府函〔${Y}〕21号`;
  write(
    `县协作办/关于商请开展${Y}年东西部扶贫协作高层互访对接的函.pdf`,
    await pdf({
      title: `关于商请开展${Y}年东西部扶贫协作高层互访对接的函`,
      author: `${COUNTY}人民政府`,
      date: isoDate(Y, 5, 6),
      redHeader: `${COUNTY}人民政府`,
      docNumber: letterNo,
      lines: [
        heading(`关于商请开展${Y}年东西部扶贫协作高层互访对接的函`),
        plain(`${PARTNER}人民政府：`),
        `近年来，在贵区的大力支持和无私帮助下，我县东西部扶贫协作工作取得明显成效。为进一步深化两地扶贫协作和携手奔小康工作，拟于${Y}年6月中旬召开${PARTNER}—${COUNTY}东西部扶贫协作高层联席会议，共同研究年度协作重点任务，签订年度扶贫协作协议。`,
        '恳请贵区领导拨冗莅临指导，具体行程安排由两地协作部门对接确定。',
        '联系人：县协作办 张华',
        ...signature(`${COUNTY}人民政府`, cnDate(Y, 5, 6)),
      ],
    }),
    { type: 'letter', indicators: ['1.3'], note: `文号 ${letterNo}` },
  );

  // ── 1.3 高层联席会议纪要 + photos ──
  const jointDay = 12;
  write(
    `县协作办/${PARTNER}—${COUNTY}东西部扶贫协作高层联席会议纪要.pdf`,
    await pdf({
      title: `${PARTNER}—${COUNTY}东西部扶贫协作高层联席会议纪要`,
      author: `${COUNTY}东西部扶贫协作工作领导小组办公室`,
      date: isoDate(Y, 6, jointDay),
      lines: [
        heading(`${PARTNER}—${COUNTY}东西部扶贫协作高层联席会议纪要`),
        plain(`时间：${cnDate(Y, 6, jointDay)}上午`),
        plain(`地点：${COUNTY}人民政府第一会议室`),
        plain('主持：县委副书记、县长 王建国'),
        plain(`参会：${PARTNER}区委副书记、区长 周海涛，区委常委、副区长 孙志勇，区合作交流办、区人社局、区商务局负责同志；县委书记 陈志强，县委常委、副县长（挂职）李明，县直有关部门主要负责同志。`),
        `${cnDate(Y, 6, jointDay)}，${PARTNER}党政代表团来我县考察对接东西部扶贫协作工作，双方召开高层联席会议。会议回顾了两地扶贫协作工作成效，共同研究了年度协作重点任务。`,
        '会议议定事项：',
        `一、双方签订《${PARTNER}—${COUNTY}${Y}年东西部扶贫协作协议》，${PARTNER}全年安排财政援助资金3600万元，重点用于产业发展和劳务协作。`,
        '二、深化人才交流，滨江区选派党政干部3名、专业技术人才28名到我县挂职帮扶，我县选派干部和专技人才赴滨江区跟岗学习。',
        '三、推进劳务协作，建立两地人社部门常态化对接机制，全年帮助我县贫困劳动力到东部就业不少于140人。',
        '四、开展消费扶贫，滨江区机关、学校、医院、企业食堂优先采购我县农特产品。',
        ...signature(`${COUNTY}东西部扶贫协作工作领导小组办公室`, cnDate(Y, 6, jointDay)),
      ],
    }),
    { type: 'minutes', indicators: ['1.3'], note: `会议日期 ${isoDate(Y, 6, jointDay)}` },
  );

  // Photos are encoded concurrently (libvips works off the main thread while the next scene is drawn);
  // each is listed in `files` when queued, so the listing order stays deterministic.
  const pendingPhotos: Promise<void>[] = [];
  const photoErrors: unknown[] = [];
  const photo = (
    rel: string,
    o: { seed: number; takenAt: string; label?: string; gps?: { lat: number; lon: number }; quality?: number; orientation?: number },
    intended: DemoFile['intended'],
  ): void => {
    files.push({ path: rel, intended });
    pendingPhotos.push(
      makePhoto({ width: 1600, height: 1200, quality: o.quality ?? 88, ...o }).then(
        (bytes) => writeBytes(rel, bytes),
        (error: unknown) => {
          photoErrors.push(error);
        },
      ),
    );
  };
  photo(
    `县协作办/高层联席会议照片/${Y}0612 东西部扶贫协作高层联席会议.jpg`,
    { seed: 101, takenAt: `${Y}-06-12T09:35:12`, label: `${PARTNER}—${COUNTY}东西部扶贫协作高层联席会议`, gps: COUNTY_GPS },
    { type: 'photo', indicators: ['1.3'], note: '与会议纪要同日' },
  );
  photo(
    `县协作办/高层联席会议照片/IMG_${Y}0613_101522.jpg`,
    { seed: 102, takenAt: `${Y}-06-13T10:15:22`, label: `${Y}年东西部扶贫协作协议签约仪式`, gps: COUNTY_GPS },
    { type: 'photo', indicators: ['1.3'], note: 'EXIF 日期比会议日期晚一天', findings: ['date-mismatch'] },
  );
  write('县协作办/高层联席会议照片/Thumbs.db', thumbsDb(), { type: 'other', indicators: [], note: 'Windows 缩略图缓存，应被忽略', ignored: true });

  // ── 1.2 a photo from the year before: out of period ──
  photo(
    `县协作办/IMG_${Y - 1}1226_153044.jpg`,
    { seed: 103, takenAt: `${Y - 1}-12-26T15:30:44`, label: `${COUNTY}东西部扶贫协作工作领导小组会议`, gps: COUNTY_GPS },
    { type: 'photo', indicators: ['1.2'], note: `拍摄于 ${Y - 1} 年 12 月，不在考核期内`, findings: ['out-of-period'] },
  );

  // ── 1.4 新闻报道 ──
  write(
    `县委宣传部/${PARTNER}党政代表团来我县考察对接东西部扶贫协作工作.pdf`,
    await pdf({
      title: `${PARTNER}党政代表团来我县考察对接东西部扶贫协作工作`,
      author: `${COUNTY}融媒体中心`,
      date: isoDate(Y, 6, 13),
      lines: [
        heading(`${PARTNER}党政代表团来我县考察对接东西部扶贫协作工作`),
        { text: `来源：${COUNTY}融媒体中心　发布时间：${isoDate(Y, 6, 13)}　记者：吴玉梅`, align: 'center', size: 12, gapBefore: 4 },
        `${cnDate(Y, 6, 11)}至12日，${PARTNER}区委副书记、区长周海涛率党政代表团来我县考察对接东西部扶贫协作工作，并召开高层联席会议。县委书记陈志强，县委副书记、县长王建国陪同考察。`,
        '代表团一行先后来到茶园镇茶叶加工厂、易地扶贫搬迁安置点扶贫车间、青溪镇食用菌种植基地，详细了解援助资金项目建设、产业带贫和劳务协作等情况。',
        `周海涛表示，滨江区将坚决贯彻落实党中央关于东西部扶贫协作的决策部署，在人才、资金、产业、劳务、消费扶贫等方面加大帮扶力度，与${COUNTY}携手奔小康。`,
        `陈志强表示，${COUNTY}将用好用活帮扶资源，抓好协议指标落实，确保如期打赢脱贫攻坚战。`,
      ],
    }),
    { type: 'news', indicators: ['1.4', '1.3'] },
  );
  write(
    `县委宣传部/东西部扶贫协作工作简报（第12期）.pdf`,
    await pdf({
      title: '东西部扶贫协作工作简报（第12期）',
      author: `${COUNTY}东西部扶贫协作工作领导小组办公室`,
      date: isoDate(Y, 9, 20),
      lines: [
        { text: '东西部扶贫协作工作简报', align: 'center', size: 26, color: 'red' },
        { text: `第12期　${COUNTY}东西部扶贫协作工作领导小组办公室　${cnDate(Y, 9, 20)}`, align: 'center', size: 12, gapBefore: 4 },
        heading('滨江区消费扶贫展销会我县农特产品销售额突破800万元'),
        `${cnDate(Y, 9, 16)}至18日，${PARTNER}“黔货出山”消费扶贫展销会举行，我县组织12家企业和合作社参展，茶叶、食用菌、刺梨等农特产品现场销售和签订订单共计806.35万元。`,
        '县商务局有关负责人介绍，今年以来我县通过滨江区机关食堂直供、电商平台和展销会等渠道销售农特产品，带动贫困户增收效果明显。',
      ],
    }),
    { type: 'news', indicators: ['1.4', '7.1'] },
  );

  // ── 2.1 挂职干部任职文件 + 名册 ──
  const appointNo = `青山组通〔${Y}〕15号`;
  const cadres = [
    { name: '李明', sex: '男', from: `${PARTNER}发展和改革委员会副主任`, to: `${COUNTY}委常委、副县长`, lead: '是', start: `${Y - 1}-08-20`, end: `${Y + 1}-08-19` },
    { name: '赵永春', sex: '男', from: `${PARTNER}人力资源和社会保障局副局长`, to: `${COUNTY}人社局副局长`, lead: '是', start: `${Y}-03-01`, end: `${Y + 1}-02-28` },
    { name: '孙丽华', sex: '女', from: `${PARTNER}商务局科长`, to: `${COUNTY}商务局副局长`, lead: '是', start: `${Y}-03-01`, end: `${Y + 1}-02-28` },
  ];
  write(
    `县委组织部/关于赵永春等同志挂职任职的通知.pdf`,
    await pdf({
      title: '关于赵永春等同志挂职任职的通知',
      author: `中共${COUNTY}委组织部`,
      date: isoDate(Y, 3, 1),
      redHeader: `中共${COUNTY}委组织部`,
      docNumber: appointNo,
      lines: [
        heading('关于赵永春等同志挂职任职的通知'),
        plain('县人社局、县商务局党组：'),
        `根据东西部扶贫协作干部挂职工作安排，经研究，决定：赵永春同志（${PARTNER}人力资源和社会保障局副局长）挂职任${COUNTY}人力资源和社会保障局副局长，分管劳务协作工作；孙丽华同志（${PARTNER}商务局科长）挂职任${COUNTY}商务局副局长，分管消费扶贫工作。挂职时间一年。`,
        '请各单位为挂职干部提供必要的工作和生活保障条件，支持挂职干部开展工作。',
        ...signature(`中共${COUNTY}委组织部`, cnDate(Y, 3, 1)),
      ],
    }),
    { type: 'appointment', indicators: ['2.1'], note: `文号 ${appointNo}` },
  );
  const monthsBetween = (start: string, endOfYear: string): number => {
    const [sy, sm] = start.split('-').map(Number);
    const [ey, em] = endOfYear.split('-').map(Number);
    return Math.max(0, Math.min(12, (ey - sy) * 12 + (em - sm) + 1));
  };
  write(
    `县委组织部/东部挂职干部名册.xlsx`,
    await makeXlsx({
      author: '县委组织部',
      date: `${Y}-12-10T16:00:00`,
      sheets: [
        {
          name: '挂职干部名册',
          rows: [
            ['序号', '姓名', '性别', '派出单位及职务', '挂职单位及职务', '是否分管协作', '任职文号', '到岗日期', '离岗日期', '在岗月数', '指标编码', '备注'],
            ...cadres.map((c, i) => [
              i + 1,
              c.name,
              c.sex,
              c.from,
              c.to,
              c.lead,
              i === 0 ? `青山组通〔${Y - 1}〕28号` : appointNo,
              c.start,
              c.end,
              monthsBetween(c.start < `${Y}-01-01` ? `${Y}-01` : c.start, `${Y}-12`),
              '2.1',
              i === 0 ? '县委常委' : '',
            ]),
          ],
        },
      ],
    }),
    { type: 'roster', indicators: ['2.1'] },
  );

  // ── 2.2 专技人才名册 ──
  const professionals = makePeople(rand, 30, Y);
  const fields = ['教育', '医疗卫生', '农业技术', '文化旅游', '规划建设'];
  write(
    `县委组织部/东部专业技术人才名册.xlsx`,
    await makeXlsx({
      author: '县委组织部',
      date: `${Y}-12-10T16:30:00`,
      sheets: [
        {
          name: '专技人才名册',
          rows: [
            ['序号', '姓名', '性别', '派出单位', '专业领域', '服务单位', '到岗日期', '服务时长(月)', '是否一年以上'],
            ...professionals.map((p, i) => {
              const months = i % 3 === 0 ? 12 : 3 + (i % 6);
              return [
                i + 1,
                p.name,
                p.sex,
                `${PARTNER}${['第一中学', '人民医院', '农业农村委', '文化和旅游局', '规划和自然资源局'][i % 5]}`,
                fields[i % 5],
                `${COUNTY}${['民族中学', '人民医院', '农业农村局', '文旅局', '住建局'][i % 5]}`,
                isoDate(Y, 1 + (i % 9), 1 + (i % 20)),
                months,
                months >= 12 ? '是' : '否',
              ];
            }),
          ],
        },
      ],
    }),
    { type: 'roster', indicators: ['2.2'] },
  );

  // ── 2.3 培训方案 + 签到表 (scan) + photos ──
  write(
    `县委组织部/${Y}年东西部扶贫协作干部人才培训方案.pdf`,
    await pdf({
      title: `${Y}年东西部扶贫协作干部人才培训方案`,
      author: `中共${COUNTY}委组织部`,
      date: isoDate(Y, 4, 10),
      lines: [
        heading(`${Y}年东西部扶贫协作干部人才培训方案`),
        `为提升我县党政干部和专业技术人才能力素质，依托${PARTNER}优质培训资源，制定本培训方案。`,
        '一、培训对象：全县乡镇党政干部、县直部门业务骨干，教育、医疗、农业等领域专业技术人才。',
        `二、培训内容：脱贫攻坚政策、产业发展、乡村治理、电子商务、劳务协作等。`,
        '三、培训方式：滨江区派员来我县集中授课与我县选派人员赴滨江区跟岗学习相结合，全年培训西部干部和专技人才不少于300人次。',
        `四、时间安排：${Y}年5月至11月，分6期举办。`,
      ],
    }),
    { type: 'plan', indicators: ['2.3'] },
  );
  const trainees = makePeople(rand, 24, Y);
  write(
    `县委组织部/第三期干部培训班签到表.pdf`,
    await makeScannedPdf({
      seed: 201,
      title: '第三期干部培训班签到表',
      date: `${Y}-07-16T08:30:00`,
      pages: [
        {
          lines: [
            `${Y}年东西部扶贫协作第三期干部培训班签到表`,
            `时间：${cnDate(Y, 7, 16)}　地点：县委党校报告厅`,
            '序号　姓名　单位　职务　签到',
            ...trainees.map((p, i) => `${i + 1}　${p.name}　${TOWNS[i % TOWNS.length]}人民政府　${i % 3 === 0 ? '副镇长' : '干部'}　✓`),
          ],
        },
      ],
    }),
    { type: 'minutes', indicators: ['2.3'], note: '扫描件（仅图像）' },
  );
  photo(
    `县委组织部/培训照片/${Y}0716 第三期干部培训班开班.jpg`,
    { seed: 111, takenAt: `${Y}-07-16T09:02:40`, label: `${Y}年东西部扶贫协作干部培训班` },
    { type: 'photo', indicators: ['2.3'] },
  );
  photo(
    `县委组织部/培训照片/IMG_${Y}0716_143318.jpg`,
    { seed: 112, takenAt: `${Y}-07-16T14:33:18`, label: '乡村振兴与产业发展专题讲座', orientation: 1 },
    { type: 'photo', indicators: ['2.3'] },
  );

  // ── 3.2 资金项目台账 + 凭证 + 验收 ──
  const projects = [
    ['茶园镇茶叶加工厂建设项目', '产业发展', 320],
    ['青溪镇食用菌种植基地项目', '产业发展', 280],
    ['易地扶贫搬迁安置点扶贫车间项目', '就业扶贫', 260],
    ['龙井乡刺梨种植基地项目', '产业发展', 240],
    ['石板镇生态养殖场项目', '产业发展', 210],
    ['高寨乡农产品冷链仓储项目', '产业发展', 300],
    ['城关镇劳务协作工作站建设项目', '劳务协作', 80],
    ['贫困劳动力技能培训项目', '劳务协作', 120],
    ['东部就业交通生活补贴项目', '劳务协作', 150],
    ['茶园镇新寨村人居环境整治项目', '基础设施', 180],
    ['青溪镇坪上村产业路项目', '基础设施', 220],
    ['县人民医院远程诊疗能力提升项目', '健康扶贫', 260],
    ['民族中学教学设施改善项目', '教育扶贫', 240],
    ['龙井乡大坝村村级集体经济项目', '产业发展', 200],
    ['致富带头人创业培训项目', '人才培训', 90],
  ] as const;
  const fundRows = projects.map(([name, category, base], i) => {
    const amount = round2(base + Math.floor(rand() * 10000) / 100);
    const industry = category === '产业发展' || category === '就业扶贫' ? amount : 0;
    const paid = i % 5 === 4 ? round2(amount * 0.6) : amount;
    const accepted = paid === amount ? isoDate(Y, 9 + (i % 4), 10 + (i % 15)) : '';
    return [
      i + 1,
      name,
      category,
      `青山财农〔${Y}〕${10 + i}号`,
      amount,
      industry,
      paid,
      round2(paid / amount),
      accepted,
      20 + Math.floor(rand() * 300),
      accepted ? `GS-${Y}-${pad2(i + 1)}` : '',
      TOWNS[i % TOWNS.length],
      i % 3 === 0 ? VILLAGES[i % VILLAGES.length] : '',
      i % 5 === 4 ? '续建，剩余资金次年拨付' : '',
    ];
  });
  const sumCol = (col: number): number => round2(fundRows.reduce((s, r) => s + Number(r[col]), 0));
  write(
    `县财政局/${COUNTY}${Y}年东西部扶贫协作资金项目台账.xlsx`,
    await makeXlsx({
      author: '县财政局',
      date: `${Y}-12-15T11:00:00`,
      sheets: [
        {
          name: '资金项目台账',
          columnFormats: { 5: '0.00', 6: '0.00', 7: '0.00', 8: '0.00%' },
          rows: [
            ['序号', '项目名称', '资金类别', '批复文号', '金额(万元)', '其中产业(万元)', '已拨付(万元)', '支付率', '验收日期', '带动脱贫人口(人)', '公示件号', '乡镇', '村', '备注'],
            ...fundRows,
            ['合计', '', '', '', sumCol(4), sumCol(5), sumCol(6), round2(sumCol(6) / sumCol(4)), '', fundRows.reduce((s, r) => s + Number(r[9]), 0), '', '', '', ''],
          ],
        },
      ],
    }),
    { type: 'ledger', indicators: ['3.2', '3.3', '6.2'], note: `${fundRows.length} 个项目，金额单位万元` },
  );
  for (const [i, p] of [fundRows[0], fundRows[2]].entries()) {
    const amountYuan = Number(p[6]) * 10000;
    write(
      `县财政局/拨付凭证/拨付凭证_${String(p[1]).replace(/项目$/, '')}.pdf`,
      await makeScannedPdf({
        seed: 301 + i,
        title: `${p[1]}资金拨付凭证`,
        date: `${Y}-0${5 + i}-20T15:00:00`,
        redHeader: `${COUNTY}财政局`,
        pages: [
          {
            lines: [
              '国库集中支付凭证',
              `凭证号：${Y}${pad2(5 + i)}${String(1032 + i * 17).padStart(4, '0')}　日期：${cnDate(Y, 5 + i, 20)}`,
              `付款单位：${COUNTY}财政局（东西部扶贫协作资金专户）`,
              `收款单位：${String(p[1])}实施单位`,
              `项目名称：${p[1]}`,
              `资金来源：${PARTNER}财政援助资金`,
              `金额：人民币 ${amountYuan.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`,
              `批复文号：${p[3]}`,
              '经办人：刘芳　复核：黄德才　单位负责人：何文昌',
            ],
          },
        ],
      }),
      { type: 'voucher', indicators: ['3.2'], note: '扫描件（仅图像）' },
    );
  }
  write(
    `县财政局/茶园镇茶叶加工厂建设项目竣工验收报告.pdf`,
    await pdf({
      title: '茶园镇茶叶加工厂建设项目竣工验收报告',
      author: `${COUNTY}农业农村局`,
      date: String(fundRows[0][8]),
      lines: [
        heading('茶园镇茶叶加工厂建设项目竣工验收报告'),
        `项目名称：茶园镇茶叶加工厂建设项目　资金来源：${PARTNER}财政援助资金　批复文号：${fundRows[0][3]}`,
        `项目总投资${Number(fundRows[0][4]).toFixed(2)}万元，建设标准化茶叶加工厂房2400平方米，购置加工设备3套，配套建设产品仓储区。`,
        `验收组于${String(fundRows[0][8])}对项目进行了现场验收，经查阅资料、实地查看，项目已按批复内容全面完成建设任务，工程质量合格，资金使用规范，同意通过验收。`,
        `项目建成后采取“企业+合作社+贫困户”模式运营，带动贫困人口${fundRows[0][9]}人稳定增收。`,
        plain('验收组成员签字：何文昌　林秀兰　郭志勇　梁玉梅'),
        ...signature(`${COUNTY}农业农村局`, String(fundRows[0][8]).replace(/^(\d{4})-(\d{2})-(\d{2})$/, (_, y: string, m: string, d: string) => cnDate(+y, +m, +d))),
      ],
    }),
    { type: 'acceptance', indicators: ['3.2'] },
  );
  // An official notice that should carry a 文号 but whose sender left it out.
  write(
    `县财政局/关于下达${Y}年东西部扶贫协作财政援助资金的通知.pdf`,
    await pdf({
      title: `关于下达${Y}年东西部扶贫协作财政援助资金的通知`,
      author: `${COUNTY}财政局`,
      date: isoDate(Y, 4, 22),
      redHeader: `${COUNTY}财政局文件`,
      lines: [
        heading(`关于下达${Y}年东西部扶贫协作财政援助资金的通知`),
        plain('各乡（镇）人民政府，县直有关部门：'),
        `根据${PARTNER}—${COUNTY}${Y}年东西部扶贫协作协议和县东西部扶贫协作工作领导小组会议研究意见，现将${PARTNER}${Y}年财政援助资金${sumCol(4).toFixed(2)}万元下达给你们，用于产业发展、劳务协作、基础设施、教育和健康扶贫等项目，具体项目和金额见附件。`,
        '请各项目实施单位严格执行东西部扶贫协作资金管理办法，加快项目实施和资金支出进度，项目建成后及时组织验收并进行公示。',
        ...signature(`${COUNTY}财政局`, cnDate(Y, 4, 22)),
      ],
    }),
    { type: 'official-document', indicators: ['3.2', '3.1'], note: '红头文件缺少文号', findings: ['missing-metadata'] },
  );
  const paidDetail = await pdf({
    title: `${Y}年东西部扶贫协作资金拨付明细`,
    author: `${COUNTY}财政局`,
    date: isoDate(Y, 11, 30),
    lines: [
      heading(`${Y}年东西部扶贫协作资金拨付明细`),
      ...fundRows.map((r) => `${r[0]}．${r[1]}：已拨付${Number(r[6]).toFixed(2)}万元`),
    ],
  });
  write(`县财政局/${Y}年资金拨付明细（加密）.pdf`, await encryptPdf(paidDetail, { userPassword: '123456', seed: Y }), {
    type: 'voucher',
    indicators: ['3.2'],
    note: '设置了打开密码 123456',
    findings: ['unreadable'],
  });

  // ── 4.2 落地企业台账 + 投资协议 ──
  const firms = [
    ['贵州青山滨江茶业有限公司', '东海滨江茶叶集团有限公司', 1200, 860, 86, 31],
    ['青山县海港食用菌开发有限公司', '东海海港农业科技有限公司', 800, 520, 64, 27],
    ['青山县东滨服装加工有限公司', '东海滨江纺织服装有限公司', 500, 500, 120, 58],
    ['青山县黔滨刺梨食品有限公司', '东海东方食品股份有限公司', 450, 300, 45, 18],
    ['青山县滨青电子元件有限公司', '东海滨江电子科技有限公司', 600, 420, 95, 40],
    ['青山县青滨冷链物流有限公司', '东海港城物流有限公司', 350, 260, 30, 12],
  ] as const;
  const firmRows = firms.map(([name, investor, contract, arrived, jobs, poor], i) => {
    const first17 = `91522799MA6D${String(i * 137 + 4100).padStart(4, '0')}X`.slice(0, 17);
    return [
      i + 1,
      name,
      first17 + creditCodeCheck(first17),
      investor,
      isoDate(Y, 3 + i, 8 + i),
      contract,
      arrived,
      `DW-${Y}-${pad2(i + 1)}`,
      jobs,
      poor,
      TOWNS[i % TOWNS.length],
    ];
  });
  write(
    `县发改局/${Y}年东西部扶贫协作落地企业台账.xlsx`,
    await makeXlsx({
      author: '县发改局',
      date: `${Y}-12-12T10:00:00`,
      sheets: [
        {
          name: '落地企业台账',
          columnFormats: { 6: '0.00', 7: '0.00' },
          rows: [
            ['序号', '企业名称', '统一社会信用代码', '东部投资方', '签约日期', '合同投资额(万元)', '本年到位资金(万元)', '凭证件号', '吸纳就业(人)', '其中脱贫人口(人)', '所在乡镇'],
            ...firmRows,
          ],
        },
      ],
    }),
    { type: 'ledger', indicators: ['4.2', '4.3'] },
  );
  write(
    `县发改局/投资协议书（贵州青山滨江茶业有限公司）.pdf`,
    await pdf({
      title: '投资协议书',
      author: `${COUNTY}人民政府`,
      date: String(firmRows[0][4]),
      lines: [
        heading('投资协议书'),
        plain(`甲方：${COUNTY}人民政府`),
        plain(`乙方：${firms[0][1]}`),
        `为深化东西部扶贫协作产业合作，经甲乙双方友好协商，乙方在${COUNTY}茶园镇投资设立贵州青山滨江茶业有限公司，从事茶叶种植、加工和销售，达成如下协议：`,
        `一、乙方计划总投资${firms[0][2].toFixed(2)}万元，分两期到位，其中${Y}年到位资金不低于800万元。`,
        '二、甲方负责协调项目用地、用电、用水等生产要素保障，按规定落实招商引资优惠政策。',
        `三、乙方承诺优先吸纳当地贫困劳动力就业，项目投产后吸纳就业不少于80人，其中建档立卡贫困人口不少于30人，并通过订单收购带动茶农增收。`,
        '四、本协议一式四份，甲乙双方各执两份，自双方签字盖章之日起生效。',
        plain(`甲方（盖章）：${COUNTY}人民政府　　乙方（盖章）：${firms[0][1]}`),
        plain(`签订日期：${String(firmRows[0][4]).replace(/^(\d{4})-(\d{2})-(\d{2})$/, (_, y: string, m: string, d: string) => cnDate(+y, +m, +d))}`),
      ],
    }),
    { type: 'agreement', indicators: ['4.2'] },
  );
  photo(
    `县发改局/IMG_${Y}1018_104503.jpg`,
    { seed: 121, takenAt: `${Y}-10-18T10:45:03`, label: '贵州青山滨江茶业有限公司投产仪式', gps: COUNTY_GPS },
    { type: 'photo', indicators: ['4.2'] },
  );

  // ── 5.2 转移就业台账 (valid ID numbers, one person entered twice) ──
  const workers = makePeople(rand, 36, Y);
  const destinations = ['结对东部', '省内县外', '县内就近', '其他'] as const;
  const categories = ['脱贫户', '监测对象', '一般农户'] as const;
  const employers: Record<(typeof destinations)[number], string[]> = {
    结对东部: ['东海滨江电子科技有限公司', '东海海港物流有限公司', '东海滨江纺织服装有限公司'],
    省内县外: ['贵阳市某建筑工程有限公司', '都匀市经济开发区某食品厂'],
    县内就近: ['青山县东滨服装加工有限公司', '贵州青山滨江茶业有限公司', '易地扶贫搬迁安置点扶贫车间'],
    其他: ['广东省东莞市某电子厂', '浙江省宁波市某五金厂'],
  };
  const workerRows = workers.map((w, i) => {
    const dest = destinations[i % 7 < 2 ? 0 : i % 7 < 4 ? 1 : i % 7 < 6 ? 2 : 3];
    const list = employers[dest];
    const startMonth = 1 + (i % 10);
    return [
      i + 1,
      w.name,
      w.sex,
      w.id,
      `${TOWNS[i % TOWNS.length]}${VILLAGES[i % VILLAGES.length]}`,
      categories[i % 5 === 0 ? 1 : i % 4 === 0 ? 2 : 0],
      dest,
      list[i % list.length],
      isoDate(Y, startMonth, 1 + (i % 27)),
      13 - startMonth,
      dest === '结对东部' ? 4200 + (i % 5) * 150 : dest === '县内就近' ? 2400 + (i % 4) * 100 : 3300 + (i % 6) * 120,
      i % 2 === 0 ? '电话回访' : '工资流水',
    ];
  });
  // The same person entered twice by two townships: a duplicated ID number is a red flag for inspectors.
  const dup = [...workerRows[7]];
  dup[0] = workerRows.length + 1;
  dup[9] = Number(dup[9]) - 2;
  dup[11] = '乡镇报送';
  workerRows.push(dup);
  write(
    `县人社局/${Y}年贫困劳动力转移就业台账.xlsx`,
    await makeXlsx({
      author: '县人社局',
      date: `${Y}-12-16T17:20:00`,
      sheets: [
        {
          name: '转移就业台账',
          rows: [
            ['序号', '姓名', '性别', '身份证号', '户籍', '人员类别', '就业去向', '就业单位', '起始日期', '月数', '月收入(元)', '核实方式'],
            ...workerRows,
          ],
        },
        {
          name: '分类汇总',
          rows: [
            ['就业去向', '人数(人)'],
            ...destinations.map((d) => [d, workerRows.filter((r) => r[6] === d).length]),
            ['合计', workerRows.length],
          ],
        },
      ],
    }),
    {
      type: 'ledger',
      indicators: ['5.2'],
      note: `第 ${workerRows.length} 行与第 8 行身份证号重复（${String(workerRows[7][3])}）`,
      findings: ['figures-inconsistent'],
    },
  );

  // ── 5.3 劳务培训 photos: two of them are the same picture saved twice ──
  const trainingShot = { seed: 131, takenAt: `${Y}-08-21T14:30:05`, label: `${COUNTY}${Y}年劳务协作职业技能培训班`, gps: COUNTY_GPS };
  photo(`县人社局/劳务培训/IMG_${Y}0821_143005.jpg`, trainingShot, { type: 'photo', indicators: ['5.3'] });
  photo(`县人社局/劳务培训/劳务协作技能培训现场.jpg`, { ...trainingShot, quality: 72 }, {
    type: 'photo',
    indicators: ['5.3'],
    note: '与 IMG_*_143005.jpg 是同一张照片（重新压缩）',
    findings: ['duplicate'],
  });
  photo(
    `县人社局/劳务培训/IMG_${Y}0822_091247.jpg`,
    { seed: 132, takenAt: `${Y}-08-22T09:12:47`, label: '滨江区企业专场招聘会', gps: COUNTY_GPS, orientation: 1 },
    { type: 'photo', indicators: ['5.3', '5.2'] },
  );

  // ── 6.1 结对帮扶协议 + photo ──
  write(
    `县协作办/结对帮扶/茶园镇与滨江区海港街道携手奔小康结对帮扶协议.pdf`,
    await pdf({
      title: '茶园镇与滨江区海港街道携手奔小康结对帮扶协议',
      author: `${COUNTY}茶园镇人民政府`,
      date: isoDate(Y, 6, 12),
      lines: [
        heading('携手奔小康结对帮扶协议'),
        plain(`甲方：${PARTNER}海港街道办事处`),
        plain(`乙方：${COUNTY}茶园镇人民政府`),
        '为贯彻落实东西部扶贫协作和携手奔小康行动部署，甲乙双方本着“优势互补、互利共赢、长期合作、共同发展”的原则，建立结对帮扶关系，签订本协议。',
        `一、甲方${Y}年安排帮扶资金不少于50万元，用于乙方新寨村、坪上村产业发展和人居环境改善。`,
        '二、双方党政主要负责人每年至少互访一次，共同研究帮扶工作。',
        '三、甲方组织辖区企业、社区与乙方贫困村开展“万企帮万村”和村村结对，帮助销售农特产品，吸纳贫困劳动力就业。',
        '四、本协议有效期至2020年12月31日。',
        plain(`签订日期：${cnDate(Y, 6, 12)}`),
      ],
    }),
    { type: 'agreement', indicators: ['6.1'] },
  );
  photo(
    `县协作办/结对帮扶/${Y}0612 海港街道与茶园镇签订结对帮扶协议.jpg`,
    { seed: 141, takenAt: `${Y}-06-12T15:20:31`, label: '携手奔小康结对帮扶签约仪式', gps: COUNTY_GPS },
    { type: 'photo', indicators: ['6.1'] },
  );
  // A phone photo with nothing to tell what it shows: no banner, no name, no GPS.
  photo(
    `县协作办/结对帮扶/IMG_${Y}0925_160233.jpg`,
    { seed: 142, takenAt: `${Y}-09-25T16:02:33` },
    { type: 'photo', indicators: ['6.1'], note: '无任何说明信息（文件名为手机默认名，画面无横幅）', findings: ['missing-caption'] },
  );

  // ── 7.1 消费扶贫台账 + 销售凭证 ──
  const buyers = [`${PARTNER}机关事务管理局食堂`, `${PARTNER}第一中学食堂`, `${PARTNER}人民医院`, '东海滨江茶叶集团有限公司', '东海港城超市有限公司'];
  const channels = ['机关食堂直供', '学校食堂直供', '医院食堂直供', '企业采购', '商超专柜', '电商平台', '展销会'];
  const products = ['都匀毛尖茶', '香菇', '刺梨原汁', '高山土鸡蛋', '生态大米', '黑毛猪腊肉'];
  const consumptionRows = Array.from({ length: 12 }, (_, i) => [
    i + 1,
    isoDate(Y, 1 + i, 10 + (i % 15)),
    ['贵州青山滨江茶业有限公司', '青溪镇食用菌专业合作社', '青山县黔滨刺梨食品有限公司', '龙井乡生态养殖合作社'][i % 4],
    buyers[i % buyers.length],
    channels[i % channels.length],
    products[i % products.length],
    round2(20 + rand() * 180),
    `XF-${Y}-${pad2(i + 1)}`,
  ]);
  write(
    `县商务局/${Y}年消费扶贫台账.xlsx`,
    await makeXlsx({
      author: '县商务局',
      date: `${Y}-12-18T09:40:00`,
      sheets: [
        {
          name: '消费扶贫台账',
          columnFormats: { 7: '0.00' },
          rows: [
            ['序号', '日期', '销售主体', '购买方', '渠道', '产品', '金额(万元)', '凭证件号'],
            ...consumptionRows,
            ['合计', '', '', '', '', '', round2(consumptionRows.reduce((s, r) => s + Number(r[6]), 0)), ''],
          ],
        },
      ],
    }),
    { type: 'ledger', indicators: ['7.1'] },
  );
  for (const [i, row] of [consumptionRows[0], consumptionRows[4]].entries()) {
    write(
      `县商务局/销售凭证_${String(row[7])}.pdf`,
      await makeScannedPdf({
        seed: 401 + i,
        title: `消费扶贫销售凭证 ${String(row[7])}`,
        date: `${String(row[1])}T16:00:00`,
        pages: [
          {
            lines: [
              '销 售 单',
              `单号：${String(row[7])}　日期：${String(row[1])}`,
              `销售方：${String(row[2])}`,
              `购买方：${String(row[3])}`,
              `产品：${String(row[5])}　渠道：${String(row[4])}`,
              `金额：${Number(row[6]).toFixed(2)}万元`,
              '经手人：石顺发　收款人：罗秀英',
            ],
          },
        ],
      }),
      { type: 'voucher', indicators: ['7.1'], note: '扫描件（仅图像）' },
    );
  }
  photo(
    `县商务局/${Y}0916 滨江区消费扶贫展销会.jpg`,
    { seed: 151, takenAt: `${Y}-09-16T10:08:56`, label: '“黔货出山”消费扶贫展销会', gps: { lat: 39.0842, lon: 117.2009 } },
    { type: 'photo', indicators: ['7.1'] },
  );

  // ── a truncated PDF: the transfer broke off ──
  const summary = await pdf({
    title: `${COUNTY}${Y}年东西部扶贫协作工作总结`,
    author: `${COUNTY}东西部扶贫协作工作领导小组办公室`,
    date: isoDate(Y, 12, 10),
    lines: [
      heading(`${COUNTY}${Y}年东西部扶贫协作工作总结`),
      `${Y}年，在${PARTNER}的大力支持下，我县东西部扶贫协作各项工作有序推进，协议指标基本完成。`,
      ...MONTHLY_ITEMS,
    ],
  });
  write(`县协作办/${Y}年东西部扶贫协作工作总结.pdf`, summary.subarray(0, Math.floor(summary.length * 0.4)), {
    type: 'report',
    indicators: ['1.1'],
    note: '文件只传了一部分（截断），无法打开',
    findings: ['unreadable'],
  });

  await Promise.all(pendingPhotos);
  if (photoErrors.length > 0) throw photoErrors[0];
  return {
    files,
    missingMinutesMonths: missingMonths.map((m) => `${Y}-${pad2(m)}`),
    font: font.path,
  };
}

/** The first bytes of an OLE2 compound file, as a Thumbs.db starts; import must skip it by name. */
function thumbsDb(): Uint8Array {
  const bytes = new Uint8Array(1536);
  bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0);
  bytes.set([0x3e, 0x00, 0x03, 0x00, 0xfe, 0xff, 0x09, 0x00], 24);
  return bytes;
}

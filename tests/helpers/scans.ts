/**
 * Synthetic scans and phone photos of red-header government documents (红头文件, GB/T 9704 layout): issuing body in
 * red, 文号, title, body, signature and 成文日期 with a red seal over it. Then degraded like real intake: a little
 * rotation, blur, noise, JPEG artefacts; phone shots add perspective, uneven light and a desk around the page.
 * Deterministic for a given seed. Used by the OCR tests and `npm run bench -- ocr`.
 */
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { PDFDocument } from '@cantoo/pdf-lib';
import sharp from 'sharp';
import type { EvidenceType } from '../../shared/domain/types.js';
import { createRng } from '../../electron/backend/demo/synth.js';

const FONT_DIR = '/usr/share/fonts/opentype/noto';
GlobalFonts.registerFromPath(`${FONT_DIR}/NotoSerifCJK-Bold.ttc`, 'ScanSerifBold');
GlobalFonts.registerFromPath(`${FONT_DIR}/NotoSerifCJK-Regular.ttc`, 'ScanSerif');
GlobalFonts.registerFromPath(`${FONT_DIR}/NotoSansCJK-Regular.ttc`, 'ScanSans');

export type ScanSpec = {
  seed: number;
  issuer: string;
  /** 机关代字 + 〔年〕 + 号 */
  docNumber: string;
  title: string;
  type: EvidenceType;
  addressee: string;
  body: string[];
  /** ISO date and how it is printed (汉字 or 阿拉伯数字). */
  date: string;
  dateText: string;
  /** A word that appears only in this document's body (search tests). */
  marker: string;
};

const COUNTIES = [
  ['青山县', '青'],
  ['丹江县', '丹'],
  ['石门县', '石'],
  ['云岭县', '云'],
  ['安和县', '安'],
  ['白河县', '白'],
] as const;
const OFFICES = [
  ['人民政府办公室', '政办发'],
  ['人民政府', '政发'],
  ['乡村振兴局', '振发'],
  ['人力资源和社会保障局', '人社发'],
  ['农业农村局', '农发'],
] as const;
const TOPICS = [
  '东西部协作工作方案',
  '东西部协作劳务协作实施细则',
  '消费帮扶工作要点',
  '产业协作项目管理办法',
  '结对帮扶工作考核办法',
  '东西部协作资金使用管理办法',
  '携手促振兴行动计划',
];
const MARKERS = ['茶园托管', '菌菇大棚', '光伏电站', '竹编车间', '冷链仓储', '刺梨加工', '蜂蜜合作社', '电商驿站', '民宿集群', '柑橘基地'];
const BODY = [
  '为深入贯彻落实党中央、国务院关于东西部协作的决策部署，进一步加强我县与协作地区的交流合作，推动各项协作任务落地见效，结合我县实际，制定本方案。',
  '各乡镇、各部门要高度重视，明确分管领导和具体责任人，细化工作措施，建立工作台账，确保各项任务按时保质完成。',
  '县东西部协作工作领导小组办公室负责统筹协调，定期调度工作进展，及时研究解决工作中遇到的困难和问题。',
  '要加强资金项目管理，严格执行项目申报、评审、实施、验收等程序，确保资金使用安全规范高效。',
  '各单位要加强宣传引导，及时总结推广好经验好做法，营造全社会关注支持东西部协作的良好氛围。',
];
const CN_DIGITS = '〇一二三四五六七八九';

function chineseYear(y: number): string {
  return [...String(y)].map((d) => CN_DIGITS[Number(d)]).join('');
}

function chineseSmall(n: number): string {
  if (n <= 10) return n === 10 ? '十' : CN_DIGITS[n];
  if (n < 20) return `十${CN_DIGITS[n - 10]}`;
  return `${CN_DIGITS[Math.floor(n / 10)]}十${n % 10 ? CN_DIGITS[n % 10] : ''}`;
}

export function makeScanSpec(seed: number): ScanSpec {
  const r = createRng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)];
  const [county, short] = pick(COUNTIES);
  const kind = r();
  const year = 2018 + Math.floor(r() * 6);
  const month = 1 + Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * 28);
  const no = 1 + Math.floor(r() * 120);
  const topic = pick(TOPICS);
  const marker = MARKERS[seed % MARKERS.length];
  const body = [...BODY].sort(() => r() - 0.5).slice(0, 3);
  body.splice(1, 0, `重点推进${marker}等项目建设，${year}年底前完成年度目标任务。`);
  let issuer: string;
  let code: string;
  let title: string;
  let type: EvidenceType;
  if (kind < 0.7) {
    const [office, c] = pick(OFFICES);
    issuer = `${county}${office}`;
    code = c;
    title = `关于印发${county}${topic}的通知`;
    type = 'official-document';
  } else if (kind < 0.85) {
    issuer = `中共${county}委组织部`;
    code = '组任';
    const name = pick(['王建国', '李红梅', '张志强', '刘晓东', '陈静']);
    title = `关于${name}同志挂职任职的通知`;
    type = 'appointment';
    body[0] = `经研究，决定${name}同志挂职任${county}乡村振兴局副局长，挂职时间两年。`;
  } else {
    const [office] = pick(OFFICES);
    issuer = `${county}${office}`;
    code = '政办函';
    title = `关于商请支持${topic.replace(/东西部协作/, '')}的函`;
    type = 'letter';
  }
  const arabic = r() < 0.5;
  return {
    seed,
    issuer,
    docNumber: `${short}${code}〔${year}〕${no}号`,
    title,
    type,
    addressee: type === 'letter' ? '浙江省协作地区人民政府办公室：' : '各乡镇人民政府，县直各单位：',
    body,
    date: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    dateText: arabic ? `${year}年${month}月${day}日` : `${chineseYear(year)}年${chineseSmall(month)}月${chineseSmall(day)}日`,
    marker,
  };
}

function wrap(ctx: SKRSContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    if (ctx.measureText(line + ch).width > width && line) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) lines.push(line);
  return lines;
}

function drawSeal(ctx: SKRSContext2D, cx: number, cy: number, radius: number, name: string, r: () => number): void {
  ctx.save();
  // Ink over toner: the seal darkens what is under it (multiply), so black text stays black beneath red.
  ctx.globalCompositeOperation = 'multiply';
  ctx.translate(cx, cy);
  ctx.rotate((r() - 0.5) * 0.6);
  ctx.strokeStyle = 'rgba(225,20,20,0.82)';
  ctx.fillStyle = 'rgba(225,20,20,0.82)';
  ctx.lineWidth = radius * 0.07;
  ctx.beginPath();
  ctx.arc(0, 0, radius, 0, Math.PI * 2);
  ctx.stroke();
  // Five-pointed star in the centre.
  ctx.beginPath();
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rr = i % 2 ? radius * 0.12 : radius * 0.3;
    ctx.lineTo(Math.cos(a) * rr, Math.sin(a) * rr);
  }
  ctx.closePath();
  ctx.fill();
  // The name along the upper arc.
  const chars = [...name];
  ctx.font = `bold ${Math.round(radius * 0.26)}px ScanSerifBold`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const span = Math.PI * 1.25;
  chars.forEach((ch, i) => {
    const a = -Math.PI / 2 - span / 2 + (span * (i + 0.5)) / chars.length;
    ctx.save();
    ctx.rotate(a + Math.PI / 2);
    ctx.fillText(ch, 0, -radius * 0.74);
    ctx.restore();
  });
  ctx.restore();
}

/** The clean page, A4 at 150 dpi (1240 × 1754), PNG. */
export async function renderDocumentPage(spec: ScanSpec): Promise<Buffer> {
  const W = 1240;
  const H = 1754;
  const r = createRng(spec.seed * 7 + 1);
  const canvas = createCanvas(W, H);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, W, H);
  const left = 160;
  const right = W - 150;
  // 发文机关标志: red, centred, as wide as fits.
  ctx.fillStyle = '#d21e1e';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'alphabetic';
  const header = `${spec.issuer}文件`;
  let size = 88;
  ctx.font = `bold ${size}px ScanSerifBold`;
  while (ctx.measureText(header).width > right - left && size > 40) ctx.font = `bold ${--size}px ScanSerifBold`;
  ctx.fillText(header, W / 2, 300);
  ctx.fillStyle = '#000000';
  ctx.font = '34px ScanSerif';
  ctx.fillText(spec.docNumber, W / 2, 400);
  ctx.strokeStyle = '#d21e1e';
  ctx.lineWidth = 4;
  ctx.beginPath();
  ctx.moveTo(left - 20, 430);
  ctx.lineTo(right + 20, 430);
  ctx.stroke();
  ctx.font = 'bold 44px ScanSerifBold';
  let y = 530;
  for (const line of wrap(ctx, spec.title, right - left - 80)) {
    ctx.fillText(line, W / 2, y);
    y += 62;
  }
  ctx.textAlign = 'left';
  ctx.font = '32px ScanSerif';
  y += 30;
  ctx.fillText(spec.addressee, left, y);
  y += 56;
  for (const paragraph of spec.body) {
    // 首行缩进两字 with ideographic spaces, as typed.
    for (const line of wrap(ctx, `\u3000\u3000${paragraph}`, right - left)) {
      ctx.fillText(line, left, y);
      y += 54;
    }
  }
  // Signature and 成文日期, right-aligned (GB/T 9704 §7.3.5), with the seal over both.
  const sigY = Math.max(y + 110, 1300);
  ctx.textAlign = 'right';
  ctx.fillText(spec.issuer, right - 60, sigY);
  ctx.fillText(spec.dateText, right - 60 - Math.round(r() * 30), sigY + 60);
  drawSeal(ctx, right - 60 - ctx.measureText(spec.dateText).width / 2 - 20 + r() * 40, sigY + 10 + r() * 30, 125, spec.issuer, r);
  return canvas.encode('png');
}

/** A flatbed scan: slight rotation, blur, noise, JPEG at a low quality. */
export async function degradeAsScan(page: Buffer, seed: number): Promise<Buffer> {
  const r = createRng(seed * 13 + 5);
  const angle = (r() - 0.5) * 3;
  const rotated = await sharp(page).rotate(angle, { background: '#ffffff' }).blur(0.4 + r() * 0.5).raw().toBuffer({ resolveWithObject: true });
  addNoise(rotated.data, rotated.info.channels, 18, r);
  return sharp(rotated.data, { raw: rotated.info }).jpeg({ quality: 35 + Math.floor(r() * 30) }).toBuffer();
}

/** A phone photo of the page on a desk: perspective, uneven light, blur, noise, JPEG. */
export async function degradeAsPhoto(page: Buffer, seed: number): Promise<Buffer> {
  const r = createRng(seed * 17 + 3);
  const { createCanvas: create, loadImage } = await import('@napi-rs/canvas');
  const src = await loadImage(page);
  const W = 1800;
  const H = 2400;
  const canvas = create(W, H);
  const ctx = canvas.getContext('2d');
  const desk = 90 + Math.floor(r() * 60);
  ctx.fillStyle = `rgb(${desk + 30},${desk + 15},${desk})`;
  ctx.fillRect(0, 0, W, H);
  // Perspective: the far edge is narrower; drawn in thin strips, each scaled to its distance.
  const topWidth = 1250 + r() * 150;
  const bottomWidth = 1500 + r() * 120;
  const top = 120 + r() * 60;
  const height = 2100;
  const skew = (r() - 0.5) * 80;
  const strips = 350;
  for (let i = 0; i < strips; i++) {
    const t = i / strips;
    const w = topWidth + (bottomWidth - topWidth) * t;
    const x = (W - w) / 2 + skew * (1 - t);
    const sy = (src.height * i) / strips;
    const dy = top + height * (t + 0.06 * t * (1 - t));
    ctx.drawImage(src, 0, sy, src.width, src.height / strips + 1, x, dy, w, height / strips + 1.5);
  }
  // Light from one side.
  const light = ctx.createLinearGradient(0, 0, W, H);
  light.addColorStop(0, 'rgba(255,255,240,0.10)');
  light.addColorStop(1, `rgba(0,0,20,${0.12 + r() * 0.15})`);
  ctx.fillStyle = light;
  ctx.fillRect(0, 0, W, H);
  const raw = await sharp(await canvas.encode('png')).rotate((r() - 0.5) * 4, { background: '#6b5a48' }).blur(0.6 + r() * 0.6).raw().toBuffer({ resolveWithObject: true });
  addNoise(raw.data, raw.info.channels, 14, r);
  return sharp(raw.data, { raw: raw.info }).jpeg({ quality: 55 + Math.floor(r() * 25) }).toBuffer();
}

function addNoise(data: Buffer, channels: number, amplitude: number, r: () => number): void {
  for (let i = 0; i < data.length; i += channels) {
    const n = (r() - 0.5) * 2 * amplitude;
    for (let c = 0; c < Math.min(3, channels); c++) data[i + c] = Math.max(0, Math.min(255, data[i + c] + n));
  }
}

/** An image-only PDF (what a scanner's "scan to PDF" writes): one JPEG per A4 page, no text layer. */
export async function imageOnlyPdf(jpegs: Buffer[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  for (const jpeg of jpegs) {
    const image = await pdf.embedJpg(jpeg);
    const page = pdf.addPage([595.28, 841.89]);
    page.drawImage(image, { x: 0, y: 0, width: 595.28, height: 841.89 });
  }
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

import { EVIDENCE_TYPES, IMAGE_FORMATS, type EvidenceType, type FileFormat } from '../domain/types.js';

/**
 * Evidence type from strong cues in the title, the file name and the body. Pure.
 * Scores are additive points; the caller turns them into a confidence. The title's last word decides most
 * Chinese documents (GB/T 9704: 文种 ends the title), so it weighs most; body cues break ties and rescue files
 * whose names say nothing ("扫描件001.pdf", "新建 Microsoft Word 文档.docx").
 */

export type TypeScores = Record<EvidenceType, number>;

export function emptyTypeScores(): TypeScores {
  const scores = {} as Record<EvidenceType, number>;
  for (const t of EVIDENCE_TYPES) scores[t] = 0;
  return scores;
}

type Cue = { type: EvidenceType; re: RegExp; points: number };

/** 文种 at the end of a title or file name. Order matters: the first match wins. */
const TITLE_ENDINGS: Cue[] = [
  { type: 'acceptance', re: /(验收报告|审计报告|验收单|验收意见|验收表|审计意见|绩效评价报告)$/, points: 6 },
  { type: 'minutes', re: /(纪要|会议记录|签到表|签到册|签到|记录)$/, points: 5 },
  { type: 'notice', re: /(公示|公告|公示名单)$/, points: 5 },
  { type: 'letter', re: /函$/, points: 5 },
  { type: 'agreement', re: /(协议|协议书|合同|合同书|备忘录|责任书)$/, points: 5 },
  { type: 'plan', re: /(方案|计划|要点|规划|工作安排|日程安排|行程安排)$/, points: 5 },
  { type: 'ledger', re: /(台账|统计表|汇总表|明细表|清单|一览表|考勤表|情况表)$/, points: 5 },
  { type: 'roster', re: /(名册|花名册|名单)$/, points: 5 },
  { type: 'news', re: /(简报|专报|快报|报道|新闻|信息)$/, points: 5 },
  { type: 'voucher', re: /(凭证|回单|发票|收据|票据|审批表|发放表|支付单|拨付单|拨款单)$/, points: 5 },
  { type: 'certificate', re: /(证明|证明材料|营业执照|执照|证书|流水|流水账)$/, points: 5 },
  { type: 'official-document', re: /(通知|决定|意见|通报|批复|决议|规定|办法|细则|若干措施|措施|政策|制度)$/, points: 4 },
  { type: 'report', re: /(报告|总结|汇报|自评|情况|说明|请示|材料|典型材料|案例|汇总)$/, points: 4 },
];

/** Words that mark a type wherever they stand in the title or file name. */
const NAME_CUES: Cue[] = [
  { type: 'appointment', re: /任职|任命|免职|免去|挂任|任免|同志.{0,8}挂职|选派.{0,12}挂职|挂职.{0,6}(请示|锻炼|期满)/, points: 7 },
  { type: 'ledger', re: /台账/, points: 4 },
  { type: 'roster', re: /名册|花名册|名单/, points: 3 },
  { type: 'minutes', re: /纪要|会议记录|签到/, points: 3 },
  { type: 'voucher', re: /记账凭证|回单|拨付凭证|转账|凭证|发票|收据|票据/, points: 3 },
  { type: 'acceptance', re: /验收|审计/, points: 3 },
  { type: 'notice', re: /公示|公告/, points: 3 },
  { type: 'news', re: /报道|新闻|简报|信息专报|日报|晚报|人民网|新华网|新华社|电视台|公众号|融媒体|发布[:：]/, points: 3 },
  { type: 'certificate', re: /证明|营业执照|流水|执照/, points: 3 },
  { type: 'agreement', re: /协议|合同|框架协议/, points: 3 },
  { type: 'letter', re: /函(?!数)|商请|邀请函/, points: 2 },
  { type: 'plan', re: /方案|计划|要点/, points: 2 },
  { type: 'report', re: /总结|报告|自评|汇报/, points: 2 },
  { type: 'other', re: /PPT|ppt|折页|宣传册|展板|汇编|制度/, points: 2 },
];

/** Body cues: the words a form or genre cannot do without. Each counts once. */
const BODY_CUES: Cue[] = [
  { type: 'voucher', re: /记账凭证|电子回单|业务回单|国库集中支付|支付凭证|发票代码|票据代码|付款人|收款人|金额[（(]?大写|（大写）|会计主管|附单据|本次申请拨付/, points: 2 },
  { type: 'news', re: /本报讯|本报记者|记者|通讯员|责任编辑|编辑[:：]|第\d+版|电（|电\(|【工作动态】|工作动态/, points: 2 },
  { type: 'minutes', re: /主持人?[:：]|参会人员|出席[:：]|列席[:：]|记录人?[:：]|会议(指出|要求|决定|强调|听取|研究|议定)|签到表|会议记录/, points: 1.5 },
  { type: 'agreement', re: /甲方|乙方|需方|供方|出租方|承租方|捐赠方|受赠方|经(友好)?协商|本协议|本合同|签订(日期|时间)/, points: 1.5 },
  { type: 'letter', re: /函复|特此函|请函复|收悉|妥否，请|恳请贵/, points: 2 },
  { type: 'acceptance', re: /验收(意见|结论|组|时间|日期)|同意(通过)?验收|审计结果|专项审计|审计局|会计师事务所/, points: 2 },
  { type: 'notice', re: /公示期|予以公示|现予公示|公示时间|监督电话|招聘公告|现公告如下/, points: 2 },
  { type: 'certificate', re: /兹证明|特此证明|统一社会信用代码|法定代表人|交易明细|代发工资|登记机关/, points: 2 },
  { type: 'report', re: /现将.{0,16}(报告|汇报)如下|今年以来|主要做法|存在问题|下一步|打算|取得.{0,4}成效/, points: 1 },
  { type: 'plan', re: /制定本方案|特制定本方案|制定本要点|目标任务|工作措施|总体要求|责任分工|工作分工|活动安排/, points: 1.5 },
  { type: 'official-document', re: /现(将有关事项)?通知如下|现印发给你们|请认真(贯彻|遵照)执行|经.{0,8}研究(决定|同意)/, points: 1.5 },
  { type: 'appointment', re: /挂任|任命|免去|任职|经县委研究决定/, points: 1.5 },
  { type: 'roster', re: /姓名\s.*(性别|身份证)/, points: 1.5 },
  { type: 'ledger', re: /序号\s.*(金额|万元|合计|进度|支付率|投资额)/, points: 1.5 },
];

const SPREADSHEETS: readonly FileFormat[] = ['xlsx', 'xls', 'et', 'ods'];
const SLIDES: readonly FileFormat[] = ['pptx', 'ppt'];

export type TypeEvidence = {
  format: FileFormat;
  /** Title found in the text (may be absent). */
  title?: string;
  /** File name without extension. */
  stem: string;
  /** First part of the text. */
  body: string;
  hasDocNumber: boolean;
  hasRedHeader: boolean;
};

/** The type named by the last word of a title or file name ("（截至11月）", "（第12次）" set aside). */
function endingCue(s: string): Cue | undefined {
  const t = s.replace(/[\s（(【[][^）)】\]]*[）)】\]]$/, '').replace(/\s+/g, '').replace(/(PPT|ppt|副本|复印件|扫描件|打印版|终稿|定稿)$/, '');
  return TITLE_ENDINGS.find((cue) => cue.re.test(t));
}

export function scoreTypes(ev: TypeEvidence): TypeScores {
  const scores = emptyTypeScores();
  if (IMAGE_FORMATS.includes(ev.format)) {
    // A phone picture is filed as a photo even when it shows a licence or a newspaper page: it is bound on a photo page.
    scores.photo += 12;
    return scores;
  }
  const fromTitle = ev.title ? endingCue(ev.title) : undefined;
  const fromStem = endingCue(ev.stem);
  if (fromTitle) scores[fromTitle.type] += fromTitle.points;
  // The file name usually repeats the title: count its 文种 only when it adds something.
  if (fromStem && fromStem.type !== fromTitle?.type) scores[fromStem.type] += fromStem.points * (fromTitle ? 0.6 : 1);
  const names = `${ev.title ?? ''}\n${ev.stem}`;
  for (const cue of NAME_CUES) if (cue.re.test(names)) scores[cue.type] += cue.points;
  for (const cue of BODY_CUES) if (cue.re.test(ev.body)) scores[cue.type] += cue.points;

  if (ev.hasDocNumber) {
    scores['official-document'] += 2.5;
    scores.appointment += 1;
    scores.letter += /函/.test(names) ? 1 : 0;
  }
  if (ev.hasRedHeader) scores['official-document'] += 1.5;
  if (SPREADSHEETS.includes(ev.format)) {
    scores.ledger += 2.5;
    if (/姓名/.test(ev.body) && /身份证|性别/.test(ev.body)) scores.roster += 2;
  }
  // A slide deck is 会议材料 whatever its title says; it is bound as 其他.
  if (SLIDES.includes(ev.format)) scores.other += 5;
  scores.other += 0.5;
  return scores;
}

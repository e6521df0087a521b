import { TYPES_NEEDING_DOC_NUMBER, type CaptionPart, type Finding, type MetadataField, type Readability } from '../../domain/types.js';
import { CAPTION_PART, fieldName, UNREADABLE } from '../../vocabulary.js';
import { itemName, makeFinding, type AnalysisContext, type PreparedEvidence } from '../context.js';

/**
 * Rules on single items: unreadable, out-of-period, missing-metadata, missing-caption, date-mismatch, unfiled.
 * Checks that concern the binder (metadata, captions, dates) look only at filed items — an unfiled item is
 * not bound yet and is reported once, as unfiled (an unreadable file is reported either way). A filed item is reported once, under the first of its
 * indicators in framework order; detail.indicators lists all of them.
 */

const READABILITY_LABEL = (r: Exclude<Readability, 'ok'>): string => UNREADABLE[r].zh;
const READABILITY_ACTION = (r: Exclude<Readability, 'ok'>): string => UNREADABLE[r].fix.zh;

/** Ledgers and rosters are self-made tables: they carry a title and a date, not a 文号 or 责任者. */
const TABLE_TYPES = new Set(['ledger', 'roster']);

export function checkUnreadable(ctx: AnalysisContext, p: PreparedEvidence): Finding | undefined {
  // Reported whether filed or not: an unreadable file has to be requested again either way.
  const readability = p.item.readability;
  const reason = p.item.readError ? `：${p.item.readError.replace(/[。；;.\s]+$/, '')}` : '';
  if (readability === 'ok') {
    // Stored and readable, but not something the binder can place (a HEIC photo): say so before the build does.
    if (!p.item.readError) return undefined;
    return makeFinding(ctx, {
      severity: 'warning',
      kind: 'unreadable',
      indicator: p.indicators[0],
      evidence: [p.item.id],
      message: `${itemName(p.item)}不能装订${reason}。`,
      action: '请按提示转换格式后重新导入，并删除此件。',
      detail: { readability, readError: p.item.readError, indicators: p.indicators, source: p.item.source },
    });
  }
  if (p.readable) return undefined;
  return makeFinding(ctx, {
    severity: 'error',
    kind: 'unreadable',
    indicator: p.indicators[0],
    evidence: [p.item.id],
    message: `${itemName(p.item)}无法读取（${READABILITY_LABEL(readability)}）${reason}，不能装订，也不计入佐证。`,
    action: READABILITY_ACTION(readability),
    detail: { readability, readError: p.item.readError ?? null, indicators: p.indicators, source: p.item.source },
  });
}

export function checkOutOfPeriod(ctx: AnalysisContext, p: PreparedEvidence): Finding | undefined {
  if (!p.outOfPeriod || p.indicators.length === 0 || p.date === undefined) return undefined;
  const which = p.datedBy === 'takenAt' ? '拍摄日期' : '日期';
  const { start, end } = ctx.period;
  return makeFinding(ctx, {
    severity: 'warning',
    kind: 'out-of-period',
    indicator: p.indicators[0],
    evidence: [p.item.id],
    message: `${itemName(p.item)}的${which} ${p.date} 不在考核期（${start} 至 ${end}）内，不计入本期佐证。`,
    action: '请核对日期：若日期录入有误请更正；若确属考核期外的材料，请取消归档或换成考核期内的材料。',
    detail: { date: p.date, datedBy: p.datedBy ?? 'date', periodStart: start, periodEnd: end, indicators: p.indicators },
  });
}

/**
 * The missing fields, their list in words and the action, per combination (bit per field): 10,000 items share a
 * handful. The `missing` array is shared by every finding of that combination (do not change it).
 */
const METADATA_FIELDS: readonly MetadataField[] = ['docNumber', 'issuer', 'date', 'title'];
const METADATA_TEXT = new Map<number, { missing: MetadataField[]; list: string; action: string }>();

function metadataText(mask: number): { missing: MetadataField[]; list: string; action: string } {
  let text = METADATA_TEXT.get(mask);
  if (!text) {
    const missing = METADATA_FIELDS.filter((_, i) => mask & (1 << i));
    const list = missing.map((f) => fieldName(f, 'zh')).join('、');
    const titleHint = missing.includes('title') ? '（没有正式标题的材料，自拟题名请加方括号“[ ]”）' : '';
    text = { missing, list, action: `请对照原件补填${list}${titleHint}。` };
    METADATA_TEXT.set(mask, text);
  }
  return text;
}

export function checkMetadata(ctx: AnalysisContext, p: PreparedEvidence): Finding | undefined {
  if (p.type === 'photo' || p.indicators.length === 0) return undefined;
  const item = p.item;
  const table = TABLE_TYPES.has(p.type);
  // Bits in METADATA_FIELDS order.
  let mask = 0;
  if (!table && TYPES_NEEDING_DOC_NUMBER.includes(p.type) && !item.docNumber?.trim()) mask |= 1;
  if (!table && !item.issuer?.trim()) mask |= 2;
  if (!item.date?.trim()) mask |= 4;
  if (!p.title.trim()) mask |= 8;
  if (mask === 0) return undefined;
  const { missing, list, action } = metadataText(mask);
  return makeFinding(ctx, {
    severity: 'warning',
    kind: 'missing-metadata',
    indicator: p.indicators[0],
    evidence: [item.id],
    message: `${itemName(item)}缺少著录项：${list}，卷内目录中将留空。`,
    action,
    detail: { missing, type: p.type, indicators: p.indicators },
  });
}

/** The caption parts checked, in the order a caption is written. */
const CAPTION_PARTS: readonly CaptionPart[] = ['subject', 'time', 'place', 'people'];

/** The missing caption parts, their list and the action, per combination (bit per part); `missing` is shared. */
const CAPTION_TEXT = new Map<number, { missing: CaptionPart[]; list: string; action: string }>();

function captionText(mask: number): { missing: CaptionPart[]; list: string; action: string } {
  let text = CAPTION_TEXT.get(mask);
  if (!text) {
    const missing = CAPTION_PARTS.filter((_, i) => mask & (1 << i));
    const list = missing.map((k) => CAPTION_PART[k].zh).join('、');
    text = { missing, list, action: `请补写照片说明的${list}${missing.includes('people') ? '（人物请注明职务）' : ''}。` };
    CAPTION_TEXT.set(mask, text);
  }
  return text;
}

export function checkCaption(ctx: AnalysisContext, p: PreparedEvidence): Finding | undefined {
  if (p.type !== 'photo' || p.indicators.length === 0) return undefined;
  const item = p.item;
  const caption = item.caption;
  let mask = 0;
  for (let i = 0; i < CAPTION_PARTS.length; i++) {
    const key = CAPTION_PARTS[i];
    if (caption?.[key]?.trim()) continue;
    // The camera's date stands in for 时间 when the caption leaves it out.
    if (key === 'time' && item.photo?.takenAt) continue;
    mask |= 1 << i;
  }
  if (mask === 0) return undefined;
  const { missing, list, action } = captionText(mask);
  return makeFinding(ctx, {
    severity: 'warning',
    kind: 'missing-caption',
    indicator: p.indicators[0],
    evidence: [item.id],
    message: `照片${itemName(item)}的说明缺少：${list}。`,
    action,
    detail: { missing, indicators: p.indicators },
  });
}

export function checkDateMismatch(ctx: AnalysisContext, p: PreparedEvidence): Finding | undefined {
  if (p.type !== 'photo' || p.indicators.length === 0) return undefined;
  const item = p.item;
  const captionTime = item.caption?.time?.trim();
  const taken = item.photo?.takenAt;
  if (!captionTime || !taken) return undefined;
  const takenDate = taken.slice(0, 10);
  if (captionTime.slice(0, 10) === takenDate) return undefined;
  return makeFinding(ctx, {
    severity: 'warning',
    kind: 'date-mismatch',
    indicator: p.indicators[0],
    evidence: [item.id],
    message: `照片${itemName(item)}说明中的时间 ${captionTime} 与相机记录的拍摄时间 ${takenDate} 不一致。`,
    action: '请核对：若说明写错请更正说明中的时间；若照片并非当天所拍，请换成活动当天的照片。',
    detail: { captionTime, takenAt: taken, indicators: p.indicators },
  });
}

export function checkUnfiled(ctx: AnalysisContext, p: PreparedEvidence): Finding | undefined {
  if (p.indicators.length > 0) return undefined;
  return makeFinding(ctx, {
    severity: 'info',
    kind: 'unfiled',
    evidence: [p.item.id],
    message: `${itemName(p.item)}尚未归入任何指标，不会装订进汇编。`,
    action: '请将其归入相应指标；如无用处，可移入回收站。',
    detail: { type: p.type, source: p.item.source },
  });
}

export function checkEvidenceItems(ctx: AnalysisContext): Finding[] {
  const findings: Finding[] = [];
  const checks = [checkUnreadable, checkOutOfPeriod, checkMetadata, checkCaption, checkDateMismatch, checkUnfiled];
  const items = ctx.evidence;
  for (let i = 0; i < items.length; i++) {
    for (let c = 0; c < checks.length; c++) {
      const finding = checks[c](ctx, items[i]);
      if (finding) findings.push(finding);
    }
  }
  return findings;
}

/**
 * The audit log as XLSX: every history row, oldest first — when, who (本机 when no one was logged in: desktop and
 * CLI), what, which item, before → after in words. The history table is append-only: no code path deletes its
 * rows (撤销 only marks a batch undone, and the log says so).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { REVIEW_STATES } from '../../../shared/domain/types.js';
import { ACTION_WORDS, COLUMN_WORDS } from '../../../shared/history/words.js';
import { REVIEW_STATE } from '../../../shared/vocabulary.js';
import { writeListSheet } from '../api/department-export.js';
import { listHistory, type HistoryEvent, type LinkRecord } from '../db/history.js';
import { safeFileName } from '../generators/package/safe-names.js';
import { describeEvent, describeUndoneEvent } from '../workspace/describe.js';
import type { Workspace } from '../workspace/workspace.js';

/** Who acted when no one was logged in (the desktop, the CLI). */
export const LOCAL_ACTOR = '本机';

const shown = (value: unknown): string => {
  if (value === null || value === undefined || value === '') return '（空）';
  return typeof value === 'string' ? value : JSON.stringify(value);
};

/** A stored value as a person reads it: review states in words, the rest as stored. */
function valueWords(column: string, value: unknown): string {
  const state = column === 'review_state' ? REVIEW_STATES.find((s) => s === value) : undefined;
  return state ? REVIEW_STATE[state].zh : shown(value);
}

const linkWords = (link: LinkRecord | null): string => (link ? `${link.indicator}${link.requirement ? `/${link.requirement}` : ''}（${link.origin === 'user' ? '人工' : '建议'}）` : '（无）');

/** Before → after of one event, in words (the columns a person changed, the links, the figures, the dates). */
export function changeWords(event: HistoryEvent): string {
  switch (event.action) {
    case 'update':
    case 'accept':
    case 'reclassify':
    case 'review-accept':
    case 'review-return': {
      const columns = Object.entries(event.changes)
        .filter(([column]) => COLUMN_WORDS[column])
        .map(([column, pair]) => `${COLUMN_WORDS[column].zh}：${valueWords(column, pair?.[0])} → ${valueWords(column, pair?.[1])}`);
      const links = 'linksBefore' in event && event.linksBefore ? [`归档：${event.linksBefore.map(linkWords).join('、') || '（无）'} → ${event.action === 'reclassify' ? event.linksAfter.map(linkWords).join('、') || '（无）' : '人工确认'}`] : [];
      return [...columns, ...links].join('；');
    }
    case 'link':
      return `${linkWords(event.before)} → ${event.indicator}${event.requirement ? `/${event.requirement}` : ''}（人工）`;
    case 'unlink':
      return `${linkWords(event.before)} → （无）`;
    case 'targets':
      return `目标值 ${shown(event.before.target)} → ${shown(event.after.target)}；实际值 ${shown(event.before.actual)} → ${shown(event.after.actual)}`;
    case 'deadline':
      return `${shown(event.before)} → ${shown(event.after)}`;
    case 'rectify-change':
      return `状态：${event.before.status} → ${event.after.status}`;
    case 'settings':
      return event.before ? `标题：${event.before.title} → ${event.after.title}；考核期：${event.before.periodStart}..${event.before.periodEnd} → ${event.after.periodStart}..${event.after.periodEnd}` : '';
    default:
      return '';
  }
}

/** "2026-12-01 09:30:00": the time in China Standard Time (UTC+8, no daylight saving), as the offices read it. */
function beijingTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Writes the whole audit log into `dir` and returns its path. */
export async function exportAudit(ws: Workspace, dir: string): Promise<string> {
  const { store, now } = ws.teamScope();
  const entries = (await listHistory(store.reader, Number.MAX_SAFE_INTEGER)).reverse();
  const settings = await ws.settings();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, safeFileName(`审计日志_${now().toISOString().slice(0, 10)}.xlsx`));
  await writeListSheet(file, {
    sheet: '审计日志',
    title: `${settings.title} 操作审计日志（共 ${entries.length} 条，导出于 ${beijingTime(now().toISOString())}）`,
    header: ['序号', '时间（北京时间）', '操作人', '操作', '材料', '内容', '变更前 → 变更后'],
    widths: [8, 20, 16, 14, 10, 40, 60],
    rows: entries.map((entry, i) => [
      i + 1,
      beijingTime(entry.at),
      entry.actor ?? LOCAL_ACTOR,
      ACTION_WORDS[entry.event.action]?.zh ?? entry.event.action,
      'evidenceId' in entry.event ? entry.event.evidenceId : '',
      entry.undone ? describeUndoneEvent(entry.event) : describeEvent(entry.event),
      changeWords(entry.event),
    ]),
  });
  return file;
}

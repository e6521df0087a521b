import { EVIDENCE_TYPE_LABELS, type EvidenceType } from '../../../shared/domain/types.js';
import { ACTION_WORDS, COLUMN_WORDS, historyLines, joinWords } from '../../../shared/history/words.js';
import type { HistoryEvent } from '../db/history.js';

/** The fields a person changed (origins and bookkeeping columns follow from them and are not listed). */
function changedFields(changes: Record<string, unknown>): string {
  const shown = Object.keys(changes)
    .filter((c) => !c.endsWith('_origin') && c !== 'type_confidence' && c !== 'user_fields')
    .map((c) => COLUMN_WORDS[c]?.zh ?? c);
  return joinWords(shown);
}

function typeLabel(type: unknown): string {
  return EVIDENCE_TYPE_LABELS[type as EvidenceType]?.zh ?? String(type);
}

/**
 * One readable Chinese line for a history event, from the shared phrase table (shared/history/words.ts), which
 * also gives the workbench its English.
 */
export function describeEvent(event: HistoryEvent): string {
  const say = historyLines.zh;
  const id = 'evidenceId' in event ? event.evidenceId : '';
  switch (event.action) {
    case 'import':
      return say('import', { source: event.source });
    case 'link':
      return say('link', { id, indicator: event.indicator });
    case 'unlink':
      return say('unlink', { id, indicator: event.indicator });
    case 'update':
      return event.changes.type
        ? say('update-type', { id, fields: changedFields(event.changes), type: typeLabel(event.changes.type[1]) })
        : say('update', { id, fields: changedFields(event.changes) });
    case 'accept':
      return say('accept', { id });
    case 'reclassify':
      return say('reclassify', { id });
    case 'delete':
      return say('delete', { id });
    case 'restore':
      return say('restore', { id });
    case 'targets':
      return say('targets', { id: event.id });
    case 'settings':
      return event.before ? say('settings') : say('create');
    case 'rectify-add':
      return say('rectify-add', { item: event.itemId });
    case 'rectify-change':
      return say(`rectify-${event.change}`, { item: event.itemId });
    case 'review-accept':
      return say('review-accept', { id });
    case 'review-return':
      return say('review-return', { id });
    case 'deadline': {
      const scope = event.requirement ?? event.indicator;
      const who = scope ? `${event.department}（${scope}）` : event.department;
      return event.after ? say('deadline', { who, due: event.after }) : say('deadline-clear', { who });
    }
    case 'kit':
      return say('kit', { department: event.department, kit: event.kitId.slice(0, 8) });
    case 'ledger-map':
      return say('ledger-map', { id, sheet: event.sheet, kind: event.kindTitle });
  }
}

/** A history line for an event that was undone later. */
export function describeUndoneEvent(event: HistoryEvent): string {
  return historyLines.zh('marked-undone', { line: describeEvent(event) });
}

/** One user action (a history batch) in one line: the single event itself, or "N 份材料的<动作>". */
export function describeBatch(events: HistoryEvent[]): string {
  if (events.length === 1) return describeEvent(events[0]);
  const actions = joinWords([...new Set(events.map((e) => ACTION_WORDS[e.action].zh))]);
  const items = new Set(events.flatMap((e) => ('evidenceId' in e ? [e.evidenceId] : [])));
  return items.size ? historyLines.zh('batch-items', { n: items.size, actions }) : historyLines.zh('batch-entries', { n: events.length, actions });
}

/** What one undo reverted, in one line. */
export function describeUndo(events: HistoryEvent[]): string {
  return historyLines.zh('undone', { what: describeBatch(events) });
}

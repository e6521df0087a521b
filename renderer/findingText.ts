import { useCallback } from 'react';
import type { Finding, Indicator, Readability } from '../shared/domain/types.js';
import { CAPTION_PART, fieldName, UNREADABLE } from '../shared/vocabulary.js';
import { useWorkspaceData } from './data.js';
import { useI18n, type Lang } from './i18n.js';

/** “1 item” / “3 items”: English needs the plural, Chinese does not. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Units of the framework's targets; an unknown unit stays as written, in quotes. */
const UNIT_EN: Record<string, string> = { 人: 'people', 人次: 'person-times', 万元: '×10,000 yuan', 元: 'yuan', 个: '', 家: 'companies', 项: 'items', '%': '%', 户: 'households', 次: 'times' };
const unitEn = (unit: string): string => (unit ? (UNIT_EN[unit] ?? `“${unit}”`) : '');

/** “1 unreadable” style wording of why a file cannot be read, from the one vocabulary. */
const readabilityEn = (r: Readability): string => (r === 'ok' ? 'not bindable' : UNREADABLE[r].en.replace(/^The file is /, ''));

/**
 * English for a finding, built from its kind and typed detail (the backend's sentences are Chinese). Names
 * from the framework (requirement and target titles) stay as written there, in quotes.
 */
export function englishFinding(f: Finding, indicators: ReadonlyMap<string, Indicator>): { message: string; action: string } {
  const indicator = f.indicator ? indicators.get(f.indicator) : undefined;
  const requirement = indicator?.requirements.find((r) => r.id === f.requirement);
  const target = indicator?.targets.find((t) => t.id === f.target);
  const where = f.indicator ?? '';
  const req = requirement ? `“${requirement.title}”` : 'the required evidence';
  const owner = f.department ? `“${f.department}”` : 'the lead department';
  const item = f.evidence?.length === 1 ? `Item ${f.evidence[0]}` : `Items ${(f.evidence ?? []).join(', ')}`;
  const label = target ? ` “${target.label}”` : '';
  switch (f.kind) {
    case 'missing-evidence':
      return {
        message: `${where}: ${req} is missing — ${plural(f.detail.need || 1, 'document')} needed, none usable yet.`,
        action: `Ask ${owner} for ${req} and file it under ${where}.`,
      };
    case 'too-few':
      return {
        message: `${where}: ${req} has ${f.detail.have} of ${f.detail.need}; ${f.detail.short} more needed.`,
        action: `Ask ${owner} for ${plural(f.detail.short, 'more document')} of ${req} and file them under ${where}.`,
      };
    case 'period-gap': {
      const missing = f.detail.missing;
      const quarterly = missing.some((k) => k.includes('Q'));
      return {
        message: `${where}: ${req} is missing for ${plural(missing.length, quarterly ? 'quarter' : 'month')}: ${missing.join(', ')}.`,
        action: `Ask ${owner} to add them; if the work was done, import the documents with their dates.`,
      };
    }
    case 'out-of-period':
      return {
        message: `${item} is dated ${f.detail.date}, outside the assessment period (${f.detail.periodStart} to ${f.detail.periodEnd}).`,
        action: 'Check the date; if the document belongs to another period, unfile it or replace it.',
      };
    case 'missing-metadata':
      return { message: `${item} lacks: ${f.detail.missing.map((k) => fieldName(k, 'en')).join(', ')}.`, action: 'Fill these in on the item’s form.' };
    case 'missing-caption':
      return {
        message: `Photo ${f.evidence?.[0] ?? ''} lacks caption parts: ${f.detail.missing.map((k) => CAPTION_PART[k].en).join(', ')}.`,
        action: 'Complete the photo caption (subject, time, place, people, photographer).',
      };
    case 'date-mismatch':
      return {
        message: `Photo ${f.evidence?.[0] ?? ''}: the caption time ${f.detail.captionTime} differs from the camera time ${f.detail.takenAt}.`,
        action: 'Check which time is right and correct the caption.',
      };
    case 'target-unmet':
      return {
        message: `${where}${label}: ${f.detail.actual} of ${f.detail.goal} ${unitEn(f.detail.unit)} — not met.`,
        action: 'Check the figure against the ledger; if it is right, explain the gap in the self-assessment.',
      };
    case 'target-missing':
      return {
        message: `${where}${label}: ${f.detail.goal == null ? 'no target value' : 'no achieved value'} filled in.`,
        action: 'Fill in the value in Indicators → agreement targets, with its data source.',
      };
    case 'figures-inconsistent': {
      const d = f.detail;
      const message =
        d.check === 'sum'
          ? `${where}${label}: ${d.totalActual}, but its parts add up to ${d.sum} (${d.difference > 0 ? '+' : ''}${d.difference}).`
          : d.check === 'subtotal-exceeds'
            ? `${where}${label}: a “of which” figure (${d.subtotalActual}) is larger than the total (${d.totalActual}).`
            : `${where}${label}: a part is counted in “${d.check === 'part-unit' ? d.partUnit : d.subtotalUnit}”, the total in “${d.totalUnit}”; they cannot be added.`;
      return { message, action: 'Check the figures against the ledger and correct them.' };
    }
    case 'unreadable':
      return { message: `${item} cannot be read (${readabilityEn(f.detail.readability)}).`, action: 'Export or scan it again as a PDF and import it again.' };
    case 'duplicate':
      return {
        message: `${plural(f.detail.count || (f.evidence?.length ?? 2), 'item')} have the same ${f.detail.match === 'image' ? 'picture' : 'text'}: ${(f.evidence ?? []).join(', ')}.`,
        action: 'Keep one and move the others to the trash.',
      };
    case 'unfiled':
      return { message: `${item} is not filed under any indicator.`, action: 'File it under the indicator it supports.' };
    case 'rectification-overdue':
      return {
        message: `Rectification item “${f.detail.text}” is past its due date ${f.detail.due} and still open${f.detail.department ? ` (responsible: ${f.detail.department})` : ''}.`,
        action: 'Have the responsible department finish it, import the evidence and mark it rectified in Rectification.',
      };
    case 'rectification-unproven':
      return { message: `Rectification item “${f.detail.text}” is marked done, but no evidence is attached.`, action: 'Import evidence that shows it rectified and attach it to the item.' };
    case 'review-pending':
      return { message: f.messageEn ?? f.message, action: 'Open Review: accept each item, or return it with the reason.' };
    case 'overdue':
      return { message: f.messageEn ?? f.message, action: `Remind ${f.detail.department} (a reminder notice can be exported), or change the due date.` };
    default:
      // Ledger findings carry their English sentence and action (shared/ledger/checks.ts).
      return { message: f.messageEn ?? f.message, action: f.detail.actionEn };
  }
}

/** The finding's sentence and action in the workbench's language. */
export function useFindingText(): (f: Finding) => { message: string; action: string } {
  const { lang } = useI18n();
  const { indicators } = useWorkspaceData();
  return useCallback((f) => findingText(f, lang, indicators), [lang, indicators]);
}

export function findingText(f: Finding, lang: Lang, indicators: ReadonlyMap<string, Indicator>): { message: string; action: string } {
  return lang === 'en' ? englishFinding(f, indicators) : { message: f.message, action: f.action };
}

import { useCallback } from 'react';
import type { Finding, Indicator } from '../shared/domain/types.js';
import { useWorkspaceData } from './data.js';
import { useI18n, type Lang } from './i18n.js';

/** “1 item” / “3 items”: English needs the plural, Chinese does not. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const FIELD_EN: Record<string, string> = {
  文号: 'document number',
  题名: 'title',
  责任者: 'issuer',
  日期: 'date',
  事由: 'subject',
  时间: 'time',
  地点: 'place',
  人物: 'people',
  摄影者: 'photographer',
  背景: 'background',
  subject: 'subject',
  time: 'time',
  place: 'place',
  people: 'people',
  photographer: 'photographer',
  background: 'background',
};

/** Units of the framework's targets; an unknown unit stays as written, in quotes. */
const UNIT_EN: Record<string, string> = { 人: 'people', 人次: 'person-times', 万元: '×10,000 yuan', 元: 'yuan', 个: '', 家: 'companies', 项: 'items', '%': '%', 户: 'households', 次: 'times' };
const unitEn = (unit: unknown): string => (typeof unit === 'string' && unit ? (UNIT_EN[unit] ?? `“${unit}”`) : '');

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value) || 0);

/**
 * English for a finding, built from its kind and typed detail (the backend's sentences are Chinese). Names
 * from the framework (requirement and target titles) stay as written there, in quotes.
 */
export function englishFinding(f: Finding, indicators: ReadonlyMap<string, Indicator>): { message: string; action: string } {
  const d = f.detail;
  const indicator = f.indicator ? indicators.get(f.indicator) : undefined;
  const requirement = indicator?.requirements.find((r) => r.id === f.requirement);
  const target = indicator?.targets.find((t) => t.id === f.target);
  const where = f.indicator ?? '';
  const req = requirement ? `“${requirement.title}”` : 'the required evidence';
  const owner = f.department ? `“${f.department}”` : 'the lead department';
  const item = f.evidence?.length === 1 ? `Item ${f.evidence[0]}` : `Items ${(f.evidence ?? []).join(', ')}`;
  const fields = (value: unknown) => list(value).map((k) => FIELD_EN[k] ?? k).join(', ');
  switch (f.kind) {
    case 'missing-evidence':
      return {
        message: `${where}: ${req} is missing — ${plural(num(d.need) || 1, 'document')} needed, none usable yet.`,
        action: `Ask ${owner} for ${req} and file it under ${where}.`,
      };
    case 'too-few':
      return {
        message: `${where}: ${req} has ${num(d.have)} of ${num(d.need)}; ${num(d.short)} more needed.`,
        action: `Ask ${owner} for ${plural(num(d.short), 'more document')} of ${req} and file them under ${where}.`,
      };
    case 'period-gap': {
      const missing = list(d.missing);
      const quarterly = missing.some((k) => k.includes('Q'));
      return {
        message: `${where}: ${req} is missing for ${plural(missing.length, quarterly ? 'quarter' : 'month')}: ${missing.join(', ')}.`,
        action: `Ask ${owner} to add them; if the work was done, import the documents with their dates.`,
      };
    }
    case 'out-of-period':
      return {
        message: `${item} is dated ${String(d.date)}, outside the assessment period (${String(d.periodStart)} to ${String(d.periodEnd)}).`,
        action: 'Check the date; if the document belongs to another period, unfile it or replace it.',
      };
    case 'missing-metadata':
      return { message: `${item} lacks: ${fields(d.missing)}.`, action: 'Fill these in on the item’s form.' };
    case 'missing-caption':
      return { message: `Photo ${f.evidence?.[0] ?? ''} lacks caption parts: ${fields(d.missing)}.`, action: 'Complete the photo caption (subject, time, place, people, photographer).' };
    case 'date-mismatch':
      return {
        message: `Photo ${f.evidence?.[0] ?? ''}: the caption time ${String(d.captionTime)} differs from the camera time ${String(d.takenAt)}.`,
        action: 'Check which time is right and correct the caption.',
      };
    case 'target-unmet':
      return {
        message: `${where} ${target ? `“${target.label}”` : ''}: ${String(d.actual)} of ${String(d.goal)} ${unitEn(d.unit)} — not met.`,
        action: 'Check the figure against the ledger; if it is right, explain the gap in the self-assessment.',
      };
    case 'target-missing':
      return {
        message: `${where} ${target ? `“${target.label}”` : ''}: ${d.goal == null ? 'no target value' : 'no achieved value'} filled in.`,
        action: 'Fill in the value in Indicators → agreement targets, with its data source.',
      };
    case 'figures-inconsistent':
      return { message: `${where}: the figures do not add up (a total and its parts disagree).`, action: 'Check the figures against the ledger and correct them.' };
    case 'unreadable':
      return { message: `${item} cannot be read (${String(d.readability ?? 'unreadable')}).`, action: 'Export or scan it again as a PDF and import it again.' };
    case 'duplicate':
      return {
        message: `${plural(num(d.count) || (f.evidence?.length ?? 2), 'item')} have the same ${d.match === 'image' ? 'picture' : 'text'}: ${(f.evidence ?? []).join(', ')}.`,
        action: 'Keep one and move the others to the trash.',
      };
    case 'unfiled':
      return { message: `${item} is not filed under any indicator.`, action: 'File it under the indicator it supports.' };
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

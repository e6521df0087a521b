import { describe, expect, it } from 'vitest';
import type { Evidence, Finding } from '../../../shared/domain/types.js';
import { lacksCaption } from '../../../renderer/screens/evidenceFilter.js';
import { nextSort, sortEvidence } from '../../../renderer/screens/evidenceSort.js';

const base = { sha256: '0'.repeat(64), size: 1, format: 'pdf', typeOrigin: 'user', typeConfidence: 1, readability: 'ok', importedAt: '', updatedAt: '' } as const;
const item = (id: number, title: string, extra: Partial<Evidence> = {}): Evidence => ({ ...base, id, originalName: `${id}.pdf`, source: `${id}.pdf`, type: 'notice', title, links: [], ...extra });

const list = [
  item(1, '资金使用管理办法', { docNumber: '东府发〔2019〕12号', date: '2019-05-01' }),
  item(2, '安排部署会议纪要', { docNumber: '东府发〔2019〕3号' }),
  item(3, '关于选派挂职干部的通知', { date: '2019-02-01' }),
  item(4, '半年工作报告', { docNumber: '东府发〔2019〕3号', date: '2019-05-01' }),
];
const ctx = { typeLabel: (t: string) => t, findingsByEvidence: new Map<number, Finding[]>() };
const ids = (rows: Evidence[]) => rows.map((r) => r.id);

describe('材料库 sorting', () => {
  it('orders Chinese titles by pinyin, both ways', () => {
    expect(ids(sortEvidence(list, { key: 'title', dir: 'asc' }, ctx))).toEqual([2, 4, 3, 1]);
    expect(ids(sortEvidence(list, { key: 'title', dir: 'desc' }, ctx))).toEqual([1, 3, 4, 2]);
  });

  it('compares numbers inside 文号 as numbers, keeps ties in list order, and puts empty values last either way', () => {
    expect(ids(sortEvidence(list, { key: 'doc', dir: 'asc' }, ctx))).toEqual([2, 4, 1, 3]);
    expect(ids(sortEvidence(list, { key: 'doc', dir: 'desc' }, ctx))).toEqual([1, 2, 4, 3]);
    expect(ids(sortEvidence(list, { key: 'date', dir: 'desc' }, ctx))).toEqual([1, 4, 3, 2]);
  });

  it('puts items needing work first when sorting by 状态', () => {
    const findings = new Map<number, Finding[]>([[3, [{ id: 'f', severity: 'warning', kind: 'unfiled', message: '', action: '', detail: { type: 'other', source: 'a.pdf' } }]]]);
    const broken = [...list, item(5, '损坏', { readability: 'corrupt' })];
    expect(ids(sortEvidence(broken, { key: 'state', dir: 'asc' }, { ...ctx, findingsByEvidence: findings }))).toEqual([5, 3, 1, 2, 4]);
  });

  it('a header click starts ascending and flips on the same column', () => {
    expect(nextSort(null, 'date')).toEqual({ key: 'date', dir: 'asc' });
    expect(nextSort({ key: 'date', dir: 'asc' }, 'date')).toEqual({ key: 'date', dir: 'desc' });
    expect(nextSort({ key: 'date', dir: 'desc' }, 'title')).toEqual({ key: 'title', dir: 'asc' });
  });
});

describe('caption filter', () => {
  it('a photo lacks its caption when the analysis says so or when nothing is written', () => {
    const photo = item(9, '[照片]', { type: 'photo', format: 'jpeg' });
    expect(lacksCaption(photo, undefined)).toBe(true);
    expect(lacksCaption({ ...photo, caption: { subject: '座谈会' } }, undefined)).toBe(false);
    const finding: Finding = { id: 'c', severity: 'warning', kind: 'missing-caption', evidence: [9], message: '', action: '', detail: { missing: ['place'], indicators: ['1.1'] } };
    expect(lacksCaption({ ...photo, caption: { subject: '座谈会' } }, [finding])).toBe(true);
    expect(lacksCaption(item(1, '文件'), undefined)).toBe(false);
  });
});

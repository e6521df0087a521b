import { describe, expect, it } from 'vitest';
import { isFinding, type FindingKind, type GapReport } from '../../../shared/domain/types.js';
import { analyze, link, makeEvidence } from './fixture.js';

const only = <K extends FindingKind>(report: GapReport, kind: K) => {
  const found = report.findings.filter(isFinding(kind));
  expect(found).toHaveLength(1);
  return found[0];
};

describe('out-of-period', () => {
  it('flags a filed item dated before the period', () => {
    const item = makeEvidence(7, { type: 'letter', title: '关于开展对接工作的函', date: '2018-11-05', links: [link('2.1'), link('1.3')] });
    const f = only(analyze([item]), 'out-of-period');
    expect(f.severity).toBe('warning');
    expect(f.indicator).toBe('1.3');
    expect(f.evidence).toEqual([7]);
    expect(f.message).toContain('《关于开展对接工作的函》的日期 2018-11-05 不在考核期（2019-01-01 至 2019-12-31）内');
    expect(f.detail.indicators).toEqual(['1.3', '2.1']);
    expect(f.id).toBe('out-of-period:1.3::7');
  });

  it("uses a photo's EXIF date when it has no date of its own", () => {
    const photo = makeEvidence(8, {
      type: 'photo',
      title: '考察照片',
      date: undefined,
      photo: { takenAt: '2020-01-03T10:00:00' },
      caption: { subject: '考察', place: '某村', people: '县长张三' },
      links: [link('1.3')],
    });
    const f = only(analyze([photo]), 'out-of-period');
    expect(f.message).toContain('拍摄日期 2020-01-03');
  });

  it('ignores items inside the period (edges included) and unfiled items', () => {
    const items = [
      makeEvidence(1, { type: 'letter', date: '2019-01-01', links: [link('1.3')] }),
      makeEvidence(2, { type: 'letter', date: '2019-12-31', links: [link('1.3')] }),
      makeEvidence(3, { type: 'letter', date: '2017-01-01' }),
    ];
    expect(analyze(items).findings.filter((f) => f.kind === 'out-of-period')).toEqual([]);
  });
});

describe('missing-metadata', () => {
  it('lists 文号 and 责任者 missing on an appointment document', () => {
    const doc = makeEvidence(3, { type: 'appointment', title: '关于张三同志挂职的通知', issuer: undefined, links: [link('2.1')] });
    const f = only(analyze([doc]), 'missing-metadata');
    expect(f.severity).toBe('warning');
    expect(f.indicator).toBe('2.1');
    expect(f.department).toBe('县委组织部');
    expect(f.detail.missing).toEqual(['docNumber', 'issuer']);
    expect(f.message).toContain('缺少著录项：文号、责任者');
  });

  it('asks a document for 日期 and 题名 and explains self-made titles', () => {
    const doc = makeEvidence(4, { type: 'letter', title: ' ', date: undefined, links: [link('1.3')] });
    const f = only(analyze([doc]), 'missing-metadata');
    expect(f.detail.missing).toEqual(['date', 'title']);
    expect(f.message).toContain('《file-4.pdf》');
    expect(f.action).toContain('方括号');
  });

  it('needs only 题名 and 日期 on ledgers', () => {
    const ledger = makeEvidence(5, { type: 'ledger', title: '转移就业台账', issuer: undefined, links: [link('5.2')] });
    expect(analyze([ledger]).findings.filter((f) => f.kind === 'missing-metadata')).toEqual([]);
    const undated = makeEvidence(6, { type: 'ledger', title: '转移就业台账', issuer: undefined, date: undefined, links: [link('5.2')] });
    expect(only(analyze([undated]), 'missing-metadata').detail.missing).toEqual(['date']);
  });
});

describe('missing-caption', () => {
  it('lists missing caption elements by their Chinese names; EXIF time fills 时间', () => {
    const photo = makeEvidence(9, {
      type: 'photo',
      format: 'jpeg',
      title: '东西部协作座谈会',
      photo: { takenAt: '2019-05-12T09:30:00' },
      caption: { subject: '东西部协作座谈会' },
      links: [link('1.3')],
    });
    const f = only(analyze([photo]), 'missing-caption');
    expect(f.severity).toBe('warning');
    expect(f.detail.missing).toEqual(['place', 'people']);
    expect(f.message).toBe('照片《东西部协作座谈会》的说明缺少：地点、人物。');
    expect(f.action).toContain('职务');
  });

  it('asks for 时间 when neither the caption nor EXIF has it', () => {
    const photo = makeEvidence(10, { type: 'photo', caption: { subject: 'a', place: 'b', people: 'c' }, links: [link('1.3')] });
    expect(only(analyze([photo]), 'missing-caption').detail.missing).toEqual(['time']);
  });
});

describe('date-mismatch', () => {
  it('flags a caption date that differs from the EXIF date', () => {
    const photo = makeEvidence(11, {
      type: 'photo',
      title: '领导小组会议',
      photo: { takenAt: '2019-05-12T09:30:00' },
      caption: { subject: '会议', time: '2019-05-10', place: '县政府', people: '县长张三' },
      links: [link('1.3')],
    });
    const f = only(analyze([photo]), 'date-mismatch');
    expect(f.severity).toBe('warning');
    expect(f.message).toContain('2019-05-10');
    expect(f.message).toContain('2019-05-12');
    expect(f.detail).toMatchObject({ captionTime: '2019-05-10', takenAt: '2019-05-12T09:30:00' });
  });

  it('accepts a caption date equal to the EXIF day', () => {
    const photo = makeEvidence(12, {
      type: 'photo',
      photo: { takenAt: '2019-05-12T23:59:00' },
      caption: { subject: '会议', time: '2019-05-12', place: '县政府', people: '县长张三' },
      links: [link('1.3')],
    });
    expect(analyze([photo]).findings.filter((f) => f.kind === 'date-mismatch')).toEqual([]);
  });
});

describe('unreadable', () => {
  it('reports a filed encrypted PDF as an error with its read error', () => {
    const pdf = makeEvidence(13, {
      type: 'letter',
      title: '对接函',
      readability: 'encrypted',
      readError: 'PDF 设有打开密码',
      links: [link('1.3')],
    });
    const f = only(analyze([pdf]), 'unreadable');
    expect(f.severity).toBe('error');
    expect(f.indicator).toBe('1.3');
    expect(f.message).toContain('《对接函》无法读取（文件已加密）：PDF 设有打开密码');
    expect(f.detail).toMatchObject({ readability: 'encrypted', readError: 'PDF 设有打开密码' });
    expect(f.action).toContain('未加密');
  });

  it('reports a corrupt file even before it is filed, without doubling the full stop of its reason', () => {
    const pdf = makeEvidence(15, { title: '工作总结', readability: 'corrupt', readError: 'PDF 文件已损坏，请重新索取。' });
    const report = analyze([pdf]);
    const f = only(report, 'unreadable');
    expect(f.severity).toBe('error');
    expect(f.indicator).toBeUndefined();
    expect(f.message).toBe('《工作总结》无法读取（文件已损坏）：PDF 文件已损坏，请重新索取，不能装订，也不计入佐证。');
    expect(report.findings.some((x) => x.kind === 'unfiled' && x.evidence?.includes(15))).toBe(true);
  });

  it('warns about a stored photo the binder cannot place (HEIC)', () => {
    const heic = makeEvidence(16, { type: 'photo', format: 'heic', title: 'IMG_0001', readError: 'HEIC 照片暂不能排版，请另存为 JPG 后导入', links: [link('1.3')] });
    const f = only(analyze([heic]), 'unreadable');
    expect(f.severity).toBe('warning');
    expect(f.message).toBe('《IMG_0001》不能装订：HEIC 照片暂不能排版，请另存为 JPG 后导入。');
  });
});

describe('unfiled', () => {
  it('is information only, without an indicator', () => {
    const f = only(analyze([makeEvidence(14, { title: '某材料' })]), 'unfiled');
    expect(f.severity).toBe('info');
    expect(f.indicator).toBeUndefined();
    expect(f.message).toBe('《某材料》尚未归入任何指标，不会装订进汇编。');
    expect(f.id).toBe('unfiled:::14');
  });
});

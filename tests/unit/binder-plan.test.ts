import { describe, expect, it } from 'vitest';
import { buildBinderPlan, formatItemNumber as formatNumber, layoutVolume, type BinderPlan } from '../../shared/binder/plan.js';
import type { Evidence, EvidenceType, FileFormat, Framework, GapReport, WorkspaceSettings } from '../../shared/domain/types.js';

const framework: Framework = {
  id: 'f',
  title: '测试框架',
  categories: [
    {
      code: '1',
      title: '组织领导',
      indicators: [
        { code: '1.1', title: '党委政府研究部署', requirements: [{ id: '1.1-1', title: '会议纪要', type: 'minutes', min: 1, period: 'once', mandatory: true }], targets: [] },
        { code: '1.2', title: '领导小组及工作机制', requirements: [], targets: [] },
      ],
    },
    { code: '2', title: '人才交流', indicators: [{ code: '2.1', title: '党政干部挂职', requirements: [], targets: [] }] },
    { code: '8', title: '创新工作（加分）', bonus: true, indicators: [{ code: '8.1', title: '向深度贫困地区倾斜', requirements: [], targets: [] }] },
    { code: '9', title: '负面清单', negative: true, indicators: [{ code: '9.1', title: '未完成协议指标', requirements: [], targets: [] }] },
  ],
};

const settings: WorkspaceSettings = {
  title: '某县2019年考核',
  unit: '某县协作办',
  periodStart: '2019-01-01',
  periodEnd: '2019-12-31',
  frameworkId: 'f',
};

const noGaps: GapReport = {
  summary: { completeness: 0, counts: { error: 0, warning: 0, info: 0 }, categories: [], departments: [] },
  findings: [],
};

let id = 0;
function ev(type: EvidenceType, indicators: string[], extra: Partial<Evidence> = {}): Evidence {
  id += 1;
  const format: FileFormat = type === 'photo' ? 'jpeg' : 'pdf';
  return {
    id,
    sha256: `sha${id}`,
    size: 1000,
    originalName: `文件${id}.${format === 'jpeg' ? 'jpg' : 'pdf'}`,
    source: `x/${id}`,
    format,
    type,
    typeOrigin: 'user',
    typeConfidence: 1,
    title: `材料${id}`,
    readability: 'ok',
    pages: 2,
    links: indicators.map((indicator) => ({ indicator, origin: 'user', confidence: 1 })),
    importedAt: '2019-12-01T00:00:00Z',
    updatedAt: '2019-12-01T00:00:00Z',
    ...extra,
  };
}

function plan(evidence: Evidence[], options = {}, s: WorkspaceSettings = settings): BinderPlan {
  return buildBinderPlan(framework, s, evidence, noGaps, [], options, { generatedAt: '2019-12-20T00:00:00Z' });
}

describe('buildBinderPlan', () => {
  it('makes one volume per category, skipping an empty negative list and an empty bonus category', () => {
    const p = plan([ev('minutes', ['1.1'])]);
    expect(p.volumes.map((v) => v.label)).toEqual(['第1卷 组织领导', '第2卷 人才交流']);
    const withNegative = plan([ev('minutes', ['1.1']), ev('report', ['9.1']), ev('report', ['8.1'])]);
    expect(withNegative.volumes.map((v) => v.name)).toEqual(['组织领导', '人才交流', '创新工作（加分）', '负面清单']);
  });

  it('orders items by archival type, then date, then id, and runs 件号 on across volumes', () => {
    const items = [
      ev('news', ['1.1'], { date: '2019-01-01' }),
      ev('photo', ['1.1'], { date: '2019-02-01' }),
      ev('minutes', ['1.1'], { date: '2019-05-01' }),
      ev('official-document', ['1.1'], { date: '2019-06-01' }),
      ev('minutes', ['1.1'], { date: '2019-03-01' }),
      ev('agreement', ['1.2']),
      ev('official-document', ['2.1']),
    ];
    const p = plan(items);
    const first = p.volumes[0];
    expect(first.items.map((i) => [i.number, i.type, i.date])).toEqual([
      ['0001', 'official-document', '20190601'],
      ['0002', 'minutes', '20190301'],
      ['0003', 'minutes', '20190501'],
      ['0004', 'photo', '20190201'],
      ['0005', 'news', '20190101'],
      ['0006', 'agreement', undefined],
    ]);
    // 件号 continue in the next volume, so no two documents share a 档号.
    expect(p.volumes[1].items.map((i) => i.number)).toEqual(['0007']);
  });

  it('writes 档号 when 全宗号 is set', () => {
    const p = plan([ev('minutes', ['1.1'])], {}, { ...settings, fonds: 'Z109' });
    expect(p.volumes[0].items[0].archivalCode).toBe('Z109-WS·2019-D30-XZB-0001');
    const own = plan([ev('minutes', ['1.1'])], {}, { ...settings, fonds: 'Z109', orgCode: 'HZB' });
    expect(own.volumes[0].items[0].archivalCode).toBe('Z109-WS·2019-D30-HZB-0001');
    expect(plan([ev('minutes', ['1.1'])]).volumes[0].items[0].archivalCode).toBeUndefined();
    const many = plan([ev('minutes', ['1.1']), ev('minutes', ['1.2']), ev('minutes', ['2.1']), ev('minutes', ['2.1'])], { maxPagesPerVolume: 4 }, { ...settings, fonds: 'Z109' });
    const codes = many.volumes.flatMap((v) => v.items.map((i) => i.archivalCode));
    expect(many.volumes.length).toBeGreaterThan(2);
    expect(new Set(codes).size).toBe(4);
  });

  it('binds a file linked to two indicators once, at the first in framework order, with a 参见 elsewhere', () => {
    const shared = ev('official-document', ['2.1', '1.2']);
    const p = plan([ev('minutes', ['1.1']), shared]);
    const bound = p.volumes.flatMap((v) => v.items.filter((i) => i.evidenceId === shared.id).map((i) => ({ v: v.number, i })));
    expect(bound).toHaveLength(1);
    expect(bound[0].v).toBe(1);
    expect(bound[0].i.indicator).toBe('1.2');
    expect(bound[0].i.alsoUnder).toEqual(['2.1']);
    const talent = p.volumes[1].sections.find((s) => s.indicatorCode === '2.1');
    expect(talent?.blocks).toHaveLength(0);
    expect(talent?.crossReferences[0].text).toBe('参见第1卷 件号0002（1.2 领导小组及工作机制）');
    const rows = layoutVolume(p.volumes[1], { itemPages: () => 1 }).rows;
    expect(rows.find((r) => r.kind === 'cross-reference')).toMatchObject({ remarks: '见第1卷0002' });
  });

  it('brackets self-made titles: photos and titles taken from the file name', () => {
    const photo = ev('photo', ['1.1'], { title: 'IMG_0001', caption: { subject: '签约仪式' } });
    const fromName = ev('minutes', ['1.1'], { title: '纪要扫描', originalName: '纪要扫描.pdf' });
    const real = ev('official-document', ['1.1'], { title: '关于印发工作要点的通知' });
    const p = plan([photo, fromName, real], { edition: 'review' });
    const titles = new Map(p.volumes[0].items.map((i) => [i.evidenceId, i.title]));
    expect(titles.get(photo.id)).toBe('[签约仪式]');
    expect(titles.get(fromName.id)).toBe('[纪要扫描]');
    expect(titles.get(real.id)).toBe('关于印发工作要点的通知');
    // The review edition flags the file-name title for the office.
    expect(p.warnings.filter((w) => w.kind === 'filename-title').map((w) => w.item)).toEqual([p.volumes[0].items.find((i) => i.evidenceId === fromName.id)?.number]);
  });

  it('trusts where a title came from: the document’s own title is never bracketed, even when the file is named after it', () => {
    const named = ev('official-document', ['1.1'], { title: '关于成立领导小组的通知', originalName: '关于成立领导小组的通知.pdf', titleOrigin: 'text' });
    const guessed = ev('minutes', ['1.1'], { title: '五月份会议', originalName: 'x.pdf', titleOrigin: 'filename' });
    const typed = ev('report', ['1.1'], { title: '[自评报告]', titleOrigin: 'user' });
    const titles = new Map(plan([named, guessed, typed], { edition: 'review' }).volumes[0].items.map((i) => [i.evidenceId, i.title]));
    expect(titles.get(named.id)).toBe('关于成立领导小组的通知');
    expect(titles.get(guessed.id)).toBe('[五月份会议]');
    expect(titles.get(typed.id)).toBe('[自评报告]');
  });

  it('groups consecutive photos two to a page and picks the render for each format', () => {
    const p = plan([
      ev('photo', ['1.1']),
      ev('photo', ['1.1']),
      ev('photo', ['1.1']),
      ev('plan', ['1.1'], { format: 'docx', pages: undefined }),
      ev('minutes', ['1.1'], { readability: 'encrypted' }),
      ev('certificate', ['1.1'], { format: 'jpeg' }),
    ], { edition: 'review' });
    const blocks = p.volumes[0].sections[0].blocks;
    expect(blocks.map((b) => (b.kind === 'photos' ? `photos:${b.items.length}` : b.item.render.kind))).toEqual([
      'convert',
      'placeholder',
      'image',
      'photos:2',
      'photos:1',
    ]);
    const encrypted = p.volumes[0].items.find((i) => i.render.kind === 'placeholder');
    expect(encrypted?.remarks).toContain('加密');
    expect(p.volumes[0].notes.some((n) => n.includes('无法装订'))).toBe(true);
  });

  it('binds a file too complex to read as a placeholder page that says why, remarked in the catalogue (review edition)', () => {
    const reason = '文件结构过于复杂，无法读取，请另存为PDF后重新导入';
    const p = plan([ev('minutes', ['1.1'], { readability: 'complex', readError: reason })], { edition: 'review' });
    const item = p.volumes[0].items[0];
    expect(item.render).toMatchObject({ kind: 'placeholder', reason });
    expect(item.remarks).toContain('结构过于复杂');
  });

  it('splits a thick volume into 上/下 (and （一）（二）（三）) without cutting an item', () => {
    const items = Array.from({ length: 10 }, () => ev('minutes', ['1.1'], { pages: 10 }));
    const two = plan(items, { maxPagesPerVolume: 60 });
    expect(two.volumes.map((v) => v.label)).toEqual(['第1卷 组织领导（上）', '第2卷 组织领导（下）', '第3卷 人才交流']);
    expect(two.volumes[1].sections[0].continued).toBe(true);
    expect(two.volumes[0].items.length + two.volumes[1].items.length).toBe(10);
    expect(two.volumes[1].items[0].number).toBe(formatNumber(two.volumes[0].items.length + 1));
    const three = plan(items, { maxPagesPerVolume: 40 });
    expect(three.volumes.slice(0, 3).map((v) => v.part)).toEqual(['一', '二', '三']);
    const bySize = plan(items.map((e) => ({ ...e, size: 30_000_000 })), { maxBytesPerVolume: 100_000_000 });
    expect(bySize.volumes.filter((v) => v.categoryCodes[0] === '1')).toHaveLength(4);
  });

  it('puts everything in one volume when asked', () => {
    const p = plan([ev('minutes', ['1.1']), ev('minutes', ['2.1'])], { singleVolume: true });
    expect(p.volumes).toHaveLength(1);
    expect(p.volumes[0].items.map((i) => i.number)).toEqual(['0001', '0002']);
  });

  it('lists unfiled evidence as not bound', () => {
    const p = plan([ev('minutes', []), ev('minutes', ['7.7'])]);
    expect(p.unfiled).toHaveLength(2);
    expect(p.warnings[0]).toMatchObject({ kind: 'unfiled', message: expect.stringContaining('未归入任何指标') });
  });

  it('is deterministic', () => {
    const items = [ev('minutes', ['1.1', '2.1']), ev('photo', ['1.1']), ev('news', ['1.2'])];
    expect(JSON.stringify(plan(items))).toBe(JSON.stringify(plan([...items].reverse())));
  });
});

describe('the submission edition (报送版)', () => {
  const fileName = ev('minutes', ['1.1'], { title: 'IMG_20190925_160233', originalName: 'IMG_20190925_160233.pdf', titleOrigin: 'filename' });
  const photoNoCaption = ev('photo', ['1.2'], { title: 'IMG_0007', originalName: 'IMG_0007.jpg', links: [{ indicator: '1.2', requirement: '1.2-p', origin: 'user', confidence: 1 }] });
  const confirmed = ev('official-document', ['1.1'], { date: '2019-03-01' });
  const suggested = ev('minutes', [], { links: [{ indicator: '1.1', origin: 'suggested', confidence: 0.8 }] });
  const suggested2 = ev('minutes', [], { links: [{ indicator: '2.1', origin: 'suggested', confidence: 0.7 }] });
  const outOfPeriod = ev('photo', ['1.2'], { date: '2018-11-02', caption: { subject: '往年座谈会' } });
  const encrypted = ev('minutes', ['2.1'], { readability: 'encrypted', title: '挂职干部名单' });
  const first = ev('photo', ['1.2'], { caption: { subject: '签约仪式', place: '县政府' }, date: '2019-05-01' });
  const twin = ev('photo', ['2.1'], { caption: { subject: '签约仪式', place: '市政府' }, date: '2019-05-01' });
  const all = [fileName, photoNoCaption, confirmed, suggested, suggested2, outOfPeriod, encrypted, first, twin];
  const gaps: GapReport = {
    ...noGaps,
    findings: [
      { id: 'dup', severity: 'warning', kind: 'duplicate', indicator: '1.2', evidence: [first.id, twin.id], message: '疑似重复照片', action: '请删除', detail: { fingerprints: [], match: 'image', count: 2 } },
      { id: 'm', severity: 'error', kind: 'missing-evidence', indicator: '1.1', message: '缺失会议纪要', action: '请补充', detail: { have: 0, need: 1, min: 1, period: 'once' } },
    ],
  };
  const build = (edition?: 'submission' | 'review'): BinderPlan =>
    buildBinderPlan(framework, settings, all, gaps, [], edition ? { edition } : {}, { generatedAt: '2019-12-20T00:00:00Z' });
  const bound = (p: BinderPlan) => p.volumes.flatMap((v) => v.items.map((i) => i.evidenceId));

  it('is the default, binds only confirmed, in-period, readable filings, each once', () => {
    const p = build();
    expect(p.options.edition).toBe('submission');
    expect(bound(p).sort((a, b) => a - b)).toEqual([fileName.id, photoNoCaption.id, confirmed.id, first.id]);
    // The twin photo is a 参见 at its own indicator, pointing at the bound copy.
    const talent = p.volumes[1].sections.find((s) => s.indicatorCode === '2.1');
    expect(talent?.crossReferences.map((r) => r.evidenceId)).toEqual([first.id]);
    expect(p.leftOut.map((l) => [l.evidenceId, l.kind]).sort()).toEqual(
      [
        [suggested.id, 'unconfirmed'],
        [suggested2.id, 'unconfirmed'],
        [outOfPeriod.id, 'out-of-period'],
        [encrypted.id, 'unreadable'],
        [twin.id, 'duplicate'],
      ].sort(),
    );
  });

  it('warns once for all unconfirmed suggestions, and names each item left out with its volume', () => {
    const p = build();
    const unconfirmed = p.warnings.filter((w) => w.kind === 'unconfirmed');
    expect(unconfirmed).toHaveLength(1);
    expect(unconfirmed[0].message).toContain('有 2 件');
    expect(unconfirmed[0].message).toContain('材料库 → 待确认');
    expect(p.warnings.find((w) => w.kind === 'unreadable')).toMatchObject({ volume: '第2卷 人才交流', item: '《挂职干部名单》' });
    expect(p.warnings.find((w) => w.kind === 'out-of-period')?.message).toContain('2018-11-02');
    expect(p.warnings.find((w) => w.kind === 'duplicate')).toMatchObject({ volume: '第2卷 人才交流' });
    // A mandatory slot left empty still builds, and says so.
    expect(p.warnings.filter((w) => w.kind === 'empty-slot')).toEqual([
      expect.objectContaining({ volume: '第1卷 组织领导', message: expect.stringContaining('有 1 项必备材料在报送版中没有装订任何材料：1.1“会议纪要”') }),
    ]);
  });

  it('carries no findings, gaps or completeness, and no title made from a file name', () => {
    const p = build();
    expect(p.selfCheck).toBeUndefined();
    const text = JSON.stringify(p.volumes);
    expect(text).not.toMatch(/缺失|不全|请补充|错误/);
    expect(p.volumes.flatMap((v) => v.sections.flatMap((s) => s.findings))).toEqual([]);
    const titles = new Map(p.volumes.flatMap((v) => v.items.map((i) => [i.evidenceId, i.title])));
    expect(titles.get(fileName.id)).toBe('[会议纪要]');
    expect(titles.get(photoNoCaption.id)).toBe('[领导小组及工作机制]');
    const printed = p.volumes.flatMap((v) => v.items.flatMap((i) => [i.title, i.caption?.title ?? '']));
    expect(printed.filter((t) => t.includes('IMG_'))).toEqual([]);
  });

  it('the review edition keeps everything with the self-check', () => {
    const p = build('review');
    expect(bound(p)).toHaveLength(all.length);
    expect(p.leftOut).toHaveLength(0);
    expect(p.selfCheck?.findings.map((f) => f.message)).toContain('缺失会议纪要');
    expect(p.volumes[0].sections[0].findings.map((f) => f.message)).toContain('缺失会议纪要');
    expect(p.volumes[0].notes.join('')).toMatch(/缺失|不全/);
  });
});

describe('layoutVolume', () => {
  it('numbers from the first divider, photo pairs share a page, the last row shows a range', () => {
    const p = plan([ev('minutes', ['1.1'], { pages: 3 }), ev('photo', ['1.1']), ev('photo', ['1.1']), ev('plan', ['1.2'], { format: 'docx' })]);
    const layout = layoutVolume(p.volumes[0], {
      itemPages: (item) => (item.render.kind === 'convert' ? 4 : (item.knownPages ?? 1)),
      dividerPages: (i) => (i === 0 ? 2 : 1),
    });
    const rows = layout.rows.map((r) => (r.kind === 'item' ? `${r.number}@${r.pageText}` : r.kind === 'indicator' ? `ind${r.indicatorCode}@${r.page}` : 'ref'));
    // 1.1 divider 2 pages (1–2), minutes 3–5, photo page 6, 1.2 divider 7, plan 8–11.
    expect(rows).toEqual(['ind1.1@1', '0001@3', '0002@6', '0003@6', 'ind1.2@7', '0004@8-11']);
    expect(layout.numberedPages).toBe(11);
  });

  it('marks failed conversions 无法转换 with a one-page placeholder', () => {
    const p = plan([ev('plan', ['1.1'], { format: 'docx' })]);
    const item = p.volumes[0].items[0];
    const layout = layoutVolume(p.volumes[0], { itemPages: () => 5, failedConversions: new Set([item.number]) });
    const row = layout.rows.find((r) => r.kind === 'item');
    expect(row).toMatchObject({ pages: 1, remarks: '无法转换' });
    expect(layout.notes.some((n) => n.includes('未能转换为 PDF'))).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { folderNamesOf, folderStem } from '../../shared/classify/folders.js';
import { classify, trainModel, type ClassifierModel, type ClassifyInput } from '../../shared/classify/classify.js';
import { EVIDENCE_TYPES, type EvidenceType, type FileFormat, type Framework } from '../../shared/domain/types.js';
import { parseFramework } from '../../shared/framework/schema.js';

type Labelled = { fileName: string; text: string; format: FileFormat; type: EvidenceType; indicators: string[] };

const root = new URL('../../', import.meta.url);
const load = <T>(path: string): T => JSON.parse(readFileSync(new URL(path, root), 'utf8')) as T;
const framework2017 = parseFramework(load('templates/frameworks/east-west-2017.json'), 'east-west-2017.json');
/** Dev set: written before the classifier; its rules were adjusted while looking at it. */
const items = load<Labelled[]>('tests/fixtures/labelled/items.json');
/** Holdout: written after the rules were frozen; never tuned against. */
const holdout = load<Labelled[]>('tests/fixtures/labelled/holdout.json');

const input = (item: Labelled): ClassifyInput => ({ fileName: item.fileName, text: item.text, format: item.format });

function measure(set: Labelled[], framework: Framework, model?: ClassifierModel) {
  let type = 0;
  let top1 = 0;
  let complete = 0;
  let suggested = 0;
  let wrongExtra = 0;
  const confidences: { confidence: number; right: boolean }[] = [];
  for (const item of set) {
    const s = classify(input(item), framework, model);
    if (s.type === item.type) type++;
    const first = s.indicators[0];
    if (first) {
      suggested++;
      const right = item.indicators.includes(first.code);
      if (right) top1++;
      confidences.push({ confidence: first.confidence, right });
    }
    if (item.indicators.every((code) => s.indicators.some((i) => i.code === code))) complete++;
    wrongExtra += s.indicators.filter((i) => !item.indicators.includes(i.code)).length;
  }
  const n = set.length;
  return { n, type: type / n, top1: top1 / n, complete: complete / n, suggested, wrongExtra, confidences };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

describe('classifier on the labelled 2017 set (no training on test items)', () => {
  it('covers every type and every indicator of categories 1–7 several times', () => {
    const types = new Map<string, number>();
    const codes = new Map<string, number>();
    for (const item of [...items, ...holdout]) {
      types.set(item.type, (types.get(item.type) ?? 0) + 1);
      for (const c of item.indicators) codes.set(c, (codes.get(c) ?? 0) + 1);
    }
    expect(items.length).toBeGreaterThanOrEqual(120);
    for (const t of EVIDENCE_TYPES) expect(types.get(t) ?? 0, t).toBeGreaterThanOrEqual(4);
    const required = framework2017.categories.filter((c) => Number(c.code) <= 7).flatMap((c) => c.indicators.map((i) => i.code));
    expect(required).toHaveLength(23);
    for (const code of required) expect(codes.get(code) ?? 0, code).toBeGreaterThanOrEqual(4);
  });

  it('suggests the right type and first indicator for most files', () => {
    const dev = measure(items, framework2017);
    const held = measure(holdout, framework2017);
    console.log(
      `[classify] dev set (${dev.n} files): type ${pct(dev.type)}, indicator top-1 ${pct(dev.top1)}, all labelled indicators suggested ${pct(dev.complete)}, files with a suggestion ${dev.suggested}, wrong extra indicators ${dev.wrongExtra}`,
    );
    console.log(
      `[classify] holdout (${held.n} files, never tuned on): type ${pct(held.type)}, indicator top-1 ${pct(held.top1)}, all labelled indicators suggested ${pct(held.complete)}, wrong extra indicators ${held.wrongExtra}`,
    );
    // Floors sit a few points under the measured figures (dev 99.3% / 84.8%, holdout 96.4% / 89.3%), so a
    // regression of two or three files fails while the honest holdout figure is what we quote.
    expect(dev.type).toBeGreaterThanOrEqual(0.95);
    expect(dev.top1).toBeGreaterThanOrEqual(0.8);
    expect(held.type).toBeGreaterThanOrEqual(0.89);
    expect(held.top1).toBeGreaterThanOrEqual(0.82);
  });

  it('gives confidences that mean something: high-confidence suggestions are right more often', () => {
    const { confidences } = measure([...items, ...holdout], framework2017);
    const high = confidences.filter((c) => c.confidence >= 0.9);
    const low = confidences.filter((c) => c.confidence < 0.9);
    const rate = (xs: typeof confidences) => xs.filter((c) => c.right).length / xs.length;
    console.log(`[classify] indicator confidence ≥ 0.9: ${high.length} files, ${pct(rate(high))} right; < 0.9: ${low.length} files, ${pct(rate(low))} right`);
    expect(high.length).toBeGreaterThan(50);
    expect(low.length).toBeGreaterThan(5);
    expect(rate(high)).toBeGreaterThan(rate(low));
    for (const c of confidences) {
      expect(c.confidence).toBeGreaterThan(0);
      expect(c.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('learning from the other half does not make the first half worse', () => {
    const a = items.filter((_, k) => k % 2 === 0);
    const b = items.filter((_, k) => k % 2 === 1);
    const model = trainModel(framework2017, a.map((item) => ({ input: input(item), type: item.type, indicators: item.indicators })));
    const without = measure(b, framework2017);
    const withModel = measure(b, framework2017, model);
    console.log(
      `[classify] split: half B without corrections type ${pct(without.type)} / top-1 ${pct(without.top1)}; after learning half A: type ${pct(withModel.type)} / top-1 ${pct(withModel.top1)}`,
    );
    expect(withModel.top1).toBeGreaterThanOrEqual(without.top1);
    expect(withModel.type).toBeGreaterThanOrEqual(without.type - 0.02);
    const json = JSON.parse(JSON.stringify(model)) as ClassifierModel;
    expect(classify(input(b[0]), framework2017, json)).toEqual(classify(input(b[0]), framework2017, model));
  });
});

describe('classifier rules', () => {
  const s = (fileName: string, text: string, format: FileFormat) => classify({ fileName, text, format }, framework2017);

  it('reads types from names alone when files come without text', () => {
    expect(s('IMG_20190612_093512.jpg', '', 'jpeg').type).toBe('photo');
    expect(s('2019年转移就业台账(截至11月).xlsx', '', 'xlsx').type).toBe('ledger');
    expect(s('5月份领导小组会议纪要.docx', '', 'docx').type).toBe('minutes');
    expect(s('劳务协作框架协议.pdf', '', 'pdf').type).toBe('agreement');
  });

  it('suggests no indicator when nothing fits', () => {
    expect(s('IMG_20190716_152233.jpg', '', 'jpeg').indicators).toEqual([]);
    expect(s('扫描件001.pdf', '', 'pdf').indicators).toEqual([]);
  });

  it('reads a roster from its columns and a ledger from its name', () => {
    const table = '序号\t姓名\t性别\t身份证号\t乡镇\n1\t王小兵\t男\t522731199605104551\t石桥镇';
    expect(s('附件3.xlsx', table, 'xlsx').type).toBe('roster');
    expect(s('劳务培训台账.xlsx', table, 'xlsx').type).toBe('ledger');
  });

  it('tells an appointment from other 通知 with a 文号', () => {
    const text = '中共黔源县委组织部\n黔组通〔2019〕18号\n关于刘畅同志挂职任职的通知\n经县委研究决定：刘畅同志挂任县人社局副局长。';
    expect(s('通知.pdf', text, 'pdf')).toMatchObject({ type: 'appointment', indicators: [{ code: '2.1' }] });
    const other = '黔源县人民政府文件\n黔府发〔2019〕22号\n关于印发支持东部企业投资若干优惠政策的通知\n现印发给你们，请认真贯彻执行。';
    expect(s('政策.pdf', other, 'pdf')).toMatchObject({ type: 'official-document', indicators: [{ code: '4.1' }] });
  });

  it('can suggest two indicators for one file (一材多用)', () => {
    const item = items.find((i) => i.fileName === '福兴扶贫车间项目验收单.pdf');
    expect(item).toBeDefined();
    const codes = classify(input(item as Labelled), framework2017).indicators.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['3.2', '5.4']));
  });
});

describe('learning from the user’s corrections', () => {
  const target = items.find((i) => i.fileName === '人才公寓钥匙交接照片.jpg') as Labelled;
  const corrections: { input: ClassifyInput; indicators: string[]; type: EvidenceType }[] = [
    {
      input: { fileName: '人才公寓入住登记表.xlsx', format: 'xlsx', text: '城南新区人才公寓入住登记表\n序号\t姓名\t派出单位\t房号\t入住日期\n1\t赵敏\t津南区咸水沽第一中学\t3-201\t2019-03-02' },
      indicators: ['2.4'],
      type: 'ledger',
    },
    {
      input: { fileName: '人才公寓照片.jpg', format: 'jpeg', text: '城南新区人才公寓外景 2019年3月' },
      indicators: ['2.4'],
      type: 'photo',
    },
    {
      input: { fileName: '人才公寓家具家电配置清单.docx', format: 'docx', text: '城南新区人才公寓家具家电配置清单\n每套配置：床、衣柜、书桌、冰箱、洗衣机、空调' },
      indicators: ['2.4'],
      type: 'ledger',
    },
  ];

  it('files a similar file where the user filed three like it', () => {
    const before = classify(input(target), framework2017);
    expect(before.indicators[0]?.code).not.toBe('2.4');
    const model = trainModel(framework2017, corrections);
    const after = classify(input(target), framework2017, JSON.parse(JSON.stringify(model)) as ClassifierModel);
    expect(after.indicators[0]?.code).toBe('2.4');
    expect(after.type).toBe('photo');
  });

  it('ignores a model made for another framework', () => {
    const model = { ...trainModel(framework2017, corrections), frameworkId: 'east-west-2021' };
    expect(classify(input(target), framework2017, model)).toEqual(classify(input(target), framework2017));
  });
});

describe('classifier on a small inline framework', () => {
  const tiny = parseFramework(
    {
      id: 'tiny',
      title: '测试框架',
      categories: [
        {
          code: '1',
          title: '人才',
          indicators: [
            { code: '1.1', title: '干部挂职', requirements: [{ id: '1.1-1', title: '挂职任职文件', type: 'appointment', min: 1, period: 'once', mandatory: true, keywords: ['挂职', '任职'] }], targets: [] },
            { code: '1.2', title: '劳务输出', requirements: [{ id: '1.2-1', title: '转移就业台账', type: 'ledger', min: 1, period: 'yearly', mandatory: true, keywords: ['转移就业', '务工'] }], targets: [] },
          ],
        },
      ],
    },
    'tiny.json',
  );

  it('scores indicators from the framework text, not from hard-coded codes', () => {
    expect(classify({ fileName: '赴津务工人员转移就业台账.xlsx', text: '', format: 'xlsx' }, tiny).indicators[0]?.code).toBe('1.2');
    expect(classify({ fileName: '关于王某同志挂职任职的通知.pdf', text: '', format: 'pdf' }, tiny).indicators[0]?.code).toBe('1.1');
  });
});

describe('folder hints', () => {
  const photo = (folders?: string[]) => classify({ fileName: 'IMG_0001.jpg', text: '', format: 'jpeg', ...(folders ? { folders } : {}) }, framework2017);
  const codes = (r: { indicators: { code: string }[] }) => r.indicators.map((i) => i.code);

  it('reads the folder names of a source path, nearest last, inside zips too', () => {
    expect(folderNamesOf('D:\\考核材料\\01组织领导\\照片\\IMG_0001.jpg')).toEqual(['考核材料', '01组织领导', '照片']);
    expect(folderNamesOf('/home/a/b/c/报送.zip::02人才交流/挂职/a.pdf')).toEqual(['c', '报送', '02人才交流', '挂职']);
    expect(folderNamesOf('IMG_0001.jpg')).toEqual([]);
    expect(folderStem('01组织领导')).toBe('组织领导');
    expect(folderStem('（五）劳务协作')).toBe('劳务协作');
    expect(folderStem('5.2转移就业')).toBe('转移就业');
  });

  it('a photo in 01组织领导/照片/ is suggested for that category; flat, it stays unfiled as before', () => {
    expect(codes(photo())).toEqual([]);
    const filed = photo(['2019年考核材料', '01组织领导', '照片']);
    expect(filed.type).toBe('photo');
    expect(filed.indicators.length).toBeGreaterThan(0);
    expect(filed.indicators.every((i) => i.code.startsWith('1.'))).toBe(true);
    expect(filed.indicators[0].confidence).toBeGreaterThanOrEqual(0.35);
  });

  it('an indicator folder (by code or by name) raises that indicator, a type folder that type', () => {
    expect(codes(photo(['5.2转移就业']))[0]).toBe('5.2');
    expect(codes(photo(['劳务协作', '扶贫车间与公益性岗位']))[0]).toBe('5.4');
    const sheet = classify({ fileName: '表1.xlsx', text: '序号 姓名 性别 务工地点\n1 张三 男 宁波', format: 'xlsx', folders: ['05劳务协作', '转移就业', '台账'] }, framework2017);
    expect(sheet.type).toBe('ledger');
    expect(sheet.indicators[0]?.code).toBe('5.2');
    const scan = classify({ fileName: '扫描件001.pdf', text: '', format: 'pdf', folders: ['领导小组会议纪要'] }, framework2017);
    expect(scan.type).toBe('minutes');
  });

  it('a folder that names nothing changes nothing', () => {
    const text = '关于选派干部赴宁波挂职锻炼的通知';
    const plain = classify({ fileName: 'a.pdf', text, format: 'pdf' }, framework2017);
    expect(classify({ fileName: 'a.pdf', text, format: 'pdf', folders: ['桌面', '新建文件夹'] }, framework2017).indicators.map((i) => i.code)).toEqual(plain.indicators.map((i) => i.code));
  });
});

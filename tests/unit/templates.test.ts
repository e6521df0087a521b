import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Framework, Requirement, Target } from '../../shared/domain/types.js';
import { FrameworkError, findIndicator } from '../../shared/framework/schema.js';
import { demoTargets, listTemplates, loadFrameworkFile, loadTemplate, templatesDir } from '../../electron/backend/templates.js';

const fw2017 = loadTemplate('east-west-2017');
const fw2021 = loadTemplate('east-west-2021');

const requirementsOf = (fw: Framework, categoryCode?: string): Requirement[] =>
  fw.categories
    .filter((c) => categoryCode === undefined || c.code === categoryCode)
    .flatMap((c) => c.indicators.flatMap((i) => i.requirements));
const targetsOf = (fw: Framework): Target[] => fw.categories.flatMap((c) => c.indicators.flatMap((i) => i.targets));

/** Fixed codes, titles and lead departments of east-west-2017 (other modules label data against them). */
const FIXED_2017: [string, string, [string, string, string][]][] = [
  ['1', '组织领导', [
    ['1.1', '党委政府研究部署', '县协作办'], ['1.2', '领导小组及工作机制', '县协作办'],
    ['1.3', '高层互访与对接', '县协作办'], ['1.4', '宣传报道', '县委宣传部'],
  ]],
  ['2', '人才交流', [
    ['2.1', '党政干部挂职', '县委组织部'], ['2.2', '专业技术人才交流', '县委组织部'],
    ['2.3', '干部人才培训', '县委组织部'], ['2.4', '保障条件', '县委组织部'],
  ]],
  ['3', '资金使用', [
    ['3.1', '资金项目管理办法', '县财政局'], ['3.2', '资金当年使用情况', '县财政局'], ['3.3', '资金用于县以下基层情况', '县财政局'],
  ]],
  ['4', '产业合作', [
    ['4.1', '优惠支持政策或措施', '县发改局'], ['4.2', '落地企业与实际投资', '县发改局'], ['4.3', '带动贫困人口', '县发改局'],
  ]],
  ['5', '劳务协作', [
    ['5.1', '劳务协作机制', '县人社局'], ['5.2', '转移就业', '县人社局'],
    ['5.3', '劳务培训', '县人社局'], ['5.4', '扶贫车间与公益性岗位', '县人社局'],
  ]],
  ['6', '携手奔小康', [
    ['6.1', '结对帮扶', '县协作办'], ['6.2', '援助资金用于产业和就业扶贫', '县财政局'],
    ['6.3', '致富带头人培养', '县农业农村局'], ['6.4', '社会帮扶', '县委统战部'],
  ]],
  ['7', '消费扶贫', [['7.1', '消费扶贫', '县商务局']]],
  ['8', '创新工作（加分）', [
    ['8.1', '向深度贫困地区倾斜', '县协作办'], ['8.2', '解决"两不愁三保障"突出问题', '县协作办'],
    ['8.3', '增减挂钩结余指标跨省交易', '县协作办'], ['8.4', '帮助贫困残疾人脱贫', '县协作办'], ['8.5', '创新工作典型', '县协作办'],
  ]],
  ['9', '负面清单', [
    ['9.1', '未完成协议指标', '县协作办'], ['9.2', '违规违纪使用资金', '县协作办'],
    ['9.3', '考核弄虚作假', '县协作办'], ['9.4', '工作出现突出问题', '县协作办'],
  ]],
];

/** Seed 004's evidence list per assessment area (domain.md §2.1), plus the items the codes name. */
const SEED_004_ITEMS: Record<string, string[]> = {
  '1': ['对接函件', '活动方案', '影像图片', '新闻报道', '高层联席会议', '党委政府会议纪要', '会议材料', '领导小组', '信息简报'],
  '2': ['选派党政挂职干部', '专业技术人才交流学习情况', '挂职干部任职文件', '保障条件', '分管扶贫协作工作', '签到表'],
  '3': ['资金项目管理办法', '资金当年使用情况', '资金用于县以下基层情况', '台账', '拨付凭证', '验收报告', '项目公示'],
  '4': ['优惠支持政策或措施', '落地企业', '实际投资额', '带动贫困人口', '登记造册', '投资协议', '营业执照'],
  '5': ['省外就业', '省内就近就业', '劳务培训', '公益性岗位', '转移就业', '扶贫车间', '分类登记造册', '劳务协作协议'],
  '6': ['党政主要负责人到结对区对接', '援助资金用于产业扶贫和就业扶贫', '惠及贫困人口', '致富带头人', '印证资料', '结对帮扶协议', '社会捐赠', '万企帮万村'],
  '7': ['消费扶贫台账', '销售凭证', '购销协议', '新闻报道'],
  '8': ['向深度贫困地区倾斜', '两不愁三保障', '增减挂钩结余指标跨省交易', '贫困残疾人', '创新工作典型'],
  '9': ['未完成协议指标', '违规违纪使用资金', '考核弄虚作假', '工作出现突出问题'],
};

describe('templates/frameworks', () => {
  it('lists both templates with their size', () => {
    const list = listTemplates();
    const byId = new Map(list.map((t) => [t.id, t]));
    expect(byId.get('east-west-2017')).toMatchObject({ title: '东西部扶贫协作成效考核（西部受援县）', years: '2017–2020', categories: 9, indicators: 32 });
    expect(byId.get('east-west-2021')).toMatchObject({ categories: 9 });
    expect(byId.get('east-west-2021')?.indicators).toBeGreaterThanOrEqual(18);
    expect(list.every((t) => t.error === undefined)).toBe(true);
  });

  it('2017 has the nine categories in order with the fixed codes, titles and lead departments', () => {
    const actual = fw2017.categories.map((c) => [c.code, c.title, c.indicators.map((i) => [i.code, i.title, i.department])]);
    expect(actual).toEqual(FIXED_2017);
    expect(fw2017.categories.find((c) => c.code === '8')?.bonus).toBe(true);
    expect(fw2017.categories.find((c) => c.code === '9')?.negative).toBe(true);
  });

  it('2017: the leading group meets monthly, so 1.2 asks for mandatory monthly minutes', () => {
    const minutes = findIndicator(fw2017, '1.2')?.indicator.requirements.filter((r) => r.type === 'minutes') ?? [];
    expect(minutes).toContainEqual(expect.objectContaining({ period: 'monthly', min: 1, mandatory: true }));
    expect(minutes.find((r) => r.period === 'monthly')?.keywords).toEqual(expect.arrayContaining(['领导小组', '会议纪要']));
  });

  it.each(Object.entries(SEED_004_ITEMS))('2017 category %s names every seed-004 evidence item in a requirement', (code, items) => {
    const texts = requirementsOf(fw2017, code).map((r) => `${r.title} ${r.hint ?? ''}`);
    const missing = items.filter((item) => !texts.some((text) => text.includes(item)));
    expect(missing).toEqual([]);
  });

  it('2017: 影像图片 of 组织领导 are photo slots', () => {
    const photos = requirementsOf(fw2017, '1').filter((r) => r.title.includes('影像图片'));
    expect(photos.length).toBeGreaterThan(0);
    expect(photos.every((r) => r.type === 'photo')).toBe(true);
  });

  it.each([['east-west-2017'], ['east-west-2021']])('%s: bonus and negative-list categories require nothing', (id) => {
    const fw = id === 'east-west-2017' ? fw2017 : fw2021;
    const special = fw.categories.filter((c) => c.bonus || c.negative);
    expect(special.map((c) => c.code)).toEqual(['8', '9']);
    const mandatory = special.flatMap((c) => c.indicators.flatMap((i) => i.requirements)).filter((r) => r.mandatory);
    expect(mandatory).toEqual([]);
  });

  it.each([['east-west-2017'], ['east-west-2021']])('%s: every requirement has a hint and 4–10 keywords; ids follow the indicator code', (id) => {
    const fw = id === 'east-west-2017' ? fw2017 : fw2021;
    for (const category of fw.categories) {
      for (const indicator of category.indicators) {
        expect(indicator.description, indicator.code).toBeTruthy();
        expect(indicator.weight, indicator.code).toBeNull();
        expect(indicator.requirements.length, indicator.code).toBeGreaterThan(0);
        indicator.requirements.forEach((req, i) => {
          expect(req.id).toBe(`${indicator.code}-${i + 1}`);
          expect(req.hint, req.id).toBeTruthy();
          expect(req.keywords?.length ?? 0, req.id).toBeGreaterThanOrEqual(4);
          expect(req.keywords?.length ?? 0, req.id).toBeLessThanOrEqual(10);
          expect(new Set(req.keywords).size, req.id).toBe(req.keywords?.length);
        });
        indicator.targets.forEach((t, i) => {
          expect(t.id).toBe(`${indicator.code}-t${i + 1}`);
          expect(t.hint, t.id).toMatch(/^来源：/);
        });
      }
    }
  });

  it.each([['east-west-2017'], ['east-west-2021']])('%s: all target values are left null for the agreement', (id) => {
    const fw = id === 'east-west-2017' ? fw2017 : fw2021;
    const targets = targetsOf(fw);
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((t) => t.value !== null)).toEqual([]);
  });

  it('2017: 转移就业 total has three existing parts (东部 + 省内就近 + 其他); cadres and leaders have a 其中', () => {
    const byId = new Map(targetsOf(fw2017).map((t) => [t.id, t]));
    const total = findIndicator(fw2017, '5.2')?.indicator.targets.find((t) => t.parts);
    expect(total?.unit).toBe('人');
    expect(total?.parts).toHaveLength(3);
    expect(total?.parts?.map((p) => byId.get(p)?.label)).toEqual(['到结对东部地区就业', '省内就近就业', '到其他地区就业']);
    expect(total?.parts?.every((p) => byId.get(p)?.unit === '人')).toBe(true);
    const cadres = findIndicator(fw2017, '2.1')?.indicator.targets[0];
    expect(cadres?.subtotals?.map((s) => byId.get(s)?.label)).toEqual(['其中：挂任县委常委']);
    const leaders = findIndicator(fw2017, '6.3')?.indicator.targets[0];
    expect(leaders?.subtotals?.map((s) => byId.get(s)?.label)).toEqual(['其中：实现创业']);
    expect(findIndicator(fw2017, '7.1')?.indicator.targets[0]).toMatchObject({ label: '消费扶贫金额', unit: '万元' });
  });

  it('2021 uses rural-revitalisation wording and its own nine categories', () => {
    expect(fw2021.categories.map((c) => c.title)).toEqual([
      '组织领导', '资金支持与项目管理', '干部人才交流', '产业协作', '劳务协作', '消费帮扶', '社会帮扶与携手促振兴', '创新工作（加分）', '负面清单',
    ]);
    for (const c of fw2021.categories) expect(c.indicators.length, c.title).toBeGreaterThanOrEqual(2);
    const text = JSON.stringify(fw2021);
    for (const word of ['脱贫人口', '监测对象', '帮扶车间', '防止规模性返贫']) expect(text).toContain(word);
    const total = findIndicator(fw2021, '5.2')?.indicator.targets.find((t) => t.parts);
    expect(total?.parts).toHaveLength(3);
  });

  it('an unknown template id gets a Chinese error listing the available ids', () => {
    expect(() => loadTemplate('east-west-1999')).toThrow(/未找到考核框架模板“east-west-1999”。可用的模板：east-west-2017、east-west-2021/);
    expect(() => loadTemplate('../package')).toThrow(/未找到考核框架模板/);
  });

  it('templatesDir points at the folder holding the templates', () => {
    expect(templatesDir().replace(/\\/g, '/')).toMatch(/\/templates\/frameworks$/);
  });
});

describe('demo targets (east-west-2017, 2019 agreement)', () => {
  const demo = demoTargets('east-west-2017');

  it('cover every target of the framework and nothing else', () => {
    expect(demo).toBeDefined();
    const ids = targetsOf(fw2017).map((t) => t.id).sort();
    expect(Object.keys(demo ?? {}).sort()).toEqual(ids);
    expect(Object.values(demo ?? {}).every((v) => v.source.length > 0)).toBe(true);
  });

  it('carry the seed-003 agreement figures', () => {
    const target = (id: string) => demo?.[id]?.target;
    expect(target('2.1-t1')).toBe(3);
    expect(target('2.1-t2')).toBe(1);
    expect(target('2.2-t1')).toBe(28);
    expect(target('2.3-t1')).toBe(300);
    expect(target('4.2-t1')).toBe(6);
    expect(target('4.2-t2')).toBe(3000);
    expect(target('4.3-t1')).toBe(3800);
    expect(target('5.2-t2')).toBe(140);
    expect(target('5.2-t3')).toBe(890);
    expect(target('5.2-t4')).toBe(1287);
    expect(target('6.3-t1')).toBe(336);
    expect(target('6.4-t1')).toBe(800);
    expect(target('7.1-t1')).toBe(5000);
    expect(target('3.2-t1')).toBe(8780);
  });

  it('leave exactly two targets unmet (落地企业, 消费扶贫) and one total that is not the sum of its parts', () => {
    const unmet = Object.entries(demo ?? {}).filter(([, v]) => v.actual < v.target).map(([id]) => id);
    expect(unmet.sort()).toEqual(['4.2-t1', '7.1-t1']);
    const inconsistent = targetsOf(fw2017)
      .filter((t) => t.parts)
      .map((t) => ({ id: t.id, total: demo?.[t.id]?.actual ?? 0, sum: (t.parts ?? []).reduce((s, p) => s + (demo?.[p]?.actual ?? 0), 0) }))
      .filter((x) => x.total !== x.sum);
    expect(inconsistent).toEqual([{ id: '5.2-t1', total: 2387, sum: 2367 }]);
    // Targets of a total equal the sum of its parts' targets: only the actuals disagree.
    expect(demo?.['5.2-t1']?.target).toBe(140 + 890 + 1287);
    // 其中 never exceeds its total.
    for (const t of targetsOf(fw2017)) {
      for (const s of t.subtotals ?? []) expect(demo?.[s]?.actual ?? 0).toBeLessThanOrEqual(demo?.[t.id]?.actual ?? 0);
    }
  });

  it('are absent for a framework without a demo file', () => {
    expect(demoTargets('east-west-2021')).toBeUndefined();
  });
});

describe('a broken framework file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eb-templates-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const original = readFileSync(join(templatesDir(), 'east-west-2017.json'), 'utf8');

  function writeBroken(name: string, edit: (fw: Framework) => void): string {
    const fw = JSON.parse(original) as Framework;
    edit(fw);
    const file = join(dir, name);
    writeFileSync(file, JSON.stringify(fw, null, 2));
    return file;
  }

  function errorOf(file: string): FrameworkError {
    try {
      loadFrameworkFile(file);
    } catch (err) {
      if (err instanceof FrameworkError) return err;
      throw err;
    }
    throw new Error(`${file} was accepted`);
  }

  it('names the file, indicator and field for a duplicate indicator code', () => {
    const file = writeBroken('dup-code.json', (fw) => {
      fw.categories[0].indicators[1].code = '1.1';
    });
    const { message } = errorOf(file);
    expect(message).toContain(`框架文件 ${file}`);
    expect(message).toContain('指标 1.1');
    expect(message).toContain('字段 categories[0].indicators[1].code');
    expect(message).toContain('指标编码 1.1 重复');
  });

  it('names the file, indicator and field for a requirement with min -1', () => {
    const file = writeBroken('neg-min.json', (fw) => {
      fw.categories[0].indicators[1].requirements[1].min = -1;
    });
    const { message, issues } = errorOf(file);
    expect(message).toContain(`框架文件 ${file}`);
    expect(message).toContain('指标 1.2');
    expect(message).toContain('字段 categories[0].indicators[1].requirements[1].min');
    expect(issues).toHaveLength(1);
  });

  it('names the file, indicator and field for a part that references an unknown target', () => {
    const file = writeBroken('bad-part.json', (fw) => {
      const total = fw.categories[4].indicators[1].targets[0];
      total.parts = ['5.2-t2', '5.2-t3', '5.2-t9'];
    });
    const { message } = errorOf(file);
    expect(message).toContain(`框架文件 ${file}，指标 5.2，字段 categories[4].indicators[1].targets[0].parts：引用了不存在的目标 5.2-t9`);
  });

  it('explains invalid JSON in Chinese and accepts a UTF-8 BOM', () => {
    const bad = join(dir, 'not-json.json');
    writeFileSync(bad, original.replace('"id": "east-west-2017",', '"id": "east-west-2017"'));
    expect(() => loadFrameworkFile(bad)).toThrow(/not-json\.json.*不是有效的 JSON/);
    const bom = join(dir, 'bom.json');
    writeFileSync(bom, `\uFEFF${original}`);
    expect(loadFrameworkFile(bom).categories).toHaveLength(9);
  });
});

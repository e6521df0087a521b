import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../electron/backend/templates.js';
import { FrameworkError, parseFramework } from '../../../shared/framework/schema.js';

const fw2017 = loadTemplate('east-west-2017');

/** A copy of the 2017 template with one change applied, validated again. */
function parseChanged(change: (raw: Record<string, unknown> & typeof fw2017) => void): string {
  const raw = structuredClone(fw2017);
  change(raw);
  try {
    parseFramework(raw, 'x.json');
  } catch (error) {
    if (error instanceof FrameworkError) return error.message;
    throw error;
  }
  return '';
}

const transfer = (raw: typeof fw2017) => raw.categories.flatMap((c) => c.indicators).find((i) => i.code === '5.2')!.targets[1];

describe('ledger kinds in the framework', () => {
  it('both templates declare the ten ledger kinds and compute the labour and fund targets from them', () => {
    for (const id of ['east-west-2017', 'east-west-2021']) {
      const fw = loadTemplate(id);
      expect(fw.ledgers?.map((l) => l.id)).toEqual([
        'transfer-employment', 'labour-training', 'public-welfare-posts', 'workshops', 'enterprises',
        'fund-projects', 'seconded-cadres', 'technical-talents', 'leader-training', 'consumption',
      ]);
      const east = transfer(fw);
      expect(east.label).toBe('到结对东部地区就业');
      expect(east.compute).toEqual({ ledger: 'transfer-employment', op: 'count-distinct', field: 'idNumber', where: { destination: 'east' } });
    }
  });

  it('names the target and the missing ledger, field or enum value in Chinese', () => {
    expect(parseChanged((raw) => { transfer(raw).compute!.ledger = 'nope'; })).toContain('指标 5.2，字段 categories[4].indicators[1].targets[1].compute.ledger：引用了不存在的台账 nope');
    expect(parseChanged((raw) => { transfer(raw).compute!.field = 'phone'; })).toContain('台账 transfer-employment 没有字段 phone');
    expect(parseChanged((raw) => { transfer(raw).compute!.where = { destination: 'moon' }; })).toContain('字段 destination 没有取值 moon');
    expect(parseChanged((raw) => { transfer(raw).compute!.where = { name: 'x' }; })).toContain('没有枚举字段 name');
    expect(parseChanged((raw) => { transfer(raw).compute = { ledger: 'transfer-employment', op: 'sum', field: 'name' }; })).toContain('字段 name 不是数值，不能求和');
    expect(parseChanged((raw) => { transfer(raw).compute = { ledger: 'transfer-employment', op: 'ratio' }; })).toContain('比例（ratio）需要 numerator 和 denominator');
    expect(parseChanged((raw) => { raw.ledgers![0].personKey = 'phone'; })).toContain('字段 ledgers[0].personKey：台账 transfer-employment 没有字段 phone');
    expect(parseChanged((raw) => { raw.ledgers![1].id = 'transfer-employment'; })).toContain('台账 transfer-employment 重复');
    expect(parseChanged((raw) => { raw.ledgers![2].crossChecks = [{ ledger: 'ghost', mode: 'must-appear' }]; })).toContain('引用了不存在的台账 ghost');
  });
});

import { describe, expect, it } from 'vitest';
import type { DividerTarget } from '../../shared/binder/types.js';
import { computedLine } from '../../electron/backend/generators/figures.js';

const target = (sources: NonNullable<DividerTarget['computed']>['sources'], value: number): DividerTarget => ({
  id: '2.1-t2',
  label: '其中：挂任县委常委',
  unit: '人',
  comparison: '>=',
  target: 1,
  actual: 1,
  met: true,
  computed: { value, ledger: '挂职干部名册', sources },
});

describe('台账计算 line under a divider figure', () => {
  it('names the page, another volume’s 件号, or that the ledger is not bound', () => {
    expect(computedLine(target([{ evidenceId: 1, number: '0018' }], 3), { pageOf: () => 37 })).toBe('台账计算：其中：挂任县委常委 3 人（来源：挂职干部名册，第 37 页）');
    expect(computedLine(target([{ evidenceId: 1, number: '0028', volume: 4 }], 6), { pageOf: () => undefined })).toBe('台账计算：其中：挂任县委常委 6 人（来源：挂职干部名册，第4卷件号0028）');
    expect(computedLine(target([{ evidenceId: 1 }], 3), { pageOf: () => undefined })).toBe('台账计算：其中：挂任县委常委 3 人（来源：挂职干部名册，台账未装订）');
  });

  it('says no row qualified when the figure counted none, instead of ending in an empty place', () => {
    expect(computedLine(target([], 0), { pageOf: () => undefined })).toBe('台账计算：其中：挂任县委常委 0 人（来源：挂职干部名册，无符合条件的记录）');
  });
});

// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Method, TargetRow, WorkspaceInfo } from '../../../shared/api/contract.js';
import type { Finding, FindingDetails, FindingKind, Framework, GapReport, Severity } from '../../../shared/domain/types.js';
import { createApiClient, type Transport } from '../../../renderer/api/client.js';
import { ApiProvider, NotifyProvider } from '../../../renderer/api/hooks.js';
import { WorkspaceDataProvider } from '../../../renderer/data.js';
import { I18nProvider } from '../../../renderer/i18n.js';
import { DepartmentScreen } from '../../../renderer/screens/DepartmentScreen.js';
import { DEPARTMENT_KEY, departmentView, rankDepartments, rememberDepartment, rememberedDepartment } from '../../../renderer/screens/departmentView.js';
import { fieldForFinding, focusForFinding } from '../../../renderer/screens/FindingsScreen.js';

const framework: Framework = {
  id: 'test',
  title: '测试框架',
  categories: [
    {
      code: '1',
      title: '组织领导',
      indicators: [{ code: '1.1', title: '党委政府研究部署', department: '县协作办', requirements: [{ id: '1.1-1', title: '常委会会议纪要', type: 'minutes', min: 1, period: 'yearly', mandatory: true }], targets: [] }],
    },
    {
      code: '5',
      title: '劳务协作',
      indicators: [
        {
          code: '5.1',
          title: '劳务协作机制',
          department: '县人社局',
          requirements: [
            { id: '5.1-1', title: '劳务协作协议', type: 'agreement', min: 1, period: 'yearly', mandatory: true },
            { id: '5.1-2', title: '劳务协作工作方案', type: 'plan', min: 1, period: 'yearly', mandatory: true },
          ],
          targets: [],
        },
        {
          code: '5.2',
          title: '转移就业',
          department: '县人社局',
          requirements: [{ id: '5.2-1', title: '转移就业台账', type: 'ledger', min: 1, period: 'yearly', mandatory: true }],
          targets: [],
        },
      ],
    },
    { code: '8', title: '创新工作（加分）', bonus: true, indicators: [{ code: '8.1', title: '创新工作典型', department: '县人社局', requirements: [{ id: '8.1-1', title: '典型材料', type: 'report', min: 1, period: 'once', mandatory: false }], targets: [] }] },
  ],
};

/** Details the views below do not read, filled in so each finding has its kind's shape. */
const DETAIL: { [K in FindingKind]?: FindingDetails[K] } = {
  'missing-evidence': { have: 0, need: 1, min: 1, period: 'once' },
  'figures-inconsistent': { check: 'sum', total: '5.2-t1', totalActual: 100, parts: [], sum: 90, difference: -10, complete: true },
  'missing-caption': { missing: ['place'], indicators: [] },
  unfiled: { type: 'other', source: 'a.pdf' },
};
type FindingInput = Omit<Finding, 'severity' | 'detail'> & { severity?: Severity; detail?: Finding['detail'] };
// The kind/detail pairing is what DETAIL holds per kind; TypeScript cannot follow it through the spread.
const finding = (f: FindingInput): Finding => ({ severity: 'error', detail: DETAIL[f.kind], ...f }) as Finding;
const findings: Finding[] = [
  finding({ id: 'm1', kind: 'missing-evidence', indicator: '5.1', requirement: '5.1-1', department: '县人社局', message: '缺少劳务协作协议', action: '请县人社局提供劳务协作协议，导入后归入指标 5.1。' }),
  finding({ id: 'f1', kind: 'figures-inconsistent', indicator: '5.2', department: '县人社局', message: '转移就业分项之和不等于总数', action: '请对照台账核对总数和各分项。' }),
  finding({ id: 'c1', kind: 'missing-metadata', severity: 'warning', indicator: '5.2', evidence: [7], message: '《转移就业台账》缺少著录项：责任者', action: '请补填责任者。', detail: { missing: ['issuer'], type: 'ledger', indicators: ['5.2'] } }),
  finding({ id: 'x1', kind: 'missing-evidence', indicator: '1.1', requirement: '1.1-1', department: '县协作办', message: '缺少常委会会议纪要', action: '请县协作办提供常委会会议纪要。' }),
];
const gaps: GapReport = {
  summary: {
    completeness: 0.4,
    counts: { error: 3, warning: 1, info: 0 },
    categories: [
      {
        code: '1',
        title: '组织领导',
        completeness: 0,
        indicators: [{ code: '1.1', title: '党委政府研究部署', department: '县协作办', status: 'missing', completeness: 0, findings: 1, requirements: [{ requirement: '1.1-1', indicator: '1.1', status: 'missing', evidence: [], have: 0, need: 1, completeness: 0 }] }],
      },
      {
        code: '5',
        title: '劳务协作',
        completeness: 0.75,
        indicators: [
          {
            code: '5.1',
            title: '劳务协作机制',
            department: '县人社局',
            status: 'partial',
            completeness: 0.5,
            findings: 1,
            requirements: [
              { requirement: '5.1-1', indicator: '5.1', status: 'missing', evidence: [], have: 0, need: 1, completeness: 0 },
              { requirement: '5.1-2', indicator: '5.1', status: 'met', evidence: [3], have: 1, need: 1, completeness: 1 },
            ],
          },
          { code: '5.2', title: '转移就业', department: '县人社局', status: 'met', completeness: 1, findings: 2, requirements: [{ requirement: '5.2-1', indicator: '5.2', status: 'met', evidence: [7], have: 1, need: 1, completeness: 1 }] },
        ],
      },
      { code: '8', title: '创新工作（加分）', completeness: 0, indicators: [{ code: '8.1', title: '创新工作典型', department: '县人社局', status: 'missing', completeness: 0, findings: 0, requirements: [] }] },
    ],
    departments: [
      { department: '县人社局', items: [{ indicator: '5.1', requirement: '5.1-1', findingId: 'm1', message: '缺少劳务协作协议' }, { indicator: '5.2', findingId: 'f1', message: '分项之和' }, { indicator: '5.2', findingId: 'c1', message: '缺少责任者' }] },
      { department: '县协作办', items: [{ indicator: '1.1', requirement: '1.1-1', findingId: 'x1', message: '缺少常委会会议纪要' }] },
    ],
  },
  findings,
};
const targets: TargetRow[] = [{ id: '5.2-t1', indicator: '5.2', label: '转移就业人数', unit: '人', comparison: '>=', target: 2317, actual: 2387 }];

describe('department view (what one department still owes)', () => {
  it('ranks every lead department by what it owes, keeping framework order for ties', () => {
    expect(rankDepartments(framework, gaps)).toEqual([
      { department: '县人社局', owes: 3, indicators: 3, overdue: 0 },
      { department: '县协作办', owes: 1, indicators: 1, overdue: 0 },
    ]);
    // Before the analysis has run, everybody is listed with nothing owed.
    expect(rankDepartments(framework, undefined).map((d) => [d.department, d.owes])).toEqual([
      ['县协作办', 0],
      ['县人社局', 0],
    ]);
  });

  it('lists a department with overdue items first, even when it owes fewer', () => {
    const late = finding({
      id: 'o1',
      kind: 'overdue',
      indicator: '1.1',
      requirement: '1.1-1',
      department: '县协作办',
      message: '县协作办逾期未报送常委会会议纪要',
      action: '请催报。',
      detail: { department: '县协作办', indicator: '1.1', requirement: '1.1-1', due: '2019-11-30', daysLate: 3, owed: '常委会会议纪要' },
    });
    const ranked = rankDepartments(framework, { ...gaps, findings: [...findings, late] });
    expect(ranked.map((d) => [d.department, d.overdue])).toEqual([
      ['县协作办', 1],
      ['县人社局', 0],
    ]);
  });

  it('keeps only the department’s indicators, its open slots with their actions, and its other findings', () => {
    const view = departmentView(framework, gaps, targets, '县人社局');
    expect(view.indicators.map((i) => i.indicator.code)).toEqual(['5.1', '5.2', '8.1']);
    expect(view.owes).toBe(3);
    // Mean of the counted indicators (5.1 at 50 %, 5.2 at 100 %); the bonus 8.1 does not count.
    expect(view.completeness).toBeCloseTo(0.75);

    const [mechanism, transfer, bonus] = view.indicators;
    expect(mechanism.openSlots.map((s) => s.requirement.title)).toEqual(['劳务协作协议']);
    expect(mechanism.openSlots[0].findings.map((f) => f.action)).toEqual(['请县人社局提供劳务协作协议，导入后归入指标 5.1。']);
    expect(mechanism.metSlots.map((r) => r.title)).toEqual(['劳务协作工作方案']);
    // The slot finding is shown on the slot, not repeated below it.
    expect(mechanism.otherFindings).toEqual([]);

    expect(transfer.openSlots).toEqual([]);
    // A finding without a department of its own belongs to the indicator's lead department.
    expect(transfer.otherFindings.map((f) => f.id)).toEqual(['f1', 'c1']);
    expect(transfer.targets.map((t) => t.label)).toEqual(['转移就业人数']);

    // Bonus items are never owed.
    expect(bonus.category.uncounted).toBe(true);
    expect(bonus.openSlots).toEqual([]);

    // Another department's items never leak in.
    const all = view.indicators.flatMap((i) => [...i.otherFindings, ...i.openSlots.flatMap((s) => s.findings)]).map((f) => f.id);
    expect(all).not.toContain('x1');
  });

  it('shows a returned submission on the slot it left open, and below the indicator when the slot is met', () => {
    const returned = (id: string, requirement: string, title: string): Finding =>
      finding({
        id,
        kind: 'returned-submission',
        severity: 'warning',
        indicator: '5.1',
        requirement,
        evidence: [9],
        department: '县人社局',
        message: `县人社局报送的《${title}》（指标 5.1）已退回，退回意见：缺少双方盖章页。`,
        action: '按退回意见修改后重新上传。',
        detail: { department: '县人社局', comment: '缺少双方盖章页', submittedBy: 'rsj', actionEn: 'Revise it and upload it again.' },
      });
    const withReturns = { ...gaps, findings: [...findings, returned('r1', '5.1-1', '劳务协作协议'), returned('r2', '5.1-2', '工作方案初稿')] };
    const [mechanism] = departmentView(framework, withReturns, targets, '县人社局').indicators;
    // 5.1-1 is still empty: its missing-evidence action and the return reason are together on the slot.
    expect(mechanism.openSlots[0].findings.map((f) => f.id)).toEqual(['m1', 'r1']);
    // 5.1-2 is met by another item: the returned one is listed below the indicator.
    expect(mechanism.otherFindings.map((f) => f.id)).toEqual(['r2']);
  });

  it('sends the user from a finding to the field that fixes it', () => {
    expect(fieldForFinding(findings[2])).toBe('issuer');
    expect(fieldForFinding(finding({ id: 'a', kind: 'missing-metadata', message: '', action: '', detail: { missing: ['issuer', 'docNumber'], type: 'notice', indicators: [] } }))).toBe('docNumber');
    expect(fieldForFinding(finding({ id: 'b', kind: 'missing-caption', message: '', action: '' }))).toBe('caption');
    expect(fieldForFinding(finding({ id: 'c', kind: 'unfiled', message: '', action: '' }))).toBe('link');
    expect(focusForFinding(findings[2], 'department')).toEqual({ tab: 'evidence', evidenceId: 7, field: 'issuer', back: 'department' });
    expect(focusForFinding(findings[0])).toEqual({ tab: 'indicators', indicator: '5.1', requirement: '5.1-1' });
  });

  it('remembers the chosen department on this computer', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) };
    expect(rememberedDepartment(storage)).toBe('');
    rememberDepartment('县人社局', storage);
    expect(store.get(DEPARTMENT_KEY)).toBe('县人社局');
    expect(rememberedDepartment(storage)).toBe('县人社局');
    rememberDepartment('', storage);
    expect(rememberedDepartment(storage)).toBe('');
  });
});

const info: WorkspaceInfo = {
  dir: '/tmp/ws',
  settings: { title: '测试', unit: '某县', periodStart: '2019-01-01', periodEnd: '2019-12-31', frameworkId: 'test' },
  framework,
  counts: { evidence: 0, trash: 0 },
};

const transport: Transport = async (method: Method) => {
  switch (method) {
    case 'evidence.list':
      return { ok: true, data: [] };
    case 'gaps.get':
      return { ok: true, data: gaps };
    case 'targets.list':
      return { ok: true, data: targets };
    default:
      return { ok: false, error: { code: 'unknown-method', message: `测试中未提供 ${method}` } };
  }
};

function renderScreen() {
  return render(
    <ApiProvider client={createApiClient(transport)}>
      <I18nProvider lang="zh">
        <NotifyProvider onNotices={() => undefined}>
          <WorkspaceDataProvider info={info}>
            <DepartmentScreen onGo={() => undefined} />
          </WorkspaceDataProvider>
        </NotifyProvider>
      </I18nProvider>
    </ApiProvider>,
  );
}

describe('按单位查看 screen', () => {
  beforeEach(() => localStorage.clear());
  afterEach(cleanup);

  it('asks which department first, then shows only that department’s open items, and remembers the choice', async () => {
    renderScreen();
    await screen.findByText('您是哪个单位？');
    fireEvent.click(screen.getByRole('button', { name: /县人社局/ }));

    expect(screen.getByRole('combobox', { name: '选择单位' })).toHaveProperty('value', '县人社局');
    expect(screen.getByTestId('dept-summary').textContent).toContain('待补 3 项');
    const slots = screen.getByRole('list', { name: '还缺的材料' });
    expect(within(slots).getByText('劳务协作协议')).toBeTruthy();
    expect(slots.textContent).toContain('请县人社局提供劳务协作协议');
    expect(screen.getByText('转移就业分项之和不等于总数')).toBeTruthy();
    expect(screen.queryByText('党委政府研究部署')).toBeNull();
    expect(screen.queryByText(/常委会会议纪要/)).toBeNull();
    // The bonus indicator has nothing to do, so it is hidden until asked for.
    expect(screen.queryByText('创新工作典型')).toBeNull();
    fireEvent.click(screen.getByRole('checkbox', { name: /显示已齐全的指标/ }));
    expect(screen.getByText('创新工作典型')).toBeTruthy();
    expect(localStorage.getItem(DEPARTMENT_KEY)).toBe('县人社局');

    cleanup();
    renderScreen();
    await waitFor(() => expect(screen.getByRole('combobox', { name: '选择单位' })).toHaveProperty('value', '县人社局'));
    expect(screen.getByText('劳务协作协议')).toBeTruthy();
  });
});

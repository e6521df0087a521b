// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Method, WorkspaceInfo } from '../../../shared/api/contract.js';
import type { Evidence, Finding, Framework, GapReport } from '../../../shared/domain/types.js';
import { createApiClient, type Transport } from '../../../renderer/api/client.js';
import { ApiProvider, NotifyProvider } from '../../../renderer/api/hooks.js';
import { WorkspaceDataProvider } from '../../../renderer/data.js';
import { I18nProvider } from '../../../renderer/i18n.js';
import { EvidenceScreen } from '../../../renderer/screens/EvidenceScreen.js';
import { emptyFilter, filterEvidence } from '../../../renderer/screens/evidenceFilter.js';

const framework: Framework = {
  id: 'test',
  title: '测试框架',
  categories: [
    {
      code: '1',
      title: '组织领导',
      indicators: [
        { code: '1.1', title: '党委政府研究部署', department: '县协作办', requirements: [], targets: [] },
        { code: '1.2', title: '干部人才交流', department: '县委组织部', requirements: [], targets: [] },
      ],
    },
  ],
};

const base = { sha256: '0'.repeat(64), size: 1, format: 'pdf', typeOrigin: 'user', typeConfidence: 1, readability: 'ok', importedAt: '', updatedAt: '' } as const;
const evidence: Evidence[] = [
  { ...base, id: 1, originalName: 'a.pdf', source: 'a.pdf', type: 'minutes', title: '县委常委会会议纪要', date: '2019-03-10', links: [{ indicator: '1.1', origin: 'user', confidence: 1 }] },
  { ...base, id: 2, originalName: 'b.pdf', source: 'b.pdf', type: 'appointment', title: '关于张三同志挂职的通知', date: '2019-05-01', links: [{ indicator: '1.2', origin: 'user', confidence: 1 }] },
  { ...base, id: 3, originalName: 'c.jpg', source: 'c.jpg', format: 'jpeg', type: 'photo', title: '[座谈会照片]', date: '2018-12-30', links: [{ indicator: '1.2', origin: 'suggested', confidence: 0.7 }] },
  { ...base, id: 4, originalName: 'd.pdf', source: 'd.pdf', type: 'minutes', title: '领导小组会议纪要', links: [] },
];
const finding: Finding = { id: 'f1', severity: 'warning', kind: 'missing-caption', evidence: [3], message: '照片缺少说明', action: '补充说明', detail: { missing: ['place'], indicators: ['1.1'] } };
const gaps: GapReport = { summary: { completeness: 0.5, counts: { error: 0, warning: 1, info: 0 }, categories: [], departments: [] }, findings: [finding] };
const info: WorkspaceInfo = {
  dir: '/tmp/ws',
  settings: { title: '测试', unit: '某县', periodStart: '2019-01-01', periodEnd: '2019-12-31', frameworkId: 'test' },
  framework,
  counts: { evidence: 4, trash: 0 },
};

const transport: Transport = async (method: Method, input) => {
  switch (method) {
    case 'evidence.list':
      return { ok: true, data: evidence };
    case 'gaps.get':
      return { ok: true, data: gaps };
    case 'targets.list':
      return { ok: true, data: [] };
    case 'evidence.search': {
      const q = (input as { query: string }).query;
      return { ok: true, data: evidence.filter((e) => e.title.includes(q)).map((e) => e.id) };
    }
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
            <EvidenceScreen focus={null} />
          </WorkspaceDataProvider>
        </NotifyProvider>
      </I18nProvider>
    </ApiProvider>,
  );
}

const shown = () => screen.getAllByRole('row').filter((r) => r.hasAttribute('data-id')).map((r) => Number(r.getAttribute('data-id')));

afterEach(cleanup);

describe('evidence filters', () => {
  const ctx = { indicators: new Map(framework.categories[0].indicators.map((i) => [i.code, i])), findingsByEvidence: new Map([[3, [finding]]]) };

  it('narrows by type, indicator, department, date range, findings and search matches', () => {
    expect(filterEvidence(evidence, { ...emptyFilter, type: 'minutes' }, ctx).map((e) => e.id)).toEqual([1, 4]);
    expect(filterEvidence(evidence, { ...emptyFilter, indicator: '1.2' }, ctx).map((e) => e.id)).toEqual([2, 3]);
    expect(filterEvidence(evidence, { ...emptyFilter, department: '县协作办' }, ctx).map((e) => e.id)).toEqual([1]);
    expect(filterEvidence(evidence, { ...emptyFilter, from: '2019-01-01', to: '2019-04-30' }, ctx).map((e) => e.id)).toEqual([1]);
    expect(filterEvidence(evidence, { ...emptyFilter, hasFindings: true }, ctx).map((e) => e.id)).toEqual([3]);
    expect(filterEvidence(evidence, { ...emptyFilter, matches: new Set([2, 4]), type: 'minutes' }, ctx).map((e) => e.id)).toEqual([4]);
    expect(filterEvidence(evidence, { ...emptyFilter, unconfirmed: true }, ctx).map((e) => e.id)).toEqual([3]);
  });

  it('the 材料库 screen shows fewer rows as filters and the search box narrow it', async () => {
    renderScreen();
    await waitFor(() => expect(shown()).toEqual([1, 2, 3, 4]));
    expect(screen.getByText(/共 4 件，显示 4 件/)).toBeTruthy();

    fireEvent.change(screen.getByRole('combobox', { name: '类型' }), { target: { value: 'minutes' } });
    expect(shown()).toEqual([1, 4]);
    fireEvent.change(screen.getByRole('combobox', { name: '类型' }), { target: { value: '' } });

    fireEvent.change(screen.getByRole('combobox', { name: '牵头单位' }), { target: { value: '县委组织部' } });
    expect(shown()).toEqual([2, 3]);
    fireEvent.click(screen.getByRole('checkbox', { name: '有问题' }));
    expect(shown()).toEqual([3]);
    expect(screen.getByText(/共 4 件，显示 1 件/)).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: '有问题' }));
    fireEvent.change(screen.getByRole('combobox', { name: '牵头单位' }), { target: { value: '' } });

    // A two-character Chinese query (below FTS trigram length) still goes to evidence.search.
    await act(async () => {
      fireEvent.change(screen.getByRole('searchbox', { name: '搜索' }), { target: { value: '纪要' } });
    });
    await waitFor(() => expect(shown()).toEqual([1, 4]), { timeout: 2000 });
  });
});

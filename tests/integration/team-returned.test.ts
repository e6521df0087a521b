// A submission the office returns is a finding for its department (问题清单, counted in 总览) until it is replaced.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, GapReport } from '../../shared/domain/types.js';
import { listIndicators } from '../../shared/framework/schema.js';
import type { Actor } from '../../shared/team/roles.js';
import { dispatch } from '../../electron/backend/api/dispatch.js';
import { createHandlers } from '../../electron/backend/api/handlers.js';
import { JobRegistry } from '../../electron/backend/api/jobs.js';
import { scopedHandlers } from '../../electron/backend/team/scope.js';
import { importPaths } from '../../electron/backend/workspace/import.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';

const DEPT = '县人社局';
const office: Actor = { name: 'office', role: 'office', departments: [] };
const clerk: Actor = { name: 'zhang.rsj', role: 'department', departments: [DEPT] };
const other: Actor = { name: 'li.czj', role: 'department', departments: ['县财政局'] };
const REASON = '缺少盖章页，请补充盖章后的扫描件。';

const root = mkdtempSync(path.join(os.tmpdir(), 'binder-returned-'));
let ws: Workspace;
let handlers: ReturnType<typeof createHandlers>;

async function call<T>(method: string, input: unknown, actor: Actor): Promise<T> {
  const result = await dispatch(scopedHandlers(handlers, () => ws, new JobRegistry()), method, input, { actor });
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.data as T;
}

/** A department's upload into 5.1-2 (a text file: no OCR needed), stored as 待审核. */
async function submit(name: string, text: string): Promise<number> {
  const dir = mkdtempSync(path.join(root, 'inbox-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, name), text);
  const report = await importPaths(ws, [path.join(dir, name)], { indicator: '5.1', requirement: '5.1-2', submission: { department: DEPT, submittedBy: clerk.name } });
  return report.imported[0].id;
}

const returnedOf = (gaps: GapReport) => gaps.findings.filter((f): f is Extract<Finding, { kind: 'returned-submission' }> => f.kind === 'returned-submission');

beforeAll(async () => {
  ws = await Workspace.init(path.join(root, 'ws'), { templateId: 'east-west-2017', periodStart: '2019-01-01', periodEnd: '2019-12-31' });
  handlers = createHandlers({ session: { workspace: ws }, jobs: new JobRegistry(), host: 'browser', version: 'test', demoDir: path.join(root, 'demo'), stateDir: null });
});

afterAll(async () => {
  await ws.close();
  rmSync(root, { recursive: true, force: true });
});

describe('returned submissions as findings', () => {
  it('tells the department what was returned, the office’s reason and what to do; gone once replaced', async () => {
    const id = await submit('劳务协作工作方案.txt', '青山县劳务协作工作方案\n2019年4月1日\n');
    expect(returnedOf(await ws.gaps())).toEqual([]);
    const warningsBefore = (await call<GapReport>('gaps.get', {}, clerk)).summary.counts.warning;
    await call('review.return', { ids: [id], comment: REASON }, office);

    const theirs = await call<GapReport>('gaps.get', {}, clerk);
    const [back] = returnedOf(theirs);
    const item = await ws.requireEvidence(id);
    const slot = listIndicators(ws.framework()).find((e) => e.indicator.code === '5.1')!.indicator.requirements.find((r) => r.id === '5.1-2')!.title;
    expect(back).toMatchObject({
      severity: 'warning',
      indicator: '5.1',
      requirement: '5.1-2',
      department: DEPT,
      evidence: [id],
      action: '按退回意见修改后重新上传。',
      detail: { department: DEPT, comment: REASON, submittedBy: clerk.name, actionEn: 'Revise it as the comment says and upload it again.' },
    });
    // The reason's own full stop is not doubled.
    expect(back.message).toBe(`${DEPT}报送的《${item.title}》（指标 5.1“${slot}”）已退回，退回意见：缺少盖章页，请补充盖章后的扫描件。`);
    expect(back.messageEn).toBe(`《${item.title}》 (indicator 5.1, 5.1-2) from ${DEPT} was returned by the coordination office: 缺少盖章页，请补充盖章后的扫描件.`);
    // 总览 counts it: one more warning than before the return.
    expect(theirs.summary.counts.warning).toBe(warningsBefore + 1);
    expect(returnedOf(await call<GapReport>('gaps.get', {}, office))).toHaveLength(1);
    // Another department does not see it.
    expect(returnedOf(await call<GapReport>('gaps.get', {}, other))).toEqual([]);

    await submit('劳务协作工作方案（盖章）.txt', '青山县劳务协作工作方案（盖章版）\n2019年4月1日\n');
    expect(returnedOf(await ws.gaps())).toEqual([]);
  });
});

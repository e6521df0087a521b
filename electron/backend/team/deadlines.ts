/**
 * Due dates of what departments owe: for all a department owes, for one indicator, or for one requirement; the
 * most specific applies (shared/gaps/rules/deadlines.ts). Setting one is an undoable action in the history.
 */
import { isIsoDate } from '../../../shared/domain/dates.js';
import type { Framework } from '../../../shared/domain/types.js';
import { AppError } from '../../../shared/errors.js';
import { listIndicators } from '../../../shared/framework/schema.js';
import type { Deadline } from '../../../shared/team/types.js';
import { getDeadline, listDeadlines, putDeadline } from '../db/deadlines.js';
import { appendHistory } from '../db/history.js';
import type { Workspace } from '../workspace/workspace.js';

/** The lead departments (牵头单位) the framework names, in framework order. */
export function frameworkDepartments(framework: Framework): string[] {
  return [...new Set(listIndicators(framework).flatMap(({ indicator }) => (indicator.department ? [indicator.department] : [])))];
}

/** A department as the framework names it, or a refusal that lists the names it knows. */
export function requireDepartment(framework: Framework, department: string): string {
  const name = department.trim();
  const known = frameworkDepartments(framework);
  if (!known.includes(name)) throw new AppError('usage', `框架中没有牵头单位“${name}”。可用：${known.join('、') || '无'}`);
  return name;
}

export async function listWorkspaceDeadlines(ws: Workspace): Promise<Deadline[]> {
  return listDeadlines(ws.teamScope().store.reader);
}

export type DeadlineInput = { department: string; indicator?: string; requirement?: string; due: string | null };

/** Sets (or with due null removes) one deadline; a requirement alone names its indicator. Returns all deadlines. */
export async function setDeadline(ws: Workspace, input: DeadlineInput): Promise<Deadline[]> {
  const framework = ws.framework();
  const department = requireDepartment(framework, input.department);
  if (input.due !== null && !isIsoDate(input.due)) throw new AppError('usage', `日期“${input.due}”无效，应写作 2019-10-31。`);
  let indicator = input.indicator?.trim() || undefined;
  const requirement = input.requirement?.trim() || undefined;
  if (requirement) {
    const owner = listIndicators(framework).find(({ indicator: i }) => i.requirements.some((r) => r.id === requirement))?.indicator;
    if (!owner) throw new AppError('usage', `框架中没有材料要求 ${requirement}。`);
    if (indicator && indicator !== owner.code) throw new AppError('usage', `材料要求 ${requirement} 属于指标 ${owner.code}，不属于指标 ${indicator}。`);
    indicator = owner.code;
  } else if (indicator && !ws.hasIndicator(indicator)) {
    throw new AppError('usage', `框架中没有指标 ${indicator}。`);
  }
  const key = { department, indicator, requirement };
  const { store, now } = ws.teamScope();
  await store.write(async (db) => {
    const before = await getDeadline(db, key);
    if (before === input.due) return;
    await putDeadline(db, key, input.due);
    await appendHistory(db, [{ action: 'deadline', department, indicator: indicator ?? null, requirement: requirement ?? null, before, after: input.due }], now().toISOString());
  });
  return listDeadlines(store.reader);
}

import type { Method } from '../../../shared/api/contract.js';
import type { Evidence, Framework, GapReport, IndicatorResult } from '../../../shared/domain/types.js';
import { SEVERITIES } from '../../../shared/domain/types.js';
import { AppError } from '../../../shared/errors.js';
import { listIndicators } from '../../../shared/framework/schema.js';
import { refusal } from '../../../shared/team/access.js';
import type { Actor } from '../../../shared/team/roles.js';
import type { ApiHandlers } from '../api/dispatch.js';
import type { Workspace } from '../workspace/workspace.js';

/**
 * The rules of team mode that need the call's data, in one place: what a 部门 account may see (evidence of its
 * departments, the requirements of the indicators they lead), what it may change (its departments' submissions
 * still 待审核 or 已退回), where it may upload (its requirements, as a 待审核 submission), and that a 领导 builds only
 * the review edition. Applied by wrapping the handlers, after METHOD_ACCESS (shared/team/access.ts) let the role in.
 * Calls without an actor (desktop, CLI) pass through untouched.
 */

/** Department (牵头单位) of each indicator code. */
function indicatorDepartments(fw: Framework): Map<string, string> {
  const out = new Map<string, string>();
  for (const { indicator } of listIndicators(fw)) if (indicator.department) out.set(indicator.code, indicator.department);
  return out;
}

/** The indicator a requirement id belongs to (ids are unique in a framework). */
export function requirementIndicator(fw: Framework, requirement: string): { code: string; department?: string } | undefined {
  for (const { indicator } of listIndicators(fw)) {
    if (indicator.requirements.some((r) => r.id === requirement)) return { code: indicator.code, department: indicator.department };
  }
  return undefined;
}

export type DepartmentScope = {
  departments: Set<string>;
  /** Indicators the departments lead. */
  indicators: Set<string>;
  sees(ev: Evidence): boolean;
};

export function departmentScope(actor: Actor, fw: Framework): DepartmentScope {
  const departments = new Set(actor.departments);
  const indicators = new Set([...indicatorDepartments(fw)].filter(([, d]) => departments.has(d)).map(([code]) => code));
  return {
    departments,
    indicators,
    sees: (ev) => (ev.department !== undefined && departments.has(ev.department)) || ev.links.some((l) => indicators.has(l.indicator)),
  };
}

const forbidden = (message: string): AppError => new AppError('forbidden', message);

/**
 * Where an upload into a requirement goes and as what: a 部门 account's files are its department's 待审核
 * submission (the requirement must be one of its departments'); everyone else files directly (undefined).
 */
export function uploadTarget(fw: Framework, actor: Actor | undefined, requirement: string | undefined): { indicator?: string; submission?: { department: string; submittedBy: string } } {
  const target = requirement ? requirementIndicator(fw, requirement) : undefined;
  if (requirement && !target) throw new AppError('not-found', `框架中没有编号为“${requirement}”的材料要求。`);
  if (actor?.role !== 'department') return target ? { indicator: target.code } : {};
  if (!target) throw forbidden('部门账号上传材料时须选择本部门的一项材料要求。');
  if (!target.department || !actor.departments.includes(target.department)) {
    throw forbidden(`材料要求“${requirement}”属于${target.department ?? '未指定牵头单位的指标'}，不是本账号所在部门的，不能上传。`);
  }
  return { indicator: target.code, submission: { department: target.department, submittedBy: actor.name } };
}

function filterGaps(report: GapReport, scope: DepartmentScope): GapReport {
  const categories = report.summary.categories
    .map((c) => ({ ...c, indicators: c.indicators.filter((i) => scope.indicators.has(i.code)) }))
    .filter((c) => c.indicators.length);
  const findings = report.findings.filter((f) => (f.indicator !== undefined && scope.indicators.has(f.indicator)) || (f.department !== undefined && scope.departments.has(f.department)));
  const indicators: IndicatorResult[] = categories.flatMap((c) => c.indicators);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 1);
  return {
    summary: {
      completeness: mean(indicators.map((i) => i.completeness)),
      counts: Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length])) as GapReport['summary']['counts'],
      categories: categories.map((c) => ({ ...c, completeness: mean(c.indicators.map((i) => i.completeness)) })),
      departments: report.summary.departments.filter((d) => scope.departments.has(d.department)),
    },
    findings,
  };
}

/** Who started a job (the server's job registry); undefined for an unknown job. */
export type JobOwners = { owner(id: string): string | undefined };

type Rule = {
  /** Refuses (AppError) a call this actor may not make with this input; may return a replacement input. */
  check?: (input: never, actor: Actor, ws: Workspace, jobs: JobOwners) => Promise<unknown> | unknown;
  /** Cuts the output down to what this actor may see. */
  filter?: (output: never, actor: Actor, ws: Workspace) => Promise<unknown> | unknown;
};

const OWN_SUBMISSION = '部门账号只能修改或删除本部门报送、尚未采用（待审核或已退回）的材料。';

async function ownSubmissions(ids: number[], actor: Actor, ws: Workspace): Promise<void> {
  for (const id of ids) {
    const ev = await ws.getEvidence(id);
    const own = ev?.department !== undefined && actor.departments.includes(ev.department) && (ev.reviewState === 'pending' || ev.reviewState === 'returned');
    if (!own) throw forbidden(OWN_SUBMISSION);
  }
}

function ownDepartment(department: string, actor: Actor): void {
  if (!actor.departments.includes(department)) throw forbidden(`部门账号只能查看本部门（${actor.departments.join('、')}）的内容，不能查看“${department}”的。`);
}

const visible = async (ws: Workspace, actor: Actor) => departmentScope(actor, ws.framework());

/**
 * Jobs are addressed by a random id, but an id seen once (a shared screen, a log) must not open another's job: a 部门
 * or 领导 account reads (and a 部门 cancels) only the jobs it started. Not found rather than forbidden, as for evidence.
 */
async function ownJob(input: { id: string }, actor: Actor, ws: Workspace, jobs: JobOwners): Promise<void> {
  // A job of an earlier run of the server is owned by whom its stored row names.
  const owner = jobs.owner(input.id) ?? (await ws.job(input.id))?.actor;
  if (owner !== actor.name) throw new AppError('not-found', '找不到这个任务，可能已经结束很久。');
}

/** Rules for the 部门 role. */
const DEPARTMENT: Partial<Record<Method, Rule>> = {
  'evidence.list': { filter: async (rows: Evidence[], actor, ws) => rows.filter((await visible(ws, actor)).sees) },
  'evidence.search': {
    filter: async (ids: number[], actor, ws) => {
      const scope = await visible(ws, actor);
      const seen = new Set((await ws.listEvidence()).filter(scope.sees).map((e) => e.id));
      return ids.filter((id) => seen.has(id));
    },
  },
  'evidence.get': {
    check: async (input: { id: number }, actor, ws) => {
      const ev = await ws.getEvidence(input.id);
      // Not found rather than forbidden: the answer does not tell that the item exists.
      if (!ev || !(await visible(ws, actor)).sees(ev)) throw new AppError('not-found', `找不到编号为 ${input.id} 的材料。`);
    },
  },
  'evidence.update': { check: (input: { ids: number[] }, actor, ws) => ownSubmissions(input.ids, actor, ws) },
  'evidence.delete': { check: (input: { ids: number[] }, actor, ws) => ownSubmissions(input.ids, actor, ws) },
  'gaps.get': { filter: async (report: GapReport, actor, ws) => filterGaps(report, await visible(ws, actor)) },
  'departments.export': { check: (input: { department: string }, actor) => ownDepartment(input.department, actor) },
  'review.list': {
    check: (input: { department?: string }, actor) => (input.department ? ownDepartment(input.department, actor) : undefined),
    filter: async (rows: Evidence[], actor, ws) => rows.filter((await visible(ws, actor)).sees),
  },
  'deadlines.list': { filter: (rows: { department: string }[], actor) => rows.filter((d) => actor.departments.includes(d.department)) },
  'rectification.list': {
    filter: async (items: { department?: string | null; indicator?: string | null }[], actor, ws) => {
      const scope = await visible(ws, actor);
      return items.filter((i) => (i.department && scope.departments.has(i.department)) || (i.indicator && scope.indicators.has(i.indicator)));
    },
  },
  'history.list': { filter: (rows: { actor?: string }[], actor) => rows.filter((r) => r.actor === actor.name) },
  'jobs.get': { check: ownJob },
  'jobs.cancel': { check: ownJob },
};

/** Server paths and fonts are the office's: other roles build with the workspace's own choices. */
function noServerPaths(input: { outDir?: string; fontFile?: string }, actor: Actor): void {
  if (input.outDir !== undefined || input.fontFile !== undefined) throw forbidden(`${refusal(actor.role, '指定服务器上的输出文件夹或字体文件').slice(0, -1)}。`);
}

/** Rules for the 领导 role. */
const LEADER: Partial<Record<Method, Rule>> = {
  'binder.build': {
    check: (input: { edition?: string; formats: string[]; outDir?: string; fontFile?: string }, actor) => {
      if (input.edition !== 'review' || input.formats.includes('zip')) throw forbidden(refusal(actor.role, '生成报送版'));
      noServerPaths(input, actor);
    },
  },
  // Reading is the leader's role, but full ID and mobile numbers of poor households are the office's to handle.
  'ledgers.rows': {
    check: (input: { unmasked?: boolean }, actor) => {
      if (input.unmasked) throw forbidden(refusal(actor.role, '查看未遮蔽的身份证号和手机号'));
    },
  },
  // A leader's jobs are its own review-edition builds (it may not cancel: METHOD_ACCESS).
  'jobs.get': { check: ownJob },
};

const RULES: Partial<Record<Actor['role'], Partial<Record<Method, Rule>>>> = { department: DEPARTMENT, leader: LEADER };

/** The handlers with team mode's data rules around them (see the module comment). */
export function scopedHandlers(handlers: ApiHandlers, workspace: () => Workspace, jobs: JobOwners): ApiHandlers {
  const wrapped = { ...handlers } as Record<Method, (input: unknown, ctx: { actor?: Actor }) => Promise<unknown>>;
  for (const method of Object.keys(handlers) as Method[]) {
    const inner = handlers[method] as (input: unknown, ctx: { actor?: Actor }) => Promise<unknown> | unknown;
    wrapped[method] = async (input, ctx) => {
      const actor = ctx.actor;
      const rule = actor ? RULES[actor.role]?.[method] : undefined;
      if (!actor || !rule) return inner(input, ctx);
      const ws = workspace();
      const replaced = rule.check ? await (rule.check as (i: unknown, a: Actor, w: Workspace, j: JobOwners) => unknown)(input, actor, ws, jobs) : undefined;
      const output = await inner(replaced ?? input, ctx);
      return rule.filter ? (rule.filter as (o: unknown, a: Actor, w: Workspace) => unknown)(output, actor, ws) : output;
    };
  }
  return wrapped as ApiHandlers;
}

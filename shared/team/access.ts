import type { Method } from '../api/contract.js';
import { ROLE_NAME, type Role } from './roles.js';

/**
 * Who may call what on a team server: one row per contract method (a Record over Method, so a method added to the
 * contract does not compile until it has a row here). `roles` may call it at all; the refusal names the role and
 * `action`. Checked before the input is even read, so a refusal never depends on what was sent.
 *
 * Finer rules that need the call's data — a 部门 account only sees its departments, edits only its own pending or
 * returned submissions, uploads only into its requirements; a 领导 builds only the review edition — are applied
 * after this check in electron/backend/team/scope.ts.
 */
export type MethodAccess = {
  roles: readonly Role[];
  /** What the method does, as the refusal says it: “部门账号不能{action}。” */
  action: string;
  /** A team server serves one fixed workspace: methods that open or create another are refused for everyone. */
  fixedWorkspace?: true;
};

const ALL = ['admin', 'office', 'department', 'leader'] as const satisfies readonly Role[];
const OFFICE = ['admin', 'office'] as const satisfies readonly Role[];
const READERS = ['admin', 'office', 'leader'] as const satisfies readonly Role[];
const WORKERS = ['admin', 'office', 'department'] as const satisfies readonly Role[];
const ADMIN = ['admin'] as const satisfies readonly Role[];
const NOBODY = [] as const satisfies readonly Role[];

export const METHOD_ACCESS: Record<Method, MethodAccess> = {
  'session.state': { roles: ALL, action: '查看登录状态' },
  'templates.list': { roles: ALL, action: '查看框架模板' },
  'templates.get': { roles: ALL, action: '查看框架模板' },
  'workspace.create': { roles: NOBODY, action: '新建工作区', fixedWorkspace: true },
  'workspace.open': { roles: NOBODY, action: '打开其他工作区', fixedWorkspace: true },
  'workspace.openDemo': { roles: NOBODY, action: '打开示例工作区', fixedWorkspace: true },
  'demo.create': { roles: NOBODY, action: '生成示例工作区', fixedWorkspace: true },
  'workspace.info': { roles: ALL, action: '查看工作区' },
  'workspace.update': { roles: OFFICE, action: '修改工作区设置' },
  'evidence.list': { roles: ALL, action: '查看材料' },
  'evidence.search': { roles: ALL, action: '查找材料' },
  'evidence.get': { roles: ALL, action: '查看材料' },
  // Paths on the server's own disk: only the office, which runs the server, may name them.
  'evidence.import': { roles: OFFICE, action: '从服务器上的文件夹导入材料' },
  'evidence.update': { roles: WORKERS, action: '修改材料' },
  'evidence.link': { roles: OFFICE, action: '归档材料' },
  'evidence.unlink': { roles: OFFICE, action: '取消归档' },
  'evidence.accept': { roles: OFFICE, action: '确认归档建议' },
  'evidence.delete': { roles: WORKERS, action: '删除材料' },
  'evidence.restore': { roles: OFFICE, action: '恢复已删除的材料' },
  'evidence.trash': { roles: READERS, action: '查看回收站' },
  'evidence.ocr': { roles: OFFICE, action: '做文字识别' },
  'filing.undo': { roles: WORKERS, action: '撤销操作' },
  'history.undoable': { roles: WORKERS, action: '撤销操作' },
  'evidence.reclassify': { roles: OFFICE, action: '重新分类材料' },
  'targets.list': { roles: ALL, action: '查看目标任务' },
  'targets.set': { roles: OFFICE, action: '填写目标任务' },
  'targets.setMany': { roles: OFFICE, action: '填写目标任务' },
  'targets.acceptComputed': { roles: OFFICE, action: '采用台账计算值' },
  'ledgers.list': { roles: READERS, action: '查看台账' },
  'ledgers.map': { roles: OFFICE, action: '设置台账表头' },
  // Rows come masked unless asked; reading them is reading the ledger.
  'ledgers.rows': { roles: READERS, action: '查看台账明细' },
  'gaps.get': { roles: ALL, action: '查看缺漏' },
  'rectification.list': { roles: ALL, action: '查看整改清单' },
  'rectification.add': { roles: OFFICE, action: '修改整改清单' },
  'rectification.close': { roles: OFFICE, action: '修改整改清单' },
  'rectification.verify': { roles: OFFICE, action: '修改整改清单' },
  'rectification.edit': { roles: OFFICE, action: '修改整改清单' },
  'rectification.import': { roles: OFFICE, action: '导入整改清单' },
  'departments.export': { roles: ALL, action: '导出部门缺漏清单' },
  'history.list': { roles: ALL, action: '查看操作记录' },
  // 领导 builds only the review edition (scope.ts); 部门 builds nothing.
  'binder.build': { roles: READERS, action: '生成材料汇编' },
  'binder.outputs': { roles: READERS, action: '查看已生成的材料汇编' },
  // 部门 and 领导 only their own jobs (scope.ts); a 领导 reads its builds' progress but cancels nothing.
  'jobs.get': { roles: ALL, action: '查看任务进度' },
  'jobs.cancel': { roles: WORKERS, action: '取消任务' },
  'package.verify': { roles: OFFICE, action: '校验服务器上的提交包' },
  'system.info': { roles: ALL, action: '查看系统信息' },
  'users.list': { roles: ADMIN, action: '管理用户' },
  'users.add': { roles: ADMIN, action: '管理用户' },
  'users.update': { roles: ADMIN, action: '管理用户' },
  'users.resetPassword': { roles: ADMIN, action: '管理用户' },
  'review.list': { roles: ALL, action: '查看报送审核' },
  'review.accept': { roles: OFFICE, action: '审核报送材料' },
  'review.return': { roles: OFFICE, action: '审核报送材料' },
  'deadlines.list': { roles: ALL, action: '查看报送时限' },
  'deadlines.set': { roles: OFFICE, action: '设置报送时限' },
  'notices.export': { roles: READERS, action: '生成催报通知' },
  'kits.create': { roles: OFFICE, action: '生成离线报送包' },
  'audit.export': { roles: READERS, action: '导出审计日志' },
};

export const FIXED_WORKSPACE_MESSAGE = '团队服务器只服务启动时指定的工作区，不能在网页中打开、新建或切换工作区。';

/** The Chinese refusal for a role and an action. */
export function refusal(role: Role, action: string): string {
  return `${ROLE_NAME[role].zh}账号不能${action}。`;
}

/** Uploads (POST /upload, not a contract method): the office, and departments into their own requirements. */
export const UPLOAD_ACCESS: MethodAccess = { roles: WORKERS, action: '上传材料' };

export function checkUploadAccess(role: Role): string | null {
  return (UPLOAD_ACCESS.roles as readonly Role[]).includes(role) ? null : refusal(role, UPLOAD_ACCESS.action);
}

/** Null when the role may call the method; else the Chinese refusal (answered 403). */
export function checkAccess(method: Method, role: Role): string | null {
  const rule = METHOD_ACCESS[method];
  if (rule.fixedWorkspace) return FIXED_WORKSPACE_MESSAGE;
  return (rule.roles as readonly Role[]).includes(role) ? null : refusal(role, rule.action);
}

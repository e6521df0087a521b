import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../../../shared/errors.js';
import type { teamContract } from '../../../shared/api/team-contract.js';
import type { CallContext } from '../../../shared/team/roles.js';
import type { ExportedFile } from '../../../shared/team/types.js';
import { Accounts } from '../team/accounts.js';
import type { Workspace } from '../workspace/workspace.js';
import type { ApiHandlers } from './dispatch.js';
import type { HandlerDeps } from './handlers.js';
import { outputDir } from './outputs.js';

type TeamMethod = keyof typeof teamContract;
type UserMethod = Extract<TeamMethod, `users.${string}`>;
type WorkflowMethod = Exclude<TeamMethod, UserMethod>;

/** A 部门 user sees only its own departments' submissions; everybody else (and the desktop) sees all. */
function departmentsSeen(ctx: CallContext): string[] | undefined {
  return ctx.actor?.role === 'department' ? ctx.actor.departments : undefined;
}

/**
 * Review, deadlines, 催报通知, collection kits and the audit log. They work on the desktop too (no actor): an office
 * alone uses deadlines, notices and kits without a team server.
 */
export function workflowHandlers(deps: HandlerDeps, ws: () => Workspace): Pick<ApiHandlers, WorkflowMethod> {
  const exported = (w: Workspace, file: string): ExportedFile => ({
    path: file,
    url: deps.fileUrl ? deps.fileUrl('output', path.basename(file)) : pathToFileURL(path.join(outputDir(w), path.basename(file))).href,
  });
  return {
    'review.list': async (input, ctx) => {
      const seen = departmentsSeen(ctx);
      if (seen && input.department && !seen.includes(input.department)) {
        throw new AppError('forbidden', `您只能查看${seen.join('、')}报送的材料。`);
      }
      const items = await ws().reviewList(input.state ?? 'pending', input.department);
      return seen ? items.filter((e) => e.department !== undefined && seen.includes(e.department)) : items;
    },
    'review.accept': (input) => ws().reviewAccept(input.ids, { indicator: input.indicator, requirement: input.requirement }),
    'review.return': (input) => ws().reviewReturn(input.ids, input.comment),
    'deadlines.list': async () => {
      const { listWorkspaceDeadlines } = await import('../team/deadlines.js');
      return listWorkspaceDeadlines(ws());
    },
    'deadlines.set': async (input) => {
      const { setDeadline } = await import('../team/deadlines.js');
      return setDeadline(ws(), input);
    },
    'notices.export': async (input) => {
      const w = ws();
      const { exportNotice } = await import('../team/notices.js');
      return exported(w, await exportNotice(w, input.department, input.format, outputDir(w), { contact: input.contact, uploadAddress: input.uploadAddress }));
    },
    'kits.create': async (input) => {
      const w = ws();
      const { createKit } = await import('../team/kits.js');
      const out = input.out ? path.resolve(input.out) : undefined;
      const kit = await createKit(w, input.department, out ?? outputDir(w));
      return { ...kit, ...exported(w, kit.path), ...(out ? { url: pathToFileURL(kit.path).href } : {}) };
    },
    'audit.export': async () => {
      const w = ws();
      const { exportAudit } = await import('../team/audit.js');
      return exported(w, await exportAudit(w, outputDir(w)));
    },
  };
}

/**
 * Accounts of the workspace (team mode). On a team server only 管理员 reaches these (shared/team/access.ts); the
 * CLI's `binder users` calls them as the person at the server, who can read the workspace folder anyway.
 */
export function userHandlers(ws: () => Workspace, now?: () => Date): Pick<ApiHandlers, UserMethod> {
  const accounts = () => new Accounts(ws().users, now);
  return {
    'users.list': () => accounts().list(),
    'users.add': (input) => accounts().add(input),
    'users.update': (input) => accounts().update(input),
    'users.resetPassword': (input) => accounts().resetPassword(input.name, input.password),
  };
}

import { AppError } from '../../../shared/errors.js';
import type { teamContract } from '../../../shared/api/team-contract.js';
import { Accounts } from '../team/accounts.js';
import type { Workspace } from '../workspace/workspace.js';
import type { ApiHandlers } from './dispatch.js';

type TeamMethod = keyof typeof teamContract;
type UserMethod = Extract<TeamMethod, `users.${string}`>;

/**
 * Placeholders until each team method is implemented: a clear refusal instead of a missing handler. Replaced method
 * by method by the team server (users, review) and the workflow (deadlines, notices, kits, audit).
 */
export function pendingTeamHandlers(): Pick<ApiHandlers, Exclude<TeamMethod, UserMethod>> {
  const refuse = (): never => {
    throw new AppError('team-only', '此功能尚未提供。');
  };
  return {
    'review.list': refuse,
    'review.accept': refuse,
    'review.return': refuse,
    'deadlines.list': refuse,
    'deadlines.set': refuse,
    'notices.export': refuse,
    'kits.create': refuse,
    'audit.export': refuse,
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

import { AppError } from '../../../shared/errors.js';
import type { teamContract } from '../../../shared/api/team-contract.js';
import type { ApiHandlers } from './dispatch.js';

type TeamMethod = keyof typeof teamContract;

/**
 * Placeholders until each team method is implemented: a clear refusal instead of a missing handler. Replaced method
 * by method by the team server (users, review) and the workflow (deadlines, notices, kits, audit).
 */
export function pendingTeamHandlers(): Pick<ApiHandlers, TeamMethod> {
  const refuse = (): never => {
    throw new AppError('team-only', '此功能尚未提供。');
  };
  return {
    'users.list': refuse,
    'users.add': refuse,
    'users.update': refuse,
    'users.resetPassword': refuse,
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

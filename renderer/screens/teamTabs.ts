import type { SessionState } from '../../shared/api/contract.js';

// 整改清单 after 生成, so the Alt+1…6 shortcuts people know stay where they were; team screens come last.
export const TABS = ['overview', 'indicators', 'evidence', 'findings', 'department', 'build', 'rectification', 'settings', 'review', 'accounts'] as const;
export type Tab = (typeof TABS)[number];

const DESKTOP: readonly Tab[] = TABS.filter((t) => t !== 'review' && t !== 'accounts');

/**
 * The screens a user sees. The server refuses what a role may not do whatever the page shows; this only keeps the
 * page to what the role can use: a department works on what it owes, a leader reads, the office also reviews, the
 * administrator also manages accounts.
 */
export function tabsFor(session: Pick<SessionState, 'team' | 'user'>): readonly Tab[] {
  if (!session.team || !session.user) return DESKTOP;
  switch (session.user.role) {
    case 'department':
      return ['department', 'evidence', 'findings'];
    case 'leader':
      return ['overview', 'indicators', 'findings', 'department', 'build'];
    case 'office':
      return [...DESKTOP, 'review'];
    case 'admin':
      return [...DESKTOP, 'review', 'accounts'];
  }
}

import { describe, expect, it } from 'vitest';
import { tabsFor } from '../../../renderer/screens/teamTabs.js';
import type { Actor } from '../../../shared/team/roles.js';

const user = (role: Actor['role'], departments: string[] = []): Actor => ({ name: 'u', role, departments });

describe('the screens each user sees', () => {
  it('shows the desktop the eight screens of one office, without review or accounts', () => {
    expect(tabsFor({})).toEqual(['overview', 'indicators', 'evidence', 'findings', 'department', 'build', 'rectification', 'settings']);
  });

  it('gives a department what it owes, its items and its problems; nothing to build, review or configure', () => {
    const tabs = tabsFor({ team: true, user: user('department', ['县人社局']) });
    expect(tabs[0]).toBe('department');
    for (const hidden of ['build', 'settings', 'review', 'accounts', 'rectification'] as const) expect(tabs).not.toContain(hidden);
  });

  it('gives a leader the overview first and no screen that changes things', () => {
    const tabs = tabsFor({ team: true, user: user('leader') });
    expect(tabs[0]).toBe('overview');
    for (const hidden of ['evidence', 'settings', 'review', 'accounts', 'rectification'] as const) expect(tabs).not.toContain(hidden);
  });

  it('adds review for the office and accounts for the administrator only', () => {
    expect(tabsFor({ team: true, user: user('office') })).toContain('review');
    expect(tabsFor({ team: true, user: user('office') })).not.toContain('accounts');
    expect(tabsFor({ team: true, user: user('admin') }).slice(-2)).toEqual(['review', 'accounts']);
  });
});

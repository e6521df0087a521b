import { expect, test } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { binder, hostUrl, openWorkspace, scratchDir, shot } from './helpers.js';

type Listed = { id: number; title: string }[];

/** A workspace with one text document, so both workspaces have an item numbered 1. */
function workspaceWithOneItem(name: string, title: string, docTitle: string): string {
  const dir = path.join(scratchDir(), name);
  binder('init', dir, '--template', 'east-west-2017', '--title', title);
  const inbox = path.join(scratchDir(), `${name}-收件`);
  mkdirSync(inbox, { recursive: true });
  writeFileSync(path.join(inbox, `${docTitle}.txt`), `${docTitle}\n2019年3月12日，县委书记主持召开会议。\n`);
  binder('import', dir, inbox);
  return dir;
}

const titleOf = (dir: string, id: number): string =>
  (JSON.parse(binder('list', dir, '--json')) as Listed).find((e) => e.id === id)!.title;

test('two tabs on two workspaces cannot cross-edit', async ({ context }) => {
  const east = workspaceWithOneItem('东乡', '东乡县2019年佐证材料', '东乡县领导小组会议纪要');
  const west = workspaceWithOneItem('西乡', '西乡县2019年佐证材料', '西乡县挂职干部名册');
  const eastTitle = titleOf(east, 1);
  const westTitle = titleOf(west, 1);

  const tabA = await context.newPage();
  await tabA.goto(hostUrl());
  await openWorkspace(tabA, east);
  await expect(tabA.locator('.topbar')).toContainText('东乡县2019年佐证材料');

  // Tab A stops hearing the host's announcements (a sleeping laptop, a dropped connection): it is stale.
  await tabA.route('**/events?*', (route) => route.abort());
  await tabA.reload();
  await expect(tabA.locator('.topbar')).toContainText('东乡县2019年佐证材料');
  await tabA.keyboard.press('Alt+3');
  await tabA.locator('.vtable-row', { hasText: eastTitle }).click();

  // Tab B switches the host to the other county.
  const tabB = await context.newPage();
  await tabB.goto(hostUrl());
  await openWorkspace(tabB, west);
  await expect(tabB.locator('.topbar')).toContainText('西乡县2019年佐证材料');

  // Tab A still shows 东乡 and renames its item 1: the host refuses, says why, and the tab reloads 西乡.
  await tabA.bringToFront();
  const form = tabA.getByRole('form', { name: '材料信息' });
  await form.getByLabel('题名').fill('改名后的会议纪要');
  await form.getByRole('button', { name: '保存' }).click();
  await expect(tabA.getByRole('alert')).toContainText('已被其他窗口切换为“西乡县2019年佐证材料”');
  await expect(tabA.getByText('已保存。')).toHaveCount(0);
  await expect(tabA.locator('.topbar')).toContainText('西乡县2019年佐证材料');
  await shot(tabA, 'tabs-01-refused-and-reloaded');

  // Neither county's item 1 was renamed.
  expect(titleOf(west, 1)).toBe(westTitle);
  expect(titleOf(east, 1)).toBe(eastTitle);

  // A listening tab learns of a switch by itself, before the user touches anything.
  await tabA.unroute('**/events?*');
  await tabA.reload();
  await expect(tabA.locator('.topbar')).toContainText('西乡县2019年佐证材料');
  await openWorkspace(tabB, east);
  await expect(tabA.locator('.topbar')).toContainText('东乡县2019年佐证材料');
  await expect(tabA.locator('.notice')).toContainText('另一个窗口切换了工作区');
  // …and the tab that switched is not told about its own switch.
  await expect(tabB.locator('.notice', { hasText: '另一个窗口切换了工作区' })).toHaveCount(0);
});

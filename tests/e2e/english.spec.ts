import { expect, test } from '@playwright/test';
import path from 'node:path';
import { binder, hostUrl, openWorkspace, scratchDir, shot } from './helpers.js';

/** Han characters left after removing quoted framework names (“年度工作要点”, even nested) and department names. */
function stray(text: string): string[] {
  let rest = text;
  while (/“[^“”]*”/.test(rest)) rest = rest.replace(/“[^“”]*”/g, '');
  return rest.match(/\p{Script=Han}+/gu) ?? [];
}

test.use({ viewport: { width: 1366, height: 680 } });

test('English findings are English', async ({ page }) => {
  const dir = path.join(scratchDir(), '英文');
  binder('init', dir, '--template', 'east-west-2017', '--title', 'Demo county', '--period', '2019-01-01..2019-12-31');
  binder('targets', dir, '--target', '5.2-t1=1200', '--set', '5.2-t1=1000');
  await page.goto(hostUrl());
  await openWorkspace(page, dir);
  await page.getByRole('button', { name: '切换语言' }).click();
  const findingsTab = page.getByRole('tab', { name: 'Findings' });
  await findingsTab.click();
  const items = page.locator('.finding-item');
  await expect(items.first()).toBeVisible();
  const texts = await items.allTextContents();
  expect(texts.length).toBeGreaterThan(20);
  const chinese = texts.filter((t) => stray(t).length > 0);
  expect(chinese).toEqual([]);
  // Kinds render their own English: an unmet target and empty slots.
  await expect(items.filter({ hasText: 'not met' })).toHaveCount(1);
  await expect(items.filter({ hasText: 'is missing' }).first()).toBeVisible();
  await shot(page, 'english-01-findings-1366x680');
  await page.getByRole('button', { name: 'Switch language' }).click();
});

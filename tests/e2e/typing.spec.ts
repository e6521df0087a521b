import { expect, test } from '@playwright/test';
import path from 'node:path';
import { binder, hostUrl, openWorkspace, scratchDir, shot } from './helpers.js';

type Target = { id: string; target: number | null; actual: number | null; source?: string };

test.use({ viewport: { width: 1366, height: 680 } });

test('typing at full speed across the 协议指标 table keeps every character', async ({ page }) => {
  const dir = path.join(scratchDir(), '目标录入');
  binder('init', dir, '--template', 'east-west-2017', '--title', '北川县2019年佐证材料');
  await page.goto(hostUrl());
  await openWorkspace(page, dir);
  // A county PC answers slower than this machine: each save and refetch lands while the next field is typed in.
  await page.route('**/api/targets.*', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 150));
    await route.continue();
  });

  await page.getByRole('tab', { name: '指标' }).click();
  await page.getByRole('treeitem', { name: /5\.2 转移就业/ }).click();
  const table = page.locator('table.targets-edit');
  await expect(table.locator('tbody tr')).toHaveCount(4);

  const typed = [
    { target: '1200', actual: '1350', source: '转移就业台账（2019年全年）' },
    { target: '400', actual: '512', source: '挂职干部名册2019年（第1批）' },
    { target: '600', actual: '655', source: '县人社局劳务输出统计表' },
    { target: '200', actual: '183', source: '其他地区就业花名册第3版' },
  ];
  // One continuous run of keystrokes: field, Tab, field, Tab… as a clerk copies from a paper ledger.
  await table.locator('tbody tr').first().locator('input').first().click();
  for (const row of typed) {
    for (const text of [row.target, row.actual, row.source]) {
      await page.keyboard.type(text);
      await page.keyboard.press('Tab');
    }
  }

  const rows = table.locator('tbody tr');
  for (let i = 0; i < typed.length; i++) {
    const inputs = rows.nth(i).locator('input');
    await expect(inputs.nth(0)).toHaveValue(typed[i].target);
    await expect(inputs.nth(1)).toHaveValue(typed[i].actual);
    await expect(inputs.nth(2)).toHaveValue(typed[i].source);
  }
  // …and every field reached the workspace, as the CLI reads it.
  await expect
    .poll(() => (JSON.parse(binder('targets', dir, '--json')) as Target[]).filter((t) => t.id.startsWith('5.2-')).map((t) => [t.target, t.actual, t.source ?? null]))
    .toEqual(typed.map((r) => [Number(r.target), Number(r.actual), r.source]));
  // The last target (183 of 200) is shown as not met.
  await expect(rows.nth(3)).toContainText('未完成');
  await shot(page, 'typing-01-targets-1366x680');
});

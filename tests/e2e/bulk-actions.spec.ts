import { expect, test } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { binder, hostUrl, openWorkspace, scratchDir, shot } from './helpers.js';

const ITEMS = 40;

test.use({ viewport: { width: 1366, height: 680 } });

test('select-all + Delete asks with the count, and one undo restores all; batch edits warn before overwriting', async ({ page }) => {
  const dir = path.join(scratchDir(), '批量');
  binder('init', dir, '--template', 'east-west-2017', '--title', '南山县2019年佐证材料');
  const inbox = path.join(scratchDir(), '批量-收件');
  mkdirSync(inbox, { recursive: true });
  for (let i = 1; i <= ITEMS; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    writeFileSync(path.join(inbox, `工作简报第${i}期.txt`), `南山县东西部协作工作简报（第${i}期）\n2019-05-${day}\n县协作办编印。\n`);
  }
  binder('import', dir, inbox);

  await page.goto(hostUrl());
  await openWorkspace(page, dir);
  await page.keyboard.press('Alt+3');
  const foot = page.locator('.table-foot');
  await expect(foot).toContainText(`共 ${ITEMS} 件`);

  // --- Ctrl+A, Delete: asks first, with the count; 取消 keeps everything
  await page.getByTestId('vtable-body').focus();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText(`将把所选的 ${ITEMS} 件材料移到回收站`);
  await shot(page, 'bulk-01-confirm-delete-1366x680');
  await dialog.getByRole('button', { name: '取消' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(foot).toContainText(`共 ${ITEMS} 件`);

  // --- confirm: all go; the 撤销 tooltip says what it would undo; one undo brings all back
  await page.getByTestId('vtable-body').focus();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await dialog.getByRole('button', { name: `移到回收站（${ITEMS} 件）` }).click();
  await expect(foot).toContainText('共 0 件');
  const undo = page.getByTestId('undo');
  await expect(undo).toHaveAttribute('title', `撤销：${ITEMS} 份材料的删除（Ctrl+Z）`);
  await undo.click();
  await expect(page.locator('.notice', { hasText: `已撤销：${ITEMS} 份材料的删除` })).toBeVisible();
  await expect(foot).toContainText(`共 ${ITEMS} 件`);

  // --- a batch date over five different dates says so before applying; 取消 changes nothing
  await page.locator('.vtable-row').first().click();
  await page.locator('.vtable-row').nth(4).click({ modifiers: ['Shift'] });
  const batch = page.getByRole('toolbar', { name: '批量修改' });
  await expect(batch).toContainText('已选 5 件');
  await batch.getByLabel('批量设置日期').fill('2019-06-30');
  await batch.getByRole('button', { name: '设置日期' }).click();
  await expect(dialog).toContainText('所选 5 件中有 5 件已有不同的日期');
  await shot(page, 'bulk-02-confirm-overwrite-1366x680');
  await dialog.getByRole('button', { name: '全部改为 2019-06-30' }).click();
  await expect(page.locator('.notice', { hasText: '已修改日期' })).toBeVisible();
  await expect(undo).toHaveAttribute('title', '撤销：5 份材料的修改（Ctrl+Z）');
  // One undo reverts the whole batch edit, not one item of it.
  await undo.click();
  await expect(page.locator('.notice', { hasText: '已撤销：5 份材料的修改' })).toBeVisible();
  const dates = JSON.parse(binder('list', dir, '--json')) as { date?: string }[];
  expect(dates.filter((e) => e.date === '2019-06-30')).toHaveLength(0);

  // --- the trash: 全部恢复 in one click
  await page.getByTestId('vtable-body').focus();
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Delete');
  await dialog.getByRole('button', { name: `移到回收站（${ITEMS} 件）` }).click();
  await expect(foot).toContainText('共 0 件');
  await page.keyboard.press('Alt+8');
  const restoreAll = page.getByRole('button', { name: `全部恢复（${ITEMS} 件）` });
  await restoreAll.scrollIntoViewIfNeeded();
  await shot(page, 'bulk-03-trash-1366x680');
  await restoreAll.click();
  await expect(page.locator('.notice', { hasText: `已恢复 ${ITEMS} 件材料` })).toBeVisible();
  await expect(page.getByText('回收站是空的。')).toBeVisible();
  await page.keyboard.press('Alt+3');
  await expect(foot).toContainText(`共 ${ITEMS} 件`);
});

import { expect, test, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { binder, hostUrl, openWorkspace, scratchDir, shot } from './helpers.js';

const DEPT = '县人社局';

/** What 县人社局 owes according to each of the three screens. */
async function owedOnEachScreen(page: Page): Promise<{ overview: number; department: number; findings: number }> {
  await page.getByRole('tab', { name: '总览' }).click();
  const rankRow = page.locator('.dept-rank tr', { has: page.getByRole('button', { name: DEPT, exact: true }) });
  const overview = Number(/(\d+)/.exec((await rankRow.locator('td.num').textContent()) ?? '')![1]);
  await page.getByRole('tab', { name: '按单位查看' }).click();
  await page.getByRole('combobox', { name: '选择单位' }).selectOption(DEPT);
  const department = Number(/待补 (\d+) 项/.exec((await page.getByTestId('dept-summary').textContent()) ?? '')![1]);
  await page.getByRole('tab', { name: '问题清单' }).click();
  await page.getByRole('radio', { name: '按牵头单位' }).click();
  const group = page.locator('.finding-group', { has: page.getByRole('heading', { name: new RegExp(`^${DEPT}`) }) });
  const findings = Number(await group.getByTestId('group-count').textContent());
  return { overview, department, findings };
}

test.use({ viewport: { width: 1366, height: 680 } });

test('counts agree across 总览, 按单位查看 and 问题清单 after an upload; the level filter changes the count', async ({ page }) => {
  const dir = path.join(scratchDir(), '计数');
  binder('init', dir, '--template', 'east-west-2017', '--title', '东岭县2019年佐证材料', '--period', '2019-01-01..2019-12-31');
  await page.goto(hostUrl());
  await openWorkspace(page, dir);

  const before = await owedOnEachScreen(page);
  expect(before.overview).toBeGreaterThan(0);
  expect(before.department).toBe(before.overview);
  expect(before.findings).toBe(before.overview);

  // The level filter changes what 问题清单 counts ("共 N 个问题" follows it).
  await page.getByRole('radio', { name: '按指标' }).click();
  const total = page.getByTestId('findings-count');
  const all = Number(/(\d+)/.exec((await total.textContent())!)![1]);
  const level = page.getByRole('combobox', { name: '级别' });
  const perLevel: number[] = [];
  for (const severity of ['error', 'warning', 'info'] as const) {
    await level.selectOption(severity);
    await expect(total).not.toHaveText(`共 ${all} 个问题`);
    perLevel.push(Number(/(\d+)/.exec((await total.textContent())!)![1]));
    await expect(page.locator('.finding-item')).toHaveCount(perLevel.at(-1)!);
  }
  expect(perLevel.reduce((a, b) => a + b, 0)).toBe(all);

  // One filter for the three screens: chosen on 总览, it holds on 按单位查看 and 问题清单, and the three agree.
  await page.getByRole('tab', { name: '总览' }).click();
  await page.getByRole('combobox', { name: '级别' }).selectOption('warning');
  const warnings = await owedOnEachScreen(page);
  expect(warnings.overview).toBeLessThan(before.overview);
  expect(warnings.department).toBe(warnings.overview);
  expect(warnings.findings).toBe(warnings.overview);
  await shot(page, 'counts-02-warnings-only-1366x680');
  await page.getByRole('tab', { name: '按单位查看' }).click();
  await page.getByRole('combobox', { name: '级别' }).selectOption('error');
  const errors = await owedOnEachScreen(page);
  expect(errors.overview + warnings.overview).toBe(before.overview);
  expect(errors.department).toBe(errors.overview);
  expect(errors.findings).toBe(errors.overview);
  // 提示 are advice, not debts: nobody owes anything under that filter, on any screen.
  await page.getByRole('combobox', { name: '级别' }).selectOption('info');
  await expect(page.getByTestId('findings-count')).toHaveText('各单位共欠 0 项');
  await page.getByRole('tab', { name: '总览' }).click();
  await expect(page.getByText('各单位均无待补材料。')).toBeVisible();
  await page.getByRole('combobox', { name: '级别' }).selectOption('');

  // 县人社局 hands in its 劳务协作协议 straight into the slot.
  await page.getByRole('tab', { name: '按单位查看' }).click();
  const slot = page.locator('.dept-slot', { hasText: '劳务协作协议' });
  const agreement = path.join(scratchDir(), '计数-劳务协作协议.txt');
  writeFileSync(agreement, '东海市滨江区—东岭县劳务协作协议\n甲方：东海市滨江区人力资源和社会保障局\n乙方：东岭县人力资源和社会保障局\n2019年3月20日\n');
  await slot.getByTestId('upload-files').setInputFiles(agreement);
  await expect(page.getByTestId('import-status')).toContainText('导入完成');
  await expect(page.locator('.dept-slot', { hasText: '劳务协作协议' })).toHaveCount(0);

  const after = await owedOnEachScreen(page);
  // The empty slot is no longer owed (a new item may bring its own warning, e.g. a missing 文号): the three
  // screens must still say the same number.
  expect(after.overview).toBeLessThanOrEqual(before.overview);
  expect(after.department).toBe(after.overview);
  expect(after.findings).toBe(after.overview);
  await shot(page, 'counts-01-findings-by-department-1366x680');
});

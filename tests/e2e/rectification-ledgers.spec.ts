import { expect, test } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeScenario, writeScenario } from '../helpers/ledgers.js';
import { binder, openWorkspace, scratchDir, shot } from './helpers.js';

// A county's ledgers (two transfer-employment sheets, funds, consumption, posts) and a self-evaluation report:
// what the 整改 and 台账 screens work on.
const scenario = makeScenario();

test.describe.configure({ mode: 'serial' });

let dir = '';
test.beforeAll(async () => {
  dir = path.join(scratchDir(), 'rectify-ledgers');
  const inbox = path.join(scratchDir(), 'rectify-ledgers-inbox');
  mkdirSync(inbox, { recursive: true });
  await writeScenario(scenario, inbox);
  binder('init', dir, '--template', 'east-west-2017', '--title', '西岭县2019年佐证材料', '--period', `${scenario.periodStart}..${scenario.periodEnd}`);
  binder('import', dir, inbox, '--no-ocr-wait');
  // An office typed a figure by hand that the ledgers do not support.
  binder('targets', dir, '--set', '5.2-t2=1');
});

test('a 整改 item past its due date is red and counted until it is closed with evidence', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 680 });
  await openWorkspace(page, dir);
  await page.getByRole('tab', { name: '整改清单' }).click();
  await expect(page.getByText('还没有整改事项。', { exact: false })).toBeVisible();

  await page.getByRole('button', { name: '新增整改事项…' }).click();
  const add = page.getByRole('dialog', { name: '新增整改事项' });
  await add.locator('textarea[name=text]').fill('转移就业台账未按月更新');
  await add.locator('select[name=indicator]').selectOption('5.2');
  await add.locator('input[name=department]').fill('县人社局');
  await add.locator('input[name=due]').fill('2020.3.31');
  await add.locator('input[name=source]').fill('省考核反馈');
  await add.getByRole('button', { name: '添加' }).click();
  await expect(add).toBeHidden();

  const row = page.getByTestId('rectification-row').filter({ hasText: '转移就业台账未按月更新' });
  await expect(row).toHaveClass(/overdue/);
  await expect(row).toContainText('2020-03-31');
  await expect(row).toContainText('逾期');
  await expect(row).toContainText('未整改');
  await expect(row).toContainText('县人社局');
  expect(await row.locator('td').first().evaluate((td) => getComputedStyle(td).color)).not.toBe(await page.locator('body').evaluate((b) => getComputedStyle(b).color));
  await expect(page.getByTestId('rectification-summary')).toHaveText('共 1 项，未整改 1 项，逾期 1 项');
  await shot(page, 'rectification-1366x680-overdue');

  await page.getByRole('tab', { name: '问题清单' }).click();
  const overdueFinding = page.getByText('整改事项“转移就业台账未按月更新”已超过整改时限 2020-03-31，仍未整改（责任单位：县人社局）。');
  await expect(overdueFinding).toBeVisible();

  await page.getByRole('tab', { name: '整改清单' }).click();
  await row.getByRole('button', { name: '整改完成…' }).click();
  const close = page.getByRole('dialog', { name: '整改完成' });
  await close.locator('input[name=evidence-search]').fill('自评');
  const report = close.locator('label.check', { hasText: '自评' }).first();
  await report.locator('input').check();
  await expect(close).toContainText(/已选：#\d+/);
  await shot(page, 'rectification-1366x680-close');
  await close.getByRole('button', { name: '确定' }).click();
  await expect(close).toBeHidden();

  await expect(row).not.toHaveClass(/overdue/);
  await expect(row).not.toContainText('逾期');
  await expect(row).toContainText('已整改');
  await expect(row.locator('.chip')).toHaveCount(1);
  await expect(page.getByTestId('rectification-summary')).toHaveText('共 1 项，未整改 0 项，逾期 0 项');
  await row.getByRole('button', { name: '销号' }).click();
  await expect(row).toContainText('已销号');

  await page.getByRole('tab', { name: '问题清单' }).click();
  await expect(page.getByRole('tabpanel', { name: '问题清单' })).toBeVisible();
  await expect(overdueFinding).toHaveCount(0);

  // A list the province sent, imported by its path (the browser cannot give one): a bad date is reported by row.
  const list = path.join(scratchDir(), '省考核反馈问题整改清单.csv');
  writeFileSync(list, '序号,存在问题,责任单位,整改时限\n1,消费扶贫台账缺少销售凭证,县商务局,2020-06-30\n2,挂职干部考勤表不全,县委组织部,下月\n');
  await page.getByRole('tab', { name: '整改清单' }).click();
  await page.locator('input[name=import-path]').fill(list);
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await expect(page.getByTestId('rectification-import-report')).toContainText('已导入 2 项整改事项。');
  await expect(page.getByTestId('rectification-import-report')).toContainText('第 3 行的整改时限“下月”不是日期，已留空。');
  await expect(page.getByTestId('rectification-row')).toHaveCount(3);
  await expect(page.getByTestId('rectification-row').filter({ hasText: '消费扶贫台账缺少销售凭证' })).toHaveClass(/overdue/);
});

test('the ledger figure shows beside the typed one, on 总览 too, and 采用台账计算值 is one undoable step', async ({ page }) => {
  const east = scenario.truth['5.2-t2'];
  await page.setViewportSize({ width: 1366, height: 680 });
  await openWorkspace(page, dir);
  await page.getByRole('tab', { name: '总览' }).click();
  await page.getByRole('button', { name: /查看全部/ }).click();
  await expect(page.getByTestId('computed-differs')).toHaveText(`≠ 台账 ${east}`);
  await page.getByTestId('computed-differs').scrollIntoViewIfNeeded();
  await shot(page, 'ledgers-1366x680-overview');

  await page.getByRole('tab', { name: '指标' }).click();
  await page.getByRole('treeitem').filter({ hasText: '5.2' }).first().click();
  const actual = page.getByRole('textbox', { name: '到结对东部地区就业 实际值' });
  await expect(actual).toHaveValue('1');
  const targetRow = page.locator('tr', { has: actual });
  const computed = targetRow.getByTestId('computed');
  await expect(computed).toContainText(`台账计算值 ${east} · 与填写值不同`);
  await expect(computed.getByText(/^台账计算值/)).toHaveAttribute('title', /^到结对东部地区就业 = 转移就业台账中就业地区为“东部”的不重复身份证号人数/);
  await expect(computed).toContainText(/材料 \d+《[^》]+》城关镇 第 6–7、9、12、15、17 行/);
  await expect(computed).toContainText(/古城乡 第 3、6、8 行/);
  await targetRow.scrollIntoViewIfNeeded();
  await shot(page, 'ledgers-1366x680-indicator');

  await targetRow.getByRole('button', { name: '采用台账计算值' }).click();
  await expect(actual).toHaveValue(String(east));
  await expect(computed).not.toContainText('与填写值不同');
  await expect(targetRow.getByRole('button', { name: '采用台账计算值' })).toHaveCount(0);

  await page.getByTestId('undo').click();
  await expect(actual).toHaveValue('1');
  await expect(computed).toContainText('与填写值不同');

  // The 台账 view of the spreadsheet: both sheets read as transfer-employment ledgers, headers mapped to fields.
  await page.getByRole('tab', { name: '材料库' }).click();
  await page.locator('[role=row][data-id]', { hasText: '转移就业台账' }).first().click();
  const ledger = page.getByRole('region', { name: '台账' });
  await expect(ledger.getByTestId('ledger-sheet')).toHaveCount(2);
  const gucheng = ledger.getByRole('combobox', { name: '古城乡 台账类型' });
  await expect(gucheng).toHaveValue('transfer-employment');
  await expect(ledger.getByTestId('ledger-sheet').filter({ hasText: '城关镇' })).toContainText(/身份证号[^→]*→ 身份证号/);
  await ledger.scrollIntoViewIfNeeded();
  await shot(page, 'ledgers-1366x680-evidence');
  // Set by hand, the kind is the user's and is said so.
  await gucheng.selectOption('consumption');
  await expect(gucheng).toHaveValue('consumption');
  await expect(ledger.getByTestId('ledger-sheet').filter({ hasText: '古城乡' })).toContainText('手动设置');
});

import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { makeScenario, writeScenario } from '../helpers/ledgers.js';
import { binder, openWorkspace, scratchDir, shot } from './helpers.js';

// Mapping a ledger column by hand in the 台账 view (issue 10): the 古城乡 sheet's 就业去向 column left unread, so
// its people no longer count as gone east, and 指标 shows the new figure; 全部采用台账计算值 then takes them all.
const scenario = makeScenario();

let dir = '';
test.beforeAll(async () => {
  dir = path.join(scratchDir(), 'ledger-mapping');
  const inbox = path.join(scratchDir(), 'ledger-mapping-inbox');
  mkdirSync(inbox, { recursive: true });
  await writeScenario(scenario, inbox);
  binder('init', dir, '--template', 'east-west-2017', '--period', `${scenario.periodStart}..${scenario.periodEnd}`);
  binder('import', dir, path.join(inbox, scenario.files[0].name), '--no-ocr-wait');
});

const eastFigure = (): number => {
  const rows = JSON.parse(binder('targets', dir, '--json')) as { id: string; computed?: { value: number } }[];
  return rows.find((r) => r.id === '5.2-t2')?.computed?.value ?? Number.NaN;
};

test('a column mapped by hand changes the computed figure, and all figures are taken in one step', async ({ page }) => {
  const east = scenario.truth['5.2-t2'];
  await page.setViewportSize({ width: 1366, height: 768 });
  await openWorkspace(page, dir);
  await page.getByRole('tab', { name: '材料库' }).click();
  await page.locator('[role=row][data-id]', { hasText: '转移就业台账' }).first().click();
  const ledger = page.getByRole('region', { name: '台账' });
  const gucheng = ledger.getByTestId('ledger-sheet').filter({ hasText: '古城乡' });
  // The rows preview: Excel row numbers, ID numbers masked.
  const preview = gucheng.getByRole('table', { name: '古城乡 数据预览' });
  await expect(preview.locator('tbody tr').first().locator('td').first()).toHaveText('3');
  await expect(preview).toContainText(/\d{6}\*{8}\d{3}[\dX]/);
  const destination = gucheng.getByRole('combobox', { name: '“就业去向”对应字段' });
  await expect(destination).toHaveValue('destination');
  await destination.selectOption('');
  await expect(destination).toHaveValue('');
  await expect(gucheng).toContainText('手动设置');
  await gucheng.scrollIntoViewIfNeeded();
  await shot(page, 'ledger-mapping-1366x768-evidence');

  const now = eastFigure();
  expect(now).toBeLessThan(east);
  await page.getByRole('tab', { name: '指标' }).click();
  await page.getByRole('treeitem').filter({ hasText: '5.2' }).first().click();
  const actual = page.getByRole('textbox', { name: '到结对东部地区就业 实际值' });
  const targetRow = page.locator('tr', { has: actual });
  await expect(targetRow.getByTestId('computed')).toContainText(`台账计算值 ${now}`);
  await expect(targetRow.getByTestId('computed')).not.toContainText('古城乡');

  const all = page.getByRole('button', { name: /^全部采用台账计算值（\d+ 项）$/ });
  await all.click();
  await expect(actual).toHaveValue(String(now));
  await expect(all).toHaveCount(0);
  await shot(page, 'ledger-mapping-1366x768-indicator');
});

import { expect, test, type Page } from '@playwright/test';
import { openDemo, shot } from './helpers.js';

test.use({ viewport: { width: 1366, height: 680 } });

/** The 材料库 toolbar's controls, with their boxes. */
async function toolbarBoxes(page: Page): Promise<{ y: number; height: number; right: number }[]> {
  return page.locator('.evidence-screen > .toolbar > *:not(.spacer)').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { y: r.y, height: r.height, right: r.right };
    }),
  );
}

async function expectOneRow(page: Page): Promise<void> {
  const boxes = await toolbarBoxes(page);
  expect(boxes.length).toBeGreaterThan(6);
  const top = Math.min(...boxes.map((b) => b.y));
  const tallest = Math.max(...boxes.map((b) => b.height));
  // One row: no control starts below the first row's tallest control, and none sticks out on the right.
  expect(boxes.filter((b) => b.y >= top + tallest)).toEqual([]);
  expect(Math.max(...boxes.map((b) => b.right))).toBeLessThanOrEqual(1366);
  // The search box's hint is read whole: its text, in the box's own font, fits inside the box's padding.
  const fit = await page.locator('.evidence-screen input.search').evaluate((el) => {
    const input = el as HTMLInputElement;
    const style = getComputedStyle(input);
    const context = document.createElement('canvas').getContext('2d')!;
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return { text: input.placeholder, width: context.measureText(input.placeholder).width, room };
  });
  expect(fit.width, `placeholder "${fit.text}"`).toBeLessThanOrEqual(fit.room);
}

test('the 材料库 toolbar fits on one row at 1366×680, in Chinese and in English; the date and caption filters are in 更多筛选', async ({ page }) => {
  await openDemo(page);
  await page.getByRole('tab', { name: '材料库' }).click();
  await expect(page.locator('.evidence-table [role=row][data-id]').first()).toBeVisible();
  await expectOneRow(page);
  await shot(page, 'evidence-toolbar-zh-1366x680');

  // The filters moved into the menu still filter, and the menu says how many are set.
  await page.locator('.toolbar-menu > summary').click();
  const from = page.getByRole('textbox', { name: '开始日期' });
  await from.fill('2019-09-01');
  await from.blur();
  await expect(page.locator('.toolbar-menu > summary')).toHaveText(/更多筛选 \(1\)/);
  await expect(async () => {
    const [, total, shown] = /共 (\d+) 件，显示 (\d+) 件/.exec((await page.locator('.table-foot').textContent()) ?? '')!.map(Number);
    expect(shown).toBeLessThan(total);
  }).toPass();
  await shot(page, 'evidence-toolbar-menu-zh-1366x680');
  await from.fill('');
  await from.blur();
  await page.locator('.toolbar-menu > summary').click();

  await page.getByRole('button', { name: '切换语言' }).click();
  await expect(page.getByRole('tab', { name: 'Evidence' })).toBeVisible();
  await expectOneRow(page);
  await shot(page, 'evidence-toolbar-en-1366x680');
  await page.getByRole('button', { name: 'Switch language' }).click();
});

import { expect, test } from '@playwright/test';
import { openDemo, shot } from './helpers.js';

const TABS = ['总览', '指标', '材料库', '问题清单', '按单位查看', '生成', '整改清单', '设置'] as const;
const EN_TABS = ['Overview', 'Indicators', 'Evidence', 'Findings', 'By department', 'Build', 'Rectification', 'Settings'] as const;

// Every screen at an office PC's maximised window and at full HD, for a person to look at; each must fit
// the window's width (no sideways scrolling of the page).
for (const [width, height] of [
  [1366, 680],
  [1920, 1080],
] as const) {
  test(`every screen at ${width}×${height}`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize({ width, height });
    await openDemo(page);
    for (const [i, tab] of TABS.entries()) {
      await page.getByRole('tab', { name: tab }).click();
      await expect(page.getByRole('tabpanel', { name: tab })).toBeVisible();
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), tab).toBeLessThanOrEqual(0);
      await shot(page, `screens-${width}x${height}-${i + 1}-${tab}`);
    }
    await page.getByRole('button', { name: '切换语言' }).click();
    for (const [i, tab] of EN_TABS.entries()) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      await expect(page.getByRole('tabpanel', { name: tab })).toBeVisible();
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), tab).toBeLessThanOrEqual(0);
      // Column headers and tab names are not cut off in English (longer words than Chinese).
      const cut = await page
        .locator('[role=tab], .vtable-head [role=columnheader], .vtable-head .sort-head .ellipsis')
        .evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent));
      expect(cut, tab).toEqual([]);
      await shot(page, `screens-${width}x${height}-en-${i + 1}-${tab}`);
    }
    await page.getByRole('button', { name: 'Switch language' }).click();
    expect(errors).toEqual([]);
  });
}

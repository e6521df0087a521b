import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { binder, hostUrl, openWorkspace, scratchDir, shot } from './helpers.js';

type Target = { id: string; label: string };

/**
 * Every element of every 总览 card lies inside its card; inside a card's scrolling list, nothing sticks out
 * sideways (a list may scroll down, never hide values to the right). Returns the offenders, described.
 */
async function overflowingElements(page: Page): Promise<string[]> {
  return page.locator('.overview').evaluate((overview) => {
    const problems: string[] = [];
    const describe = (el: Element) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} “${(el.textContent ?? '').trim().slice(0, 30)}”`;
    for (const card of overview.querySelectorAll<HTMLElement>('.card')) {
      const box = card.getBoundingClientRect();
      const title = card.querySelector('h2')?.textContent ?? '';
      for (const el of card.querySelectorAll<HTMLElement>('*')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        const scroller = el.parentElement?.closest<HTMLElement>('.overview-scroll');
        if (scroller && card.contains(scroller)) {
          const s = scroller.getBoundingClientRect();
          if (r.left < s.left - 1 || r.right > s.right + 1) problems.push(`${title}: ${describe(el)} sticks out of its list sideways`);
          continue;
        }
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
          problems.push(`${title}: ${describe(el)} outside its card`);
        }
        // Text cut off inside its own box (overflow hidden / ellipsis) also hides what the leader needs.
        if (el.children.length === 0 && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') {
          problems.push(`${title}: ${describe(el)} clipped`);
        }
      }
      if (box.bottom > window.innerHeight + 1) problems.push(`${title}: card below the window`);
    }
    return problems;
  });
}

test.use({ viewport: { width: 1366, height: 680 } });

test('总览 fits 1366×680 and tells the truth in the empty, half and full states', async ({ page }) => {
  const dir = path.join(scratchDir(), '总览');
  binder('init', dir, '--template', 'east-west-2017', '--title', '青山县2019年东西部扶贫协作考核佐证材料', '--period', '2019-01-01..2019-12-31');
  const targets = JSON.parse(binder('targets', dir, '--json')) as Target[];
  expect(targets.length).toBeGreaterThan(10);

  await page.goto(hostUrl());
  await openWorkspace(page, dir);
  const screen = page.getByRole('tabpanel', { name: '总览' });

  // --- empty: nothing filled in is not “全部完成”
  await expect(page.getByTestId('overall-completeness')).toBeVisible();
  await shot(page, 'overview-01-empty-1366x680');
  await expect(screen).not.toContainText('全部完成');
  await expect(page.getByTestId('target-summary')).toContainText(`${targets.length} 项待填写`);
  expect(await overflowingElements(page)).toEqual([]);
  await shot(page, 'overview-01-empty-1366x680');

  // --- half: some targets met, some unmet (large figures), the rest not filled in; a few documents
  const half = targets.slice(0, Math.floor(targets.length / 2));
  const args = half.flatMap((t, i) => ['--target', `${t.id}=${12_345_678 + i}`, '--set', `${t.id}=${i % 2 ? 23_456_789 : 1_234}`]);
  binder('targets', dir, ...args);
  const inbox = path.join(scratchDir(), '总览-收件');
  mkdirSync(inbox, { recursive: true });
  writeFileSync(path.join(inbox, '领导小组会议纪要.txt'), '青山县东西部扶贫协作领导小组会议纪要\n2019年3月12日\n');
  binder('import', dir, inbox);
  await page.reload();
  await expect(page.getByTestId('overall-completeness')).toBeVisible();
  const summary = page.getByTestId('target-summary');
  await expect(summary).toContainText(`${Math.ceil(half.length / 2)} 项未完成`);
  await expect(summary).toContainText(`${targets.length - half.length} 项待填写`);
  await expect(screen).not.toContainText('全部完成');
  // Each target shows its value and its status, readable.
  const firstUnmet = page.getByTestId('unmet-target').first();
  await expect(firstUnmet).toContainText('1,234');
  await expect(firstUnmet).toContainText('未完成');
  expect(await overflowingElements(page)).toEqual([]);
  await shot(page, 'overview-02-half-1366x680');

  // --- full: every target filled in and met
  binder('targets', dir, ...targets.flatMap((t) => ['--target', `${t.id}=100`, '--set', `${t.id}=${t.id.endsWith('-t2') ? 100 : 250}`]));
  await page.reload();
  await expect(page.getByTestId('overall-completeness')).toBeVisible();
  await expect(summary).toContainText('全部完成');
  await expect(summary).not.toContainText('待填写');
  expect(await overflowingElements(page)).toEqual([]);
  await shot(page, 'overview-03-full-1366x680');
});

import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
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

/** Han characters in a text, except inside quotes (names from the framework) and in the given file names. */
function strayIn(text: string, allowed: string[] = []): string[] {
  let rest = text;
  for (const a of allowed) rest = rest.split(a).join('');
  return stray(rest);
}

/** Elements whose text is cut off (an ellipsis or hidden overflow) at the current size. */
async function clipped(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent ?? ''));
}

test('English import reasons, build warnings, history and undo notice; plurals; headers not clipped at 1366×680', async ({ page }) => {
  const dir = path.join(scratchDir(), 'english-import');
  binder('init', dir, '--template', 'east-west-2017', '--title', 'Demo county', '--period', '2019-01-01..2019-12-31');
  const inbox = path.join(scratchDir(), 'english-inbox');
  mkdirSync(inbox, { recursive: true });
  writeFileSync(path.join(inbox, 'Thumbs.db'), 'junk');
  writeFileSync(path.join(inbox, '~$minutes.docx'), 'lock');
  writeFileSync(path.join(inbox, 'broken.pdf'), '%PDF-1.7\n1 0 obj\n<< /Type /Catalog');
  writeFileSync(path.join(inbox, 'agreement.txt'), '东海市滨江区—东岭县劳务协作协议\n2019年3月20日\n');
  await page.goto(hostUrl());
  await openWorkspace(page, dir);
  await page.getByRole('button', { name: '切换语言' }).click();

  // --- import: the reasons for ignoring junk and for the damaged PDF are English.
  // The host announces the workspace just opened; the page may re-read its session once, so insist on the tab.
  const evidenceTab = page.getByRole('tab', { name: 'Evidence' });
  await expect(async () => {
    await evidenceTab.click();
    await expect(evidenceTab).toHaveAttribute('aria-selected', 'true', { timeout: 1000 });
  }).toPass();
  await page.getByTestId('upload-files').setInputFiles(['Thumbs.db', '~$minutes.docx', 'broken.pdf', 'agreement.txt'].map((f) => path.join(inbox, f)));
  const status = page.getByTestId('import-status');
  await expect(status).toContainText('Import finished');
  await expect(status.getByTestId('import-ignored')).toHaveCount(2);
  await expect(status).toContainText('A file Windows creates by itself (Thumbs.db); not evidence, ignored');
  await expect(status).toContainText('temporary lock file Office/WPS creates');
  await expect(status).toContainText('2 non-evidence files ignored.');
  // Sources of uploaded files are stored as 上传/<name> (data, like a file name).
  expect(strayIn((await status.textContent()) ?? '', ['上传'])).toEqual([]);
  const table = page.getByRole('grid', { name: 'Evidence list' });
  await expect(table.locator('[role=row][data-id]')).toHaveCount(2);
  // The damaged PDF is stored and says why it cannot be bound, in English.
  const broken = table.locator('[role=row][data-id]', { hasText: 'broken' });
  await broken.click();
  await expect(page.locator('.preview-file')).toContainText(/PDF is damaged or incomplete \(broken\.pdf\)/);
  // The unfiled agreement has findings: "1 issue", "2 issues".
  const state = (await table.locator('[role=row][data-id]', { hasText: 'agreement' }).locator('[role=gridcell]').last().textContent())!.trim();
  const n = Number(/(\d+)/.exec(state)![1]);
  expect(state.replace(/^\W+/, '')).toBe(n === 1 ? '1 issue' : `${n} issues`);
  // Column headers are not cut off in English at 1366×680.
  expect(await clipped(page, '.vtable-head [role=columnheader], .vtable-head .sort-head .ellipsis')).toEqual([]);
  await shot(page, 'english-02-evidence-1366x680');

  // --- an edit, then Undo: the notice names what was undone, in English.
  const agreement = table.locator('[role=row][data-id]', { hasText: 'agreement' });
  const id = await agreement.getAttribute('data-id');
  await agreement.click();
  const docNumber = page.locator('input[name="docNumber"]');
  await docNumber.fill('东人社发〔2019〕8号');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('.preview-meta')).toContainText('Saved.');
  await page.getByRole('button', { name: 'Undo' }).hover();
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveAttribute('title', `Undo: Item ${id}: changed document number (Ctrl+Z)`);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.locator('.notices')).toContainText(`Undone: Item ${id}: changed document number`);

  // --- history: every line English (file names aside).
  await page.getByRole('tab', { name: 'Settings' }).click();
  const history = page.locator('ul.history li');
  await expect(history.first()).toBeVisible();
  const lines = await history.allTextContents();
  expect(lines.some((l) => l.includes(`Item ${id}: changed document number (undone)`))).toBe(true);
  expect(lines.filter((l) => strayIn(l, ['上传']).length > 0)).toEqual([]);
  await shot(page, 'english-03-settings-1366x680');

  // --- build: the warnings are English (the damaged PDF is left out, unconfirmed items are named by count).
  await page.getByRole('tab', { name: 'Build' }).click();
  await page.getByRole('button', { name: 'Build', exact: true }).click();
  await expect(page.getByText('Build finished.')).toBeVisible({ timeout: 120_000 });
  const warnings = page.locator('ul.warnings li');
  await expect(warnings.first()).toBeVisible();
  const warningTexts = await warnings.allTextContents();
  expect(warningTexts.filter((w) => strayIn(w).length > 0)).toEqual([]);
  await shot(page, 'english-04-build-1366x680');
  await page.getByRole('button', { name: 'Switch language' }).click();
});

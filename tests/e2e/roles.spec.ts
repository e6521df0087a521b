import { PDFDocument, rgb } from '@cantoo/pdf-lib';
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { openDemo } from './helpers.js';

const require = createRequire(import.meta.url);
const fontkit = require('fontkit') as Parameters<PDFDocument['registerFontkit']>[0];
const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

const scratch = () => process.env.BINDER_E2E_SCRATCH!;
const shotsDir = path.resolve('test-results', 'screens');

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: false });
}

async function chinesePdf(lines: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(readFileSync(CJK_FONT), { subset: true, postscriptName: 'NotoSansCJKsc-Regular' } as never);
  const page = doc.addPage([595.28, 841.89]);
  lines.forEach((line, i) => page.drawText(line, { x: 72, y: 760 - i * 28, size: i === 0 ? 18 : 12, font, color: rgb(0, 0, 0) }));
  return doc.save();
}


test.use({ viewport: { width: 1366, height: 768 } });

test('leader, department and office staff each find what they need in the demo county', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openDemo(page);

  // --- leader: one screen at 1366×768 — completeness, categories, severities, unmet targets, who owes most
  const overall = page.getByTestId('overall-completeness');
  await expect(overall).toHaveText(/^\d{1,3}%$/);
  await expect(overall).toBeInViewport();
  await expect(page.getByRole('heading', { name: '各类别完成度' })).toBeInViewport();
  await expect(page.getByTestId('count-error')).toContainText('错误');
  const consumption = page.getByTestId('unmet-target').filter({ hasText: '消费扶贫金额' });
  await expect(consumption).toBeInViewport();
  await expect(consumption).toContainText('未完成');
  // Unmet is shown in red (--bad #c62828), not merely listed.
  const colour = await consumption.getByRole('button', { name: '消费扶贫金额' }).evaluate((el) => getComputedStyle(el).color);
  expect(colour).toBe('rgb(198, 40, 40)');
  const ranking = page.locator('.dept-rank');
  await expect(ranking.getByRole('button', { name: '县人社局' })).toBeInViewport();
  // Departments are ranked by what they owe: the first row owes at least as much as the last.
  const owed = (await ranking.locator('td.num').allTextContents()).map((text) => Number(/\d+/.exec(text)![0]));
  expect(owed.length).toBeGreaterThan(3);
  expect(owed).toEqual([...owed].sort((a, b) => b - a));
  // Nothing essential below the fold.
  const overflow = await page.locator('main.screen').evaluate((el) => el.scrollHeight - el.clientHeight);
  expect(overflow).toBeLessThanOrEqual(1);
  await shot(page, 'roles-01-leader-1366');

  // --- department: 县人社局 picks itself once and sees only its own indicators (5.x) and open items
  await ranking.getByRole('button', { name: '县人社局' }).click();
  await expect(page.getByRole('tab', { name: '按单位查看' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('combobox', { name: '选择单位' })).toHaveValue('县人社局');
  const cards = page.locator('.dept-indicator [data-indicator]');
  await expect(cards.first()).toBeVisible();
  const codes = await cards.evaluateAll((els) => els.map((el) => el.getAttribute('data-indicator')));
  expect(codes.length).toBeGreaterThan(0);
  expect(codes.every((code) => code?.startsWith('5.'))).toBe(true);
  await expect(page.getByTestId('dept-summary')).toContainText(/待补 \d+ 项/);
  const agreementSlot = page.locator('.dept-slot', { hasText: '劳务协作协议' });
  await expect(agreementSlot).toContainText('已有 0 / 需 1');
  await expect(agreementSlot).toContainText('请县人社局提供劳务协作协议');
  // A finding that is not an empty slot comes with its action and a way to fix it.
  const figures = page.locator('.dept-findings li', { hasText: '分项之和' });
  await expect(figures).toContainText('请对照台账核对');
  await expect(figures.getByRole('button', { name: '去处理' })).toBeVisible();
  await expect(page.locator('.dept-list')).not.toContainText('县委组织部');
  await shot(page, 'roles-02-department');

  // The choice is remembered: after a reload the tab opens on 县人社局 again.
  await page.reload();
  await page.getByRole('tab', { name: '按单位查看' }).click();
  await expect(page.getByRole('combobox', { name: '选择单位' })).toHaveValue('县人社局');

  // Exporting the list yields an Excel file.
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出本单位清单（Excel）' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const saved = path.join(scratch(), download.suggestedFilename());
  await download.saveAs(saved);
  expect(readFileSync(saved).subarray(0, 2).toString('latin1')).toBe('PK');
  await expect(page.locator('.notice', { hasText: '已导出' })).toContainText('县人社局');

  // Handing in a file straight into the slot fills it.
  const agreementFile = path.join(scratch(), '劳务协作协议.pdf');
  writeFileSync(
    agreementFile,
    await chinesePdf(['东海市滨江区—青山县劳务协作协议', '甲方：东海市滨江区人力资源和社会保障局', '乙方：青山县人力资源和社会保障局', '双方就2019年劳务协作达成如下协议。', '2019年3月20日']),
  );
  await agreementSlot.getByTestId('upload-files').setInputFiles(agreementFile);
  const card = page.locator('.dept-indicator', { has: page.locator('[data-indicator="5.1"]') });
  await expect(card.getByTestId('import-status')).toContainText('导入完成：新增 1 件', { timeout: 60_000 });
  await expect(page.locator('.dept-slot', { hasText: '劳务协作协议' })).toHaveCount(0);
  await shot(page, 'roles-03-department-uploaded');

  // --- office staff: from a finding straight to the field that fixes it, then back to the list
  await page.getByRole('tab', { name: '问题清单' }).click();
  const docNumberFinding = page.locator('.finding-item', { hasText: '缺少著录项：文号' }).first();
  const findingText = (await docNumberFinding.locator('.finding-text > span').first().textContent())!;
  await docNumberFinding.click();
  const docNumber = page.locator('.preview input[name="docNumber"]');
  await expect(docNumber).toBeFocused();
  await expect(docNumber).toBeInViewport();
  await shot(page, 'roles-04-office-fix-docnumber');
  await docNumber.fill('青山财农〔2019〕8号');
  await page.locator('.preview').getByRole('button', { name: '保存' }).click();
  await expect(page.locator('.preview').getByText('已保存。')).toBeVisible();
  await page.getByRole('button', { name: '← 返回问题清单' }).click();
  await expect(page.getByRole('tab', { name: '问题清单' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.finding-item', { hasText: findingText })).toHaveCount(0);

  // Dates are typed the way they are written in China, not through an mm/dd/yyyy picker.
  await page.getByRole('tab', { name: '材料库' }).click();
  await page.locator('.toolbar-menu > summary').click();
  const from = page.getByRole('textbox', { name: '开始日期' });
  await from.fill('2019年9月1日');
  await from.blur();
  await expect(from).toHaveValue('2019-09-01');
  await expect(async () => {
    const [, total, shown] = /共 (\d+) 件，显示 (\d+) 件/.exec((await page.locator('.table-foot').textContent()) ?? '')!.map(Number);
    expect(shown).toBeLessThan(total);
    expect(shown).toBeGreaterThan(0);
  }).toPass();
  await from.fill('');

  // Re-classification from the user's corrections reports how many items changed.
  await page.getByRole('button', { name: '重新归类', exact: true }).click();
  await expect(page.locator('.notice', { hasText: '重新归类' })).toContainText(/已按您的修正重新归类 \d+ 件材料|没有需要调整的材料/);
  await shot(page, 'roles-05-office-evidence');

  // --- the same overview at 1920×1080
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.getByRole('tab', { name: '总览' }).click();
  await expect(page.getByTestId('overall-completeness')).toBeInViewport();
  await shot(page, 'roles-06-leader-1920');
  expect(errors).toEqual([]);
});

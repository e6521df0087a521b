import { PDFDocument, rgb } from '@cantoo/pdf-lib';
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { hostUrl, scratchDir, shot, toStartScreen } from './helpers.js';

const require = createRequire(import.meta.url);
const fontkit = require('fontkit') as Parameters<PDFDocument['registerFontkit']>[0];
const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

const url = hostUrl;
const scratch = scratchDir;

/** A one-page A4 PDF with Chinese lines (a real embedded CJK subset, as a scanner-less office PDF would have). */
async function chinesePdf(lines: string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(readFileSync(CJK_FONT), { subset: true, postscriptName: 'NotoSansCJKsc-Regular' } as never);
  const page = doc.addPage([595.28, 841.89]);
  lines.forEach((line, i) => page.drawText(line, { x: 72, y: 760 - i * 28, size: i === 0 ? 18 : 12, font, color: rgb(0, 0, 0) }));
  return doc.save();
}

/** The folder a county office would receive from departments: PDFs, a phone photo, and one broken file. */
async function writeImportFolder(dir: string): Promise<void> {
  mkdirSync(path.join(dir, '组织领导'), { recursive: true });
  mkdirSync(path.join(dir, '照片'), { recursive: true });
  writeFileSync(
    path.join(dir, '组织领导', '县委常委会会议纪要.pdf'),
    await chinesePdf([
      '中共青山县委常委会会议纪要',
      '〔2019〕第5期',
      '2019年3月15日，县委书记主持召开县委常委会会议，',
      '专题研究东西部扶贫协作工作，部署年度协作任务。',
      '中共青山县委办公室  2019年3月15日',
    ]),
  );
  const plan = await chinesePdf([
    '青山县2019年东西部协作重点任务清单',
    '一、人才交流：接收东部挂职干部3名。',
    '二、产业合作：引进东部企业6家。',
    '三、劳务协作：组织转移就业1287人。',
    '青山县人民政府办公室  2019年2月20日',
  ]);
  writeFileSync(path.join(dir, '组织领导', '扫描件0001.pdf'), plan);
  // A download cut off halfway: the header is there, the rest is missing.
  writeFileSync(path.join(dir, '损坏的文件.pdf'), plan.slice(0, 400));
  await sharp({ create: { width: 800, height: 600, channels: 3, background: { r: 70, g: 130, b: 180 } } })
    .composite([{ input: Buffer.from('<svg width="800" height="600"><rect x="200" y="150" width="400" height="300" fill="#f4d35e"/></svg>'), top: 0, left: 0 }])
    .jpeg({ quality: 85 })
    .toFile(path.join(dir, '照片', 'IMG_20190521_101500.jpg'));
}

test('a new user prepares a binder: create, import, fix findings, build the PDF', async ({ page }) => {
  const importDir = path.join(scratch(), '收到的材料');
  await writeImportFolder(importDir);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  // --- start: create a workspace from the 2017 template
  await page.goto(url());
  await toStartScreen(page);
  // The token is taken out of the visible address.
  expect(page.url()).not.toContain('token=');
  await page.locator('select[name=template]').selectOption('east-west-2017');
  await page.locator('input[name=title]').fill('青山县2019年东西部扶贫协作考核佐证材料');
  await page.locator('input[name=unit]').fill('青山县东西部扶贫协作工作领导小组办公室');
  await page.locator('input[name=periodStart]').fill('2019-01-01');
  await page.locator('input[name=periodEnd]').fill('2019-12-31');
  await page.locator('input[name=dir]').fill(path.join(scratch(), '工作区'));
  await shot(page, '01-start');
  await page.getByRole('button', { name: '创建工作区' }).click();
  await expect(page.locator('.topbar')).toContainText('青山县2019年东西部扶贫协作考核佐证材料');
  await expect(page.getByText('总体完成度').first()).toBeVisible();
  await shot(page, '02-overview-empty');

  // --- import the folder through the upload input (browser host)
  await page.keyboard.press('Alt+3');
  await expect(page.getByRole('tab', { name: '材料库' })).toHaveAttribute('aria-selected', 'true');
  await page.getByTestId('upload-folder').setInputFiles(importDir);
  const status = page.getByTestId('import-status');
  await expect(status).toContainText('导入完成', { timeout: 120_000 });
  await expect(status).toContainText('损坏的文件.pdf');
  await expect(page.locator('.table-foot')).toContainText('共 4 件');
  await shot(page, '03-imported');

  // --- findings: the broken file and the empty 工作要点 slot of 1.1 are listed
  await page.keyboard.press('Alt+4');
  const findings = page.locator('.finding-groups');
  await expect(findings).toContainText('损坏的文件');
  const planSlot = findings.locator('.finding-item', { hasText: '年度工作要点或实施方案' });
  await expect(planSlot).toHaveCount(1);
  await shot(page, '04-findings');

  // --- file the photo under 2.1 (挂职) and caption it
  await page.keyboard.press('Alt+3');
  await page.locator('.vtable-row', { hasText: 'IMG_20190521_101500' }).click();
  const preview = page.locator('.preview');
  await preview.getByRole('combobox', { name: '归入指标' }).selectOption('2.1');
  await preview.locator('.link-add').getByRole('button', { name: '归入' }).click();
  await expect(preview.locator('.links')).toContainText('2.1');
  await expect(preview.locator('.finding-list')).toContainText('说明缺少');

  // The finding now appears in 问题清单; clicking it opens the photo with its form in 材料库.
  await page.locator('.vtable-row', { hasText: '中共青山县委常委会会议纪要' }).click();
  // The submission edition binds only what the user confirmed: accept the minutes' suggested filing under 1.1.
  await preview.getByRole('button', { name: /接受/ }).click();
  await expect(preview.getByRole('button', { name: /接受/ })).toHaveCount(0);
  await page.keyboard.press('Alt+4');
  await findings.locator('.finding-item', { hasText: '说明缺少' }).click();
  await expect(page.getByRole('tab', { name: '材料库' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.vtable-row.selected')).toContainText('IMG_20190521_101500');
  await expect(preview.getByRole('group', { name: '照片说明（六要素）' })).toBeVisible();
  await shot(page, '05-photo-needs-caption');
  await preview.getByLabel('事由').fill('东部挂职干部座谈会');
  await preview.getByLabel('时间').fill('2019-05-21');
  await preview.getByLabel('地点').fill('青山县委党校三楼会议室');
  await preview.getByLabel('人物（含职务）').fill('王明（东海市滨江区挂职青山县委常委、副县长）');
  await preview.getByLabel('摄影者').fill('李华');
  await preview.getByRole('button', { name: '保存' }).click();
  await expect(preview.getByText('已保存。')).toBeVisible();
  await expect(preview.locator('.finding-list')).toHaveCount(0);
  await shot(page, '06-photo-captioned');

  // --- re-file the scanned task list as the 1.1 年度工作要点或实施方案
  await page.locator('.vtable-row', { hasText: '任务清单' }).first().click();
  await preview.locator('label.inline', { hasText: '类型' }).locator('select').selectOption('plan');
  await expect(preview.locator('label.inline', { hasText: '类型' }).locator('select')).toHaveValue('plan');
  // The classifier may already suggest 1.1 (folder and text hints): undo must bring back exactly what was there.
  const linksBefore = (await preview.locator('.links').textContent()) ?? '';
  await preview.getByRole('combobox', { name: '归入指标' }).selectOption('1.1');
  await preview.getByRole('combobox', { name: '材料要求' }).selectOption('1.1-2');
  await preview.locator('.link-add').getByRole('button', { name: '归入' }).click();
  await expect(preview.locator('.links')).toContainText('1.1');
  await shot(page, '07-document-refiled');

  // --- Ctrl+Z (outside an input) undoes the last filing; filing it again restores it
  await page.getByTestId('vtable-body').focus();
  await page.keyboard.press('Control+z');
  await expect(page.locator('.notice').filter({ hasText: '已撤销' })).toBeVisible();
  await expect(preview.locator('.links')).toHaveText(linksBefore);
  await preview.getByRole('combobox', { name: '归入指标' }).selectOption('1.1');
  await preview.getByRole('combobox', { name: '材料要求' }).selectOption('1.1-2');
  await preview.locator('.link-add').getByRole('button', { name: '归入' }).click();
  await expect(preview.locator('.links')).toContainText('1.1');

  // --- the related findings are gone without a reload
  await page.keyboard.press('Alt+4');
  await expect(findings).toContainText('损坏的文件');
  await expect(findings.locator('.finding-item', { hasText: '年度工作要点或实施方案' })).toHaveCount(0);
  await expect(findings.locator('.finding-item', { hasText: 'IMG_20190521_101500' }).filter({ hasText: '说明缺少' })).toHaveCount(0);
  await shot(page, '08-findings-after-fix');

  // --- the indicator shows the slot as filled
  await page.keyboard.press('Alt+2');
  await page.getByRole('treeitem', { name: /1\.1/ }).click();
  await expect(page.locator('[data-requirement="1.1-2"]')).toContainText('已有 1 / 需 1');
  await shot(page, '09-indicator');

  // --- the submission edition binds only confirmed filings: the user files the minutes under 1.1 themselves
  await page.keyboard.press('Alt+3');
  await page.locator('.vtable-row', { hasText: '中共青山县委常委会会议纪要' }).click();
  await preview.getByRole('combobox', { name: '归入指标' }).selectOption('1.1');
  await preview.locator('.link-add').getByRole('button', { name: '归入' }).click();
  await expect(preview.locator('.links')).toContainText('1.1');

  // --- build the PDF binder
  await page.keyboard.press('Alt+6');
  await page.getByRole('button', { name: '开始生成' }).click();
  await expect(page.getByText('生成完成。')).toBeVisible({ timeout: 200_000 });
  await shot(page, '10-built');
  // Every volume listed exists on disk with the page count the screen shows.
  const rows = page.getByTestId('build-result').locator('tbody tr');
  const volumes = await rows.count();
  expect(volumes).toBeGreaterThanOrEqual(1);
  let firstVolumeText = '';
  for (let i = 0; i < volumes; i++) {
    const pdfPath = (await rows.nth(i).getByTestId('output-pdf').textContent())!.trim();
    expect(pdfPath.endsWith('.pdf')).toBe(true);
    expect(existsSync(pdfPath)).toBe(true);
    expect(statSync(pdfPath).size).toBeGreaterThan(10_000);
    const shownPages = Number((await rows.nth(i).locator('td.num').first().textContent())!.trim());
    const pages = Number(/^Pages:\s+(\d+)/m.exec(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' }))![1]);
    expect(pages).toBe(shownPages);
    if (i === 0) firstVolumeText = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  }
  // Volume 1 (组织领导) binds both documents filed under 1.1: cover, catalogue, indicator pages and the two items.
  expect(firstVolumeText).toContain('组织领导');
  expect(firstVolumeText).toContain('县委常委会会议纪要');
  expect(firstVolumeText).toContain('重点任务清单');

  // --- in the browser each output opens or downloads through the host (token in the link, PDF bytes back)
  const firstRow = rows.first();
  const openHref = (await firstRow.getByRole('link', { name: '打开' }).getAttribute('href'))!;
  const opened = await page.request.get(new URL(openHref, page.url()).href);
  expect(opened.status()).toBe(200);
  expect(opened.headers()['content-type']).toBe('application/pdf');
  expect((await opened.body()).subarray(0, 5).toString()).toBe('%PDF-');
  const [download] = await Promise.all([page.waitForEvent('download'), firstRow.getByRole('link', { name: '下载' }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  // The result survives a tab switch, and the build is listed among the files in the output folder.
  await page.keyboard.press('Alt+1');
  await page.keyboard.press('Alt+6');
  await expect(page.getByText('生成完成。')).toBeVisible();
  await expect(page.getByTestId('earlier-outputs')).toContainText(path.basename((await rows.first().getByTestId('output-pdf').textContent())!.trim()));

  // --- the language switch
  await page.getByRole('button', { name: '切换语言' }).click();
  await expect(page.getByRole('tab', { name: 'Build' })).toBeVisible();
  await shot(page, '11-english');
  expect(errors).toEqual([]);
});

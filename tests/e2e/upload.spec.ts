import { expect, test } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { binder, hostUrl, openWorkspace, scratchDir, shot } from './helpers.js';

const FILES = 200;

type Timing = { maxTimerLateMs: number; cancelClickAt: number | null; cancelShownAt: number | null };

test.use({ viewport: { width: 1366, height: 680 } });

test('a 200-file upload through the UI stays responsive: 取消 answers within 300 ms', async ({ page }) => {
  const dir = path.join(scratchDir(), '上传');
  binder('init', dir, '--template', 'east-west-2017', '--title', '西岭县2019年佐证材料', '--period', '2019-01-01..2019-12-31');
  const inbox = path.join(scratchDir(), '上传-收件');
  mkdirSync(inbox, { recursive: true });
  const body = '西岭县东西部协作劳务输出台账，按乡镇、村、户逐一登记转移就业人员的姓名、就业地点和月收入。\n'.repeat(6000);
  const files: string[] = [];
  for (let i = 1; i <= FILES; i++) {
    const file = path.join(inbox, `劳务输出台账_${String(i).padStart(3, '0')}.txt`);
    writeFileSync(file, `西岭县劳务输出台账（第${i}册）\n2019年${(i % 12) + 1}月\n${body}`);
    files.push(file);
  }

  await page.goto(hostUrl());
  await openWorkspace(page, dir);
  await page.getByRole('tab', { name: '材料库' }).click();
  // Measured inside the page: how late a 50 ms timer fires (a blocked main thread delays it), and how long
  // from the 取消 click to the page saying it stopped.
  await page.evaluate(() => {
    const w = window as unknown as { timing: Timing };
    w.timing = { maxTimerLateMs: 0, cancelClickAt: null, cancelShownAt: null };
    let last = performance.now();
    setInterval(() => {
      const now = performance.now();
      w.timing.maxTimerLateMs = Math.max(w.timing.maxTimerLateMs, now - last - 50);
      last = now;
    }, 50);
    document.addEventListener(
      'click',
      (e) => {
        if ((e.target as HTMLElement).closest('.progress button')) w.timing.cancelClickAt = performance.now();
      },
      true,
    );
    new MutationObserver(() => {
      if (w.timing.cancelClickAt !== null && w.timing.cancelShownAt === null && document.body.textContent?.includes('已取消导入')) {
        w.timing.cancelShownAt = performance.now();
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });

  await page.getByTestId('upload-files').setInputFiles(files);
  const progress = page.getByRole('progressbar');
  await expect(progress).toBeVisible();
  // From here on the page's own work is measured (choosing the files is the browser's file dialog).
  await page.evaluate(() => void ((window as unknown as { timing: Timing }).timing.maxTimerLateMs = 0));
  await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 120_000 }).toBeGreaterThanOrEqual(20);
  // (No screenshot here: capturing the page stalls its main thread and would be measured as the page's.)
  await progress.getByRole('button', { name: '取消' }).click();
  await expect(page.getByTestId('import-status')).toContainText('已取消导入');
  const timing = await page.evaluate(() => (window as unknown as { timing: Timing }).timing);
  expect(timing.cancelClickAt).not.toBeNull();
  expect(timing.cancelShownAt! - timing.cancelClickAt!).toBeLessThan(300);
  // The page was frozen for 8–55 s at a time when files were read to base64; now it never stalls for long.
  // (On this shared 2-core machine an idle page's 50 ms timer already runs up to ~110 ms late.)
  console.log(`cancel answered in ${(timing.cancelShownAt! - timing.cancelClickAt!).toFixed(0)} ms; main thread at worst ${timing.maxTimerLateMs.toFixed(0)} ms late`);
  expect(timing.maxTimerLateMs).toBeLessThan(1000);
  await shot(page, 'upload-02-cancelled-1366x680');

  // The cancel holds: what was imported stays, nothing more arrives afterwards.
  const count = () => (JSON.parse(binder('list', dir, '--json')) as unknown[]).length;
  const afterCancel = count();
  expect(afterCancel).toBeLessThan(FILES);
  await page.waitForTimeout(3000);
  expect(count()).toBe(afterCancel);

  // The whole folder again, with the junk a Windows or Mac folder carries: the rest is imported, what was
  // already there is reported as duplicates, the junk is shown grey as ignored — never as an error.
  const junk = ['Thumbs.db', '.DS_Store', '~$劳务协作协议.docx'].map((name) => path.join(inbox, name));
  for (const file of junk) writeFileSync(file, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]));
  await page.getByTestId('upload-files').setInputFiles([...files, ...junk]);
  await expect(progress).toBeVisible();
  await shot(page, 'upload-01-in-progress-1366x680');
  await expect(page.getByTestId('import-status')).toContainText('导入完成', { timeout: 200_000 });
  await expect(page.getByTestId('import-ignored')).toHaveCount(3);
  await expect(page.getByTestId('import-status').locator('.bad-text')).toHaveCount(0);
  await expect(page.getByTestId('import-status')).toContainText('已忽略 3 个非材料文件');
  await expect(page.getByTestId('import-status')).toContainText(`新增 ${FILES - afterCancel} 件，重复 ${afterCancel} 件`);
  await expect(page.locator('.table-foot')).toContainText(`共 ${FILES} 件`);
  expect(count()).toBe(FILES);
  await shot(page, 'upload-03-done-1366x680');
});

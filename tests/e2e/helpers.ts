import { expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** The host started by global-setup.ts (URL with token) and its scratch folder. */
export const hostUrl = (): string => {
  const value = process.env.BINDER_E2E_URL;
  if (!value) throw new Error('BINDER_E2E_URL missing: run through playwright.config.ts (global setup starts the host)');
  return value;
};
export const scratchDir = (): string => process.env.BINDER_E2E_SCRATCH!;

/** Screenshots are looked at by a person, not committed: test-results/ is ignored by git. */
export const shotsDir = path.resolve('test-results', 'screens');

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`), fullPage: false });
}

const CLI = path.resolve('dist', 'cli', 'binder.mjs');

/** Runs the real `binder` CLI (dist/, built by `npm run build`), as an office would from a terminal. */
export function binder(...args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });
}

/** The host keeps one session for all specs: if another spec left a workspace open, switch away from it. */
export async function toStartScreen(page: Page): Promise<void> {
  const heading = page.getByRole('heading', { name: '新建工作区' });
  const settings = page.getByRole('tab', { name: '设置' });
  await expect(heading.or(settings)).toBeVisible();
  if (await settings.isVisible()) {
    await settings.click();
    await page.getByRole('button', { name: '切换工作区…' }).click();
  }
  await expect(heading).toBeVisible();
}

/** Opens a workspace folder from the start screen. */
export async function openWorkspace(page: Page, dir: string): Promise<void> {
  if (!page.url().startsWith('http')) await page.goto(hostUrl());
  await toStartScreen(page);
  await page.locator('input[name=openDir]').fill(dir);
  await page.getByRole('button', { name: '打开', exact: true }).click();
  await expect(page.getByRole('tab', { name: '总览' })).toBeVisible();
}

/** Opens the demo county's workspace from the start screen (built on first use, which takes a while). */
export async function openDemo(page: Page): Promise<void> {
  await page.goto(hostUrl());
  await toStartScreen(page);
  await page.getByRole('button', { name: '打开示例工作区' }).click();
  await expect(page.getByRole('tab', { name: '总览' })).toBeVisible({ timeout: 200_000 });
  await expect(page.locator('.topbar')).toContainText('青山县');
}

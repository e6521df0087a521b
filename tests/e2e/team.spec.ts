import { expect, test, type Page } from '@playwright/test';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { binder, scratchDir, shot } from './helpers.js';

/**
 * Team server as an office runs it: `binder serve <ws> --team`, accounts made with `binder users`, and three people
 * in the browser — a department uploads into what it owes, the office returns it with a reason, the department
 * sees the reason. Written as they would work; the server is the real CLI.
 */

const CLI = path.resolve('dist', 'cli', 'binder.mjs');
let server: ChildProcess | null = null;
let url = '';

function addUser(ws: string, name: string, role: string, password: string, department?: string): void {
  execFileSync(process.execPath, [CLI, 'users', ws, 'add', '--name', name, '--role', role, ...(department ? ['--department', department] : []), '--password-stdin'], {
    input: `${password}\n`,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

async function startTeamServer(ws: string): Promise<string> {
  const child = spawn(process.execPath, [CLI, 'serve', ws, '--team', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  server = child;
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`team server did not start: ${out}`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /https?:\/\/[^\s　]+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0].replace(/\/$/, ''));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('exit', (code) => reject(new Error(`team server exited (${code}): ${out}`)));
  });
}

async function logIn(page: Page, name: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('用户名').fill(name);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('user-badge')).toContainText(name);
}

async function logOut(page: Page): Promise<void> {
  await page.getByTestId('user-badge').getByRole('button', { name: '退出' }).click();
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
}

test.use({ viewport: { width: 1366, height: 768 } });

test.beforeAll(async () => {
  const ws = path.join(scratchDir(), 'team-ws');
  binder('init', ws, '--template', 'east-west-2017', '--title', '青山县东西部协作考核佐证材料', '--period', '2019-01-01..2019-12-31');
  addUser(ws, 'admin', 'admin', 'admin-pass-2019');
  addUser(ws, 'xzb', 'office', 'office-pass-2019');
  addUser(ws, 'rsj', 'department', 'rsj-pass-2019', '县人社局');
  addUser(ws, 'leader', 'leader', 'leader-pass-2019');
  url = await startTeamServer(ws);
});

test.afterAll(async () => {
  server?.kill('SIGTERM');
});

test('a department uploads what it owes, the office returns it with a reason, the department sees why', async ({ page }) => {
  // No session: the login screen, and a wrong password is refused in Chinese.
  await page.goto(url);
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  await page.getByLabel('用户名').fill('rsj');
  await page.getByLabel('密码').fill('wrong-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toContainText(/用户名或密码/);
  await shot(page, 'team-login');

  // The department sees only its own screens and its own unit.
  await logIn(page, 'rsj', 'rsj-pass-2019');
  const tabs = page.getByRole('tab');
  await expect(tabs).toHaveText(['按单位查看', '材料库', '问题清单']);
  await expect(page.getByRole('combobox', { name: '选择单位' })).toHaveValue('县人社局');
  await expect(page.locator('[data-indicator="1.1"]')).toHaveCount(0);

  // It uploads its 劳务协作协议 straight into the slot: submitted, waiting for review.
  const inbox = path.join(scratchDir(), 'team-inbox');
  mkdirSync(inbox, { recursive: true });
  const agreement = path.join(inbox, '劳务协作协议.txt');
  writeFileSync(agreement, '东海市滨江区—青山县劳务协作协议\n甲方：东海市滨江区人力资源和社会保障局\n乙方：青山县人力资源和社会保障局\n2019年3月20日\n');
  const slot = page.locator('.dept-slot', { hasText: '劳务协作协议' });
  await slot.getByTestId('upload-files').setInputFiles(agreement);
  await expect(page.getByText('1 件已提交，等待协作办审核。')).toBeVisible();
  await shot(page, 'team-department');
  await logOut(page);

  // The office finds it in 审核, with the department and who sent it, and returns it with a reason.
  await logIn(page, 'xzb', 'office-pass-2019');
  await page.getByRole('tab', { name: '审核' }).click();
  const row = page.locator('tr[data-review-id]');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('县人社局');
  await expect(row).toContainText('rsj');
  await row.getByRole('checkbox').check();
  await shot(page, 'team-review-pending');
  await page.getByRole('button', { name: '退回所选…' }).click();
  await page.getByLabel('退回原因（部门会看到）').fill('协议缺少双方盖章页，请补扫盖章页后重新上传。');
  await page.getByRole('button', { name: '退回 1 件' }).click();
  await expect(page.getByText('没有待审核的材料。')).toBeVisible();
  await shot(page, 'team-review');
  await logOut(page);

  // The department sees the returned item and the reason, with a button to upload the replacement.
  await logIn(page, 'rsj', 'rsj-pass-2019');
  const returned = page.locator('[data-returned]');
  await expect(returned).toHaveCount(1);
  await expect(returned).toContainText('协议缺少双方盖章页');
  await shot(page, 'team-returned');
  await logOut(page);

  // A leader reads: no 材料库, no 设置, no 审核.
  await logIn(page, 'leader', 'leader-pass-2019');
  await expect(page.getByRole('tab')).toHaveText(['总览', '指标', '问题清单', '按单位查看', '生成']);
  await shot(page, 'team-leader');
});

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRow } from '../../shared/team/types.js';
import { buildCli, runCli } from '../helpers/cli.js';

/** `binder users` (passwords from stdin only) and `binder serve --team` as an office runs them. */
describe('binder users and serve --team', () => {
  let cli: string;
  let root: string;
  let ws: string;

  const withStdin = (args: string[], input: string) => {
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input, timeout: 120_000 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(async () => {
    cli = await buildCli();
    root = mkdtempSync(path.join(tmpdir(), 'binder-team-cli-'));
    ws = path.join(root, 'ws');
    expect(runCli(cli, ['init', ws, '--template', 'east-west-2017']).code).toBe(0);
    // serve looks for the built workbench in ./dist/renderer: a stand-in, so the test needs no full build.
    mkdirSync(path.join(root, 'dist', 'renderer'), { recursive: true });
    writeFileSync(path.join(root, 'dist', 'renderer', 'index.html'), '<!doctype html><title>佐证材料汇编</title>');
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses to serve a team without an admin, naming the command that adds one', () => {
    const r = runCli(cli, ['serve', ws, '--team', '--port', '0'], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('还没有管理员账号');
    expect(r.stderr).toContain(`binder users ${ws} add --name admin --role admin --password-stdin`);
  });

  it('adds, lists, disables, enables and resets accounts; passwords only from stdin', () => {
    const noStdin = runCli(cli, ['users', ws, 'add', '--name', 'admin', '--role', 'admin']);
    expect(noStdin.code).toBe(2);
    expect(noStdin.stderr).toContain('--password-stdin');
    // There is no way to put a password on the command line.
    expect(runCli(cli, ['users', ws, 'add', '--name', 'admin', '--role', 'admin', '--password', 'x']).code).toBe(2);

    expect(withStdin(['users', ws, 'add', '--name', 'admin', '--role', 'admin', '--password-stdin'], 'admin-密码-123\n').code).toBe(0);
    const dept = withStdin(['users', ws, 'add', '--name', 'rsj', '--role', 'department', '--department', '县人社局', '--display-name', '李四', '--password-stdin', '--json'], 'rsj-密码-123\n');
    expect(dept.code, dept.stderr).toBe(0);
    expect(JSON.parse(dept.stdout)).toMatchObject({ name: 'rsj', role: 'department', departments: ['县人社局'], displayName: '李四', disabled: false });
    expect(JSON.parse(dept.stdout)).not.toHaveProperty('passwordHash');

    const noDept = withStdin(['users', ws, 'add', '--name', 'x', '--role', 'department', '--password-stdin'], 'xxxxxxxx-1\n');
    expect(noDept.code).toBe(1);
    expect(noDept.stderr).toContain('至少要指定一个部门');
    const short = withStdin(['users', ws, 'add', '--name', 'y', '--role', 'office', '--password-stdin'], 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('密码至少 8 位');
    expect(withStdin(['users', ws, 'add', '--name', 'rsj', '--role', 'office', '--password-stdin'], 'another-password\n').stderr).toContain('已有名为“rsj”的用户');

    const disabled = runCli(cli, ['users', ws, 'disable', 'rsj', '--json']);
    expect(JSON.parse(disabled.stdout)).toMatchObject({ name: 'rsj', disabled: true });
    const list = runCli(cli, ['users', ws, 'list']);
    expect(list.stdout).toMatch(/rsj（李四）　部门　县人社局　已停用/);
    expect(list.stdout).toMatch(/admin　管理员　可用/);
    expect(JSON.parse(runCli(cli, ['users', ws, 'enable', 'rsj', '--json']).stdout)).toMatchObject({ disabled: false });
    expect(withStdin(['users', ws, 'reset-password', 'rsj', '--password-stdin'], 'rsj-新密码-456\n').code).toBe(0);
    const rows = JSON.parse(runCli(cli, ['users', ws, 'list', '--json']).stdout) as UserRow[];
    expect(rows.map((r) => r.name)).toEqual(['admin', 'rsj']);
    // The only admin cannot be disabled (the server would refuse to start).
    expect(runCli(cli, ['users', ws, 'disable', 'admin']).stderr).toContain('唯一可用的管理员');
  });

  it('serves over HTTPS with a self-signed certificate kept in the workspace; the cookie is Secure', async () => {
    const child = spawn(process.execPath, [cli, 'serve', ws, '--team', '--port', '0', '--tls-self-signed'], { stdio: ['ignore', 'pipe', 'pipe'], cwd: root });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /团队服务器已启动：(https:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.on('exit', () => reject(new Error(out)));
      });
      const cert = path.join(ws, 'server', 'tls', 'cert.pem');
      expect(existsSync(cert)).toBe(true);
      expect(statSync(path.join(ws, 'server', 'tls', 'key.pem')).mode & 0o077).toBe(0);
      const origin = url.slice(0, -1);
      const res = await new Promise<{ status: number; cookie: string }>((resolve, reject) => {
        const req = https.request(
          `${origin}/api/auth.login`,
          { method: 'POST', rejectUnauthorized: false, headers: { 'Content-Type': 'application/json', Origin: origin } },
          (r) => {
            r.resume();
            r.on('end', () => resolve({ status: r.statusCode ?? 0, cookie: r.headers['set-cookie']?.[0] ?? '' }));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ name: 'admin', password: 'admin-密码-123' }));
      });
      expect(res.status).toBe(200);
      expect(res.cookie).toContain('; Secure');
      expect(res.cookie).toContain('HttpOnly');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});

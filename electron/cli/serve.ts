import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDemoWorkspace } from '../backend/demo/demo.js';
import { appDataDir } from '../backend/host/paths.js';
import { startHost } from '../backend/host/server.js';
import { Workspace } from '../backend/workspace/workspace.js';

export type ServeArgs = {
  workspace?: string;
  port?: number;
  demo?: boolean;
  /** `--team`: accounts instead of the per-run token; TLS from PEM files or a self-signed certificate. */
  team?: { host?: string; allowHosts?: string[]; tls?: { cert: string; key: string } | 'self-signed' };
};

/**
 * A self-signed certificate for `--tls-self-signed`, made once with the system's `openssl` (offline; Debian and
 * most Linux servers have it) and kept in the workspace's server/tls folder, so browsers that were told to trust it
 * keep trusting it after a restart. Its names cover localhost, the listen address and the --allow-host names.
 */
export function selfSignedCertificate(workspace: string, names: string[]): { cert: string; key: string } {
  const dir = path.join(workspace, 'server', 'tls');
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  if (existsSync(cert) && existsSync(key)) return { cert, key };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const isIp = (n: string) => /^[\d.]+$/.test(n) || n.includes(':');
  const san = [...new Set(['localhost', '127.0.0.1', ...names.filter((n) => n && n !== '0.0.0.0' && n !== '::')])]
    .map((n) => (isIp(n) ? `IP:${n}` : `DNS:${n}`))
    .join(',');
  const result = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650', '-subj', '/CN=EvidenceBinder team server', '-addext', `subjectAltName=${san}`, '-keyout', key, '-out', cert],
    { encoding: 'utf8' },
  );
  if (result.error || result.status !== 0) {
    throw new Error(
      `无法生成自签名证书：没有找到可用的 openssl（${result.error?.message ?? result.stderr.trim()}）。请安装 openssl，或用 --tls-cert 和 --tls-key 指定单位自有的证书文件。`,
    );
  }
  chmodSync(key, 0o600);
  return { cert, key };
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`无法读取${what} ${file}：${(error as Error).message}`);
  }
}

/** Folder of this module: dist/cli/ when bundled (binder.mjs), electron/cli/ in a checkout. */
function moduleDir(): string {
  const url: unknown = import.meta.url;
  return typeof url === 'string' ? path.dirname(fileURLToPath(url)) : process.cwd();
}

/** The built renderer: next to the bundle (dist/cli → dist/renderer) or in the checkout (electron/cli → dist/renderer). */
export function findRendererDir(start: string = moduleDir()): string {
  const candidates = [path.resolve(start, '../renderer'), path.resolve(start, '../../dist/renderer'), path.resolve(process.cwd(), 'dist/renderer')];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'index.html')));
  if (!found) throw new Error(`找不到工作台界面文件（dist/renderer/index.html）。请先在项目文件夹运行 npm run build。已查找：${candidates.join('、')}`);
  return found;
}

/** The app version from the package.json above this module. */
export function readVersion(start: string = moduleDir()): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === 'evidence-binder' && typeof pkg.version === 'string') return pkg.version;
      } catch {
        // keep looking upwards
      }
    }
    if (path.dirname(dir) === dir) return '0.0.0';
  }
}

/**
 * `binder serve`: the workbench in a local browser. Runs until Ctrl+C (SIGINT) or SIGTERM, then closes the
 * workspace cleanly so the database is never left mid-write.
 */
export async function runServe(args: ServeArgs): Promise<void> {
  const rendererDir = findRendererDir();
  const home = appDataDir();
  const demoDir = path.join(home, 'demo');
  let workspaceDir = args.workspace ? path.resolve(args.workspace) : undefined;
  if (args.demo && !workspaceDir) {
    if (!Workspace.isWorkspace(demoDir)) process.stdout.write(`正在生成示例工作区：${demoDir}（约需半分钟）…\n`);
    const ws = await ensureDemoWorkspace(demoDir);
    ws.close();
    workspaceDir = demoDir;
  }
  const team = args.team;
  let tls: { cert: Buffer; key: Buffer } | undefined;
  if (team?.tls) {
    const files = team.tls === 'self-signed' ? selfSignedCertificate(workspaceDir!, [team.host ?? '', ...(team.allowHosts ?? [])]) : team.tls;
    tls = { cert: readPem(files.cert, '证书文件'), key: readPem(files.key, '私钥文件') };
  }
  const host = await startHost({
    workspaceDir,
    port: args.port,
    rendererDir,
    stateDir: home,
    demoDir,
    version: readVersion(),
    ...(team ? { team: { host: team.host, allowHosts: team.allowHosts, tls } } : {}),
  });
  if (team) {
    const lan = team.host === '0.0.0.0' || team.host === '::' ? '（局域网内用本机 IP 地址访问）' : '';
    process.stdout.write(`团队服务器已启动：${host.url}${lan}　请用账号登录，按 Ctrl+C 停止\n`);
    process.stdout.write(`EvidenceBinder team server is running at ${host.url} (log in with an account; press Ctrl+C to stop)\n`);
  } else {
    process.stdout.write(`佐证材料汇编工作台已启动，请在浏览器中打开：${host.url}　（仅限本机访问，按 Ctrl+C 停止）\n`);
    process.stdout.write(`EvidenceBinder workbench is running at ${host.url} (this computer only; press Ctrl+C to stop)\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await host.close();
  process.stdout.write('工作台已停止。\n');
}

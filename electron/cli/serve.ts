import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDemoWorkspace } from '../backend/demo/demo.js';
import { appDataDir } from '../backend/host/paths.js';
import { startHost } from '../backend/host/server.js';
import { Workspace } from '../backend/workspace/workspace.js';

export type ServeArgs = { workspace?: string; port?: number; demo?: boolean };

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
  const host = await startHost({ workspaceDir, port: args.port, rendererDir, stateDir: home, demoDir, version: readVersion() });
  process.stdout.write(`佐证材料汇编工作台已启动，请在浏览器中打开：${host.url}　（仅限本机访问，按 Ctrl+C 停止）\n`);
  process.stdout.write(`EvidenceBinder workbench is running at ${host.url} (this computer only; press Ctrl+C to stop)\n`);
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

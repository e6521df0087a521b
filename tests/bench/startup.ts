/**
 * Start-up of the shipped CLI: wall time of `node dist/cli/binder.mjs templates --json` (what a script or the
 * lead's CI pays on every call), median of N runs after warm-ups, plus the modules it loaded. Build first
 * (`npm run build`), then `npm run bench -- startup` (or `-- startup --runs 30 --cli path/to/binder.mjs`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const cli = path.resolve(option('cli', 'dist/cli/binder.mjs'));
const runs = Number(option('runs', '20'));
const WARMUPS = 3;
if (!existsSync(cli)) {
  console.error(`找不到 ${cli}：请先运行 npm run build`);
  process.exit(1);
}

function once(): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, 'templates', '--json'], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`binder templates 失败（退出码 ${r.status}）：${r.stderr}`);
  return ms;
}

for (let i = 0; i < WARMUPS; i++) once();
const times = Array.from({ length: runs }, once).sort((a, b) => a - b);
const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))];

// Which packages did one run load? A resolve hook records every resolved URL into a file.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'binder-startup-'));
const log = path.join(tmp, 'loaded.txt');
const hooks = path.join(tmp, 'hooks.mjs');
writeFileSync(
  hooks,
  `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}`,
);
const register = path.join(tmp, 'register.mjs');
writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
spawnSync(process.execPath, ['--import', pathToFileURL(register).href, cli, 'templates', '--json'], { encoding: 'utf8' });
const loaded = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
rmSync(tmp, { recursive: true, force: true });
const packages = [...new Set(loaded.map((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1]).filter((p): p is string => Boolean(p)))].sort();
const own = loaded.filter((u) => u.startsWith(pathToFileURL(path.dirname(cli)).href)).length;

console.log(`binder templates（${path.relative(process.cwd(), cli)}），${runs} 次：`);
console.log(`  min ${times[0].toFixed(0)} ms　median ${at(0.5).toFixed(0)} ms　p90 ${at(0.9).toFixed(0)} ms　max ${times[times.length - 1].toFixed(0)} ms`);
console.log(`  node 空跑对照：median ${medianBare().toFixed(0)} ms`);
console.log(`  加载的 npm 包 ${packages.length} 个：${packages.join(', ') || '无'}`);
console.log(`  加载的本程序模块文件 ${own} 个，ES 模块解析共 ${loaded.length} 次`);

function medianBare(): number {
  const bare = Array.from({ length: Math.min(runs, 10) }, () => {
    const start = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    return Number(process.hrtime.bigint() - start) / 1e6;
  }).sort((a, b) => a - b);
  return bare[Math.floor(bare.length / 2)];
}

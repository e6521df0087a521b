/**
 * Start-up of the shipped CLI: wall time of `node dist/cli/binder.mjs templates --json` (what a script or the
 * lead's CI pays on every call), median of N runs after warm-ups, plus the modules it loaded. Build first
 * (`npm run build`), then `npm run bench -- startup` (or `-- startup --runs 30 --cli path/to/binder.mjs`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCliTracingPackages } from '../helpers/cli.js';

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

// Which packages did one run load? (the same trace the CLI test asserts on)
const tmp = mkdtempSync(path.join(os.tmpdir(), 'binder-startup-'));
const { packages } = runCliTracingPackages(cli, ['templates', '--json'], tmp);
rmSync(tmp, { recursive: true, force: true });

console.log(`binder templates（${path.relative(process.cwd(), cli)}），${runs} 次：`);
console.log(`  min ${times[0].toFixed(0)} ms　median ${at(0.5).toFixed(0)} ms　p90 ${at(0.9).toFixed(0)} ms　max ${times[times.length - 1].toFixed(0)} ms`);
console.log(`  node 空跑对照：median ${medianBare().toFixed(0)} ms`);
console.log(`  加载的 npm 包 ${packages.length} 个：${packages.join(', ') || '无'}`);

function medianBare(): number {
  const bare = Array.from({ length: Math.min(runs, 10) }, () => {
    const start = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    return Number(process.hrtime.bigint() - start) / 1e6;
  }).sort((a, b) => a - b);
  return bare[Math.floor(bare.length / 2)];
}

#!/usr/bin/env node
// Prepares the Electron-ABI build of better-sqlite3 beside the Node build, so one checkout runs the tests under
// Node and the app under Electron without rebuilding by hand:
//   node_modules/better-sqlite3/build/                          Node ABI (npm install; tests, CLI, browser host)
//   build/native/electron-<version>/better-sqlite3/build/Release Electron ABI (this script; the app)
// The Electron main process points the backend at the second one (EVIDENCE_BINDER_SQLITE_BINDING).
// Needs the internet once (prebuilt binary from GitHub, or Electron headers to compile); packaged apps use
// electron-builder's own rebuild instead.
//
// Usage: node scripts/electron-native.mjs [--electron-version 41.7.1] [--arch x64]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values } = parseArgs({ options: { 'electron-version': { type: 'string' }, arch: { type: 'string' } } });

const electronPkg = path.join(root, 'node_modules', 'electron', 'package.json');
const version = values['electron-version'] ?? (existsSync(electronPkg) ? JSON.parse(readFileSync(electronPkg, 'utf8')).version : undefined);
if (!version) {
  console.error('找不到 electron 包的版本（node_modules/electron）。请先运行 npm install。');
  process.exit(1);
}
const arch = values.arch ?? process.arch;
const source = path.join(root, 'node_modules', 'better-sqlite3');
const target = path.join(root, 'build', 'native', `electron-${version}`, 'better-sqlite3');
const binding = path.join(target, 'build', 'Release', 'better_sqlite3.node');

if (existsSync(binding)) {
  console.log(`Electron ${version} 版 better-sqlite3 已就绪：${binding}`);
  process.exit(0);
}
if (!existsSync(path.join(source, 'package.json'))) {
  console.error('找不到 node_modules/better-sqlite3。请先运行 npm install。');
  process.exit(1);
}

// A copy without build/: the Node build in node_modules stays untouched.
rmSync(target, { recursive: true, force: true });
mkdirSync(path.dirname(target), { recursive: true });
cpSync(source, target, { recursive: true, filter: (p) => path.relative(source, p).split(path.sep)[0] !== 'build' });

const shell = process.platform === 'win32';
const run = (command, args, timeoutMs) => {
  console.log(`> ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: target, stdio: 'inherit', shell, timeout: timeoutMs, env: { ...process.env, npm_config_runtime: 'electron', npm_config_target: version } });
  return result.status === 0 && existsSync(binding);
};

// 1. The prebuilt binary the better-sqlite3 project publishes for each Electron ABI (seconds).
let ok = run('npx', ['--yes', 'prebuild-install@7', '--runtime', 'electron', '--target', version, '--arch', arch, '--verbose'], 180_000);
// 2. Otherwise compile against Electron's headers (needs Python and a C++ toolchain, a few minutes).
if (!ok) {
  const nodeGyp = path.join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const gyp = existsSync(nodeGyp) ? [process.execPath, [nodeGyp]] : ['npx', ['--yes', 'node-gyp']];
  ok = run(gyp[0], [...gyp[1], 'rebuild', '--release', `--target=${version}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers'], 900_000);
}
if (!ok) {
  rmSync(path.join(root, 'build', 'native', `electron-${version}`), { recursive: true, force: true });
  console.error(`未能准备 Electron ${version} 版的 better-sqlite3（需要联网下载预编译文件，或安装编译工具）。`);
  console.error(`Could not prepare better-sqlite3 for Electron ${version} (needs internet for the prebuilt binary, or a C++ toolchain).`);
  process.exit(1);
}
console.log(`Electron ${version} 版 better-sqlite3 已就绪：${binding}`);

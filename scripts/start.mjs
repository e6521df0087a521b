#!/usr/bin/env node
// `npm start`: the desktop app when the Electron binary is available, otherwise the same workbench in the
// browser (browser host on 127.0.0.1, demo workspace). Never hangs on a missing binary and never downloads
// anything in CI.
//
// Usage: npm start [-- <工作区文件夹>]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const dist = (p) => path.join(root, 'dist', p);

function ensureBuilt() {
  const needed = ['electron/main.cjs', 'electron/preload.cjs', 'renderer/index.html', 'cli/binder.mjs'].map(dist);
  if (needed.every((f) => existsSync(f))) return;
  console.log('正在构建（首次启动需要）… Building (first start)…');
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('构建失败，请查看上面的错误。Build failed, see the errors above.');
    process.exit(result.status ?? 1);
  }
}

/** The Electron executable, if present. Reads the electron package's path.txt instead of require('electron'), which throws without a binary. */
function electronBinary() {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? path.join(override, readFileSync(pathFile, 'utf8')) : path.join(dir, 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : null;
}

function tryInstallElectronOnce() {
  const ci = process.env.CI || process.env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const install = path.join(root, 'node_modules', 'electron', 'install.js');
  if (ci || !existsSync(install)) return;
  console.log('正在获取 Electron 运行文件（最多 60 秒）… Fetching the Electron binary (up to 60 s)…');
  // Quiet: on a machine without access to GitHub this fails, and the one sentence below says what happens next.
  spawnSync(process.execPath, [install], { cwd: path.dirname(install), stdio: 'ignore', timeout: 60_000, killSignal: 'SIGKILL' });
}

function run(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function runInBrowser(reason) {
  console.log(reason);
  const workspace = args.find((a) => !a.startsWith('-'));
  run(process.execPath, [dist('cli/binder.mjs'), 'serve', ...(workspace ? [path.resolve(workspace)] : ['--demo'])]);
}

ensureBuilt();
let binary = electronBinary();
if (!binary) {
  tryInstallElectronOnce();
  binary = electronBinary();
}
if (!binary) {
  runInBrowser('未能获取 Electron 运行文件（本机无法下载），改为在浏览器中打开工作台。The Electron binary could not be obtained on this machine, so the workbench opens in your browser instead.');
} else {
  const native = spawnSync(process.execPath, [path.join(root, 'scripts', 'electron-native.mjs')], { cwd: root, stdio: 'inherit' });
  if (native.status !== 0) {
    runInBrowser('未能准备 Electron 版数据库模块，改为在浏览器中打开工作台。The Electron build of the database module could not be prepared, so the workbench opens in your browser instead.');
  } else {
    // ELECTRON_RUN_AS_NODE left over from a parent tool would start Electron as plain Node.
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    run(binary, [root, ...args.map((a) => (a.startsWith('-') ? a : path.resolve(a)))], env);
  }
}

import { build } from 'esbuild';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The checkout: found upwards from this module, which the benchmarks run from a bundle in tests/.tmp/. */
function checkoutRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'electron', 'cli', 'main.ts'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(import.meta.dirname, '..', '..');
  }
}

const root = checkoutRoot(import.meta.dirname);

/**
 * Bundles the CLI from source into tests/.tmp (one folder per test process), so CLI tests always run the code
 * under test and never a stale dist/.
 */
export async function buildCli(): Promise<string> {
  const outDir = path.join(root, 'tests', '.tmp', 'cli', `binder-${process.pid}-${Date.now()}`);
  mkdirSync(outDir, { recursive: true });
  // Split like scripts/build.mjs, so the tests see the same lazy loading as the shipped dist/cli.
  await build({
    entryPoints: { binder: path.join(root, 'electron/cli/main.ts') },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
  return path.join(outDir, 'binder.mjs');
}

export type CliResult = { code: number; stdout: string; stderr: string; json: unknown };

export function runCli(cli: string, args: string[], options: { cwd?: string } = {}): CliResult {
  return result(args, spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: options.cwd ?? root, timeout: 300_000 }));
}

function result(args: string[], r: SpawnSyncReturns<string>): CliResult {
  let json: unknown;
  if (args.includes('--json')) {
    try {
      json = JSON.parse(r.stdout);
    } catch {
      json = undefined;
    }
  }
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, json };
}

export function spawnCli(cli: string, args: string[]) {
  return spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * Runs the CLI with an ES module resolve hook that records every module it resolves, and returns the npm
 * packages among them: what a command really loads, including later `await import()`s.
 */
export function runCliTracingPackages(cli: string, args: string[], workDir: string): CliResult & { packages: string[] } {
  mkdirSync(workDir, { recursive: true });
  const log = path.join(workDir, 'resolved.txt');
  rmSync(log, { force: true });
  const hooks = path.join(workDir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const r = await next(specifier, context);\n  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');\n  return r;\n}\n`,
  );
  const register = path.join(workDir, 'register.mjs');
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, cli, ...args], { encoding: 'utf8', cwd: root, timeout: 300_000 });
  const resolved = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  if (!resolved.length) throw new Error('the resolve hook recorded nothing: the trace would prove nothing');
  const packages = [...new Set(resolved.map((u) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1]).filter((p): p is string => Boolean(p)))].sort();
  return { ...result(args, r), packages };
}

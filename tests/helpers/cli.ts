import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

/**
 * Bundles the CLI from source into tests/.tmp (one file per test process), so CLI tests always run the code
 * under test and never a stale dist/.
 */
export async function buildCli(): Promise<string> {
  const outDir = path.join(root, 'tests', '.tmp', 'cli');
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, `binder-${process.pid}-${Date.now()}.mjs`);
  await build({
    entryPoints: [path.join(root, 'electron/cli/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'error',
  });
  return outfile;
}

export type CliResult = { code: number; stdout: string; stderr: string; json: unknown };

export function runCli(cli: string, args: string[], options: { cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: options.cwd ?? root, timeout: 300_000 });
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

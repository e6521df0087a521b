// Runs a benchmark from tests/bench/: `npm run bench -- import` (or `node scripts/bench.mjs gaps`).
// Benchmarks are TypeScript programs that print their figures; esbuild bundles one and node runs it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const benchDir = path.join(root, 'tests', 'bench');
const names = readdirSync(benchDir).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, ''));
// Leading names choose benchmarks; everything from the first option on is passed to each of them.
const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('-'));
const wanted = firstOption < 0 ? args : args.slice(0, firstOption);
const passThrough = firstOption < 0 ? [] : args.slice(firstOption);
const run = wanted.length ? wanted : names;
for (const name of run) {
  if (!names.includes(name)) {
    console.error(`没有这个基准测试：${name}（可用：${names.join(', ')}）`);
    process.exit(2);
  }
  const outDir = path.join(root, 'tests', '.tmp', 'bench');
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [path.join(benchDir, `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  console.log(`\n=== bench: ${name}`);
  const r = spawnSync(process.execPath, ['--expose-gc', outfile, ...passThrough], {
    stdio: 'inherit',
    cwd: root,
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * The OCR worker bundled from sources for tests and benchmarks (the app and CLI find theirs beside their bundle in
 * dist/). Built once per process.
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WORKER_SOURCE = 'electron/backend/ocr/worker.ts';

/** The checkout: found upwards from here, since benchmarks run this file bundled from tests/.tmp/bench. */
function checkoutRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, WORKER_SOURCE))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`${WORKER_SOURCE} not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
  return dir;
}
let built: Promise<string> | undefined;

export function buildOcrWorker(): Promise<string> {
  built ??= (async () => {
    const root = checkoutRoot();
    const outfile = path.join(root, 'tests', '.tmp', 'ocr-worker', `ocr-worker-${process.pid}.mjs`);
    await build({
      entryPoints: [path.join(root, WORKER_SOURCE)],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
    });
    return outfile;
  })();
  return built;
}

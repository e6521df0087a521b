// Builds everything that runs: the CLI (dist/cli/binder.mjs), the Electron main process, preload and backend
// (dist/electron/*), and the renderer (dist/renderer, Vite). TypeScript is type-checked separately (npm run typecheck).
import { build } from 'esbuild';
import { chmodSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');
const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // Native and large packages stay in node_modules (better-sqlite3, sharp, pdfjs-dist …).
  packages: 'external',
  // templates.ts falls back to __dirname in CommonJS bundles; import.meta is empty there on purpose.
  logOverride: { 'empty-import-meta': 'silent' },
};

if (want('cli')) {
  // Code splitting: what a command loads with `await import()` (PDF, DOCX, image and intake stacks) becomes
  // separate chunks, so `binder templates` does not evaluate them, nor the packages they import, at start-up.
  // Chunks sit next to binder.mjs: serve.ts finds dist/renderer relative to its own file.
  rmSync(path.join(dist, 'cli'), { recursive: true, force: true });
  await build({
    ...common,
    entryPoints: { binder: path.join(root, 'electron/cli/main.ts') },
    outdir: path.join(dist, 'cli'),
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunk-[hash]',
    splitting: true,
    format: 'esm',
    banner: { js: '#!/usr/bin/env node' },
  });
  chmodSync(path.join(dist, 'cli/binder.mjs'), 0o755);
  await buildReaderWorker('cli');
  await buildOcrWorker(path.join(dist, 'cli/ocr-worker.mjs'));
  await writeEditedPdfjsWorker('cli');
}

if (want('electron')) {
  // The backend (utilityProcess) is ESM: pdfjs and fontkit are located with createRequire(import.meta.url).
  const entries = [
    ['electron/main/main.ts', 'electron/main.cjs', 'cjs'],
    ['electron/preload/preload.ts', 'electron/preload.cjs', 'cjs'],
    ['electron/backend/host/utility.ts', 'electron/backend.mjs', 'esm'],
  ];
  for (const [entry, out, format] of entries) {
    await build({
      ...common,
      entryPoints: [path.join(root, entry)],
      outfile: path.join(dist, out),
      format,
      external: ['electron'],
      // The sandboxed preload may require nothing but electron: bundle everything else into it.
      ...(entry.includes('preload') ? { packages: undefined, platform: 'browser', external: ['electron'] } : {}),
    });
  }
  await buildReaderWorker('electron');
  await buildOcrWorker(path.join(dist, 'electron/ocr-worker.mjs'));
  await writeEditedPdfjsWorker('electron');
}

/** File readers run in worker threads (electron/backend/intake/read-pool.ts looks for the worker beside its bundle). */
async function buildReaderWorker(folder) {
  await build({
    ...common,
    entryPoints: [path.join(root, 'electron/backend/intake/read-worker.ts')],
    outfile: path.join(dist, folder, 'read-worker.mjs'),
    format: 'esm',
  });
}

// OCR runs in a worker thread; each bundle finds its worker beside itself (electron/backend/ocr/pool.ts).
async function buildOcrWorker(outfile) {
  await build({ ...common, entryPoints: [path.join(root, 'electron/backend/ocr/worker.ts')], outfile, format: 'esm' });
}

/**
 * pdf.js's worker with parsed CMaps kept (electron/backend/intake/readers/pdfjs-worker.ts), edited here once instead
 * of by each installation at run time. If the edits do not match the installed pdfjs-dist, the bundles use the stock
 * worker (slower for non-embedded Chinese fonts, same text) and the build says so.
 */
async function writeEditedPdfjsWorker(folder) {
  const tool = path.join(root, 'dist', '.build', 'pdfjs-worker.mjs');
  await build({ ...common, sourcemap: false, entryPoints: [path.join(root, 'electron/backend/intake/readers/pdfjs-worker.ts')], outfile: tool, format: 'esm' });
  const { writeBuiltWorker, BUILT_WORKER_FILE } = await import(pathToFileURL(tool).href);
  if (!writeBuiltWorker(path.join(dist, folder))) {
    rmSync(path.join(dist, folder, BUILT_WORKER_FILE), { force: true });
    console.warn(`build: pdf.js worker edits do not match the installed pdfjs-dist; dist/${folder} uses the stock worker (non-embedded Chinese PDFs read slower)`);
  }
}

if (want('renderer') && existsSync(path.join(root, 'vite.config.ts'))) {
  const { build: viteBuild } = await import('vite');
  rmSync(path.join(dist, 'renderer'), { recursive: true, force: true });
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}

import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type StartHost = (opts: { workspaceDir?: string; port?: number; rendererDir: string; stateDir: string; demoDir: string; version: string }) => Promise<{
  url: string;
  token: string;
  close(): Promise<void>;
}>;

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/**
 * Starts the real browser host (electron/backend/host/server.ts) on a free port with a private state folder,
 * and hands the URL (with token) and a scratch folder to the tests through the environment.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const rendererDir = path.join(root, 'dist', 'renderer');
  // Always build the renderer, so the test never runs against a stale bundle (~2 s).
  const vite = await import('vite');
  await vite.build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
  if (!existsSync(path.join(rendererDir, 'index.html'))) throw new Error('renderer build produced no dist/renderer/index.html');
  // The host is TypeScript in a NodeNext project: bundle it (packages stay external, native modules load as usual).
  const outDir = path.join(root, 'tests', '.tmp', 'e2e');
  mkdirSync(outDir, { recursive: true });
  const hostFile = path.join(outDir, 'host.mjs');
  await build({
    entryPoints: [path.join(root, 'electron', 'backend', 'host', 'server.ts')],
    outfile: hostFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'warning',
  });
  const { startHost } = (await import(pathToFileURL(hostFile).href)) as { startHost: StartHost };

  const scratch = mkdtempSync(path.join(tmpdir(), 'binder-e2e-'));
  const host = await startHost({
    rendererDir,
    stateDir: path.join(scratch, 'state'),
    demoDir: path.join(scratch, 'demo'),
    version: 'e2e',
  });
  process.env.BINDER_E2E_URL = host.url;
  process.env.BINDER_E2E_SCRATCH = scratch;

  return async () => {
    await host.close();
    if (!process.env.BINDER_E2E_KEEP) rmSync(scratch, { recursive: true, force: true });
  };
}

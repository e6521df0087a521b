import { parseArgs } from 'node:util';
import { BackendService, type BackendRequest } from './service.js';

/**
 * Entry of the Electron utility process (bundled to dist/electron/backend.mjs). The backend runs here, not in
 * the main process, so importing a folder or building a 1,000-page binder never freezes a window, a crash in a
 * native decoder (sharp, sqlite, pdf.js) takes down only this process (main restarts it), and the build's
 * memory peak stays out of the UI process. A worker_thread would share the main process's fate on a native
 * crash, which is why the utility process was chosen.
 *
 * This file never imports `electron`: Electron provides `process.parentPort` to utility processes.
 */

type ParentPort = {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
};

const port = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
if (!port) {
  process.stderr.write('backend.mjs 只能由佐证材料汇编的桌面程序启动。\n');
  process.exit(2);
}

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { 'state-dir': { type: 'string' }, 'demo-dir': { type: 'string' }, version: { type: 'string' } },
  strict: false,
});
const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);
const service = new BackendService({
  stateDir: str(values['state-dir'], process.cwd()),
  demoDir: str(values['demo-dir'], process.cwd()),
  version: str(values.version, '0.0.0'),
});

function isRequest(data: unknown): data is BackendRequest {
  if (!data || typeof data !== 'object') return false;
  const d = data as Record<string, unknown>;
  return (d.type === 'api' || d.type === 'file' || d.type === 'close') && typeof d.id === 'number' && typeof d.windowId === 'number';
}

port.on('message', ({ data }) => {
  if (data && typeof data === 'object' && (data as { type?: unknown }).type === 'shutdown') {
    service.closeAll();
    process.exit(0);
  }
  if (!isRequest(data)) return;
  service.handle(data).then(
    (reply) => port.postMessage(reply),
    (error: Error) =>
      port.postMessage(
        data.type === 'api'
          ? { type: 'api', id: data.id, result: { ok: false, error: { code: 'internal', message: `后台出错：${error.message}` } }, workspaceDir: null }
          : { type: data.type, id: data.id, file: null },
      ),
  );
});

process.on('SIGTERM', () => {
  service.closeAll();
  process.exit(0);
});

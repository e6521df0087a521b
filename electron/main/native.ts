import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * better-sqlite3 is compiled for one ABI at a time. The checkout keeps node_modules/better-sqlite3/build for
 * Node (tests, CLI) and scripts/electron-native.mjs puts the Electron build in
 * build/native/electron-<version>/better-sqlite3/; the backend's openDatabase takes the file from
 * EVIDENCE_BINDER_SQLITE_BINDING. A packaged app is rebuilt for Electron by electron-builder, so it needs none.
 */
export function electronNativeDir(appRoot: string, electronVersion: string): string {
  return path.join(appRoot, 'build', 'native', `electron-${electronVersion}`, 'better-sqlite3');
}

export function sqliteBindingFor(appRoot: string, electronVersion: string, isPackaged: boolean): string | undefined {
  if (isPackaged) return undefined;
  const file = path.join(electronNativeDir(appRoot, electronVersion), 'build', 'Release', 'better_sqlite3.node');
  return existsSync(file) ? file : undefined;
}

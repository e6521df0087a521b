import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { OutputFile } from '../../../shared/api/contract.js';
import { PARTIAL_PREFIX } from '../generators/partial.js';
import type { Workspace } from '../workspace/workspace.js';

const FORMATS: Record<string, OutputFile['format']> = { '.pdf': 'pdf', '.docx': 'docx', '.zip': 'zip', '.xlsx': 'xlsx' };

/** Where builds go by default (and where the workbench looks for earlier ones). */
export function outputDir(ws: Workspace): string {
  return path.join(ws.dir, '输出');
}

/** A finished output's name: one segment, a known format, not a build still being written. */
export function isOutputName(name: string): boolean {
  return !name.startsWith(PARTIAL_PREFIX) && !name.includes('/') && !name.includes('\\') && path.extname(name).toLowerCase() in FORMATS;
}

/**
 * Earlier builds, newest first, from the output folder itself: what is on disk is the record, so a file the
 * user deleted or renamed by hand is not listed as if it still existed.
 */
export function listOutputs(ws: Workspace, url: (name: string) => string): OutputFile[] {
  const dir = outputDir(ws);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter(isOutputName)
    .flatMap((name) => {
      try {
        const stat = statSync(path.join(dir, name));
        if (!stat.isFile()) return [];
        return [{ name, path: path.join(dir, name), format: FORMATS[path.extname(name).toLowerCase()], bytes: stat.size, modified: stat.mtime.toISOString(), url: url(name) }];
      } catch {
        return [];
      }
    })
    .sort((a, b) => b.modified.localeCompare(a.modified) || a.name.localeCompare(b.name, 'zh'));
}

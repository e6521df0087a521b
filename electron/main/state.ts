import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Small app state in userData: window bounds and the recent workspaces. The recent list is the one the
 * backend's handlers write (recent.json, newest first), so the menu and the start screen agree.
 */

export type WindowBounds = { x?: number; y?: number; width: number; height: number; maximized?: boolean };
export type RecentWorkspace = { dir: string; title: string };

function readJson(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Written through a temporary file so a crash mid-write never leaves half a JSON file. */
function writeJson(file: string, data: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(temp, file);
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function readWindowBounds(stateDir: string): WindowBounds | undefined {
  const raw = readJson(path.join(stateDir, 'window-state.json'));
  if (!raw || typeof raw !== 'object') return undefined;
  const b = raw as Record<string, unknown>;
  if (!isNumber(b.width) || !isNumber(b.height) || b.width < 400 || b.height < 300) return undefined;
  return {
    width: Math.round(b.width),
    height: Math.round(b.height),
    ...(isNumber(b.x) && isNumber(b.y) ? { x: Math.round(b.x), y: Math.round(b.y) } : {}),
    maximized: b.maximized === true,
  };
}

export function writeWindowBounds(stateDir: string, bounds: WindowBounds): void {
  writeJson(path.join(stateDir, 'window-state.json'), bounds);
}

export function readRecentWorkspaces(stateDir: string, limit = 10): RecentWorkspace[] {
  const raw = readJson(path.join(stateDir, 'recent.json'));
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((r): r is { dir: string; title?: unknown } => !!r && typeof r === 'object' && typeof (r as { dir?: unknown }).dir === 'string')
    .map((r) => ({ dir: r.dir, title: typeof r.title === 'string' && r.title ? r.title : path.basename(r.dir) }))
    .slice(0, limit);
}

/** A window placed on a display that is no longer attached would open off-screen: keep it only if visible. */
export function isOnScreen(bounds: WindowBounds, displays: readonly { x: number; y: number; width: number; height: number }[]): boolean {
  if (bounds.x === undefined || bounds.y === undefined) return true;
  const { x, y } = bounds;
  return displays.some((d) => x + 100 > d.x && x < d.x + d.width - 100 && y >= d.y - 10 && y < d.y + d.height - 100);
}

/**
 * The workspace folder given on the command line (a shortcut, "open with", or a second launch), if any.
 * argv is [exe, args…] when packaged and [exe, app path, args…] when run as `electron <app>`; Chromium's own
 * switches start with '-'.
 */
export function findWorkspaceArgument(
  argv: readonly string[],
  cwd: string,
  skip: number = process.defaultApp ? 2 : 1,
  isDirectory: (p: string) => boolean = (p) => existsSync(p) && statSync(p).isDirectory(),
): string | undefined {
  for (const arg of argv.slice(skip)) {
    if (!arg || arg.startsWith('-')) continue;
    const candidate = path.resolve(cwd, arg);
    if (isDirectory(candidate)) return candidate;
  }
  return undefined;
}

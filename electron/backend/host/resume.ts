import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { contract, JOB_KINDS, type JobKind, type JobState } from '../../../shared/api/contract.js';
import type { OcrRunReport } from '../../../shared/domain/intake.js';
import type { Actor } from '../../../shared/team/roles.js';
import { startBuild, type HandlerDeps } from '../api/handlers.js';
import { outputDir } from '../api/outputs.js';
import { PARTIAL_PREFIX } from '../generators/partial.js';
import type { StoredJob } from '../db/jobs.js';
import { runAs } from '../team/actor.js';
import type { Workspace } from '../workspace/workspace.js';

/**
 * What a server does on start with the jobs a previous process left `running` (crash, restart, power cut): none
 * stays “running” for ever. A build is run again from its stored input, under the same id (a page still polling it
 * sees it through) and in its requester's name; an import cannot be (the uploaded files were staged in a folder
 * the restart cleared) and is recorded as interrupted; OCR needs no job (each item's state is the queue, and the
 * background OCR reads what is left).
 */

const INTERRUPTED_IMPORT = '服务器在导入过程中停止，导入未完成：已导入的材料已保留，其余文件请重新上传。';
const INTERRUPTED_OCR = '服务器在识别过程中停止：未识别的材料仍为“识别中”，由服务器在后台继续识别。';
const BAD_INPUT = '服务器重启后无法重新生成：保存的生成选项无法读取，请重新生成。';
const TOO_OLD = '生成中断已超过 24 小时，未自动重新生成（材料可能已有变化）：如仍需要，请重新生成。';

/**
 * A build cut off longer ago than this is not run again by itself: a pack made from today's material under a request
 * of days ago is not what anyone asked for (a desktop app that crashed last week leaves its row too).
 */
const RESUME_WITHIN_MS = 24 * 3600_000;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `重新开始于 2026-12-01 19:50`: local time, as the office's clock shows it. */
export function restartNote(at: Date): string {
  const day = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  return `重新开始于 ${day} ${pad(at.getHours())}:${pad(at.getMinutes())}（服务器重启前未完成）`;
}

/** The requester as an actor (history rows and the job's owner name them); an account since removed keeps its name, with the least powerful role. */
async function requester(ws: Workspace, name: string | undefined): Promise<Actor | undefined> {
  if (!name) return undefined;
  const user = await ws.users.get(name);
  return user ? { name: user.name, role: user.role, departments: user.departments } : { name, role: 'leader', departments: [] };
}

/** Files an interrupted build left under their temporary names in its output folder (nothing else runs yet). */
function removePartials(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(PARTIAL_PREFIX)) rmSync(path.join(dir, name), { force: true });
}

async function recordEnd(ws: Workspace, job: StoredJob, kind: JobKind, state: 'failed' | 'cancelled', error: string): Promise<void> {
  const progress = (job.progress ?? { stage: '准备', done: 0, total: 0 }) as JobState['progress'];
  await ws.recordJob({ id: job.id, kind, state, progress, error } as JobState, job.input);
}

/**
 * Runs the builds a previous process left running, one after another (a build holds a binder's pages in memory),
 * and closes the other interrupted jobs. Resolves when they are done, or when `signal` stops the server.
 */
export async function resumeInterruptedJobs(ws: Workspace, deps: Pick<HandlerDeps, 'jobs' | 'now' | 'version'>, signal: AbortSignal): Promise<void> {
  const interrupted = (await ws.jobs()).filter((j) => j.state === 'running').reverse();
  for (const job of interrupted) {
    const kind = JOB_KINDS.find((k) => k === job.kind);
    if (kind !== 'build') {
      await recordEnd(ws, job, kind ?? 'import', kind === 'ocr' ? 'cancelled' : 'failed', kind === 'ocr' ? INTERRUPTED_OCR : INTERRUPTED_IMPORT);
      continue;
    }
    if ((deps.now?.() ?? new Date()).getTime() - Date.parse(job.updatedAt) > RESUME_WITHIN_MS) {
      await recordEnd(ws, job, kind, 'failed', TOO_OLD);
      continue;
    }
    // A server stopped again meanwhile leaves the rest running in the table: the next start takes them up.
    if (signal.aborted) continue;
    const input = contract['binder.build'].input.safeParse(job.input);
    if (!input.success) {
      await recordEnd(ws, job, kind, 'failed', BAD_INPUT);
      continue;
    }
    removePartials(input.data.outDir ?? outputDir(ws));
    const actor = await requester(ws, job.actor);
    const note = restartNote(deps.now?.() ?? new Date());
    const id = await runAs(actor, () => startBuild(deps, ws, input.data, { id: job.id, note, ...(actor ? { owner: actor.name } : {}) }));
    await deps.jobs.wait(id);
  }
}

/**
 * What the server's background OCR tells nobody in particular: when the OCR engine cannot start, every waiting item
 * keeps its place in the queue (识别中) and says why (the existing ocr-missing reason), instead of waiting silently.
 */
export async function serverOcrReport(ws: Workspace, report: OcrRunReport): Promise<void> {
  if (!report.unavailable) return;
  try {
    for (const item of await ws.pendingOcr()) await ws.setOcrState(item.id, 'pending', report.unavailable);
  } catch {
    // The workspace closed meanwhile: the items stay pending for the next start.
  }
}

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { JOB_KINDS, type BuildResult, type HistoryRow, type JobState, type SessionState, type TargetRow, type WorkspaceInfo } from '../../../shared/api/contract.js';
import type { ProgressEvent } from '../../../shared/domain/intake.js';
import type { FileFormat, Readability } from '../../../shared/domain/types.js';
import { AppError } from '../../../shared/errors.js';
import { listIndicators } from '../../../shared/framework/schema.js';
import { chooseFonts, findSystemFonts } from '../fonts.js';
import { findLibreOffice } from '../convert/libreoffice.js';
import { listTemplates, loadTemplate } from '../templates.js';
import { listOutputs, outputDir } from './outputs.js';
import { hasThumbnail } from '../thumbnails.js';
import { describeEvent, describeUndoneEvent } from '../workspace/describe.js';
import { Workspace } from '../workspace/workspace.js';
import type { ApiHandlers } from './dispatch.js';
import { userHandlers, workflowHandlers } from './team-handlers.js';
import type { JobRegistry, JobStartOptions } from './jobs.js';
import type { BackgroundOcr } from '../ocr/background.js';
import type { OcrWorkerPool } from '../ocr/pool.js';

export type HandlerDeps = {
  /** The workspace this window/host works on; create/open/openDemo replace it. */
  session: { workspace: Workspace | null };
  jobs: JobRegistry;
  /** Background OCR of scans and pictures after import (absent, as in the CLI: items stay 识别中 until `binder ocr`). */
  ocr?: BackgroundOcr;
  host: SessionState['host'];
  version: string;
  /** Where the demo workspace lives (created on first use). */
  demoDir: string;
  /** Folder for app state (recent workspaces); null keeps no list (the CLI must not reorder the app's list). */
  stateDir: string | null;
  /**
   * URL under which the renderer can load a stored original, or an exported file. Without it (the CLI) rows carry
   * no thumbnail URL and files are given as file: URLs.
   */
  fileUrl?: (kind: 'vault' | 'export' | 'thumb' | 'output', id: string) => string;
  now?: () => Date;
};

type Recent = { dir: string; title: string; at: string };

function readRecent(stateDir: string | null): Recent[] {
  if (!stateDir) return [];
  const file = path.join(stateDir, 'recent.json');
  if (!existsSync(file)) return [];
  try {
    const list = JSON.parse(readFileSync(file, 'utf8')) as Recent[];
    return Array.isArray(list) ? list.filter((r) => typeof r.dir === 'string') : [];
  } catch {
    return [];
  }
}

async function rememberRecent(stateDir: string | null, ws: Workspace): Promise<void> {
  if (!stateDir) return;
  mkdirSync(stateDir, { recursive: true });
  const list = [{ dir: ws.dir, title: (await ws.settings()).title, at: new Date().toISOString() }, ...readRecent(stateDir).filter((r) => r.dir !== ws.dir)];
  writeFileSync(path.join(stateDir, 'recent.json'), JSON.stringify(list.slice(0, 10), null, 2));
}

async function info(ws: Workspace): Promise<WorkspaceInfo> {
  const counts = await ws.counts();
  return {
    dir: ws.dir,
    settings: await ws.settings(),
    framework: ws.framework(),
    counts: { evidence: counts.live, trash: counts.trash },
  };
}

export function createHandlers(deps: HandlerDeps): ApiHandlers {
  const ws = (): Workspace => {
    if (!deps.session.workspace) throw new AppError('no-workspace', '还没有打开工作区。请先新建或打开一个工作区。');
    return deps.session.workspace;
  };
  const switchTo = async (next: Workspace): Promise<WorkspaceInfo> => {
    if (deps.session.workspace && deps.session.workspace !== next) {
      deps.ocr?.stop();
      await deps.session.workspace.close();
    }
    deps.session.workspace = next;
    await rememberRecent(deps.stateDir, next);
    // Scans and pictures left 识别中 (app closed mid-OCR, or imported with the CLI's --no-ocr-wait) are read now.
    deps.ocr?.kick(next);
    return info(next);
  };
  const thumbUrl = (ev: { format: FileFormat; readability: Readability; sha256: string }): { thumbUrl?: string } =>
    deps.fileUrl && hasThumbnail(ev.format) && ev.readability === 'ok' ? { thumbUrl: deps.fileUrl('thumb', ev.sha256) } : {};
  const targetRows = async (w: Workspace): Promise<TargetRow[]> => {
    const values = new Map((await w.targets()).map((t) => [t.id, t]));
    const computed = await w.computedTargets();
    return listIndicators(w.framework()).flatMap(({ indicator }) =>
      indicator.targets.map((t) => {
        const c = computed.get(t.id);
        return {
          ...values.get(t.id)!,
          indicator: indicator.code,
          label: t.label,
          unit: t.unit,
          comparison: t.comparison,
          ...(c ? { computed: c } : {}),
        };
      }),
    );
  };

  return {
    'session.state': async (): Promise<SessionState> => ({
      workspace: deps.session.workspace ? await info(deps.session.workspace) : null,
      recent: readRecent(deps.stateDir)
        .filter((r) => Workspace.isWorkspace(r.dir))
        .map(({ dir, title }) => ({ dir, title })),
      host: deps.host,
      version: deps.version,
    }),
    'templates.list': () => listTemplates(),
    'templates.get': (input) => loadTemplate(input.id),
    'workspace.create': async (input) =>
      switchTo(
        await Workspace.init(input.dir, {
          ...(input.database !== undefined ? { database: input.database } : {}),
          templateId: input.templateId,
          title: input.title,
          unit: input.unit,
          periodStart: input.periodStart,
          periodEnd: input.periodEnd,
          fonds: input.fonds,
          orgCode: input.orgCode,
          now: deps.now,
        }),
      ),
    'workspace.open': async (input) => switchTo(await Workspace.open(input.dir)),
    'workspace.openDemo': async () => {
      const { ensureDemoWorkspace } = await import('../demo/demo.js');
      return switchTo(await ensureDemoWorkspace(deps.demoDir));
    },
    'demo.create': async (input) => {
      const dir = path.resolve(input.dir);
      if (input.force && existsSync(dir)) {
        if (!Workspace.isWorkspace(dir)) throw new AppError('usage', `覆盖只用于已有的工作区：${dir} 不是工作区，未做改动。`);
        if (deps.session.workspace?.dir === dir) {
          await deps.session.workspace.close();
          deps.session.workspace = null;
        }
        rmSync(dir, { recursive: true, force: true });
      }
      const { buildDemo } = await import('../demo/demo.js');
      const { workspace, report } = await buildDemo(dir);
      return { info: await switchTo(workspace), import: report };
    },
    'workspace.info': () => info(ws()),
    'workspace.update': async (input) => {
      const { fontFile, ...patch } = input.patch;
      if (fontFile !== undefined) {
        const file = fontFile.trim();
        // Refuse a file that cannot set Chinese text now, not at the next build.
        if (file) chooseFonts({ userFont: path.resolve(file) });
        await ws().updateSettings({ ...patch, fontFile: file ? path.resolve(file) : undefined });
      } else {
        await ws().updateSettings(patch);
      }
      return info(ws());
    },
    'evidence.list': async () => (await ws().listEvidence()).map((ev) => ({ ...ev, ...thumbUrl(ev) })),
    'evidence.search': (input) => ws().search(input.query),
    'evidence.get': async (input) => {
      const w = ws();
      const ev = await w.requireEvidence(input.id);
      return {
        ...ev,
        textExcerpt: (await w.evidenceText(ev.id)).slice(0, 20_000),
        fileUrl: deps.fileUrl ? deps.fileUrl('vault', ev.sha256) : pathToFileURL(w.originalPath(ev.sha256)).href,
        ...thumbUrl(ev),
        userFields: await w.userFields(ev.id),
      };
    },
    'evidence.import': (input) => {
      const w = ws();
      const jobId = deps.jobs.start('import', async (onProgress, signal) => {
        // The intake readers (pdfjs, sharp, Office parsers) load on the first import, not at start-up.
        const { importPaths } = await import('../workspace/import.js');
        const report = await importPaths(w, input.paths, { indicator: input.indicator, requirement: input.requirement, onProgress, signal });
        deps.ocr?.kick(w);
        return report;
      }, (job) => w.recordJob(job, input));
      return { jobId };
    },
    'evidence.update': (input) => ws().update(input.ids, input.patch),
    'evidence.link': (input) => ws().link(input.ids, input.indicator, input.requirement),
    'evidence.unlink': (input) => ws().unlink(input.ids, input.indicator),
    'evidence.accept': (input) => ws().accept(input.ids),
    'evidence.delete': async (input) => {
      await ws().delete(input.ids);
      return { deleted: input.ids.length };
    },
    'evidence.restore': (input) => ws().restore(input.ids),
    'evidence.trash': () => ws().listEvidence({ trash: true }),
    'evidence.ocr': (input) => {
      const w = ws();
      const jobId = deps.jobs.start('ocr', async (onProgress, signal) => {
        try {
          // The OCR stack (worker pool, models) loads on the first OCR, not at start-up.
          const { runPendingOcr } = await import('../ocr/run.js');
          const read = (pool?: OcrWorkerPool) => runPendingOcr(w, { ids: input.ids, onProgress, signal, pool });
          // One reader at a time: the background runner stops first and lends its pool (see BackgroundOcr.exclusive).
          return deps.ocr ? await deps.ocr.exclusive(read) : await read();
        } finally {
          // What this job did not take (other items, the one the background runner put back) is read after it,
          // unless the workspace was closed or switched meanwhile.
          if (deps.session.workspace === w) deps.ocr?.kick(w);
        }
      }, (job) => w.recordJob(job, input));
      return { jobId };
    },
    // Team mode: only the caller's own last action (history rows name their actor).
    'filing.undo': async (_input, ctx) => ({ message: await ws().undoLast(ctx.actor?.name) }),
    'history.undoable': async (_input, ctx) => ({ next: await ws().nextUndo(ctx.actor?.name) }),
    'evidence.reclassify': async () => {
      const w = ws();
      const { reclassify } = await import('../workspace/import.js');
      return reclassify(w);
    },
    'targets.list': () => targetRows(ws()),
    'targets.set': async (input) => {
      const w = ws();
      await w.setTargets([{ id: input.id, target: input.target, actual: input.actual, source: input.source }]);
      return targetRows(w);
    },
    'targets.acceptComputed': async (input) => {
      const w = ws();
      await w.acceptComputed(input.ids);
      return targetRows(w);
    },
    'ledgers.list': () => ws().ledgers(),
    'ledgers.rows': (input) => ws().ledgerRows(input.evidence, input.sheet, input),
    'ledgers.map': (input) => ws().mapLedger(input.evidence, input.sheet, { kind: input.kind, ...(input.columns ? { columns: input.columns } : {}) }),
    'targets.setMany': async (input) => {
      const w = ws();
      await w.setTargets(input.items);
      return targetRows(w);
    },
    'gaps.get': () => ws().gaps(),
    'departments.export': async (input) => {
      const w = ws();
      const { exportDepartmentOwes } = await import('./department-export.js');
      const file = await exportDepartmentOwes(await w.snapshot(), input.department, w.cacheDir('exports'));
      return { path: file, url: deps.fileUrl ? deps.fileUrl('export', path.basename(file)) : pathToFileURL(file).href };
    },
    'history.list': async (input): Promise<HistoryRow[]> =>
      (await ws().history(input.limit ?? 200)).map(({ id, at, event, undone, actor }) => ({
        id,
        at,
        action: event.action,
        ...(actor ? { actor } : {}),
        ...('evidenceId' in event ? { evidenceId: event.evidenceId } : {}),
        summary: undone ? describeUndoneEvent(event) : describeEvent(event),
      })),
    'rectification.list': () => ws().rectificationItems(),
    'rectification.add': async (input) => (await ws().addRectification([input]))[0],
    'rectification.close': (input) => ws().closeRectification(input.id, input.evidence, input.verify ?? false),
    'rectification.verify': (input) => ws().verifyRectification(input.id),
    'rectification.edit': ({ id, ...patch }) => ws().editRectification(id, patch),
    'rectification.import': async (input) => {
      const file = path.resolve(input.path);
      if (!existsSync(file)) throw new AppError('not-found', `找不到文件：${input.path}`);
      const w = ws();
      const { readRectificationList } = await import('../rectification/import-list.js');
      const list = await readRectificationList(file, (code) => w.hasIndicator(code));
      return { added: list.items.length ? await w.addRectification(list.items) : [], problems: list.problems, headerRow: list.headerRow };
    },
    'binder.build': async (input) => ({ jobId: await startBuild(deps, ws(), input) }),
    'binder.outputs': () => {
      const w = ws();
      return listOutputs(w, (name) => (deps.fileUrl ? deps.fileUrl('output', name) : pathToFileURL(path.join(outputDir(w), name)).href));
    },
    'jobs.get': async (input) => {
      const job = deps.jobs.get(input.id);
      if (job) return job;
      // Not in this process: a job stored by an earlier run (a build the server takes up again a moment after it
      // starts, or one that ended before a restart). A page polling it sees its stored state instead of losing it.
      const stored = await deps.session.workspace?.job(input.id);
      const kind = stored && JOB_KINDS.find((k) => k === stored.kind);
      if (!stored || !kind) throw new AppError('not-found', '找不到这个任务，可能已经结束很久。');
      const progress = (stored.progress as ProgressEvent | undefined) ?? { stage: '', done: 0, total: 0 };
      // The stored result is what this kind's job wrote.
      return { id: stored.id, kind, state: stored.state, progress, ...(stored.result ? { result: stored.result } : {}), ...(stored.error ? { error: stored.error } : {}) } as JobState;
    },
    'jobs.cancel': (input) => ({ cancelled: deps.jobs.cancel(input.id) }),
    'package.verify': async (input) => {
      const file = path.resolve(input.path);
      if (!existsSync(file)) throw new AppError('not-found', `找不到文件：${input.path}`);
      const { verifyPackage } = await import('../generators/package/verify.js');
      try {
        return await verifyPackage(file);
      } catch (error) {
        throw new AppError('corrupt', `无法读取提交包 ${input.path}：它不是完整的 zip 文件（${(error as Error).message}）。`, { cause: error });
      }
    },
    'system.info': async () => {
      const libreoffice = findLibreOffice();
      const userFont = deps.session.workspace ? (await deps.session.workspace.settings()).fontFile : undefined;
      try {
        const chosen = chooseFonts({ userFont });
        return {
          fonts: Object.entries(chosen).map(([role, face]) => ({ role, family: face.family, path: face.path })),
          ...(userFont ? { userFont } : {}),
          libreoffice,
        };
      } catch (error) {
        return { fonts: findSystemFonts().map((f) => ({ role: f.role, family: f.family, path: f.path })), fontError: (error as Error).message, libreoffice };
      }
    },
    ...userHandlers(ws, deps.now),
    ...workflowHandlers(deps, ws),
  };
}

export type BuildInput = Parameters<ApiHandlers['binder.build']>[0];

/**
 * Starts a build job: the contract call, and (with `job`: its id, requester, a note) a build a server restart cut
 * off, started again from its stored input. Every file is written under a temporary name and renamed only at the
 * end (generators/build.ts), so what an interrupted run left is never taken for a finished binder.
 */
export async function startBuild(deps: Pick<HandlerDeps, 'jobs' | 'now' | 'version'>, w: Workspace, input: BuildInput, options?: JobStartOptions): Promise<string> {
  const snapshot = await w.snapshot();
  const outDir = input.outDir ?? outputDir(w);
  return deps.jobs.start('build', async (onProgress, signal): Promise<BuildResult> => {
    // The PDF, DOCX and image stacks load on the first build, not at start-up.
    const { buildOutputs } = await import('../generators/build.js');
    return buildOutputs(snapshot, w, {
      outDir,
      formats: input.formats,
      edition: input.edition,
      singleVolume: input.singleVolume,
      duplex: input.duplex,
      stamp: input.stamp,
      compressPhotos: input.compressPhotos,
      maxPagesPerVolume: input.maxPagesPerVolume,
      maxMegabytesPerVolume: input.maxMegabytesPerVolume,
      generatedAt: input.generatedAt ?? (deps.now?.() ?? new Date()).toISOString(),
      userFont: input.fontFile ? path.resolve(input.fontFile) : snapshot.settings.fontFile,
      generatorVersion: deps.version,
      mask: input.mask,
      rectificationLedger: input.rectificationLedger,
      textsOf: (ids) => w.evidenceTexts(ids),
      onProgress,
      signal,
    });
  }, (job) => w.recordJob(job, input), options);
}

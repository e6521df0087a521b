import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BuildResult, HistoryRow, SessionState, TargetRow, WorkspaceInfo } from '../../../shared/api/contract.js';
import { listIndicators } from '../../../shared/framework/schema.js';
import { chooseFonts, findSystemFonts } from '../fonts.js';
import { findLibreOffice } from '../convert/libreoffice.js';
import { ensureDemoWorkspace } from '../demo/demo.js';
import { exportDepartmentOwes } from './department-export.js';
import { buildOutputs } from '../generators/build.js';
import { listTemplates } from '../templates.js';
import { hasThumbnail } from '../thumbnails.js';
import { importPaths, importUploads, reclassify } from '../workspace/import.js';
import { describeEvent } from '../workspace/describe.js';
import { Workspace } from '../workspace/workspace.js';
import { UserError, type ApiHandlers } from './dispatch.js';
import type { JobRegistry } from './jobs.js';

export type HandlerDeps = {
  /** The workspace this window/host works on; create/open/openDemo replace it. */
  session: { workspace: Workspace | null };
  jobs: JobRegistry;
  host: 'electron' | 'browser';
  version: string;
  /** Where the demo workspace lives (created on first use). */
  demoDir: string;
  /** Folder for app state (recent workspaces). */
  stateDir: string;
  /** URL under which the renderer can load a stored original, or an exported file. */
  fileUrl: (kind: 'vault' | 'export' | 'thumb', id: string) => string;
  now?: () => Date;
};

type Recent = { dir: string; title: string; at: string };

function readRecent(stateDir: string): Recent[] {
  const file = path.join(stateDir, 'recent.json');
  if (!existsSync(file)) return [];
  try {
    const list = JSON.parse(readFileSync(file, 'utf8')) as Recent[];
    return Array.isArray(list) ? list.filter((r) => typeof r.dir === 'string') : [];
  } catch {
    return [];
  }
}

async function rememberRecent(stateDir: string, ws: Workspace): Promise<void> {
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
    if (!deps.session.workspace) throw new UserError('no-workspace', '还没有打开工作区。请先新建或打开一个工作区。');
    return deps.session.workspace;
  };
  const switchTo = async (next: Workspace): Promise<WorkspaceInfo> => {
    if (deps.session.workspace && deps.session.workspace !== next) await deps.session.workspace.close();
    deps.session.workspace = next;
    await rememberRecent(deps.stateDir, next);
    return info(next);
  };
  const targetRows = async (w: Workspace): Promise<TargetRow[]> => {
    const values = new Map((await w.targets()).map((t) => [t.id, t]));
    return listIndicators(w.framework()).flatMap(({ indicator }) =>
      indicator.targets.map((t) => ({
        ...values.get(t.id)!,
        indicator: indicator.code,
        label: t.label,
        unit: t.unit,
        comparison: t.comparison,
      })),
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
    'workspace.create': async (input) =>
      switchTo(
        await Workspace.init(input.dir, {
          templateId: input.templateId,
          title: input.title,
          unit: input.unit,
          periodStart: input.periodStart,
          periodEnd: input.periodEnd,
          fonds: input.fonds,
          now: deps.now,
        }),
      ),
    'workspace.open': async (input) => switchTo(await Workspace.open(input.dir)),
    'workspace.openDemo': async () => switchTo(await ensureDemoWorkspace(deps.demoDir)),
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
    'evidence.list': async () =>
      (await ws().listEvidence()).map((ev) => (hasThumbnail(ev.format) && ev.readability === 'ok' ? { ...ev, thumbUrl: deps.fileUrl('thumb', ev.sha256) } : ev)),
    'evidence.search': (input) => ws().search(input.query),
    'evidence.get': async (input) => {
      const w = ws();
      const ev = await w.requireEvidence(input.id);
      return {
        ...ev,
        textExcerpt: (await w.evidenceText(ev.id)).slice(0, 20_000),
        fileUrl: deps.fileUrl('vault', ev.sha256),
        ...(hasThumbnail(ev.format) && ev.readability === 'ok' ? { thumbUrl: deps.fileUrl('thumb', ev.sha256) } : {}),
        userFields: await w.userFields(ev.id),
      };
    },
    'evidence.import': (input) => {
      const w = ws();
      const jobId = deps.jobs.start(
        'import',
        (onProgress, signal) => importPaths(w, input.paths, { indicator: input.indicator, requirement: input.requirement, onProgress, signal }),
        (job) => w.recordJob(job, input),
      );
      return { jobId };
    },
    'evidence.upload': (input) =>
      importUploads(
        ws(),
        input.files.map((f) => ({ name: f.name, bytes: Buffer.from(f.base64, 'base64') })),
        { indicator: input.indicator, requirement: input.requirement },
      ),
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
    'filing.undo': async () => ({ message: await ws().undoLast() }),
    'evidence.reclassify': () => reclassify(ws()),
    'targets.list': () => targetRows(ws()),
    'targets.set': async (input) => {
      const w = ws();
      await w.setTargets([{ id: input.id, target: input.target, actual: input.actual, source: input.source }]);
      return targetRows(w);
    },
    'gaps.get': () => ws().gaps(),
    'departments.export': async (input) => {
      const w = ws();
      const file = await exportDepartmentOwes(await w.snapshot(), input.department, w.cacheDir('exports'));
      return { path: file, url: deps.fileUrl('export', path.basename(file)) };
    },
    'history.list': async (input): Promise<HistoryRow[]> =>
      (await ws().history(input.limit ?? 200)).map(({ id, at, event, undone }) => ({
        id,
        at,
        action: event.action,
        ...('evidenceId' in event ? { evidenceId: event.evidenceId } : {}),
        summary: `${describeEvent(event)}${undone ? '（已撤销）' : ''}`,
      })),
    'binder.build': async (input) => {
      const w = ws();
      const snapshot = await w.snapshot();
      const outDir = input.outDir ?? path.join(w.dir, '输出');
      const jobId = deps.jobs.start(
        'build',
        (onProgress, signal): Promise<BuildResult> =>
          buildOutputs(snapshot, w, {
            outDir,
            formats: input.formats,
            singleVolume: input.singleVolume,
            duplex: input.duplex,
            stamp: input.stamp,
            compressPhotos: input.compressPhotos,
            maxPagesPerVolume: input.maxPagesPerVolume,
            maxMegabytesPerVolume: input.maxMegabytesPerVolume,
            generatedAt: (deps.now?.() ?? new Date()).toISOString(),
            userFont: snapshot.settings.fontFile,
            generatorVersion: deps.version,
            onProgress,
            signal,
          }),
        (job) => w.recordJob(job, input),
      );
      return { jobId };
    },
    'jobs.get': (input) => {
      const job = deps.jobs.get(input.id);
      if (!job) throw new UserError('not-found', '找不到这个任务，可能已经结束很久。');
      return job;
    },
    'jobs.cancel': (input) => ({ cancelled: deps.jobs.cancel(input.id) }),
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
  };
}

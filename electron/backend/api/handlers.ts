import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BuildResult, HistoryRow, SessionState, TargetRow, WorkspaceInfo } from '../../../shared/api/contract.js';
import { EVIDENCE_TYPE_LABELS, type EvidenceType } from '../../../shared/domain/types.js';
import { describeUndone } from '../../../shared/history/undo.js';
import { listIndicators } from '../../../shared/framework/schema.js';
import { chooseFonts, findSystemFonts } from '../fonts.js';
import { findLibreOffice } from '../convert/libreoffice.js';
import { ensureDemoWorkspace } from '../demo/demo.js';
import { exportDepartmentOwes } from './department-export.js';
import { listOutputs } from './outputs.js';
import { buildOutputs } from '../generators/build.js';
import { listTemplates } from '../templates.js';
import { hasThumbnail } from '../thumbnails.js';
import { importPaths, importUploads, reclassify } from '../workspace/import.js';
import type { HistoryEntry } from '../workspace/types.js';
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
  fileUrl: (kind: 'vault' | 'export' | 'thumb' | 'output', id: string) => string;
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

function rememberRecent(stateDir: string, ws: Workspace): void {
  mkdirSync(stateDir, { recursive: true });
  const list = [{ dir: ws.dir, title: ws.settings().title, at: new Date().toISOString() }, ...readRecent(stateDir).filter((r) => r.dir !== ws.dir)];
  writeFileSync(path.join(stateDir, 'recent.json'), JSON.stringify(list.slice(0, 10), null, 2));
}

function info(ws: Workspace): WorkspaceInfo {
  const counts = ws.db
    .prepare('SELECT SUM(deleted_at IS NULL) AS live, SUM(deleted_at IS NOT NULL) AS trash FROM evidence')
    .get() as { live: number | null; trash: number | null };
  return {
    dir: ws.dir,
    settings: ws.settings(),
    framework: ws.framework(),
    counts: { evidence: counts.live ?? 0, trash: counts.trash ?? 0 },
  };
}

function describeHistory(entry: HistoryEntry): string {
  const d = entry.detail;
  const who = entry.evidenceId != null ? `材料 ${entry.evidenceId}` : '';
  switch (entry.action) {
    case 'import':
      return `导入 ${String(d.source ?? '')}`;
    case 'link':
      return `${who} 归入指标 ${String(d.indicator)}${d.undone ? '（已撤销）' : ''}`;
    case 'unlink':
      return `${who} 移出指标 ${String(d.indicator)}${d.undone ? '（已撤销）' : ''}`;
    case 'update': {
      const fields = Object.keys(d).filter((k) => k !== 'undone');
      const type = Array.isArray(d.type) ? `，类型改为 ${EVIDENCE_TYPE_LABELS[d.type[1] as EvidenceType]?.zh ?? String(d.type[1])}` : '';
      return `${who} 修改 ${fields.join('、')}${type}${d.undone ? '（已撤销）' : ''}`;
    }
    case 'accept':
      return `${who} 确认建议的分类`;
    case 'delete':
      return `${who} 删除到回收站`;
    case 'restore':
      return `${who} 从回收站恢复`;
    case 'targets':
      return `修改目标 ${String(d.id)}`;
    case 'settings':
      return d.created ? '新建工作区' : '修改工作区设置';
  }
}

export function createHandlers(deps: HandlerDeps): ApiHandlers {
  const ws = (): Workspace => {
    if (!deps.session.workspace) throw new UserError('no-workspace', '还没有打开工作区。请先新建或打开一个工作区。');
    return deps.session.workspace;
  };
  const switchTo = (next: Workspace): WorkspaceInfo => {
    if (deps.session.workspace && deps.session.workspace !== next) deps.session.workspace.close();
    deps.session.workspace = next;
    rememberRecent(deps.stateDir, next);
    return info(next);
  };
  const targetRows = (w: Workspace): TargetRow[] => {
    const values = new Map(w.targets().map((t) => [t.id, t]));
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
    'session.state': (): SessionState => ({
      workspace: deps.session.workspace ? info(deps.session.workspace) : null,
      recent: readRecent(deps.stateDir)
        .filter((r) => Workspace.isWorkspace(r.dir))
        .map(({ dir, title }) => ({ dir, title })),
      host: deps.host,
      version: deps.version,
    }),
    'templates.list': () => listTemplates(),
    'workspace.create': (input) =>
      switchTo(
        Workspace.init(input.dir, {
          templateId: input.templateId,
          title: input.title,
          unit: input.unit,
          periodStart: input.periodStart,
          periodEnd: input.periodEnd,
          fonds: input.fonds,
          now: deps.now,
        }),
      ),
    'workspace.open': (input) => switchTo(Workspace.open(input.dir)),
    'workspace.openDemo': async () => switchTo(await ensureDemoWorkspace(deps.demoDir)),
    'workspace.info': () => info(ws()),
    'workspace.update': (input) => {
      const { fontFile, ...patch } = input.patch;
      if (fontFile !== undefined) {
        const file = fontFile.trim();
        // Refuse a file that cannot set Chinese text now, not at the next build.
        if (file) chooseFonts({ userFont: path.resolve(file) });
        ws().updateSettings({ ...patch, fontFile: file ? path.resolve(file) : undefined });
      } else {
        ws().updateSettings(patch);
      }
      return info(ws());
    },
    'evidence.list': () =>
      ws()
        .listEvidence()
        .map((ev) => (hasThumbnail(ev.format) && ev.readability === 'ok' ? { ...ev, thumbUrl: deps.fileUrl('thumb', ev.sha256) } : ev)),
    'evidence.search': (input) => ws().search(input.query),
    'evidence.get': (input) => {
      const w = ws();
      const ev = w.requireEvidence(input.id);
      return {
        ...ev,
        textExcerpt: w.evidenceText(ev.id).slice(0, 20_000),
        fileUrl: deps.fileUrl('vault', ev.sha256),
        ...(hasThumbnail(ev.format) && ev.readability === 'ok' ? { thumbUrl: deps.fileUrl('thumb', ev.sha256) } : {}),
        userFields: w.userFields(ev.id),
      };
    },
    'evidence.import': (input) => {
      const w = ws();
      const jobId = deps.jobs.start('import', (onProgress, signal) =>
        importPaths(w, input.paths, { indicator: input.indicator, requirement: input.requirement, onProgress, signal }),
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
    'evidence.delete': (input) => {
      ws().delete(input.ids);
      return { deleted: input.ids.length };
    },
    'evidence.restore': (input) => ws().restore(input.ids),
    'evidence.trash': () => ws().listEvidence({ trash: true }),
    'filing.undo': () => {
      const undone = ws().undoLastAction();
      return { message: undone ? describeUndone(undone, 'zh') : null, undone };
    },
    'history.undoable': () => ({ next: ws().lastUndoable() }),
    'evidence.reclassify': () => reclassify(ws()),
    'targets.list': () => targetRows(ws()),
    'targets.set': (input) => {
      const w = ws();
      w.setTargets([{ id: input.id, target: input.target, actual: input.actual, source: input.source }]);
      return targetRows(w);
    },
    'gaps.get': () => ws().gaps(),
    'departments.export': async (input) => {
      const w = ws();
      const file = await exportDepartmentOwes(w.snapshot(), input.department, w.cacheDir('exports'));
      return { path: file, url: deps.fileUrl('export', path.basename(file)) };
    },
    'history.list': (input): HistoryRow[] =>
      ws()
        .history(input.limit ?? 200)
        .map((entry) => ({
          id: entry.id,
          at: entry.at,
          action: entry.action,
          ...(entry.evidenceId != null ? { evidenceId: entry.evidenceId } : {}),
          summary: describeHistory(entry),
        })),
    'binder.build': (input) => {
      const w = ws();
      const snapshot = w.snapshot();
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
      );
      return { jobId };
    },
    'binder.outputs': () => listOutputs(ws(), (name) => deps.fileUrl('output', name)),
    'jobs.get': (input) => {
      const job = deps.jobs.get(input.id);
      if (!job) throw new UserError('not-found', '找不到这个任务，可能已经结束很久。');
      return job;
    },
    'jobs.cancel': (input) => ({ cancelled: deps.jobs.cancel(input.id) }),
    'system.info': () => {
      const libreoffice = findLibreOffice();
      const userFont = deps.session.workspace?.settings().fontFile;
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

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportReport } from '../../../shared/domain/intake.js';
import { demoTargets } from '../templates.js';
import { importPaths } from '../workspace/import.js';
import { Workspace } from '../workspace/workspace.js';
import { writeDemoEvidence } from './demo-files.js';

export const DEMO_TEMPLATE = 'east-west-2017';

/**
 * Builds the demo workspace: a fictional county's 2019 binder from the 2017 template, with generated but
 * realistic evidence (PDFs with Chinese text, photos with EXIF, a DOCX, XLSX ledgers), the seed 003 agreement
 * targets, and a few real gaps so the report has something to say.
 */
export async function buildDemo(dir: string): Promise<{ workspace: Workspace; report: ImportReport }> {
  const ws = Workspace.init(dir, {
    templateId: DEMO_TEMPLATE,
    title: '青山县2019年度东西部扶贫协作成效考核佐证材料',
    unit: '青山县东西部扶贫协作工作领导小组办公室',
    periodStart: '2019-01-01',
    periodEnd: '2019-12-31',
    fonds: 'Z109',
    orgCode: 'XZB',
  });
  const staging = mkdtempSync(path.join(os.tmpdir(), 'binder-demo-'));
  try {
    await writeDemoEvidence(staging, { year: 2019 });
    const report = await importPaths(ws, [staging], {}, (source) => path.relative(staging, source) || source);
    const targets = demoTargets(DEMO_TEMPLATE);
    if (targets) {
      ws.setTargets(Object.entries(targets).map(([id, v]) => ({ id, target: v.target, actual: v.actual, source: v.source })));
    }
    captionSomePhotos(ws);
    return { workspace: ws, report };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The office has captioned most photos already; a couple are left for the user to do (missing-caption). */
function captionSomePhotos(ws: Workspace): void {
  const photos = ws.listEvidence().filter((ev) => ev.type === 'photo' && ev.readability === 'ok');
  photos.slice(0, Math.max(0, photos.length - 2)).forEach((photo, index) => {
    const indicator = photo.links[0]?.indicator;
    ws.update([photo.id], {
      caption: {
        subject: indicator?.startsWith('5') ? '劳务协作培训现场' : indicator?.startsWith('1') ? '东西部扶贫协作高层联席会议' : '东西部扶贫协作项目现场',
        place: index % 2 ? '青山县人民政府第一会议室' : '青山县产业园区',
        people: '县委副书记 王建国，东海市滨江区挂职副县长 李明',
        photographer: '县协作办 张华',
      },
    });
  });
}

/** Opens the demo workspace at dir, building it the first time. */
export async function ensureDemoWorkspace(dir: string): Promise<Workspace> {
  if (Workspace.isWorkspace(dir)) return Workspace.open(dir);
  rmSync(dir, { recursive: true, force: true });
  return (await buildDemo(dir)).workspace;
}

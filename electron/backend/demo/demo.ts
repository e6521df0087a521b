import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportReport } from '../../../shared/domain/intake.js';
import { demoTargets } from '../templates.js';
import { importPaths } from '../workspace/import.js';
import { Workspace, type InitOptions } from '../workspace/workspace.js';
import { writeDemoEvidence, type DemoFile } from './demo-files.js';

export const DEMO_TEMPLATE = 'east-west-2017';

/**
 * Builds the demo workspace: a fictional county's 2019 binder from the 2017 template, with generated but
 * realistic evidence (PDFs with Chinese text, photos with EXIF, a DOCX, XLSX ledgers), the seed 003 agreement
 * targets, and a few real gaps so the report has something to say.
 */
export async function buildDemo(
  dir: string,
  options: Pick<InitOptions, 'database' | 'now'> = {},
): Promise<{ workspace: Workspace; report: ImportReport }> {
  const ws = await Workspace.init(dir, {
    ...options,
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
    const demo = await writeDemoEvidence(staging, { year: 2019 });
    const report = await importPaths(ws, [staging], {}, (source) => (path.relative(staging, source) || source).split(path.sep).join('/'));
    const targets = demoTargets(DEMO_TEMPLATE);
    if (targets) {
      await ws.setTargets(Object.entries(targets).map(([id, v]) => ({ id, target: v.target, actual: v.actual, source: v.source })));
    }
    await fileAndCaptionPhotos(ws, report, demo.files);
    await confirmCheckedFilings(ws, report, demo.files);
    return { workspace: ws, report };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The office has already filed and captioned most photos (phone photos carry no text to sort them by). Left for
 * the user, so the report has something to say: the photo planted without any caption information, and one
 * photo sent in by 县发改局 that nobody has filed yet.
 */
async function fileAndCaptionPhotos(ws: Workspace, report: ImportReport, files: DemoFile[]): Promise<void> {
  const intended = new Map(files.map((f) => [f.path, f.intended]));
  for (const item of report.imported) {
    const plan = intended.get(item.source);
    if (!plan || item.type !== 'photo' || item.warning) continue;
    if (item.source.startsWith('县发改局/IMG_')) continue;
    const evidence = await ws.requireEvidence(item.id);
    if (!evidence.links.length && plan.indicators[0]) await ws.link([item.id], plan.indicators[0]);
    if (plan.findings?.includes('missing-caption')) continue;
    const indicator = plan.indicators[0] ?? '';
    // The office captioned this one with the meeting's date, a day before the camera's: date-mismatch.
    const meetingDay =
      plan.findings?.includes('date-mismatch') && evidence.date
        ? new Date(Date.parse(`${evidence.date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
        : undefined;
    await ws.update([item.id], {
      caption: {
        ...(meetingDay ? { time: meetingDay } : {}),
        subject: evidence.title.replace(/^IMG_\d+_\d+$/, '') || CAPTION_SUBJECTS[indicator.split('.')[0]] || '东西部扶贫协作工作现场',
        place: PLACES[item.id % PLACES.length],
        people: '县委副书记 王建国，东海市滨江区挂职副县长 李明',
        photographer: '县协作办 张华',
      },
    });
  }
}

/**
 * The office has gone through most departments' suggested filings: it removed the suggestions it disagreed with
 * and confirmed the rest, so the submission edition (which binds confirmed filings only) has something to show.
 * 县人社局's folder came in last and is still 待确认; the planted photo cases are left as they are.
 */
async function confirmCheckedFilings(ws: Workspace, report: ImportReport, files: DemoFile[]): Promise<void> {
  const intended = new Map(files.map((f) => [f.path, f.intended]));
  const agreed: number[] = [];
  for (const item of report.imported) {
    const plan = intended.get(item.source);
    if (!plan || item.warning || item.source.startsWith('县人社局/') || plan.findings?.length) continue;
    const evidence = await ws.requireEvidence(item.id);
    if (evidence.type !== plan.type) continue;
    const suggested = evidence.links.filter((l) => l.origin === 'suggested');
    for (const wrong of suggested.filter((l) => !plan.indicators.includes(l.indicator))) await ws.unlink([item.id], wrong.indicator);
    if (suggested.some((l) => plan.indicators.includes(l.indicator))) agreed.push(item.id);
  }
  if (agreed.length > 0) await ws.accept(agreed);
}

const CAPTION_SUBJECTS: Record<string, string> = {
  '1': '东西部扶贫协作高层联席会议',
  '2': '东西部扶贫协作干部人才培训',
  '4': '东西部扶贫协作产业合作项目现场',
  '5': '劳务协作技能培训现场',
  '6': '携手奔小康结对帮扶活动',
  '7': '消费扶贫展销活动',
};
const PLACES = ['青山县人民政府第一会议室', '青山县产业园区', '青山县茶园镇', '东海市滨江区'];

/** Opens the demo workspace at dir, building it the first time. */
export async function ensureDemoWorkspace(dir: string): Promise<Workspace> {
  if (Workspace.isWorkspace(dir)) return Workspace.open(dir);
  rmSync(dir, { recursive: true, force: true });
  return (await buildDemo(dir)).workspace;
}

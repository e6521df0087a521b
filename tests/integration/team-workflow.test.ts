/**
 * Team workflow (issue 12 part B) on SQLite and on PostgreSQL (the "postgres" project runs this file too): review of
 * department submissions, deadlines and overdue findings, 催报通知, collection kits round trip, and the audit log —
 * in-process through dispatch, as the app and the team server call them, with an actor where one is logged in.
 */
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Evidence, Finding, GapReport } from '../../shared/domain/types.js';
import type { Actor } from '../../shared/team/roles.js';
import type { Deadline, ExportedFile, KitResult } from '../../shared/team/types.js';
import { buildBinderPlan } from '../../shared/binder/plan.js';
import { dispatch } from '../../electron/backend/api/dispatch.js';
import { createHandlers } from '../../electron/backend/api/handlers.js';
import { JobRegistry } from '../../electron/backend/api/jobs.js';
import { makePdf } from '../../electron/backend/demo/synth.js';
import { findDemoFont } from '../../electron/backend/demo/demo-files.js';
import { readZipFiles, walkZip } from '../../electron/backend/generators/package/zip-io.js';
import { importPaths } from '../../electron/backend/workspace/import.js';
import { Workspace } from '../../electron/backend/workspace/workspace.js';
import { buildCli, runCli } from '../helpers/cli.js';

/** The workspace clock (assessment period 2019): tests move it across due dates. */
const clock = { at: new Date('2019-11-20T09:00:00Z') };
const now = () => clock.at;
const engine = process.env.EVIDENCE_BINDER_DATABASE ? 'postgres' : 'sqlite';
const root = mkdtempSync(path.join(os.tmpdir(), 'binder-team-workflow-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const DEPT = '县人社局';
const office: Actor = { name: 'wang.office', role: 'office', departments: [] };
const clerk: Actor = { name: 'zhang.rsj', role: 'department', departments: [DEPT] };
const otherClerk: Actor = { name: 'li.czj', role: 'department', departments: ['县财政局'] };

let fileCounter = 0;
async function pdfBytes(lines: string[]): Promise<Buffer> {
  const font = findDemoFont();
  return Buffer.from(await makePdf({ pages: [{ lines: [...lines, `编号 ${++fileCounter}`] }], font: font.bytes, fontName: font.fontName }));
}

/** A small PDF with its own text (so its SHA-256 differs from every other). */
async function pdfFile(dir: string, name: string, lines: string[]): Promise<string> {
  const font = findDemoFont();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(file, await makePdf({ pages: [{ lines: [...lines, `编号 ${++fileCounter}`] }], font: font.bytes, fontName: font.fontName }));
  return file;
}

async function session(dir = mkdtempSync(path.join(root, 'ws-'))) {
  const ws = await Workspace.init(dir, { templateId: 'east-west-2017', now, periodStart: '2019-01-01', periodEnd: '2019-12-31' });
  const h = createHandlers({ session: { workspace: ws }, jobs: new JobRegistry(), host: 'browser', version: 'test', demoDir: path.join(root, 'demo'), stateDir: null, now });
  return { ws, h };
}

type Handlers = Awaited<ReturnType<typeof session>>['h'];

async function call<T>(h: Handlers, method: string, input: unknown, actor?: Actor): Promise<T> {
  const result = await dispatch(h, method, input, actor ? { actor } : {});
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.data as T;
}

async function refusal(h: Handlers, method: string, input: unknown, actor?: Actor): Promise<{ code: string; message: string }> {
  const result = await dispatch(h, method, input, actor ? { actor } : {});
  if (result.ok) throw new Error(`${method} should have been refused`);
  return result.error;
}

const slot = (gaps: GapReport, indicator: string, requirement: string) =>
  gaps.summary.categories.flatMap((c) => c.indicators).find((i) => i.code === indicator)!.requirements.find((r) => r.requirement === requirement)!;

const ofKind = <K extends Finding['kind']>(gaps: GapReport, kind: K) => gaps.findings.filter((f): f is Extract<Finding, { kind: K }> => f.kind === kind);

function boundIds(ws: Workspace, snapshot: Awaited<ReturnType<Workspace['snapshot']>>) {
  const plan = buildBinderPlan(snapshot.framework, snapshot.settings, snapshot.evidence, snapshot.gaps, snapshot.targets, {}, { generatedAt: '2019-11-20T09:00:00Z' });
  const ids = plan.volumes.flatMap((v) => v.sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'document' ? [b.item.evidenceId] : b.items.map((i) => i.evidenceId)))));
  return { ids, plan };
}

async function sheetRows(file: string): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const rows: string[][] = [];
  book.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
  return rows;
}

describe(`review of department submissions on ${engine}`, () => {
  let ws: Workspace;
  let h: Handlers;
  let submitted: number;

  beforeAll(async () => {
    ({ ws, h } = await session());
    const file = await pdfFile(path.join(root, 'inbox-review'), '劳务协作协议.pdf', ['劳务协作协议', '甲方：天津市人社局  乙方：县人社局', '2019年3月5日']);
    const report = await importPaths(ws, [file], { indicator: '5.1', requirement: '5.1-1', submission: { department: DEPT, submittedBy: clerk.name } });
    submitted = report.imported[0].id;
  });

  it('keeps a pending submission out of the slot, the binder and the owed count, and shows it as 待审核', async () => {
    const snapshot = await ws.snapshot();
    const result = slot(snapshot.gaps, '5.1', '5.1-1');
    expect(result).toMatchObject({ have: 0, pending: 1, status: 'missing' });
    expect(ofKind(snapshot.gaps, 'missing-evidence').some((f) => f.requirement === '5.1-1')).toBe(true);
    const queue = ofKind(snapshot.gaps, 'review-pending');
    expect(queue).toHaveLength(1);
    expect(queue[0]).toMatchObject({ severity: 'info', indicator: '5.1', requirement: '5.1-1', evidence: [submitted], detail: { count: 1, departments: [DEPT] } });
    expect(queue[0].message).toContain('1 件待审核（县人社局报送）');
    // Not unfiled either: it is filed as submitted, only not accepted.
    expect(ofKind(snapshot.gaps, 'unfiled')).toHaveLength(0);
    const { ids, plan } = boundIds(ws, snapshot);
    expect(ids).not.toContain(submitted);
    expect(plan.leftOut).toContainEqual(expect.objectContaining({ evidenceId: submitted, kind: 'awaiting-review' }));
    expect(plan.warnings.some((w) => w.kind === 'awaiting-review' && w.message.includes('1 件部门报送的材料尚未审核通过'))).toBe(true);
  });

  it('lists the queue for the office and for the department, not for another department', async () => {
    const forOffice = await call<Evidence[]>(h, 'review.list', {}, office);
    expect(forOffice.map((e) => [e.id, e.reviewState, e.department, e.submittedBy])).toEqual([[submitted, 'pending', DEPT, clerk.name]]);
    expect((await call<Evidence[]>(h, 'review.list', {}, clerk)).map((e) => e.id)).toEqual([submitted]);
    expect(await call<Evidence[]>(h, 'review.list', {}, otherClerk)).toEqual([]);
    expect((await refusal(h, 'review.list', { department: DEPT }, otherClerk)).message).toContain('只能查看县财政局');
  });

  it('accepts: the item is filed as the office’s own, fills the slot, is bound, and the history names who did it', async () => {
    const [accepted] = await call<Evidence[]>(h, 'review.accept', { ids: [submitted] }, office);
    expect(accepted).toMatchObject({ reviewState: 'accepted', links: [{ indicator: '5.1', requirement: '5.1-1', origin: 'user' }] });
    const snapshot = await ws.snapshot();
    expect(slot(snapshot.gaps, '5.1', '5.1-1')).toMatchObject({ have: 1, status: 'met' });
    expect(slot(snapshot.gaps, '5.1', '5.1-1').pending).toBeUndefined();
    expect(ofKind(snapshot.gaps, 'review-pending')).toHaveLength(0);
    expect(boundIds(ws, snapshot).ids).toContain(submitted);
    const [last] = await ws.history(1);
    expect(last).toMatchObject({ actor: office.name, event: { action: 'review-accept', evidenceId: submitted } });
    expect(await ws.nextUndo()).toBe(`材料 ${submitted} 审核通过`);
    // 撤销 takes it back to the queue, then it is accepted again.
    expect(await ws.undoLast()).toBe(`已撤销：材料 ${submitted} 审核通过`);
    expect((await ws.requireEvidence(submitted)).reviewState).toBe('pending');
    expect(slot((await ws.snapshot()).gaps, '5.1', '5.1-1').have).toBe(0);
    await call(h, 'review.accept', { ids: [submitted] }, office);
    expect((await refusal(h, 'review.accept', { ids: [submitted] }, office)).message).toContain('不是待审核的报送材料');
  });

  it('returns with a comment the department sees; its next upload into the same requirement replaces it', async () => {
    const file = await pdfFile(path.join(root, 'inbox-return'), '劳务协作工作方案.pdf', ['劳务协作工作方案', '2019年4月1日']);
    const [item] = (await importPaths(ws, [file], { indicator: '5.1', requirement: '5.1-2', submission: { department: DEPT, submittedBy: clerk.name } })).imported;
    expect((await refusal(h, 'review.return', { ids: [item.id], comment: '  ' }, office)).message).toContain('请写明退回原因');
    await call(h, 'review.return', { ids: [item.id], comment: '缺少盖章页，请补充盖章后的扫描件。' }, office);
    const returned = await call<Evidence[]>(h, 'review.list', { state: 'returned' }, clerk);
    expect(returned.map((e) => [e.id, e.reviewState, e.reviewComment, e.replacedBy])).toEqual([[item.id, 'returned', '缺少盖章页，请补充盖章后的扫描件。', undefined]]);
    // Returned: counts for nothing, and is not in the office's queue any more.
    const gaps = await ws.gaps();
    expect(slot(gaps, '5.1', '5.1-2')).toMatchObject({ have: 0 });
    expect(ofKind(gaps, 'review-pending')).toHaveLength(0);
    const [last] = await ws.history(1);
    expect(last).toMatchObject({ actor: office.name, event: { action: 'review-return', evidenceId: item.id } });

    const again = await pdfFile(path.join(root, 'inbox-return-2'), '劳务协作工作方案（盖章）.pdf', ['劳务协作工作方案（盖章版）', '2019年4月1日']);
    const [replacement] = (await importPaths(ws, [again], { indicator: '5.1', requirement: '5.1-2', submission: { department: DEPT, submittedBy: clerk.name } })).imported;
    const afterwards = await call<Evidence[]>(h, 'review.list', { state: 'returned' }, clerk);
    expect(afterwards.map((e) => [e.id, e.reviewComment, e.replacedBy])).toEqual([[item.id, '缺少盖章页，请补充盖章后的扫描件。', replacement.id]]);
    expect((await call<Evidence[]>(h, 'review.list', {}, office)).map((e) => e.id)).toEqual([replacement.id]);
  });
});

describe(`deadlines and overdue findings on ${engine}`, () => {
  let ws: Workspace;
  let h: Handlers;

  beforeAll(async () => {
    ({ ws, h } = await session());
    clock.at = new Date('2019-11-20T09:00:00Z');
  });

  it('makes every owed item of a department overdue exactly when its due date has passed', async () => {
    expect(ofKind(await ws.gaps(), 'overdue')).toHaveLength(0);
    const set = await call<Deadline[]>(h, 'deadlines.set', { department: DEPT, due: '2019-11-19' }, office);
    expect(set).toEqual([{ department: DEPT, due: '2019-11-19' }]);
    let gaps = await ws.gaps();
    const owed = gaps.summary.departments.find((d) => d.department === DEPT)!;
    const overdue = ofKind(gaps, 'overdue');
    expect(overdue.length).toBe(owed.items.length);
    expect(overdue.find((f) => f.requirement === '5.1-1')).toMatchObject({
      severity: 'error',
      department: DEPT,
      detail: { department: DEPT, indicator: '5.1', requirement: '5.1-1', due: '2019-11-19', daysLate: 1 },
    });
    expect(overdue[0].message).toMatch(/县人社局应于 2019-11-19 前报送的.*已逾期 1 天/);
    // 总览 ranks the late department first, with its overdue count and due date; the debts are not counted twice.
    expect(gaps.summary.departments[0]).toMatchObject({ department: DEPT, overdue: owed.items.length, due: '2019-11-19' });
    expect(gaps.summary.departments.slice(1).every((d) => d.overdue === 0)).toBe(true);

    // On the due date itself nothing is late yet.
    clock.at = new Date('2019-11-19T23:00:00Z');
    expect(ofKind(await ws.gaps(), 'overdue')).toHaveLength(0);
    clock.at = new Date('2019-11-20T09:00:00Z');

    // A requirement's own date wins over the department's.
    await call(h, 'deadlines.set', { department: DEPT, requirement: '5.1-1', due: '2019-12-15' }, office);
    gaps = await ws.gaps();
    expect(ofKind(gaps, 'overdue').some((f) => f.requirement === '5.1-1')).toBe(false);
    expect(ofKind(gaps, 'overdue').some((f) => f.requirement === '5.1-2')).toBe(true);
    expect(await call<Deadline[]>(h, 'deadlines.list', {})).toEqual([
      { department: DEPT, due: '2019-11-19' },
      { department: DEPT, indicator: '5.1', requirement: '5.1-1', due: '2019-12-15' },
    ]);
    const [last] = await ws.history(1);
    expect(last).toMatchObject({ actor: office.name, event: { action: 'deadline', department: DEPT, requirement: '5.1-1', before: null, after: '2019-12-15' } });

    // Removing the department's date clears the rest; unknown names are refused in Chinese.
    await call(h, 'deadlines.set', { department: DEPT, due: null });
    gaps = await ws.gaps();
    expect(ofKind(gaps, 'overdue')).toHaveLength(0);
    expect((await refusal(h, 'deadlines.set', { department: '县体育局', due: '2019-11-01' })).message).toContain('框架中没有牵头单位“县体育局”');
    expect((await refusal(h, 'deadlines.set', { department: DEPT, requirement: '99.9-9', due: '2019-11-01' })).message).toContain('没有材料要求 99.9-9');
  });

  it('writes a 催报通知 (DOCX and XLSX) listing what is owed, the due dates and what is late', async () => {
    await call(h, 'deadlines.set', { department: DEPT, due: '2019-11-01' });
    await call(h, 'deadlines.set', { department: DEPT, requirement: '5.2-1', due: '2019-12-31' });
    const docx = await call<ExportedFile>(h, 'notices.export', { department: DEPT, format: 'docx', contact: '王明 0931-1234567' });
    expect(path.basename(docx.path)).toBe('县人社局_催报通知_2019-11-20.docx');
    const xml = (await readZipFiles(docx.path)).get('word/document.xml')!.toString('utf8');
    const plain = xml.replace(/<[^>]+>/g, '');
    expect(plain).toContain('关于报送东西部协作考核佐证材料的催报通知');
    expect(plain).toContain('县人社局：');
    expect(plain).toContain('5.1-1 劳务协作协议');
    expect(plain).toContain('5.2-1 转移就业台账（分类登记造册）');
    // The date and the lateness on two lines of the cell.
    expect(plain).toContain('2019-11-01已逾期');
    expect(plain).toContain('2019-12-31');
    expect(plain).toContain('联系人及电话：王明 0931-1234567');
    expect(plain).toContain('收集包');
    // The binder's GB/T 9704 styles: 仿宋 body, 小标宋 title.
    const styles = (await readZipFiles(docx.path)).get('word/styles.xml')!.toString('utf8');
    expect(styles).toContain('仿宋_GB2312');
    expect(styles).toContain('方正小标宋简体');
    expect(plain.indexOf('5.1-1 劳务协作协议')).toBeLessThan(plain.indexOf('5.1-3 劳务工作站'));
    expect(plain.indexOf('5.1-3 劳务工作站')).toBeLessThan(plain.indexOf('5.2-1 转移就业台账'));

    const xlsx = await call<ExportedFile>(h, 'notices.export', { department: DEPT, format: 'xlsx', uploadAddress: 'https://192.168.1.10:8443' });
    const rows = await sheetRows(xlsx.path);
    expect(rows[0][0]).toBe('关于报送东西部协作考核佐证材料的催报通知（县人社局）');
    // 5.1-1 keeps its own later date from the test before; the rest of the department's date has passed.
    expect(rows.find((r) => r[2] === '5.1-1 劳务协作协议')!.slice(4)).toEqual(['1 份', '2019-12-15']);
    expect(rows.find((r) => r[2] === '5.1-2 劳务协作工作方案')!.slice(4)).toEqual(['1 份', '2019-11-01（已逾期）']);
    expect(rows.find((r) => r[2]?.startsWith('5.2-1'))![5]).toBe('2019-12-31');
    expect(rows.some((r) => r[0].includes('https://192.168.1.10:8443'))).toBe(true);
    expect((await refusal(h, 'notices.export', { department: '县体育局', format: 'docx' })).message).toContain('框架中没有牵头单位');
  });
});

/** A zip of the given members (name → bytes; a trailing / makes a folder), as a department sends a kit back. */
async function zipOf(file: string, members: Map<string, Buffer>): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const [name, bytes] of members) {
    if (name.endsWith('/')) zip.addEmptyDirectory(name);
    else zip.addBuffer(bytes, name);
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
  return file;
}

describe(`collection kits on ${engine}`, () => {
  let ws: Workspace;
  let h: Handlers;
  let kit: KitResult;
  let members: Map<string, Buffer>;
  let manifest: { kitId: string; department: string; workspace: string; folders: { folder: string; indicator: string; requirement: string }[]; hmac: string };

  beforeAll(async () => {
    clock.at = new Date('2019-11-20T09:00:00Z');
    ({ ws, h } = await session());
    kit = await call<KitResult>(h, 'kits.create', { department: DEPT, out: path.join(root, 'kits', '人社局收集包.zip') }, office);
    members = await readZipFiles(kit.path);
    manifest = JSON.parse(members.get('kit.json')!.toString('utf8'));
  });

  it('writes one numbered folder per owed requirement, the 待交清单, a 说明 Notepad reads, and a signed kit.json', async () => {
    expect(kit).toMatchObject({ department: DEPT, path: path.join(root, 'kits', '人社局收集包.zip') });
    const owedRequirements = [...new Set((await ws.gaps()).summary.departments.find((d) => d.department === DEPT)!.items.flatMap((i) => (i.requirement ? [i.requirement] : [])))];
    expect(kit.folders).toBe(owedRequirements.length);
    expect(new Set(manifest.folders.map((f) => f.requirement))).toEqual(new Set(owedRequirements));
    // Numbered in framework order, as the binder files them.
    expect(manifest.folders.slice(0, 4).map((f) => f.folder)).toEqual(['01_5.1-1_劳务协作协议', '02_5.1-2_劳务协作工作方案', '03_5.1-3_劳务工作站和专场招聘材料', '04_5.2-1_转移就业台账（分类登记造册）']);
    expect(manifest.folders[0]).toMatchObject({ folder: '01_5.1-1_劳务协作协议', indicator: '5.1', requirement: '5.1-1' });
    expect(manifest).toMatchObject({ kitId: kit.kitId, department: DEPT });
    expect(manifest.hmac).toMatch(/^[0-9a-f]{64}$/);
    const folders: string[] = [];
    await walkZip(kit.path, async (entry) => {
      if (entry.isDirectory) folders.push(entry.name);
    });
    expect(folders).toEqual(manifest.folders.map((f) => `${f.folder}/`));
    const readme = members.get('说明.txt')!;
    expect([...readme.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(readme.toString('utf8')).toContain(`共 ${kit.folders} 个文件夹`);
    const listFile = path.join(root, 'kit-list.xlsx');
    writeFileSync(listFile, members.get('待交清单.xlsx')!);
    const rows = await sheetRows(listFile);
    expect(rows.find((r) => r[0] === '01_5.1-1_劳务协作协议')?.[2]).toBe('5.1-1 劳务协作协议');
    const [last] = await ws.history(1);
    expect(last).toMatchObject({ actor: office.name, event: { action: 'kit', kitId: kit.kitId, department: DEPT } });
  });

  it('files every file of a returned kit into its requirement as 待审核 from the department, and reports the misplaced', async () => {
    const back = new Map(members);
    for (const [i, f] of manifest.folders.entries()) back.set(`${f.folder}/材料${i + 1}.pdf`, await pdfBytes([f.folder, '县人社局报送']));
    back.set('放错了.pdf', await pdfBytes(['放在根目录的文件']));
    back.set('其他材料/不知道放哪.pdf', await pdfBytes(['放在自建文件夹的文件']));
    back.set(`${manifest.folders[0].folder}/子文件夹/照片说明.pdf`, await pdfBytes(['放在子文件夹的文件']));
    back.set(`${manifest.folders[1].folder}/Thumbs.db`, Buffer.from('junk'));
    const zip = await zipOf(path.join(root, 'kit-returned.zip'), back);

    const report = await importPaths(ws, [zip]);
    expect(report.kit).toMatchObject({ kitId: kit.kitId, department: DEPT, filed: manifest.folders.length });
    expect(report.kit!.problems.map((p) => p.member).sort()).toEqual(['其他材料/不知道放哪.pdf', `${manifest.folders[0].folder}/子文件夹/照片说明.pdf`, '放错了.pdf'].sort());
    expect(report.kit!.problems.find((p) => p.member === '放错了.pdf')!.reason).toContain('没有放进任何材料要求的文件夹');
    expect(report.kit!.problems.find((p) => p.member.startsWith('其他材料'))!.reason).toContain('不是收集包里的文件夹');
    expect(report.kit!.problems.find((p) => p.member.includes('子文件夹'))!.reason).toContain('子文件夹');
    expect(report.imported).toHaveLength(manifest.folders.length);

    const items = await ws.listEvidence();
    expect(items).toHaveLength(manifest.folders.length);
    for (const [i, f] of manifest.folders.entries()) {
      const item = items.find((e) => e.source === `${zip}::${f.folder}/材料${i + 1}.pdf`);
      expect(item, f.folder).toMatchObject({
        reviewState: 'pending',
        department: DEPT,
        submittedBy: `收集包 ${kit.kitId.slice(0, 8)}`,
        links: [{ indicator: f.indicator, requirement: f.requirement }],
      });
    }
    const queue = await call<Evidence[]>(h, 'review.list', {}, clerk);
    expect(queue).toHaveLength(manifest.folders.length);
    // Pending, so nothing is filled yet: every slot still owed, each with its one submission waiting.
    const gaps = await ws.gaps();
    expect(slot(gaps, '5.1', '5.1-1')).toMatchObject({ have: 0, pending: 1 });
  });

  it('takes a kit Windows re-zipped inside one folder (发送到 → 压缩文件夹)', async () => {
    const wrapped = new Map<string, Buffer>([...members].map(([name, bytes]) => [`人社局收集包/${name}`, bytes] as const));
    wrapped.set(`人社局收集包/${manifest.folders[2].folder}/补交.pdf`, await pdfBytes(['补交的劳务工作站材料']));
    wrapped.set('外面的.pdf', await pdfBytes(['收集包文件夹外的文件']));
    const zip = await zipOf(path.join(root, 'kit-wrapped.zip'), wrapped);
    const report = await importPaths(ws, [zip]);
    expect(report.kit).toMatchObject({ kitId: kit.kitId, filed: 1, problems: [{ member: '外面的.pdf', reason: expect.stringContaining('不在收集包文件夹“人社局收集包”中') }] });
    const item = (await ws.listEvidence()).find((e) => e.source === `${zip}::人社局收集包/${manifest.folders[2].folder}/补交.pdf`);
    expect(item).toMatchObject({ reviewState: 'pending', department: DEPT, links: [{ indicator: manifest.folders[2].indicator, requirement: manifest.folders[2].requirement }] });
  });

  it('refuses a tampered kit.json, a foreign kit and an unknown kit, storing nothing', async () => {
    const before = (await ws.listEvidence({})).length;
    const withFile = (json: string) => {
      const m = new Map(members);
      m.set('kit.json', Buffer.from(json, 'utf8'));
      return m;
    };
    const file = await pdfBytes(['篡改收集包里的文件']);

    // Folder 01 pointed at another requirement, signature left as it was.
    const tampered = { ...manifest, folders: manifest.folders.map((f, i) => (i === 0 ? { ...f, requirement: '5.1-2' } : f)) };
    const tamperedZip = await zipOf(path.join(root, 'kit-tampered.zip'), new Map([...withFile(JSON.stringify(tampered)), [`${manifest.folders[0].folder}/a.pdf`, file]]));
    await expect(importPaths(ws, [tamperedZip])).rejects.toMatchObject({ code: 'kit-refused', message: expect.stringContaining('kit.json 被改动过（校验码不符）') });

    const brokenZip = await zipOf(path.join(root, 'kit-broken.zip'), new Map([...withFile('{ "format": "evidencebinder-kit", '), [`${manifest.folders[0].folder}/a.pdf`, file]]));
    await expect(importPaths(ws, [brokenZip])).rejects.toMatchObject({ code: 'kit-refused', message: expect.stringContaining('kit.json 已损坏') });

    // A kit another workspace handed out to the same department.
    const other = await session();
    const foreign = await call<KitResult>(other.h, 'kits.create', { department: DEPT, out: path.join(root, 'kits', 'other.zip') });
    const foreignMembers = await readZipFiles(foreign.path);
    const firstFolder = (JSON.parse(foreignMembers.get('kit.json')!.toString('utf8')) as typeof manifest).folders[0].folder;
    const foreignZip = await zipOf(path.join(root, 'kit-foreign.zip'), new Map([...foreignMembers, [`${firstFolder}/a.pdf`, file]]));
    await expect(importPaths(ws, [foreignZip])).rejects.toMatchObject({ code: 'kit-refused', message: expect.stringContaining('不是本工作区生成的') });
    // The other workspace takes its own kit.
    expect((await importPaths(other.ws, [foreignZip])).kit).toMatchObject({ kitId: foreign.kitId, filed: 1 });
    await other.ws.close();

    expect((await ws.listEvidence({})).length).toBe(before);
  });
});

describe(`audit log on ${engine}`, () => {
  it('exports every history row with who did it (本机 without a login), what, and before → after', async () => {
    clock.at = new Date('2019-11-20T09:00:00Z');
    const { ws, h } = await session();
    const file = await pdfFile(path.join(root, 'inbox-audit'), '劳务协作协议.pdf', ['劳务协作协议', '2019年3月5日']);
    const [item] = (await importPaths(ws, [file], { indicator: '5.1', requirement: '5.1-1', submission: { department: DEPT, submittedBy: clerk.name } })).imported;
    await call(h, 'review.return', { ids: [item.id], comment: '请补盖章页' }, office);
    await call(h, 'evidence.update', { ids: [item.id], patch: { title: '劳务协作协议（2019年）' } });
    const exported = await call<ExportedFile>(h, 'audit.export', {}, office);
    expect(path.dirname(exported.path)).toBe(path.join(ws.dir, '输出'));
    const rows = await sheetRows(exported.path);
    const body = rows.slice(rows.findIndex((r) => r[0] === '序号') + 1);
    expect(body.map((r) => [r[2], r[3]])).toEqual([
      ['本机', '修改设置'],
      ['本机', '导入'],
      [office.name, '退回'],
      ['本机', '修改'],
    ]);
    expect(body[2][5]).toBe(`材料 ${item.id} 退回报送单位`);
    expect(body[2][6]).toBe('审核状态：待审核 → 已退回；退回意见：（空） → 请补盖章页');
    expect(body[3][6]).toContain('题名：劳务协作协议 → 劳务协作协议（2019年）');
    expect(body[0][1]).toBe('2019-11-20 17:00:00');
    await ws.close();
  });
});

describe(`the CLI's team workflow commands on ${engine}`, () => {
  it('sets deadlines, writes a kit, imports it back, reviews, and exports the notice and the audit log', async () => {
    const cli = await buildCli();
    const dir = mkdtempSync(path.join(root, 'cli-'));
    expect(runCli(cli, ['init', dir, '--template', 'east-west-2017', '--period', '2019-01-01..2019-12-31']).code).toBe(0);

    const set = runCli(cli, ['deadlines', dir, '--set', `${DEPT}=2019-11-01`, '--set', `${DEPT}:5.1-1=2019-12-15`, '--json']);
    expect(set.code).toBe(0);
    expect(set.json).toEqual([
      { department: DEPT, due: '2019-11-01' },
      { department: DEPT, indicator: '5.1', requirement: '5.1-1', due: '2019-12-15' },
    ]);
    expect(runCli(cli, ['deadlines', dir, '--set', '县体育局=2019-11-01']).stderr).toContain('框架中没有牵头单位“县体育局”');

    const zip = path.join(root, 'cli-kit.zip');
    const made = runCli(cli, ['kit', dir, '--department', DEPT, '--out', zip]);
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/已为县人社局生成收集包（\d+ 个文件夹，编号 [0-9a-f]{8}）/);
    const back = new Map(await readZipFiles(zip));
    back.set('01_5.1-1_劳务协作协议/协议.pdf', await pdfBytes(['劳务协作协议', '2019年3月5日']));
    back.set('放错了.pdf', await pdfBytes(['根目录']));
    const returned = await zipOf(path.join(root, 'cli-kit-back.zip'), back);
    const imported = runCli(cli, ['import', dir, returned, '--no-ocr-wait']);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('1 个文件已归入对应材料要求，待审核');
    expect(imported.stdout).toContain('⚠ 放错了.pdf：文件放在收集包的最外层');

    const queue = runCli(cli, ['review', dir, 'list', '--json']);
    const [item] = queue.json as Evidence[];
    expect(item).toMatchObject({ reviewState: 'pending', department: DEPT, links: [{ indicator: '5.1', requirement: '5.1-1' }] });
    expect(runCli(cli, ['review', dir, 'return', String(item.id)]).stderr).toContain('--comment');
    const back2 = runCli(cli, ['review', dir, 'return', String(item.id), '--comment', '缺盖章页']);
    expect(back2.stdout).toContain(`[${item.id}]`);
    expect(back2.stdout).toContain('已退回 · 县人社局');
    expect(back2.stdout).toContain('退回原因：缺盖章页');
    expect(runCli(cli, ['review', dir, 'accept', String(item.id)]).stdout).toContain('已通过');

    const notice = runCli(cli, ['notices', dir, '--department', DEPT, '--format', 'xlsx', '--json']);
    expect(notice.code).toBe(0);
    const rows = await sheetRows((notice.json as ExportedFile).path);
    expect(rows.some((r) => r[2] === '5.1-1 劳务协作协议')).toBe(false);
    expect(rows.find((r) => r[2] === '5.1-2 劳务协作工作方案')![5]).toBe('2019-11-01（已逾期）');

    const auditFile = path.join(root, 'cli-audit.xlsx');
    expect(runCli(cli, ['audit', dir, '--out', auditFile]).code).toBe(0);
    const audit = await sheetRows(auditFile);
    expect(audit.some((r) => r[3] === '生成收集包' && r[2] === '本机')).toBe(true);
    expect(audit.some((r) => r[3] === '审核通过' && r[4] === String(item.id))).toBe(true);
    // Eleven CLI runs (each starts the backend) and an import: more than the default ceiling on a busy machine.
  }, 300_000);
});

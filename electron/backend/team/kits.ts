/**
 * Collection kits for departments off the network (USB stick, chat): a zip with one numbered folder per requirement
 * the department owes, its 待交清单, a short 说明 and kit.json — the kit's id, the workspace's id and the folder map,
 * signed with an HMAC under a secret only this workspace holds. A returned kit is filed folder by folder as 待审核
 * submissions of that department; a tampered, foreign or unknown kit is refused before anything is stored.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { ImportReport } from '../../../shared/domain/intake.js';
import { AppError } from '../../../shared/errors.js';
import type { KitImport, KitProblem, KitResult } from '../../../shared/team/types.js';
import { appendHistory } from '../db/history.js';
import { ensureKitKeys, getKit, insertKit, kitKeys, type KitFolder } from '../db/kits.js';
import { writeListSheet } from '../api/department-export.js';
import { junkReason, MAX_ARCHIVE_BYTES, MAX_ARCHIVE_ENTRIES, MAX_ENTRY_BYTES } from '../intake/expand.js';
import { FolderNames, safeFileName } from '../generators/package/safe-names.js';
import { readStreamToBuffer, walkZip } from '../generators/package/zip-io.js';
import { currentActor } from './actor.js';
import { departmentOwed, type OwedEntry } from './notices.js';
import type { ImportOptions } from '../workspace/types.js';
import type { Workspace } from '../workspace/workspace.js';

export const KIT_MANIFEST = 'kit.json';
const KIT_LIST = '待交清单.xlsx';
const KIT_README = '说明.txt';
const KIT_FORMAT = 'evidencebinder-kit';
/** A manifest is a few kilobytes; anything much larger is not ours. */
const MAX_MANIFEST_BYTES = 1024 * 1024;

/** What kit.json says, signed: `hmac` is over the JSON of every other field, in this order. */
export type KitManifest = {
  format: typeof KIT_FORMAT;
  version: 1;
  kitId: string;
  workspace: string;
  department: string;
  createdAt: string;
  folders: KitFolder[];
};

function sign(manifest: KitManifest, secret: string): string {
  return createHmac('sha256', secret).update(JSON.stringify(manifest)).digest('hex');
}

/** The signed manifest's fields in their fixed order (a parsed file may order them otherwise). */
function canonical(raw: Record<string, unknown>): KitManifest {
  return {
    format: raw.format as KitManifest['format'],
    version: raw.version as KitManifest['version'],
    kitId: String(raw.kitId ?? ''),
    workspace: String(raw.workspace ?? ''),
    department: String(raw.department ?? ''),
    createdAt: String(raw.createdAt ?? ''),
    folders: Array.isArray(raw.folders) ? (raw.folders as KitFolder[]) : [],
  };
}

/** "01_1.1-1_党委政府会议纪要": a person sees what goes in; safe on Windows and short enough for its paths. */
function folderName(index: number, entry: OwedEntry, names: FolderNames): string {
  return names.claim(`${String(index + 1).padStart(2, '0')}_${entry.requirement}_${entry.requirementTitle ?? ''}`);
}

function readme(department: string, folders: KitFolder[], entries: OwedEntry[], unit: string): string {
  const due = [...new Set(entries.flatMap((e) => (e.due ? [e.due] : [])))].sort()[0];
  const lines = [
    `${department}：`,
    '',
    `这是${unit || '协作办'}发给贵单位的东西部协作考核佐证材料收集包，共 ${folders.length} 个文件夹，每个文件夹对应一项待报送的材料要求（详见“待交清单.xlsx”）。`,
    '',
    '请这样做：',
    '1. 把每份材料（PDF、Word、Excel、照片均可）直接放进对应编号的文件夹，不要再建子文件夹；',
    '2. 不要改动、删除 kit.json，也不要改文件夹的名字；',
    '3. 放好后把整个文件夹重新压缩为 zip（或直接在原 zip 中添加文件），交回协作办。',
    ...(due ? ['', `报送期限：${due} 前。`] : []),
    '',
    '放错位置的文件（根目录、不认识的文件夹、子文件夹中）不会被导入，协作办会告知您重新放置。',
  ];
  // Windows Notepad (and WPS) read UTF-8 with a byte-order mark as UTF-8; CRLF keeps the lines apart in old Notepad.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Writes a kit for one department into `outDir` (or to the .zip path given) and records it. */
export async function createKit(ws: Workspace, department: string, out: string): Promise<KitResult> {
  const { snapshot, entries } = await departmentOwed(ws, department);
  const name = snapshot.gaps.summary.departments.find((d) => d.department === department.trim())?.department ?? department.trim();
  const slots = entries.filter((e) => e.requirement);
  const seen = new Set<string>();
  const unique = slots.filter((e) => !seen.has(e.requirement!) && seen.add(e.requirement!));
  if (!unique.length) throw new AppError('usage', `${name}目前没有待补的材料要求，无需生成收集包。`);
  const { store, now } = ws.teamScope();
  const createdAt = now().toISOString();
  const kitId = randomBytes(16).toString('hex');
  const names = new FolderNames(80);
  const folders: KitFolder[] = unique.map((e, i) => ({ folder: folderName(i, e, names), indicator: e.indicator, requirement: e.requirement!, title: e.requirementTitle ?? '' }));
  const file = out.toLowerCase().endsWith('.zip') ? out : path.join(out, safeFileName(`${name}_收集包_${createdAt.slice(0, 10)}_${kitId.slice(0, 8)}.zip`));
  mkdirSync(path.dirname(file), { recursive: true });
  const staging = mkdtempSync(path.join(ws.cacheDir('exports'), 'kit-'));
  try {
    const listFile = path.join(staging, KIT_LIST);
    await writeListSheet(listFile, {
      sheet: '待交清单',
      title: `${name} 待交佐证材料清单（${snapshot.settings.title}）`,
      header: ['文件夹', '指标', '材料要求', '要求与说明', '数量', '报送期限'],
      widths: [34, 26, 30, 48, 10, 16],
      rows: unique.map((e, i) => [folders[i].folder, `${e.indicator} ${e.indicatorTitle}`, `${e.requirement} ${e.requirementTitle ?? ''}`, e.hint, e.howMany || '—', e.due ? `${e.due}${e.overdue ? '（已逾期）' : ''}` : '尽快']),
    });
    const manifest = await store.write(async (db) => {
      const keys = await ensureKitKeys(db);
      const body: KitManifest = { format: KIT_FORMAT, version: 1, kitId, workspace: keys.workspaceId, department: name, createdAt, folders };
      await insertKit(db, { id: kitId, department: name, folders, createdAt, createdBy: currentActor()?.name ?? null });
      await appendHistory(db, [{ action: 'kit', kitId, department: name, folders: folders.length }], createdAt);
      return { ...body, hmac: sign(body, keys.secret) };
    });
    const zip = new yazl.ZipFile();
    const mtime = now();
    for (const f of folders) zip.addEmptyDirectory(`${f.folder}/`, { mtime });
    zip.addFile(listFile, KIT_LIST, { mtime });
    zip.addBuffer(Buffer.from(readme(name, folders, unique, snapshot.settings.unit), 'utf8'), KIT_README, { mtime });
    zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'), KIT_MANIFEST, { mtime });
    zip.end();
    const partial = `${file}.partial`;
    await pipeline(zip.outputStream, createWriteStream(partial));
    renameSync(partial, file);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { path: file, url: '', kitId, department: name, folders: folders.length };
}

/** A kit's manifest as found in a zip, and the folder the kit sits in inside the zip ('' at its root). */
export type FoundKit = { raw: Record<string, unknown>; prefix: string };

/**
 * The kit.json of a zip, parsed; undefined when the zip is not a kit (or not a readable zip). Windows' “发送到 →
 * 压缩文件夹” on the kit's folder puts everything under one folder named like the zip, so kit.json may sit one
 * folder down; the kit is then that folder.
 */
export async function readKitManifest(zipPath: string): Promise<FoundKit | undefined> {
  const found = new Map<string, Buffer>();
  try {
    await walkZip(zipPath, async (entry, open) => {
      const m = /^(?:([^/]+)\/)?kit\.json$/.exec(entry.name);
      if (!m || entry.unsafe) return;
      found.set(m[1] ? `${m[1]}/` : '', entry.size <= MAX_MANIFEST_BYTES ? await readStreamToBuffer(await open()) : Buffer.alloc(0));
    });
  } catch {
    // Not a zip we can read: the ordinary import reports it.
    return undefined;
  }
  const prefix = found.has('') ? '' : found.size === 1 ? [...found.keys()][0] : undefined;
  if (prefix === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(found.get(prefix)!.toString('utf8').replace(/^\uFEFF/, ''));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return { raw: parsed as Record<string, unknown>, prefix };
  } catch {
    // Falls through to the refusal in verifyKit.
  }
  return { raw: { format: KIT_FORMAT, broken: true }, prefix };
}

export function isKit(found: FoundKit | undefined): found is FoundKit {
  return found?.raw.format === KIT_FORMAT;
}

const refuse = (reason: string): never => {
  throw new AppError('kit-refused', `${reason}未导入收集包中的任何文件。`);
};

/** Checks a returned kit belongs to this workspace, is unchanged and was handed out here; refuses with the reason. */
async function verifyKit(ws: Workspace, raw: Record<string, unknown>) {
  if (raw.broken) refuse('收集包中的 kit.json 已损坏，无法识别。请勿修改 kit.json；可向协作办重新索取收集包。');
  const manifest = canonical(raw);
  const keys = await kitKeys(ws.teamScope().store.reader);
  if (!keys || manifest.workspace !== keys.workspaceId) {
    refuse(`这个收集包不是本工作区生成的（它属于另一个工作区${manifest.department ? `，报送单位：${manifest.department}` : ''}）。请把它导入生成它的工作区，或为该单位在本工作区重新生成收集包。`);
  }
  const expected = Buffer.from(sign(manifest, keys!.secret), 'hex');
  const given = Buffer.from(typeof raw.hmac === 'string' && /^[0-9a-f]{64}$/.test(raw.hmac) ? raw.hmac : '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    refuse('收集包中的 kit.json 被改动过（校验码不符），无法确认文件夹与材料要求的对应关系。请勿修改 kit.json；可向协作办重新索取收集包。');
  }
  const kit = await getKit(ws.teamScope().store.reader, manifest.kitId);
  if (!kit) refuse(`本工作区没有编号为 ${manifest.kitId.slice(0, 8)} 的收集包记录（可能来自已恢复的旧备份）。请为该单位重新生成收集包。`);
  return kit!;
}

/**
 * Imports a returned kit: each file directly in a requirement's folder is filed into that requirement as a 待审核
 * submission of the kit's department; files anywhere else are reported, not stored. `importFolder` is the ordinary
 * import of one folder (../workspace/import.ts), so every file gets the same reading, limits and duplicate checks.
 */
export async function importKit(
  ws: Workspace,
  zipPath: string,
  { raw, prefix }: FoundKit,
  options: ImportOptions,
  source: string,
  importFolder: (dir: string, options: ImportOptions, label: (file: string) => string) => Promise<ImportReport>,
): Promise<{ report: ImportReport; kit: KitImport }> {
  const kit = await verifyKit(ws, raw);
  const byFolder = new Map(kit.folders.map((f) => [f.folder, f]));
  const problems: KitProblem[] = [];
  const report: ImportReport = { imported: [], duplicates: [], rejected: [], ignored: [] };
  const staging = mkdtempSync(path.join(ws.cacheDir('uploads'), 'kit-'));
  try {
    const used = new Map<string, { dir: string; names: FolderNames }>();
    let bytes = 0;
    let entries = 0;
    await walkZip(zipPath, async (entry, open) => {
      if (entry.isDirectory) return;
      if (++entries > MAX_ARCHIVE_ENTRIES) refuse(`收集包中的文件超过 ${MAX_ARCHIVE_ENTRIES} 个。`);
      if (!entry.name.startsWith(prefix)) {
        return void problems.push({ member: entry.name, reason: `文件不在收集包文件夹“${prefix.slice(0, -1)}”中，未导入。` });
      }
      const member = entry.name.slice(prefix.length);
      const parts = member.split('/');
      const base = parts[parts.length - 1];
      if (junkReason(base)) {
        report.ignored.push({ source: `${source}::${entry.name}`, reason: junkReason(base)! });
        return;
      }
      if (entry.unsafe) return void problems.push({ member: entry.name, reason: `文件路径不安全（${entry.unsafe}），未导入。` });
      if (parts.length === 1) {
        if ([KIT_MANIFEST, KIT_LIST, KIT_README].includes(base)) return;
        return void problems.push({ member: entry.name, reason: '文件放在收集包的最外层，没有放进任何材料要求的文件夹，未导入。请放进对应编号的文件夹后重新交回。' });
      }
      const folder = byFolder.get(parts[0]);
      if (!folder) {
        return void problems.push({ member: entry.name, reason: `文件夹“${parts[0]}”不是收集包里的文件夹（文件夹名被改动或是新建的），未导入。请把文件放进原有编号的文件夹。` });
      }
      if (parts.length > 2) {
        return void problems.push({ member: entry.name, reason: `文件放在文件夹“${parts[0]}”的子文件夹中，未导入。请直接放在“${parts[0]}”里。` });
      }
      if (entry.size > MAX_ENTRY_BYTES) return void problems.push({ member: entry.name, reason: '文件超过 1 GB，未导入。' });
      bytes += entry.size;
      if (bytes > MAX_ARCHIVE_BYTES) refuse('收集包解压后超过 4 GB。');
      let into = used.get(folder.folder);
      if (!into) {
        into = { dir: path.join(staging, String(used.size).padStart(3, '0')), names: new FolderNames() };
        mkdirSync(into.dir);
        used.set(folder.folder, into);
      }
      await pipeline(await open(), createWriteStream(path.join(into.dir, into.names.claim(base))));
    });
    const submittedBy = currentActor()?.name ?? `收集包 ${kit.id.slice(0, 8)}`;
    // One import of every folder (one reader pool), each file placed by the folder it came in.
    const folderOf = new Map([...used].map(([name, { dir }]) => [path.basename(dir), name]));
    const labelOf = (file: string): string => {
      const [dir, ...rest] = path.relative(staging, file).split(path.sep);
      return `${source}::${prefix}${folderOf.get(dir) ?? dir}/${rest.join('/')}`;
    };
    if (used.size) {
      const done = await importFolder(
        staging,
        {
          ...options,
          submission: { department: kit.department, submittedBy },
          placeOf: (labelled) => byFolder.get(labelled.slice(source.length + 2 + prefix.length).split('/')[0]),
        },
        labelOf,
      );
      report.imported.push(...done.imported);
      report.duplicates.push(...done.duplicates);
      report.rejected.push(...done.rejected);
      report.ignored.push(...done.ignored);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  for (const r of report.rejected) problems.push({ member: r.source.split('::').slice(1).join('::') || r.source, reason: r.reason });
  return { report, kit: { kitId: kit.id, department: kit.department, filed: report.imported.length, problems } };
}

import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import yazl from 'yazl';
import type { BinderPlan } from '../../../../shared/binder/types.js';
import type { ProgressCallback } from '../../../../shared/domain/intake.js';
import type { AssetSource } from '../../workspace/types.js';
import { renderCatalogueXlsx } from './catalogue-xlsx.js';
import { GENERATOR_NAME, HashingStream, MANIFEST_NAME, type ManifestFile, type PackageManifest } from './manifest.js';
import { FolderNames, extensionOf, safeFileName } from './safe-names.js';

export const BINDER_FOLDER = '00_汇编';
export const CATALOGUE_NAME = '目录.xlsx';
/** Folder names stay short so that folder/folder/file stays well under Windows' 260-character MAX_PATH. */
const MAX_FOLDER_NAME = 60;

/** Formats that are already compressed: storing them saves time and keeps a member's bytes easy to check. */
const STORED_EXTENSIONS = new Set(['.pdf', '.jpg', '.jpeg', '.png', '.gif', '.webp', '.heic', '.docx', '.xlsx', '.pptx', '.zip', '.odt', '.ods']);

export type PackageOutput = {
  path: string;
  kind: 'pdf' | 'docx';
  /** Name inside 00_汇编/ when the file on disk still has a temporary name; default: its base name. */
  name?: string;
};

export type PackageOptions = {
  generatedAt: string;
  generatorVersion: string;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** Measured page counts (converted office files) by evidence id, for the 页数 column of 目录.xlsx. */
  pageCounts?: ReadonlyMap<number, number>;
  /**
   * Files shipped instead of an original, by evidence id: a masked copy of a ledger (the submission edition
   * masks personal data), or null to leave the original out when no masked copy could be made.
   */
  substitutes?: ReadonlyMap<number, Buffer | null>;
};

export type PackageResult = { path: string; bytes: number; files: number };

type PackageEntry =
  | { kind: 'file'; zipPath: string; source: string; size: number }
  | { kind: 'buffer'; zipPath: string; data: Buffer };

/** Where each bound item goes: `01_组织领导/1.2_领导小组及工作机制/0003_县委常委会会议纪要.pdf`. */
export function planPackagePaths(plan: BinderPlan): Map<number, string> {
  const folders = new Map<string, FolderNames>();
  const categoryFolders = new Map<string, string>();
  const indicatorFolders = new Map<string, string>();
  const root = new FolderNames(MAX_FOLDER_NAME);
  root.claim(BINDER_FOLDER);
  root.claim(CATALOGUE_NAME);
  root.claim(MANIFEST_NAME);
  const paths = new Map<number, string>();
  for (const volume of plan.volumes) {
    for (const section of volume.sections) {
      let category = categoryFolders.get(section.categoryCode);
      if (!category) {
        category = root.claim(`${section.categoryCode.padStart(2, '0')}_${section.categoryTitle}`);
        categoryFolders.set(section.categoryCode, category);
        folders.set(category, new FolderNames(MAX_FOLDER_NAME));
      }
      let indicator = indicatorFolders.get(section.indicatorCode);
      if (!indicator) {
        indicator = `${category}/${folders.get(category)?.claim(`${section.indicatorCode}_${section.indicatorTitle}`)}`;
        indicatorFolders.set(section.indicatorCode, indicator);
        folders.set(indicator, new FolderNames());
      }
      const names = folders.get(indicator) ?? new FolderNames();
      for (const block of section.blocks) {
        for (const item of block.kind === 'photos' ? block.items : [block.item]) {
          // Cross-referenced evidence is bound once, so it is packed once, at its bound place.
          if (paths.has(item.evidenceId)) continue;
          const name = names.claim(`${item.number}_${item.title}${extensionOf(item.originalName)}`);
          paths.set(item.evidenceId, `${indicator}/${name}`);
        }
      }
    }
  }
  return paths;
}

/**
 * Writes the submission package: the binders built in this run under 00_汇编/, every bound original
 * renamed `件号_题名.扩展名` in a category/indicator folder tree, 目录.xlsx, and manifest.json with the
 * SHA-256 of every other member. Entries carry the UTF-8 flag (yazl sets it for non-ASCII names) and the
 * fixed time `generatedAt`, so the same workspace gives the same bytes. On failure or cancel the partial
 * zip is removed.
 */
export async function writePackage(
  plan: BinderPlan,
  assets: AssetSource,
  outputs: PackageOutput[],
  zipPath: string,
  opts: PackageOptions,
): Promise<PackageResult> {
  const mtime = new Date(opts.generatedAt);
  if (Number.isNaN(mtime.getTime())) throw new Error(`生成时间无效：${opts.generatedAt}`);
  const signal = opts.signal;
  signal?.throwIfAborted();

  const entries: PackageEntry[] = [];
  const binderNames = new FolderNames();
  for (const output of outputs) {
    const info = await stat(output.path);
    entries.push({ kind: 'file', zipPath: `${BINDER_FOLDER}/${binderNames.claim(output.name ?? basename(output.path))}`, source: output.path, size: info.size });
  }
  const paths = planPackagePaths(plan);
  for (const volume of plan.volumes) {
    for (const item of volume.items) {
      const zipName = paths.get(item.evidenceId);
      if (!zipName || entries.some((e) => e.zipPath === zipName)) continue;
      const substitute = opts.substitutes?.get(item.evidenceId);
      if (substitute !== undefined) {
        if (substitute) entries.push({ kind: 'buffer', zipPath: zipName, data: substitute });
        continue;
      }
      const source = assets.originalPath(item.sha256);
      let size: number;
      try {
        size = (await stat(source)).size;
      } catch {
        throw new Error(`找不到第${item.number}件《${item.title}》的原件（${item.originalName}），请检查工作区文件夹是否完整后重试。`);
      }
      entries.push({ kind: 'file', zipPath: zipName, source, size });
    }
  }
  const catalogue = await renderCatalogueXlsx(plan, { pathOf: (id) => paths.get(id), pageCounts: opts.pageCounts });
  entries.push({ kind: 'buffer', zipPath: CATALOGUE_NAME, data: catalogue });

  const total = entries.length + 1;
  const zip = new yazl.ZipFile();
  const output = createWriteStream(zipPath);
  let zipError: Error | null = null;
  const failed = new Promise<never>((_, reject) => {
    zip.on('error', (err: Error) => {
      zipError = err;
      reject(err);
    });
  });
  failed.catch(() => undefined);
  const written = pipeline(zip.outputStream as Readable, output, signal ? { signal } : {});
  written.catch(() => undefined);

  try {
    const files: ManifestFile[] = [];
    let done = 0;
    for (const entry of entries) {
      signal?.throwIfAborted();
      if (zipError) throw zipError;
      const compress = !STORED_EXTENSIONS.has(extensionOf(entry.zipPath).toLowerCase());
      if (entry.kind === 'buffer') {
        zip.addBuffer(entry.data, entry.zipPath, { mtime, compress });
        const hashing = new HashingStream();
        hashing.end(entry.data);
        hashing.resume();
        files.push({ path: entry.zipPath, size: entry.data.length, sha256: hashing.digest() });
      } else {
        // Hash while yazl reads, so each original is read once even when it is a 300 MB scan.
        const hashing = new HashingStream();
        const finished = new Promise<void>((resolve, reject) => {
          hashing.on('end', resolve);
          hashing.on('error', reject);
        });
        zip.addReadStreamLazy(entry.zipPath, { mtime, compress, size: entry.size }, (cb) => {
          const source = createReadStream(entry.source);
          source.on('error', (err) => hashing.destroy(err));
          cb(null, source.pipe(hashing));
        });
        await Promise.race([finished, failed, written]);
        files.push({ path: entry.zipPath, size: hashing.size, sha256: hashing.digest() });
      }
      done += 1;
      opts.onProgress?.({ stage: '打包', done, total, detail: entry.zipPath });
    }
    signal?.throwIfAborted();
    const manifest: PackageManifest = {
      framework: { id: plan.frameworkId, title: plan.frameworkTitle },
      workspace: {
        title: plan.title,
        unit: plan.unit,
        period: { start: plan.periodStart, end: plan.periodEnd },
      },
      generator: { name: GENERATOR_NAME, version: opts.generatorVersion },
      generatedAt: opts.generatedAt,
      files,
    };
    zip.addBuffer(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'), MANIFEST_NAME, { mtime, compress: true });
    zip.end();
    await Promise.race([written, failed]);
    opts.onProgress?.({ stage: '打包', done: total, total });
    const info = await stat(zipPath);
    return { path: zipPath, bytes: info.size, files: total };
  } catch (err) {
    (zip.outputStream as Readable).destroy();
    output.destroy();
    await written.catch(() => undefined);
    await rm(zipPath, { force: true });
    throw err;
  }
}

/** Name of a binder output file: `<title>_第1卷_组织领导.pdf`, safe for Windows. */
export function binderFileName(title: string, suffix: string, ext: string): string {
  // 80 units: Chinese names in UTF-8 take 3 bytes a character, and Linux/macOS allow 255 bytes per name.
  return safeFileName(`${title}${suffix ? `_${suffix}` : ''}${ext}`, 80);
}

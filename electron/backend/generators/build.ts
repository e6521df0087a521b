import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { buildBinderPlan } from '../../../shared/binder/plan.js';
import type { BinderEdition, BinderPlan, BuildWarning } from '../../../shared/binder/types.js';
import { PERSONAL_DATA_WARNINGS, buildWarning, personalDataWarning } from '../../../shared/binder/warnings.js';
import { containsIdNumber, maskPersonalData, maskStrings } from '../../../shared/privacy/mask.js';
import { convertToPdf, findLibreOffice, type ConvertInput } from '../convert/libreoffice.js';
import { chooseFonts, describeFonts } from '../fonts.js';
import type { AssetSource, WorkspaceSnapshot } from '../workspace/types.js';
import { NO_LIBREOFFICE, renderDocxWithToc, type RenderedDocx } from './docx/render.js';
import { maskableFormat, maskedCopy } from './mask-copies.js';
import { binderFileName, writePackage, type PackageOutput } from './package/zip.js';
import { extensionOf } from './package/safe-names.js';
import { renderPdfVolume, type ConvertedPdfs } from './pdf/index.js';
import { renderTablePdf } from './pdf/render.js';
import { rectificationLedger, type RectificationLedger } from '../../../shared/rectification/ledger.js';
import { PARTIAL_PREFIX } from './partial.js';

export type OutputFormat = 'pdf' | 'docx' | 'zip';

export type BuildStage = '计划' | '转换' | '生成PDF' | '生成DOCX' | '打包';

export type BuildOptions = {
  outDir: string;
  /** 报送版 (default; the zip always carries it) or 自查版 with the office's self-check. */
  edition?: BinderEdition;
  formats: OutputFormat[];
  singleVolume?: boolean;
  duplex?: boolean;
  stamp?: boolean;
  /** Split a volume (上/下, （一）（二）…) past this many pages, or past this many MB of stored originals. */
  maxPagesPerVolume?: number;
  maxMegabytesPerVolume?: number;
  /** Downscale every photo to print resolution (smaller files) instead of embedding camera originals. */
  compressPhotos?: boolean;
  generatedAt: string;
  generatorVersion: string;
  /** A font file the user chose (e.g. a real 仿宋_GB2312) for the PDF binders. */
  userFont?: string;
  /**
   * Mask ID and mobile numbers in the submission edition (default true). Off, the build warns that the pack
   * holds personal information. The review edition stays inside the office and is never masked.
   */
  mask?: boolean;
  /**
   * Print the 整改台账 in the submission edition too (it always is in the review edition). Offices submit it as
   * evidence of 问题清零 when the inspectors ask for it; by default the 报送版 carries only evidence.
   */
  rectificationLedger?: boolean;
  /**
   * LibreOffice for conversions and the DOCX's TOC page numbers: undefined finds the installed one, null builds
   * without it (Office files get note pages, the TOC keeps docx's estimate; both warned about).
   */
  soffice?: string | null;
  /** Extracted (or OCR) text of evidence items, to warn about originals that show ID numbers we cannot mask. */
  textsOf?: (evidenceIds: number[]) => Promise<ReadonlyMap<number, string>>;
  onProgress?: (e: { stage: string; done: number; total: number }) => void;
  signal?: AbortSignal;
};

export type BuildOutput = {
  format: OutputFormat;
  path: string;
  pages?: number;
  bytes: number;
  items: { title: string; page: number }[];
};

export type BuildResult = { edition: BinderEdition; outputs: BuildOutput[]; warnings: BuildWarning[]; fonts: string[] };

// Files still being written carry PARTIAL_PREFIX: a crashed build leaves only these, never a half file under a final name.

type Pending = { format: OutputFormat; temp: string; finalName: string; keep: boolean; pages?: number; items: BuildOutput['items'] };

function volumeSuffix(plan: BinderPlan, index: number): string {
  const volume = plan.volumes[index];
  return `第${volume.number}卷_${volume.name}`;
}

/** Plan fields that name stored files or kinds, not text a reader sees: never masked. */
const UNMASKED_PLAN_KEYS = new Set(['sha256', 'format', 'type', 'kind', 'source', 'edition']);
/** Masked DOCX copies and their conversions live apart from the conversions of the originals. */
const MASKED_CACHE = 'masked-v1';
/** LibreOffice's TOC page numbers of the DOCX, by layout (toc-pages.ts). */
const TOC_CACHE = 'docx-toc-v1';

async function countPages(file: string): Promise<number | null> {
  try {
    const doc = await PDFDocument.load(await readFile(file), { ignoreEncryption: true, updateMetadata: false });
    return doc.getPageCount();
  } catch {
    return null;
  }
}

/** The same warning from two places (the plan and a renderer) is shown once. */
function dedupeWarnings(warnings: BuildWarning[]): BuildWarning[] {
  const seen = new Set<string>();
  return warnings.filter((w) => {
    const key = `${w.kind}|${w.volume ?? ''}|${w.item ?? ''}|${w.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The DOCX's TOC numbers are estimates: the reader must know before printing it without Word/WPS. */
function tocWarning(edition: BinderEdition, reason: string): BuildWarning {
  const name = edition === 'review' ? '自查版' : '报送版';
  const missing = reason === NO_LIBREOFFICE;
  return buildWarning(
    'docx-toc-estimated',
    `DOCX（${name}）目录中的页码为估算值（${reason}）：在 WPS/Word 中打开时会自动更新；用其他软件打印前，请先更新目录。`,
    {},
    { edition, cause: missing ? 'missing' : 'failed' },
  );
}

/**
 * The 整改台账 of one edition, or null when it is not printed (no items; a submission edition the office did not
 * choose it for). Each 佐证 is named where it is bound in this edition (第n卷 第m件), else by its title.
 */
function ledgerFor(snapshot: WorkspaceSnapshot, plan: BinderPlan, opts: { print: boolean; masked: boolean; generatedAt: string }): RectificationLedger | null {
  const items = snapshot.rectification ?? [];
  if (!opts.print || items.length === 0) return null;
  const bound = new Map(plan.volumes.flatMap((v) => v.items.map((i) => [i.evidenceId, `第${v.number}卷第${i.number}件《${i.title}》`] as const)));
  const titles = new Map(snapshot.evidence.map((e) => [e.id, e.title || e.originalName]));
  const ledger = rectificationLedger(items, {
    today: opts.generatedAt.slice(0, 10),
    markOverdue: plan.options.edition === 'review',
    evidenceName: (id) => bound.get(id) ?? `《${titles.get(id) ?? `材料 ${id}`}》`,
  });
  return opts.masked ? maskStrings(ledger) : ledger;
}

/**
 * The zip ships masked copies of the spreadsheets and .docx files it carries that hold personal data (the vault
 * originals are untouched); a file no copy can be made of is left out, with a warning, rather than shipped unmasked.
 */
async function maskedOriginals(plan: BinderPlan, assets: AssetSource, mtime: Date, warnings: BuildWarning[]): Promise<Map<number, Buffer | null>> {
  const copies = new Map<number, Buffer | null>();
  for (const item of plan.volumes.flatMap((v) => v.items)) {
    const format = maskableFormat(item.format, item.originalName);
    if (!format || copies.has(item.evidenceId)) continue;
    try {
      const masked = await maskedCopy(format, await readFile(assets.originalPath(item.sha256)), mtime);
      // Nothing to mask: the original goes into the zip unchanged.
      if (masked) copies.set(item.evidenceId, masked);
    } catch {
      copies.set(item.evidenceId, null);
      warnings.push(personalDataWarning(PERSONAL_DATA_WARNINGS.copyFailed(item.title), { item: item.title }));
    }
  }
  return copies;
}

/**
 * Builds the binders a user asked for: one PDF per volume, the editable DOCX, and the submission zip
 * (which always contains this run's PDFs and DOCX, built even when only the zip was asked for). Every file
 * is written under a `.~partial-` name in outDir and renamed to its final name only after all of them are
 * complete; a cancel or a failure removes the temporary files, so no half-written or half-set output is left.
 */
export async function buildOutputs(snapshot: WorkspaceSnapshot, assets: AssetSource, opts: BuildOptions): Promise<BuildResult> {
  const { signal } = opts;
  const formats = new Set(opts.formats);
  if (formats.size === 0) throw new Error('请至少选择一种输出格式（PDF、DOCX 或提交包）。');
  const progress = (stage: BuildStage, done: number, total: number) => opts.onProgress?.({ stage, done, total });
  const warnings: BuildWarning[] = [];
  const pending: Pending[] = [];
  const tempName = (ext: string) => join(opts.outDir, `${PARTIAL_PREFIX}${randomBytes(6).toString('hex')}${ext}`);

  signal?.throwIfAborted();
  await mkdir(opts.outDir, { recursive: true });
  // The DOCX renders (their LibreOffice pass a process of its own) and the conversions run beside the PDF rendering;
  // a failed or cancelled build stops them before it returns.
  const background = new AbortController();
  const backgroundSignal = signal ? AbortSignal.any([signal, background.signal]) : background.signal;
  const docxJobs = new Map<BinderPlan, Promise<RenderedDocx>>();
  const docxPacked: Promise<unknown>[] = [];
  let conversion: Promise<void> = Promise.resolve();
  try {
    progress('计划', 0, 1);
    const edition: BinderEdition = opts.edition ?? 'submission';
    const planFor = (which: BinderEdition): BinderPlan =>
      buildBinderPlan(
        snapshot.framework,
        snapshot.settings,
        snapshot.evidence,
        snapshot.gaps,
        snapshot.targets,
        {
          edition: which,
          singleVolume: opts.singleVolume,
          duplex: opts.duplex,
          stamp: opts.stamp,
          ...(opts.maxPagesPerVolume ? { maxPagesPerVolume: opts.maxPagesPerVolume } : {}),
          ...(opts.maxMegabytesPerVolume ? { maxBytesPerVolume: opts.maxMegabytesPerVolume * 1024 * 1024 } : {}),
        },
        { generatedAt: opts.generatedAt, ...(snapshot.computed ? { computed: snapshot.computed } : {}) },
      );
    const masking = opts.mask !== false;
    const maskedPlanFor = (which: BinderEdition): BinderPlan => {
      const made = planFor(which);
      return masking && which === 'submission' ? maskStrings(made, UNMASKED_PLAN_KEYS) : made;
    };
    const plan = maskedPlanFor(edition);
    const wantZip = formats.has('zip');
    // The zip goes to the inspectors: it only ever carries the submission edition.
    const zipPlan = wantZip ? (edition === 'submission' ? plan : maskedPlanFor('submission')) : null;
    warnings.push(...plan.warnings);
    progress('计划', 1, 1);

    const needPdf = formats.has('pdf') || wantZip;
    const needDocx = formats.has('docx') || wantZip;
    const title = plan.title || snapshot.settings.title || '佐证材料';

    // Fonts first: without a CJK font no PDF can be made, and the user should hear that before a long conversion.
    const fonts = needPdf ? chooseFonts({ userFont: opts.userFont }) : null;

    const converted: ConvertedPdfs = new Map();
    const pageCounts = new Map<number, number>();
    const plans = zipPlan && zipPlan !== plan ? [plan, zipPlan] : [plan];
    const soffice = opts.soffice === undefined ? findLibreOffice() : opts.soffice;
    const maskedEdition = (which: BinderPlan): boolean => masking && which.options.edition === 'submission';
    const ledgers = new Map(
      plans.map((which) => [
        which,
        ledgerFor(snapshot, which, { print: which.options.edition === 'review' || Boolean(opts.rectificationLedger), masked: maskedEdition(which), generatedAt: opts.generatedAt }),
      ]),
    );
    if (needDocx) {
      for (const which of plans) {
        const ledger = ledgers.get(which);
        // Packed with its LibreOffice pass started, or done, or failed: the PDF rendering may take the event loop.
        let packed = (): void => undefined;
        const packing = new Promise<void>((resolve) => {
          packed = resolve;
        });
        docxPacked.push(packing);
        const job = renderDocxWithToc(which, assets, {
          generatedAt: opts.generatedAt,
          // GB/T 9704: odd pages numbered right, even pages left, whether or not the PDF is printed duplex.
          duplex: true,
          ...(ledger ? { rectification: ledger } : {}),
          // TOC page numbers as LibreOffice lays the document out, where it is installed.
          soffice,
          tocCacheDir: join(assets.cacheDir('pdf'), TOC_CACHE),
          signal: backgroundSignal,
          onPacked: () => packed(),
        });
        job.then(packed, packed);
        // Awaited in its turn below; until then a failure must not count as unhandled.
        job.catch(() => undefined);
        docxJobs.set(which, job);
      }
    }
    const officeItems = [
      ...new Map(plans.flatMap((p) => p.volumes.flatMap((v) => v.items)).filter((item) => item.render.kind === 'convert').map((i) => [i.sha256, i])).values(),
    ];
    // The submission edition binds masked copies of .docx originals: converted from a copy, never the original.
    const submissionPlans = plans.filter((p) => p.options.edition === 'submission');
    const maskedConverted: ConvertedPdfs = new Map();
    const submissionItems = [...new Map(submissionPlans.flatMap((p) => p.volumes.flatMap((v) => v.items)).map((i) => [i.evidenceId, i])).values()];
    const convertOffice = async (): Promise<void> => {
      if (needPdf && officeItems.length) {
        // Per document as LibreOffice finishes each (never repeating a count, so a watcher sees it move).
        let converting = -1;
        const convertProgress = (done: number): void => {
          if (done <= converting) return;
          converting = done;
          progress('转换', done, officeItems.length);
        };
        convertProgress(0);
        if (!soffice) {
          warnings.push(
            buildWarning(
              'conversion',
              `未找到 LibreOffice，${officeItems.length} 个 Office 文件无法转换为 PDF，汇编中以说明页代替。请安装 LibreOffice，或在 WPS/Word 中另存为 PDF 后重新导入。`,
              {},
              { n: officeItems.length },
            ),
          );
        }
        const inputs: ConvertInput[] = officeItems.map((item) => ({
          sha256: item.sha256,
          path: assets.originalPath(item.sha256),
          ext: extensionOf(item.originalName).replace(/^\./, '') || item.format,
        }));
        const results = await convertToPdf(inputs, assets.cacheDir('pdf'), { signal: backgroundSignal, soffice, onProgress: convertProgress });
        signal?.throwIfAborted();
        for (const item of officeItems) {
          const result = results.get(item.sha256);
          if (!result) continue;
          converted.set(item.sha256, result);
          if (!('error' in result)) {
            const pages = await countPages(result.pdfPath);
            if (pages) pageCounts.set(item.evidenceId, pages);
          }
        }
        convertProgress(officeItems.length);
      }

      for (const [sha, result] of converted) maskedConverted.set(sha, result);
      if (masking && needPdf && converted.size) {
        const maskedDir = join(assets.cacheDir('pdf'), MASKED_CACHE);
        await mkdir(maskedDir, { recursive: true });
        const inputs: ConvertInput[] = [];
        for (const item of submissionItems) {
          if (item.render.kind !== 'convert' || maskableFormat(item.format, item.originalName) !== 'docx') continue;
          const copy = join(maskedDir, `${item.sha256}.docx`);
          try {
            const masked = await maskedCopy('docx', await readFile(assets.originalPath(item.sha256)), new Date(opts.generatedAt));
            if (!masked) continue;
            await writeFile(copy, masked);
            inputs.push({ sha256: item.sha256, path: copy, ext: 'docx' });
          } catch {
            // Never fall back to the unmasked conversion: the item becomes a placeholder page instead.
            maskedConverted.set(item.sha256, { error: '无法生成遮盖个人信息的副本' });
          }
        }
        if (inputs.length) {
          const results = await convertToPdf(inputs, maskedDir, { signal: backgroundSignal, soffice });
          for (const [sha, result] of results) maskedConverted.set(sha, result);
        }
      }
    };
    // Volumes without Office documents are rendered while LibreOffice converts; the others wait for it.
    conversion = convertOffice();
    // Awaited before the first volume that needs it and before packing; until then a failure must not count as unhandled.
    conversion.catch(() => undefined);
    if (submissionPlans.length && !masking) warnings.push(personalDataWarning(PERSONAL_DATA_WARNINGS.unmasked));
    if (submissionPlans.length && masking && opts.textsOf) {
      // Pictures of text (scans, photos, PDFs, .doc/.xls) keep what they show: the office must know before sending.
      const unmaskable = submissionItems.filter((i) => i.render.kind !== 'table' && !(i.render.kind === 'convert' && maskableFormat(i.format, i.originalName)));
      const texts = await opts.textsOf(unmaskable.map((i) => i.evidenceId));
      for (const item of unmaskable) {
        if (containsIdNumber(texts.get(item.evidenceId) ?? '')) warnings.push(personalDataWarning(PERSONAL_DATA_WARNINGS.cannotMask(item.title), { item: item.title }));
      }
    }

    const renderEdition = async (which: BinderPlan, keep: { pdf: boolean; docx: boolean }, report: boolean): Promise<PackageOutput[]> => {
      const packageOutputs: PackageOutput[] = [];
      const suffix = which.options.edition === 'review' ? '_自查版' : '';
      const masked = maskedEdition(which);
      const ledger = ledgers.get(which) ?? null;
      if (ledger && needPdf && fonts) {
        signal?.throwIfAborted();
        const bytes = await renderTablePdf([{ name: ledger.title, title: [`${title} ${ledger.title}`], header: [ledger.header], rows: ledger.rows }], {
          fonts,
          title: `${title} ${ledger.title}`,
          author: which.unit,
          generatedAt: opts.generatedAt,
        });
        const temp = tempName('.pdf');
        const finalName = binderFileName(title, `${ledger.title}${suffix}`, '.pdf');
        pending.push({ format: 'pdf', temp, finalName, keep: keep.pdf, items: [] });
        await writeFile(temp, bytes);
        packageOutputs.push({ path: temp, kind: 'pdf', name: finalName });
      }
      if (needPdf && fonts) {
        const totalItems = which.volumes.reduce((n, v) => n + v.items.length, 0);
        let before = 0;
        progress('生成PDF', 0, totalItems);
        // Files in volume order (the outputs and the zip list them so); rendered first where no conversion is needed.
        const files = which.volumes.map((_volume, index) => {
          const file: Pending = {
            format: 'pdf',
            temp: tempName('.pdf'),
            finalName: binderFileName(title, `${volumeSuffix(which, index)}${suffix}`, '.pdf'),
            keep: keep.pdf,
            items: [],
          };
          pending.push(file);
          packageOutputs.push({ path: file.temp, kind: 'pdf', name: file.finalName });
          return file;
        });
        const needsConversion = (index: number): boolean => which.volumes[index].items.some((item) => item.render.kind === 'convert');
        const order = [...which.volumes.keys()].sort((a, b) => Number(needsConversion(a)) - Number(needsConversion(b)) || a - b);
        // Rendering a volume holds the event loop for seconds: the DOCX is packed first, so that its LibreOffice pass
        // (a process of its own) runs beside the volumes instead of after them.
        await Promise.all(docxPacked);
        for (const index of order) {
          signal?.throwIfAborted();
          if (needsConversion(index)) await conversion;
          const result = await renderPdfVolume(which, index, assets, {
            fonts,
            converted: masked ? maskedConverted : converted,
            ...(masked ? { formatCell: maskPersonalData } : {}),
            signal,
            ...(opts.compressPhotos ? { originalImageBudget: 0 } : {}),
            onProgress: (e) => progress('生成PDF', before + e.done, totalItems),
          });
          signal?.throwIfAborted();
          before += which.volumes[index].items.length;
          if (report) warnings.push(...result.warnings);
          files[index].pages = result.pages;
          files[index].items = result.items.map(({ title: itemTitle, page }) => ({ title: itemTitle, page }));
          await writeFile(files[index].temp, result.bytes);
        }
        progress('生成PDF', totalItems, totalItems);
      }
      if (needDocx) {
        signal?.throwIfAborted();
        progress('生成DOCX', 0, 1);
        const job = docxJobs.get(which);
        if (!job) throw new Error('DOCX render was not started');
        const { bytes, toc } = await job;
        signal?.throwIfAborted();
        if (toc.source === 'estimate') warnings.push(tocWarning(which.options.edition, toc.reason));
        const temp = tempName('.docx');
        const finalName = binderFileName(title, `佐证材料汇编${suffix}`, '.docx');
        pending.push({ format: 'docx', temp, finalName, keep: keep.docx, items: [] });
        await writeFile(temp, bytes);
        packageOutputs.push({ path: temp, kind: 'docx', name: finalName });
        progress('生成DOCX', 1, 1);
      }
      return packageOutputs;
    };

    const asked = { pdf: formats.has('pdf'), docx: formats.has('docx') };
    const mainOutputs = await renderEdition(plan, asked, true);
    const zipOutputs = zipPlan === plan ? mainOutputs : zipPlan ? await renderEdition(zipPlan, { pdf: false, docx: false }, false) : [];
    // Page counts of converted documents (the zip's manifest), and a conversion's failure when no volume waited for it.
    await conversion;

    if (zipPlan) {
      signal?.throwIfAborted();
      const temp = tempName('.zip');
      const finalName = binderFileName(title, '提交包', '.zip');
      pending.push({ format: 'zip', temp, finalName, keep: true, items: [] });
      await writePackage(zipPlan, assets, zipOutputs, temp, {
        generatedAt: opts.generatedAt,
        generatorVersion: opts.generatorVersion,
        signal,
        pageCounts,
        substitutes: masking ? await maskedOriginals(zipPlan, assets, new Date(opts.generatedAt), warnings) : undefined,
        onProgress: (e) => progress('打包', e.done, e.total),
      });
    }

    signal?.throwIfAborted();
    // Everything is complete: only now do files appear under their final names.
    const outputs: BuildOutput[] = [];
    for (const file of pending) {
      if (!file.keep) continue;
      const finalPath = join(opts.outDir, file.finalName);
      try {
        await rename(file.temp, finalPath);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EPERM' || code === 'EBUSY' || code === 'EACCES') {
          throw new Error(`无法写入“${file.finalName}”：文件可能正被 WPS、Word 或 PDF 阅读器打开。请关闭后重新生成。`);
        }
        throw err;
      }
      const info = await stat(finalPath);
      outputs.push({ format: file.format, path: finalPath, pages: file.pages, bytes: info.size, items: file.items });
    }
    return { edition: opts.edition ?? 'submission', outputs, warnings: dedupeWarnings(warnings), fonts: fonts ? describeFonts(fonts).split('；') : [] };
  } finally {
    background.abort();
    await Promise.allSettled([...docxJobs.values(), conversion]);
    // Temporary files: intermediate PDFs/DOCX of a zip-only build, and everything after a cancel or failure.
    await Promise.all(pending.map((file) => rm(file.temp, { force: true })));
  }
}

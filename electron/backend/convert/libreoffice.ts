/**
 * Office → PDF through LibreOffice, headless. One soffice process converts a whole batch (start-up is
 * most of the cost); it runs on a private profile, because a second soffice on a shared profile silently
 * does nothing (environment.md). Inputs are copied to a temp folder under names with the right extension,
 * so stored originals are never touched; results are cached as <cacheDir>/<sha256>.pdf.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type ConvertInput = { sha256: string; path: string; ext: string };
export type ConvertResult = { pdfPath: string } | { error: string };

const INSTALL_HINT = '请安装 LibreOffice（免费），或在 WPS/Word 中另存为 PDF 后重新导入。';

function onPath(names: string[]): string | null {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    for (const name of names) {
      const full = path.join(dir, name);
      try {
        if (statSync(full).isFile()) return full;
      } catch {
        // not here
      }
    }
  }
  return null;
}

export function findLibreOffice(): string | null {
  const fromEnv = process.env.EVIDENCE_BINDER_SOFFICE;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const win = process.platform === 'win32';
  const found = onPath(win ? ['soffice.exe', 'soffice.com'] : ['soffice', 'libreoffice']);
  if (found) return found;
  const fixed = win
    ? [
        path.join(process.env.ProgramFiles ?? 'C:\\Program Files', 'LibreOffice', 'program', 'soffice.exe'),
        path.join(process.env['ProgramFiles(x86)'] ?? 'C:\\Program Files (x86)', 'LibreOffice', 'program', 'soffice.exe'),
      ]
    : [
        '/usr/lib/libreoffice/program/soffice',
        '/usr/lib64/libreoffice/program/soffice',
        '/opt/libreoffice/program/soffice',
        '/Applications/LibreOffice.app/Contents/MacOS/soffice',
        '/snap/bin/libreoffice',
      ];
  return fixed.find((p) => existsSync(p)) ?? null;
}

/**
 * Chinese government documents name fonts that Linux does not have (仿宋_GB2312, 方正小标宋简体 …);
 * without a mapping LibreOffice may fall back to a font without Chinese glyphs. This private fontconfig
 * file maps them to installed CJK fonts. Windows and macOS have their own substitution: not needed there.
 */
function writeFontconfig(dir: string): string | undefined {
  if (process.platform === 'win32' || process.platform === 'darwin') return undefined;
  const system = ['/etc/fonts/fonts.conf', '/usr/local/etc/fonts/fonts.conf'].find((p) => existsSync(p));
  if (!system) return undefined;
  const serif = ['Noto Serif CJK SC', 'AR PL UMing CN', 'WenQuanYi Zen Hei'];
  const sans = ['Noto Sans CJK SC', 'WenQuanYi Zen Hei', 'AR PL UMing CN'];
  const kai = ['AR PL UKai CN', 'Noto Serif CJK SC'];
  const alias = (family: string, prefer: string[]): string =>
    `<alias binding="same"><family>${family}</family><prefer>${prefer.map((f) => `<family>${f}</family>`).join('')}</prefer></alias>`;
  const aliases = [
    ...['仿宋_GB2312', '仿宋', 'FangSong', 'FangSong_GB2312', '方正仿宋_GBK', '方正小标宋简体', '方正小标宋_GBK', '宋体', 'SimSun', '新宋体', 'NSimSun', '华文中宋', 'STSong', 'STZhongsong'].map((f) =>
      alias(f, serif),
    ),
    ...['黑体', 'SimHei', '方正黑体_GBK', '方正黑体简体', '微软雅黑', 'Microsoft YaHei', '等线', 'DengXian'].map((f) => alias(f, sans)),
    ...['楷体_GB2312', '楷体', 'KaiTi', 'KaiTi_GB2312', '方正楷体_GBK', '华文楷体', 'STKaiti'].map((f) => alias(f, kai)),
  ];
  const file = path.join(dir, 'fonts.conf');
  writeFileSync(
    file,
    `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n<include ignore_missing="yes">${system}</include>\n${aliases.join('\n')}\n</fontconfig>\n`,
  );
  return file;
}

function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    if (process.platform === 'win32') spawnSync('taskkill', ['/PID', String(pid), '/T', '/F'], { stdio: 'ignore' });
    // Detached: soffice is a wrapper that starts soffice.bin; the group takes both.
    else process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

type RunOutcome = { ok: true } | { ok: false; reason: string };

const productVersions = new Map<string, Promise<string | undefined>>();

/**
 * The installed LibreOffice's major.minor ("7.4"), read once per program: from `version.ini` beside it on Windows
 * (soffice.exe prints nothing to a console), else from `soffice --version` (asked without blocking: the backend
 * serves the workbench meanwhile). Undefined when neither says within 20 s.
 */
export function libreOfficeVersion(soffice: string): Promise<string | undefined> {
  let known = productVersions.get(soffice);
  if (!known) {
    known = new Promise<string>((resolve) => {
      const ini = path.join(path.dirname(soffice), 'version.ini');
      if (process.platform === 'win32' && existsSync(ini)) {
        resolve(readFileSync(ini, 'utf8').match(/^MsiProductVersion=(.*)$/m)?.[1] ?? '');
        return;
      }
      execFile(soffice, ['--version'], { encoding: 'utf8', timeout: 20_000, windowsHide: true }, (_error, stdout) => resolve(stdout ?? ''));
    })
      .catch(() => '')
      .then((text) => /(\d+)\.(\d+)\.\d+/.exec(text)?.slice(1, 3).join('.'));
    productVersions.set(soffice, known);
  }
  return known;
}

/**
 * A new private profile that already records this LibreOffice version as its last one. Without it every start counts
 * as the first after an upgrade, because a headless LibreOffice never records the version itself, and runs its
 * graphics render tests (desktop/source/app/app.cxx): 4–5 of the ~6 s each start took on a county PC's two cores.
 */
export async function seededProfile(workDir: string, soffice: string): Promise<string> {
  const profile = mkdtempSync(path.join(workDir, 'profile-'));
  const version = await libreOfficeVersion(soffice);
  if (version) {
    mkdirSync(path.join(profile, 'user'));
    writeFileSync(
      path.join(profile, 'user', 'registrymodifications.xcu'),
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
        `<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse"><value>${version}</value></prop></item>\n` +
        '</oor:items>\n',
    );
  }
  return profile;
}

async function runSoffice(
  soffice: string,
  files: string[],
  outDir: string,
  workDir: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  mapFonts = true,
): Promise<RunOutcome> {
  const profile = await seededProfile(workDir, soffice);
  const fontconfig = mapFonts ? writeFontconfig(workDir) : undefined;
  const args = [
    `-env:UserInstallation=${pathToFileURL(profile).href}`,
    '--headless',
    '--invisible',
    '--nologo',
    '--nodefault',
    '--norestore',
    '--nolockcheck',
    '--convert-to',
    'pdf',
    '--outdir',
    outDir,
    ...files,
  ];
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve({ ok: false, reason: '已取消' });
      return;
    }
    const child = spawn(soffice, args, {
      cwd: workDir,
      detached: process.platform !== 'win32',
      stdio: ['ignore', 'ignore', 'pipe'],
      windowsHide: true,
      env: { ...process.env, ...(fontconfig ? { FONTCONFIG_FILE: fontconfig } : {}), SAL_USE_VCLPLUGIN: 'svp' },
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString('utf8');
    });
    let settled = false;
    const finish = (outcome: RunOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = (): void => {
      killTree(child.pid);
      finish({ ok: false, reason: '已取消' });
    };
    const timer = setTimeout(() => {
      killTree(child.pid);
      finish({ ok: false, reason: `转换超时（超过 ${Math.round(timeoutMs / 1000)} 秒）` });
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => finish({ ok: false, reason: `无法启动 LibreOffice（${err.message}）` }));
    child.on('close', (code) => {
      if (code === 0) finish({ ok: true });
      else finish({ ok: false, reason: `LibreOffice 退出码 ${code ?? '未知'}${stderr.trim() ? `：${stderr.trim().slice(0, 200)}` : ''}` });
    });
  });
}

/** Converted PDFs by sha256. A cached <sha256>.pdf is reused without starting LibreOffice. */
export async function convertToPdf(
  inputs: ConvertInput[],
  cacheDir: string,
  opts: {
    signal?: AbortSignal;
    timeoutMs?: number;
    soffice?: string | null;
    /** Documents done so far (cached ones count at once), reported each time the count grows. */
    onProgress?: (done: number, total: number) => void;
    /**
     * Map the standard's font names to installed CJK fonts (default). Off, LibreOffice substitutes as it does for
     * a user who opens the file: the layout a reader of our own DOCX sees.
     */
    mapFonts?: boolean;
  } = {},
): Promise<Map<string, ConvertResult>> {
  const results = new Map<string, ConvertResult>();
  mkdirSync(cacheDir, { recursive: true });
  const cached = (sha: string): string => path.join(cacheDir, `${sha}.pdf`);
  const todo: ConvertInput[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    if (seen.has(input.sha256)) continue;
    seen.add(input.sha256);
    const out = cached(input.sha256);
    if (existsSync(out) && statSync(out).size > 0) results.set(input.sha256, { pdfPath: out });
    else todo.push(input);
  }
  const total = seen.size;
  let reported = -1;
  const report = (done: number): void => {
    if (done <= reported) return;
    reported = done;
    opts.onProgress?.(done, total);
  };
  report(results.size);
  if (todo.length === 0) return results;

  const soffice = opts.soffice === undefined ? findLibreOffice() : opts.soffice;
  if (!soffice) {
    for (const input of todo) {
      results.set(input.sha256, { error: `未找到 LibreOffice，无法把 .${input.ext} 文件转换为 PDF。${INSTALL_HINT}` });
    }
    return results;
  }

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'binder-convert-'));
  try {
    const inDir = path.join(workDir, 'in');
    const outDir = path.join(workDir, 'out');
    mkdirSync(inDir);
    mkdirSync(outDir);
    const staged = new Map<string, string>();
    for (const input of todo) {
      const ext = input.ext.replace(/^\./, '').toLowerCase() || 'bin';
      const file = path.join(inDir, `${input.sha256}.${ext}`);
      try {
        copyFileSync(input.path, file);
        staged.set(input.sha256, file);
      } catch {
        results.set(input.sha256, { error: `无法读取已存储的原件（.${ext}）。请检查工作区文件夹是否完整。` });
      }
    }
    const perFileMs = opts.timeoutMs ?? 60_000;
    const collect = (batch: ConvertInput[]): ConvertInput[] => {
      const missing: ConvertInput[] = [];
      for (const input of batch) {
        const produced = path.join(outDir, `${input.sha256}.pdf`);
        if (existsSync(produced) && statSync(produced).size > 0) {
          // Rename into the cache (same filesystem usually); copy when the cache is on another drive.
          const target = cached(input.sha256);
          const partial = `${target}.${process.pid}.part`;
          copyFileSync(produced, partial);
          renameSync(partial, target);
          results.set(input.sha256, { pdfPath: target });
        } else missing.push(input);
      }
      return missing;
    };
    const batch = todo.filter((i) => staged.has(i.sha256));
    // One soffice converts the whole batch and says nothing while it works: count the PDFs it has written, so the
    // build's progress moves per document instead of sitting at 0/N for the whole batch.
    const watch = setInterval(() => {
      try {
        report(results.size + readdirSync(outDir).filter((f) => f.endsWith('.pdf')).length);
      } catch {
        // The folder is being cleaned up: the last count stands.
      }
    }, 250);
    const first = await runSoffice(
      soffice,
      batch.map((i) => staged.get(i.sha256) as string),
      outDir,
      workDir,
      // Start-up (about 1 s on a seeded profile, 6 s when LibreOffice runs its render tests) plus a share per file; a batch is killed, not left hanging.
      opts.timeoutMs ?? 30_000 + perFileMs * batch.length,
      opts.signal,
      opts.mapFonts,
    ).finally(() => clearInterval(watch));
    let missing = collect(batch);
    report(results.size);
    let lastReason = first.ok ? '' : first.reason;
    // One bad file can take the whole batch down: retry the rest one by one to tell which.
    if (missing.length > 0 && batch.length > 1 && !opts.signal?.aborted) {
      for (const input of missing) {
        if (opts.signal?.aborted) break;
        const single = await runSoffice(soffice, [staged.get(input.sha256) as string], outDir, workDir, perFileMs, opts.signal, opts.mapFonts);
        if (collect([input]).length > 0 && !single.ok) lastReason = single.reason;
        report(results.size);
      }
      missing = missing.filter((m) => !results.has(m.sha256));
    }
    for (const input of missing) {
      if (results.has(input.sha256)) continue;
      const why = opts.signal?.aborted ? '已取消' : lastReason || '文件可能已损坏、加密，或不是有效的 Office 文档';
      results.set(input.sha256, {
        error: `.${input.ext} 文件无法转换为 PDF（${why}）。请在 WPS/Word 中打开并另存为 PDF 后重新导入。`,
      });
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  return results;
}

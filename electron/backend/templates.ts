import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Framework } from '../../shared/domain/types.js';
import { AppError } from '../../shared/errors.js';
import { FrameworkError, parseFramework } from '../../shared/framework/schema.js';

/**
 * Assessment framework templates (templates/frameworks/<id>.json) and demo agreement targets
 * (templates/demo/<id>-targets.json). Templates are data an office worker may copy and edit, so every
 * load validates and errors name the file, the indicator and the field.
 */

export type TemplateSummary = {
  id: string;
  title: string;
  years?: string;
  categories: number;
  indicators: number;
  /** Set when the file cannot be used; the Chinese reason says what to fix. */
  error?: string;
};

export type DemoTarget = { target: number; actual: number; source: string };

const TEMPLATE_ID = /^[a-z0-9][a-z0-9-]*$/;

/**
 * Folders to start the upward search from. The same source runs as ESM (vitest, dist/cli/binder.mjs)
 * and as an esbuild CJS bundle (dist/electron/main.cjs) where esbuild empties `import.meta`, so
 * `import.meta.url` is undefined there and `__dirname` is the bundle's folder instead.
 */
function searchStarts(): string[] {
  const starts: string[] = [];
  const url: unknown = import.meta.url;
  if (typeof url === 'string' && url.startsWith('file:')) starts.push(dirname(fileURLToPath(url)));
  if (typeof __dirname === 'string') starts.push(__dirname);
  starts.push(process.cwd());
  return starts;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Absolute path of templates/frameworks, found by walking up from this module (or the bundle, or the working folder). */
export function templatesDir(): string {
  const tried: string[] = [];
  for (const start of searchStarts()) {
    let dir = resolve(start);
    for (;;) {
      const candidate = join(dir, 'templates', 'frameworks');
      if (isDirectory(candidate)) return candidate;
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    tried.push(start);
  }
  throw new Error(`找不到考核框架模板目录 templates/frameworks（已从 ${tried.join('、')} 向上查找）。请确认程序安装完整，或在程序所在目录下运行。`);
}

function templateFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.toLowerCase().endsWith('.json'))
    .sort((a, b) => a.localeCompare(b));
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new FrameworkError([{ file, field: '(文件)', message: `无法读取文件：${reason(err)}` }]);
  }
  // Notepad on Windows saves UTF-8 with a BOM, which JSON.parse rejects.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FrameworkError([
      { file, field: '(文件)', message: `不是有效的 JSON（${reason(err)}）。请检查逗号、引号和括号是否成对，可用记事本或 WPS 打开修改后重试。` },
    ]);
  }
}

/**
 * Reads and validates one framework file (a template or a workspace's own copy).
 * Throws FrameworkError whose message names the file, the indicator code and the field.
 */
export function loadFrameworkFile(file: string): Framework {
  return parseFramework(readJson(file), file);
}

/** Every template in templates/frameworks, in file-name order; a broken file is listed with its error. */
export function listTemplates(): TemplateSummary[] {
  const dir = templatesDir();
  return templateFiles(dir).map((name) => {
    const id = basename(name, '.json');
    try {
      const fw = loadTemplateFile(join(dir, name), id);
      return {
        id: fw.id,
        title: fw.title,
        years: fw.years,
        categories: fw.categories.length,
        indicators: fw.categories.reduce((sum, category) => sum + category.indicators.length, 0),
      } satisfies TemplateSummary;
    } catch (err) {
      return { id, title: name, categories: 0, indicators: 0, error: reason(err) } satisfies TemplateSummary;
    }
  });
}

function loadTemplateFile(file: string, id: string): Framework {
  const fw = loadFrameworkFile(file);
  if (fw.id !== id) {
    // The id is how a workspace refers to its template, so the two must agree.
    throw new FrameworkError([
      { file, field: 'id', message: `id “${fw.id}”与文件名“${id}.json”不一致。复制模板后请把 id 改成与文件名相同。` },
    ]);
  }
  return fw;
}

function availableIds(dir: string): string[] {
  return templateFiles(dir).map((name) => basename(name, '.json'));
}

/** Loads and validates templates/frameworks/<id>.json. */
export function loadTemplate(id: string): Framework {
  const dir = templatesDir();
  const file = join(dir, `${id}.json`);
  if (!TEMPLATE_ID.test(id) || !existsSync(file)) {
    const ids = availableIds(dir);
    throw new AppError(
      'not-found',
      `未找到考核框架模板“${id}”。可用的模板：${ids.length ? ids.join('、') : '（无）'}。请从中选择，或把新模板放到 ${dir} 目录下。`,
    );
  }
  return loadTemplateFile(file, id);
}

const demoTargetsSchema = z.record(
  z.string(),
  z.object({ target: z.number(), actual: z.number(), source: z.string().min(1) }).strict(),
);

/**
 * Demo agreement targets for a framework (templates/demo/<id>-targets.json), or undefined when there are none.
 * Every key must be a target id of that framework, so the demo never points at a target that does not exist.
 */
export function demoTargets(frameworkId: string): Record<string, DemoTarget> | undefined {
  if (!TEMPLATE_ID.test(frameworkId)) return undefined;
  const file = join(dirname(templatesDir()), 'demo', `${frameworkId}-targets.json`);
  if (!existsSync(file)) return undefined;
  const parsed = demoTargetsSchema.safeParse(readJson(file));
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`示例目标文件 ${file} 格式不正确（${first.path.join('.') || '根'}：${first.message}）。每项应为 { "target": 数字, "actual": 数字, "source": "台账名称" }。`);
  }
  const framework = loadTemplate(frameworkId);
  const known = new Set(framework.categories.flatMap((c) => c.indicators.flatMap((i) => i.targets.map((t) => t.id))));
  const unknown = Object.keys(parsed.data).filter((id) => !known.has(id));
  if (unknown.length) {
    throw new Error(`示例目标文件 ${file} 引用了框架 ${frameworkId} 中不存在的目标：${unknown.join('、')}。`);
  }
  return parsed.data;
}

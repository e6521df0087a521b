import { z } from 'zod';
import { COMPARISONS, EVIDENCE_TYPES, PERIODS, type Framework } from '../domain/types.js';
import { AppError } from '../errors.js';

// Validation messages reach office workers editing templates: Chinese.
z.config(z.locales.zhCN());

/**
 * Validation of assessment frameworks (templates/frameworks/*.json and a workspace's own copy).
 * Errors name the file, the indicator and the field so an office worker editing a template can find them.
 */

const requirementSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  type: z.enum(EVIDENCE_TYPES),
  accepts: z.array(z.enum(EVIDENCE_TYPES)).optional(),
  min: z.number().int().min(0),
  period: z.enum(PERIODS),
  mandatory: z.boolean(),
  hint: z.string().optional(),
  keywords: z.array(z.string().min(1)).optional(),
});

const targetSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  unit: z.string(),
  comparison: z.enum(COMPARISONS),
  value: z.number().nullable(),
  parts: z.array(z.string()).optional(),
  subtotals: z.array(z.string()).optional(),
  hint: z.string().optional(),
});

const indicatorSchema = z.object({
  code: z.string().regex(/^\d+(\.\d+)+$/, '指标编码应为“1.2”这样的数字编码'),
  title: z.string().min(1),
  description: z.string().optional(),
  department: z.string().optional(),
  weight: z.number().nullable().optional(),
  requirements: z.array(requirementSchema),
  targets: z.array(targetSchema),
});

const categorySchema = z.object({
  code: z.string().regex(/^\d+$/, '类别编码应为数字'),
  title: z.string().min(1),
  description: z.string().optional(),
  weight: z.number().nullable().optional(),
  bonus: z.boolean().optional(),
  negative: z.boolean().optional(),
  indicators: z.array(indicatorSchema).min(1),
});

export const frameworkSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'id 只能包含小写字母、数字和连字符'),
  title: z.string().min(1),
  years: z.string().optional(),
  description: z.string().optional(),
  grades: z.array(z.string()).optional(),
  categories: z.array(categorySchema).min(1),
});

export type FrameworkIssue = {
  file: string;
  /** Indicator code (or category code) the problem is in, when there is one. */
  where?: string;
  /** Dotted path of the field, e.g. "categories[0].indicators[1].requirements[0].min". */
  field: string;
  message: string;
};

export class FrameworkError extends AppError {
  readonly issues: FrameworkIssue[];
  constructor(issues: FrameworkIssue[]) {
    super('framework', issues.map(formatFrameworkIssue).join('\n'));
    this.issues = issues;
  }
}

export function formatFrameworkIssue(issue: FrameworkIssue): string {
  const where = issue.where ? `，指标 ${issue.where}` : '';
  return `框架文件 ${issue.file}${where}，字段 ${issue.field}：${issue.message}`;
}

function describePath(raw: unknown, path: readonly PropertyKey[]): { where?: string; field: string } {
  let node: unknown = raw;
  let where: string | undefined;
  let field = '';
  for (const key of path) {
    field += typeof key === 'number' ? `[${key}]` : `${field ? '.' : ''}${String(key)}`;
    node = node && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (node && typeof node === 'object' && 'code' in node && typeof (node as { code: unknown }).code === 'string') {
      where = (node as { code: string }).code;
    }
  }
  return { where, field: field || '(根)' };
}

/** Checks that go beyond the shape: unique codes and ids, references between targets. */
function checkReferences(fw: Framework, file: string): FrameworkIssue[] {
  const issues: FrameworkIssue[] = [];
  const codes = new Set<string>();
  const ids = new Set<string>();
  const targetIds = new Set<string>();
  fw.categories.forEach((cat, ci) => {
    cat.indicators.forEach((ind, ii) => {
      const base = `categories[${ci}].indicators[${ii}]`;
      if (codes.has(ind.code)) issues.push({ file, where: ind.code, field: `${base}.code`, message: `指标编码 ${ind.code} 重复` });
      codes.add(ind.code);
      if (!ind.code.startsWith(`${cat.code}.`)) {
        issues.push({ file, where: ind.code, field: `${base}.code`, message: `指标编码应以所属类别编码 ${cat.code}. 开头` });
      }
      ind.requirements.forEach((req, ri) => {
        if (ids.has(req.id)) issues.push({ file, where: ind.code, field: `${base}.requirements[${ri}].id`, message: `要求编号 ${req.id} 重复` });
        ids.add(req.id);
      });
      ind.targets.forEach((t, ti) => {
        if (ids.has(t.id) || targetIds.has(t.id)) issues.push({ file, where: ind.code, field: `${base}.targets[${ti}].id`, message: `目标编号 ${t.id} 重复` });
        targetIds.add(t.id);
      });
    });
  });
  fw.categories.forEach((cat, ci) =>
    cat.indicators.forEach((ind, ii) =>
      ind.targets.forEach((t, ti) => {
        for (const key of ['parts', 'subtotals'] as const) {
          for (const ref of t[key] ?? []) {
            if (!targetIds.has(ref)) {
              issues.push({
                file,
                where: ind.code,
                field: `categories[${ci}].indicators[${ii}].targets[${ti}].${key}`,
                message: `引用了不存在的目标 ${ref}`,
              });
            }
          }
        }
      }),
    ),
  );
  return issues;
}

/** Parses and validates a framework; throws FrameworkError listing every problem found. */
export function parseFramework(raw: unknown, file: string): Framework {
  const result = frameworkSchema.safeParse(raw);
  if (!result.success) {
    throw new FrameworkError(
      result.error.issues.map((issue) => ({ file, ...describePath(raw, issue.path), message: issue.message })),
    );
  }
  const fw = result.data satisfies Framework;
  const issues = checkReferences(fw, file);
  if (issues.length) throw new FrameworkError(issues);
  return fw;
}

/** Every indicator of a framework with its category, in framework order. */
export function listIndicators(fw: Framework) {
  return fw.categories.flatMap((category) => category.indicators.map((indicator) => ({ category, indicator })));
}

export function findIndicator(fw: Framework, code: string) {
  return listIndicators(fw).find((entry) => entry.indicator.code === code);
}

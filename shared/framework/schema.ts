import { z } from 'zod';
import { COMPARISONS, EVIDENCE_TYPES, PERIODS, type Framework } from '../domain/types.js';
import { AppError } from '../errors.js';
import { COMPUTE_OPS, LEDGER_FIELD_TYPES, type ComputeOp, type LedgerKind, type LedgerWhere, type TargetCompute } from '../ledger/types.js';

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

const whereSchema = z.record(z.string().min(1), z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]));

const computeTermSchema = z.object({
  op: z.enum(['count-distinct', 'count-rows', 'sum'] satisfies ComputeOp[]),
  field: z.string().min(1).optional(),
  where: whereSchema.optional(),
});

const computeSchema = z.object({
  ledger: z.string().min(1),
  op: z.enum(COMPUTE_OPS),
  field: z.string().min(1).optional(),
  where: whereSchema.optional(),
  numerator: computeTermSchema.optional(),
  denominator: computeTermSchema.optional(),
});

const ledgerFieldSchema = z.object({
  key: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, '字段键只能包含字母和数字'),
  label: z.string().min(1),
  aliases: z.array(z.string().min(1)).optional(),
  type: z.enum(LEDGER_FIELD_TYPES),
  values: z.array(z.object({ key: z.string().min(1), label: z.string().min(1), aliases: z.array(z.string().min(1)).optional() })).optional(),
  unit: z.string().min(1).optional(),
  required: z.boolean().optional(),
});

const ledgerSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, '台账 id 只能包含小写字母、数字和连字符'),
  title: z.string().min(1),
  aliases: z.array(z.string().min(1)).optional(),
  fields: z.array(ledgerFieldSchema).min(1),
  personKey: z.string().min(1).optional(),
  periodField: z.string().min(1).optional(),
  disjointBy: z.string().min(1).optional(),
  crossChecks: z
    .array(z.object({ ledger: z.string().min(1), where: whereSchema.optional(), mode: z.enum(['must-appear', 'must-not-appear']) }))
    .optional(),
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
  aliases: z.array(z.string().min(2)).optional(),
  compute: computeSchema.optional(),
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
  ledgers: z.array(ledgerSchema).optional(),
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
  return [...issues, ...checkLedgerReferences(fw, file)];
}

/** Ledger ids unique; every field a ledger or a target names exists, with the right type; every enum value exists. */
function checkLedgerReferences(fw: Framework, file: string): FrameworkIssue[] {
  const issues: FrameworkIssue[] = [];
  const ledgers = new Map<string, LedgerKind>();
  (fw.ledgers ?? []).forEach((ledger, li) => {
    const base = `ledgers[${li}]`;
    if (ledgers.has(ledger.id)) issues.push({ file, field: `${base}.id`, message: `台账 ${ledger.id} 重复` });
    ledgers.set(ledger.id, ledger);
    const keys = new Set<string>();
    ledger.fields.forEach((f, fi) => {
      if (keys.has(f.key)) issues.push({ file, field: `${base}.fields[${fi}].key`, message: `台账 ${ledger.id} 的字段 ${f.key} 重复` });
      keys.add(f.key);
      if (f.type === 'enum' && !f.values?.length) issues.push({ file, field: `${base}.fields[${fi}].values`, message: `枚举字段 ${f.key} 应列出取值` });
    });
    const fieldIssue = (key: string | undefined, prop: string, type?: string) => {
      if (key === undefined) return;
      const f = ledger.fields.find((x) => x.key === key);
      if (!f) issues.push({ file, field: `${base}.${prop}`, message: `台账 ${ledger.id} 没有字段 ${key}` });
      else if (type && f.type !== type) issues.push({ file, field: `${base}.${prop}`, message: `字段 ${key} 应为 ${type} 类型` });
    };
    fieldIssue(ledger.personKey, 'personKey');
    fieldIssue(ledger.periodField, 'periodField', 'date');
    fieldIssue(ledger.disjointBy, 'disjointBy', 'enum');
  });
  (fw.ledgers ?? []).forEach((ledger, li) =>
    (ledger.crossChecks ?? []).forEach((check, ci) => {
      const other = ledgers.get(check.ledger);
      const field = `ledgers[${li}].crossChecks[${ci}]`;
      if (!other) issues.push({ file, field: `${field}.ledger`, message: `引用了不存在的台账 ${check.ledger}` });
      else if (!ledger.personKey || !other.personKey) issues.push({ file, field, message: `交叉核对需要两本台账都有 personKey` });
      else issues.push(...checkWhere(other, check.where, file, `${field}.where`));
    }),
  );
  fw.categories.forEach((cat, ci) =>
    cat.indicators.forEach((ind, ii) =>
      ind.targets.forEach((t, ti) => {
        if (!t.compute) return;
        const field = `categories[${ci}].indicators[${ii}].targets[${ti}].compute`;
        issues.push(...checkCompute(ledgers, t.compute, file, ind.code, field));
      }),
    ),
  );
  return issues;
}

function checkCompute(ledgers: Map<string, LedgerKind>, c: TargetCompute, file: string, where: string, field: string): FrameworkIssue[] {
  const ledger = ledgers.get(c.ledger);
  if (!ledger) return [{ file, where, field: `${field}.ledger`, message: `引用了不存在的台账 ${c.ledger}` }];
  const issues: FrameworkIssue[] = [];
  const term = (t: { op: string; field?: string; where?: LedgerWhere }, path: string) => {
    if (t.op !== 'count-rows' && !t.field) issues.push({ file, where, field: path, message: `${t.op} 需要指定字段 field` });
    if (t.field && !ledger.fields.some((f) => f.key === t.field)) issues.push({ file, where, field: `${path}.field`, message: `台账 ${ledger.id} 没有字段 ${t.field}` });
    if (t.op === 'sum' && t.field) {
      const f = ledger.fields.find((x) => x.key === t.field);
      if (f && !['money', 'count', 'percent'].includes(f.type)) issues.push({ file, where, field: `${path}.field`, message: `字段 ${t.field} 不是数值，不能求和` });
    }
    for (const issue of checkWhere(ledger, t.where, file, `${path}.where`)) issues.push({ ...issue, where });
  };
  if (c.op === 'ratio') {
    if (!c.numerator || !c.denominator) return [{ file, where, field, message: '比例（ratio）需要 numerator 和 denominator' }];
    term(c.numerator, `${field}.numerator`);
    term(c.denominator, `${field}.denominator`);
  } else {
    term({ op: c.op, field: c.field, where: c.where }, field);
  }
  return issues;
}

function checkWhere(ledger: LedgerKind, where: LedgerWhere | undefined, file: string, path: string): FrameworkIssue[] {
  const issues: FrameworkIssue[] = [];
  for (const [key, want] of Object.entries(where ?? {})) {
    const f = ledger.fields.find((x) => x.key === key);
    if (!f || f.type !== 'enum') {
      issues.push({ file, field: `${path}.${key}`, message: `台账 ${ledger.id} 没有枚举字段 ${key}` });
      continue;
    }
    for (const value of Array.isArray(want) ? want : [want]) {
      if (!f.values?.some((v) => v.key === value)) issues.push({ file, field: `${path}.${key}`, message: `字段 ${key} 没有取值 ${value}` });
    }
  }
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

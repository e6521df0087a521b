/**
 * Ledger kinds (台账) as the framework declares them: data, not code. A kind lists its fields with the header
 * texts county offices use for them; targets say how their figure is computed from a kind's rows.
 */

export const LEDGER_FIELD_TYPES = ['text', 'id-number', 'date', 'money', 'count', 'percent', 'enum'] as const;
export type LedgerFieldType = (typeof LEDGER_FIELD_TYPES)[number];

export type LedgerEnumValue = {
  key: string;
  label: string;
  /** Cell texts that mean this value (到结对东部地区, 天津 …). */
  aliases?: string[];
};

export type LedgerField = {
  key: string;
  /** Chinese column label, e.g. 身份证号. */
  label: string;
  /** Header texts that name this column (身份证号码, 公民身份号码 …). */
  aliases?: string[];
  type: LedgerFieldType;
  values?: LedgerEnumValue[];
  /** Money fields: the unit the ledger's figures are kept in (万元 unless said). */
  unit?: string;
  required?: boolean;
};

/** People in rows that must not also be counted in another ledger (or must be there), where the framework says so. */
export type LedgerCrossCheck = {
  ledger: string;
  /** Only rows of the other ledger matching this filter. */
  where?: LedgerWhere;
  mode: 'must-appear' | 'must-not-appear';
};

export type LedgerKind = {
  id: string;
  /** 转移就业台账 */
  title: string;
  /** Title words that name this kind in a sheet name or title row (转移就业花名册 …). */
  aliases?: string[];
  fields: LedgerField[];
  /** The field that identifies a person (idNumber); duplicates and double counting are checked on it. */
  personKey?: string;
  /** The date field that must fall in the assessment period. */
  periodField?: string;
  /** An enum field whose values are disjoint parts: one person under two values is counted twice. */
  disjointBy?: string;
  crossChecks?: LedgerCrossCheck[];
};

/** A filter on enum fields: field key → value key or any of several. */
export type LedgerWhere = Record<string, string | string[]>;

export const COMPUTE_OPS = ['count-distinct', 'count-rows', 'sum', 'ratio'] as const;
export type ComputeOp = (typeof COMPUTE_OPS)[number];

/** One side of a ratio. */
export type ComputeTerm = { op: Exclude<ComputeOp, 'ratio'>; field?: string; where?: LedgerWhere };

/** How a target's figure follows from a ledger. A ratio is numerator / denominator × 100 (a percentage). */
export type TargetCompute = {
  ledger: string;
  op: ComputeOp;
  field?: string;
  where?: LedgerWhere;
  numerator?: ComputeTerm;
  denominator?: ComputeTerm;
};

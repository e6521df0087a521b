/**
 * 整改 (rectification) items: every problem a provincial check or an inspection found, tracked until it is
 * rectified and verified with evidence (seed 004 §三: "确保所有问题清零"). Pure types, shared by storage, the
 * gap analysis, the binder and the workbench.
 */
export const RECTIFICATION_STATUSES = ['open', 'rectified', 'verified'] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];

export type RectificationItem = {
  id: number;
  /** The problem as the feedback states it (问题/整改事项). */
  text: string;
  /** Where it was found: 省考核反馈, 国家考核反馈, 自查 … */
  source: string | null;
  /** Indicator code of the framework the problem belongs to. */
  indicator: string | null;
  /** 责任单位 */
  department: string | null;
  /** 整改时限, YYYY-MM-DD. */
  due: string | null;
  status: RectificationStatus;
  /** Evidence items that show it rectified (a notice, minutes, a photo, a voucher). */
  evidence: number[];
  createdAt: string;
  updatedAt: string;
  /** When it was marked rectified (kept when verified later). */
  closedAt: string | null;
};

/** What a user gives to add an item. */
export type NewRectification = { text: string; source?: string | null; indicator?: string | null; department?: string | null; due?: string | null; status?: RectificationStatus };

/** Whether the item is overdue on `today` (YYYY-MM-DD): still open after its due date. */
export function isOverdue(item: Pick<RectificationItem, 'status' | 'due'>, today: string): boolean {
  return item.status === 'open' && item.due !== null && item.due < today;
}

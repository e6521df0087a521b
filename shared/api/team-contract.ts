import { z } from 'zod';
import type { Evidence } from '../domain/types.js';
import { REVIEW_STATES } from '../domain/types.js';
import { ROLES } from '../team/roles.js';
import type { Deadline, ExportedFile, KitResult, UserRow } from '../team/types.js';

/**
 * Team mode's part of the contract (users, review, deadlines, 催报通知, collection kits, audit). Login and logout are
 * not here: they set or clear the session cookie, so the team server answers POST /api/auth.login and
 * /api/auth.logout itself.
 */
const userName = z
  .string()
  .trim()
  .min(1, '用户名不能为空')
  .max(64, '用户名最长 64 个字')
  .regex(/^[^\s/\\:*?"<>|]+$/, '用户名不能含空格和 / \\ : * ? " < > |');
const password = z.string().min(8, '密码至少 8 位').max(256);
const department = z.string().trim().min(1).max(100);
const ids = z.array(z.number().int().positive()).min(1).max(10_000);
const isoDay = z.iso.date({ message: '日期应写作 2019-10-31' });

export const teamContract = {
  'users.list': { input: z.object({}).strict(), output: [] as UserRow[] },
  'users.add': {
    input: z
      .object({ name: userName, displayName: z.string().max(100).optional(), role: z.enum(ROLES), departments: z.array(department).max(50).default([]), password })
      .strict(),
    output: {} as UserRow,
  },
  /** Role, departments, display name or disabled; a disabled user's sessions end at once. */
  'users.update': {
    input: z
      .object({
        name: userName,
        displayName: z.string().max(100).optional(),
        role: z.enum(ROLES).optional(),
        departments: z.array(department).max(50).optional(),
        disabled: z.boolean().optional(),
      })
      .strict(),
    output: {} as UserRow,
  },
  /** A new password (also lifts a lockout); the user's sessions end. */
  'users.resetPassword': { input: z.object({ name: userName, password }).strict(), output: {} as UserRow },
  /** Submissions by review state (default 待审核); a 部门 user sees only its departments'. */
  'review.list': {
    input: z.object({ state: z.enum(REVIEW_STATES).optional(), department: department.optional() }).strict(),
    output: [] as Evidence[],
  },
  /** Accepts submissions: filed as user-confirmed (into `indicator`/`requirement` when given, else where submitted). */
  'review.accept': {
    input: z.object({ ids, indicator: z.string().max(50).optional(), requirement: z.string().max(50).optional() }).strict(),
    output: [] as Evidence[],
  },
  /** Returns submissions to their department with the reason; the department sees it and uploads a replacement. */
  'review.return': { input: z.object({ ids, comment: z.string().trim().min(1, '请写明退回原因').max(2000) }).strict(), output: [] as Evidence[] },
  'deadlines.list': { input: z.object({}).strict(), output: [] as Deadline[] },
  /** Sets (or with due null removes) a department's due date, for all it owes or for one requirement. */
  'deadlines.set': {
    input: z
      .object({ department, indicator: z.string().max(50).optional(), requirement: z.string().max(50).optional(), due: isoDay.nullable() })
      .strict(),
    output: [] as Deadline[],
  },
  /** 催报通知 for one department: what it owes, by when, how to upload; DOCX or XLSX in the output folder. */
  'notices.export': {
    input: z
      .object({
        department,
        format: z.enum(['docx', 'xlsx']),
        /** 联系人及电话 printed on the notice (a blank line to fill in when absent). */
        contact: z.string().max(200).optional(),
        /** The team server's address, when departments upload there (else the notice points to a collection kit). */
        uploadAddress: z.string().max(500).optional(),
      })
      .strict(),
    output: {} as ExportedFile,
  },
  /** A collection kit for a department off the network (zip: one numbered folder per owed requirement). */
  'kits.create': { input: z.object({ department, out: z.string().min(1).max(4000).optional() }).strict(), output: {} as KitResult },
  /** The audit log (who / what / when / before → after) as XLSX in the output folder. */
  'audit.export': { input: z.object({}).strict(), output: {} as ExportedFile },
} as const;

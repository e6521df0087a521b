import type { Role } from './roles.js';

/** A team-mode account as the office sees it (never its password hash). */
export type UserRow = {
  name: string;
  /** Shown instead of the login name (e.g. 张三（县人社局）). */
  displayName?: string;
  role: Role;
  /** 部门 role: the departments it works for, as the framework names them (牵头单位). */
  departments: string[];
  disabled: boolean;
  /** ISO time until which the account is locked after 10 failed logins. */
  lockedUntil?: string;
  createdAt: string;
  lastLoginAt?: string;
};

/**
 * A due date for what a department owes: for all it owes (no requirement) or for one requirement
 * (`indicator` + `requirement` id). The most specific one applies.
 */
export type Deadline = { department: string; indicator?: string; requirement?: string; due: string };

/** A file of a returned collection kit that was not in a requirement's folder, or could not be taken in. */
export type KitProblem = { member: string; reason: string };

/** What `binder import` / a workbench drop of a collection kit did, beside the usual import report. */
export type KitImport = { kitId: string; department: string; filed: number; problems: KitProblem[] };

export type KitResult = { path: string; url: string; kitId: string; department: string; folders: number };

export type ExportedFile = { path: string; url: string };

/**
 * The one error class for failures the user is meant to read. Its message is a Chinese sentence that says what
 * to do; its code is what programs (the workbench, the CLI's --json, tests) branch on. dispatch() passes these
 * through unchanged and reports anything else as `internal`, so no layer has to match error names.
 */
export const ERROR_CODES = [
  /** A value the user gave is wrong (date, indicator code, title …), found by the backend. */
  'usage',
  /** The contract's input schema refused the call. */
  'invalid-input',
  'unknown-method',
  'not-found',
  'exists',
  'not-empty',
  'corrupt',
  /** A framework file (template or the workspace's copy) is invalid. */
  'framework',
  /** The workspace was written by a newer version of the program and is left untouched. */
  'newer-version',
  /** The PostgreSQL server that holds the workspace's metadata cannot be reached; nothing was changed. */
  'database-unreachable',
  'no-workspace',
  'cancelled',
  /** Needs a team server (accounts): e.g. managing users on the desktop. */
  'team-only',
  /** A returned collection kit that is tampered with, foreign or unknown: nothing was stored. */
  'kit-refused',
  /** Anything not raised as an AppError: a defect or an unexpected system failure. */
  'internal',
  // Raised between the workbench and the backend (browser host, Electron IPC), never by handlers.
  'bad-json',
  /** A call named another workspace than the one the browser host serves now (another tab switched it). */
  'workspace-changed',
  'too-large',
  'http',
  'offline',
  'unauthorized',
  'forbidden',
  /** Team mode: the account is locked after too many wrong passwords (the message says until when). */
  'locked',
  'bad-response',
  'ipc',
  /** The Electron backend process did not answer. */
  'backend',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }
}

/** Our own errors cross as they are; anything else is reported as `internal`, without a stack trace. */
export function toApiError(error: unknown): { code: ErrorCode; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `操作失败：${message}` };
}

import type { z } from 'zod';
import { contract, isMethod, type ApiResult, type InputOf, type Method, type OutputOf } from '../../../shared/api/contract.js';

export type ApiHandlers = { [M in Method]: (input: z.output<(typeof contract)[M]['input']>) => Promise<OutputOf<M>> | OutputOf<M> };

/** An error meant for the user: its message is shown as is (Chinese, says what to do). */
export class UserError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '参数'}：${issue.message}`)
    .join('；');
}

/**
 * Checks the method, validates the input against the contract, calls the handler, and returns the result as
 * data: errors cross process boundaries as {code, message} (Electron's invoke would keep only the message).
 */
export async function dispatch(handlers: ApiHandlers, method: string, input: unknown): Promise<ApiResult<unknown>> {
  if (!isMethod(method)) return { ok: false, error: { code: 'unknown-method', message: `未知的接口：${method}` } };
  const parsed = contract[method].input.safeParse(input ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid-input', message: `参数不正确：${describeZodError(parsed.error)}` } };
  }
  try {
    const handler = handlers[method] as (input: unknown) => Promise<unknown> | unknown;
    return { ok: true, data: await handler(parsed.data) };
  } catch (error) {
    const err = error as Error & { code?: unknown };
    const code = typeof err.code === 'string' ? err.code : 'internal';
    // Errors from our own code carry Chinese messages; anything else is reported without a stack trace.
    const message = err.name === 'WorkspaceError' || err instanceof UserError || err.name === 'FrameworkError' || err.name === 'WorkspaceVersionError' || err.name === 'DatabaseUnreachableError'
      ? err.message
      : `操作失败：${err.message || String(error)}`;
    return { ok: false, error: { code, message } };
  }
}

export type { InputOf };

import type { z } from 'zod';
import { toApiError } from '../../../shared/errors.js';
import type { CallContext } from '../../../shared/team/roles.js';
import { runAs } from '../team/actor.js';
import { contract, isMethod, type ApiResult, type InputOf, type Method, type OutputOf } from '../../../shared/api/contract.js';

/** A handler gets the validated input and who calls (team mode); desktop and CLI calls carry no actor. */
export type ApiHandlers = {
  [M in Method]: (input: z.output<(typeof contract)[M]['input']>, ctx: CallContext) => Promise<OutputOf<M>> | OutputOf<M>;
};

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
export async function dispatch(handlers: ApiHandlers, method: string, input: unknown, ctx: CallContext = {}): Promise<ApiResult<unknown>> {
  if (!isMethod(method)) return { ok: false, error: { code: 'unknown-method', message: `未知的接口：${method}` } };
  const parsed = contract[method].input.safeParse(input ?? {});
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid-input', message: `参数不正确：${describeZodError(parsed.error)}` } };
  }
  try {
    const handler = handlers[method] as (input: unknown, ctx: CallContext) => Promise<unknown> | unknown;
    // History rows written during the call name its actor (electron/backend/team/actor.ts).
    return { ok: true, data: await runAs(ctx.actor, async () => handler(parsed.data, ctx)) };
  } catch (error) {
    return { ok: false, error: toApiError(error) };
  }
}

export { toApiError };

export type { InputOf };

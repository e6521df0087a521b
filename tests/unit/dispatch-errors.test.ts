import { describe, expect, it } from 'vitest';
import { dispatch, type ApiHandlers } from '../../electron/backend/api/dispatch.js';
import { DatabaseUnreachableError, WorkspaceVersionError } from '../../electron/backend/db/connection.js';
import { loadTemplate } from '../../electron/backend/templates.js';
import { WorkspaceError } from '../../electron/backend/workspace/workspace.js';
import { AppError } from '../../shared/errors.js';
import { FrameworkError } from '../../shared/framework/schema.js';

/** Handlers whose templates.list throws what the test gives it; dispatch only calls that one method. */
function throwing(error: unknown): ApiHandlers {
  const partial: Partial<ApiHandlers> = {
    'templates.list': () => {
      throw error;
    },
  };
  return partial as ApiHandlers;
}

describe('dispatch error mapping', () => {
  it('passes every AppError (and its subclasses) through with its code and Chinese message', async () => {
    const cases: [unknown, string][] = [
      [new AppError('no-workspace', '还没有打开工作区。'), 'no-workspace'],
      [new WorkspaceError('usage', '日期“2019-13-45”无效'), 'usage'],
      [new WorkspaceVersionError(99), 'newer-version'],
      [new DatabaseUnreachableError('postgres://binder@127.0.0.1:1/evidence', new Error('connect ECONNREFUSED')), 'database-unreachable'],
      [new FrameworkError([{ file: 'x.json', field: 'id', message: '不能为空' }]), 'framework'],
    ];
    for (const [error, code] of cases) {
      const r = await dispatch(throwing(error), 'templates.list', {});
      expect(r).toEqual({ ok: false, error: { code, message: (error as Error).message } });
    }
  });

  it('reports an unknown template as not-found with the list of templates', async () => {
    let thrown: unknown;
    try {
      loadTemplate('nosuch');
    } catch (error) {
      thrown = error;
    }
    const r = await dispatch(throwing(thrown), 'templates.list', {});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('not-found');
      expect(r.error.message).toMatch(/未找到考核框架模板“nosuch”。可用的模板：east-west-2017、east-west-2021/);
    }
  });

  it('does not trust an error by its name: anything else is internal and says the operation failed', async () => {
    const impostor = Object.assign(new Error('disk I/O error'), { name: 'WorkspaceError', code: 'usage' });
    const r = await dispatch(throwing(impostor), 'templates.list', {});
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: '操作失败：disk I/O error' } });
  });
});

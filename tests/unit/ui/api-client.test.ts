// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { ApiCallError, TOKEN_INVALID_MESSAGE, createApiClient, httpTransport, takeTokenFromLocation } from '../../../renderer/api/client.js';

describe('API client', () => {
  it('turns {ok:false} into an error carrying the Chinese message and code', async () => {
    const client = createApiClient(async () => ({ ok: false, error: { code: 'no-workspace', message: '还没有打开工作区。请先新建或打开一个工作区。' } }));
    const failure = await client.call('evidence.list', {}).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiCallError);
    expect((failure as ApiCallError).message).toBe('还没有打开工作区。请先新建或打开一个工作区。');
    expect((failure as ApiCallError).code).toBe('no-workspace');
  });

  it('returns data on {ok:true} and posts the input to /api/<method> with the token header', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return new Response(JSON.stringify({ ok: true, data: [3, 5] }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    }) as unknown as typeof fetch;
    const client = createApiClient(httpTransport('secret-token', fakeFetch));
    expect(await client.call('evidence.search', { query: '挂职' })).toEqual([3, 5]);
    expect(seen[0].url).toBe('/api/evidence.search');
    expect(JSON.parse(String(seen[0].init.body))).toEqual({ query: '挂职' });
    expect((seen[0].init.headers as Record<string, string>)['X-Binder-Token']).toBe('secret-token');
  });

  it('names the shown workspace on every call that acts on one, and reports a refusal for another workspace', async () => {
    const seen: Record<string, string | undefined> = {};
    const fakeFetch = (async (url: string, init: RequestInit) => {
      seen[url] = (init.headers as Record<string, string>)['X-Binder-Workspace'];
      if (url.endsWith('evidence.update')) {
        return new Response(JSON.stringify({ ok: false, error: { code: 'workspace-changed', message: '这个页面上的工作区已被其他窗口切换' } }), { status: 409 });
      }
      return new Response(JSON.stringify({ ok: true, data: {} }), { status: 200 });
    }) as unknown as typeof fetch;
    const client = createApiClient(httpTransport('t', fakeFetch));
    let reloads = 0;
    client.onWorkspaceChanged(() => reloads++);
    client.setWorkspace('/data/青山县 2019');
    await client.call('session.state', {});
    await client.call('evidence.list', {});
    expect(seen['/api/session.state']).toBeUndefined();
    expect(decodeURIComponent(seen['/api/evidence.list']!)).toBe('/data/青山县 2019');
    // Header values must be ASCII: the Chinese folder name travels percent-encoded.
    expect(seen['/api/evidence.list']).toMatch(/^[\x20-\x7e]+$/);
    await expect(client.call('evidence.update', { ids: [1], patch: { title: 'x' } })).rejects.toThrow('已被其他窗口切换');
    expect(reloads).toBe(1);
  });

  it('explains a missing or wrong token (HTTP 401/403) in Chinese', async () => {
    for (const status of [401, 403]) {
      const fakeFetch = (async () => new Response('no', { status })) as unknown as typeof fetch;
      const client = createApiClient(httpTransport('wrong', fakeFetch));
      await expect(client.call('session.state', {})).rejects.toThrow(TOKEN_INVALID_MESSAGE);
    }
  });

  it('reports an unreachable host as a sentence, not a stack trace', async () => {
    const fakeFetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    await expect(createApiClient(httpTransport('t', fakeFetch)).call('session.state', {})).rejects.toThrow('无法连接到本机服务。请确认程序仍在运行，然后刷新页面。');
  });

  it('takes the token from the address, keeps it for the tab and removes it from the visible URL', () => {
    window.history.replaceState(null, '', '/?token=abc123&x=1');
    expect(takeTokenFromLocation()).toBe('abc123');
    expect(window.location.search).toBe('?x=1');
    expect(takeTokenFromLocation()).toBe('abc123');
  });
});

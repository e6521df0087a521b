import { createContext, createElement, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { InputOf, JobState, Method, OutputOf } from '../../shared/api/contract.js';
import { useI18n } from '../i18n.js';
import { ApiCallError, errorMessage, type ApiClient } from './client.js';

/** Kinds of data a screen shows; a mutation names the kinds it changes so only those are fetched again. */
export type Tag = 'session' | 'workspace' | 'evidence' | 'gaps' | 'targets' | 'history' | 'trash' | 'system' | 'outputs' | 'rectification' | 'ledgers';

const ApiContext = createContext<ApiClient | null>(null);

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return createElement(ApiContext.Provider, { value: client }, children);
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('ApiProvider missing');
  return client;
}

const listeners = new Map<Tag, Set<() => void>>();

export function invalidate(...tags: Tag[]): void {
  const seen = new Set<() => void>();
  for (const tag of tags) {
    for (const fn of listeners.get(tag) ?? []) {
      if (seen.has(fn)) continue;
      seen.add(fn);
      fn();
    }
  }
}

function subscribe(tags: readonly Tag[], fn: () => void): () => void {
  for (const tag of tags) {
    if (!listeners.has(tag)) listeners.set(tag, new Set());
    listeners.get(tag)!.add(fn);
  }
  return () => tags.forEach((tag) => listeners.get(tag)?.delete(fn));
}

/** `errorCode`: the failure's code (e.g. 'unauthorized' on a team server without a session), beside its sentence. */
export type Query<T> = { data: T | undefined; error: string | null; errorCode: string | null; loading: boolean; reload: () => void };

/**
 * Fetches one method's result and fetches it again whenever one of `tags` is invalidated. Keeps the previous
 * data while reloading so lists do not flicker after every edit.
 */
export function useQuery<M extends Method>(method: M, input: InputOf<M>, tags: readonly Tag[], enabled = true): Query<OutputOf<M>> {
  const api = useApi();
  const { lang } = useI18n();
  const [data, setData] = useState<OutputOf<M> | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const key = JSON.stringify(input);
  // Loading = the last answer is for another request than the one wanted now.
  const [settled, setSettled] = useState<string | null>(null);
  const wanted = `${method}|${key}|${version}`;
  const tagKey = tags.join(',');
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => subscribe(tagKey.split(',') as Tag[], reload), [tagKey, reload]);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const request = `${method}|${key}|${version}`;
    api.call(method, JSON.parse(key) as InputOf<M>).then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(null);
        setErrorCode(null);
        setSettled(request);
      },
      (err: unknown) => {
        if (!live) return;
        setError(errorMessage(err, lang));
        setErrorCode(err instanceof ApiCallError ? err.code : null);
        setSettled(request);
      },
    );
    return () => {
      live = false;
    };
  }, [api, method, key, version, enabled, lang]);

  return { data, error, errorCode, loading: enabled && settled !== wanted, reload };
}

// ---- notifications ----------------------------------------------------------------------------------

export type Notice = { id: number; kind: 'error' | 'info' | 'success'; text: string };
type NotifyApi = { notify: (kind: Notice['kind'], text: string) => void };
const NotifyContext = createContext<NotifyApi>({ notify: () => undefined });

let nextNoticeId = 1;

export function NotifyProvider({ children, onNotices }: { children: ReactNode; onNotices: (fn: (list: Notice[]) => Notice[]) => void }) {
  const notify = useCallback(
    (kind: Notice['kind'], text: string) => {
      const id = nextNoticeId++;
      onNotices((list) => [...list.slice(-3), { id, kind, text }]);
      // Errors stay until dismissed: the user must be able to read what to do.
      if (kind !== 'error') setTimeout(() => onNotices((list) => list.filter((n) => n.id !== id)), 5000);
    },
    [onNotices],
  );
  return createElement(NotifyContext.Provider, { value: { notify } }, children);
}

export function useNotify(): NotifyApi['notify'] {
  return useContext(NotifyContext).notify;
}

/**
 * Calls a method that changes something, reports a failure as a sentence, and refreshes the named kinds
 * of data. Returns undefined when the call failed (already reported).
 */
export function useAction() {
  const api = useApi();
  const { lang } = useI18n();
  const notify = useNotify();
  return useCallback(
    async <M extends Method>(method: M, input: InputOf<M>, options: { invalidates?: Tag[]; success?: string } = {}): Promise<OutputOf<M> | undefined> => {
      try {
        const result = await api.call(method, input);
        if (options.invalidates?.length) invalidate(...options.invalidates);
        if (options.success) notify('success', options.success);
        return result;
      } catch (error) {
        notify('error', errorMessage(error, lang));
        return undefined;
      }
    },
    [api, lang, notify],
  );
}

// ---- long jobs ---------------------------------------------------------------------------------------

export const JOB_POLL_MS = 300;

/** Follows one job (import, build) by polling `jobs.get`; `cancel` asks the backend to stop it. */
export function useJob(onFinished?: (job: JobState) => void) {
  const api = useApi();
  const { lang } = useI18n();
  const [job, setJob] = useState<JobState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = useRef<string | null>(null);
  const finished = useRef(onFinished);
  useEffect(() => {
    finished.current = onFinished;
  });

  useEffect(() => () => void (current.current = null), []);

  const follow = useCallback(
    (jobId: string) => {
      current.current = jobId;
      setError(null);
      const poll = async () => {
        if (current.current !== jobId) return;
        try {
          const state = await api.call('jobs.get', { id: jobId });
          if (current.current !== jobId) return;
          setJob(state);
          if (state.state === 'running') setTimeout(poll, JOB_POLL_MS);
          else finished.current?.(state);
        } catch (err) {
          setError(errorMessage(err, lang));
        }
      };
      void poll();
    },
    [api, lang],
  );

  const cancel = useCallback(async () => {
    if (!current.current) return;
    try {
      await api.call('jobs.cancel', { id: current.current });
    } catch (err) {
      setError(errorMessage(err, lang));
    }
  }, [api, lang]);

  const reset = useCallback(() => {
    current.current = null;
    setJob(null);
  }, []);

  return { job, error, follow, cancel, reset };
}

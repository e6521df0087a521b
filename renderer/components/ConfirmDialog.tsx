import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n.js';

export type ConfirmRequest = {
  title: string;
  message: string;
  /** Label of the button that goes ahead, e.g. “移到回收站（200 件）”. */
  confirm: string;
  danger?: boolean;
};

type Pending = ConfirmRequest & { resolve: (ok: boolean) => void };

const ConfirmContext = createContext<(request: ConfirmRequest) => Promise<boolean>>(async () => false);

/**
 * Asks before an action that changes many items at once. An in-page dialog rather than window.confirm: it
 * does not block the page (uploads and progress keep running), reads in the app's language and can be tested.
 */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Pending | null>(null);
  const ask = useCallback((request: ConfirmRequest) => new Promise<boolean>((resolve) => setPending({ ...request, resolve })), []);
  const close = (ok: boolean) => {
    pending?.resolve(ok);
    setPending(null);
  };
  return (
    <ConfirmContext.Provider value={ask}>
      {children}
      {pending && <Dialog request={pending} onClose={close} />}
    </ConfirmContext.Provider>
  );
}

function Dialog({ request, onClose }: { request: ConfirmRequest; onClose: (ok: boolean) => void }) {
  const { t } = useI18n();
  const cancelRef = useRef<HTMLButtonElement>(null);
  // Focus starts on 取消: an Enter or Delete pressed out of habit must not complete a destructive action.
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose(false)}>
      <div className="modal" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-message">
        <h2 id="confirm-title">{request.title}</h2>
        <p id="confirm-message">{request.message}</p>
        <div className="modal-actions">
          <button type="button" ref={cancelRef} onClick={() => onClose(false)}>
            {t('取消')}
          </button>
          <button type="button" className={request.danger ? 'danger' : 'primary'} onClick={() => onClose(true)}>
            {request.confirm}
          </button>
        </div>
      </div>
    </div>
  );
}

export function useConfirm(): (request: ConfirmRequest) => Promise<boolean> {
  return useContext(ConfirmContext);
}

/**
 * Items whose current value a batch edit would replace with a different one, for the warning before applying:
 * {count, examples} of distinct old values (at most three shown).
 */
export function overwrittenValues<T>(items: T[], current: (item: T) => string | null | undefined, next: string): { count: number; examples: string[] } {
  const old = items.map(current).filter((v): v is string => !!v && v !== next);
  return { count: old.length, examples: [...new Set(old)].slice(0, 3) };
}

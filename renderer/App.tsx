import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { getBridge, type MenuCommand } from './api/bridge.js';
import type { SessionState, WorkspaceInfo } from '../shared/api/contract.js';
import { NotifyProvider, invalidate, useAction, useApi, useNotify, useQuery, type Notice } from './api/hooks.js';
import { ConfirmProvider } from './components/ConfirmDialog.js';
import type { ImportRequest } from './components/Importer.js';
import { WorkspaceDataProvider, type Focus } from './data.js';
import { useI18n, type MessageKey } from './i18n.js';
import { BuildScreen } from './screens/BuildScreen.js';
import { DepartmentScreen } from './screens/DepartmentScreen.js';
import { rememberDepartment } from './screens/departmentView.js';
import { EvidenceScreen } from './screens/EvidenceScreen.js';
import { FindingsScreen, presetFindings } from './screens/FindingsScreen.js';
import { IndicatorsScreen } from './screens/IndicatorsScreen.js';
import { OverviewScreen } from './screens/OverviewScreen.js';
import { RectificationScreen } from './screens/RectificationScreen.js';
import { SettingsScreen } from './screens/SettingsScreen.js';
import { StartScreen } from './screens/StartScreen.js';
import { LoginScreen } from './screens/LoginScreen.js';
import { ReviewScreen } from './screens/ReviewScreen.js';
import { AccountsScreen } from './screens/AccountsScreen.js';
import { tabsFor, type Tab } from './screens/teamTabs.js';
import { ROLE_NAME } from '../shared/team/roles.js';
import { explainHistory } from '../shared/history/words.js';

const TAB_LABEL: Record<Tab, MessageKey> = {
  overview: '总览',
  indicators: '指标',
  evidence: '材料库',
  findings: '问题清单',
  rectification: '整改清单',
  department: '按单位查看',
  build: '生成',
  settings: '设置',
  review: '审核',
  accounts: '账号',
};

/** Subscribes to the Electron menu (absent in the browser host); the latest handler is always used. */
function useMenuCommands(handler: (command: MenuCommand) => void): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => getBridge()?.onMenuCommand?.((command) => latest.current(command)), []);
}

export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** `login`: a page served without a token by a browser host is a team server's: without a session it asks to log in. */
export function App({ login = false }: { login?: boolean }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const update = useCallback((fn: (list: Notice[]) => Notice[]) => setNotices(fn), []);
  return (
    <NotifyProvider onNotices={update}>
      <ConfirmProvider>
        <Root login={login} />
      </ConfirmProvider>
      <Notices notices={notices} onDismiss={(id) => setNotices((list) => list.filter((n) => n.id !== id))} />
    </NotifyProvider>
  );
}

function Notices({ notices, onDismiss }: { notices: Notice[]; onDismiss: (id: number) => void }) {
  const { t } = useI18n();
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice notice-${n.kind}`} role={n.kind === 'error' ? 'alert' : undefined}>
          <span>{n.text}</span>
          <button type="button" className="link" onClick={() => onDismiss(n.id)} aria-label={t('关闭')}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

function Root({ login }: { login: boolean }) {
  const { t } = useI18n();
  const api = useApi();
  const session = useQuery('session.state', {}, ['session']);
  const [switching, setSwitching] = useState(false);
  // The folder just opened, until the session shows it: until then the workbench would still be the previous
  // workspace's, and a click there would be lost when it is replaced.
  const [opening, setOpening] = useState<string | null>(null);
  const notify = useNotify();
  const shownDir = session.data?.workspace?.dir ?? null;
  // Adjusted while rendering (React's pattern for state that follows other data): the session now shows it.
  if (opening !== null && shownDir === opening) setOpening(null);
  // Layout effect: runs before the screens' data effects, so their first calls already name this workspace.
  useLayoutEffect(() => api.setWorkspace(shownDir), [api, shownDir]);
  useEffect(
    () =>
      api.onWorkspaceChanged((reason) => {
        // A refused call has already reported its own sentence; a switch seen on the event stream has not.
        if (reason === 'switched') notify('info', t('另一个窗口切换了工作区，本页已重新载入当前工作区。'));
        // Only the session: the screens remount for the new folder (keyed below) and fetch for it. Refetching
        // their data here would name the old folder again and be refused again.
        invalidate('session');
      }),
    [api, notify, t],
  );
  const workbenchShown = !!session.data?.workspace && !switching;
  // The workbench handles the other commands itself; here only what works without an open workspace.
  useMenuCommands((command) => {
    if (command === 'new-workspace') setSwitching(true);
    else if (!workbenchShown) notify('info', t('请先新建或打开一个工作区。'));
  });
  if (login && session.errorCode === 'unauthorized') return <LoginScreen />;
  if (!session.data) {
    return (
      <div className="center-page">
        {session.error ? (
          <div className="error-box" role="alert">
            <h2>{t('无法打开工作台')}</h2>
            <p>{session.error}</p>
          </div>
        ) : (
          <p className="muted">{t('正在连接…')}</p>
        )}
      </div>
    );
  }
  const ws = session.data.workspace;
  // A team server serves one fixed workspace: there is nothing to switch to.
  if (!ws || ((switching || opening !== null) && !session.data.team)) {
    return (
      <StartScreen
        session={session.data}
        onOpened={(opened) => {
          invalidate('session', 'evidence', 'gaps', 'targets', 'history', 'trash');
          setSwitching(false);
          if (opened.dir !== shownDir) setOpening(opened.dir);
        }}
        onCancel={ws ? () => setSwitching(false) : undefined}
      />
    );
  }
  return (
    // Keyed by folder: nothing typed or selected in one workspace survives into another.
    <WorkspaceDataProvider key={ws.dir} info={ws}>
      <Workbench info={ws} session={session.data} onSwitch={() => setSwitching(true)} />
    </WorkspaceDataProvider>
  );
}

function Workbench({ info, session, onSwitch }: { info: WorkspaceInfo; session: SessionState; onSwitch: () => void }) {
  const { t, lang, setLang } = useI18n();
  const api = useApi();
  const host = session.host;
  const tabs = tabsFor(session);
  const [chosen, setTab] = useState<Tab>(tabs[0]!);
  // A role that lost a screen (or a focus aimed at one it does not have) lands on its first screen.
  const tab = tabs.includes(chosen) ? chosen : tabs[0]!;
  const [focus, setFocus] = useState<Focus | null>(null);
  const [importRequest, setImportRequest] = useState<ImportRequest | null>(null);
  const act = useAction();
  const notify = useNotify();

  const undoable = useQuery('history.undoable', {}, ['history', 'evidence', 'trash']);
  const undo = useCallback(async () => {
    const result = await act('filing.undo', {}, { invalidates: ['evidence', 'gaps', 'history', 'trash', 'session', 'targets', 'rectification', 'ledgers'] });
    // The backend words what it undid in Chinese from the shared phrase table; English mode says the same in English.
    if (result) notify('info', !result.message ? t('没有可以撤销的操作。') : explainHistory(result.message, lang));
  }, [act, notify, t, lang]);
  const next = undoable.data?.next;
  const undoTitle = !next ? t('没有可以撤销的操作。') : t('撤销：{what}（Ctrl+Z）', { what: explainHistory(next, lang) });

  // Plain tab switches carry no target, so a screen does not jump back to an old finding's item.
  const switchTab = useCallback((next: Tab) => {
    setFocus(null);
    setTab(next);
  }, [setTab]);

  const go = useCallback((next: Focus) => {
    setFocus(next);
    setTab(next.tab);
  }, [setTab]);

  const showDepartment = useCallback(
    (department: string) => {
      rememberDepartment(department);
      switchTab('department');
    },
    [switchTab],
  );

  useMenuCommands((command) => {
    switch (command) {
      case 'import-files':
      case 'import-folder':
        switchTab('evidence');
        setImportRequest((prev) => ({ kind: command === 'import-files' ? 'files' : 'folder', seq: (prev?.seq ?? 0) + 1 }));
        break;
      case 'build':
        switchTab('build');
        break;
      case 'undo':
        void undo();
        break;
      case 'new-workspace':
        break; // handled by Root (start screen)
    }
  });

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey && !event.ctrlKey && /^[1-9]$/.test(event.key)) {
        const next = tabs[Number(event.key) - 1];
        if (!next) return;
        event.preventDefault();
        switchTab(next);
        return;
      }
      if ((event.ctrlKey || event.metaKey) && !event.shiftKey && event.key.toLowerCase() === 'z' && !isTypingTarget(event.target)) {
        event.preventDefault();
        void undo();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo, switchTab, tabs]);

  let screen: ReactNode;
  switch (tab) {
    case 'overview':
      screen = (
        <OverviewScreen
          onGo={go}
          onDepartment={showDepartment}
          onFindings={(severity) => {
            presetFindings(severity);
            switchTab('findings');
          }}
        />
      );
      break;
    case 'indicators':
      screen = <IndicatorsScreen focus={focus?.tab === 'indicators' ? focus : null} onGo={go} />;
      break;
    case 'evidence':
      screen = <EvidenceScreen focus={focus?.tab === 'evidence' ? focus : null} onBack={switchTab} importRequest={importRequest} />;
      break;
    case 'findings':
      screen = <FindingsScreen onGo={go} />;
      break;
    case 'rectification':
      screen = <RectificationScreen />;
      break;
    case 'department':
      screen = <DepartmentScreen onGo={go} user={session.user} />;
      break;
    case 'build':
      screen = <BuildScreen host={host} reviewOnly={session.user?.role === 'leader'} />;
      break;
    case 'settings':
      screen = <SettingsScreen onSwitch={session.team ? undefined : onSwitch} />;
      break;
    case 'review':
      screen = <ReviewScreen onGo={go} />;
      break;
    case 'accounts':
      screen = <AccountsScreen />;
      break;
  }
  const logout = async () => {
    try {
      await api.auth?.logout();
    } finally {
      // Everything on the page was this user's: start again from the login screen.
      window.location.reload();
    }
  };

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand" title={info.dir}>
          <strong>{t('佐证材料汇编')}</strong>
          <span className="ws-title">{info.settings.title}</span>
        </div>
        <nav className="tabs" role="tablist" aria-label={t('功能')}>
          {tabs.map((id, i) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={tab === id}
              className={tab === id ? 'tab active' : 'tab'}
              onClick={() => switchTab(id)}
              title={`Alt+${i + 1}`}
            >
              {t(TAB_LABEL[id])}
            </button>
          ))}
        </nav>
        <div className="topbar-tools">
          {session.user && (
            <span className="user-badge" data-testid="user-badge" title={session.user.departments.join('、')}>
              {session.user.displayName ?? session.user.name}
              <span className="muted small">（{ROLE_NAME[session.user.role][lang]}）</span>
              <button type="button" className="link" onClick={() => void logout()}>
                {t('退出')}
              </button>
            </span>
          )}
          <button type="button" onClick={() => void undo()} title={undoTitle} data-testid="undo">
            ↶ {t('撤销')}
          </button>
          <button type="button" className="lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')} aria-label={t('切换语言')}>
            {lang === 'zh' ? 'English' : '中文'}
          </button>
        </div>
      </header>
      {/* Keyed by tab: each screen starts at the top instead of inheriting the last screen's scroll. */}
      <main key={tab} className="screen" role="tabpanel" aria-label={t(TAB_LABEL[tab])}>
        {screen}
      </main>
    </div>
  );
}

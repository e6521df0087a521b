import { useState, type FormEvent } from 'react';
import type { SessionState, WorkspaceInfo } from '../../shared/api/contract.js';
import { getBridge } from '../api/bridge.js';
import { useAction, useQuery } from '../api/hooks.js';
import { DateInput } from '../components/DateInput.js';
import { useI18n } from '../i18n.js';

const ISO = /^\d{4}-\d{2}-\d{2}$/;

export function StartScreen({ session, onOpened, onCancel }: { session: SessionState; onOpened: (opened: WorkspaceInfo) => void; onCancel?: () => void }) {
  const { t, lang, setLang } = useI18n();
  const templates = useQuery('templates.list', {}, []);
  const act = useAction();
  const bridge = getBridge();
  const year = new Date().getFullYear() - 1;
  const [templateId, setTemplateId] = useState('');
  const [title, setTitle] = useState('');
  const [unit, setUnit] = useState('');
  const [periodStart, setStart] = useState(`${year}-01-01`);
  const [periodEnd, setEnd] = useState(`${year}-12-31`);
  const [dir, setDir] = useState('');
  const [openDir, setOpenDir] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const chosenTemplate = templateId || templates.data?.[0]?.id || '';

  const run = async (label: string, action: () => Promise<WorkspaceInfo | undefined>) => {
    setBusy(label);
    const opened = await action();
    setBusy(null);
    if (opened) onOpened(opened);
  };

  const create = (event: FormEvent) => {
    event.preventDefault();
    if (!dir.trim()) return setFormError(t('请填写工作区文件夹的位置。'));
    if (!ISO.test(periodStart) || !ISO.test(periodEnd)) return setFormError(t('考核期应为 YYYY-MM-DD，例如 2019-01-01。'));
    if (periodStart > periodEnd) return setFormError(t('考核期的开始日期晚于结束日期，请检查。'));
    setFormError(null);
    void run('create', () =>
      act('workspace.create', {
        dir: dir.trim(),
        templateId: chosenTemplate,
        ...(title.trim() ? { title: title.trim() } : {}),
        ...(unit.trim() ? { unit: unit.trim() } : {}),
        periodStart,
        periodEnd,
      }),
    );
  };

  const pick = async (set: (v: string) => void) => {
    const chosen = await bridge?.pickFolder();
    if (chosen) set(chosen);
  };

  return (
    <div className="start">
      <header className="start-head">
        <h1>{t('佐证材料汇编')}</h1>
        <p className="muted">{t('东西部协作考核 · 迎检资料整理、查缺补漏、一键装订')}</p>
        <div className="start-tools">
          {onCancel && (
            <button type="button" onClick={onCancel}>
              {t('返回当前工作区')}
            </button>
          )}
          <button type="button" className="lang" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {lang === 'zh' ? 'English' : '中文'}
          </button>
        </div>
      </header>
      <div className="start-grid">
        <form className="card" onSubmit={create} aria-labelledby="create-title">
          <h2 id="create-title">{t('新建工作区')}</h2>
          <label>
            {t('考核框架')}
            <select value={chosenTemplate} onChange={(e) => setTemplateId(e.target.value)} name="template">
              {(templates.data ?? []).map((tpl) => (
                <option key={tpl.id} value={tpl.id}>
                  {tpl.title}
                  {tpl.years ? `（${tpl.years}）` : ''} · {t('{n} 项指标', { n: tpl.indicators })}
                </option>
              ))}
            </select>
          </label>
          {templates.error && <p className="error-text">{templates.error}</p>}
          <label>
            {t('标题')}
            <input value={title} onChange={(e) => setTitle(e.target.value)} name="title" placeholder={t('例如：2019 年东西部扶贫协作考核佐证材料')} />
          </label>
          <label>
            {t('编制单位')}
            <input value={unit} onChange={(e) => setUnit(e.target.value)} name="unit" placeholder={t('例如：某某县东西部协作办公室')} />
          </label>
          <div className="row2">
            <label>
              {t('考核期开始')}
              <DateInput value={periodStart} onChange={(v) => setStart(v)} name="periodStart" />
            </label>
            <label>
              {t('考核期结束')}
              <DateInput value={periodEnd} onChange={(v) => setEnd(v)} name="periodEnd" />
            </label>
          </div>
          <label>
            {t('工作区文件夹')}
            <span className="input-with-button">
              <input value={dir} onChange={(e) => setDir(e.target.value)} name="dir" placeholder={t('例如：D:\\迎检资料\\2019')} />
              {bridge && (
                <button type="button" onClick={() => void pick(setDir)}>
                  {t('选择…')}
                </button>
              )}
            </span>
          </label>
          {formError && (
            <p className="error-text" role="alert">
              {formError}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy !== null || !chosenTemplate}>
            {busy === 'create' ? t('正在创建…') : t('创建工作区')}
          </button>
        </form>
        <div className="stack">
          <form
            className="card"
            onSubmit={(e) => {
              e.preventDefault();
              if (openDir.trim()) void run('open', () => act('workspace.open', { dir: openDir.trim() }));
            }}
          >
            <h2>{t('打开工作区')}</h2>
            <span className="input-with-button">
              <input value={openDir} onChange={(e) => setOpenDir(e.target.value)} name="openDir" aria-label={t('工作区文件夹')} placeholder={t('工作区文件夹')} />
              {bridge && (
                <button type="button" onClick={() => void pick(setOpenDir)}>
                  {t('选择…')}
                </button>
              )}
            </span>
            <button type="submit" disabled={busy !== null || !openDir.trim()}>
              {busy === 'open' ? t('正在打开…') : t('打开')}
            </button>
          </form>
          <div className="card">
            <h2>{t('最近使用')}</h2>
            {session.recent.length === 0 && <p className="muted">{t('还没有最近使用的工作区。')}</p>}
            <ul className="recent">
              {session.recent.map((r) => (
                <li key={r.dir}>
                  <button type="button" className="link" onClick={() => void run('open', () => act('workspace.open', { dir: r.dir }))}>
                    <strong>{r.title}</strong>
                    <span className="muted small">{r.dir}</span>
                  </button>
                </li>
              ))}
            </ul>
          </div>
          <div className="card">
            <h2>{t('先看看示例')}</h2>
            <p className="muted">{t('示例工作区含一个县的模拟材料，可以随意修改，不影响真实数据。')}</p>
            <button type="button" disabled={busy !== null} onClick={() => void run('demo', () => act('workspace.openDemo', {}))}>
              {busy === 'demo' ? t('正在准备示例…') : t('打开示例工作区')}
            </button>
          </div>
        </div>
      </div>
      <p className="muted small footer-note">
        {t('版本')} {session.version} · {session.host === 'electron' ? t('桌面版') : t('浏览器版（仅本机访问）')}
      </p>
    </div>
  );
}

import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { isOverdue, type RectificationItem } from '../../shared/rectification/types.js';
import { RECTIFICATION_COLUMNS, RECTIFICATION_STATUS } from '../../shared/vocabulary.js';
import { getBridge } from '../api/bridge.js';
import { useAction, useQuery, type Tag } from '../api/hooks.js';
import { DateInput } from '../components/DateInput.js';
import { useWorkspaceData } from '../data.js';
import { useI18n } from '../i18n.js';

/** What a 整改 change touches: the list, the gap report's rectification-* findings, and the undo history. */
const TOUCHES: Tag[] = ['rectification', 'gaps', 'history'];
const SOURCES = ['省考核反馈', '国家考核反馈', '自查', '审计反馈'];

/** Today in the user's own time zone, YYYY-MM-DD (what 时限 is compared with). */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export function RectificationScreen() {
  const { t, lang } = useI18n();
  const list = useQuery('rectification.list', {}, ['rectification']);
  const { indicators, evidenceById } = useWorkspaceData();
  const act = useAction();
  const [adding, setAdding] = useState(false);
  const [closing, setClosing] = useState<RectificationItem | null>(null);
  const today = localToday();
  const items = list.data ?? [];
  const overdue = items.filter((i) => isOverdue(i, today)).length;
  const open = items.filter((i) => i.status === 'open').length;
  const col = (key: keyof typeof RECTIFICATION_COLUMNS) => RECTIFICATION_COLUMNS[key][lang];

  return (
    <div className="rectification-screen">
      <div className="toolbar">
        <h2 className="inline-head">{t('整改清单')}</h2>
        <span className="muted" data-testid="rectification-summary">
          {t('共 {n} 项，未整改 {open} 项，逾期 {overdue} 项', { n: items.length, open, overdue })}
        </span>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => setAdding(true)}>
          {t('新增整改事项…')}
        </button>
        <ImportList />
      </div>
      {list.error && <p className="field-error">{list.error}</p>}
      {!list.data && !list.error && <p className="muted">{t('正在载入…')}</p>}
      {list.data && items.length === 0 && <p className="muted">{t('还没有整改事项。省考核或自查发现的问题，逐条加到这里，整改完成后附上佐证材料。')}</p>}
      {items.length > 0 && (
        <table className="plain rectification-table">
          <thead>
            <tr>
              <th>{col('seq')}</th>
              <th className="grow">{col('text')}</th>
              <th>{col('source')}</th>
              <th>{col('indicator')}</th>
              <th>{col('department')}</th>
              <th>{col('due')}</th>
              <th>{col('status')}</th>
              <th>{col('evidence')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {items.map((item, i) => {
              const late = isOverdue(item, today);
              return (
                <tr key={item.id} className={late ? 'overdue' : undefined} data-testid="rectification-row">
                  <td>{i + 1}</td>
                  <td className="grow">{item.text}</td>
                  <td>{item.source ?? '—'}</td>
                  <td title={item.indicator ? indicators.get(item.indicator)?.title : undefined}>{item.indicator ?? '—'}</td>
                  <td>{item.department ?? '—'}</td>
                  <td className="nowrap">
                    {item.due ?? '—'}
                    {late && <span className="tag bad-tag">{t('逾期')}</span>}
                  </td>
                  <td className="nowrap">{RECTIFICATION_STATUS[item.status][lang]}</td>
                  <td>
                    {item.evidence.map((id) => (
                      <span key={id} className="chip" title={evidenceById.get(id)?.title}>
                        #{id}
                      </span>
                    ))}
                  </td>
                  <td className="actions nowrap">
                    {item.status === 'open' && (
                      <button type="button" onClick={() => setClosing(item)}>
                        {t('整改完成…')}
                      </button>
                    )}
                    {item.status === 'rectified' && (
                      <button type="button" onClick={() => void act('rectification.verify', { id: item.id }, { invalidates: TOUCHES, success: t('已销号：{text}', { text: item.text }) })}>
                        {t('销号')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {adding && <AddDialog onClose={() => setAdding(false)} />}
      {closing && <CloseDialog item={closing} onClose={() => setClosing(null)} />}
    </div>
  );
}

function AddDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { info } = useWorkspaceData();
  const act = useAction();
  const [text, setText] = useState('');
  const [indicator, setIndicator] = useState('');
  const [department, setDepartment] = useState('');
  const [due, setDue] = useState({ value: '', valid: true });
  const [source, setSource] = useState('');
  const [error, setError] = useState<string | null>(null);
  const departments = useMemo(() => {
    const set = new Set<string>();
    for (const c of info.framework.categories) for (const i of c.indicators) if (i.department) set.add(i.department);
    return [...set];
  }, [info.framework]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!text.trim()) return setError(t('请填写问题描述。'));
    if (!due.valid) return setError(t('时限不是有效日期，例如 2025-06-30。'));
    const done = await act(
      'rectification.add',
      { text: text.trim(), indicator: indicator || null, department: department.trim() || null, due: due.value || null, source: source.trim() || null },
      { invalidates: TOUCHES, success: t('已新增整改事项。') },
    );
    if (done) onClose();
  };
  return (
    <FormModal id="rect-add" title={t('新增整改事项')} submitLabel={t('添加')} onSubmit={submit} onClose={onClose}>
        <label>
          {t('问题')}
          <textarea name="text" rows={3} value={text} onChange={(e) => setText(e.target.value)} autoFocus />
        </label>
        <label>
          {t('指标')}
          <select name="indicator" value={indicator} onChange={(e) => setIndicator(e.target.value)}>
            <option value="">{t('（不指定）')}</option>
            {info.framework.categories.flatMap((c) =>
              c.indicators.map((i) => (
                <option key={i.code} value={i.code}>
                  {i.code} {i.title}
                </option>
              )),
            )}
          </select>
        </label>
        <label>
          {t('责任单位')}
          <input name="department" list="rect-departments" value={department} onChange={(e) => setDepartment(e.target.value)} />
          <datalist id="rect-departments">
            {departments.map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
        </label>
        <label>
          {t('整改时限')}
          <DateInput name="due" value={due.value} onChange={(value, valid) => setDue({ value, valid })} aria-label={t('整改时限')} />
        </label>
        <label>
          {t('来源')}
          <input name="source" list="rect-sources" value={source} onChange={(e) => setSource(e.target.value)} placeholder={t('如 省考核反馈')} />
          <datalist id="rect-sources">
            {SOURCES.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </label>
      {error && <p className="field-error">{error}</p>}
    </FormModal>
  );
}

function CloseDialog({ item, onClose }: { item: RectificationItem; onClose: () => void }) {
  const { t } = useI18n();
  const { evidence } = useWorkspaceData();
  const act = useAction();
  const [query, setQuery] = useState('');
  const [picked, setPicked] = useState<number[]>(item.evidence);
  const [verify, setVerify] = useState(false);
  const matches = useMemo(() => {
    const q = query.trim().replace(/^#/, '');
    if (!q) return [];
    return (evidence ?? []).filter((e) => String(e.id) === q || e.title.includes(q) || e.originalName.includes(q)).slice(0, 30);
  }, [evidence, query]);
  const toggle = (id: number) => setPicked((list) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await act('rectification.close', { id: item.id, evidence: picked, verify }, { invalidates: TOUCHES, success: t('已标记整改完成：{text}', { text: item.text }) });
    if (done) onClose();
  };
  return (
    <FormModal id="rect-close" title={t('整改完成')} submitLabel={t('确定')} onSubmit={submit} onClose={onClose}>
        <p>{item.text}</p>
        <label>
          {t('佐证材料（按编号、标题或文件名查找）')}
          <input name="evidence-search" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus placeholder={t('如 12 或 整改报告')} />
        </label>
        <div className="pick-list">
          {matches.map((e) => (
            <label key={e.id} className="check">
              <input type="checkbox" checked={picked.includes(e.id)} onChange={() => toggle(e.id)} />#{e.id} {e.title}
              {e.title !== e.originalName && <span className="muted small">（{e.originalName}）</span>}
            </label>
          ))}
          {query.trim() !== '' && matches.length === 0 && <p className="muted small">{t('没有找到材料。')}</p>}
        </div>
        <p className="small">
          {t('已选')}：{picked.length === 0 ? t('无') : picked.map((id) => `#${id}`).join('、')}
        </p>
        <label className="check">
          <input type="checkbox" checked={verify} onChange={(e) => setVerify(e.target.checked)} />
          {t('同时销号')}
        </label>
    </FormModal>
  );
}

type FormModalProps = { id: string; title: string; submitLabel: string; onSubmit: (e: FormEvent) => Promise<void>; onClose: () => void; children: ReactNode };

/** A dialog holding a form: Escape or 取消 closes it, Enter submits. */
function FormModal({ id, title, submitLabel, onSubmit, onClose, children }: FormModalProps) {
  const { t } = useI18n();
  return (
    <div className="modal-backdrop" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <form className="modal form-modal" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`} onSubmit={(e) => void onSubmit(e)}>
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
        <div className="modal-actions">
          <button type="button" onClick={onClose}>
            {t('取消')}
          </button>
          <button type="submit" className="primary">
            {submitLabel}
          </button>
        </div>
      </form>
    </div>
  );
}

/**
 * Import of an XLSX/CSV 整改 list. The backend reads a path: the desktop app picks one with the system dialog;
 * the browser cannot give a file's path, so there the user types it (the browser host runs on this computer).
 */
function ImportList() {
  const { t } = useI18n();
  const act = useAction();
  const bridge = getBridge();
  const [path, setPath] = useState('');
  const [report, setReport] = useState<string | null>(null);
  const run = async (file: string) => {
    const done = await act('rectification.import', { path: file }, { invalidates: TOUCHES });
    if (!done) return;
    // The backend's sentences name the row themselves (第 5 行的整改时限…).
    const problems = done.problems.map((p) => p.message);
    setReport([t('已导入 {n} 项整改事项。', { n: done.added.length }), ...problems].join('\n'));
  };
  return (
    <>
      {bridge ? (
        <button type="button" onClick={() => void bridge.pickFiles().then((files) => (files[0] ? run(files[0]) : undefined))}>
          {t('导入整改清单…')}
        </button>
      ) : (
        <form className="inline-form" onSubmit={(e) => (e.preventDefault(), path.trim() && void run(path.trim()))}>
          <input name="import-path" value={path} onChange={(e) => setPath(e.target.value)} placeholder={t('整改清单文件路径（.xlsx / .csv）')} title={t('浏览器无法读取文件路径，请填写本机上的完整路径')} />
          <button type="submit">{t('导入')}</button>
        </form>
      )}
      {report && (
        <pre className="import-report small" data-testid="rectification-import-report">
          {report}
        </pre>
      )}
    </>
  );
}

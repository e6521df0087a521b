import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { getBridge } from '../api/bridge.js';
import { useAction, useNotify, useQuery } from '../api/hooks.js';
import { isValidDate } from '../components/MetadataForm.js';
import { Section } from '../components/common.js';
import { DateInput } from '../components/DateInput.js';
import { useWorkspaceData } from '../data.js';
import { useI18n, type MessageKey } from '../i18n.js';
import { explainHistory } from '../../shared/history/words.js';

/** `onSwitch` absent: a team server's workspace is fixed. */
export function SettingsScreen({ onSwitch }: { onSwitch?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="settings-screen">
      <WorkspaceForm onSwitch={onSwitch} />
      <SystemInfo />
      <Trash />
      <History />
      <Section title={t('快捷键')}>
        <ul className="keys">
          <li>
            <kbd>Alt</kbd>+<kbd>1</kbd>…<kbd>7</kbd> {t('切换页面')}
          </li>
          <li>
            <kbd>Ctrl</kbd>+<kbd>Z</kbd> {t('撤销最近一次归档操作（不在输入框中时）')}
          </li>
          <li>
            <kbd>↑</kbd>
            <kbd>↓</kbd> {t('在表格中移动；Shift 扩展选择；Ctrl+A 全选')}
          </li>
          <li>
            <kbd>Enter</kbd> {t('在材料库中确认建议的分类')}
          </li>
          <li>
            <kbd>Delete</kbd> {t('把所选材料移到回收站')}
          </li>
        </ul>
      </Section>
    </div>
  );
}

function WorkspaceForm({ onSwitch }: { onSwitch?: () => void }) {
  const { t } = useI18n();
  const { info } = useWorkspaceData();
  const act = useAction();
  const [values, setValues] = useState({ ...emptySettings, ...info.settings });
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setValues({ ...emptySettings, ...info.settings }), [info.settings]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!values.title.trim()) return setError(t('标题不能为空。'));
    if (!isValidDate(values.periodStart) || !isValidDate(values.periodEnd) || !values.periodStart || !values.periodEnd)
      return setError(t('考核期应为 YYYY-MM-DD，例如 2019-01-01。'));
    if (values.periodStart > values.periodEnd) return setError(t('考核期的开始日期晚于结束日期，请检查。'));
    setError(null);
    await act(
      'workspace.update',
      {
        patch: {
          title: values.title.trim(),
          unit: values.unit.trim(),
          periodStart: values.periodStart,
          periodEnd: values.periodEnd,
          fonds: values.fonds.trim(),
          orgCode: values.orgCode.trim(),
        },
      },
      { invalidates: ['session', 'gaps', 'history'], success: t('已保存工作区设置。') },
    );
  };
  const input = (key: keyof typeof emptySettings, label: Parameters<typeof t>[0]) => (
    <label>
      {t(label)}
      <input name={key} value={values[key]} onChange={(e) => setValues({ ...values, [key]: e.target.value })} />
    </label>
  );
  const dateInput = (key: 'periodStart' | 'periodEnd', label: Parameters<typeof t>[0]) => (
    <label>
      {t(label)}
      <DateInput name={key} value={values[key]} onChange={(v) => setValues((prev) => ({ ...prev, [key]: v }))} />
    </label>
  );
  return (
    <Section
      title={t('工作区')}
      actions={
        onSwitch && (
          <button type="button" onClick={onSwitch}>
            {t('切换工作区…')}
          </button>
        )
      }
    >
      <form className="settings-form" onSubmit={submit}>
        <p className="muted small">
          {t('位置')}：<span className="path">{info.dir}</span> · {t('框架')}：{info.framework.title} · {t('回收站 {n} 件', { n: info.counts.trash })}
        </p>
        {input('title', '标题')}
        {input('unit', '编制单位')}
        <div className="row2">
          {dateInput('periodStart', '考核期开始')}
          {dateInput('periodEnd', '考核期结束')}
        </div>
        <div className="row2">
          {input('fonds', '全宗号')}
          {input('orgCode', '机构代码')}
        </div>
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary">
          {t('保存')}
        </button>
      </form>
    </Section>
  );
}

const ROLE_LABEL: Record<string, MessageKey> = { song: '宋体（正文、页码）', fangsong: '仿宋（公文正文）', hei: '黑体（一级标题）', kai: '楷体（二级标题）', title: '标题（小标宋）' };

const emptySettings = { title: '', unit: '', periodStart: '', periodEnd: '', fonds: '', orgCode: '' };

function SystemInfo() {
  const { t } = useI18n();
  const info = useQuery('system.info', {}, ['system']);
  return (
    <Section title={t('字体与转换')}>
      {info.error && <p className="error-text">{info.error}</p>}
      {info.data && (
        <>
          {info.data.fontError && <p className="bad-text">{info.data.fontError}</p>}
          <table className="plain">
            <thead>
              <tr>
                <th>{t('用途')}</th>
                <th>{t('字体')}</th>
                <th>{t('文件')}</th>
              </tr>
            </thead>
            <tbody>
              {info.data.fonts.map((f) => (
                <tr key={`${f.role}-${f.path}`}>
                  <td>{ROLE_LABEL[f.role] ? t(ROLE_LABEL[f.role]) : f.role}</td>
                  <td>{f.family}</td>
                  <td className="path muted small">{f.path}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small">{t('公文规定的方正小标宋、仿宋_GB2312 不一定安装；找不到时使用上表中的替代字体，生成结果会注明。')}</p>
          <FontChoice key={info.data.userFont ?? ''} current={info.data.userFont} />
          {info.data.libreoffice ? (
            <p className="ok-text">
              {t('已找到 LibreOffice')}：<span className="path">{info.data.libreoffice}</span> — {t('Word、Excel 材料会转换成 PDF 装订。')}
            </p>
          ) : (
            <p className="warn-text">{t('未找到 LibreOffice：Word、Excel、WPS 材料无法转换为 PDF，装订册中只放目录条目并在备考表中注明。安装 LibreOffice 后重新生成即可。')}</p>
          )}
        </>
      )}
    </Section>
  );
}

/** The workspace's own font for generated pages (e.g. a real 仿宋_GB2312 file the office has), or the system fonts. */
function FontChoice({ current }: { current?: string }) {
  const { t } = useI18n();
  const act = useAction();
  const bridge = getBridge();
  // Keyed on `current` by the caller: a saved change starts the field afresh.
  const [file, setFile] = useState(current ?? '');
  const save = (fontFile: string) =>
    act('workspace.update', { patch: { fontFile } }, { invalidates: ['system', 'session'], success: fontFile ? t('已改用所选字体。') : t('已恢复使用系统字体。') });
  return (
    <form
      className="font-choice"
      onSubmit={(e) => {
        e.preventDefault();
        void save(file.trim());
      }}
    >
      <label>
        {t('指定字体文件（可选）')}
        <input name="fontFile" value={file} placeholder="C:\\Windows\\Fonts\\simfang.ttf" onChange={(e) => setFile(e.target.value)} />
      </label>
      {bridge && (
        <button
          type="button"
          onClick={() =>
            void bridge.pickFiles().then((paths) => {
              if (paths[0]) setFile(paths[0]);
            })
          }
        >
          {t('选择…')}
        </button>
      )}
      <button type="submit" className="primary">
        {t('使用此字体')}
      </button>
      {current && (
        <button type="button" onClick={() => void save('')}>
          {t('恢复系统字体')}
        </button>
      )}
    </form>
  );
}

function Trash() {
  const { t, typeLabel } = useI18n();
  const act = useAction();
  const notify = useNotify();
  const trash = useQuery('evidence.trash', {}, ['trash']);
  const list = useMemo(() => trash.data ?? [], [trash.data]);
  const [chosen, setChosen] = useState<ReadonlySet<number>>(new Set());
  // Restored items leave the list; a choice must not point at them.
  const live = useMemo(() => new Set(list.filter((ev) => chosen.has(ev.id)).map((ev) => ev.id)), [list, chosen]);
  const restore = async (ids: number[]) => {
    const done = await act('evidence.restore', { ids }, { invalidates: ['trash', 'evidence', 'gaps', 'history', 'session'] });
    if (done) {
      notify('success', t('已恢复 {n} 件材料。', { n: done.length }));
      setChosen(new Set());
    }
  };
  const toggle = (id: number, on: boolean) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <Section title={t('回收站')}>
      {trash.error && <p className="error-text">{trash.error}</p>}
      {list.length === 0 ? (
        <p className="muted">{t('回收站是空的。')}</p>
      ) : (
        <>
          <div className="row trash-actions">
            <label className="inline">
              <input
                type="checkbox"
                checked={live.size === list.length}
                onChange={(e) => setChosen(e.target.checked ? new Set(list.map((ev) => ev.id)) : new Set())}
              />
              {t('选择全部')}
            </label>
            <button type="button" disabled={live.size === 0} onClick={() => void restore([...live])}>
              {t('恢复所选（{n} 件）', { n: live.size })}
            </button>
            <button type="button" className="primary" onClick={() => void restore(list.map((ev) => ev.id))}>
              {t('全部恢复（{n} 件）', { n: list.length })}
            </button>
          </div>
          <div className="trash-list">
            <table className="plain">
              <tbody>
                {list.map((ev) => (
                  <tr key={ev.id}>
                    <td>
                      <input type="checkbox" aria-label={`${ev.id} ${ev.title}`} checked={live.has(ev.id)} onChange={(e) => toggle(ev.id, e.target.checked)} />
                    </td>
                    <td className="num">{ev.id}</td>
                    <td className="grow">{ev.title}</td>
                    <td>{typeLabel(ev.type)}</td>
                    <td className="actions">
                      <button type="button" onClick={() => void restore([ev.id])}>
                        {t('恢复')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Section>
  );
}

function History() {
  const { t, lang } = useI18n();
  const history = useQuery('history.list', { limit: 200 }, ['history']);
  return (
    <Section title={t('修改记录')}>
      {history.error && <p className="error-text">{history.error}</p>}
      <ul className="history">
        {(history.data ?? []).map((h) => (
          <li key={h.id}>
            <span className="muted small nowrap">{h.at.replace('T', ' ').slice(0, 19)}</span> {explainHistory(h.summary, lang)}
          </li>
        ))}
      </ul>
    </Section>
  );
}

import { useState } from 'react';
import type { Evidence } from '../../shared/domain/types.js';
import { useAction, useNotify, useQuery } from '../api/hooks.js';
import { useI18n } from '../i18n.js';
import { useFiledUnder } from '../screens/ReviewScreen.js';
import { DateInput } from './DateInput.js';
import { ImportButtons, ImportStatus, useImporter } from './Importer.js';
import { handOver } from './useDepartmentExport.js';

/**
 * The office's tools for chasing one department: its due date, a 催报通知 (DOCX or XLSX) and a collection kit for a
 * department off the network (USB, chat) that comes back as a zip and is imported as its submissions.
 */
/** `team`: the page is served by a team server, whose address the notice gives as where to upload. */
export function DepartmentTools({ department, team = false }: { department: string; team?: boolean }) {
  const { t } = useI18n();
  const act = useAction();
  const notify = useNotify();
  const deadlines = useQuery('deadlines.list', {}, ['gaps']);
  const current = deadlines.data?.find((d) => d.department === department && !d.requirement && !d.indicator)?.due ?? '';
  const [busy, setBusy] = useState<string | null>(null);

  const setDue = async (due: string) => {
    if (due && !/^\d{4}-\d{2}-\d{2}$/.test(due)) return;
    await act('deadlines.set', { department, due: due || null }, { invalidates: ['gaps'], success: due ? t('截止日期已设为 {date}。', { date: due }) : t('已取消截止日期。') });
    deadlines.reload();
  };
  const run = async (label: string, action: () => Promise<{ path: string; url: string } | undefined>) => {
    setBusy(label);
    const result = await action();
    setBusy(null);
    if (!result) return;
    await handOver(result);
    notify('success', t('已导出：{path}', { path: result.path }));
  };

  return (
    <div className="dept-tools" aria-label={t('催报')}>
      <label className="inline">
        {t('截止日期')}
        <DateInput name="deadline" value={current} onChange={(v) => void setDue(v)} />
      </label>
      <button type="button" disabled={busy !== null} onClick={() => void run('docx', () => act('notices.export', { department, format: 'docx', ...(team ? { uploadAddress: window.location.origin } : {}) }))}>
        {busy === 'docx' ? t('正在导出…') : t('催报通知（Word）')}
      </button>
      <button type="button" disabled={busy !== null} onClick={() => void run('xlsx', () => act('notices.export', { department, format: 'xlsx', ...(team ? { uploadAddress: window.location.origin } : {}) }))}>
        {busy === 'xlsx' ? t('正在导出…') : t('催报通知（Excel）')}
      </button>
      <button type="button" disabled={busy !== null} onClick={() => void run('kit', () => act('kits.create', { department }))} title={t('给不在内网的部门：按待交事项分好文件夹的压缩包，填好后交回导入。')}>
        {busy === 'kit' ? t('正在生成…') : t('生成收集包')}
      </button>
    </div>
  );
}

/**
 * A department's own submissions that need its attention: returned ones with the office's reason (answered by a
 * replacement uploaded into the same requirement) and those still waiting for review.
 */
export function MySubmissions({ department }: { department: string }) {
  const { t } = useI18n();
  const returned = useQuery('review.list', { state: 'returned', department }, ['evidence']);
  const pending = useQuery('review.list', { state: 'pending', department }, ['evidence']);
  const returnedRows = returned.data ?? [];
  const pendingCount = pending.data?.length ?? 0;
  if (!returnedRows.length && !pendingCount) return null;
  return (
    <section className="card my-submissions" aria-label={t('本单位的提交')}>
      {pendingCount > 0 && <p className="muted">{t('{n} 件已提交，等待协作办审核。', { n: pendingCount })}</p>}
      {returnedRows.length > 0 && (
        <>
          <h3 className="bad-text">{t('被退回的材料（{n}）', { n: returnedRows.length })}</h3>
          <ul className="returned-list">
            {returnedRows.map((item) => (
              <ReturnedRow key={item.id} item={item} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function ReturnedRow({ item }: { item: Evidence }) {
  const { t } = useI18n();
  const importer = useImporter();
  const filedUnder = useFiledUnder();
  const link = item.links[0];
  return (
    <li data-returned={item.id}>
      <div>
        <strong>{item.title}</strong> <span className="muted small">{filedUnder(item)}</span>
      </div>
      <div className="bad-text">
        {t('退回原因')}：{item.reviewComment ?? ''}
      </div>
      {link && (
        <div className="row-actions">
          <ImportButtons importer={importer} target={{ indicator: link.indicator, ...(link.requirement ? { requirement: link.requirement } : {}) }} compact />
          <span className="muted small">{t('上传替换件')}</span>
        </div>
      )}
      <ImportStatus importer={importer} />
    </li>
  );
}

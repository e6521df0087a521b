import { useMemo, useState } from 'react';
import type { Evidence, ReviewState } from '../../shared/domain/types.js';
import { listIndicators } from '../../shared/framework/schema.js';
import { useAction, useQuery } from '../api/hooks.js';
import { useWorkspaceData, type Focus } from '../data.js';
import { useI18n, type MessageKey } from '../i18n.js';

export const REVIEW_STATE_LABEL: Record<ReviewState, MessageKey> = { pending: '待审核', accepted: '已采用', returned: '已退回' };

/** Where a submission was filed (or suggested): "1.1 党委政府会议纪要…", from its first link. */
export function useFiledUnder(): (item: Evidence) => string {
  const data = useWorkspaceData();
  const titles = useMemo(() => {
    const map = new Map<string, string>();
    for (const { indicator } of listIndicators(data.info.framework)) {
      map.set(indicator.code, `${indicator.code} ${indicator.title}`);
      for (const r of indicator.requirements) map.set(`${indicator.code}|${r.id}`, `${indicator.code} ${r.title}`);
    }
    return map;
  }, [data.info.framework]);
  return (item) => {
    const link = item.links[0];
    if (!link) return '';
    return (link.requirement ? titles.get(`${link.indicator}|${link.requirement}`) : undefined) ?? titles.get(link.indicator) ?? link.indicator;
  };
}

/**
 * 审核 (coordination office): what departments submitted. 采用 files a submission as the office's own filing; 退回
 * sends it back with the reason, which the department sees beside the item and answers with a replacement.
 */
export function ReviewScreen({ onGo }: { onGo?: (focus: Focus) => void }) {
  const { t, typeLabel } = useI18n();
  const act = useAction();
  const [state, setState] = useState<ReviewState>('pending');
  const [department, setDepartment] = useState('');
  const list = useQuery('review.list', { state, ...(department ? { department } : {}) }, ['evidence']);
  const all = useQuery('review.list', { state }, ['evidence']);
  const filedUnder = useFiledUnder();
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [comment, setComment] = useState('');
  const [returning, setReturning] = useState(false);
  const rows = list.data ?? [];
  const departments = useMemo(() => [...new Set((all.data ?? []).map((e) => e.department).filter((d): d is string => !!d))].sort((a, b) => a.localeCompare(b, 'zh-CN')), [all.data]);
  const chosen = rows.filter((r) => selected.has(r.id)).map((r) => r.id);

  const toggle = (id: number) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const accept = async () => {
    const done = await act('review.accept', { ids: chosen }, { invalidates: ['evidence', 'gaps', 'history'], success: t('已采用 {n} 件。', { n: chosen.length }) });
    if (done) setSelected(new Set());
  };
  const sendBack = async () => {
    if (!comment.trim()) return;
    const done = await act('review.return', { ids: chosen, comment: comment.trim() }, { invalidates: ['evidence', 'gaps', 'history'], success: t('已退回 {n} 件。', { n: chosen.length }) });
    if (done) {
      setSelected(new Set());
      setComment('');
      setReturning(false);
    }
  };

  return (
    <div className="review-screen">
      <div className="toolbar">
        <label className="inline">
          {t('状态')}
          <select name="review-state" value={state} onChange={(e) => setState(e.target.value as ReviewState)}>
            {(Object.keys(REVIEW_STATE_LABEL) as ReviewState[]).map((s) => (
              <option key={s} value={s}>
                {t(REVIEW_STATE_LABEL[s])}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          {t('单位')}
          <select name="review-department" value={department} onChange={(e) => setDepartment(e.target.value)}>
            <option value="">{t('全部单位')}</option>
            {departments.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">{t('共 {n} 件', { n: rows.length })}</span>
        <span className="spacer" />
        {state !== 'accepted' && (
          <button type="button" className="primary" disabled={!chosen.length} onClick={() => void accept()}>
            {t('采用所选（{n}）', { n: chosen.length })}
          </button>
        )}
        {state === 'pending' && (
          <button type="button" disabled={!chosen.length} onClick={() => setReturning(true)}>
            {t('退回所选…')}
          </button>
        )}
      </div>
      {returning && chosen.length > 0 && (
        <div className="card return-box">
          <label>
            {t('退回原因（部门会看到）')}
            <textarea name="return-comment" value={comment} onChange={(e) => setComment(e.target.value)} rows={2} autoFocus />
          </label>
          <div className="row-actions">
            <button type="button" className="primary" disabled={!comment.trim()} onClick={() => void sendBack()}>
              {t('退回 {n} 件', { n: chosen.length })}
            </button>
            <button type="button" onClick={() => setReturning(false)}>
              {t('取消')}
            </button>
          </div>
        </div>
      )}
      {list.error && <p className="bad-text pad">{list.error}</p>}
      {rows.length === 0 && !list.loading ? (
        <p className="muted pad">{state === 'pending' ? t('没有待审核的材料。') : t('没有这类材料。')}</p>
      ) : (
        <table className="plain review-table">
          <thead>
            <tr>
              <th aria-label={t('选择')} />
              <th>{t('题名')}</th>
              <th>{t('类型')}</th>
              <th>{t('单位')}</th>
              <th>{t('提交人')}</th>
              <th>{t('归入')}</th>
              {state === 'returned' && <th>{t('退回原因')}</th>}
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((item) => (
              <tr key={item.id} data-review-id={item.id}>
                <td>
                  <input type="checkbox" aria-label={item.title} checked={selected.has(item.id)} onChange={() => toggle(item.id)} />
                </td>
                <td className="cut" title={item.title}>
                  {item.title}
                </td>
                <td>{typeLabel(item.type)}</td>
                <td>{item.department ?? ''}</td>
                <td>{item.submittedBy ?? ''}</td>
                <td className="cut" title={filedUnder(item)}>
                  {filedUnder(item) || <span className="muted">{t('未归入')}</span>}
                </td>
                {state === 'returned' && <td className="bad-text">{item.reviewComment ?? ''}</td>}
                <td>
                  {onGo && (
                    <button type="button" className="link" onClick={() => onGo({ tab: 'evidence', evidenceId: item.id })}>
                      {t('查看')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

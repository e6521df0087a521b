import { useMemo, useState } from 'react';
import type { Requirement } from '../../shared/domain/types.js';
import { DropZone, ImportButtons, ImportStatus, useImporter } from '../components/Importer.js';
import { useDepartmentExport } from '../components/useDepartmentExport.js';
import { Bar, SeverityIcon, StatusMark, formatNumber, percent, targetMet, TargetStateWord } from '../components/common.js';
import { useWorkspaceData, type Focus } from '../data.js';
import { useFindingText } from '../findingText.js';
import { useI18n, type MessageKey } from '../i18n.js';
import { departmentView, hasOpenItems, rankDepartments, rememberDepartment, rememberedDepartment, type DepartmentIndicator, type OpenSlot } from './departmentView.js';
import { focusForFinding } from './FindingsScreen.js';
import { SeverityFilterSelect, useSeverityFilter } from '../components/SeverityFilter.js';
import { DepartmentTools, MySubmissions } from '../components/DepartmentTeam.js';
import type { Actor } from '../../shared/team/roles.js';

const PERIOD_LABEL: Record<Requirement['period'], MessageKey> = {
  once: '一次',
  yearly: '每年',
  quarterly: '每季度',
  monthly: '每月',
  'per-event': '每次活动',
};

/**
 * 按单位查看: what a department (县人社局 …) still owes — only its indicators, the empty slots (drop or upload files
 * straight into them) and the problems with what it handed in, each with what to do. The choice is remembered.
 */
/**
 * `user` (team server): a department account sees only its own units and its returned submissions; the office's
 * tools (due date, 催报通知, collection kit) are for the office and the desktop.
 */
export function DepartmentScreen({ onGo, user }: { onGo: (focus: Focus) => void; user?: Actor }) {
  const { t } = useI18n();
  const data = useWorkspaceData();
  const { exporting, exportDepartment } = useDepartmentExport();
  const [severity] = useSeverityFilter();
  const own = user?.role === 'department' ? user.departments : null;
  const ranked = useMemo(() => {
    const all = rankDepartments(data.info.framework, data.gaps, severity);
    return own ? all.filter((d) => own.includes(d.department)) : all;
  }, [data.info.framework, data.gaps, severity, own]);
  const [remembered, setRemembered] = useState(() => (own?.length === 1 ? own[0]! : rememberedDepartment()));
  const [showDone, setShowDone] = useState(false);
  // A remembered name that is not in this workspace's framework (another workspace, renamed) is ignored.
  const department = ranked.some((d) => d.department === remembered) ? remembered : '';
  const view = useMemo(
    () => (department ? departmentView(data.info.framework, data.gaps, data.targets, department, severity) : null),
    [data.info.framework, data.gaps, data.targets, department, severity],
  );

  const office = !user || user.role === 'office' || user.role === 'admin';
  const choose = (next: string) => {
    setRemembered(next);
    rememberDepartment(next);
  };

  if (!data.gaps) return <p className="muted pad">{data.loadError ?? t('正在分析…')}</p>;

  const open = view ? view.indicators.filter(hasOpenItems) : [];
  const done = view ? view.indicators.filter((i) => !hasOpenItems(i)) : [];

  return (
    <div className="department-screen">
      <div className="toolbar dept-toolbar">
        <label className="inline">
          <strong>{t('本单位')}</strong>
          <select aria-label={t('选择单位')} value={department} onChange={(e) => choose(e.target.value)} name="department">
            <option value="">{t('请选择本单位…')}</option>
            {ranked.map((d) => (
              <option key={d.department} value={d.department}>
                {d.department}
                {d.owes ? `（${t('待补 {n} 项', { n: d.owes })}）` : ''}
              </option>
            ))}
          </select>
        </label>
        <SeverityFilterSelect />
        {view && (
          <>
            <span className="dept-summary" data-testid="dept-summary">
              {view.owes > 0 ? <strong className="bad-text">{t('待补 {n} 项', { n: view.owes })}</strong> : <strong className="ok-text">{t('没有待补事项')}</strong>}
              {view.completeness != null && (
                <span className="muted">
                  {' · '}
                  {t('负责 {n} 项指标，完成度 {p}', { n: view.indicators.length, p: percent(view.completeness) })}
                </span>
              )}
            </span>
            <span className="spacer" />
            <label className="inline">
              <input type="checkbox" checked={showDone} onChange={(e) => setShowDone(e.target.checked)} />
              {t('显示已齐全的指标（{n}）', { n: done.length })}
            </label>
            <button type="button" onClick={() => void exportDepartment(view.department)} disabled={exporting !== null}>
              {exporting ? t('正在导出…') : t('导出本单位清单（Excel）')}
            </button>
          </>
        )}
      </div>
      {view && office && <DepartmentTools department={view.department} team={!!user} />}
      {view && user && <MySubmissions department={view.department} />}

      {!view ? (
        <section className="card dept-picker">
          <h2>{t('您是哪个单位？')}</h2>
          <p className="muted">{t('选择后只显示本单位牵头的指标和还需提交的材料；下次打开时会记住。')}</p>
          <div className="dept-picker-grid">
            {ranked.map((d) => (
              <button key={d.department} type="button" className="dept-pick" onClick={() => choose(d.department)}>
                <strong>{d.department}</strong>
                <span className={d.owes ? 'bad-text small' : 'ok-text small'}>{d.owes ? t('待补 {n} 项', { n: d.owes }) : t('没有待补事项')}</span>
              </button>
            ))}
          </div>
        </section>
      ) : (
        <div className="dept-list">
          {view.indicators.length === 0 && <p className="muted pad">{t('本单位没有牵头的指标。')}</p>}
          {open.length === 0 && view.indicators.length > 0 && <p className="ok-text pad">{t('本单位的材料已齐全，没有需要处理的问题。')}</p>}
          {open.map((item) => (
            <DepartmentIndicatorCard key={item.indicator.code} item={item} onGo={onGo} />
          ))}
          {showDone && done.map((item) => <DepartmentIndicatorCard key={item.indicator.code} item={item} onGo={onGo} />)}
        </div>
      )}
    </div>
  );
}

function DepartmentIndicatorCard({ item, onGo }: { item: DepartmentIndicator; onGo: (focus: Focus) => void }) {
  const text = useFindingText();
  const { t } = useI18n();
  const importer = useImporter();
  const { indicator, result } = item;
  return (
    <DropZone className="card dept-indicator" onDrop={(dt) => void importer.importDrop(dt, { indicator: indicator.code })} label={t('松开鼠标即可归入本指标')}>
      <section aria-label={`${indicator.code} ${indicator.title}`} data-indicator={indicator.code}>
        <div className="dept-indicator-head">
          {result && <StatusMark status={result.status} />}
          <h3>
            <span className="code">{indicator.code}</span>
            {indicator.title}
          </h3>
          {item.category.uncounted ? (
            <span className="tag">{t('不计入完成度')}</span>
          ) : (
            result && (
              <span className="dept-bar">
                <Bar value={result.completeness} label={indicator.title} />
                <span className="num small">{percent(result.completeness)}</span>
              </span>
            )
          )}
          <span className="spacer" />
          <button type="button" className="link" onClick={() => onGo({ tab: 'indicators', indicator: indicator.code })}>
            {t('查看指标详情')}
          </button>
        </div>
        <ImportStatus importer={importer} />
        {item.openSlots.length > 0 && (
          <ul className="dept-slots" aria-label={t('还缺的材料')}>
            {item.openSlots.map((slot) => (
              <OpenSlotRow key={slot.requirement.id} slot={slot} indicator={indicator.code} importer={importer} />
            ))}
          </ul>
        )}
        {item.otherFindings.length > 0 && (
          <ul className="dept-findings" aria-label={t('需要处理的问题')}>
            {item.otherFindings.map((f) => {
              const target = focusForFinding(f, 'department');
              return (
                <li key={f.id}>
                  <SeverityIcon severity={f.severity} />
                  <span className="finding-text">
                    <span>{text(f).message}</span>
                    <span className="action-text">{text(f).action}</span>
                  </span>
                  {target && (
                    <button type="button" onClick={() => onGo(target)}>
                      {t('去处理')}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        {item.targets.length > 0 && (
          <div className="dept-targets">
            {item.targets.map((row) => {
              const met = targetMet(row);
              return (
                <span key={row.id} className={met === false ? 'bad-text' : met ? 'ok-text' : 'muted'}>
                  {row.label}：{formatNumber(row.actual)} / {row.comparison === '>=' ? '≥' : row.comparison === '<=' ? '≤' : '='}
                  {formatNumber(row.target)} {row.unit} <TargetStateWord met={met} />
                </span>
              );
            })}
          </div>
        )}
        {item.metSlots.length > 0 && (
          <p className="muted small">
            {t('已齐全')}：{item.metSlots.map((r) => r.title).join('、')}
          </p>
        )}
      </section>
    </DropZone>
  );
}

function OpenSlotRow({ slot, indicator, importer }: { slot: OpenSlot; indicator: string; importer: ReturnType<typeof useImporter> }) {
  const text = useFindingText();
  const { t, typeLabel } = useI18n();
  const { requirement: req, result } = slot;
  const target = { indicator, requirement: req.id };
  // Only periodic slots (monthly, quarterly) have gaps worth listing; a single missing year says nothing new.
  const gaps = (result?.periods?.length ?? 0) > 1 ? result!.periods!.filter((p) => !p.covered) : [];
  return (
    <li>
      <DropZone className={`dept-slot slot-${result?.status ?? 'missing'}`} onDrop={(dt) => void importer.importDrop(dt, target)} label={t('松开鼠标即可放入此项')}>
        <div className="dept-slot-main" data-requirement={req.id}>
          <div className="slot-head">
            {result && <StatusMark status={result.status} />}
            <strong>{req.title}</strong>
            {!req.mandatory && <span className="tag">{t('选报')}</span>}
            <span className="muted small">
              {typeLabel(req.type)} · {t(PERIOD_LABEL[req.period])} {t('至少 {n} 件', { n: req.min })}
            </span>
            {result && <span className="bad-text small">{t('已有 {have} / 需 {need}', { have: result.have, need: result.need })}</span>}
          </div>
          {gaps.length > 0 && (
            <div className="periods" aria-label={t('分期情况')}>
              {gaps.map((p) => (
                <span key={p.key} className="period gap" title={`${p.key} ${t('缺')}`}>
                  {p.key.replace(/^\d{4}-?/, '') || p.key}
                </span>
              ))}
            </div>
          )}
          {slot.findings.map((f) => (
            <div key={f.id} className="action-text">
              {/* A returned submission: which item and the office's reason, then what to do. */}
              {f.kind === 'returned-submission' ? `${text(f).message}${text(f).action}` : text(f).action}
            </div>
          ))}
        </div>
        <div className="dept-slot-upload">
          <ImportButtons importer={importer} target={target} compact />
          <span className="muted small">{t('或把文件拖到这里')}</span>
        </div>
      </DropZone>
    </li>
  );
}

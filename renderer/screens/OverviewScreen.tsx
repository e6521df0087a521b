import { useMemo, useState } from 'react';
import type { Severity } from '../../shared/domain/types.js';
import { differsFromComputed } from '../components/Computed.js';
import { Bar, Section, SeverityIcon, StatusMark, formatNumber, percent, targetMet, TargetStateWord } from '../components/common.js';
import { useDepartmentExport } from '../components/useDepartmentExport.js';
import { useWorkspaceData, type Focus } from '../data.js';
import { useI18n } from '../i18n.js';
import { rankDepartments } from './departmentView.js';
import { SeverityFilterSelect, useSeverityFilter } from '../components/SeverityFilter.js';
import { SEVERITY } from '../../shared/vocabulary.js';

/**
 * One screen a leader reads at a glance (fits 1366×768 without scrolling): how complete, what is wrong, which
 * agreement targets are unmet, and which departments owe the most.
 */
type Props = { onGo: (focus: Focus) => void; onDepartment: (department: string) => void; onFindings: (severity: Severity) => void };

export function OverviewScreen({ onGo, onDepartment, onFindings }: Props) {
  const { t, lang } = useI18n();
  const { info, gaps, targets, loadError } = useWorkspaceData();
  const { exporting, exportDepartment } = useDepartmentExport();
  const [allTargets, setAllTargets] = useState(false);
  const [severity] = useSeverityFilter();
  const ranked = useMemo(() => rankDepartments(info.framework, gaps, severity).filter((d) => d.owes > 0), [info.framework, gaps, severity]);

  if (!gaps) return <p className="muted pad">{loadError ?? t('正在分析…')}</p>;
  const { summary } = gaps;
  const rows = targets ?? [];
  const unmet = rows.filter((r) => targetMet(r) === false);
  const pending = rows.filter((r) => targetMet(r) == null);
  const metCount = rows.length - unmet.length - pending.length;
  // A met target whose typed figure is not the ledgers' is shown too: the figure may be wrong.
  const shownTargets = allTargets ? rows : [...unmet, ...pending, ...rows.filter((r) => targetMet(r) === true && differsFromComputed(r))];
  const maxOwes = Math.max(1, ...ranked.map((d) => d.owes));

  return (
    <div className="overview">
      <div className="overview-col">
        <Section title={t('总体完成度')} className="card-fixed">
          <div className="headline">
            <span className="huge-number" data-testid="overall-completeness">
              {percent(summary.completeness)}
            </span>
            <span className="muted small">
              {t('共 {n} 件材料', { n: info.counts.evidence })}
              <br />
              {info.settings.periodStart} — {info.settings.periodEnd}
            </span>
          </div>
          <Bar value={summary.completeness} label={t('总体完成度')} />
          <div className="sev-counts" aria-label={t('待解决的问题')}>
            {(['error', 'warning', 'info'] as const).map((s) => (
              <button key={s} type="button" className={`sev-count sev-${s}`} data-testid={`count-${s}`} onClick={() => onFindings(s)} title={t('在问题清单中查看')}>
                <SeverityIcon severity={s} />
                <span className="big-number">{summary.counts[s]}</span>
                <span>{SEVERITY[s][lang]}</span>
              </button>
            ))}
          </div>
        </Section>
        <Section
          title={t('协议指标完成情况')}
          className="card-fill"
          actions={
            rows.length > 0 && (
              <button type="button" className="link small" onClick={() => setAllTargets(!allTargets)}>
                {allTargets ? t('只看未完成') : t('查看全部 {n} 项', { n: rows.length })}
              </button>
            )
          }
        >
          {!rows.length ? (
            <p className="muted">{t('当前框架没有量化目标。')}</p>
          ) : (
            <>
              <p className="target-summary" data-testid="target-summary">
                {/* 全部完成 only when every target is filled in and met: an empty value is not a met one. */}
                {unmet.length > 0 ? (
                  <strong className="bad-text">{t('{n} 项未完成', { n: unmet.length })}</strong>
                ) : pending.length > 0 ? (
                  <strong className="warn-text">{t('{n} 项待填写', { n: pending.length })}</strong>
                ) : (
                  <strong className="ok-text">{t('全部完成')}</strong>
                )}
                <span className="muted">
                  {' · '}
                  {t('{n} 项已完成', { n: metCount })}
                  {unmet.length > 0 && pending.length > 0 && ` · ${t('{n} 项待填写', { n: pending.length })}`}
                </span>
              </p>
              <div className="overview-scroll">
                <table className="plain targets-table">
                  <tbody>
                    {shownTargets.map((row) => {
                      const met = targetMet(row);
                      return (
                        <tr key={row.id} className={met === false ? 'unmet' : undefined} data-testid={met === false ? 'unmet-target' : undefined}>
                          <td className="target-label">
                            <button type="button" className={`link ${met === false ? 'bad-text' : ''}`} onClick={() => onGo({ tab: 'indicators', indicator: row.indicator })}>
                              {row.label}
                            </button>
                          </td>
                          {/* Two short lines instead of one long one: a value like 23,456,789 must not push the status out. */}
                          <td className="target-value">
                            <div>
                              {formatNumber(row.actual)} {row.actual != null && row.unit}
                            </div>
                            <div className="muted">
                              {t('目标')} {row.comparison === '>=' ? '≥' : row.comparison === '<=' ? '≤' : '='}
                              {formatNumber(row.target)}
                            </div>
                            {row.computed && differsFromComputed(row) && (
                              <div className="warn-text" data-testid="computed-differs" title={`${t('与填写值不同')}：${row.computed.formula}`}>
                                ≠ {t('台账 {value}', { value: formatNumber(row.computed.value) })}
                              </div>
                            )}
                          </td>
                          <td className="target-status">
                            {met == null ? <span className="muted small"><TargetStateWord met={met} /></span> : met ? <span className="ok-text small"><TargetStateWord met={met} /></span> : <strong className="bad-text small"><TargetStateWord met={met} /></strong>}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </Section>
      </div>

      <div className="overview-col">
        <Section title={t('各类别完成度')}>
          <table className="plain category-table">
            <tbody>
              {summary.categories.map((c) => {
                const fc = info.framework.categories.find((x) => x.code === c.code);
                // 加分 and 负面清单 are not evidence to collect: they never count as missing.
                const uncounted = fc?.bonus || fc?.negative;
                return (
                  <tr key={c.code}>
                    <td className="nowrap">
                      {c.code}. {c.title}
                    </td>
                    <td className="grow">
                      {uncounted ? <span className="muted small">{fc?.bonus ? t('加分项，不计入完成度') : t('自查项，不计入完成度')}</span> : <Bar value={c.completeness} label={c.title} />}
                    </td>
                    <td className="num">{uncounted ? '—' : percent(c.completeness)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Section>
        <Section title={t('各指标状态')}>
          <div className="indicator-grid" role="list">
            {summary.categories.flatMap((c) => {
              const fc = info.framework.categories.find((x) => x.code === c.code);
              const uncounted = fc?.bonus || fc?.negative;
              return c.indicators.map((i) => (
                <button
                  key={i.code}
                  type="button"
                  role="listitem"
                  className={`ind-cell ${uncounted ? 'ind-uncounted' : `ind-${i.status}`}`}
                  onClick={() => onGo({ tab: 'indicators', indicator: i.code })}
                  title={`${i.code} ${i.title} · ${uncounted ? t('不计入完成度') : percent(i.completeness)}`}
                >
                  {uncounted ? <span className="status">·</span> : <StatusMark status={i.status} />}
                  {i.code}
                </button>
              ));
            })}
          </div>
        </Section>
      </div>

      <div className="overview-col">
        <Section title={t('责任单位待补材料')} actions={<SeverityFilterSelect />}>
          {ranked.length === 0 ? (
            <p className="ok-text">{t('各单位均无待补材料。')}</p>
          ) : (
            <div className="overview-scroll">
              <table className="plain dept-rank">
                <tbody>
                  {ranked.map((d) => (
                    <tr key={d.department}>
                      <td className="nowrap">
                        <button type="button" className="link" onClick={() => onDepartment(d.department)} title={t('查看该单位要补的材料')}>
                          {d.department}
                        </button>
                      </td>
                      <td className="grow">
                        <Bar value={d.owes / maxOwes} tone="bad" label={d.department} />
                      </td>
                      <td className="num bad-text nowrap">
                        {t('{n} 项', { n: d.owes })}
                        {d.overdue > 0 && <span className="tag bad-tag">{t('逾期 {n}', { n: d.overdue })}</span>}
                      </td>
                      <td className="actions">
                        <button type="button" className="small-button" onClick={() => void exportDepartment(d.department)} disabled={exporting !== null} title={t('导出清单')}>
                          {exporting === d.department ? t('正在导出…') : t('导出')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Section>
      </div>
    </div>
  );
}

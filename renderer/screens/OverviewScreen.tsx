import { useState } from 'react';
import { getBridge } from '../api/bridge.js';
import { useAction, useNotify } from '../api/hooks.js';
import { Bar, Section, SeverityIcon, StatusMark, formatNumber, percent, targetMet } from '../components/common.js';
import { useWorkspaceData, type Focus } from '../data.js';
import { useI18n } from '../i18n.js';

/** One screen a leader understands: how complete, what is wrong, which targets are unmet, who owes what. */
export function OverviewScreen({ onGo }: { onGo: (focus: Focus) => void }) {
  const { t } = useI18n();
  const { info, gaps, targets, indicators, loadError } = useWorkspaceData();
  const act = useAction();
  const notify = useNotify();
  const [open, setOpen] = useState<string | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);

  if (!gaps) return <p className="muted pad">{loadError ?? t('正在分析…')}</p>;
  const { summary } = gaps;

  const exportDept = async (department: string) => {
    setExporting(department);
    const result = await act('departments.export', { department });
    setExporting(null);
    if (!result) return;
    const bridge = getBridge();
    if (bridge) {
      await bridge.openPath(result.path);
    } else {
      const a = document.createElement('a');
      a.href = result.url;
      a.download = result.path.split(/[\\/]/).pop() ?? '';
      document.body.appendChild(a);
      a.click();
      a.remove();
    }
    notify('success', t('已导出：{path}', { path: result.path }));
  };

  return (
    <div className="overview">
      <div className="overview-top">
        <Section title={t('总体完成度')}>
          <div className="big-number">{percent(summary.completeness)}</div>
          <Bar value={summary.completeness} label={t('总体完成度')} />
          <p className="muted small">
            {info.settings.unit} · {t('考核期')} {info.settings.periodStart} — {info.settings.periodEnd} · {t('共 {n} 件材料', { n: info.counts.evidence })}
          </p>
        </Section>
        <Section title={t('待解决的问题')}>
          <div className="sev-counts">
            {(['error', 'warning', 'info'] as const).map((s) => (
              <div key={s} className={`sev-count sev-${s}`}>
                <SeverityIcon severity={s} />
                <span className="big-number">{summary.counts[s]}</span>
                <span>{s === 'error' ? t('错误') : s === 'warning' ? t('警告') : t('提示')}</span>
              </div>
            ))}
          </div>
        </Section>
      </div>
      <Section title={t('各类别完成度')}>
        <table className="plain">
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
                <td className="muted small nowrap">
                  {c.indicators.filter((i) => i.status === 'met').length}/{c.indicators.length} {t('项齐全')}
                </td>
              </tr>
              );
            })}
          </tbody>
        </table>
      </Section>
      <Section title={t('协议指标完成情况')}>
        {!targets?.length ? (
          <p className="muted">{t('当前框架没有量化目标。')}</p>
        ) : (
          <table className="plain targets-table">
            <thead>
              <tr>
                <th>{t('指标')}</th>
                <th>{t('目标')}</th>
                <th>{t('实际')}</th>
                <th className="grow">{t('进度')}</th>
              </tr>
            </thead>
            <tbody>
              {targets.map((row) => {
                const met = targetMet(row);
                const ratio = row.target && row.actual != null ? row.actual / row.target : 0;
                return (
                  <tr key={row.id} className={met === false ? 'unmet' : undefined}>
                    <td>
                      <button type="button" className="link" onClick={() => onGo({ tab: 'indicators', indicator: row.indicator })}>
                        {row.label}
                      </button>
                    </td>
                    <td className="num nowrap">
                      {row.comparison === '>=' ? '≥' : row.comparison === '<=' ? '≤' : '='} {formatNumber(row.target)} {row.unit}
                    </td>
                    <td className="num nowrap">
                      {formatNumber(row.actual)} {row.actual != null ? row.unit : ''}
                    </td>
                    <td>
                      {met == null ? (
                        <span className="muted small">{t('待填写')}</span>
                      ) : (
                        <span className="target-progress">
                          <Bar value={row.comparison === '>=' ? ratio : met ? 1 : 0.3} tone={met ? 'ok' : 'bad'} label={row.label} />
                          <span className={met ? 'ok-text nowrap' : 'bad-text nowrap'}>{met ? t('已完成') : t('未完成')}</span>
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Section>
      <Section title={t('责任单位待补材料')}>
        {summary.departments.length === 0 ? (
          <p className="ok-text">{t('各单位均无待补材料。')}</p>
        ) : (
          <table className="plain dept-table">
            <thead>
              <tr>
                <th>{t('牵头单位')}</th>
                <th className="num">{t('待补事项')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {summary.departments.map((d) => (
                <DeptRows
                  key={d.department}
                  department={d.department}
                  items={d.items}
                  open={open === d.department}
                  onToggle={() => setOpen(open === d.department ? null : d.department)}
                  onExport={() => void exportDept(d.department)}
                  exporting={exporting === d.department}
                  indicatorTitle={(code) => indicators.get(code)?.title ?? ''}
                  onGo={onGo}
                />
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section title={t('各指标状态')}>
        <div className="indicator-chips">
          {summary.categories.flatMap((c) =>
            c.indicators.map((i) => (
              <button key={i.code} type="button" className="chip" onClick={() => onGo({ tab: 'indicators', indicator: i.code })} title={i.title}>
                <StatusMark status={i.status} /> {i.code} {i.title}
              </button>
            )),
          )}
        </div>
      </Section>
    </div>
  );
}

type DeptProps = {
  department: string;
  items: { indicator: string; requirement?: string; findingId: string; message: string }[];
  open: boolean;
  onToggle: () => void;
  onExport: () => void;
  exporting: boolean;
  indicatorTitle: (code: string) => string;
  onGo: (focus: Focus) => void;
};

function DeptRows({ department, items, open, onToggle, onExport, exporting, indicatorTitle, onGo }: DeptProps) {
  const { t } = useI18n();
  return (
    <>
      <tr className="dept-row">
        <td>
          <button type="button" className="link" aria-expanded={open} onClick={onToggle}>
            {open ? '▾' : '▸'} {department}
          </button>
        </td>
        <td className="num bad-text">{items.length}</td>
        <td className="actions">
          <button type="button" onClick={onExport} disabled={exporting}>
            {exporting ? t('正在导出…') : t('导出清单')}
          </button>
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={3}>
            <ul className="owes">
              {items.map((item) => (
                <li key={item.findingId}>
                  <button type="button" className="link" onClick={() => onGo({ tab: 'indicators', indicator: item.indicator, requirement: item.requirement })}>
                    {item.indicator} {indicatorTitle(item.indicator)}
                  </button>
                  ：{item.message}
                </li>
              ))}
            </ul>
          </td>
        </tr>
      )}
    </>
  );
}

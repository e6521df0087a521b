import { useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Finding, Severity } from '../../shared/domain/types.js';
import { owedByDepartment } from '../../shared/gaps/owes.js';
import { SeverityIcon } from '../components/common.js';
import { useWorkspaceData, type BackTarget, type EvidenceField, type Focus } from '../data.js';
import { useFindingText } from '../findingText.js';
import { useI18n } from '../i18n.js';
import { SeverityFilterSelect, setSeverityFilter, useSeverityFilter } from '../components/SeverityFilter.js';

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function compareCodes(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

/** Which part of the item's form fixes the finding, so the user lands on it instead of scrolling for it. */
export function fieldForFinding(f: Finding): EvidenceField | undefined {
  switch (f.kind) {
    case 'missing-metadata': {
      // 文号 first: it is what inspectors look for in a catalogue.
      const order = ['docNumber', 'title', 'issuer', 'date'] as const;
      return order.find((field) => f.detail.missing.includes(field));
    }
    case 'missing-caption':
    case 'date-mismatch':
      return 'caption';
    case 'out-of-period':
      return 'date';
    case 'unfiled':
      return 'link';
    default:
      return undefined;
  }
}

/** Where fixing a finding happens: the evidence it names (with its form), else the indicator's slot. */
export function focusForFinding(f: Finding, back?: BackTarget): Focus | null {
  if (f.evidence?.length) {
    const field = fieldForFinding(f);
    return { tab: 'evidence', evidenceId: f.evidence[0], ...(field ? { field } : {}), ...(back ? { back } : {}) };
  }
  if (f.indicator) return { tab: 'indicators', indicator: f.indicator, ...(f.requirement ? { requirement: f.requirement } : {}) };
  return null;
}

// Coming back from fixing a finding should land where the user left the list (grouping, level, scroll).
const lastView: { by: 'indicator' | 'department'; scroll: number } = { by: 'indicator', scroll: 0 };

/** Opens 问题清单 on one severity (the overview's counts link here). */
export function presetFindings(severity: Severity | ''): void {
  setSeverityFilter(severity);
  lastView.scroll = 0;
}

export function FindingsScreen({ onGo }: { onGo: (focus: Focus) => void }) {
  const text = useFindingText();
  const { t } = useI18n();
  const { gaps, indicators, loadError } = useWorkspaceData();
  const [by, setByState] = useState(lastView.by);
  const [severity] = useSeverityFilter();
  const setBy = (next: 'indicator' | 'department') => setByState((lastView.by = next));
  const root = useRef<HTMLDivElement>(null);
  const ready = !!gaps;
  useLayoutEffect(() => {
    const scroller = root.current?.closest('.screen');
    if (!scroller) return;
    scroller.scrollTop = lastView.scroll;
    const save = () => void (lastView.scroll = scroller.scrollTop);
    scroller.addEventListener('scroll', save, { passive: true });
    return () => scroller.removeEventListener('scroll', save);
  }, [ready]);

  const shown = useMemo(() => (gaps?.findings ?? []).filter((f) => !severity || f.severity === severity), [gaps, severity]);
  // By department the list is what each one owes, counted by the same function as 总览 and 按单位查看.
  const groups = useMemo(() => {
    let map = new Map<string, Finding[]>();
    if (by === 'department') map = owedByDepartment(gaps?.findings ?? [], (code) => indicators.get(code)?.department, severity);
    else {
      for (const f of shown) {
        const key = f.indicator ?? '';
        if (!map.has(key)) map.set(key, []);
        map.get(key)!.push(f);
      }
    }
    for (const list of map.values()) list.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
    const entries = [...map.entries()];
    // By indicator: framework order (1.2 before 1.10), loose items last; by department: who owes most first.
    return by === 'indicator'
      ? entries.sort(([a], [b]) => (!a ? 1 : !b ? -1 : compareCodes(a, b)))
      : entries.sort(([, a], [, b]) => b.length - a.length);
  }, [gaps, by, severity, indicators, shown]);
  const listed = groups.reduce((n, [, list]) => n + list.length, 0);

  if (!gaps) return <p className="muted pad">{loadError ?? t('正在分析…')}</p>;

  const title = (key: string) => {
    if (!key) return by === 'indicator' ? t('未归入指标的材料') : t('未指定牵头单位');
    if (by === 'indicator') return `${key} ${indicators.get(key)?.title ?? ''}`;
    return key;
  };

  const onListKey = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const items = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('.finding-item')];
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    const next = items[Math.max(0, Math.min(items.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)))];
    next?.focus();
    event.preventDefault();
  };

  return (
    <div className="findings-screen" ref={root}>
      <div className="toolbar">
        <div className="segmented" role="radiogroup" aria-label={t('分组方式')}>
          <button type="button" role="radio" aria-checked={by === 'indicator'} className={by === 'indicator' ? 'active' : ''} onClick={() => setBy('indicator')}>
            {t('按指标')}
          </button>
          <button type="button" role="radio" aria-checked={by === 'department'} className={by === 'department' ? 'active' : ''} onClick={() => setBy('department')}>
            {t('按牵头单位')}
          </button>
        </div>
        <SeverityFilterSelect />
        <span className="muted">
          <span data-testid="findings-count">{by === 'department' ? t('各单位共欠 {n} 项', { n: listed }) : t('共 {n} 个问题', { n: listed })}</span> ·{' '}
          {t('点击问题即可跳到要修改的地方')}
        </span>
      </div>
      {gaps.findings.length === 0 && <p className="ok-text pad">{t('没有发现问题。')}</p>}
      <div className="finding-groups" onKeyDown={onListKey}>
        {groups.map(([key, list]) => (
          <section key={key} className="finding-group">
            <h3>
              {title(key)} <span className="badge" data-testid="group-count">{list.length}</span>
            </h3>
            {list.map((f) => {
              const target = focusForFinding(f, 'findings');
              return (
                <button key={f.id} type="button" className={`finding-item sev-row-${f.severity}`} disabled={!target} onClick={() => target && onGo(target)} data-finding={f.kind}>
                  <SeverityIcon severity={f.severity} />
                  <span className="finding-text">
                    <span>{text(f).message}</span>
                    <span className="muted small">{text(f).action}</span>
                  </span>
                  {by === 'department' && f.indicator && <span className="code">{f.indicator}</span>}
                </button>
              );
            })}
          </section>
        ))}
      </div>
    </div>
  );
}

import { useSyncExternalStore } from 'react';
import { SEVERITIES, type Severity } from '../../shared/domain/types.js';
import { SEVERITY } from '../../shared/vocabulary.js';
import { useI18n } from '../i18n.js';

/**
 * The level filter (错误/警告/提示) is one choice for 总览, 按单位查看 and 问题清单: what a department owes is
 * counted by the same function on each, so under the same filter the three screens show the same numbers.
 */
let current: Severity | '' = '';
const listeners = new Set<() => void>();

export function setSeverityFilter(next: Severity | ''): void {
  if (next === current) return;
  current = next;
  listeners.forEach((fn) => fn());
}

const subscribe = (fn: () => void) => {
  listeners.add(fn);
  return () => void listeners.delete(fn);
};
const snapshot = () => current;

export function useSeverityFilter(): [Severity | '', (next: Severity | '') => void] {
  return [useSyncExternalStore(subscribe, snapshot, snapshot), setSeverityFilter];
}

export function SeverityFilterSelect() {
  const { t, lang } = useI18n();
  const [severity, setSeverity] = useSeverityFilter();
  return (
    <select aria-label={t('级别')} value={severity} onChange={(e) => setSeverity(e.target.value as Severity | '')} className="severity-filter">
      <option value="">{t('全部级别')}</option>
      {SEVERITIES.map((s) => (
        <option key={s} value={s}>
          {SEVERITY[s][lang]}
        </option>
      ))}
    </select>
  );
}

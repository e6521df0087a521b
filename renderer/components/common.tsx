import type { ReactNode } from 'react';
import type { TargetRow } from '../../shared/api/contract.js';
import type { RequirementStatus, Severity } from '../../shared/domain/types.js';
import { REQUIREMENT_STATUS, SEVERITY, TARGET_STATE, targetMet as sharedTargetMet, targetState } from '../../shared/vocabulary.js';
import { useI18n } from '../i18n.js';

export function percent(value: number): string {
  return `${Math.round(value * 100)}%`;
}

export function Bar({ value, tone, label }: { value: number; tone?: 'ok' | 'warn' | 'bad'; label?: string }) {
  const clamped = Math.max(0, Math.min(1, value));
  const auto = tone ?? (clamped >= 0.999 ? 'ok' : clamped >= 0.5 ? 'warn' : 'bad');
  return (
    <span className="bar" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(clamped * 100)} aria-label={label}>
      <span className={`bar-fill bar-${auto}`} style={{ width: `${clamped * 100}%` }} />
    </span>
  );
}

// Plain characters in a coloured badge: emoji fonts are not on every office PC.
const SEVERITY_MARK: Record<Severity, string> = { error: '✕', warning: '!', info: 'i' };

export function SeverityIcon({ severity }: { severity: Severity }) {
  const { lang } = useI18n();
  const label = SEVERITY[severity][lang];
  return (
    <span className={`sev sev-${severity}`} title={label} aria-label={label} role="img">
      {SEVERITY_MARK[severity]}
    </span>
  );
}

const STATUS_MARK: Record<RequirementStatus, string> = { met: '✓', partial: '◐', missing: '✗' };

export function StatusMark({ status }: { status: RequirementStatus }) {
  const { lang } = useI18n();
  const label = REQUIREMENT_STATUS[status][lang];
  return (
    <span className={`status status-${status}`} title={label} aria-label={label} role="img">
      {STATUS_MARK[status]}
    </span>
  );
}

/** Whether a target's actual meets it (the one rule the gap rules and the binder use); null while a figure is missing. */
export function targetMet(row: Pick<TargetRow, 'target' | 'actual' | 'comparison' | 'unit'>): boolean | null {
  return sharedTargetMet(row.actual, row.comparison, row.target, row.unit);
}

/** 已完成 / 未完成 / 待填写 in the workbench's language. */
export function TargetStateWord({ met }: { met: boolean | null }) {
  const { lang } = useI18n();
  return <>{TARGET_STATE[targetState(met)][lang]}</>;
}

export function formatNumber(value: number | null | undefined): string {
  if (value == null) return '—';
  return Number.isInteger(value) ? value.toLocaleString('zh-CN') : value.toLocaleString('zh-CN', { maximumFractionDigits: 2 });
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function Section({ title, children, actions, className }: { title: string; children: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <section className={className ? `card ${className}` : 'card'}>
      <div className="card-head">
        <h2>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Progress({ stage, done, total, detail, onCancel }: { stage: string; done: number; total: number; detail?: string; onCancel?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={total || 1} aria-valuenow={done} aria-label={stage}>
      <div className="progress-line">
        <span>
          {stage}
          {total > 0 ? ` ${done}/${total}` : ''}
        </span>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            {t('取消')}
          </button>
        )}
      </div>
      <Bar value={total > 0 ? done / total : 0} tone="ok" />
      {detail && <div className="muted small ellipsis">{detail}</div>}
    </div>
  );
}

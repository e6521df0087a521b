import type { LedgerSummary } from '../../shared/api/contract.js';
import { useAction, useQuery } from '../api/hooks.js';
import { useWorkspaceData } from '../data.js';
import { useI18n } from '../i18n.js';
import { percent } from './common.js';

/**
 * The 台账 view of a spreadsheet item: each sheet as the ledger reader saw it (kind, rows, how sure, which header
 * became which field, what went wrong), and the kind set by hand when the detection is wrong or unsure.
 */
export function LedgerSheets({ evidence }: { evidence: number }) {
  const { t } = useI18n();
  const ledgers = useQuery('ledgers.list', {}, ['ledgers', 'evidence']);
  const sheets = (ledgers.data ?? []).filter((l) => l.evidence === evidence);
  if (sheets.length === 0) return null;
  return (
    <section className="ledger-sheets" aria-label={t('台账')}>
      <h4>{t('台账')}</h4>
      {sheets.map((sheet) => (
        <LedgerSheet key={sheet.sheet} sheet={sheet} />
      ))}
    </section>
  );
}

function LedgerSheet({ sheet }: { sheet: LedgerSummary }) {
  const { t } = useI18n();
  const { info } = useWorkspaceData();
  const act = useAction();
  const kinds = info.framework.ledgers ?? [];
  const kind = kinds.find((k) => k.id === sheet.kind);
  const fieldLabel = (key: string) => kind?.fields.find((f) => f.key === key)?.label ?? key;
  const setKind = (next: string) =>
    void act('ledgers.map', { evidence: sheet.evidence, sheet: sheet.sheet, kind: next }, { invalidates: ['ledgers', 'targets', 'gaps', 'history'], success: t('已设置台账类型。') });
  return (
    <div className="ledger-sheet" data-testid="ledger-sheet">
      <div className="ledger-sheet-head">
        <strong>{sheet.sheet}</strong>
        <select aria-label={t('{sheet} 台账类型', { sheet: sheet.sheet })} value={sheet.kind ?? ''} onChange={(e) => e.target.value && setKind(e.target.value)}>
          {!sheet.kind && <option value="">{t('未识别')}</option>}
          {kinds.map((k) => (
            <option key={k.id} value={k.id}>
              {k.title}
            </option>
          ))}
        </select>
        <span className="muted small">
          {t('{n} 行', { n: sheet.rows })} · {sheet.origin === 'user' ? t('手动设置') : t('识别把握 {p}', { p: percent(sheet.confidence) })}
          {!sheet.used && ` · ${t('把握不足，未计入计算')}`}
        </span>
      </div>
      {Object.keys(sheet.columns).length > 0 && (
        <div className="small ledger-columns">
          {Object.entries(sheet.columns).map(([field, header]) => (
            <span key={field} className="chip">
              {header} → {fieldLabel(field)}
            </span>
          ))}
        </div>
      )}
      {sheet.problem && <p className="bad-text small">{sheet.problem}</p>}
    </div>
  );
}

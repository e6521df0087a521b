import type { LedgerSummary } from '../../shared/api/contract.js';
import type { LedgerKind } from '../../shared/ledger/types.js';
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
      {kind && <SheetRows sheet={sheet} kind={kind} />}
    </div>
  );
}

const PREVIEW_ROWS = 50;

/** A value as the office wrote it: an enum by its label (东部), not its key. */
function cellWords(kind: LedgerKind, field: string, value: string | number | undefined): string {
  if (value === undefined) return '';
  return kind.fields.find((f) => f.key === field)?.values?.find((v) => v.key === value)?.label ?? String(value);
}

/**
 * Columns mapped by hand (each header → a field of the sheet's kind, or 不读取) and the first rows as read, ID and
 * mobile numbers masked. A change is saved at once through ledgers.map (one undoable action).
 */
function SheetRows({ sheet, kind }: { sheet: LedgerSummary; kind: LedgerKind }) {
  const { t } = useI18n();
  const act = useAction();
  const page = useQuery('ledgers.rows', { evidence: sheet.evidence, sheet: sheet.sheet, limit: PREVIEW_ROWS }, ['ledgers', 'evidence']);
  const data = page.data;
  if (!data) return null;
  const fieldOf = new Map(data.columns.filter((c) => c.value === undefined).map((c) => [c.header, c.field]));
  const mapColumn = (header: string, field: string) => {
    const columns: Record<string, string> = Object.fromEntries(data.columns.map((c) => [c.header, c.value === undefined ? c.field : `${c.field}=${c.value}`]));
    columns[header] = field;
    void act('ledgers.map', { evidence: sheet.evidence, sheet: sheet.sheet, kind: kind.id, columns }, { invalidates: ['ledgers', 'targets', 'gaps', 'history'], success: t('已保存列的对应关系。') });
  };
  const shown = data.columns.filter((c) => c.value === undefined);
  return (
    <div className="ledger-rows">
      <table className="small ledger-mapping" aria-label={t('{sheet} 列对应', { sheet: sheet.sheet })}>
        <thead>
          <tr>
            <th>{t('表头')}</th>
            <th>{t('字段')}</th>
          </tr>
        </thead>
        <tbody>
          {data.headers.map((header, col) =>
            header ? (
              <tr key={col}>
                <td>{header}</td>
                <td>
                  <select aria-label={t('“{header}”对应字段', { header })} value={fieldOf.get(header) ?? ''} onChange={(e) => mapColumn(header, e.target.value)}>
                    <option value="">{t('不读取')}</option>
                    {kind.fields.map((f) => (
                      <option key={f.key} value={f.key}>
                        {f.label}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ) : null,
          )}
        </tbody>
      </table>
      <div className="table-scroll">
        <table className="small ledger-preview" aria-label={t('{sheet} 数据预览', { sheet: sheet.sheet })}>
          <thead>
            <tr>
              <th>{t('行')}</th>
              {shown.map((c) => (
                <th key={c.field}>{c.label}</th>
              ))}
              <th>{t('问题')}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr key={r.row} className={r.problems.length ? 'bad-text' : undefined}>
                <td>{r.row}</td>
                {shown.map((c) => (
                  <td key={c.field}>{cellWords(kind, c.field, r.values[c.field])}</td>
                ))}
                <td>{r.problems.map((p) => p.zh).join('；')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small">
        {t('显示前 {n} 行，共 {total} 行；身份证号、手机号已遮蔽。', { n: data.rows.length, total: data.total })}
      </p>
    </div>
  );
}

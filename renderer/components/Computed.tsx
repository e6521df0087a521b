import type { TargetRow } from '../../shared/api/contract.js';
import type { ComputedValue } from '../../shared/ledger/compute.js';
import { useAction } from '../api/hooks.js';
import { useWorkspaceData } from '../data.js';
import { useI18n } from '../i18n.js';
import { formatNumber } from './common.js';

/** Row numbers as ranges: [5,6,7,9] → "5–7、9" (a ledger of 400 rows must not print 400 numbers). */
export function rowRanges(rows: readonly number[]): string {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}–${sorted[j]}`);
    i = j + 1;
  }
  return parts.join('、');
}

/** Whether a typed 完成值 is not the ledger's figure (rounding noise aside); an empty one does not differ. */
export function differsFromComputed(row: TargetRow): boolean {
  if (!row.computed || row.actual == null) return false;
  return Math.abs(row.actual - row.computed.value) > 1e-9 * Math.max(1, Math.abs(row.computed.value));
}

/** Whether 采用台账计算值 would change anything: a ledger figure and a typed value that is empty or different. */
export function canAcceptComputed(row: TargetRow): boolean {
  return !!row.computed && (row.actual == null || differsFromComputed(row));
}

/** "材料 12《台账》第 5–40 行" for each sheet the figure counted. */
export function useSourceLines(computed: ComputedValue): string[] {
  const { t } = useI18n();
  const { evidenceById } = useWorkspaceData();
  return computed.sources.map((s) =>
    t('材料 {id}《{title}》{sheet}第 {rows} 行', {
      id: s.evidence,
      title: evidenceById.get(s.evidence)?.title ?? '',
      sheet: s.sheet ? `${s.sheet} ` : '',
      rows: rowRanges(s.rows),
    }),
  );
}

/** The ledger figure under the typed one: value (its formula as the tooltip: a line of it doubles the row height), source rows, marked when it differs. */
export function ComputedFigure({ row }: { row: TargetRow & { computed: ComputedValue } }) {
  const { t } = useI18n();
  const sources = useSourceLines(row.computed);
  const differs = differsFromComputed(row);
  return (
    <div className={`computed small ${differs ? 'warn-text' : 'muted'}`} data-testid="computed">
      <span title={row.computed.formula}>
        {t('台账计算值')} {formatNumber(row.computed.value)}
        {differs && ` · ${t('与填写值不同')}`}
      </span>
      {sources.map((line) => (
        <div key={line} className="muted computed-source">
          {line}
        </div>
      ))}
    </div>
  );
}

/** 全部采用台账计算值: every target whose ledger figure would change its 完成值, in one undoable action. */
export function AcceptAllComputed() {
  const { t } = useI18n();
  const act = useAction();
  const { targets } = useWorkspaceData();
  const ids = (targets ?? []).filter(canAcceptComputed).map((row) => row.id);
  if (!ids.length) return null;
  return (
    <button
      type="button"
      className="small"
      onClick={() => void act('targets.acceptComputed', { ids }, { invalidates: ['targets', 'gaps', 'history'], success: t('已采用 {n} 项台账计算值。', { n: ids.length }) })}
    >
      {t('全部采用台账计算值（{n} 项）', { n: ids.length })}
    </button>
  );
}

import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { EvidenceRow, TargetRow } from '../../shared/api/contract.js';
import { IMAGE_FORMATS, type Indicator, type IndicatorResult, type Requirement, type RequirementResult } from '../../shared/domain/types.js';
import { useAction } from '../api/hooks.js';
import { DropZone, ImportButtons, ImportStatus, useImporter, type Importer } from '../components/Importer.js';
import { useFieldDraft, type FieldDraft } from '../components/useFieldDraft.js';
import { AcceptAllComputed, ComputedFigure, canAcceptComputed } from '../components/Computed.js';
import { Bar, SeverityIcon, StatusMark, formatNumber, percent, targetMet, TargetStateWord } from '../components/common.js';
import { useWorkspaceData, type Focus } from '../data.js';
import { useFindingText } from '../findingText.js';
import { useI18n, type MessageKey } from '../i18n.js';

const PERIOD_LABEL: Record<Requirement['period'], MessageKey> = {
  once: '一次',
  yearly: '每年',
  quarterly: '每季度',
  monthly: '每月',
  'per-event': '每次活动',
};

export function IndicatorsScreen({ focus, onGo }: { focus: { indicator: string; requirement?: string } | null; onGo: (focus: Focus) => void }) {
  const { t } = useI18n();
  const data = useWorkspaceData();
  const firstCode = data.info.framework.categories[0]?.indicators[0]?.code ?? '';
  const [code, setCode] = useState(focus?.indicator ?? firstCode);
  const [highlight, setHighlight] = useState<string | undefined>(focus?.requirement);
  const results = useMemo(() => {
    const map = new Map<string, IndicatorResult>();
    for (const c of data.gaps?.summary.categories ?? []) for (const i of c.indicators) map.set(i.code, i);
    return map;
  }, [data.gaps]);
  const order = useMemo(() => [...data.indicators.keys()], [data.indicators]);

  const [seenFocus, setSeenFocus] = useState(focus);
  if (focus !== seenFocus) {
    setSeenFocus(focus);
    if (focus) {
      setCode(focus.indicator);
      setHighlight(focus.requirement);
    }
  }

  const onTreeKey = (event: KeyboardEvent) => {
    const at = order.indexOf(code);
    if (event.key === 'ArrowDown' && at < order.length - 1) setCode(order[at + 1]);
    else if (event.key === 'ArrowUp' && at > 0) setCode(order[at - 1]);
    else return;
    event.preventDefault();
    setHighlight(undefined);
  };

  const indicator = data.indicators.get(code);
  return (
    <div className="indicators-screen">
      <nav className="tree" aria-label={t('指标体系')} tabIndex={0} onKeyDown={onTreeKey} role="tree">
        <AcceptAllComputed />
        {data.info.framework.categories.map((c) => (
          <div key={c.code} role="group" className="tree-group">
            <div className="tree-category">
              {c.code}. {c.title}
              {c.bonus && <span className="tag">{t('加分')}</span>}
              {c.negative && <span className="tag">{t('负面清单')}</span>}
            </div>
            {c.indicators.map((i) => {
              const r = results.get(i.code);
              return (
                <div
                  key={i.code}
                  role="treeitem"
                  aria-selected={i.code === code}
                  className={`tree-item ${i.code === code ? 'active' : ''}`}
                  onClick={() => (setCode(i.code), setHighlight(undefined))}
                >
                  {r ? <StatusMark status={r.status} /> : <span className="status" />}
                  <span className="code">{i.code}</span>
                  <span className="ellipsis">{i.title}</span>
                  {r && r.findings > 0 && <span className="badge">{r.findings}</span>}
                </div>
              );
            })}
          </div>
        ))}
      </nav>
      <div className="indicator-detail">
        {indicator ? <IndicatorDetail key={indicator.code} indicator={indicator} result={results.get(indicator.code)} highlight={highlight} onGo={onGo} /> : <p className="muted pad">{t('选择左侧的指标。')}</p>}
      </div>
    </div>
  );
}

function IndicatorDetail({ indicator, result, highlight, onGo }: { indicator: Indicator; result?: IndicatorResult; highlight?: string; onGo: (focus: Focus) => void }) {
  const text = useFindingText();
  const { t, typeLabel } = useI18n();
  const data = useWorkspaceData();
  const importer = useImporter();
  const findings = (data.gaps?.findings ?? []).filter((f) => f.indicator === indicator.code);
  const evidence = (data.evidence ?? []).filter((e) => e.links.some((l) => l.indicator === indicator.code));
  const targets = (data.targets ?? []).filter((row) => row.indicator === indicator.code);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (highlight) ref.current?.querySelector(`[data-requirement="${CSS.escape(highlight)}"]`)?.scrollIntoView({ block: 'center' });
  }, [highlight]);

  return (
    <DropZone className="detail-scroll" onDrop={(dt) => void importer.importDrop(dt, { indicator: indicator.code })} label={t('松开鼠标即可归入本指标')}>
      <div ref={ref}>
        <header className="detail-head">
          <div>
            <h2>
              {result && <StatusMark status={result.status} />} {indicator.code} {indicator.title}
            </h2>
            <p className="muted small">
              {t('牵头单位')}：{indicator.department ?? t('未指定')}
              {result && ` · ${t('完成度')} ${percent(result.completeness)}`}
            </p>
          </div>
          <ImportButtons importer={importer} target={{ indicator: indicator.code }} />
        </header>
        <ImportStatus importer={importer} />
        {indicator.description && <p className="indicator-text">{indicator.description}</p>}

        <h3>{t('材料要求')}</h3>
        {indicator.requirements.length === 0 && <p className="muted">{t('本指标没有材料要求。')}</p>}
        <div className="slots">
          {indicator.requirements.map((req) => (
            <Slot
              key={req.id}
              requirement={req}
              result={result?.requirements.find((r) => r.requirement === req.id)}
              highlighted={highlight === req.id}
              importer={importer}
              indicator={indicator.code}
              typeName={typeLabel(req.type)}
              evidence={evidence}
              onOpen={(id) => onGo({ tab: 'evidence', evidenceId: id })}
            />
          ))}
        </div>

        {targets.length > 0 && (
          <>
            <h3>{t('协议指标')}</h3>
            <table className="plain targets-edit">
              <thead>
                <tr>
                  <th>{t('目标项')}</th>
                  <th>{t('目标值')}</th>
                  <th>{t('实际值')}</th>
                  <th>{t('数据来源')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {targets.map((row) => (
                  <TargetEditor key={row.id} row={row} />
                ))}
              </tbody>
            </table>
          </>
        )}

        {findings.length > 0 && (
          <>
            <h3>{t('问题')}</h3>
            <ul className="finding-list">
              {findings.map((f) => (
                <li key={f.id}>
                  <SeverityIcon severity={f.severity} /> {text(f).message}
                  <div className="muted small">{text(f).action}</div>
                </li>
              ))}
            </ul>
          </>
        )}

        <h3>
          {t('已归入的材料')}（{evidence.length}）
        </h3>
        <div className="cards">
          {evidence.map((ev) => (
            <EvidenceCard key={ev.id} evidence={ev} onOpen={() => onGo({ tab: 'evidence', evidenceId: ev.id })} />
          ))}
          {evidence.length === 0 && <p className="muted">{t('还没有材料。把文件拖到这里，或点“添加文件…”。')}</p>}
        </div>
      </div>
    </DropZone>
  );
}

type SlotProps = {
  requirement: Requirement;
  result?: RequirementResult;
  highlighted: boolean;
  importer: Importer;
  indicator: string;
  typeName: string;
  evidence: EvidenceRow[];
  onOpen: (id: number) => void;
};

function Slot({ requirement: req, result, highlighted, importer, indicator, typeName, evidence, onOpen }: SlotProps) {
  const { t } = useI18n();
  const counted = new Set(result?.evidence ?? []);
  const filed = evidence.filter((e) => counted.has(e.id) || e.links.some((l) => l.indicator === indicator && l.requirement === req.id));
  return (
    <DropZone className={`slot ${highlighted ? 'highlight' : ''} slot-${result?.status ?? 'missing'}`} onDrop={(dt) => void importer.importDrop(dt, { indicator, requirement: req.id })} label={t('松开鼠标即可放入此项')}>
      <div data-requirement={req.id} className="slot-inner">
        <div className="slot-head">
          {result && <StatusMark status={result.status} />}
          <strong>{req.title}</strong>
          {!req.mandatory && <span className="tag">{t('选报')}</span>}
          <span className="muted small">
            {typeName} · {t(PERIOD_LABEL[req.period])} {t('至少 {n} 件', { n: req.min })}
          </span>
          <span className="spacer" />
          {result && (
            <span className={result.status === 'met' ? 'ok-text' : 'bad-text'}>
              {t('已有 {have} / 需 {need}', { have: result.have, need: result.need })}
            </span>
          )}
        </div>
        {req.hint && <p className="muted small">{req.hint}</p>}
        {result?.periods && (
          <div className="periods" aria-label={t('分期情况')}>
            {result.periods.map((p) => (
              <span key={p.key} className={`period ${p.covered ? 'covered' : 'gap'}`} title={`${p.key} ${p.covered ? t('已有') : t('缺')}`}>
                {p.key.replace(/^\d{4}-?/, '') || p.key}
              </span>
            ))}
          </div>
        )}
        {filed.length > 0 && (
          <div className="slot-files">
            {filed.map((e) => (
              <button key={e.id} type="button" className={`chip ${counted.has(e.id) ? '' : 'not-counted'}`} onClick={() => onOpen(e.id)} title={counted.has(e.id) ? undefined : t('未计入：类型、日期或可读性不符合')}>
                #{e.id} {e.title}
              </button>
            ))}
          </div>
        )}
      </div>
    </DropZone>
  );
}

function parseNumber(text: string): number | null | 'invalid' {
  const s = text.trim().replace(/,/g, '');
  if (!s) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : 'invalid';
}

function TargetEditor({ row }: { row: TargetRow }) {
  const { t } = useI18n();
  const act = useAction();
  const [error, setError] = useState<string | null>(null);
  const met = targetMet(row);

  /** Saves one field only: the neighbours may hold text the user is still typing. */
  const saveField = async (field: 'target' | 'actual' | 'source', draft: FieldDraft) => {
    if (!draft.dirty) return;
    const submitted = draft.value;
    let value: number | string | null;
    if (field === 'source') value = submitted.trim() || null;
    else {
      const n = parseNumber(submitted);
      if (n === 'invalid') return setError(t('请填写数字，例如 30 或 87.8。'));
      value = n;
    }
    setError(null);
    const done = await act('targets.set', { id: row.id, [field]: value }, { invalidates: ['targets', 'gaps', 'history'] });
    if (done) draft.markSaved(submitted);
  };
  const target = useFieldDraft(row.target?.toString() ?? '', (d) => void saveField('target', d));
  const actual = useFieldDraft(row.actual?.toString() ?? '', (d) => void saveField('actual', d));
  const source = useFieldDraft(row.source ?? '', (d) => void saveField('source', d));
  const onKey = (field: 'target' | 'actual' | 'source', draft: FieldDraft) => (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') void saveField(field, draft);
  };
  return (
    <tr className={met === false ? 'unmet' : undefined}>
      <td>
        {row.label}
        <span className="muted small">
          {' '}
          （{row.comparison === '>=' ? '≥' : row.comparison === '<=' ? '≤' : '='} {row.unit}）
        </span>
        {error && <div className="field-error">{error}</div>}
      </td>
      <td>
        <input className="num-input" aria-label={`${row.label} ${t('目标值')}`} {...target.inputProps} onKeyDown={onKey('target', target)} />
      </td>
      <td>
        <input className="num-input" aria-label={`${row.label} ${t('实际值')}`} {...actual.inputProps} onKeyDown={onKey('actual', actual)} />
        {row.computed && <ComputedFigure row={{ ...row, computed: row.computed }} />}
        {canAcceptComputed(row) && (
          <button
            type="button"
            className="small"
            onClick={() => void act('targets.acceptComputed', { ids: [row.id] }, { invalidates: ['targets', 'gaps', 'history'], success: t('已采用台账计算值：{label}', { label: row.label }) })}
          >
            {t('采用台账计算值')}
          </button>
        )}
      </td>
      <td>
        <input aria-label={`${row.label} ${t('数据来源')}`} {...source.inputProps} onKeyDown={onKey('source', source)} placeholder={t('台账名称或材料编号')} />
      </td>
      <td className="nowrap">
        {met == null ? '' : <Bar value={met ? 1 : row.target ? (row.actual ?? 0) / row.target : 0} tone={met ? 'ok' : 'bad'} />}{' '}
        {met == null ? '' : met ? <span className="ok-text"><TargetStateWord met={met} /></span> : <span className="bad-text"><TargetStateWord met={met} /> {formatNumber(row.actual)}</span>}
      </td>
    </tr>
  );
}

function EvidenceCard({ evidence, onOpen }: { evidence: EvidenceRow; onOpen: () => void }) {
  const { typeLabel } = useI18n();
  const isImage = IMAGE_FORMATS.includes(evidence.format) && evidence.readability === 'ok';
  return (
    <button type="button" className="ev-card" onClick={onOpen} title={evidence.source}>
      <div className="ev-thumb">
        {isImage && evidence.thumbUrl ? <img src={evidence.thumbUrl} alt={evidence.title} loading="lazy" /> : <span className="ev-format">{evidence.format.toUpperCase()}</span>}
      </div>
      <div className="ev-card-title ellipsis2">{evidence.title}</div>
      <div className="muted small">
        {typeLabel(evidence.type)} · {evidence.date ?? '—'}
      </div>
    </button>
  );
}


import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { EVIDENCE_TYPES, IMAGE_FORMATS, type Evidence, type EvidenceType } from '../../shared/domain/types.js';
import { useAction, useApi, useNotify, useQuery } from '../api/hooks.js';
import { errorMessage } from '../api/client.js';
import { overwrittenValues, useConfirm } from '../components/ConfirmDialog.js';
import { DateInput } from '../components/DateInput.js';
import { DropZone, ImportButtons, ImportStatus, pickAndImport, useImporter, type ImportRequest } from '../components/Importer.js';
import { LedgerSheets } from '../components/LedgerSheets.js';
import { MetadataForm, isValidDate, normalizeDate } from '../components/MetadataForm.js';
import { emptySelection, pruneSelection, type Selection } from '../components/selection.js';
import { VirtualTable, type Column } from '../components/VirtualTable.js';
import { SeverityIcon, percent } from '../components/common.js';
import { useWorkspaceData, type BackTarget, type EvidenceField } from '../data.js';
import { useFindingText } from '../findingText.js';
import { useI18n, type MessageKey } from '../i18n.js';
import type { EvidenceRow } from '../../shared/api/contract.js';
import { explainReason, explainSource } from '../../shared/intake/reasons.js';
import { fieldName } from '../../shared/vocabulary.js';
import { emptyFilter, filterEvidence, isSuggested, type EvidenceFilter } from './evidenceFilter.js';
import { nextSort, sortEvidence, type Sort, type SortKey } from './evidenceSort.js';

const READABILITY: Record<Evidence['readability'], MessageKey> = {
  ok: '正常',
  encrypted: '已加密',
  corrupt: '文件损坏',
  unsupported: '格式不支持',
  empty: '空文件',
  complex: '结构过于复杂',
};

/**
 * Debounced search through `evidence.search` (Chinese substring of any length). Only committed text is searched
 * (see SearchBox), and the last answer stays on screen until the next one arrives, so the table never blanks.
 */
function useSearch(query: string): { matches: ReadonlySet<number> | null; error: string | null } {
  const api = useApi();
  const { lang } = useI18n();
  const [result, setResult] = useState<{ query: string; matches: ReadonlySet<number> | null; error: string | null }>({ query: '', matches: null, error: null });
  const q = query.trim();
  useEffect(() => {
    if (!q) return;
    let live = true;
    const timer = setTimeout(() => {
      api.call('evidence.search', { query: q }).then(
        (ids) => live && setResult({ query: q, matches: new Set(ids), error: null }),
        (err: unknown) => live && setResult((r) => ({ ...r, error: errorMessage(err, lang) })),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, lang, q]);
  // While the next answer is on its way, the previous one stays if it belongs to the same line of typing ("挂" then
  // "挂职"); an answer to a query typed before the box was cleared would be an unrelated flash, so the full list stays.
  const related = q.startsWith(result.query) || result.query.startsWith(q);
  return q && result.query && related ? result : { matches: null, error: null };
}

/**
 * The search box shows every keystroke, but while an input method is composing (pinyin such as "guazhi" before
 * the user picks 挂职) nothing is searched: the query changes only with committed text.
 */
function SearchBox({ value, onChange, onCommit }: { value: string; onChange: (text: string) => void; onCommit: (text: string) => void }) {
  const { t } = useI18n();
  const composing = useRef(false);
  return (
    <input
      type="search"
      className="search"
      placeholder={t('搜索题名、文号、正文…')}
      aria-label={t('搜索')}
      value={value}
      onCompositionStart={() => (composing.current = true)}
      onCompositionEnd={(e) => {
        composing.current = false;
        onChange(e.currentTarget.value);
        onCommit(e.currentTarget.value);
      }}
      onChange={(e) => {
        onChange(e.target.value);
        const native = e.nativeEvent;
        if (!composing.current && !(native instanceof InputEvent && native.isComposing)) onCommit(e.target.value);
      }}
    />
  );
}

type EvidenceFocus = { evidenceId: number; field?: EvidenceField; back?: BackTarget };
const BACK_LABEL: Record<BackTarget, MessageKey> = { findings: '← 返回问题清单', department: '← 返回本单位清单' };

export function EvidenceScreen({ focus, onBack, importRequest }: { focus: EvidenceFocus | null; onBack?: (to: BackTarget) => void; importRequest?: ImportRequest | null }) {
  const { t, typeLabel, lang } = useI18n();
  const findingText = useFindingText();
  const data = useWorkspaceData();
  const act = useAction();
  const notify = useNotify();
  const importer = useImporter();
  const [reclassifying, setReclassifying] = useState(false);

  // The desktop menu's 导入文件/导入文件夹 opens the picker here; each request (seq) is handled once.
  const handledRequest = useRef(importRequest?.seq ?? 0);
  useEffect(() => {
    if (!importRequest || importRequest.seq === handledRequest.current) return;
    handledRequest.current = importRequest.seq;
    void pickAndImport(importer, importRequest.kind);
  }, [importRequest, importer]);

  const reclassify = async () => {
    setReclassifying(true);
    const result = await act('evidence.reclassify', {}, { invalidates: ['evidence', 'gaps', 'history'] });
    setReclassifying(false);
    if (result) notify(result.changed ? 'success' : 'info', result.changed ? t('已按您的修正重新归类 {n} 件材料。', { n: result.changed }) : t('重新归类完成，没有需要调整的材料。'));
  };
  const [searchText, setSearchText] = useState('');
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<Sort | null>(null);
  const [filter, setFilter] = useState<Omit<EvidenceFilter, 'matches'>>(emptyFilter);
  const [rawSelection, setSelection] = useState<Selection>(emptySelection);
  const search = useSearch(query);
  const departments = useMemo(() => [...new Set([...data.indicators.values()].map((i) => i.department).filter((d): d is string => !!d))], [data.indicators]);

  const rows = useMemo(
    () => sortEvidence(filterEvidence(data.evidence ?? [], { ...filter, matches: search.matches }, data), sort, { typeLabel, findingsByEvidence: data.findingsByEvidence }),
    [data, filter, search.matches, sort, typeLabel],
  );
  const order = useMemo(() => rows.map((r) => r.id), [rows]);

  // Items filtered away or deleted drop out of the selection.
  const selection = useMemo(() => pruneSelection(rawSelection, order), [rawSelection, order]);

  // Arriving from a finding: show that item, even if the current filters hide it.
  const [seenFocus, setSeenFocus] = useState<typeof focus>(null);
  if (focus !== seenFocus) {
    setSeenFocus(focus);
    if (focus) {
      setQuery('');
      setSearchText('');
      setFilter(emptyFilter);
      setSelection({ ids: new Set([focus.evidenceId]), anchor: focus.evidenceId, focus: focus.evidenceId });
    }
  }

  const selectedIds = useMemo(() => [...selection.ids], [selection.ids]);
  const accept = useCallback(
    async (ids: number[]) => {
      const targets = ids.filter((id) => {
        const ev = data.evidenceById.get(id);
        return ev && isSuggested(ev);
      });
      if (!targets.length) return notify('info', t('所选材料没有待确认的建议。'));
      const done = await act('evidence.accept', { ids: targets }, { invalidates: ['evidence', 'gaps', 'history'] });
      if (done) notify('success', t('已确认 {n} 件材料的分类。', { n: done.length }));
    },
    [act, data.evidenceById, notify, t],
  );
  const confirm = useConfirm();
  const remove = useCallback(
    async (ids: number[]) => {
      if (!ids.length) return;
      // One item goes at once (it is one undo away); more than one asks first, with the count.
      if (ids.length > 1) {
        const ok = await confirm({
          title: t('移到回收站？'),
          message: t('将把所选的 {n} 件材料移到回收站。可以用“撤销”一次全部找回，或在“设置 → 回收站”中恢复。', { n: ids.length }),
          confirm: t('移到回收站（{n} 件）', { n: ids.length }),
          danger: true,
        });
        if (!ok) return;
      }
      const done = await act('evidence.delete', { ids }, { invalidates: ['evidence', 'gaps', 'history', 'trash', 'session'] });
      if (done) notify('success', t('已将 {n} 件材料移到回收站，可在“设置”中恢复。', { n: done.deleted }));
    },
    [act, confirm, notify, t],
  );

  const columns = useMemo<Column<EvidenceRow>[]>(
    () => [
      { key: 'id', title: t('编号'), width: '56px', render: (ev) => ev.id, className: 'num' },
      {
        key: 'title',
        title: t('题名'),
        width: 'minmax(160px, 3fr)',
        sortable: true,
        tooltip: (ev) => `${ev.title}\n${explainSource(ev.source, lang)}`,
        render: (ev: EvidenceRow) => (
          <span className="title-cell">
            {ev.thumbUrl ? <img className="row-thumb" src={ev.thumbUrl} alt="" loading="lazy" /> : null}
            <span className="ellipsis">{ev.title}</span>
          </span>
        ),
      },
      {
        key: 'type',
        title: t('类型'),
        width: '96px',
        sortable: true,
        tooltip: (ev) => typeLabel(ev.type),
        render: (ev) => <span className={ev.typeOrigin === 'suggested' ? 'suggested' : undefined}>{typeLabel(ev.type)}</span>,
      },
      {
        key: 'ind',
        title: t('指标'),
        width: '92px',
        tooltip: (ev) => ev.links.map((l) => `${l.indicator} ${data.indicators.get(l.indicator)?.title ?? ''}`).join('\n'),
        render: (ev) =>
          ev.links.map((l) => (
            <span key={l.indicator} className={l.origin === 'suggested' ? 'suggested code' : 'code'} title={data.indicators.get(l.indicator)?.title}>
              {l.indicator}
            </span>
          )),
      },
      { key: 'doc', title: t('文号'), width: 'minmax(112px, 1.2fr)', sortable: true, tooltip: (ev) => ev.docNumber, render: (ev) => ev.docNumber ?? '' },
      { key: 'issuer', title: t('责任者'), width: 'minmax(80px, 1fr)', sortable: true, tooltip: (ev) => ev.issuer, render: (ev) => ev.issuer ?? '' },
      { key: 'date', title: t('日期'), width: '92px', sortable: true, tooltip: (ev) => ev.date, render: (ev) => ev.date ?? '' },
      { key: 'pages', title: t('页数'), width: '60px', render: (ev) => ev.pages ?? '', className: 'num' },
      {
        key: 'state',
        title: t('状态'),
        width: '104px',
        sortable: true,
        tooltip: (ev) => (ev.readability !== 'ok' ? (ev.readError ? explainReason(ev.readError, lang) : t(READABILITY[ev.readability])) : data.findingsByEvidence.get(ev.id)?.map((f) => findingText(f).message).join('\n')),
        render: (ev) => {
          if (ev.readability !== 'ok') return <span className="bad-text">{t(READABILITY[ev.readability])}</span>;
          const findings = data.findingsByEvidence.get(ev.id);
          if (findings?.length) {
            const worst = findings.some((f) => f.severity === 'error') ? 'error' : findings.some((f) => f.severity === 'warning') ? 'warning' : 'info';
            return (
              <span>
                <SeverityIcon severity={worst} /> {t('{n} 个问题', { n: findings.length })}
              </span>
            );
          }
          if (isSuggested(ev)) return <span className="muted">{t('待确认')}</span>;
          return <span className="ok-text">{t('正常')}</span>;
        },
      },
    ],
    [data.findingsByEvidence, data.indicators, findingText, lang, t, typeLabel],
  );

  const focused = selection.focus != null ? data.evidenceById.get(selection.focus) : undefined;
  const moreFilters = [filter.from, filter.to, filter.caption].filter(Boolean).length;

  return (
    <DropZone className="evidence-screen" onDrop={(dt) => void importer.importDrop(dt)} label={t('松开鼠标即可导入')}>
      <div className="toolbar">
        <SearchBox value={searchText} onChange={setSearchText} onCommit={setQuery} />
        <select aria-label={t('类型')} value={filter.type} onChange={(e) => setFilter({ ...filter, type: e.target.value as EvidenceType | '' })}>
          <option value="">{t('全部类型')}</option>
          {EVIDENCE_TYPES.map((type) => (
            <option key={type} value={type}>
              {typeLabel(type)}
            </option>
          ))}
        </select>
        <select aria-label={t('指标')} value={filter.indicator} onChange={(e) => setFilter({ ...filter, indicator: e.target.value })}>
          <option value="">{t('全部指标')}</option>
          {[...data.indicators.values()].map((i) => (
            <option key={i.code} value={i.code}>
              {i.code} {i.title}
            </option>
          ))}
        </select>
        <select aria-label={t('牵头单位')} value={filter.department} onChange={(e) => setFilter({ ...filter, department: e.target.value })}>
          <option value="">{t('全部单位')}</option>
          {departments.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
        <label className="inline">
          <input type="checkbox" checked={filter.hasFindings} onChange={(e) => setFilter({ ...filter, hasFindings: e.target.checked })} />
          {t('有问题')}
        </label>
        <label className="inline">
          <input type="checkbox" checked={!!filter.unconfirmed} onChange={(e) => setFilter({ ...filter, unconfirmed: e.target.checked })} />
          {t('待确认')}
        </label>
        {/* Dates and the caption filter are used less often: one menu keeps the toolbar on one row at 1366 px. */}
        <details className="toolbar-menu">
          <summary>
            {t('更多筛选')}
            {moreFilters > 0 && ` (${moreFilters})`}
          </summary>
          <div className="toolbar-menu-panel">
            <label className="inline">
              {t('从')}
              <DateInput aria-label={t('开始日期')} value={filter.from} onChange={(v, ok) => ok && setFilter((f) => ({ ...f, from: v }))} />
            </label>
            <label className="inline">
              {t('至')}
              <DateInput aria-label={t('结束日期')} value={filter.to} onChange={(v, ok) => ok && setFilter((f) => ({ ...f, to: v }))} />
            </label>
            <select aria-label={t('照片说明')} value={filter.caption ?? ''} onChange={(e) => setFilter({ ...filter, caption: e.target.value as EvidenceFilter['caption'] })}>
              <option value="">{t('照片说明：全部')}</option>
              <option value="with">{t('有说明')}</option>
              <option value="without">{t('缺说明')}</option>
            </select>
          </div>
        </details>
        <span className="spacer" />
        {focus?.back && onBack && (
          <button type="button" onClick={() => onBack(focus.back!)}>
            {t(BACK_LABEL[focus.back])}
          </button>
        )}
        <button type="button" onClick={() => void reclassify()} disabled={reclassifying} title={t('根据您已确认或修改过的分类，重新建议其余未确认材料的类型和指标')}>
          {reclassifying ? t('正在重新归类…') : t('重新归类')}
        </button>
        <ImportButtons importer={importer} />
      </div>
      {search.error && <p className="error-text">{search.error}</p>}
      <ImportStatus importer={importer} />
      <BatchBar ids={selectedIds} onAccept={() => void accept(selectedIds)} onDelete={() => void remove(selectedIds)} />
      <div className="evidence-split">
        <div className="evidence-table">
          <VirtualTable
            rows={rows}
            getId={getId}
            columns={columns}
            selection={selection}
            onSelectionChange={setSelection}
            onActivate={(id) => void accept(selection.ids.has(id) ? selectedIds : [id])}
            onDelete={() => void remove(selectedIds)}
            label={t('材料列表')}
            sort={sort}
            onSort={(key) => setSort((s) => nextSort(s, key as SortKey))}
            sortLabels={{ asc: t('升序'), desc: t('降序'), none: t('点击排序') }}
            empty={data.evidence ? (data.evidence.length ? t('没有符合条件的材料。') : t('还没有材料。点“添加文件夹…”或把文件夹拖到这里。')) : t('正在加载…')}
          />
          <div className="table-foot muted small">
            {t('共 {n} 件，显示 {m} 件，已选 {s} 件', { n: data.evidence?.length ?? 0, m: rows.length, s: selection.ids.size })} ·{' '}
            {t('Enter 确认建议 · Delete 移到回收站 · Ctrl+A 全选')}
          </div>
        </div>
        <aside className="preview" aria-label={t('预览')}>
          {focused ? (
            <EvidencePreview
              key={focused.id}
              evidence={focused}
              focusField={focus?.evidenceId === focused.id ? focus.field : undefined}
              onAccept={() => void accept([focused.id])}
              onDelete={() => void remove([focused.id])}
            />
          ) : (
            <p className="muted pad">{t('选择一件材料查看预览和信息。')}</p>
          )}
        </aside>
      </div>
    </DropZone>
  );
}

const getId = (ev: EvidenceRow) => ev.id;

function BatchBar({ ids, onAccept, onDelete }: { ids: number[]; onAccept: () => void; onDelete: () => void }) {
  const { t, typeLabel, lang } = useI18n();
  const { indicators, evidenceById } = useWorkspaceData();
  const act = useAction();
  const notify = useNotify();
  const confirm = useConfirm();
  /** Applies a batch edit, after saying so when it replaces values that differ (five different dates…). */
  const applyOverwriting = async (field: 'date' | 'type', value: string, shown: string, current: (ev: Evidence) => string | null | undefined, apply: () => Promise<unknown>) => {
    const items = ids.map((id) => evidenceById.get(id)).filter((ev): ev is EvidenceRow => !!ev);
    const { count, examples } = overwrittenValues(items, current, value);
    if (count > 0) {
      const name = fieldName(field, lang);
      const ok = await confirm({
        title: t('覆盖不同的{field}？', { field: name }),
        message: t('所选 {total} 件中有 {n} 件已有不同的{field}（{examples}），将全部改为 {value}。', {
          total: items.length,
          n: count,
          field: name,
          examples: `${examples.join(lang === 'zh' ? '、' : ', ')}${count > examples.length ? '…' : ''}`,
          value: shown,
        }),
        confirm: t('全部改为 {value}', { value: shown }),
      });
      if (!ok) return;
    }
    await apply();
  };
  const [type, setType] = useState<EvidenceType | ''>('');
  const [indicator, setIndicator] = useState('');
  const [date, setDate] = useState('');
  if (ids.length < 2) return null;
  const inv = ['evidence', 'gaps', 'history'] as const;
  return (
    <div className="batchbar" role="toolbar" aria-label={t('批量修改')}>
      <strong>{t('已选 {n} 件', { n: ids.length })}</strong>
      <select aria-label={t('批量设置类型')} value={type} onChange={(e) => setType(e.target.value as EvidenceType | '')}>
        <option value="">{t('类型…')}</option>
        {EVIDENCE_TYPES.map((x) => (
          <option key={x} value={x}>
            {typeLabel(x)}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={!type}
        onClick={() =>
          type &&
          void applyOverwriting(
            'type',
            type,
            typeLabel(type),
            // Only a type the user chose counts as overwritten; a suggestion is replaced without a question.
            (ev) => (ev.typeOrigin === 'user' ? typeLabel(ev.type) : null),
            () => act('evidence.update', { ids, patch: { type } }, { invalidates: [...inv], success: t('已修改类型。') }),
          )
        }
      >
        {t('设为该类型')}
      </button>
      <select aria-label={t('批量归入指标')} value={indicator} onChange={(e) => setIndicator(e.target.value)}>
        <option value="">{t('指标…')}</option>
        {[...indicators.values()].map((i) => (
          <option key={i.code} value={i.code}>
            {i.code} {i.title}
          </option>
        ))}
      </select>
      <button type="button" disabled={!indicator} onClick={() => void act('evidence.link', { ids, indicator }, { invalidates: [...inv], success: t('已归入指标 {code}。', { code: indicator }) })}>
        {t('归入')}
      </button>
      <input aria-label={t('批量设置日期')} placeholder="YYYY-MM-DD" value={date} onChange={(e) => setDate(e.target.value)} className="date-input" />
      <button
        type="button"
        disabled={!date}
        onClick={() => {
          const d = normalizeDate(date);
          if (!isValidDate(d)) return notify('error', t('日期应为 YYYY-MM-DD，例如 2019-03-15。'));
          void applyOverwriting('date', d, d, (ev) => ev.date, () => act('evidence.update', { ids, patch: { date: d } }, { invalidates: [...inv], success: t('已修改日期。') }));
        }}
      >
        {t('设置日期')}
      </button>
      <button type="button" onClick={onAccept}>
        {t('确认建议')}
      </button>
      <button type="button" className="danger" onClick={onDelete}>
        {t('移到回收站')}
      </button>
    </div>
  );
}

const FIELD_SELECTOR: Record<EvidenceField, string> = {
  title: 'input[name="title"]',
  docNumber: 'input[name="docNumber"]',
  issuer: 'input[name="issuer"]',
  date: 'input[name="date"]',
  caption: 'input[name="caption.subject"]',
  link: 'select[data-field="link"]',
};

/** Background OCR of a scan or picture: 识别中 while pending, then where the text came from and how sure it is. */
export function OcrStatus({ evidence }: { evidence: Evidence }) {
  const { t, lang } = useI18n();
  if (evidence.ocrState === 'pending' || evidence.ocrState === 'running') {
    // Waiting with a reason (the OCR engine could not start): the reason says what to do, the item keeps its place.
    if (evidence.ocrError) return <div className="warn-text small" data-testid="ocr-state">{t('等待识别：')}{explainReason(evidence.ocrError, lang)}</div>;
    return <div className="muted small" data-testid="ocr-state">{t('识别中…')}</div>;
  }
  if (evidence.ocrState === 'failed') return <div className="bad-text small" data-testid="ocr-state">{evidence.ocrError ? explainReason(evidence.ocrError, lang) : t('文字识别失败')}</div>;
  if (evidence.textSource !== 'ocr') return null;
  return <div className="muted small" data-testid="ocr-state">{t('文字来自OCR（置信度 {n}）', { n: percent(evidence.ocrConfidence ?? 0) })}</div>;
}

export function EvidencePreview({ evidence, focusField, onAccept, onDelete }: { evidence: Evidence; focusField?: EvidenceField; onAccept: () => void; onDelete: () => void }) {
  const text = useFindingText();
  const { t, typeLabel, lang } = useI18n();
  const root = useRef<HTMLDivElement>(null);
  // Arriving from a finding: put the cursor in the field that fixes it (the form is below the preview).
  useEffect(() => {
    if (!focusField) return;
    const el = root.current?.querySelector<HTMLElement>(FIELD_SELECTOR[focusField]);
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    el.focus({ preventScroll: true });
  }, [focusField]);
  const data = useWorkspaceData();
  const act = useAction();
  const detail = useQuery('evidence.get', { id: evidence.id }, ['evidence']);
  const [linkTo, setLinkTo] = useState('');
  const [linkReq, setLinkReq] = useState('');
  const findings = data.findingsByEvidence.get(evidence.id) ?? [];
  const inv = ['evidence', 'gaps', 'history'] as const;
  const suggestedLinks = evidence.links.filter((l) => l.origin === 'suggested');
  const d = detail.data?.id === evidence.id ? detail.data : undefined;
  const isImage = IMAGE_FORMATS.includes(evidence.format);

  return (
    <div className="preview-inner" ref={root}>
      <div className="preview-file">
        {detail.error && <p className="error-text">{detail.error}</p>}
        {evidence.readability !== 'ok' ? (
          <p className="bad-text pad">{evidence.readError ? explainReason(evidence.readError, lang) : t(READABILITY[evidence.readability])}</p>
        ) : !d ? (
          <p className="muted pad">{t('正在加载…')}</p>
        ) : evidence.format === 'pdf' ? (
          <iframe src={d.fileUrl} title={evidence.title} className="pdf-frame" />
        ) : isImage ? (
          <img src={d.fileUrl} alt={evidence.title} className="preview-img" />
        ) : d.textExcerpt ? (
          <pre className="excerpt">{d.textExcerpt.slice(0, 4000)}</pre>
        ) : (
          <p className="muted pad">{t('此格式无法预览。')}</p>
        )}
      </div>
      <div className="preview-meta">
        <div className="preview-title">
          <strong>#{evidence.id}</strong> <span className="muted small">{explainSource(evidence.source, lang)}</span>
        </div>
        <OcrStatus evidence={evidence} />
        {findings.length > 0 && (
          <ul className="finding-list compact">
            {findings.map((f) => (
              <li key={f.id}>
                <SeverityIcon severity={f.severity} /> {text(f).message}
                <div className="muted small">{text(f).action}</div>
              </li>
            ))}
          </ul>
        )}
        {(evidence.typeOrigin === 'suggested' || suggestedLinks.length > 0) && (
          <div className="suggestion" data-testid="suggestion">
            <span>
              {t('建议')}：
              {evidence.typeOrigin === 'suggested' && (
                <span className="chip">
                  {typeLabel(evidence.type)} {percent(evidence.typeConfidence)}
                </span>
              )}
              {suggestedLinks.map((l) => (
                <span key={l.indicator} className="chip" title={data.indicators.get(l.indicator)?.title}>
                  {l.indicator} {percent(l.confidence)}
                </span>
              ))}
            </span>
            <button type="button" className="primary" onClick={onAccept} title="Enter">
              {t('接受')} ⏎
            </button>
          </div>
        )}
        <label className="inline">
          {t('类型')}
          <select
            value={evidence.type}
            onChange={(e) => void act('evidence.update', { ids: [evidence.id], patch: { type: e.target.value as EvidenceType } }, { invalidates: [...inv] })}
          >
            {EVIDENCE_TYPES.map((x) => (
              <option key={x} value={x}>
                {typeLabel(x)}
              </option>
            ))}
          </select>
        </label>
        <div className="links">
          <span>{t('归入指标')}：</span>
          {evidence.links.length === 0 && <span className="muted">{t('未归入')}</span>}
          {evidence.links.map((l) => {
            const ind = data.indicators.get(l.indicator);
            const req = ind?.requirements.find((r) => r.id === l.requirement);
            return (
              <span key={l.indicator} className={`chip ${l.origin === 'suggested' ? 'suggested' : ''}`} title={`${ind?.title ?? ''}${req ? ` / ${req.title}` : ''}`}>
                {l.indicator} {ind?.title}
                <button
                  type="button"
                  className="link"
                  aria-label={t('移出指标 {code}', { code: l.indicator })}
                  onClick={() => void act('evidence.unlink', { ids: [evidence.id], indicator: l.indicator }, { invalidates: [...inv] })}
                >
                  ×
                </button>
              </span>
            );
          })}
        </div>
        <div className="link-add">
          <select aria-label={t('归入指标')} data-field="link" value={linkTo} onChange={(e) => (setLinkTo(e.target.value), setLinkReq(''))}>
            <option value="">{t('选择指标…')}</option>
            {[...data.indicators.values()].map((i) => (
              <option key={i.code} value={i.code}>
                {i.code} {i.title}
              </option>
            ))}
          </select>
          {linkTo && (
            <select aria-label={t('材料要求')} value={linkReq} onChange={(e) => setLinkReq(e.target.value)}>
              <option value="">{t('自动匹配要求')}</option>
              {data.indicators.get(linkTo)?.requirements.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.title}
                </option>
              ))}
            </select>
          )}
          <button
            type="button"
            disabled={!linkTo}
            onClick={async () => {
              const ok = await act('evidence.link', { ids: [evidence.id], indicator: linkTo, ...(linkReq ? { requirement: linkReq } : {}) }, { invalidates: [...inv] });
              if (ok) setLinkTo('');
            }}
          >
            {t('归入')}
          </button>
        </div>
        <MetadataForm
          evidence={evidence}
          onSave={async (patch) => !!(await act('evidence.update', { ids: [evidence.id], patch }, { invalidates: [...inv] }))}
        />
        <LedgerSheets evidence={evidence.id} />
        <div className="form-actions">
          <button type="button" className="danger" onClick={onDelete}>
            {t('移到回收站')}
          </button>
        </div>
      </div>
    </div>
  );
}

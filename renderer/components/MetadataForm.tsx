import { useState, type FormEvent } from 'react';
import type { Evidence, PhotoCaption } from '../../shared/domain/types.js';
import { useI18n, type MessageKey } from '../i18n.js';

export type EvidencePatch = {
  title?: string;
  docNumber?: string | null;
  issuer?: string | null;
  date?: string | null;
  caption?: PhotoCaption;
};

const CAPTION_FIELDS = ['subject', 'time', 'place', 'people', 'background', 'photographer', 'note'] as const;
type CaptionField = (typeof CAPTION_FIELDS)[number];
const CAPTION_LABEL: Record<CaptionField, MessageKey> = {
  subject: '事由',
  time: '时间',
  place: '地点',
  people: '人物（含职务）',
  background: '背景',
  photographer: '摄影者',
  note: '说明',
};

export type MetadataValues = {
  title: string;
  docNumber: string;
  issuer: string;
  date: string;
  caption: Record<CaptionField, string>;
};

export function valuesFrom(ev: Evidence): MetadataValues {
  return {
    title: ev.title,
    docNumber: ev.docNumber ?? '',
    issuer: ev.issuer ?? '',
    date: ev.date ?? '',
    caption: Object.fromEntries(CAPTION_FIELDS.map((f) => [f, ev.caption?.[f] ?? ''])) as Record<CaptionField, string>,
  };
}

/** A real calendar date as YYYY-MM-DD (2019-02-30 is refused), or empty. */
export function isValidDate(value: string, options: { month?: boolean } = {}): boolean {
  if (value === '') return true;
  // Month precision ("2024-12") for a document that gives no day; a photo's time is always a day.
  if (options.month && /^\d{4}-\d{2}$/.test(value)) return isValidDate(`${value}-01`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Accepts what office staff type: 2019.3.5, 2019/03/05, 2019年3月5日, 20190305 → 2019-03-05. */
export function normalizeDate(input: string): string {
  const s = input.trim();
  const m = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) {
    const month = /^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?$/.exec(s);
    return month ? `${month[1]}-${month[2].padStart(2, '0')}` : s;
  }
  return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
}

export type FieldErrors = Partial<Record<'title' | 'date' | 'caption.time', MessageKey>>;

/** The fields that changed, as an `evidence.update` patch, or the reasons it cannot be saved. */
export function buildPatch(ev: Evidence, values: MetadataValues): { patch: EvidencePatch; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const before = valuesFrom(ev);
  const patch: EvidencePatch = {};
  const title = values.title.trim();
  if (!title) errors.title = '题名不能为空。';
  else if (title !== before.title) patch.title = title;
  const docNumber = values.docNumber.trim();
  if (docNumber !== before.docNumber) patch.docNumber = docNumber || null;
  const issuer = values.issuer.trim();
  if (issuer !== before.issuer) patch.issuer = issuer || null;
  const date = normalizeDate(values.date);
  if (!isValidDate(date, { month: true })) errors.date = '日期应为 YYYY-MM-DD，例如 2019-03-15（只知月份时写 2019-03）。';
  else if (date !== before.date) patch.date = date || null;
  if (ev.type === 'photo') {
    const caption: PhotoCaption = {};
    for (const f of CAPTION_FIELDS) {
      const value = f === 'time' ? normalizeDate(values.caption[f]) : values.caption[f].trim();
      if (value !== before.caption[f]) caption[f] = value;
    }
    if (caption.time && !isValidDate(caption.time)) errors['caption.time'] = '日期应为 YYYY-MM-DD，例如 2019-03-15。';
    if (Object.keys(caption).length) patch.caption = caption;
  }
  return { patch, errors };
}

type Props = {
  evidence: Evidence;
  /** Resolves true when saved. */
  onSave: (patch: EvidencePatch) => Promise<boolean>;
};

/** 题名 / 文号 / 责任者 / 日期, and for photos the caption (六要素). Only changed fields are sent. */
export function MetadataForm({ evidence, onSave }: Props) {
  const { t } = useI18n();
  const [values, setValues] = useState(() => valuesFrom(evidence));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const [savedNote, setSavedNote] = useState<string | null>(null);

  // A refetch hands a new object for the same item: reload the fields only when the item really changed,
  // and forget the "saved" note only when another item is shown (React's "adjust state on prop change").
  const version = `${evidence.id}:${evidence.updatedAt}`;
  const [shown, setShown] = useState({ version, id: evidence.id });
  if (shown.version !== version) {
    setShown({ version, id: evidence.id });
    setValues(valuesFrom(evidence));
    setErrors({});
    if (shown.id !== evidence.id) setSavedNote(null);
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { patch, errors: found } = buildPatch(evidence, values);
    setErrors(found);
    if (Object.keys(found).length) return;
    if (!Object.keys(patch).length) {
      setSavedNote(t('没有修改。'));
      return;
    }
    setSaving(true);
    const ok = await onSave(patch);
    setSaving(false);
    if (ok) setSavedNote(t('已保存。'));
  };

  const field = (key: 'title' | 'docNumber' | 'issuer' | 'date', label: MessageKey, placeholder?: MessageKey) => (
    <div className="field">
    <label className={errors[key as keyof FieldErrors] ? 'has-error' : undefined}>
      {t(label)}
      <input
        name={key}
        value={values[key]}
        placeholder={placeholder ? t(placeholder) : undefined}
        aria-invalid={!!errors[key as keyof FieldErrors]}
        onChange={(e) => setValues({ ...values, [key]: e.target.value })}
      />
    </label>
      {errors[key as keyof FieldErrors] && <span className="field-error">{t(errors[key as keyof FieldErrors]!)}</span>}
    </div>
  );

  return (
    <form className="meta-form" onSubmit={submit} aria-label={t('材料信息')}>
      {field('title', '题名', '自拟题名请加方括号，例如 [2019年挂职干部座谈会照片]')}
      {/* Photos carry no 文号; the field would only invite padding. */}
      {evidence.type !== 'photo' && field('docNumber', '文号', '例如：某政办发〔2019〕12号')}
      {field('issuer', '责任者', '发文机关或形成单位')}
      {field('date', '日期', 'YYYY-MM-DD')}
      {evidence.type === 'photo' && (
        <fieldset className="caption">
          <legend>{t('照片说明（六要素）')}</legend>
          {CAPTION_FIELDS.map((f) => (
            <label key={f} className={f === 'time' && errors['caption.time'] ? 'has-error' : undefined}>
              {t(CAPTION_LABEL[f])}
              {f === 'note' ? (
                <textarea name={`caption.${f}`} rows={2} value={values.caption[f]} onChange={(e) => setValues({ ...values, caption: { ...values.caption, [f]: e.target.value } })} />
              ) : (
                <input
                  name={`caption.${f}`}
                  value={values.caption[f]}
                  placeholder={f === 'time' ? 'YYYY-MM-DD' : undefined}
                  aria-invalid={f === 'time' && !!errors['caption.time']}
                  onChange={(e) => setValues({ ...values, caption: { ...values.caption, [f]: e.target.value } })}
                />
              )}
            </label>
          ))}
          {errors['caption.time'] && <span className="field-error">{t(errors['caption.time'])}</span>}
        </fieldset>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={saving}>
          {saving ? t('正在保存…') : t('保存')}
        </button>
        {savedNote && <span className="muted small">{savedNote}</span>}
      </div>
    </form>
  );
}

import { useState } from 'react';
import { useI18n } from '../i18n.js';
import { isValidDate, normalizeDate } from './MetadataForm.js';

type Props = {
  /** YYYY-MM-DD or empty (what the parent has stored). */
  value: string;
  /** Called on every edit with the normalised date when the text is a real date (or empty), else with the raw text. */
  onChange: (value: string, valid: boolean) => void;
  name?: string;
  className?: string;
  'aria-label'?: string;
};

/**
 * A date typed the way office staff write it — 2019-03-05, 2019.3.5, 2019/3/5, 2019年3月5日, 20190305 — instead of
 * the browser's date picker, which shows mm/dd/yyyy on a non-Chinese Windows. The text is tidied to YYYY-MM-DD
 * when the field is left; an impossible date is marked and never passed on as valid.
 */
export function DateInput({ value, onChange, name, className, 'aria-label': label }: Props) {
  const { t } = useI18n();
  const [text, setText] = useState(value);
  // The parent may change the value itself (filters reset): show it unless it is what the text already means.
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    if (value !== normalizeDate(text)) setText(value);
  }
  const normalized = normalizeDate(text);
  const invalid = text.trim() !== '' && !isValidDate(normalized);
  return (
    <input
      type="text"
      inputMode="numeric"
      name={name}
      className={`date-input ${className ?? ''}`}
      aria-label={label}
      aria-invalid={invalid}
      placeholder="YYYY-MM-DD"
      title={invalid ? t('日期应为 YYYY-MM-DD，例如 2019-03-15。') : t('可输入 2019-03-05、2019.3.5 或 2019年3月5日')}
      value={text}
      onChange={(e) => {
        const raw = e.target.value;
        setText(raw);
        const n = normalizeDate(raw);
        const ok = raw.trim() === '' || isValidDate(n);
        onChange(ok ? (raw.trim() === '' ? '' : n) : raw, ok);
      }}
      onBlur={() => {
        if (!invalid && text !== normalized) setText(normalized);
      }}
    />
  );
}

// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { DateInput } from '../../../renderer/components/DateInput.js';
import { I18nProvider } from '../../../renderer/i18n.js';

function Harness({ onValue }: { onValue: (v: string, ok: boolean) => void }) {
  const [value, setValue] = useState('');
  return (
    <I18nProvider lang="zh">
      <DateInput aria-label="开始日期" value={value} onChange={(v, ok) => (onValue(v, ok), ok && setValue(v))} />
      <button type="button" onClick={() => setValue('')}>
        清除
      </button>
    </I18nProvider>
  );
}

afterEach(cleanup);

describe('date fields take dates as office staff type them', () => {
  it('accepts 2019.3.5 and 2019年3月5日, shows YYYY-MM-DD when left, and marks impossible dates', () => {
    const seen: [string, boolean][] = [];
    render(<Harness onValue={(v, ok) => seen.push([v, ok])} />);
    const input = screen.getByRole('textbox', { name: '开始日期' }) as HTMLInputElement;
    expect(input.type).toBe('text');
    expect(input.placeholder).toBe('YYYY-MM-DD');

    fireEvent.change(input, { target: { value: '2019.3.5' } });
    expect(seen.at(-1)).toEqual(['2019-03-05', true]);
    fireEvent.blur(input);
    expect(input.value).toBe('2019-03-05');

    fireEvent.change(input, { target: { value: '2019年3月15日' } });
    expect(seen.at(-1)).toEqual(['2019-03-15', true]);

    fireEvent.change(input, { target: { value: '2019-02-30' } });
    expect(seen.at(-1)).toEqual(['2019-02-30', false]);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.title).toContain('日期应为 YYYY-MM-DD');

    // The parent clearing its value clears the field.
    fireEvent.change(input, { target: { value: '20190401' } });
    fireEvent.click(screen.getByRole('button', { name: '清除' }));
    expect(input.value).toBe('');
  });
});

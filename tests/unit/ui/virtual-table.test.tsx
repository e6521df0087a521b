// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { emptySelection, type Selection } from '../../../renderer/components/selection.js';
import { VirtualTable, type Column } from '../../../renderer/components/VirtualTable.js';

type Row = { id: number; title: string };
const rows: Row[] = Array.from({ length: 10_000 }, (_, i) => ({ id: i + 1, title: `材料第${i + 1}件` }));
const columns: Column<Row>[] = [
  { key: 'id', title: '编号', width: '60px', render: (r) => r.id },
  { key: 'title', title: '题名', width: '1fr', render: (r) => r.title },
];
const getId = (r: Row) => r.id;

function Harness() {
  const [selection, setSelection] = useState<Selection>(emptySelection);
  return (
    <div>
      <VirtualTable rows={rows} getId={getId} columns={columns} selection={selection} onSelectionChange={setSelection} label="材料列表" rowHeight={30} fallbackHeight={600} />
      <output data-testid="count">已选 {selection.ids.size} 件</output>
    </div>
  );
}

const renderedRows = () => screen.getAllByRole('row').filter((r) => r.hasAttribute('data-id'));
const row = (id: number) => renderedRows().find((r) => r.getAttribute('data-id') === String(id))!;

afterEach(cleanup);

describe('VirtualTable', () => {
  it('renders only the rows in view for 10,000 items, and others after scrolling', () => {
    render(<Harness />);
    const visible = renderedRows();
    // 600 px / 30 px = 20 rows in view, plus overscan: far fewer than 10,000.
    expect(visible.length).toBeGreaterThanOrEqual(20);
    expect(visible.length).toBeLessThan(60);
    expect(screen.getByText('材料第1件')).toBeTruthy();
    expect(screen.queryByText('材料第5000件')).toBeNull();

    const body = screen.getByTestId('vtable-body');
    act(() => {
      body.scrollTop = 4999 * 30;
      fireEvent.scroll(body);
    });
    expect(screen.getByText('材料第5000件')).toBeTruthy();
    expect(screen.queryByText('材料第1件')).toBeNull();
    expect(renderedRows().length).toBeLessThan(60);
    // The spacer keeps the scrollbar true to the full list.
    expect((body.firstElementChild as HTMLElement).style.height).toBe(`${10_000 * 30}px`);
  });

  it('selects with click, Shift-click (range), Ctrl-click (toggle), Ctrl+A and arrows', () => {
    render(<Harness />);
    fireEvent.click(row(3));
    expect(screen.getByTestId('count').textContent).toBe('已选 1 件');
    fireEvent.click(row(7), { shiftKey: true });
    expect(screen.getByTestId('count').textContent).toBe('已选 5 件');
    expect(renderedRows().filter((r) => r.getAttribute('aria-selected') === 'true').map((r) => r.getAttribute('data-id'))).toEqual(['3', '4', '5', '6', '7']);
    fireEvent.click(row(5), { ctrlKey: true });
    expect(screen.getByTestId('count').textContent).toBe('已选 4 件');
    expect(row(5).getAttribute('aria-selected')).toBe('false');
    fireEvent.click(row(10), { ctrlKey: true });
    expect(screen.getByTestId('count').textContent).toBe('已选 5 件');

    const body = screen.getByTestId('vtable-body');
    fireEvent.keyDown(body, { key: 'a', ctrlKey: true });
    expect(screen.getByTestId('count').textContent).toBe('已选 10000 件');

    fireEvent.click(row(2));
    fireEvent.keyDown(body, { key: 'ArrowDown' });
    expect(screen.getByTestId('count').textContent).toBe('已选 1 件');
    expect(row(3).getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(body, { key: 'ArrowDown', shiftKey: true });
    fireEvent.keyDown(body, { key: 'ArrowDown', shiftKey: true });
    expect(screen.getByTestId('count').textContent).toBe('已选 3 件');
  });
});

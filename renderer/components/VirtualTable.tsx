import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { moveFocus, selectAll, selectClick, type Selection } from './selection.js';

export type Column<T> = {
  key: string;
  title: string;
  /** CSS grid track, e.g. "64px" or "2fr". */
  width: string;
  render: (row: T) => ReactNode;
  className?: string;
  /** The full text of a cell that may be cut off with an ellipsis (shown as a tooltip). */
  tooltip?: (row: T) => string | undefined;
  /** The header is a button that sorts by this column. */
  sortable?: boolean;
};

export type TableSort = { key: string; dir: 'asc' | 'desc' };

type Props<T> = {
  rows: readonly T[];
  getId: (row: T) => number;
  columns: readonly Column<T>[];
  selection: Selection;
  onSelectionChange: (next: Selection) => void;
  /** Enter on the focused row. */
  onActivate?: (id: number) => void;
  /** Delete key. */
  onDelete?: () => void;
  rowHeight?: number;
  /** Used when the container cannot be measured (tests, first paint). */
  fallbackHeight?: number;
  overscan?: number;
  label: string;
  rowClassName?: (row: T) => string | undefined;
  empty?: ReactNode;
  /** Which column the rows are sorted by (the caller sorts; the header shows the arrow). */
  sort?: TableSort | null;
  onSort?: (key: string) => void;
  /** Accessible names of the sort directions, in the user's language. */
  sortLabels?: { asc: string; desc: string; none: string };
};

const ARROW = { asc: '▲', desc: '▼' } as const;

/**
 * A table that renders only the rows in view (windowing), so 10,000 items scroll smoothly. Keyboard: arrows,
 * Page Up/Down, Home/End, Shift to extend, Ctrl+A, Enter, Delete.
 */
export function VirtualTable<T>(props: Props<T>) {
  const { rows, getId, columns, selection, onSelectionChange, rowHeight = 30, overscan = 8 } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(props.fallbackHeight ?? 600);
  const order = useMemo(() => rows.map(getId), [rows, getId]);
  const template = columns.map((c) => c.width).join(' ');

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => {
      if (el.clientHeight > 0) setHeight(el.clientHeight);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Keep the keyboard focus row in view.
  useEffect(() => {
    const el = scroller.current;
    if (!el || selection.focus == null) return;
    const index = order.indexOf(selection.focus);
    if (index < 0) return;
    const top = index * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + height - rowHeight) el.scrollTop = top + 2 * rowHeight - height;
  }, [selection.focus, order, rowHeight, height]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const visible = rows.slice(first, last);
  const page = Math.max(1, Math.floor(height / rowHeight) - 1);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const ctrl = event.ctrlKey || event.metaKey;
    let next: Selection | null = null;
    switch (event.key) {
      case 'ArrowDown':
        next = moveFocus(selection, order, 1, event.shiftKey);
        break;
      case 'ArrowUp':
        next = moveFocus(selection, order, -1, event.shiftKey);
        break;
      case 'PageDown':
        next = moveFocus(selection, order, page, event.shiftKey);
        break;
      case 'PageUp':
        next = moveFocus(selection, order, -page, event.shiftKey);
        break;
      case 'Home':
        next = moveFocus(selection, order, -order.length, event.shiftKey);
        break;
      case 'End':
        next = moveFocus(selection, order, order.length, event.shiftKey);
        break;
      case 'a':
      case 'A':
        if (ctrl) next = selectAll(order, selection);
        break;
      case 'Enter':
        if (selection.focus != null && props.onActivate) {
          event.preventDefault();
          props.onActivate(selection.focus);
        }
        return;
      case 'Delete':
        if (selection.ids.size && props.onDelete) {
          event.preventDefault();
          props.onDelete();
        }
        return;
      default:
        return;
    }
    if (next) {
      event.preventDefault();
      onSelectionChange(next);
    }
  };

  const onRowClick = (event: MouseEvent, id: number) => {
    if (event.shiftKey) event.preventDefault();
    onSelectionChange(selectClick(selection, order, id, { shift: event.shiftKey, ctrl: event.ctrlKey || event.metaKey }));
    scroller.current?.focus({ preventScroll: true });
  };

  return (
    <div className="vtable" role="grid" aria-label={props.label} aria-rowcount={rows.length} aria-multiselectable="true">
      <div className="vtable-head" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => {
          const dir = props.sort?.key === c.key ? props.sort.dir : undefined;
          return (
            <div
              key={c.key}
              role="columnheader"
              className="vtable-cell"
              title={c.title}
              aria-sort={c.sortable ? (dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none') : undefined}
            >
              {c.sortable && props.onSort ? (
                <button type="button" className="sort-head" onClick={() => props.onSort?.(c.key)} title={props.sortLabels ? `${c.title}：${props.sortLabels[dir ?? 'none']}` : c.title}>
                  <span className="ellipsis">{c.title}</span>
                  <span className={dir ? 'sort-arrow' : 'sort-arrow idle'} aria-hidden="true">
                    {ARROW[dir ?? 'asc']}
                  </span>
                </button>
              ) : (
                c.title
              )}
            </div>
          );
        })}
      </div>
      <div
        className="vtable-body"
        ref={scroller}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        data-testid="vtable-body"
      >
        {rows.length === 0 && <div className="vtable-empty">{props.empty}</div>}
        <div className="vtable-spacer" style={{ height: rows.length * rowHeight }}>
          {visible.map((row, i) => {
            const id = getId(row);
            const index = first + i;
            const selected = selection.ids.has(id);
            const classes = ['vtable-row', selected ? 'selected' : '', selection.focus === id ? 'focused' : '', props.rowClassName?.(row) ?? '']
              .filter(Boolean)
              .join(' ');
            return (
              <div
                key={id}
                role="row"
                aria-rowindex={index + 1}
                aria-selected={selected}
                data-id={id}
                className={classes}
                style={{ transform: `translateY(${index * rowHeight}px)`, height: rowHeight, gridTemplateColumns: template }}
                onMouseDown={(e) => e.shiftKey && e.preventDefault()}
                onClick={(e) => onRowClick(e, id)}
              >
                {columns.map((c) => (
                  <div key={c.key} role="gridcell" className={`vtable-cell ${c.className ?? ''}`} title={c.tooltip?.(row) || undefined}>
                    {c.render(row)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/**
 * A real <table> whose body renders only the rows in view (plus overscan),
 * with spacer rows keeping the scroll height true. For blotters that grow to
 * thousands of rows (order history, fills, activity).
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode } from 'react';
import { rowActivation } from './rowActivation';

export interface Column<T> {
  key: string;
  header: string;
  /** Extra class for header, cells and the column ("num" right-aligns numbers; "opt" and "opt-narrow" give way first on a narrow pane). */
  className?: string;
  width?: number;
  render(row: T): ReactNode;
}

interface Props<T> {
  label: string;
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey(row: T): string | number;
  rowClassName?(row: T): string;
  rowHeight?: number;
  empty?: ReactNode;
  /** Makes rows open something on click or Enter; `activateHint` tells assistive technology what. */
  onRowActivate?(row: T): void;
  activateHint?: string;
}

export function VirtualTable<T>({ label, rows, columns, rowKey, rowClassName, rowHeight = 22, empty, onRowActivate, activateHint = 'Press Enter for details' }: Props<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // TanStack Virtual is mutable by design; we do not run the React Compiler, so its memoization warning does not apply.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    // Render a first screenful before the container is measured, so rows exist on first paint.
    initialRect: { width: 800, height: 400 },
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = Math.max(0, virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0));

  return (
    <div className="table-scroll" ref={scrollRef}>
      <table className="grid" aria-label={label} aria-rowcount={rows.length + 1}>
        <colgroup>
          {columns.map((c) => (
            <col key={c.key} className={c.className} style={c.width ? { width: c.width } : undefined} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.className}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {padTop > 0 && <tr className="spacer" aria-hidden="true" style={{ height: padTop }} />}
          {items.map((item) => {
            const row = rows[item.index];
            if (row === undefined) return null;
            return (
              <tr
                key={rowKey(row)}
                className={`${rowClassName?.(row) ?? ''}${onRowActivate ? ' row-activatable' : ''}`.trim() || undefined}
                aria-rowindex={item.index + 2}
                style={{ height: rowHeight }}
                {...(onRowActivate ? rowActivation(() => onRowActivate(row), activateHint) : {})}
              >
                {columns.map((c) => (
                  <td key={c.key} className={c.className}>
                    {c.render(row)}
                  </td>
                ))}
              </tr>
            );
          })}
          {padBottom > 0 && <tr className="spacer" aria-hidden="true" style={{ height: padBottom }} />}
        </tbody>
      </table>
      {rows.length === 0 && empty && <div className="table-empty">{empty}</div>}
    </div>
  );
}

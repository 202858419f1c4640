/**
 * The chart's right-click menu at the pointer: actions at the price under it
 * (today "Alert at this price"). Items come from the chart panel, so more
 * actions at a price join the same menu. Esc or a click elsewhere closes it.
 */
import { useEffect, useRef } from 'react';

export interface ChartMenuItem {
  label: string;
  onSelect(): void;
}

interface Props {
  x: number;
  y: number;
  title: string;
  items: readonly ChartMenuItem[];
  onClose(): void;
}

export function ChartContextMenu({ x, y, title, items, onClose }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLButtonElement>('button')?.focus();
    const onDown = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [onClose]);

  return (
    <div ref={ref} className="menu chart-context-menu" role="menu" aria-label={title} style={{ left: x, top: y }}>
      <div className="menu-info muted">{title}</div>
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          className="menu-item"
          onClick={() => {
            onClose();
            item.onSelect();
          }}
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}

/**
 * The chart's right-click menu at the pointer: actions at the price under it
 * (orders placed there, an alert). The keyboard opens it too (the Menu key or
 * Shift+F10 on the focused chart, see trading/keyboardMenu). Items come from the chart panel, so more
 * actions at a price join the same menu. It opens with its first item
 * focused; Up / Down (and Home / End) move between items, Enter or Space
 * chooses, Esc, Tab or a click elsewhere closes it. It is kept inside the
 * chart when opened near an edge.
 */
import { useEffect, useLayoutEffect, useRef, type KeyboardEvent as ReactKeyboardEvent } from 'react';

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

  // Opened near the right or bottom edge, the menu opens left of or above the pointer instead.
  useLayoutEffect(() => {
    const el = ref.current;
    const parent = el?.offsetParent as HTMLElement | null;
    if (!el || !parent) return;
    // Placed on the element itself: its size is known only once it is drawn.
    if (x + el.offsetWidth > parent.clientWidth) el.style.left = `${Math.max(0, x - el.offsetWidth)}px`;
    if (y + el.offsetHeight > parent.clientHeight) el.style.top = `${Math.max(0, y - el.offsetHeight)}px`;
  }, [x, y]);

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

  const onKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    const buttons = Array.from(ref.current?.querySelectorAll<HTMLButtonElement>('button[role="menuitem"]') ?? []);
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const go = (i: number) => {
      e.preventDefault();
      buttons[(i + buttons.length) % buttons.length]?.focus();
    };
    if (e.key === 'ArrowDown') go(index + 1);
    else if (e.key === 'ArrowUp') go(index < 0 ? buttons.length - 1 : index - 1);
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(buttons.length - 1);
    else if (e.key === 'Tab') onClose();
  };

  return (
    <div ref={ref} className="menu chart-context-menu" role="menu" aria-label={title} style={{ left: x, top: y }} onKeyDown={onKeyDown}>
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

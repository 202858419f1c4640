/**
 * A splitter between two panes, after the WAI-ARIA window-splitter pattern:
 * a focusable separator whose value is the size of the pane it sizes. Drag
 * it with the pointer, or focus it and use the arrow keys (Shift for bigger
 * steps), Home and End for the limits, Enter to collapse or restore the pane
 * where it can be collapsed; a double click returns it to its default.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useKeel } from '../../stores/KeelProvider';
import { SPLITS, type PaneKey, type SplitKey } from '../../stores/layout';
import { keyResize, sizeToValue, valueText } from './splitterMath';

interface Props {
  split: SplitKey;
  /** "vertical": a bar between panes side by side, moved along x; "horizontal": between panes above and below. */
  orientation: 'vertical' | 'horizontal';
  /** Which side of the bar the sized pane is on. */
  sized: 'before' | 'after';
  /** The sized pane's id (aria-controls; measured at the start of a drag). */
  controls: string;
  label: string;
  /** Enter collapses this pane (and the pane's rail restores it). */
  collapses?: PaneKey;
  className?: string;
}

/** The sized pane's extent along the bar's axis, and its container's, in px. */
function measure(bar: HTMLElement, paneId: string, orientation: Props['orientation']): { size: number; container: number } | null {
  const pane = document.getElementById(paneId);
  const container = bar.parentElement;
  if (!pane || !container) return null;
  const p = pane.getBoundingClientRect();
  const c = container.getBoundingClientRect();
  return orientation === 'vertical' ? { size: p.width, container: c.width } : { size: p.height, container: c.height };
}

export function Splitter({ split, orientation, sized, controls, label, collapses, className }: Props) {
  const value = useKeel((s) => s.layout[split]);
  const setSplit = useKeel((s) => s.setSplit);
  const setCollapsed = useKeel((s) => s.setCollapsed);
  const ref = useRef<HTMLDivElement>(null);
  const drag = useRef<{ pointer: number; start: number; size: number; container: number } | null>(null);
  // What the pane measures now, for assistive technology while its split is left to its content.
  const [measured, setMeasured] = useState<number | null>(null);
  const spec = SPLITS[split];

  useEffect(() => {
    const bar = ref.current;
    const pane = document.getElementById(controls);
    if (!bar || !pane || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      const m = measure(bar, controls, orientation);
      if (m) setMeasured(sizeToValue(spec, m.size, m.container));
    });
    observer.observe(pane);
    return () => observer.disconnect();
  }, [controls, orientation, spec]);

  const current = value ?? measured ?? spec.min;

  // A pane collapsed or a view switched mid-drag must not leave the whole page with a resize cursor.
  useEffect(() => () => document.body.classList.remove('resizing-x', 'resizing-y'), []);

  function onPointerDown(e: PointerEvent<HTMLDivElement>): void {
    if (e.button !== 0 || !ref.current) return;
    const m = measure(ref.current, controls, orientation);
    if (!m) return;
    e.preventDefault();
    ref.current.setPointerCapture(e.pointerId);
    ref.current.focus();
    drag.current = { pointer: e.pointerId, start: orientation === 'vertical' ? e.clientX : e.clientY, ...m };
    document.body.classList.add(orientation === 'vertical' ? 'resizing-x' : 'resizing-y');
  }

  function onPointerMove(e: PointerEvent<HTMLDivElement>): void {
    const d = drag.current;
    if (!d || d.pointer !== e.pointerId) return;
    const moved = (orientation === 'vertical' ? e.clientX : e.clientY) - d.start;
    const size = d.size + (sized === 'before' ? moved : -moved);
    setSplit(split, sizeToValue(spec, size, d.container));
  }

  function endDrag(e: PointerEvent<HTMLDivElement>): void {
    if (!drag.current || drag.current.pointer !== e.pointerId) return;
    drag.current = null;
    document.body.classList.remove('resizing-x', 'resizing-y');
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    if (e.key === 'Enter' && collapses) {
      e.preventDefault();
      setCollapsed(collapses, true);
      return;
    }
    const next = keyResize(spec, current, e.key, orientation, sized, e.shiftKey);
    if (next === null) return;
    e.preventDefault();
    setSplit(split, next);
  }

  return (
    <div
      ref={ref}
      role="separator"
      tabIndex={0}
      aria-orientation={orientation}
      aria-controls={controls}
      aria-label={label}
      aria-valuenow={spec.unit === 'px' ? Math.round(current) : Math.round(current * 100)}
      aria-valuemin={spec.unit === 'px' ? spec.min : Math.round(spec.min * 100)}
      aria-valuemax={spec.unit === 'px' ? spec.max : Math.round(spec.max * 100)}
      aria-valuetext={valueText(spec, current)}
      title={`${label}: drag, or focus and use the arrow keys${collapses ? '; Enter collapses' : ''}; double-click for the default`}
      className={`splitter splitter-${orientation} ${className ?? ''}`}
      data-split={split}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onLostPointerCapture={endDrag}
      onDoubleClick={() => setSplit(split, null)}
      onKeyDown={onKeyDown}
    />
  );
}

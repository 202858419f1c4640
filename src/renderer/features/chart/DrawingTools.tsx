/** The chart's drawing tools: pointer, horizontal line, trend line, rectangle, and Delete for the selected drawing. */
import type { DrawingMode } from './drawings/drawingLayer';

const TOOLS: ReadonlyArray<{ mode: DrawingMode; label: string; glyph: string }> = [
  { mode: 'cursor', label: 'Pointer: select and move drawings', glyph: '↖' },
  { mode: 'hline', label: 'Horizontal line', glyph: '─' },
  { mode: 'trend', label: 'Trend line', glyph: '╱' },
  { mode: 'rect', label: 'Rectangle', glyph: '▭' },
];

interface Props {
  mode: DrawingMode;
  onMode(mode: DrawingMode): void;
  selected: boolean;
  onDelete(): void;
  /** Drawings on this instrument's chart (some may be off screen). */
  count: number;
}

export function DrawingTools({ mode, onMode, selected, onDelete, count }: Props) {
  return (
    <div className="chart-draw-tools" role="group" aria-label="Drawing tools">
      {TOOLS.map((t) => (
        <button key={t.mode} type="button" className="chart-tool chart-tool-icon" aria-pressed={mode === t.mode} aria-label={t.label} title={t.label} onClick={() => onMode(t.mode)}>
          {t.glyph}
        </button>
      ))}
      <button type="button" className="chart-tool" disabled={!selected} onClick={onDelete} title="Delete the selected drawing (Del)">
        Delete drawing
      </button>
      <span className="chart-draw-count muted" role="status">
        {count === 0 ? '' : `${count} drawing${count === 1 ? '' : 's'}`}
      </span>
    </div>
  );
}

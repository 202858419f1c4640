/**
 * The objective over two searched parameters as a grid of coloured cells
 * (the best trial in each cell), with a legend of the colour scale. With one
 * searched parameter it is a single row.
 */
import { useId, useState } from 'react';
import type { OptimizeTrial } from '../../../shared/contract';
import { buildHeatmap, cellOf, heatColor, heatGradient, heatPosition, heatTextColor } from './heatmap';
import { fmtNumber } from './statsFormat';

/** Cells show their value as text only when they are wide enough to hold it. */
const LABELLED_COLUMNS = 10;

interface Props {
  trials: readonly OptimizeTrial[];
  params: readonly string[];
  objectiveLabel: string;
  /** The trial chosen in the table: its cell is outlined. */
  selected: OptimizeTrial | null;
  /** A cell was clicked: the index (in `trials`) of the trial it shows. */
  onSelect(index: number): void;
}

export function OptimizeHeatmap({ trials, params, objectiveLabel, selected, onSelect }: Props) {
  const ids = useId();
  const [xChoice, setXChoice] = useState<string | null>(null);
  const [yChoice, setYChoice] = useState<string | null>(null);
  const x = xChoice && params.includes(xChoice) ? xChoice : (params[0] ?? null);
  const yCandidates = params.filter((p) => p !== x);
  const y = yChoice && yCandidates.includes(yChoice) ? yChoice : (yCandidates[0] ?? null);

  if (!x) {
    return (
      <div className="heatmap-panel" data-testid="optimize-heatmap">
        <p className="table-empty">No parameter varied across the trials: nothing to map.</p>
      </div>
    );
  }

  const map = buildHeatmap(trials, x, y);
  const rows = map.y.map((label, i) => ({ i, label, cells: map.cells[i]!, counts: map.counts[i]!, best: map.best[i]! })).reverse();
  const mark = selected ? cellOf(selected, trials, x, y) : null;
  const labelled = map.x.length <= LABELLED_COLUMNS;
  const cellText = (v: number) => fmtNumber(v, Math.abs(v) >= 100 ? 0 : 2);

  return (
    <div className="heatmap-panel" data-testid="optimize-heatmap">
      <div className="heatmap-controls">
        <label htmlFor={`${ids}-x`}>X</label>
        <select id={`${ids}-x`} value={x} onChange={(e) => setXChoice(e.target.value)}>
          {params.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <label htmlFor={`${ids}-y`}>Y</label>
        <select id={`${ids}-y`} value={y ?? ''} disabled={yCandidates.length === 0} onChange={(e) => setYChoice(e.target.value)}>
          {yCandidates.length === 0 && <option value="">—</option>}
          {yCandidates.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
        <span className="muted heatmap-note">best {objectiveLabel} per cell</span>
      </div>
      <div className="heatmap-scroll">
        <div
          className="heatmap-grid"
          role="group"
          aria-label={`${objectiveLabel} by ${x}${y ? ` and ${y}` : ''}`}
          style={{ gridTemplateColumns: `auto repeat(${map.x.length}, minmax(${labelled ? 38 : 16}px, 1fr))` }}
        >
          {rows.map((row) => (
            <div className="heatmap-row" key={row.label}>
              <span className="heatmap-ylabel">{row.label}</span>
              {row.cells.map((v, xi) => {
                const t = v === null || map.min === null || map.max === null ? null : heatPosition(v, map.min, map.max);
                const where = `${x} ${map.x[xi]}${y ? `, ${y} ${row.label}` : ''}`;
                const count = row.counts[xi] ?? 0;
                const trialIndex = row.best[xi] ?? null;
                const text = v === null ? `${where}: ${count > 0 ? 'no scored trial' : 'not tried'}` : `${where}: ${objectiveLabel} ${fmtNumber(v, 3)} (best of ${count})`;
                return (
                  <button
                    key={xi}
                    type="button"
                    className={`heatmap-cell ${v === null ? 'empty' : ''} ${mark && mark.row === row.i && mark.col === xi ? 'selected' : ''}`}
                    style={t === null ? undefined : { background: heatColor(t), color: heatTextColor(t) }}
                    title={trialIndex === null ? text : `${text}. Click to choose this trial.`}
                    aria-label={text}
                    disabled={trialIndex === null}
                    onClick={() => trialIndex !== null && onSelect(trialIndex)}
                  >
                    {v !== null && labelled ? cellText(v) : ''}
                  </button>
                );
              })}
            </div>
          ))}
          <div className="heatmap-row heatmap-xaxis">
            <span className="heatmap-ylabel heatmap-axisname">{y ? `${y} ↑ / ${x} →` : `${x} →`}</span>
            {map.x.map((label) => (
              <span key={label} className="heatmap-xlabel" title={label}>
                {label}
              </span>
            ))}
          </div>
        </div>
      </div>
      <div className="heatmap-legend">
        <span className="num">{map.min === null ? '—' : fmtNumber(map.min, 3)}</span>
        <span className="heatmap-scale" style={{ background: heatGradient() }} aria-hidden="true" />
        <span className="num">{map.max === null ? '—' : fmtNumber(map.max, 3)}</span>
        <span className="heatmap-swatch empty" aria-hidden="true" />
        <span className="muted">no score</span>
      </div>
    </div>
  );
}

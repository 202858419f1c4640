/**
 * Feature importance as horizontal bars, largest first: each feature's name,
 * a bar as long as its importance relative to the largest, and its share of
 * the total. Plain elements, so the chart reads as a list to assistive
 * technology and costs nothing to draw.
 */
import { importanceBars } from './importanceBars';
import { fmtShare } from './modelFormat';

export function ImportanceChart({ importance }: { importance: readonly { feature: string; importance: number }[] }) {
  const bars = importanceBars(importance);
  if (bars.length === 0) return <p className="muted">No importance recorded.</p>;
  return (
    <ol className="mv-importance" aria-label="Feature importance">
      {bars.map((b) => (
        <li key={b.feature} className="mv-imp-row" title={`${b.feature}: ${fmtShare(b.share)} of the total importance`}>
          <span className="mv-imp-name">{b.feature}</span>
          <span className="mv-imp-track" aria-hidden="true">
            <span className="mv-imp-bar" style={{ width: `${b.width}%` }} />
          </span>
          <span className="mv-imp-value num">{fmtShare(b.share)}</span>
        </li>
      ))}
    </ol>
  );
}

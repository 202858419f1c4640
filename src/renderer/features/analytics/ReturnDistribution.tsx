/** The distribution of trade returns: a bar per bin, losses red, gains green. */
import { useKeel } from '../../stores/KeelProvider';

export function ReturnDistribution() {
  const bins = useKeel((s) => s.analytics?.summary.returnDistribution);
  const max = Math.max(1, ...(bins ?? []).map((b) => b.count));
  return (
    <div className="av-block" role="region" aria-label="Distribution of trade returns">
      <h3 className="av-block-title">Trade returns (%)</h3>
      {!bins || bins.length === 0 ? (
        <div className="table-empty">No closed round trips in this range.</div>
      ) : (
        <div className="av-hist">
          {bins.map((b) => (
            <div key={b.fromPct} className="av-hist-col" title={`${round(b.fromPct)}% to ${round(b.toPct)}%: ${b.count}`}>
              <span className="av-hist-count num">{b.count > 0 ? b.count : ''}</span>
              <span
                className={`av-hist-bar ${b.toPct <= 0 ? 'neg' : b.fromPct >= 0 ? 'pos' : 'mixed'}`}
                style={{ height: `${(b.count / max) * 100}%` }}
                aria-label={`${round(b.fromPct)}% to ${round(b.toPct)}%: ${b.count}`}
                role="img"
              />
              <span className="av-hist-label num">{round(b.fromPct)}</span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

function round(v: number): string {
  return String(Number(v.toFixed(4)));
}

/** The chart's instrument line: symbol, last price, 24h statistics and a perpetual's funding; re-renders per frame, alone. */
import { fmtCompact, fmtPercent, fmtPrice, pnlClass } from '../../lib/format';
import { FundingStat } from '../perpetuals/FundingStat';
import { useKeel } from '../../stores/KeelProvider';
import { marketKey } from '../../stores/market';
import { selectActiveInstrument, selectActiveTicker } from '../../stores/selectors';

export function ChartHeader() {
  const inst = useKeel(selectActiveInstrument);
  const ticker = useKeel(selectActiveTicker);
  const dir = useKeel((s) => (s.venue && s.symbol ? (s.tickDirection[marketKey(s.venue, s.symbol)] ?? 0) : 0));
  const symbol = useKeel((s) => s.symbol);
  const change = ticker?.changePercent24h ?? 0;
  return (
    <div className="chart-header">
      <span className="chart-symbol">{symbol ?? '—'}</span>
      {inst && <span className="chart-kind">{inst.kind === 'linear_perpetual' ? 'PERP' : 'SPOT'}</span>}
      <span className={`chart-last num ${dir > 0 ? 'pos' : dir < 0 ? 'neg' : ''}`}>{fmtPrice(ticker?.last, inst)}</span>
      <span className={`num ${pnlClass(change)}`}>{ticker ? fmtPercent(change) : ''}</span>
      <FundingStat ticker={ticker} />
      <span className="stat">
        <span className="stat-label">Mark</span>
        <span className="num">{fmtPrice(ticker?.mark, inst)}</span>
      </span>
      <span className="stat">
        <span className="stat-label">24h H</span>
        <span className="num">{fmtPrice(ticker?.high24h, inst)}</span>
      </span>
      <span className="stat">
        <span className="stat-label">24h L</span>
        <span className="num">{fmtPrice(ticker?.low24h, inst)}</span>
      </span>
      <span className="stat">
        <span className="stat-label">24h Vol</span>
        <span className="num">{fmtCompact(ticker?.volume24h)}</span>
      </span>
    </div>
  );
}

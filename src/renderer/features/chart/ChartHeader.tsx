/**
 * The chart's instrument line: symbol, last price, a perpetual's funding, the
 * mark and 24h statistics, in that order of importance; re-renders per frame,
 * alone. It is one line at every width: where the toolbar is narrow (a
 * laptop's 1280 px) a perpetual's symbol drops its settlement suffix (the PERP
 * tag beside it says what it is) and the funding label shortens, and the
 * figures that still do not fit are left out from the least important up
 * (styles.css, perpetuals.css).
 */
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
      <span className="chart-symbol" title={symbol ?? undefined}>
        {symbol ? <SymbolText symbol={symbol} /> : '—'}
      </span>
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

/** "BTC/USDT:USDT" with its settlement suffix apart, so a narrow header can leave it out. */
function SymbolText({ symbol }: { symbol: string }) {
  const colon = symbol.indexOf(':');
  if (colon < 0) return <>{symbol}</>;
  return (
    <>
      {symbol.slice(0, colon)}
      <span className="chart-symbol-settle">{symbol.slice(colon)}</span>
    </>
  );
}

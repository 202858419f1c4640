/**
 * Venue, symbol and timeframe, side by side: the market a strategy trades
 * or a backtest replays. One component for both forms; each form keeps its
 * own choices and says what a change means to it.
 */
import { TIMEFRAMES, type Instrument, type Timeframe } from '../../../shared/domain';

interface MarketFieldsProps {
  /** Prefix of the fields' ids (labels point at them). */
  ids: string;
  venue: string;
  venues: readonly string[];
  symbol: string;
  /** The chosen venue's instruments. */
  instruments: readonly Instrument[];
  timeframe: Timeframe;
  onVenue(venue: string): void;
  onSymbol(symbol: string): void;
  onTimeframe(timeframe: Timeframe): void;
}

export function MarketFields({ ids, venue, venues, symbol, instruments, timeframe, onVenue, onSymbol, onTimeframe }: MarketFieldsProps) {
  return (
    <div className="sv-market-row">
      <div className="field">
        <label htmlFor={`${ids}-venue`}>Venue</label>
        <select id={`${ids}-venue`} value={venue} onChange={(e) => onVenue(e.target.value)}>
          {venues.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-symbol`}>Symbol</label>
        <select id={`${ids}-symbol`} value={symbol} onChange={(e) => onSymbol(e.target.value)}>
          {instruments.map((i) => (
            <option key={i.symbol} value={i.symbol}>
              {i.symbol}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-tf`}>Timeframe</label>
        <select id={`${ids}-tf`} value={timeframe} onChange={(e) => onTimeframe(e.target.value as Timeframe)}>
          {TIMEFRAMES.map((tf) => (
            <option key={tf} value={tf}>
              {tf}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

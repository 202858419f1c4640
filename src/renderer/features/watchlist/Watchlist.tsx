/**
 * Instruments of the active venue with their market regime on the chart's
 * timeframe, live last price and 24h change. A listbox: click or arrow keys
 * select the symbol for chart and ticket. Each row subscribes to its own
 * ticker, so a tick re-renders one row.
 */
import type { KeyboardEvent } from 'react';
import type { Instrument } from '../../../shared/domain';
import { fmtPercent, fmtPrice, pnlClass } from '../../lib/format';
import { useKeel } from '../../stores/KeelProvider';
import { marketKey } from '../../stores/market';
import { regimeKey } from '../../stores/regime';
import { RegimeBadge } from '../regime/RegimeBadge';
import { selectVenueInstruments } from '../../stores/selectors';
import { CollapseButton } from '../layout/PaneToggle';

function WatchRow({ inst, selected, onSelect }: { inst: Instrument; selected: boolean; onSelect(): void }) {
  const key = marketKey(inst.venue, inst.symbol);
  const ticker = useKeel((s) => s.tickers[key]);
  const dir = useKeel((s) => s.tickDirection[key] ?? 0);
  const change = ticker?.changePercent24h ?? 0;
  const timeframe = useKeel((s) => s.timeframe);
  const regime = useKeel((s) => s.regimes[regimeKey(inst.venue, inst.symbol, timeframe)]);
  return (
    <li
      role="option"
      title={inst.symbol}
      aria-selected={selected}
      id={`watch-${key.replace(/[^A-Za-z0-9]/g, '-')}`}
      className={`watch-row ${selected ? 'selected' : ''}`}
      onClick={onSelect}
      data-symbol={inst.symbol}
    >
      <span className="watch-symbol">
        <span className="watch-base">{inst.base}</span>
        <span className="muted">{inst.symbol.slice(inst.base.length)}</span>
      </span>
      <RegimeBadge regime={regime} timeframe={timeframe} />
      <span className={`num watch-last ${dir > 0 ? 'pos' : dir < 0 ? 'neg' : ''}`}>{fmtPrice(ticker?.last, inst)}</span>
      <span className={`num watch-change ${pnlClass(change)}`}>
        {ticker ? fmtPercent(change) : '—'}
      </span>
    </li>
  );
}

export function Watchlist() {
  const instruments = useKeel(selectVenueInstruments);
  const symbol = useKeel((s) => s.symbol);
  const selectMarket = useKeel((s) => s.selectMarket);
  const selected = instruments.find((i) => i.symbol === symbol);

  function onKeyDown(e: KeyboardEvent<HTMLUListElement>): void {
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (step === 0 || instruments.length === 0) return;
    e.preventDefault();
    const i = instruments.findIndex((x) => x.symbol === symbol);
    const next = instruments[Math.min(instruments.length - 1, Math.max(0, i + step))];
    if (next) selectMarket(next.venue, next.symbol);
  }

  return (
    <section className="panel watchlist" aria-label="Watchlist">
      <div className="panel-title">
        <span>Watchlist</span>
        <span className="pane-actions">
          <span className="muted">{instruments.length}</span>
          <CollapseButton pane="left" />
        </span>
      </div>
      <div className="watch-head" aria-hidden="true">
        <span>Instrument</span>
        <span className="watch-regime-head" title="Market regime on the chart's timeframe: Up (trending up), Down (trending down), Range (ranging), Volatile">
          Regime
        </span>
        <span>Last</span>
        <span>24h</span>
      </div>
      <ul
        className="watch-list"
        role="listbox"
        aria-label="Instruments"
        tabIndex={0}
        aria-activedescendant={selected ? `watch-${marketKey(selected.venue, selected.symbol).replace(/[^A-Za-z0-9]/g, '-')}` : undefined}
        onKeyDown={onKeyDown}
      >
        {instruments.map((i) => (
          <WatchRow
            key={i.symbol}
            inst={i}
            selected={i.symbol === symbol}
            onSelect={() => selectMarket(i.venue, i.symbol)}
          />
        ))}
      </ul>
      {instruments.length === 0 && <div className="table-empty">No instruments</div>}
    </section>
  );
}

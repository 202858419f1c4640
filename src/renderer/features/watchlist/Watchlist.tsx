/**
 * Instruments of the active venue with their market regime on the chart's
 * timeframe, live last price and 24h change: searchable over every
 * instrument the venue offers, sortable by instrument, last price or 24h
 * change. A listbox: click or arrow keys select the symbol for chart and
 * ticket. Each row subscribes to its own ticker, so a tick re-renders one
 * row; the list itself re-renders only when its order changes.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import type { Instrument } from '../../../shared/domain';
import { fmtPercent, fmtPrice, pnlClass } from '../../lib/format';
import { useKeel } from '../../stores/KeelProvider';
import { marketKey } from '../../stores/market';
import { regimeKey } from '../../stores/regime';
import { RegimeBadge } from '../regime/RegimeBadge';
import { selectVenueInstruments } from '../../stores/selectors';
import { CollapseButton } from '../layout/PaneToggle';
import { nextSort, watchlistRows, type WatchSort, type WatchSortKey } from './watchlistModel';
import './watchlist.css';

const COLUMNS: ReadonlyArray<{ key: WatchSortKey; label: string; name: string }> = [
  { key: 'symbol', label: 'Instrument', name: 'instrument' },
  { key: 'last', label: 'Last', name: 'last price' },
  { key: 'change', label: '24h', name: '24h change' },
];

function SortButton({ column, sort, onSort }: { column: (typeof COLUMNS)[number]; sort: WatchSort | null; onSort(key: WatchSortKey): void }) {
  const active = sort?.key === column.key;
  const direction = active ? (sort.descending ? 'descending' : 'ascending') : null;
  return (
    <button
      type="button"
      className={`watch-sort ${active ? 'active' : ''}`}
      aria-label={`Sort by ${column.name}${direction ? `, now ${direction}` : ''}`}
      onClick={() => onSort(column.key)}
    >
      {column.label}
      {direction && <span aria-hidden="true">{direction === 'descending' ? ' ▾' : ' ▴'}</span>}
    </button>
  );
}

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
  const all = useKeel(selectVenueInstruments);
  const symbol = useKeel((s) => s.symbol);
  const selectMarket = useKeel((s) => s.selectMarket);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<WatchSort | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  // The shown order as one string: a tick that does not reorder the list does not re-render it.
  const order = useKeel((s) => watchlistRows(selectVenueInstruments(s), s.tickers, query, sort).map((i) => i.symbol).join('\n'));
  const bySymbol = new Map(all.map((i) => [i.symbol, i]));
  const instruments = order === '' ? [] : order.split('\n').flatMap((sym) => bySymbol.get(sym) ?? []);
  const selected = instruments.find((i) => i.symbol === symbol);

  function onKeyDown(e: KeyboardEvent<HTMLUListElement>): void {
    const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (step === 0 || instruments.length === 0) return;
    e.preventDefault();
    const i = instruments.findIndex((x) => x.symbol === symbol);
    const next = instruments[i < 0 ? 0 : Math.min(instruments.length - 1, Math.max(0, i + step))];
    if (next) selectMarket(next.venue, next.symbol);
  }

  function onSearchKey(e: KeyboardEvent<HTMLInputElement>): void {
    if (e.key === 'Enter' && instruments[0]) {
      e.preventDefault();
      selectMarket(instruments[0].venue, instruments[0].symbol);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      listRef.current?.focus();
    } else if (e.key === 'Escape' && query) {
      e.preventDefault();
      setQuery('');
    }
  }

  return (
    <section className="panel watchlist" aria-label="Watchlist">
      <div className="panel-title">
        <span>Watchlist</span>
        <span className="pane-actions">
          <span className="muted">{instruments.length === all.length ? all.length : `${instruments.length} of ${all.length}`}</span>
          <CollapseButton pane="left" />
        </span>
      </div>
      <div className="watch-search">
        <input
          type="search"
          placeholder={`Search ${all.length} instruments`}
          aria-label="Search instruments"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onSearchKey}
        />
      </div>
      <div className="watch-head" role="group" aria-label="Sort the watchlist">
        <SortButton column={COLUMNS[0]!} sort={sort} onSort={(k) => setSort(nextSort(sort, k))} />
        <span className="watch-regime-head" title="Market regime on the chart's timeframe: Up (trending up), Down (trending down), Range (ranging), Volatile">
          Regime
        </span>
        <SortButton column={COLUMNS[1]!} sort={sort} onSort={(k) => setSort(nextSort(sort, k))} />
        <SortButton column={COLUMNS[2]!} sort={sort} onSort={(k) => setSort(nextSort(sort, k))} />
      </div>
      <ul
        ref={listRef}
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
      {all.length === 0 && <div className="table-empty">No instruments</div>}
      {all.length > 0 && instruments.length === 0 && <div className="table-empty">No instrument matches “{query}”</div>}
    </section>
  );
}

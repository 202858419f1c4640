/**
 * The centre chart: history from `market.candles`, then live 1m bars from the
 * candle feed drawn imperatively (no React render per update), folded into
 * the selected timeframe. Open orders and the position appear as price lines,
 * fills and model signals as markers (signals read from `signals.list` for
 * the instrument and followed live), and the market regime as a coloured
 * band along the bottom with its key underneath. The signal markers are
 * also summed up in words, out of sight, for screen readers.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Dec } from '../../../shared/decimal';
import { TIMEFRAMES, TIMEFRAME_MS, type Candle, type Order } from '../../../shared/domain';
import { errorMessage } from '../../api/client';
import { fmtCompact, fmtNumber, fmtPercent, fmtQty, priceDigits, qtyDigits, ORDER_TYPE_SHORT } from '../../lib/format';
import { toBar, type Bar } from '../../stores/candleFeed';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectActiveInstrument, selectActiveOpenOrders, selectActivePosition } from '../../stores/selectors';
import { LiveBucket, bucketOf, minutesIn } from './candleBuckets';
import { ChartController, type HoverBar, type PriceLineSpec } from './chartController';
import { describeSignalMarkers } from './chartMarkers';
import { CHART_COLORS } from './chartColors';
import { ChartHeader } from './ChartHeader';
import { RegimeKey } from '../regime/RegimeKey';
import { regimeBand } from '../regime/regimeStyle';
import { regimeKey } from '../../stores/regime';
import { matchesQuery } from '../../stores/signals';
import { loadSignalList } from '../signals/loadSignals';

const HISTORY_BARS = 1000;
const MAX_MARKERS = 300;
/** Signals asked for per instrument: every timeframe's come back, and the chart keeps its own timeframe's newest. */
const SIGNALS_FETCHED = 2_000;

function orderLine(o: Order, qtyDecimals: number): PriceLineSpec | null {
  // A stop order shows where it triggers; once a stop-limit has triggered, where it rests.
  const priceText =
    o.type === 'limit' || (o.type === 'stop_limit' && o.triggered) ? o.price : o.type === 'market' ? null : o.stopPrice;
  if (!priceText) return null;
  const price = Number(priceText);
  if (!Number.isFinite(price)) return null;
  let remaining = o.quantity;
  try {
    remaining = Dec.parse(o.quantity).sub(Dec.parse(o.filledQuantity)).toFixed(qtyDecimals);
  } catch {
    // Show the original size if the numbers do not parse.
  }
  return {
    price,
    title: `${o.side.toUpperCase()} ${ORDER_TYPE_SHORT[o.type]} ${remaining}`,
    color: o.side === 'buy' ? CHART_COLORS.up : CHART_COLORS.down,
    dashed: true,
  };
}

function renderLegend(el: HTMLElement | null, bar: HoverBar | null, digits: number): void {
  if (!el) return;
  if (!bar) {
    el.textContent = '';
    return;
  }
  const f = (n: number) => fmtNumber(n, digits);
  const up = bar.close >= bar.open;
  const cls = up ? 'pos' : 'neg';
  const change = bar.open !== 0 ? ((bar.close - bar.open) / bar.open) * 100 : 0;
  // Built as DOM nodes, not HTML text: nothing from the wire is ever parsed as markup.
  el.replaceChildren(
    ...(
      [
        ['O', f(bar.open)],
        ['H', f(bar.high)],
        ['L', f(bar.low)],
        ['C', f(bar.close)],
        ['', fmtPercent(change)],
        // Compact, as the header's 24h volume is: the two sit side by side.
        ['V', bar.volume === null ? '—' : fmtCompact(bar.volume)],
        ...(bar.band ? ([['Regime', bar.band]] as const) : []),
      ] as const
    ).map(([label, value]) => {
      const span = document.createElement('span');
      span.className = 'legend-item';
      if (label) {
        const l = document.createElement('b');
        l.textContent = label;
        span.append(l);
      }
      const v = document.createElement('span');
      v.className = label === 'V' || label === 'Regime' ? '' : cls;
      v.textContent = value;
      span.append(v);
      return span;
    }),
  );
}

export function ChartPanel() {
  const { client, candleFeed, store } = useServices();
  const venue = useKeel((s) => s.venue);
  const symbol = useKeel((s) => s.symbol);
  const timeframe = useKeel((s) => s.timeframe);
  const setTimeframe = useKeel((s) => s.setTimeframe);
  const syncEpoch = useKeel((s) => s.syncEpoch);
  const inst = useKeel(selectActiveInstrument);
  const openOrders = useKeel(selectActiveOpenOrders);
  const positionKey = useKeel((s) => {
    const p = selectActivePosition(s);
    return p ? `${p.side}|${p.quantity}|${p.entryPrice}` : '';
  });
  const fills = useKeel((s) => s.fills);
  const regime = useKeel((s) => (venue && symbol ? s.regimes[regimeKey(venue, symbol, timeframe)] : undefined));
  const chartSignals = useKeel((s) => s.chartSignals.rows);

  const containerRef = useRef<HTMLDivElement>(null);
  const legendRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<ChartController | null>(null);
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ key: string; message: string } | null>(null);

  const tickSize = inst?.tickSize;
  const pDigits = priceDigits(inst);
  const qDigits = qtyDigits(inst);
  const loadKey = venue && symbol && syncEpoch > 0 ? `${venue}|${symbol}|${timeframe}|${syncEpoch}` : null;

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const controller = new ChartController(el);
    controllerRef.current = controller;
    return () => {
      controllerRef.current = null;
      controller.destroy();
    };
  }, []);

  useEffect(() => {
    controllerRef.current?.onHover((bar) => renderLegend(legendRef.current, bar, pDigits));
  }, [pDigits]);

  useEffect(() => {
    if (tickSize) controllerRef.current?.setPrecision(tickSize);
  }, [tickSize]);

  // History, then live bars. Everything is keyed so a late answer for a previous symbol is dropped.
  useEffect(() => {
    const controller = controllerRef.current;
    if (!controller || !loadKey || !venue || !symbol) return;
    let cancelled = false;
    let ready = false;
    const early: Bar[] = [];
    const live = new LiveBucket(timeframe);
    const apply = (minute: Bar) => {
      const bar = live.apply(minute);
      if (bar) controller.update(bar);
    };
    // Subscribe before fetching so no bar falls between the snapshot and the stream.
    const unsubscribe = candleFeed.subscribe(venue, symbol, (bars) => {
      if (ready) bars.forEach(apply);
      else early.push(...bars);
    });
    controller.clear();
    void Promise.all([
      client.invoke('market.candles', { venue, symbol, timeframe, limit: HISTORY_BARS }),
      timeframe === '1m'
        ? Promise.resolve<Candle[]>([])
        : client.invoke('market.candles', { venue, symbol, timeframe: '1m', limit: minutesIn(timeframe) }),
    ]).then(
      ([candles, minuteCandles]) => {
        if (cancelled) return;
        const history = candles.map(toBar);
        const minutes = minuteCandles.map(toBar);
        controller.setHistory(history);
        const last = history[history.length - 1];
        if (last && minutes.length > 0) live.seed(minutes.filter((m) => bucketOf(m.time, timeframe) >= last.time));
        ready = true;
        early.sort((a, b) => a.time - b.time).forEach(apply);
        setLoadedKey(loadKey);
      },
      (err: unknown) => {
        if (!cancelled) setFailure({ key: loadKey, message: errorMessage(err) });
      },
    );
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [client, candleFeed, loadKey, venue, symbol, timeframe]);

  useEffect(() => {
    const controller = controllerRef.current;
    if (!controller) return;
    const lines = openOrders.map((o) => orderLine(o, qDigits)).filter((l): l is PriceLineSpec => l !== null);
    if (positionKey) {
      const [side, quantity, entry] = positionKey.split('|');
      const price = Number(entry);
      if (Number.isFinite(price)) {
        lines.push({
          price,
          title: `${side === 'long' ? 'LONG' : 'SHORT'} ${fmtQty(quantity, inst)}`,
          color: CHART_COLORS.position,
          dashed: false,
        });
      }
    }
    controller.setPriceLines(lines);
  }, [openOrders, positionKey, qDigits, inst]);

  useEffect(() => {
    const controller = controllerRef.current;
    if (!controller) return;
    const mine = fills.filter((f) => f.venue === venue && f.symbol === symbol).slice(0, MAX_MARKERS);
    controller.setFillMarkers(
      mine.map((f) => ({
        timeMs: f.timestamp,
        side: f.side,
        text: `${f.side === 'buy' ? 'B' : 'S'} ${fmtQty(f.quantity, inst)}`,
      })),
      TIMEFRAME_MS[timeframe],
    );
  }, [fills, venue, symbol, timeframe, inst, loadedKey]);

  useEffect(() => {
    controllerRef.current?.setBand(regime ? regimeBand(regime.history) : []);
  }, [regime, loadedKey]);

  // The instrument's signals, again on every change of instrument or timeframe and after a reconnect; events keep them live.
  useEffect(() => {
    if (!venue || !symbol || syncEpoch === 0) return;
    void loadSignalList(client, store, 'chartSignals', { venue, symbol, timeframe }, { venue, symbol, limit: SIGNALS_FETCHED });
  }, [client, store, venue, symbol, timeframe, syncEpoch]);

  // Only this chart's: the list may still hold the previous instrument's while the new one loads.
  const mySignals = useMemo(
    () => (venue && symbol ? chartSignals.filter((s) => matchesQuery(s, { venue, symbol, timeframe })) : []),
    [chartSignals, venue, symbol, timeframe],
  );
  const signalSummary = useMemo(() => describeSignalMarkers(mySignals, timeframe), [mySignals, timeframe]);

  useEffect(() => {
    controllerRef.current?.setSignalMarkers(mySignals, timeframe);
  }, [mySignals, timeframe, loadedKey]);

  const failed = failure && failure.key === loadKey ? failure.message : null;
  const loading = loadKey !== null && loadedKey !== loadKey && !failed;

  return (
    <section className="panel chart-panel" aria-label="Chart">
      <div className="panel-toolbar chart-toolbar">
        <ChartHeader />
        <div className="tf-group" role="group" aria-label="Timeframe">
          {TIMEFRAMES.map((tf) => (
            <button
              key={tf}
              type="button"
              className="tf-button"
              aria-pressed={tf === timeframe}
              onClick={() => setTimeframe(tf)}
            >
              {tf}
            </button>
          ))}
        </div>
      </div>
      <div className="chart-body">
        <div className="chart-legend" ref={legendRef} />
        <div className="chart-canvas" ref={containerRef} data-testid="chart" />
        <p className="sr-only" data-testid="chart-signal-markers">
          {signalSummary}
        </p>
        {loading && <div className="chart-overlay">Loading {symbol ?? ''} {timeframe}…</div>}
        {failed && <div className="chart-overlay error">Chart unavailable: {failed}</div>}
        {!loadKey && <div className="chart-overlay">Waiting for market data…</div>}
      </div>
      <RegimeKey regime={regime} timeframe={timeframe} />
    </section>
  );
}

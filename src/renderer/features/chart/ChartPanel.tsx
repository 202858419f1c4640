/**
 * The centre chart: history from `market.candles`, then live 1m bars from the
 * candle feed drawn imperatively (no React render per update), folded into
 * the selected timeframe. Open orders and the position appear as price lines
 * whose labels never pile up, the real last price on the axis, fills and
 * model signals as markers (signals read from `signals.list` for the
 * instrument and followed live), and the market regime as a coloured band
 * along the bottom with its key underneath. The signal markers are also
 * summed up in words, out of sight, for screen readers. The trader's
 * indicators and drawings, saved per instrument, come from the tools row
 * above the chart. Trading from the chart (useChartTrading): the right-click
 * menu places the ticket's order at the price under the pointer (from the
 * keyboard, the Menu key or Shift+F10 on the focused chart opens it at the
 * crosshair's price or the last price: keyboardMenu), order
 * lines are dragged to amend them, the position line's TP / SL handles to
 * set its exits, all through the ticket's checks and confirmations.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { Dec } from '../../../shared/decimal';
import { TIMEFRAMES, TIMEFRAME_MS, type Candle, type Order } from '../../../shared/domain';
import { errorMessage } from '../../api/client';
import { fmtCompact, fmtNumber, fmtPercent, fmtPrice, fmtQty, priceDigits, qtyDigits, ORDER_TYPE_SHORT } from '../../lib/format';
import { toBar, type Bar } from '../../stores/candleFeed';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectActiveInstrument, selectActiveOpenOrders, selectActivePosition, selectActiveTicker } from '../../stores/selectors';
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
import { DrawingTools } from './DrawingTools';
import type { DrawingMode } from './drawings/drawingLayer';
import { IndicatorPicker } from './IndicatorPicker';
import { INDICATORS, type IndicatorConfig } from './indicators/indicatorCatalog';
import { renderIndicatorLegend } from './indicatorLegend';
import { useChartPrefs } from './useChartPrefs';
import { AlertsMenu } from '../alerts/AlertsMenu';
import { alertLineTitle, describeAlert } from '../alerts/alertText';
import { ChartContextMenu } from './ChartContextMenu';
import { snapToTick } from './snapToTick';
import { LargeOrderConfirm } from '../order-ticket/LargeOrderConfirm';
import { CHART_MENU_KEYS_HINT, keyboardMenuPoint, opensChartMenu } from './trading/keyboardMenu';
import { canDragOrder, linePrice } from './trading/orderDrag';
import { POSITION_LINE_ID, orderLineTitle, useChartTrading } from './trading/useChartTrading';
import { useShallow } from 'zustand/react/shallow';
import './chartTools.css';

const HISTORY_BARS = 1000;
/** How long after the menu's key a contextmenu event without the right button is taken as that key's. */
const KEY_CONTEXTMENU_MS = 1000;
const MAX_MARKERS = 300;
/** Signals asked for per instrument: every timeframe's come back, and the chart keeps its own timeframe's newest. */
const SIGNALS_FETCHED = 2_000;

function orderLine(o: Order, qtyDecimals: number): PriceLineSpec | null {
  const priceText = linePrice(o);
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
    id: o.id,
    price,
    title: orderLineTitle(o, remaining, ORDER_TYPE_SHORT[o.type]),
    color: o.side === 'buy' ? CHART_COLORS.up : CHART_COLORS.down,
    dashed: true,
    noun: 'order',
    draggable: canDragOrder(o),
  };
}

/** True when the keyboard is typing into a field: chart shortcuts keep out of its way. */
function typingInField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
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

/** Price alert lines: amber, so they read apart from orders (green, red) and the position (gold). */
const ALERT_COLOR = '#f0a81e';

const paneIndicators = (configs: readonly IndicatorConfig[]) => configs.filter((c) => INDICATORS[c.kind].placement === 'pane');

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
  const crossAlerts = useKeel(
    useShallow((s) => s.priceAlerts.filter((a) => a.venue === venue && a.symbol === symbol && a.kind === 'cross' && a.status === 'active')),
  );
  const [contextMenu, setContextMenu] = useState<{ x: number; y: number; price: string } | null>(null);
  // A menu the keyboard opened hands focus back to the chart when it closes. When the key was pressed: the contextmenu
  // event some platforms send for the same key comes from no point the trader chose, and is not a second opening.
  const keyboardMenuRef = useRef<{ open: boolean; at: number }>({ open: false, at: -Infinity });
  const closeContextMenu = useCallback(() => {
    setContextMenu(null);
    if (keyboardMenuRef.current.open) {
      keyboardMenuRef.current.open = false;
      containerRef.current?.focus();
    }
  }, []);
  const keysHintId = useId();

  const containerRef = useRef<HTMLDivElement>(null);
  const legendRef = useRef<HTMLDivElement>(null);
  const overlayLegendRef = useRef<HTMLDivElement>(null);
  const paneLegendRefs = useRef(new Map<string, HTMLDivElement>());
  const controllerRef = useRef<ChartController | null>(null);
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ key: string; message: string } | null>(null);
  const prefs = useChartPrefs(venue, symbol);
  const { indicators, setIndicators, savedDrawings, saveDrawings } = prefs;
  const [drawMode, setDrawMode] = useState<DrawingMode>('cursor');
  const [selectedDrawing, setSelectedDrawing] = useState<string | null>(null);
  // How many drawings the instrument has: as saved until the trader changes them on this chart.
  const [drawn, setDrawn] = useState<{ saved: readonly unknown[]; count: number } | null>(null);
  const drawingCount = drawn && drawn.saved === savedDrawings ? drawn.count : savedDrawings.length;
  const savedDrawingsRef = useRef(savedDrawings);
  const [paneTops, setPaneTops] = useState<ReadonlyMap<string, number>>(new Map());
  // The chart reports drawing changes from its own event handlers: they reach the instrument's save through a ref.
  const saveDrawingsRef = useRef(saveDrawings);
  const indicatorsRef = useRef(indicators);

  const tickSize = inst?.tickSize;
  const pDigits = priceDigits(inst);
  const qDigits = qtyDigits(inst);
  const trading = useChartTrading({
    settle: () => controllerRef.current?.settleDrag(),
    titleOf: (o) => orderLine(o, qDigits)?.title ?? '',
  });
  const { dragEvents } = trading;
  const loadKey = venue && symbol && syncEpoch > 0 ? `${venue}|${symbol}|${timeframe}|${syncEpoch}` : null;

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const controller = new ChartController(
      el,
      {
        onChange: (drawings) => {
          saveDrawingsRef.current(drawings);
          setDrawn({ saved: savedDrawingsRef.current, count: drawings.length });
        },
        onSelect: (id) => setSelectedDrawing(id),
        onModeChange: (mode) => setDrawMode(mode),
      },
      dragEvents,
    );
    controllerRef.current = controller;
    return () => {
      controllerRef.current = null;
      controller.destroy();
    };
  }, [dragEvents]);

  useEffect(() => {
    saveDrawingsRef.current = saveDrawings;
    savedDrawingsRef.current = savedDrawings;
    indicatorsRef.current = indicators;
  }, [saveDrawings, savedDrawings, indicators]);

  useEffect(() => {
    controllerRef.current?.onHover((bar) => {
      renderLegend(legendRef.current, bar, pDigits);
      const overlays = indicatorsRef.current.filter((c) => INDICATORS[c.kind].placement === 'overlay' && c.kind !== 'volumeProfile');
      const overlayEl = overlayLegendRef.current;
      if (overlayEl) {
        overlayEl.replaceChildren(
          ...overlays.map((c) => {
            const line = document.createElement('span');
            line.className = 'ind-legend';
            renderIndicatorLegend(line, c, bar?.indicators.get(c.id), pDigits);
            return line;
          }),
        );
      }
      for (const c of indicatorsRef.current) {
        const el = paneLegendRefs.current.get(c.id);
        if (el) renderIndicatorLegend(el, c, bar?.indicators.get(c.id), pDigits);
      }
    });
  }, [pDigits]);

  useEffect(() => {
    controllerRef.current?.setBarLength(TIMEFRAME_MS[timeframe]);
  }, [timeframe]);

  // The instrument's indicators; pane legends find their panes once the chart has laid them out.
  useEffect(() => {
    const controller = controllerRef.current;
    if (!controller) return;
    controller.setIndicators(indicators);
    const frame = requestAnimationFrame(() => setPaneTops(controller.indicatorPaneTops()));
    return () => cancelAnimationFrame(frame);
  }, [indicators]);

  useEffect(() => {
    const el = containerRef.current;
    const controller = controllerRef.current;
    if (!el || !controller || typeof ResizeObserver === 'undefined') return;
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setPaneTops(controller.indicatorPaneTops()));
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, []);

  useEffect(() => {
    controllerRef.current?.setDrawings(savedDrawings);
  }, [savedDrawings]);

  const chooseDrawMode = useCallback((mode: DrawingMode) => {
    setDrawMode(mode);
    controllerRef.current?.setDrawingMode(mode);
  }, []);

  // Del removes the selected drawing; Esc drops a drawing half placed, then the drawing tool.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingInField(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const controller = controllerRef.current;
      if (!controller) return;
      if (e.key === 'Delete' || e.key === 'Backspace') {
        if (controller.deleteSelectedDrawing()) e.preventDefault();
      } else if (e.key === 'Escape') {
        if (!controller.cancelDrawing() && drawMode !== 'cursor') chooseDrawMode('cursor');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [drawMode, chooseDrawMode]);

  // The real last price on the axis, from the ticker, without a React render per tick.
  useEffect(() => {
    const controller = controllerRef.current;
    if (!controller) return;
    const read = () => {
      const t = selectActiveTicker(store.getState());
      return t ? Number(t.last) : null;
    };
    controller.setLastPrice(read());
    return store.subscribe(read, (last) => controller.setLastPrice(last));
  }, [store, venue, symbol]);

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
          id: POSITION_LINE_ID,
          price,
          title: `${side === 'long' ? 'LONG' : 'SHORT'} ${fmtQty(quantity, inst)}`,
          color: CHART_COLORS.position,
          dashed: false,
          pinned: true,
          handles: ['tp', 'sl'],
        });
      }
    }
    for (const a of crossAlerts) {
      const price = Number(a.price);
      if (Number.isFinite(price)) lines.push({ price, title: alertLineTitle(a), color: ALERT_COLOR, dashed: true, noun: 'alert' });
    }
    controller.setPriceLines(lines);
  }, [openOrders, positionKey, qDigits, inst, crossAlerts]);

  // The Menu key or Shift+F10 on the focused chart: the same menu, at the crosshair's price or the last price.
  const openMenuFromKeyboard = (): void => {
    const controller = controllerRef.current;
    if (!controller || !tickSize) return;
    const at = keyboardMenuPoint({ crosshair: controller.crosshair(), last: controller.lastPrice(), pane: controller.candlesPane(), tickSize });
    if (!at) return;
    keyboardMenuRef.current.open = true;
    setContextMenu(at);
  };

  const onChartKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    if (!opensChartMenu(e)) return;
    e.preventDefault();
    keyboardMenuRef.current.at = performance.now();
    openMenuFromKeyboard();
  };

  // Right-click on the candles: actions at the price under the pointer.
  const onContextMenu = (e: ReactMouseEvent<HTMLDivElement>) => {
    const controller = controllerRef.current;
    const el = containerRef.current;
    if (!controller || !el || !tickSize) return;
    // A right-click has the right button; the key's event has none, just after the key.
    const fromKeys = e.button !== 2 && performance.now() - keyboardMenuRef.current.at < KEY_CONTEXTMENU_MS;
    if (fromKeys || (e.target as HTMLElement).closest('.chart-context-menu')) {
      e.preventDefault();
      return;
    }
    const rect = el.getBoundingClientRect();
    const price = controller.priceAt(e.clientY - rect.top);
    const snapped = price === null ? null : snapToTick(price, tickSize);
    if (snapped === null) return;
    e.preventDefault();
    keyboardMenuRef.current.open = false;
    setContextMenu({ x: e.clientX - rect.left, y: e.clientY - rect.top, price: snapped });
  };

  async function alertAt(price: string): Promise<void> {
    if (!venue || !symbol) return;
    try {
      const alert = await client.invoke('alerts.price.add', { kind: 'cross', venue, symbol, price });
      store.getState().notify('success', `Alert set on ${symbol}: ${describeAlert(alert, inst)}`);
    } catch (err) {
      store.getState().notify('error', `Alert not set: ${errorMessage(err)}`);
    }
  }

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
      <div className="chart-tools">
        <IndicatorPicker indicators={indicators} onChange={setIndicators} />
        <DrawingTools
          mode={drawMode}
          onMode={chooseDrawMode}
          selected={selectedDrawing !== null}
          onDelete={() => controllerRef.current?.deleteSelectedDrawing()}
          count={drawingCount}
        />
        <AlertsMenu />
        <span className="chart-attribution" title="The charts are drawn with TradingView Lightweight Charts™ (tradingview.com)">
          Charts: TradingView Lightweight Charts™
        </span>
      </div>
      <div className="chart-body" onContextMenu={onContextMenu}>
        <div className="chart-legend-stack">
          <div className="chart-legend" ref={legendRef} />
          <div className="chart-legend ind-legends" ref={overlayLegendRef} aria-label="Indicators on the candles" />
        </div>
        <div
          className="chart-canvas"
          ref={containerRef}
          data-testid="chart"
          data-drawing-mode={drawMode}
          tabIndex={0}
          role="group"
          aria-label={`Chart of ${symbol ?? 'no instrument'}`}
          aria-describedby={keysHintId}
          onKeyDown={onChartKeyDown}
        />
        <p className="sr-only" id={keysHintId}>
          {CHART_MENU_KEYS_HINT}
        </p>
        <p className="sr-only" data-testid="chart-signal-markers">
          {signalSummary}
        </p>
        {paneIndicators(indicators).map((c) => (
          <div
            key={c.id}
            className="chart-legend ind-pane-legend"
            data-indicator={c.kind}
            aria-label={`${INDICATORS[c.kind].name} pane`}
            style={{ top: (paneTops.get(c.id) ?? -1000) + 4 }}
            ref={(el) => {
              if (el) paneLegendRefs.current.set(c.id, el);
              else paneLegendRefs.current.delete(c.id);
            }}
          />
        ))}
        {contextMenu && (
          <ChartContextMenu
            x={contextMenu.x}
            y={contextMenu.y}
            title={`${symbol ?? ''} at ${fmtPrice(contextMenu.price, inst)}`}
            items={[
              ...trading.menuItems(contextMenu.price),
              { label: `Alert at ${fmtPrice(contextMenu.price, inst)}`, onSelect: () => void alertAt(contextMenu.price) },
            ]}
            onClose={closeContextMenu}
          />
        )}
        {trading.drag && trading.dragText && (
          <div className="chart-drag-price" data-testid="chart-drag-price" role="status" style={{ left: trading.drag.x + 14, top: trading.drag.y - 10 }}>
            {trading.dragText}
          </div>
        )}
        {loading && <div className="chart-overlay">Loading {symbol ?? ''} {timeframe}…</div>}
        {failed && <div className="chart-overlay error">Chart unavailable: {failed}</div>}
        {!loadKey && <div className="chart-overlay">Waiting for market data…</div>}
      </div>
      <RegimeKey regime={regime} timeframe={timeframe} />
      <LargeOrderConfirm
        large={trading.held?.confirm ?? null}
        quote={inst?.quote ?? ''}
        amend={trading.held?.kind === 'amend'}
        confirmLabel={trading.held?.kind === 'amend' ? 'Amend order' : 'Send order'}
        cancelLabel="Cancel"
        onConfirm={trading.confirmHeld}
        onCancel={trading.cancelHeld}
      />
    </section>
  );
}

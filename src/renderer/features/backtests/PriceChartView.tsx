/**
 * The prices a run traded on, as candles, with an arrow at each entry and a
 * dot at each exit, drawn imperatively by `PriceChart`. A dataset's bars come
 * folded into wider buckets when the run is long; the bar under the
 * crosshair is read out (open, high, low, close) without re-rendering React.
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { BacktestResult, Dataset } from '../../../shared/contract';
import { useKeel } from '../../stores/KeelProvider';
import { PriceChart } from './priceChart';
import { bucketLabel, chartBars, priceDecimals, priceMarkers, type PriceBar } from './priceData';
import { fmtNumber } from './statsFormat';
import { useRunPrices } from './useBacktestResults';

export function PriceChartView({ run, switcher, hidden }: { run: BacktestResult; switcher?: ReactNode; hidden?: boolean }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const ohlcRef = useRef<HTMLSpanElement>(null);
  const chartRef = useRef<PriceChart | null>(null);
  const datasetId = 'dataset' in run.data ? run.data.dataset : null;
  const dataset = useKeel((s) => (datasetId === null ? undefined : s.datasets.find((d) => d.id === datasetId)));
  const loaded = useRunPrices(run.data, run.settings);
  const prices = loaded.status === 'ready' ? loaded.prices : null;
  const bars = useMemo(() => (prices ? chartBars(prices.bars) : []), [prices]);
  const decimals = useMemo(() => priceDecimals(bars), [bars]);
  const placed = useMemo(
    () => (prices ? priceMarkers(run.trades, prices.bars.map((b) => b.time), prices.bucketMs, { end: prices.end }) : null),
    [prices, run.trades],
  );
  const [log, setLog] = useState(false);

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const chart = new PriceChart(el);
    chartRef.current = chart;
    return () => {
      chartRef.current = null;
      chart.destroy();
    };
  }, []);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    chart.onHover((bar, hovering) => {
      if (ohlcRef.current) showOhlc(ohlcRef.current, bar, decimals, hovering);
    });
    chart.setData(bars, placed?.markers ?? [], decimals);
  }, [bars, placed, decimals]);

  useEffect(() => {
    chartRef.current?.setLogScale(log);
  }, [log]);

  const missed = placed ? placed.unplaced + placed.omitted : 0;
  return (
    <div className="bt-chart" data-testid="price-chart" hidden={hidden}>
      <div className="bt-chart-head">
        {switcher}
        <div className="bt-chart-legend" aria-hidden="true">
          <span className="lg lg-long">▲ long</span>
          <span className="lg lg-short">▼ short</span>
          <span className="lg lg-win">● win</span>
          <span className="lg lg-loss">● loss</span>
        </div>
        {missed > 0 && placed && (
          <span className="bt-chart-note" title={missedTitle(placed.unplaced, placed.omitted)}>
            {missed} {missed === 1 ? 'trade' : 'trades'} not marked
          </span>
        )}
        <label className="bt-chart-log" title="Logarithmic price scale: equal heights for equal percentage moves">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} />
          Log
        </label>
      </div>
      <div className="bt-chart-canvas" ref={containerRef} />
      {prices && bars.length > 0 && (
        <div className="bt-price-info" aria-hidden="true">
          <span className="bt-price-symbol">{symbolOf(run, dataset)}</span>
          <span className="bt-price-tf" title={foldedTitle(prices.bucketMs, dataset)}>
            {bucketLabel(prices.bucketMs)}
            {dataset && prices.bucketMs > dataset.periodMs && <span className="muted"> · folded from {bucketLabel(dataset.periodMs)}</span>}
          </span>
          <span className="bt-ohlc" ref={ohlcRef} />
        </div>
      )}
      {loaded.status === 'loading' && <div className="chart-overlay">Loading prices…</div>}
      {loaded.status === 'error' && <div className="chart-overlay error">Prices unavailable: {loaded.message}</div>}
      {prices && bars.length === 0 && <div className="chart-overlay">No bars in this run&apos;s date range</div>}
    </div>
  );
}

function symbolOf(run: BacktestResult, dataset: Dataset | undefined): string {
  if ('dataset' in run.data) return dataset?.symbol ?? 'Dataset';
  return `${run.data.symbol} · ${run.data.venue}`;
}

function foldedTitle(bucketMs: number, dataset: Dataset | undefined): string | undefined {
  if (!dataset || bucketMs <= dataset.periodMs) return undefined;
  return `Each candle folds ${Math.round(bucketMs / dataset.periodMs)} bars of ${bucketLabel(dataset.periodMs)} so the whole run fits; trades sit on the candle that holds them`;
}

function missedTitle(unplaced: number, omitted: number): string {
  const parts: string[] = [];
  if (unplaced > 0) parts.push(`${unplaced} entered or exited outside the bars shown (older than the venue's kept history)`);
  if (omitted > 0) parts.push(`${omitted} older ones are left out so the chart stays readable`);
  return parts.join('; ');
}

/** Writes the bar's open, high, low, close and change into `el`; the last bar's when the pointer is elsewhere. */
function showOhlc(el: HTMLElement, bar: PriceBar | null, decimals: number, hovering: boolean): void {
  if (!bar) {
    el.replaceChildren();
    return;
  }
  const tone = bar.close >= bar.open ? 'pos' : 'neg';
  const part = (label: string, value: number) => {
    const span = document.createElement('span');
    const key = document.createElement('b');
    key.textContent = label;
    span.append(key, fmtNumber(value, decimals));
    span.className = tone;
    return span;
  };
  const change = document.createElement('span');
  change.className = tone;
  const pct = bar.open !== 0 ? ((bar.close - bar.open) / bar.open) * 100 : 0;
  change.textContent = `${pct >= 0 ? '+' : ''}${fmtNumber(pct, 2)}%`;
  el.replaceChildren(part('O', bar.open), part('H', bar.high), part('L', bar.low), part('C', bar.close), change);
  el.classList.toggle('is-hover', hovering);
}

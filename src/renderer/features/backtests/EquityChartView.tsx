/**
 * The equity curve of a run (or of the trade journal) with its drawdown
 * underneath and a marker at each trade's entry and exit, drawn
 * imperatively by `EquityChart`.
 */
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { EquityPoint } from '../../../shared/contract';
import { EquityChart } from './equityChart';
import { equitySeries, tradeMarkers, type MarkedTrade } from './equityData';

export function EquityChartView({
  equity,
  trades,
  switcher,
  hidden,
  total,
  emptyText = 'No equity points in this run',
}: {
  equity: readonly EquityPoint[];
  /** How many points the whole curve has, when `equity` is a thinned part of it. */
  total?: number | undefined;
  trades: readonly MarkedTrade[];
  /** Shown first in the chart's head (the result's Price / Equity switch). */
  switcher?: ReactNode;
  hidden?: boolean;
  emptyText?: string;
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<EquityChart | null>(null);
  const series = useMemo(() => equitySeries(equity), [equity]);
  const markers = useMemo(() => tradeMarkers(trades, series.equity.map((p) => p.time)), [trades, series]);
  const [log, setLog] = useState(false);

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const chart = new EquityChart(el);
    chartRef.current = chart;
    return () => {
      chartRef.current = null;
      chart.destroy();
    };
  }, []);

  useEffect(() => {
    chartRef.current?.setData(series, markers);
  }, [series, markers]);

  useEffect(() => {
    chartRef.current?.setLogScale(log);
  }, [log]);

  return (
    <div className="bt-chart" data-testid="equity-chart" hidden={hidden}>
      <div className="bt-chart-head">
        {switcher}
        <div className="bt-chart-legend" aria-hidden="true">
          <span className="lg lg-equity">Equity</span>
          <span className="lg lg-dd">Drawdown</span>
          <span className="lg lg-long">▲ long</span>
          <span className="lg lg-short">▼ short</span>
          <span className="lg lg-win">● win</span>
          <span className="lg lg-loss">● loss</span>
        </div>
        {total !== undefined && total > equity.length && (
          <span
            className="bt-chart-thinned muted"
            data-testid="equity-thinned"
            title="A long curve is drawn from part of its points: in every stretch of the run its first and last, highest and lowest, and deepest drawdown are kept, so no peak or trough is lost"
          >
            {equity.length.toLocaleString('en-US')} of {total.toLocaleString('en-US')} points
          </span>
        )}
        <label className="bt-chart-log" title="Logarithmic equity scale: equal heights for equal percentage moves">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} />
          Log
        </label>
      </div>
      <div className="bt-chart-canvas" ref={containerRef} />
      {series.equity.length === 0 && <div className="chart-overlay">{emptyText}</div>}
    </div>
  );
}

/**
 * The equity curve of the scope with its drawdown underneath (the
 * backtests' own chart, with a marker at each round trip's entry and exit),
 * and the daily PnL bars.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { EquityPoint, RoundTripView } from '../../../shared/contract';
import { useKeel } from '../../stores/KeelProvider';
import { EquityChartView } from '../backtests/EquityChartView';
import type { MarkedTrade } from '../backtests/equityData';
import { DailyPnlChart, dailyBars } from './dailyPnlChart';

const NO_POINTS: EquityPoint[] = [];
const NO_TRADES: RoundTripView[] = [];

/** Closed round trips as chart markers: size signed by side, PnL as a number. */
export function tripMarks(trips: readonly RoundTripView[]): MarkedTrade[] {
  return trips
    .filter((t) => t.closedAt !== null)
    .map((t) => ({ size: t.side === 'long' ? Number(t.quantity) : -Number(t.quantity), entryTime: t.openedAt, exitTime: t.closedAt!, pnl: Number(t.netPnl) }))
    .sort((a, b) => a.entryTime - b.entryTime);
}

export function EquityPanel() {
  const equity = useKeel((s) => s.analytics?.equity);
  const trades = useKeel((s) => s.analytics?.trades ?? NO_TRADES);
  const points = useMemo(
    () => (equity ? equity.points.map((p) => ({ time: p.time, equity: Number(p.equity), drawdownPct: p.drawdownPct })) : NO_POINTS),
    [equity],
  );
  const marks = useMemo(() => tripMarks(trades), [trades]);
  return (
    <section className="panel av-charts" aria-label="Equity and drawdown">
      <div className="panel-title">
        Equity
        {equity && (
          <span className="muted">
            {equity.currency}
            {equity.thinned ? ' · long range: each day keeps its close, high and low' : ''}
          </span>
        )}
      </div>
      <div className="bt-charts av-equity">
        <EquityChartView equity={points} trades={marks} emptyText="No equity in this range yet" />
      </div>
    </section>
  );
}

/** One bar per UTC day of the range: the change of equity over the day. */
export function DailyPnl() {
  const daily = useKeel((s) => s.analytics?.equity.daily);
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<DailyPnlChart | null>(null);
  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const chart = new DailyPnlChart(el);
    chartRef.current = chart;
    return () => {
      chartRef.current = null;
      chart.destroy();
    };
  }, []);
  useEffect(() => {
    chartRef.current?.setData(dailyBars(daily ?? []));
  }, [daily]);
  return (
    <div className="av-block">
      <h3 className="av-block-title">Daily PnL (UTC days)</h3>
      <div className="av-daily" ref={containerRef} data-testid="daily-pnl-chart" role="img" aria-label="Daily PnL bars" />
    </div>
  );
}

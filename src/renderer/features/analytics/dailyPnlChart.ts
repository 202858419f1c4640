/**
 * Imperative owner of the daily PnL chart: one bar per UTC day, green up and
 * red down, in the look every Keel chart shares. React decides what to
 * show; this class draws it.
 */
import { HistogramSeries, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import type { DailyResult } from '../../../shared/contract';
import { CHART_COLORS } from '../chart/chartColors';
import { createBacktestChart, WholeRunFit } from '../backtests/backtestChart';

export interface DailyBar {
  time: number;
  value: number;
  color: string;
}

/** Daily results as bars: seconds since the epoch, the day's PnL, its colour. */
export function dailyBars(daily: readonly DailyResult[]): DailyBar[] {
  return daily.map((d) => {
    const value = Number(d.pnl);
    // A flat day is drawn, but quietly: the days that moved are what the eye should find.
    return { time: Math.floor(d.time / 1000), value, color: value < 0 ? CHART_COLORS.down : value > 0 ? CHART_COLORS.up : CHART_COLORS.border };
  });
}

export class DailyPnlChart {
  private readonly chart: IChartApi;
  private readonly bars: ISeriesApi<'Histogram'>;
  private readonly fit: WholeRunFit;

  constructor(container: HTMLElement) {
    this.chart = createBacktestChart(container);
    this.chart.applyOptions({ timeScale: { timeVisible: false } });
    // Few, wide bars: keep room for the first date label (about half of "Nov 2026") and the last ("29 Nov").
    this.fit = new WholeRunFit(this.chart, container, { leftPx: 32, rightPx: 24 });
    this.bars = this.chart.addSeries(HistogramSeries, {
      priceLineVisible: false,
      lastValueVisible: false,
      title: 'Daily PnL',
      priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
      base: 0,
    });
  }

  setData(bars: readonly DailyBar[]): void {
    this.bars.setData(bars.map((b) => ({ time: b.time as UTCTimestamp, value: b.value, color: b.color })));
    this.fit.fit();
  }

  destroy(): void {
    this.fit.destroy();
    this.chart.remove();
  }
}

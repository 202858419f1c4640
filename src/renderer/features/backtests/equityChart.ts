/**
 * Imperative owner of one lightweight-charts instance for a backtest: the
 * equity curve with entry and exit markers on top, the drawdown below it in
 * its own pane (red area down from zero). React decides what to show; this
 * class draws it. Times are UTC seconds on the wire and local on screen, as
 * on the trading chart.
 */
import {
  BaselineSeries,
  LineSeries,
  PriceScaleMode,
  createSeriesMarkers,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { CHART_COLORS } from '../chart/chartColors';
import { createBacktestChart, WholeRunFit } from './backtestChart';
import type { EquitySeries, TradeMarker } from './equityData';

const EQUITY_COLOR = '#3d8bfd';
/** Markers are labelled only when there are few enough to read. */
const LABELLED_MARKERS = 80;

export class EquityChart {
  private readonly chart: IChartApi;
  private readonly equity: ISeriesApi<'Line'>;
  private readonly drawdown: ISeriesApi<'Baseline'>;
  private readonly markers: ISeriesMarkersPluginApi<Time>;
  private readonly fit: WholeRunFit;

  constructor(container: HTMLElement) {
    this.chart = createBacktestChart(container);
    // The trade journal's curve has a point at each fill, seconds apart: without seconds, two ticks in one minute
    // both read "20:50". A run on bars of a minute or more never has a tick finer than its bars.
    this.chart.applyOptions({ timeScale: { secondsVisible: true } });
    this.fit = new WholeRunFit(this.chart, container);
    this.equity = this.chart.addSeries(LineSeries, {
      color: EQUITY_COLOR,
      lineWidth: 2,
      priceLineVisible: false,
      title: 'Equity',
      priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
    });
    this.drawdown = this.chart.addSeries(
      BaselineSeries,
      {
        baseValue: { type: 'price', price: 0 },
        topLineColor: 'rgba(0, 0, 0, 0)',
        topFillColor1: 'rgba(0, 0, 0, 0)',
        topFillColor2: 'rgba(0, 0, 0, 0)',
        bottomLineColor: CHART_COLORS.down,
        bottomFillColor1: 'rgba(246, 70, 93, 0.08)',
        bottomFillColor2: 'rgba(246, 70, 93, 0.45)',
        lineWidth: 1,
        priceLineVisible: false,
        title: 'Drawdown %',
        priceFormat: { type: 'custom', minMove: 0.01, formatter: (v: number) => `${v.toFixed(2)}%` },
      },
      1,
    );
    this.markers = createSeriesMarkers(this.equity, []);
    // The drawdown pane is context for the curve, not its equal.
    this.chart.panes()[0]?.setStretchFactor(3);
    this.chart.panes()[1]?.setStretchFactor(1);
  }

  setData(series: EquitySeries, markers: readonly TradeMarker[]): void {
    this.equity.setData(series.equity.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
    this.drawdown.setData(series.drawdown.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
    const labelled = markers.length <= LABELLED_MARKERS;
    this.markers.setMarkers(
      markers.map(
        (m): SeriesMarker<Time> =>
          m.kind === 'entry'
            ? {
                time: m.time as UTCTimestamp,
                position: m.side === 'long' ? 'belowBar' : 'aboveBar',
                shape: m.side === 'long' ? 'arrowUp' : 'arrowDown',
                color: m.side === 'long' ? CHART_COLORS.up : CHART_COLORS.down,
                text: labelled ? m.text : '',
                size: 1,
              }
            : {
                time: m.time as UTCTimestamp,
                position: 'inBar',
                shape: 'circle',
                color: (m.pnl ?? 0) >= 0 ? CHART_COLORS.up : CHART_COLORS.down,
                size: 0.6,
              },
      ),
    );
    this.fit.fit();
  }

  /** A log scale reads compounding curves (a 100× run) as fairly as flat ones. */
  setLogScale(on: boolean): void {
    this.equity.priceScale().applyOptions({ mode: on ? PriceScaleMode.Logarithmic : PriceScaleMode.Normal });
  }

  destroy(): void {
    this.fit.destroy();
    this.chart.remove();
  }
}

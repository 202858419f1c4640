/**
 * Imperative owner of one lightweight-charts instance for a backtest's
 * prices: the candles the run traded on, their volume in a low pane below, and
 * a marker at each entry (an arrow beside the bar) and exit (a dot at the
 * exit price, green for a win, red for a loss). React decides what to show;
 * this class draws it and reports the bar under the crosshair.
 */
import {
  CandlestickSeries,
  CrosshairMode,
  HistogramSeries,
  PriceScaleMode,
  createSeriesMarkers,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type MouseEventParams,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { CHART_COLORS } from '../chart/chartColors';
import { createBacktestChart, WholeRunFit } from './backtestChart';
import type { PriceBar, PriceMarker } from './priceData';

/** Entry markers carry their L / S label only when there are few enough to read. */
const LABELLED_MARKERS = 120;
const UP_VOLUME = 'rgba(14, 203, 129, 0.22)';
const DOWN_VOLUME = 'rgba(246, 70, 93, 0.22)';

export class PriceChart {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private volume: ISeriesApi<'Histogram'> | null = null;
  private readonly markers: ISeriesMarkersPluginApi<Time>;
  private readonly fit: WholeRunFit;
  private byTime = new Map<number, PriceBar>();
  private last: PriceBar | null = null;
  private hoverListener: ((bar: PriceBar | null, hovering: boolean) => void) | null = null;

  constructor(container: HTMLElement) {
    this.chart = createBacktestChart(container, CrosshairMode.Normal);
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: CHART_COLORS.up,
      downColor: CHART_COLORS.down,
      borderVisible: false,
      wickUpColor: CHART_COLORS.up,
      wickDownColor: CHART_COLORS.down,
      priceLineVisible: false,
    });
    // Small margins: the markers add their own room above and below the bars.
    this.candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.05 } });
    this.markers = createSeriesMarkers(this.candles, []);
    this.fit = new WholeRunFit(this.chart, container);
    this.chart.subscribeCrosshairMove(this.onCrosshair);
  }

  setData(bars: readonly PriceBar[], markers: readonly PriceMarker[], decimals: number): void {
    const minMove = 10 ** -decimals;
    this.candles.applyOptions({ priceFormat: { type: 'price', precision: decimals, minMove } });
    this.candles.setData(bars.map((b) => ({ time: b.time as UTCTimestamp, open: b.open, high: b.high, low: b.low, close: b.close })));
    this.setVolume(bars);
    this.byTime = new Map(bars.map((b) => [b.time, b]));
    this.last = bars[bars.length - 1] ?? null;
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
                size: labelled ? 1 : 0.8,
              }
            : {
                time: m.time as UTCTimestamp,
                position: 'atPriceMiddle',
                price: m.price,
                shape: 'circle',
                color: (m.pnl ?? 0) >= 0 ? CHART_COLORS.up : CHART_COLORS.down,
                size: 0.7,
              },
      ),
    );
    this.fit.fit();
    this.hoverListener?.(this.last, false);
  }

  /**
   * Volume in a low pane of its own under the candles (an overlay would have
   * the price scale label its margin with prices below zero); no pane at all
   * for data without volume.
   */
  private setVolume(bars: readonly PriceBar[]): void {
    const hasVolume = bars.some((b) => b.volume > 0);
    if (!hasVolume) {
      if (this.volume) this.chart.removeSeries(this.volume);
      this.volume = null;
      while (this.chart.panes().length > 1) this.chart.removePane(this.chart.panes().length - 1);
      return;
    }
    if (!this.volume) {
      this.volume = this.chart.addSeries(HistogramSeries, { priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false }, 1);
      this.volume.priceScale().applyOptions({ scaleMargins: { top: 0.15, bottom: 0 } });
      this.chart.panes()[0]?.setStretchFactor(5);
      this.chart.panes()[1]?.setStretchFactor(1);
    }
    this.volume.setData(bars.map((b) => ({ time: b.time as UTCTimestamp, value: b.volume, color: b.close >= b.open ? UP_VOLUME : DOWN_VOLUME })));
  }

  /** Called with the bar under the crosshair, or the last bar (hovering false) when the pointer leaves. */
  onHover(listener: ((bar: PriceBar | null, hovering: boolean) => void) | null): void {
    this.hoverListener = listener;
    listener?.(this.last, false);
  }

  setLogScale(on: boolean): void {
    this.candles.priceScale().applyOptions({ mode: on ? PriceScaleMode.Logarithmic : PriceScaleMode.Normal });
  }

  destroy(): void {
    this.chart.unsubscribeCrosshairMove(this.onCrosshair);
    this.hoverListener = null;
    this.fit.destroy();
    this.chart.remove();
  }

  private readonly onCrosshair = (param: MouseEventParams<Time>): void => {
    if (!this.hoverListener) return;
    const bar = param.time === undefined ? undefined : this.byTime.get(param.time as number);
    if (bar) this.hoverListener(bar, true);
    else this.hoverListener(this.last, false);
  };
}

/**
 * Imperative owner of one lightweight-charts instance: candles, volume on its
 * own scale, price lines for open orders and the position, fill and model
 * signal markers, and a thin band along the bottom coloured bar by bar (the
 * market regime).
 * React decides *what* to show; this class draws it without re-rendering.
 * lightweight-charts works in UTC seconds; labels are shown in local time.
 */
import {
  CandlestickSeries,
  CrosshairMode,
  HistogramSeries,
  LineStyle,
  createChart,
  createSeriesMarkers,
  type CandlestickData,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type MouseEventParams,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { Signal } from '../../../shared/contract';
import { decimalsOf } from '../../../shared/decimal';
import type { Timeframe } from '../../../shared/domain';
import type { Bar } from '../../stores/candleFeed';
import { CHART_COLORS } from './chartColors';
import { chartOptions } from './chartTheme';
import { fillMarkers, mergeMarkers, signalMarkers, type FillMarkerSpec } from './chartMarkers';

export type { FillMarkerSpec };

export interface PriceLineSpec {
  price: number;
  title: string;
  color: string;
  dashed: boolean;
}

/** One bar of the bottom band: its colour (null: nothing drawn) and what the colour means, in words. */
export interface BandPoint {
  timeMs: number;
  color: string | null;
  text: string | null;
}

export interface HoverBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number | null;
  /** The band's words for this bar, when it has a band. */
  band: string | null;
}

const toTime = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;

export class ChartController {
  private readonly chart: IChartApi;
  private readonly candles: ISeriesApi<'Candlestick'>;
  private readonly volume: ISeriesApi<'Histogram'>;
  private readonly markers: ISeriesMarkersPluginApi<Time>;
  private readonly band: ISeriesApi<'Histogram'>;
  private bandText = new Map<number, string>();
  /** The series has one markers layer: each kind is kept here and the layer is drawn from both. */
  private fillMarks: SeriesMarker<Time>[] = [];
  private signalMarks: SeriesMarker<Time>[] = [];
  private lines: IPriceLine[] = [];
  private lastTime = 0;
  private lastBar: HoverBar | null = null;
  private hoverListener: ((bar: HoverBar | null) => void) | null = null;
  private hovering = false;

  constructor(container: HTMLElement) {
    const look = chartOptions({ crosshair: CrosshairMode.Normal });
    this.chart = createChart(container, {
      ...look,
      rightPriceScale: { ...look.rightPriceScale, scaleMargins: { top: 0.08, bottom: 0.25 } },
      timeScale: { ...look.timeScale, rightOffset: 6 },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: CHART_COLORS.up,
      downColor: CHART_COLORS.down,
      borderVisible: false,
      wickUpColor: CHART_COLORS.up,
      wickDownColor: CHART_COLORS.down,
    });
    // Volume on its own overlay scale, squeezed into the bottom fifth under the candles.
    this.volume = this.chart.addSeries(HistogramSeries, {
      priceScaleId: 'volume',
      priceFormat: { type: 'volume' },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    // Volume sits just above the band, which takes the bottom strip on a hidden scale of its own.
    this.chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0.04 } });
    this.band = this.chart.addSeries(HistogramSeries, {
      priceScaleId: 'band',
      lastValueVisible: false,
      priceLineVisible: false,
      base: 0,
    });
    this.chart.priceScale('band').applyOptions({ scaleMargins: { top: 0.97, bottom: 0 }, visible: false });
    this.markers = createSeriesMarkers(this.candles, []);
    this.chart.subscribeCrosshairMove(this.onCrosshair);
  }

  setPrecision(tickSize: string): void {
    const minMove = Number(tickSize);
    if (!(minMove > 0)) return;
    this.candles.applyOptions({ priceFormat: { type: 'price', precision: decimalsOf(tickSize), minMove } });
  }

  setHistory(bars: readonly Bar[]): void {
    const sorted = [...bars].sort((a, b) => a.time - b.time);
    const unique = sorted.filter((b, i) => i === 0 || b.time !== sorted[i - 1]!.time);
    this.candles.setData(unique.map((b) => this.candleData(b)));
    this.volume.setData(unique.map((b) => this.volumeData(b)));
    const last = unique[unique.length - 1];
    this.lastTime = last ? last.time : 0;
    this.lastBar = last ? { ...last, band: this.bandText.get(last.time) ?? null } : null;
    this.emitHover(null);
    const n = unique.length;
    // Show the recent past at a readable bar width rather than squeezing the whole history in.
    if (n > 0) this.chart.timeScale().setVisibleLogicalRange({ from: Math.max(0, n - 150), to: n + 6 });
  }

  clear(): void {
    this.candles.setData([]);
    this.volume.setData([]);
    this.setBand([]);
    this.lastTime = 0;
    this.lastBar = null;
    this.emitHover(null);
  }

  /** Updates (or appends) the latest bar; a bar older than the last one drawn is ignored. */
  update(bar: Bar): void {
    if (bar.time < this.lastTime) return;
    this.candles.update(this.candleData(bar));
    this.volume.update(this.volumeData(bar));
    this.lastTime = bar.time;
    this.lastBar = { ...bar, band: this.bandText.get(bar.time) ?? null };
    if (!this.hovering) this.emitHover(null);
  }

  /** The bottom band, bar by bar (oldest first or not); a point without a colour leaves its bar blank. */
  setBand(points: readonly BandPoint[]): void {
    const sorted = [...points].sort((a, b) => a.timeMs - b.timeMs).filter((p, i, all) => i === 0 || p.timeMs !== all[i - 1]!.timeMs);
    this.band.setData(sorted.map((p) => (p.color === null ? { time: toTime(p.timeMs) } : { time: toTime(p.timeMs), value: 1, color: p.color })));
    this.bandText = new Map(sorted.filter((p) => p.text !== null).map((p) => [p.timeMs, p.text!]));
    if (this.lastBar) this.lastBar = { ...this.lastBar, band: this.bandText.get(this.lastBar.time) ?? null };
    if (!this.hovering) this.emitHover(null);
  }

  setPriceLines(specs: readonly PriceLineSpec[]): void {
    for (const l of this.lines) this.candles.removePriceLine(l);
    this.lines = specs.map((s) =>
      this.candles.createPriceLine({
        price: s.price,
        color: s.color,
        lineWidth: 1,
        lineStyle: s.dashed ? LineStyle.Dashed : LineStyle.Solid,
        axisLabelVisible: true,
        title: s.title,
      }),
    );
  }

  /** Fill markers, snapped to the start of the bar they fall in; drawn with the signal markers. */
  setFillMarkers(fills: readonly FillMarkerSpec[], barMs: number): void {
    this.fillMarks = fillMarkers(fills, barMs);
    this.drawMarkers();
  }

  /** Markers of the model signals on this timeframe (newest first, as lists hold them); drawn with the fill markers. */
  setSignalMarkers(signals: readonly Signal[], timeframe: Timeframe): void {
    this.signalMarks = signalMarkers(signals, timeframe);
    this.drawMarkers();
  }

  /** The bar under the crosshair, or the latest bar when the pointer is elsewhere. */
  onHover(listener: ((bar: HoverBar | null) => void) | null): void {
    this.hoverListener = listener;
    this.emitHover(null);
  }

  destroy(): void {
    this.chart.unsubscribeCrosshairMove(this.onCrosshair);
    this.hoverListener = null;
    this.chart.remove();
  }

  private readonly onCrosshair = (param: MouseEventParams<Time>): void => {
    const data = param.seriesData.get(this.candles) as CandlestickData<Time> | undefined;
    const vol = param.seriesData.get(this.volume) as { value?: number } | undefined;
    if (!data || param.time === undefined) {
      this.hovering = false;
      this.emitHover(null);
      return;
    }
    this.hovering = true;
    const time = (param.time as number) * 1000;
    this.emitHover({
      time,
      open: data.open,
      high: data.high,
      low: data.low,
      close: data.close,
      volume: vol?.value ?? null,
      band: this.bandText.get(time) ?? null,
    });
  };

  private drawMarkers(): void {
    this.markers.setMarkers(mergeMarkers(this.fillMarks, this.signalMarks));
  }

  private emitHover(bar: HoverBar | null): void {
    this.hoverListener?.(bar ?? this.lastBar);
  }

  private candleData(b: Bar): CandlestickData<Time> {
    return { time: toTime(b.time), open: b.open, high: b.high, low: b.low, close: b.close };
  }

  private volumeData(b: Bar) {
    return {
      time: toTime(b.time),
      value: b.volume,
      color: b.close >= b.open ? CHART_COLORS.upVolume : CHART_COLORS.downVolume,
    };
  }
}

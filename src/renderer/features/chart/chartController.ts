/**
 * Imperative owner of one lightweight-charts instance: candles, volume on its
 * own scale, price levels for open orders and the position (labels laid out
 * so they never pile up, kept right of the last candle) and the real last
 * price, fill and model signal markers, a thin band along the bottom
 * coloured bar by bar (the market regime), the trader's indicators (overlays
 * and panes) and drawings, and drags of order lines and the position's TP /
 * SL handles (LineDragLayer).
 * React decides *what* to show; this class draws it without re-rendering.
 * lightweight-charts works in UTC seconds; labels are shown in local time.
 */
import {
  CandlestickSeries,
  CrosshairMode,
  HistogramSeries,
  createChart,
  createSeriesMarkers,
  type CandlestickData,
  type IChartApi,
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
import { DrawingLayer, type DrawingLayerEvents, type DrawingMode } from './drawings/drawingLayer';
import type { Drawing } from './drawings/drawingModel';
import { INDICATORS, type IndicatorConfig } from './indicators/indicatorCatalog';
import { IndicatorLayer } from './indicators/indicatorLayer';
import type { IndicatorValues } from './indicators/indicatorMath';
import { MarkerTextsPrimitive } from './labels/markerLabels';
import { PriceLevelsPrimitive, type ProtectionHandle } from './labels/priceLevels';
import { LineDragLayer, type LineDragEvents } from './trading/lineDragLayer';

export type { FillMarkerSpec };

export interface PriceLineSpec {
  price: number;
  title: string;
  color: string;
  dashed: boolean;
  /** Never merged with other labels when they crowd (the position's). */
  pinned?: boolean;
  /** What a crowd of these lines is called when its labels collapse ("order": "5 orders"). Default "line". */
  noun?: string;
  /** A stable id (an order's id): what a drag of the line names. */
  id?: string;
  /** The line can be dragged. */
  draggable?: boolean;
  /** TP / SL handles beside its label (the position's). */
  handles?: readonly ProtectionHandle[];
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
  /** Each indicator's values at this bar, by indicator id. */
  indicators: ReadonlyMap<string, IndicatorValues>;
}

const toTime = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;
/** Space right of the last candle when no label needs more. */
const MIN_RIGHT_PX = 40;
/** Between the last candle and the label column. */
const LABEL_CLEARANCE_PX = 10;

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
  private readonly levels = new PriceLevelsPrimitive();
  /** The markers' texts, laid out so that a fill's and a signal's on neighbouring bars never overlap. */
  private readonly markerTexts = new MarkerTextsPrimitive();
  private readonly indicators: IndicatorLayer;
  private readonly drawings: DrawingLayer;
  private readonly lineDrags: LineDragLayer;
  private lastTime = 0;
  private lastBar: Omit<HoverBar, 'indicators'> | null = null;
  /** The ticker's last price; until one arrives, the last bar's close. */
  private tickerLast: number | null = null;
  private hoverListener: ((bar: HoverBar | null) => void) | null = null;
  private hovering = false;
  /** Where the crosshair stands on the chart, while the pointer shows one. */
  private crosshairAt: { x: number; y: number } | null = null;
  private barMs = 60_000;
  private times: number[] = [];
  /** Room right of the last candle now applied, and whether a wider one waits for the trader to scroll back to now. */
  private rightRoomPx = 0;
  private rightRoomPending = false;

  constructor(container: HTMLElement, drawingEvents: DrawingLayerEvents, dragEvents: LineDragEvents) {
    const look = chartOptions({ crosshair: CrosshairMode.Normal });
    this.chart = createChart(container, {
      ...look,
      // Attribution is in the chart's footer, where it covers no data.
      layout: {
        ...look.layout,
        attributionLogo: false,
        panes: { separatorColor: CHART_COLORS.border, separatorHoverColor: 'rgba(93, 107, 130, 0.35)', enableResize: true },
      },
      rightPriceScale: { ...look.rightPriceScale, scaleMargins: { top: 0.08, bottom: 0.25 } },
      timeScale: { ...look.timeScale, rightOffsetPixels: MIN_RIGHT_PX },
    });
    this.candles = this.chart.addSeries(CandlestickSeries, {
      upColor: CHART_COLORS.up,
      downColor: CHART_COLORS.down,
      borderVisible: false,
      wickUpColor: CHART_COLORS.up,
      wickDownColor: CHART_COLORS.down,
      // The last price is drawn by the levels primitive from the ticker: the series' own label follows the last visible bar.
      lastValueVisible: false,
      priceLineVisible: false,
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
    this.candles.attachPrimitive(this.markerTexts);
    this.candles.attachPrimitive(this.levels);
    this.indicators = new IndicatorLayer(this.chart, this.candles);
    // Before the drawings: a press on an order line or a handle is the drag layer's, not a drawing's.
    this.lineDrags = new LineDragLayer(this.chart, this.candles, container, this.levels, dragEvents);
    this.drawings = new DrawingLayer(this.chart, this.candles, container, {
      ...drawingEvents,
      // Back to the pointer once a drawing is placed: order lines can be dragged again.
      onModeChange: (mode) => {
        this.lineDrags.setEnabled(mode === 'cursor');
        drawingEvents.onModeChange(mode);
      },
    });
    this.chart.subscribeCrosshairMove(this.onCrosshair);
    this.chart.timeScale().subscribeVisibleLogicalRangeChange(this.onRange);
  }

  /** How long one bar of the chart is: drawings are placed in time through it. */
  setBarLength(ms: number): void {
    this.barMs = ms;
    this.drawings.setTimes(this.times, ms);
  }

  setIndicators(configs: readonly IndicatorConfig[]): void {
    this.indicators.setConfigs(configs);
    // The overlays' values take a second legend line: price labels start under it.
    this.levels.setLegendLines(configs.some((c) => INDICATORS[c.kind].placement === 'overlay' && c.kind !== 'volumeProfile') ? 2 : 1);
    this.emitLatest();
  }

  /** Where each pane indicator's pane starts, in pixels from the chart's top (for its legend). */
  indicatorPaneTops(): Map<string, number> {
    return this.indicators.paneTops();
  }

  setDrawings(drawings: readonly Drawing[]): void {
    this.drawings.setDrawings(drawings);
  }

  setDrawingMode(mode: DrawingMode): void {
    this.lineDrags.setEnabled(mode === 'cursor');
    this.drawings.setMode(mode);
  }

  /** Removes the selected drawing; false when none was selected. */
  deleteSelectedDrawing(): boolean {
    return this.drawings.deleteSelected();
  }

  cancelDrawing(): boolean {
    return this.drawings.cancelDraft();
  }

  /** The price at a point of the candles' pane (y in pixels from the chart's top), or null outside it. */
  priceAt(y: number): number | null {
    if (y < 0 || y > this.chart.paneSize(0).height) return null;
    return this.candles.coordinateToPrice(y);
  }

  /** The crosshair's point and the price under it, while one is shown on the candles' pane; else null. */
  crosshair(): { x: number; y: number; price: number } | null {
    const at = this.crosshairAt;
    const price = at ? this.priceAt(at.y) : null;
    return at && price !== null ? { ...at, price } : null;
  }

  /** The last price the chart shows (the ticker's, else the last bar's close) and its height on the chart; null while there is none. */
  lastPrice(): { price: number; y: number | null } | null {
    const price = this.tickerLast ?? this.lastBar?.close ?? null;
    return price === null ? null : { price, y: this.candles.priceToCoordinate(price) };
  }

  /** The candles' pane, without the price axis. */
  candlesPane(): { width: number; height: number } {
    return this.chart.paneSize(0);
  }

  /** The instrument's real last price, from its ticker. */
  setLastPrice(price: number | null): void {
    this.tickerLast = price !== null && Number.isFinite(price) ? price : null;
    this.drawLastPrice();
  }

  setPrecision(tickSize: string): void {
    const minMove = Number(tickSize);
    if (!(minMove > 0)) return;
    this.candles.applyOptions({ priceFormat: { type: 'price', precision: decimalsOf(tickSize), minMove } });
    this.lineDrags.setTickSize(tickSize);
  }

  /** A dropped line's answer is in: lines show what the orders say again. */
  settleDrag(): void {
    this.lineDrags.settle();
  }

  setHistory(bars: readonly Bar[]): void {
    const sorted = [...bars].sort((a, b) => a.time - b.time);
    const unique = sorted.filter((b, i) => i === 0 || b.time !== sorted[i - 1]!.time);
    this.candles.setData(unique.map((b) => this.candleData(b)));
    this.volume.setData(unique.map((b) => this.volumeData(b)));
    this.times = unique.map((b) => b.time);
    this.indicators.setHistory(unique);
    this.drawings.setTimes(this.times, this.barMs);
    const last = unique[unique.length - 1];
    this.lastTime = last ? last.time : 0;
    this.lastBar = last ? { ...last, band: this.bandText.get(last.time) ?? null } : null;
    this.drawLastPrice();
    this.emitLatest();
    const n = unique.length;
    // Show the recent past at a readable bar width rather than squeezing the whole history in.
    if (n > 0) this.chart.timeScale().setVisibleLogicalRange({ from: Math.max(0, n - 150), to: n + 6 });
    this.keepLabelRoom(true);
  }

  clear(): void {
    this.candles.setData([]);
    this.volume.setData([]);
    this.setBand([]);
    this.times = [];
    this.indicators.clear();
    this.drawings.setTimes([], this.barMs);
    this.lastTime = 0;
    this.lastBar = null;
    this.tickerLast = null;
    this.drawLastPrice();
    this.emitLatest();
  }

  /** Updates (or appends) the latest bar; a bar older than the last one drawn is ignored. */
  update(bar: Bar): void {
    if (bar.time < this.lastTime) return;
    this.candles.update(this.candleData(bar));
    this.volume.update(this.volumeData(bar));
    this.indicators.update(bar);
    if (bar.time > this.lastTime) this.times.push(bar.time);
    this.drawings.touchTime(bar.time);
    this.lastTime = bar.time;
    this.lastBar = { ...bar, band: this.bandText.get(bar.time) ?? null };
    this.drawLastPrice();
    if (!this.hovering) this.emitLatest();
  }

  /** The bottom band, bar by bar (oldest first or not); a point without a colour leaves its bar blank. */
  setBand(points: readonly BandPoint[]): void {
    const sorted = [...points].sort((a, b) => a.timeMs - b.timeMs).filter((p, i, all) => i === 0 || p.timeMs !== all[i - 1]!.timeMs);
    this.band.setData(sorted.map((p) => (p.color === null ? { time: toTime(p.timeMs) } : { time: toTime(p.timeMs), value: 1, color: p.color })));
    this.bandText = new Map(sorted.filter((p) => p.text !== null).map((p) => [p.timeMs, p.text!]));
    if (this.lastBar) this.lastBar = { ...this.lastBar, band: this.bandText.get(this.lastBar.time) ?? null };
    if (!this.hovering) this.emitLatest();
  }

  /** Order, position and alert lines; their labels stack or collapse when close and stay clear of the last candles. */
  setPriceLines(specs: readonly PriceLineSpec[]): void {
    this.levels.setLevels(
      specs.map((s, i) => ({
        id: s.id ?? `${i}:${s.title}`,
        price: s.price,
        title: s.title,
        color: s.color,
        dashed: s.dashed,
        pinned: s.pinned ?? false,
        noun: s.noun ?? 'line',
        draggable: s.draggable ?? false,
        ...(s.handles ? { handles: s.handles } : {}),
      })),
    );
    this.keepLabelRoom(false);
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
    this.emitLatest();
  }

  destroy(): void {
    this.chart.unsubscribeCrosshairMove(this.onCrosshair);
    this.chart.timeScale().unsubscribeVisibleLogicalRangeChange(this.onRange);
    this.hoverListener = null;
    this.indicators.destroy();
    this.lineDrags.destroy();
    this.drawings.destroy();
    this.chart.remove();
  }

  private readonly onRange = (): void => {
    if (this.rightRoomPending) this.keepLabelRoom(false);
  };

  /**
   * Keeps the label column clear of candles: the space right of the last
   * candle is the column's width. Widening it moves the view to now, so while
   * the trader looks at the past it waits until they come back.
   */
  private keepLabelRoom(force: boolean): void {
    const needed = Math.max(MIN_RIGHT_PX, this.levels.labelColumnWidth() + LABEL_CLEARANCE_PX);
    if (!force && needed === this.rightRoomPx) {
      this.rightRoomPending = false;
      return;
    }
    const timeScale = this.chart.timeScale();
    if (!force && timeScale.scrollPosition() < 0) {
      this.rightRoomPending = true;
      return;
    }
    this.rightRoomPending = false;
    this.rightRoomPx = needed;
    timeScale.applyOptions({ rightOffsetPixels: needed });
  }

  private drawLastPrice(): void {
    const bar = this.lastBar;
    const price = this.tickerLast ?? bar?.close ?? null;
    const up = bar ? (price ?? bar.close) >= bar.open : true;
    this.levels.setLastPrice(price, up ? CHART_COLORS.up : CHART_COLORS.down);
  }

  private readonly onCrosshair = (param: MouseEventParams<Time>): void => {
    // Only on the candles' pane: an indicator pane's crosshair is at no price of the candles.
    this.crosshairAt = param.point && (param.paneIndex ?? 0) === 0 ? { x: param.point.x, y: param.point.y } : null;
    const data = param.seriesData.get(this.candles) as CandlestickData<Time> | undefined;
    const vol = param.seriesData.get(this.volume) as { value?: number } | undefined;
    if (!data || param.time === undefined) {
      this.hovering = false;
      this.emitLatest();
      return;
    }
    this.hovering = true;
    const time = (param.time as number) * 1000;
    this.hoverListener?.({
      time,
      open: data.open,
      high: data.high,
      low: data.low,
      close: data.close,
      volume: vol?.value ?? null,
      band: this.bandText.get(time) ?? null,
      indicators: this.indicators.valuesAt(time),
    });
  };

  private drawMarkers(): void {
    const all = mergeMarkers(this.fillMarks, this.signalMarks);
    // The layer draws the shapes; their texts are laid out apart (MarkerTextsPrimitive).
    this.markers.setMarkers(all.map(({ text: _text, ...shape }) => shape));
    this.markerTexts.setMarkers(all);
  }

  /** The latest bar (with its indicator values) when the pointer is not on a bar. */
  private emitLatest(): void {
    const last = this.lastBar;
    this.hoverListener?.(last ? { ...last, indicators: this.indicators.valuesAt(last.time) } : null);
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

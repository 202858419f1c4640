/**
 * The texts of the chart's fill and signal markers, drawn by Keel rather
 * than by the chart's markers layer (which draws only the shapes): each under
 * or over its bar's stack of shapes, as the layer would put it, but laid out
 * by `layoutMarkerTexts` so that texts on neighbouring bars never cover one
 * another. Only the markers on screen are laid out.
 */
import type {
  IChartApiBase,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesApi,
  ISeriesPrimitive,
  SeriesAttachedParameter,
  SeriesMarker,
  SeriesType,
  Time,
} from 'lightweight-charts';
import { layoutMarkerTexts, type MarkerText, type PlacedMarkerText } from './markerLabelLayout';
import { LABEL_CHAR_PX, LABEL_FONT_PX } from './priceLevels';

type Target = Parameters<IPrimitivePaneRenderer['draw']>[0];

const TEXT_HEIGHT = 13;
const TEXT_GAP = 2;
const MAX_STACK = 3;
const FONT = `${LABEL_FONT_PX}px ui-monospace, "SF Mono", "JetBrains Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace`;

// The markers layer's own geometry (shape size and margin by bar spacing), so a text sits where the layer would put it.
const ceiledOdd = (n: number) => {
  const c = Math.ceil(n);
  return c % 2 === 0 ? c + 1 : c;
};
const ceiledEven = (n: number) => {
  const c = Math.ceil(n);
  return c % 2 === 0 ? c : c + 1;
};
const shapeUnit = (barSpacing: number, coeff: number) => ceiledOdd(Math.min(Math.max(barSpacing, 12), 30) * coeff);
const shapeHeight = (barSpacing: number) => ceiledEven(shapeUnit(barSpacing, 1));
const shapeMargin = (barSpacing: number) => Math.max(shapeUnit(barSpacing, 0.1), 3);

interface Text extends MarkerText {
  text: string;
  color: string;
}

export class MarkerTextsPrimitive implements ISeriesPrimitive<Time> {
  private markers: SeriesMarker<Time>[] = [];
  private series: ISeriesApi<SeriesType, Time> | null = null;
  private chart: IChartApiBase<Time> | null = null;
  private requestUpdate: (() => void) | null = null;
  private placed: PlacedMarkerText<Text>[] = [];
  private readonly views: IPrimitivePaneView[];

  constructor() {
    const renderer: IPrimitivePaneRenderer = { draw: (target) => this.draw(target) };
    // Over the candles, as the markers' own texts were.
    this.views = [{ zOrder: () => 'top', renderer: () => renderer }];
  }

  attached(param: SeriesAttachedParameter<Time>): void {
    this.series = param.series;
    this.chart = param.chart;
    this.requestUpdate = param.requestUpdate;
  }

  detached(): void {
    this.series = null;
    this.chart = null;
    this.requestUpdate = null;
  }

  /** Every marker, in time order (those without text count for the stacks they sit under or over). */
  setMarkers(markers: readonly SeriesMarker<Time>[]): void {
    this.markers = [...markers];
    this.requestUpdate?.();
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  updateAllViews(): void {
    const series = this.series;
    const chart = this.chart;
    if (!series || !chart) return;
    const timeScale = chart.timeScale();
    const width = timeScale.width();
    const height = chart.paneSize(0).height;
    const spacing = timeScale.options().barSpacing;
    const margin = shapeMargin(spacing);
    const unit = shapeHeight(spacing);
    // How far each bar's stack of shapes reaches, by side, as the markers layer stacks them.
    const stacks = new Map<string, number>();
    const key = (time: Time, side: string) => `${String(time)}|${side}`;
    for (const m of this.markers) {
      if (m.position !== 'aboveBar' && m.position !== 'belowBar') continue;
      const k = key(m.time, m.position);
      stacks.set(k, (stacks.get(k) ?? margin) + unit * Math.max(m.size ?? 1, 0) + margin);
    }
    const texts: Text[] = [];
    this.markers.forEach((m, i) => {
      if (!m.text || (m.position !== 'aboveBar' && m.position !== 'belowBar')) return;
      const x = timeScale.timeToCoordinate(m.time);
      if (x === null || x < -100 || x > width + 100) return;
      const index = timeScale.timeToIndex(m.time, false);
      const bar = index === null ? null : (series.dataByIndex(index) as { high?: number; low?: number } | null);
      const below = m.position === 'belowBar';
      const price = below ? bar?.low : bar?.high;
      const y = price === undefined ? null : series.priceToCoordinate(price);
      if (y === null) return;
      const reach = stacks.get(key(m.time, m.position)) ?? margin;
      texts.push({
        id: `${i}`,
        x,
        y: below ? y + reach + TEXT_HEIGHT / 2 : y - reach - TEXT_HEIGHT / 2,
        width: Math.ceil(m.text.length * LABEL_CHAR_PX),
        side: below ? 'below' : 'above',
        text: m.text,
        color: m.color ?? '#8b95a7',
      });
    });
    this.placed = layoutMarkerTexts(texts, { height: TEXT_HEIGHT, gap: TEXT_GAP, top: 0, bottom: height, maxStack: MAX_STACK });
  }

  private draw(target: Target): void {
    target.useMediaCoordinateSpace(({ context: ctx }) => {
      ctx.save();
      ctx.font = FONT;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      for (const p of this.placed) {
        const first = p.items[0]!;
        ctx.fillStyle = first.color;
        ctx.fillText(p.collapsed ? `${first.text} +${p.items.length - 1}` : first.text, p.x, p.top + TEXT_HEIGHT / 2);
      }
      ctx.restore();
    });
  }
}

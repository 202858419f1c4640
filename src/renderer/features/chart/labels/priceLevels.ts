/**
 * The candles' price levels drawn as one series primitive: the lines of open
 * orders, the position and alerts with their labels laid out by
 * `layoutLabels` (stacked or collapsed, never on top of each other, right
 * of the last candle), and the last-price line whose axis label shows the
 * real last price even when the chart is scrolled back, pinned to the top or
 * bottom edge when the price is off the visible scale. Lines that can be
 * dragged (orders, the position's TP and SL handles) leave where their labels
 * and handles were drawn, for the drag layer to find under the pointer; a
 * line being dragged is drawn where the drag has it.
 */
import type {
  IChartApiBase,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesApi,
  ISeriesPrimitive,
  ISeriesPrimitiveAxisView,
  SeriesAttachedParameter,
  SeriesType,
  Time,
} from 'lightweight-charts';
import { CHART_COLORS } from '../chartColors';
import type { DragLine, HitBox } from '../trading/lineDrag';
import { labelColumnWidth, layoutLabels, type PlacedLabel } from './labelLayout';

type Target = Parameters<IPrimitivePaneRenderer['draw']>[0];

export interface PriceLevel {
  id: string;
  price: number;
  title: string;
  color: string;
  dashed: boolean;
  /** The position: its label never merges with others. */
  pinned: boolean;
  /** What a crowd of these is called when it collapses ("order": "5 orders"); levels of mixed kinds are "lines". */
  noun: string;
  /** The line can be dragged (an open order's). */
  draggable?: boolean;
  /** Handles drawn beside the label, dragged to set the position's take-profit and stop-loss. */
  handles?: readonly ProtectionHandle[];
}

export type ProtectionHandle = 'tp' | 'sl';

/** A line being dragged: drawn at `price` with `title`; `ghost` when it is a new line (a handle's) rather than a level's. */
export interface LevelPreview {
  id: string;
  price: number;
  title: string;
  color?: string;
  ghost?: boolean;
}

interface LaidLevel {
  id: string;
  y: number;
  pinned: boolean;
  level: PriceLevel;
}

export const LABEL_FONT_PX = 11;
/** A monospace glyph at LABEL_FONT_PX, for sizing the label column before anything is drawn. */
export const LABEL_CHAR_PX = 6.7;
const LABEL_HEIGHT = 16;
const LABEL_GAP = 2;
const LABEL_PAD = 10;
const RIGHT_MARGIN = 4;
/** The legend's first line at the top of the pane: labels start under it (and under any more lines it has). */
const LEGEND_PX = 24;
export const LEGEND_LINE_PX = 17;
/** Close labels stacked before they collapse into one. */
const MAX_STACK = 3;
/** A TP / SL handle beside the position's label. */
const HANDLE_WIDTH = 24;
const HANDLE_GAP = 3;
const HANDLE_COLORS: Record<ProtectionHandle, string> = { tp: CHART_COLORS.up, sl: CHART_COLORS.down };
const handlesWidth = (n: number) => (n === 0 ? 0 : n * (HANDLE_WIDTH + HANDLE_GAP));

const FONT = `${LABEL_FONT_PX}px ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace`;

/** "3 orders 100.5–101.2": what a collapsed label says. */
export function collapsedTitle(levels: readonly Pick<PriceLevel, 'price' | 'noun'>[], format: (price: number) => string): string {
  const prices = levels.map((l) => l.price);
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  const range = low === high ? format(low) : `${format(low)}–${format(high)}`;
  const nouns = new Set(levels.map((l) => l.noun));
  const noun = nouns.size === 1 ? [...nouns][0]! : 'line';
  return `${levels.length} ${noun}${levels.length === 1 ? '' : 's'} ${range}`;
}

export class PriceLevelsPrimitive implements ISeriesPrimitive<Time> {
  private levels: PriceLevel[] = [];
  private lastPrice: { price: number; color: string } | null = null;
  private series: ISeriesApi<SeriesType, Time> | null = null;
  private chart: IChartApiBase<Time> | null = null;
  private requestUpdate: (() => void) | null = null;
  private placed: Array<PlacedLabel<LaidLevel>> = [];
  private paneHeight = 0;
  private reservedTop = LEGEND_PX;
  private axisViews: ISeriesPrimitiveAxisView[] = [];
  private readonly views: IPrimitivePaneView[];
  private preview: LevelPreview | null = null;
  private boxes: HitBox[] = [];

  constructor() {
    const renderer: IPrimitivePaneRenderer = { draw: (target) => this.draw(target) };
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

  setLevels(levels: readonly PriceLevel[]): void {
    this.levels = levels.filter((l) => Number.isFinite(l.price));
    this.requestUpdate?.();
  }

  /** Draws one line where a drag has it (or a new one, for a handle's drag); null: as the levels say. */
  setPreview(preview: LevelPreview | null): void {
    this.preview = preview;
    this.requestUpdate?.();
  }

  /** The level of this id, as set (not as previewed). */
  level(id: string): PriceLevel | undefined {
    return this.levels.find((l) => l.id === id);
  }

  /** Draggable lines where they are drawn now, for the drag layer. */
  dragLines(): DragLine[] {
    const series = this.series;
    if (!series) return [];
    const out: DragLine[] = [];
    for (const l of this.levels) {
      if (!l.draggable) continue;
      const y = series.priceToCoordinate(l.price);
      if (y !== null) out.push({ id: l.id, y });
    }
    return out;
  }

  /** The labels of draggable lines and the handles, as last drawn. */
  hitBoxes(): readonly HitBox[] {
    return this.boxes;
  }

  /** How many lines the legend over the pane has (the OHLC line, the overlays' values): labels start under them. */
  setLegendLines(lines: number): void {
    this.reservedTop = LEGEND_PX + Math.max(0, lines - 1) * LEGEND_LINE_PX;
    this.requestUpdate?.();
  }

  /** The real last price (not the last visible bar's close), and its colour. */
  setLastPrice(price: number | null, color: string): void {
    this.lastPrice = price === null || !Number.isFinite(price) ? null : { price, color };
    this.requestUpdate?.();
  }

  /** How wide the label column is: the chart keeps that much clear right of the last candle. */
  labelColumnWidth(): number {
    const titles = this.levels.map((l) => l.title);
    // A crowd may collapse into one label, longer than any of its own: room for the longest it could be.
    if (this.levels.length > MAX_STACK) titles.push(collapsedTitle(this.levels, (x) => this.format(x)));
    const width = Math.max(
      labelColumnWidth(titles, LABEL_CHAR_PX, LABEL_PAD * 2),
      ...this.levels.map((l) => (l.handles?.length ? labelColumnWidth([l.title], LABEL_CHAR_PX, LABEL_PAD * 2) + handlesWidth(l.handles.length) : 0)),
    );
    return width === 0 ? 0 : width + RIGHT_MARGIN;
  }

  updateAllViews(): void {
    const series = this.series;
    if (!series) return;
    this.paneHeight = this.chart?.paneSize(0).height ?? 0;
    const laid: LaidLevel[] = [];
    for (const level of this.shown()) {
      const y = series.priceToCoordinate(level.price);
      if (y === null || y < 0 || (this.paneHeight > 0 && y > this.paneHeight)) continue;
      laid.push({ id: level.id, y, pinned: level.pinned, level });
    }
    const top = this.reservedTop;
    const bottom = this.paneHeight > 0 ? this.paneHeight : Math.max(top + LABEL_HEIGHT, ...laid.map((l) => l.y + LABEL_HEIGHT));
    this.placed = layoutLabels(laid, { height: LABEL_HEIGHT, gap: LABEL_GAP, top, bottom, maxStack: MAX_STACK });
    this.axisViews = this.buildAxisViews();
  }

  /** The levels as drawn: the one being dragged where the drag has it, a handle's new line added. */
  private shown(): PriceLevel[] {
    const p = this.preview;
    if (!p) return this.levels;
    if (p.ghost) {
      return [...this.levels, { id: p.id, price: p.price, title: p.title, color: p.color ?? CHART_COLORS.text, dashed: true, pinned: true, noun: 'line' }];
    }
    return this.levels.map((l) => (l.id === p.id ? { ...l, price: p.price, title: p.title, pinned: true } : l));
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  priceAxisViews(): readonly ISeriesPrimitiveAxisView[] {
    return this.axisViews;
  }

  private format(price: number): string {
    return this.series ? this.series.priceFormatter().format(price) : String(price);
  }

  private buildAxisViews(): ISeriesPrimitiveAxisView[] {
    const views: ISeriesPrimitiveAxisView[] = [];
    // One axis label per line that kept a label of its own; a collapsed crowd says its range in the pane instead.
    for (const p of this.placed) {
      if (p.collapsed) continue;
      const { level, y } = p.items[0]!;
      const text = this.format(level.price);
      views.push({ coordinate: () => y, text: () => text, textColor: () => '#0c0f14', backColor: () => level.color });
    }
    const last = this.lastPrice;
    const series = this.series;
    if (last && series) {
      const y = series.priceToCoordinate(last.price);
      const height = this.paneHeight;
      const half = LABEL_HEIGHT / 2;
      // Off the visible scale, the label waits at the edge it went out of.
      const fixed = y === null ? null : height > 0 ? Math.min(height - half, Math.max(half, y)) : y;
      const text = this.format(last.price);
      if (fixed !== null) {
        views.push({
          coordinate: () => -1e6,
          fixedCoordinate: () => fixed,
          text: () => text,
          textColor: () => '#ffffff',
          backColor: () => last.color,
        });
      }
    }
    return views;
  }

  private draw(target: Target): void {
    target.useMediaCoordinateSpace(({ context: ctx, mediaSize }) => {
      const series = this.series;
      if (!series) return;
      const width = mediaSize.width;
      ctx.save();
      ctx.lineWidth = 1;
      const last = this.lastPrice;
      if (last) {
        const y = series.priceToCoordinate(last.price);
        if (y !== null && y >= 0 && y <= mediaSize.height) {
          ctx.strokeStyle = last.color;
          ctx.setLineDash([1, 3]);
          ctx.beginPath();
          ctx.moveTo(0, Math.round(y) + 0.5);
          ctx.lineTo(width, Math.round(y) + 0.5);
          ctx.stroke();
        }
      }
      for (const level of this.shown()) {
        const y = series.priceToCoordinate(level.price);
        if (y === null || y < 0 || y > mediaSize.height) continue;
        ctx.strokeStyle = level.color;
        ctx.setLineDash(level.dashed ? [5, 4] : []);
        ctx.beginPath();
        ctx.moveTo(0, Math.round(y) + 0.5);
        ctx.lineTo(width, Math.round(y) + 0.5);
        ctx.stroke();
      }
      ctx.setLineDash([]);
      ctx.font = FONT;
      ctx.textBaseline = 'middle';
      const boxes: HitBox[] = [];
      for (const p of this.placed) {
        const levels = p.items.map((i) => i.level);
        const text = p.collapsed ? collapsedTitle(levels, (x) => this.format(x)) : levels[0]!.title;
        const color = p.collapsed ? CHART_COLORS.text : levels[0]!.color;
        const boxWidth = Math.ceil(ctx.measureText(text).width) + LABEL_PAD * 2;
        const x = width - RIGHT_MARGIN - boxWidth;
        const centre = p.top + LABEL_HEIGHT / 2;
        // A label moved off its line keeps a thread to it.
        if (Math.abs(centre - p.anchorY) > 1) {
          ctx.strokeStyle = color;
          ctx.beginPath();
          ctx.moveTo(x - 6, Math.round(p.anchorY) + 0.5);
          ctx.lineTo(x, centre);
          ctx.stroke();
        }
        ctx.fillStyle = CHART_COLORS.background;
        ctx.fillRect(x, p.top, boxWidth, LABEL_HEIGHT);
        ctx.strokeStyle = color;
        ctx.strokeRect(x + 0.5, p.top + 0.5, boxWidth - 1, LABEL_HEIGHT - 1);
        ctx.fillStyle = color;
        ctx.fillText(text, x + LABEL_PAD, centre + 0.5);
        if (p.collapsed) continue;
        const level = levels[0]!;
        if (level.draggable) boxes.push({ id: level.id, part: 'label', x, y: p.top, width: boxWidth, height: LABEL_HEIGHT });
        // The handles sit left of the label, in the order given (TP, then SL), outermost first.
        let hx = x;
        for (const h of [...(level.handles ?? [])].reverse()) {
          hx -= HANDLE_GAP + HANDLE_WIDTH;
          this.drawHandle(ctx, h, hx, p.top);
          boxes.push({ id: level.id, part: h, x: hx, y: p.top, width: HANDLE_WIDTH, height: LABEL_HEIGHT });
        }
      }
      this.boxes = boxes;
      ctx.restore();
    });
  }

  private drawHandle(ctx: CanvasRenderingContext2D, handle: ProtectionHandle, x: number, top: number): void {
    const color = HANDLE_COLORS[handle];
    ctx.fillStyle = CHART_COLORS.background;
    ctx.fillRect(x, top, HANDLE_WIDTH, LABEL_HEIGHT);
    ctx.strokeStyle = color;
    ctx.setLineDash([2, 2]);
    ctx.strokeRect(x + 0.5, top + 0.5, HANDLE_WIDTH - 1, LABEL_HEIGHT - 1);
    ctx.setLineDash([]);
    ctx.fillStyle = color;
    ctx.textAlign = 'center';
    ctx.fillText(handle.toUpperCase(), x + HANDLE_WIDTH / 2, top + LABEL_HEIGHT / 2 + 0.5);
    ctx.textAlign = 'start';
  }
}

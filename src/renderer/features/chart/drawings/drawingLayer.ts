/**
 * The trader's drawings on the candles' pane: drawn by one series primitive,
 * placed, selected and dragged with the pointer. In a drawing mode a press
 * sets the first point and a release (after a drag) or a second click sets
 * the other; a horizontal line takes one click. In the normal mode hovering a
 * drawing turns off the chart's own panning, so a press on it selects it and
 * a drag moves it (or one of its points) instead of scrolling the chart.
 * Changes are reported through `onChange` (to be saved) once a gesture ends.
 */
import type {
  IChartApi,
  IPrimitivePaneRenderer,
  IPrimitivePaneView,
  ISeriesApi,
  ISeriesPrimitive,
  ISeriesPrimitiveAxisView,
  Logical,
  SeriesAttachedParameter,
  SeriesType,
  Time,
} from 'lightweight-charts';
import { DRAWING_COLOR, dragDrawing, hitPart, logicalToTime, timeToLogical, type Drawing, type DrawingKind, type DrawingPart, type ScreenPoint } from './drawingModel';

type Target = Parameters<IPrimitivePaneRenderer['draw']>[0];

export type DrawingMode = 'cursor' | DrawingKind;

export interface DrawingLayerEvents {
  /** The drawings after a gesture that changed them (placed, moved, deleted). */
  onChange(drawings: readonly Drawing[]): void;
  onSelect(id: string | null): void;
  /** A drawing was placed: the mode is back to the cursor. */
  onModeChange(mode: DrawingMode): void;
}

const HIT_PX = 6;
const HANDLE_PX = 4;
/** A press and release closer than this is a click, not a drag. */
const CLICK_PX = 4;

function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

interface Gesture {
  /** The drawing as it was when the gesture began (the one being dragged), or null while placing a new one. */
  original: Drawing | null;
  part: DrawingPart;
  from: { logical: number; price: number };
  start: ScreenPoint;
}

class DrawingsPrimitive implements ISeriesPrimitive<Time> {
  series: ISeriesApi<SeriesType, Time> | null = null;
  requestUpdate: (() => void) | null = null;
  private readonly views: IPrimitivePaneView[];
  private axis: ISeriesPrimitiveAxisView[] = [];

  constructor(private readonly layer: DrawingLayer) {
    const renderer: IPrimitivePaneRenderer = { draw: (target) => this.draw(target) };
    this.views = [{ zOrder: () => 'normal', renderer: () => renderer }];
  }

  attached(param: SeriesAttachedParameter<Time>): void {
    this.series = param.series;
    this.requestUpdate = param.requestUpdate;
  }

  detached(): void {
    this.series = null;
    this.requestUpdate = null;
  }

  updateAllViews(): void {
    const series = this.series;
    if (!series) return;
    // Horizontal lines say their price on the axis, like the trader's own level on any terminal.
    this.axis = this.layer.all().flatMap((d) => {
      if (d.kind !== 'hline') return [];
      const y = series.priceToCoordinate(d.price);
      if (y === null) return [];
      const text = series.priceFormatter().format(d.price);
      return [{ coordinate: () => y, text: () => text, textColor: () => '#0c0f14', backColor: () => d.color }];
    });
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }

  priceAxisViews(): readonly ISeriesPrimitiveAxisView[] {
    return this.axis;
  }

  private draw(target: Target): void {
    target.useMediaCoordinateSpace(({ context: ctx, mediaSize }) => {
      ctx.save();
      for (const d of this.layer.all()) {
        const pts = this.layer.screenPoints(d);
        if (!pts) continue;
        const selected = this.layer.selectedId() === d.id;
        ctx.strokeStyle = d.color;
        ctx.lineWidth = selected ? 2 : 1.5;
        ctx.setLineDash([]);
        if (d.kind === 'hline') {
          ctx.beginPath();
          ctx.moveTo(0, Math.round(pts.a.y) + 0.5);
          ctx.lineTo(mediaSize.width, Math.round(pts.a.y) + 0.5);
          ctx.stroke();
          if (selected) this.handle(ctx, { x: mediaSize.width / 2, y: pts.a.y }, d.color);
          continue;
        }
        if (d.kind === 'rect') {
          const x = Math.min(pts.a.x, pts.b.x);
          const y = Math.min(pts.a.y, pts.b.y);
          const w = Math.abs(pts.b.x - pts.a.x);
          const h = Math.abs(pts.b.y - pts.a.y);
          ctx.fillStyle = withAlpha(d.color, 0.12);
          ctx.fillRect(x, y, w, h);
          ctx.strokeRect(x, y, w, h);
        } else {
          ctx.beginPath();
          ctx.moveTo(pts.a.x, pts.a.y);
          ctx.lineTo(pts.b.x, pts.b.y);
          ctx.stroke();
        }
        if (selected) {
          this.handle(ctx, pts.a, d.color);
          this.handle(ctx, pts.b, d.color);
        }
      }
      ctx.restore();
    });
  }

  private handle(ctx: CanvasRenderingContext2D, p: ScreenPoint, color: string): void {
    ctx.fillStyle = '#0c0f14';
    ctx.fillRect(p.x - HANDLE_PX, p.y - HANDLE_PX, HANDLE_PX * 2, HANDLE_PX * 2);
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.strokeRect(p.x - HANDLE_PX, p.y - HANDLE_PX, HANDLE_PX * 2, HANDLE_PX * 2);
  }
}

export class DrawingLayer {
  private drawings: Drawing[] = [];
  private draft: Drawing | null = null;
  private selected: string | null = null;
  private mode: DrawingMode = 'cursor';
  private times: number[] = [];
  private barMs = 60_000;
  private gesture: Gesture | null = null;
  private hovering = false;
  private seq = 0;
  private readonly primitive: DrawingsPrimitive;

  constructor(
    private readonly chart: IChartApi,
    private readonly candles: ISeriesApi<'Candlestick'>,
    private readonly container: HTMLElement,
    private readonly events: DrawingLayerEvents,
  ) {
    this.primitive = new DrawingsPrimitive(this);
    candles.attachPrimitive(this.primitive);
    container.addEventListener('pointerdown', this.onPointerDown);
    container.addEventListener('pointermove', this.onPointerMove);
    window.addEventListener('pointerup', this.onPointerUp);
  }

  /** The drawings of the instrument now on the chart (loaded, not a change: nothing is reported). */
  setDrawings(drawings: readonly Drawing[]): void {
    this.drawings = [...drawings];
    this.draft = null;
    this.gesture = null;
    this.select(null);
    this.redraw();
  }

  /** The bar times on screen (oldest first) and the bar length, to place points in time. */
  setTimes(times: readonly number[], barMs: number): void {
    this.times = [...times];
    this.barMs = barMs;
    this.redraw();
  }

  /** A live bar: its time is the last one, or a new one after it. */
  touchTime(time: number): void {
    const last = this.times[this.times.length - 1];
    if (last === undefined || time > last) {
      this.times.push(time);
      this.redraw();
    }
  }

  setMode(mode: DrawingMode): void {
    this.mode = mode;
    this.draft = null;
    this.gesture = null;
    if (mode !== 'cursor') this.select(null);
    this.setChartGestures(mode === 'cursor' && !this.hovering);
    this.container.style.cursor = mode === 'cursor' ? '' : 'crosshair';
    this.redraw();
  }

  /** Removes the selected drawing; false when none is selected. */
  deleteSelected(): boolean {
    if (!this.selected) return false;
    const id = this.selected;
    this.drawings = this.drawings.filter((d) => d.id !== id);
    this.select(null);
    this.hovering = false;
    this.setChartGestures(this.mode === 'cursor');
    this.events.onChange(this.drawings);
    this.redraw();
    return true;
  }

  /** Cancels a drawing being placed; true when there was one. */
  cancelDraft(): boolean {
    if (!this.draft) return false;
    this.draft = null;
    this.gesture = null;
    this.redraw();
    return true;
  }

  destroy(): void {
    this.container.removeEventListener('pointerdown', this.onPointerDown);
    this.container.removeEventListener('pointermove', this.onPointerMove);
    window.removeEventListener('pointerup', this.onPointerUp);
    this.candles.detachPrimitive(this.primitive);
  }

  // ---- read by the primitive ----------------------------------------------

  all(): Drawing[] {
    return this.draft ? [...this.drawings, this.draft] : this.drawings;
  }

  selectedId(): string | null {
    return this.selected;
  }

  screenPoints(d: Drawing): { a: ScreenPoint; b: ScreenPoint } | null {
    if (d.kind === 'hline') {
      const y = this.candles.priceToCoordinate(d.price);
      return y === null ? null : { a: { x: 0, y }, b: { x: 0, y } };
    }
    const a = this.toScreen(d.a.time, d.a.price);
    const b = this.toScreen(d.b.time, d.b.price);
    return a && b ? { a, b } : null;
  }

  // ---- pointer ---------------------------------------------------------------

  private toScreen(time: number, price: number): ScreenPoint | null {
    const logical = timeToLogical(this.times, this.barMs, time);
    if (logical === null) return null;
    const x = this.chart.timeScale().logicalToCoordinate(logical as Logical);
    const y = this.candles.priceToCoordinate(price);
    return x === null || y === null ? null : { x, y };
  }

  /** The pointer in the candles' pane, with its logical index and price; null outside the pane. */
  private locate(e: PointerEvent): { screen: ScreenPoint; logical: number; price: number } | null {
    const rect = this.container.getBoundingClientRect();
    const screen = { x: e.clientX - rect.left, y: e.clientY - rect.top };
    const pane = this.chart.paneSize(0);
    if (screen.y < 0 || screen.y > pane.height || screen.x < 0 || screen.x > pane.width) return null;
    const logical = this.chart.timeScale().coordinateToLogical(screen.x);
    const price = this.candles.coordinateToPrice(screen.y);
    return logical === null || price === null ? null : { screen, logical, price };
  }

  private hit(p: ScreenPoint): { drawing: Drawing; part: DrawingPart } | null {
    // The last drawn is on top.
    for (let i = this.drawings.length - 1; i >= 0; i--) {
      const d = this.drawings[i]!;
      const pts = this.screenPoints(d);
      if (!pts) continue;
      const part = hitPart(d.kind, pts.a, pts.b, p, HIT_PX);
      if (part) return { drawing: d, part };
    }
    return null;
  }

  private readonly onPointerDown = (e: PointerEvent): void => {
    if (e.button !== 0) return;
    const at = this.locate(e);
    if (!at) {
      // A press in an indicator's pane or on an axis lets go of the selection too.
      if (this.mode === 'cursor' && this.selected) {
        this.select(null);
        this.redraw();
      }
      return;
    }
    if (this.mode !== 'cursor') {
      this.placeAt(at);
      return;
    }
    const hit = this.hit(at.screen);
    this.select(hit ? hit.drawing.id : null);
    if (hit) {
      this.gesture = { original: hit.drawing, part: hit.part, from: { logical: at.logical, price: at.price }, start: at.screen };
      this.container.style.cursor = 'grabbing';
    }
    this.redraw();
  };

  private placeAt(at: { screen: ScreenPoint; logical: number; price: number }): void {
    const kind = this.mode;
    const time = logicalToTime(this.times, this.barMs, at.logical);
    if (time === null || kind === 'cursor') return;
    const point = { time, price: at.price };
    if (kind === 'hline') {
      this.commit({ id: this.newId(), kind: 'hline', price: at.price, color: DRAWING_COLOR });
      return;
    }
    if (this.draft && this.draft.kind !== 'hline') {
      // The second click of click-click placing.
      this.commit({ ...this.draft, b: point });
      return;
    }
    this.draft = { id: this.newId(), kind, a: point, b: point, color: DRAWING_COLOR };
    this.gesture = { original: null, part: 'b', from: { logical: at.logical, price: at.price }, start: at.screen };
    this.redraw();
  }

  private readonly onPointerMove = (e: PointerEvent): void => {
    const at = this.locate(e);
    if (this.mode !== 'cursor') {
      if (at && this.draft && this.draft.kind !== 'hline') {
        const time = logicalToTime(this.times, this.barMs, at.logical);
        if (time !== null) this.draft = { ...this.draft, b: { time, price: at.price } };
        this.redraw();
      }
      return;
    }
    const g = this.gesture;
    if (g && g.original && at) {
      const moved = dragDrawing(g.original, g.part, g.from, { logical: at.logical, price: at.price }, this.times, this.barMs);
      this.drawings = this.drawings.map((d) => (d.id === moved.id ? moved : d));
      this.redraw();
      return;
    }
    // Over a drawing, the chart stops panning so a press grabs the drawing.
    const over = at !== null && this.hit(at.screen) !== null;
    if (over !== this.hovering) {
      this.hovering = over;
      this.setChartGestures(!over);
      this.container.style.cursor = over ? 'move' : '';
    }
  };

  private readonly onPointerUp = (e: PointerEvent): void => {
    const g = this.gesture;
    if (!g) return;
    if (this.mode !== 'cursor') {
      // Released after a drag: the drag drew the shape. A click leaves it waiting for the second click.
      const at = this.locate(e);
      const dragged = at !== null && Math.hypot(at.screen.x - g.start.x, at.screen.y - g.start.y) > CLICK_PX;
      if (dragged && this.draft) this.commit(this.draft);
      return;
    }
    this.gesture = null;
    this.container.style.cursor = this.hovering ? 'move' : '';
    const now = this.drawings.find((d) => d.id === g.original?.id);
    if (now && g.original && JSON.stringify(now) !== JSON.stringify(g.original)) this.events.onChange(this.drawings);
  };

  private commit(drawing: Drawing): void {
    this.drawings = [...this.drawings, drawing];
    this.draft = null;
    this.gesture = null;
    this.events.onChange(this.drawings);
    this.setMode('cursor');
    this.events.onModeChange('cursor');
    this.select(drawing.id);
    this.redraw();
  }

  private select(id: string | null): void {
    if (id === this.selected) return;
    this.selected = id;
    this.events.onSelect(id);
  }

  private newId(): string {
    this.seq += 1;
    return `d${Date.now().toString(36)}${this.seq}`;
  }

  private setChartGestures(on: boolean): void {
    this.chart.applyOptions({ handleScroll: on, handleScale: on });
  }

  private redraw(): void {
    this.primitive.requestUpdate?.();
  }
}

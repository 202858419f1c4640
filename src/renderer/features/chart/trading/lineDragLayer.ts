/**
 * Drags on the chart's price lines: an order's line (or its label) to amend
 * its price, the position label's TP and SL handles to set its take-profit
 * and stop-loss. A press on one is taken before the chart sees it (so the
 * chart does not pan and no drawing is grabbed); while dragging, the line is
 * drawn at the new price, on the tick, and the panel is told where it is.
 * On release the panel decides (checks, confirmation, the amend): the line
 * stays where it was dropped until `settle` says the answer is in, then it
 * shows what the orders say again, so a refused amend puts it back.
 */
import type { IChartApi, ISeriesApi } from 'lightweight-charts';
import { CHART_COLORS } from '../chartColors';
import type { PriceLevelsPrimitive, ProtectionHandle } from '../labels/priceLevels';
import { draggedPrice, grabAt, type Grab } from './lineDrag';

export interface LineDrag {
  /** The order line's id, or the position line's for a handle. */
  id: string;
  /** What is dragged: an order's line, or the position's TP / SL handle. */
  what: 'order' | ProtectionHandle;
  /** Where the line is now, on the tick; null while the pointer is at no price. */
  price: string | null;
  /** The pointer in the chart, pixels from its top left. */
  x: number;
  y: number;
}

export interface LineDragEvents {
  onDragMove(drag: LineDrag | null): void;
  /** Released at a price; `settle` is called by the owner once the answer is in. */
  onDrop(drag: LineDrag & { price: string }): void;
  /** The price text (decimal) of a draggable line, as its order or position carries it. */
  priceOf(id: string): string | null;
  /** What the line's label says while it is dragged to `price` (formatted by the owner). */
  previewTitle(id: string, what: LineDrag['what'], price: string): string;
}

/** A press that moves less than this is a click, not a drag. */
const CLICK_PX = 3;

interface Gesture {
  grab: Grab;
  what: LineDrag['what'];
  linePrice: string;
  grabPrice: number;
  startY: number;
  price: string | null;
  moved: boolean;
}

export class LineDragLayer {
  private tickSize: string | null = null;
  private gesture: Gesture | null = null;
  /** A dropped line waiting for the answer: still drawn where it was dropped. */
  private pending = false;
  /** Off while a drawing tool is chosen: a press then places the drawing, wherever it lands. */
  private enabled = true;

  constructor(
    private readonly chart: IChartApi,
    private readonly candles: ISeriesApi<'Candlestick'>,
    private readonly container: HTMLElement,
    private readonly levels: PriceLevelsPrimitive,
    private readonly events: LineDragEvents,
  ) {
    // Capture: the press is taken before the chart's own handlers and the drawing layer's see it.
    container.addEventListener('pointerdown', this.onPointerDown, true);
    container.addEventListener('pointermove', this.onHover);
  }

  setTickSize(tickSize: string | null): void {
    this.tickSize = tickSize;
  }

  setEnabled(on: boolean): void {
    this.enabled = on;
    if (!on && this.container.dataset.lineGrab) {
      delete this.container.dataset.lineGrab;
      this.container.style.cursor = '';
    }
  }

  /** The answer to a drop is in: the lines show what the orders say again. */
  settle(): void {
    this.pending = false;
    this.levels.setPreview(null);
  }

  destroy(): void {
    this.container.removeEventListener('pointerdown', this.onPointerDown, true);
    this.container.removeEventListener('pointermove', this.onHover);
    this.stopListening();
  }

  private point(e: PointerEvent): { x: number; y: number } | null {
    const rect = this.container.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const pane = this.chart.paneSize(0);
    return x >= 0 && y >= 0 && x <= pane.width && y <= pane.height ? { x, y } : null;
  }

  private grabAt(e: PointerEvent): Grab | null {
    const at = this.point(e);
    return at ? grabAt(at.x, at.y, this.levels.dragLines(), this.levels.hitBoxes()) : null;
  }

  private readonly onHover = (e: PointerEvent): void => {
    if (this.gesture) return;
    if (!this.enabled) return;
    const grab = this.pending ? null : this.grabAt(e);
    const cursor = !grab ? '' : grab.part === 'tp' || grab.part === 'sl' ? 'grab' : 'ns-resize';
    if (grab || this.container.dataset.lineGrab) {
      this.container.style.cursor = cursor;
      if (grab) this.container.dataset.lineGrab = grab.part;
      else delete this.container.dataset.lineGrab;
    }
  };

  private readonly onPointerDown = (e: PointerEvent): void => {
    if (e.button !== 0 || !this.enabled || this.pending || !this.tickSize) return;
    const grab = this.grabAt(e);
    const at = this.point(e);
    if (!grab || !at) return;
    const what: LineDrag['what'] = grab.part === 'tp' || grab.part === 'sl' ? grab.part : 'order';
    const grabPrice = this.candles.coordinateToPrice(at.y);
    const linePrice = this.events.priceOf(grab.id);
    if (grabPrice === null || linePrice === null) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    // A handle's new line starts at the position's price and goes where the pointer takes it.
    this.gesture = { grab, what, linePrice, grabPrice, startY: at.y, price: null, moved: false };
    this.container.style.cursor = what === 'order' ? 'ns-resize' : 'grabbing';
    window.addEventListener('pointermove', this.onDragMove);
    window.addEventListener('pointerup', this.onPointerUp);
    window.addEventListener('keydown', this.onKey);
  };

  private readonly onDragMove = (e: PointerEvent): void => {
    const g = this.gesture;
    if (!g || !this.tickSize) return;
    const rect = this.container.getBoundingClientRect();
    const y = e.clientY - rect.top;
    const x = e.clientX - rect.left;
    if (!g.moved && Math.abs(y - g.startY) < CLICK_PX) return;
    g.moved = true;
    const pointer = this.candles.coordinateToPrice(Math.max(0, Math.min(this.chart.paneSize(0).height, y)));
    g.price = pointer === null ? null : draggedPrice(g.linePrice, g.grabPrice, pointer, this.tickSize);
    if (g.price !== null) {
      const id = g.what === 'order' ? g.grab.id : `${g.grab.id}:${g.what}`;
      const title = this.events.previewTitle(g.grab.id, g.what, g.price);
      this.levels.setPreview({ id, price: Number(g.price), title, ghost: g.what !== 'order', ...(g.what === 'order' ? {} : { color: g.what === 'tp' ? CHART_COLORS.up : CHART_COLORS.down }) });
    }
    this.events.onDragMove({ id: g.grab.id, what: g.what, price: g.price, x, y });
  };

  private readonly onPointerUp = (): void => {
    const g = this.gesture;
    this.stopListening();
    this.gesture = null;
    this.container.style.cursor = '';
    this.events.onDragMove(null);
    if (!g || !g.moved || g.price === null) {
      this.levels.setPreview(null);
      return;
    }
    this.pending = true;
    this.events.onDrop({ id: g.grab.id, what: g.what, price: g.price, x: 0, y: g.startY });
  };

  /** Esc during a drag puts the line back and sends nothing. */
  private readonly onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || !this.gesture) return;
    e.preventDefault();
    this.gesture = null;
    this.stopListening();
    this.container.style.cursor = '';
    this.levels.setPreview(null);
    this.events.onDragMove(null);
  };

  private stopListening(): void {
    window.removeEventListener('pointermove', this.onDragMove);
    window.removeEventListener('pointerup', this.onPointerUp);
    window.removeEventListener('keydown', this.onKey);
  }
}

/**
 * What a press on the chart grabs, and where a drag puts it. Order lines can
 * be grabbed on the line or on their label; the position's label carries a
 * take-profit and a stop-loss handle. A drag moves its line by as much as
 * the pointer moved in price (so grabbing a label stacked off its line does
 * not make the line jump to the pointer), on the instrument's tick.
 */
import { Dec } from '../../../../shared/decimal';
import { snapToTick } from '../snapToTick';

export type GrabPart = 'line' | 'label' | 'tp' | 'sl';

export interface DragLine {
  id: string;
  /** The line's y in the candles' pane, pixels from its top. */
  y: number;
}

export interface HitBox {
  id: string;
  part: Exclude<GrabPart, 'line'>;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Grab {
  id: string;
  part: GrabPart;
}

/** How close to a line (in pixels) a press grabs it. */
export const LINE_GRAB_PX = 4;

const inside = (b: HitBox, x: number, y: number) => x >= b.x && x <= b.x + b.width && y >= b.y && y <= b.y + b.height;

/**
 * The handle, label or line under the point: handles first (they sit on the
 * position's label), then labels, then the nearest line within `tolerance`.
 * Only `lines` and `boxes` of things that can be dragged are passed in.
 */
export function grabAt(x: number, y: number, lines: readonly DragLine[], boxes: readonly HitBox[], tolerance = LINE_GRAB_PX): Grab | null {
  const handle = boxes.find((b) => b.part !== 'label' && inside(b, x, y));
  if (handle) return { id: handle.id, part: handle.part };
  const label = boxes.find((b) => b.part === 'label' && inside(b, x, y));
  if (label) return { id: label.id, part: 'label' };
  let best: DragLine | null = null;
  for (const line of lines) {
    const d = Math.abs(line.y - y);
    if (d <= tolerance && (!best || d < Math.abs(best.y - y))) best = line;
  }
  return best ? { id: best.id, part: 'line' } : null;
}

/**
 * Where the dragged line goes: its price moved by the pointer's move in
 * price since the press, on the tick; null when that is no price at all
 * (zero or below).
 */
export function draggedPrice(linePrice: string, grabPrice: number, pointerPrice: number, tickSize: string): string | null {
  if (!Dec.isValid(linePrice) || !Number.isFinite(grabPrice) || !Number.isFinite(pointerPrice)) return null;
  const moved = Number(linePrice) + (pointerPrice - grabPrice);
  return snapToTick(moved, tickSize);
}

/**
 * The chart's right-click menu opened from the keyboard: the Menu key or
 * Shift+F10 on the focused chart, as elsewhere on the desktop. It opens at the
 * crosshair's price while the pointer shows one on the candles, otherwise at
 * the last price, at the right of the candles beside the price axis (kept in
 * the pane when the last price is scrolled out of view). The price is the
 * instrument's nearest tick, as a right-click's is.
 */
import { snapToTick } from '../snapToTick';

interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

/** Said to screen readers on the focused chart. */
export const CHART_MENU_KEYS_HINT =
  'Press the Menu key or Shift+F10 to place an order or set an alert: at the crosshair’s price while the pointer is on the candles, otherwise at the last price.';

/** The Menu key (with no modifier) or Shift+F10 (with no other). */
export function opensChartMenu(e: KeyLike): boolean {
  if (e.ctrlKey || e.altKey || e.metaKey) return false;
  return (e.key === 'ContextMenu' && !e.shiftKey) || (e.key === 'F10' && e.shiftKey);
}

export interface MenuPoint {
  /** In pixels from the chart's top left, as a right-click's point is. */
  x: number;
  y: number;
  price: string;
}

export interface KeyboardMenuInput {
  /** The crosshair on the candles' pane, with the price under it; null when none is shown. */
  crosshair: { x: number; y: number; price: number } | null;
  /** The last price and where it stands (null when the chart cannot place it); null while there is none. */
  last: { price: number; y: number | null } | null;
  /** The candles' pane, without the price axis. */
  pane: { width: number; height: number };
  tickSize: string;
}

/** Where the keyboard opens the menu and at which price; null when there is no price to offer. */
export function keyboardMenuPoint({ crosshair, last, pane, tickSize }: KeyboardMenuInput): MenuPoint | null {
  if (crosshair) {
    const price = snapToTick(crosshair.price, tickSize);
    if (price !== null) return { x: crosshair.x, y: crosshair.y, price };
  }
  if (!last) return null;
  const price = snapToTick(last.price, tickSize);
  if (price === null) return null;
  const y = last.y === null || !Number.isFinite(last.y) ? pane.height / 2 : Math.min(Math.max(last.y, 0), pane.height);
  return { x: pane.width, y, price };
}

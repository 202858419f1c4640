/**
 * The layout as CSS custom properties for the trading view's grids. The
 * stylesheet places the panes; these say how big each one is. Sizes that
 * depend on the window are left to CSS (percentages, clamp) so nothing has
 * to be measured, and every pane keeps a minimum however the window shrinks:
 * the chart and ticket row never drops below what shows the Place button,
 * and the side columns never take more than their share of a narrow window.
 */
import type { Layout } from '../../stores/layout';

/** A collapsed pane's rail, and a splitter's thickness. */
export const RAIL_PX = 28;
export const SPLIT_PX = 5;

/** Pixel heights of the rows the content-sized splits count (they match styles.css). */
const PANEL_TITLE_PX = 28;
const TABLE_HEAD_PX = 24;
const TABLE_ROW_PX = 23;
const TABLE_EMPTY_PX = 36;
const WATCH_HEAD_PX = 23;
const WATCH_ROW_PX = 26;

/** The most of its container a content-sized pane takes before it scrolls. */
const CONTENT_SHARE = { positions: 0.6, watchlist: 0.52 } as const;

/**
 * The default blotter height: what is left once the chart and ticket row has
 * the height the ticket needs, within limits, so a tall window gives the
 * extra height to the blotter instead of leaving it empty under the ticket.
 */
export const TOP_ROW_TARGET_PX = 540;
const BOTTOM_MIN_PX = 264;
const BOTTOM_MAX_SHARE = 0.45;
/** The chart and ticket row never gets less than this. */
export const TOP_ROW_MIN_PX = 280;

const pct = (fraction: number) => `${Math.round(fraction * 10_000) / 100}%`;

/** The height positions need to show every row (at least the empty note), as the content-sized split uses it. */
export function positionsHeight(rows: number): number {
  return PANEL_TITLE_PX + TABLE_HEAD_PX + (rows > 0 ? rows * TABLE_ROW_PX + 2 : TABLE_EMPTY_PX);
}

export function watchlistHeight(rows: number): number {
  return PANEL_TITLE_PX + WATCH_HEAD_PX + Math.max(rows, 1) * WATCH_ROW_PX + 2;
}

/** Custom properties of the workspace grid (columns and the blotter's row). */
export function workspaceStyle(layout: Layout): Record<string, string> {
  const { collapsed } = layout;
  const bottom = collapsed.bottom
    ? `${RAIL_PX}px`
    : layout.bottom === null
      ? `clamp(${BOTTOM_MIN_PX}px, calc(100% - ${TOP_ROW_TARGET_PX}px), ${pct(BOTTOM_MAX_SHARE)})`
      : `clamp(120px, ${pct(layout.bottom)}, calc(100% - ${TOP_ROW_MIN_PX}px))`;
  return {
    '--left-col': collapsed.left ? `${RAIL_PX}px` : `min(${layout.left}px, 32vw)`,
    '--left-split': collapsed.left ? '0px' : `${SPLIT_PX}px`,
    '--ticket-col': collapsed.ticket ? `${RAIL_PX}px` : `min(${layout.ticket}px, 36vw)`,
    '--ticket-split': collapsed.ticket ? '0px' : `${SPLIT_PX}px`,
    '--bottom-row': bottom,
    '--bottom-split': collapsed.bottom ? '0px' : `${SPLIT_PX}px`,
  };
}

/** Custom properties of the blotter: the live column's width and the positions pane's height. */
export function blotterStyle(layout: Layout, positionRows: number): Record<string, string> {
  const positions =
    layout.live === null
      ? `min(${positionsHeight(positionRows)}px, ${pct(CONTENT_SHARE.positions)})`
      : pct(layout.live);
  // Shares of the whole container, splitter included: what a splitter measures when it is dragged.
  return {
    '--live-col': pct(layout.blotter),
    '--positions-row': positions,
  };
}

/** Custom properties of the left column: the watchlist's height. */
export function leftColumnStyle(layout: Layout, watchRows: number): Record<string, string> {
  return {
    '--watch-row':
      layout.watch === null
        ? `min(${watchlistHeight(watchRows)}px, ${pct(CONTENT_SHARE.watchlist)})`
        : pct(layout.watch),
  };
}

/**
 * Layout slice: how the trading view is divided. The side columns have
 * widths in pixels; the splits inside the height or width of a container are
 * fractions of it, so a layout carries over to a larger or smaller window;
 * a split left at null takes the size its content needs (the positions pane
 * as tall as its rows, the watchlist as tall as its instruments). Three
 * panes can be collapsed to a rail. Every value is clamped to its limits,
 * whatever asks for it (a drag, a key, a saved layout from an older build).
 */
import type { SliceCreator } from './store';

/** The splitters: between watchlist/book and chart, chart and ticket, the top and the blotter, and inside the left column and the blotter. */
export type SplitKey = 'left' | 'ticket' | 'bottom' | 'blotter' | 'live' | 'watch';

/** The panes that collapse to a rail. */
export type PaneKey = 'left' | 'ticket' | 'bottom';

export const PANE_KEYS: readonly PaneKey[] = ['left', 'ticket', 'bottom'];

export interface Layout {
  /** Width of the watchlist and order book column, px. */
  left: number;
  /** Width of the order ticket column, px. */
  ticket: number;
  /** Share of the view's height given to the blotter; null for the default, which leaves the chart and ticket the height they need. */
  bottom: number | null;
  /** Share of the blotter's width given to positions and open orders (the rest to the tabbed history). */
  blotter: number;
  /** Share of that column's height given to positions; null for as tall as its rows. */
  live: number | null;
  /** Share of the left column's height given to the watchlist; null for as tall as its rows. */
  watch: number | null;
  collapsed: Record<PaneKey, boolean>;
}

export interface SplitSpec {
  unit: 'px' | 'fraction';
  min: number;
  max: number;
  /** One arrow-key press, and one with Shift. */
  step: number;
  bigStep: number;
}

export const SPLITS: Record<SplitKey, SplitSpec> = {
  left: { unit: 'px', min: 220, max: 520, step: 16, bigStep: 64 },
  ticket: { unit: 'px', min: 280, max: 480, step: 16, bigStep: 64 },
  bottom: { unit: 'fraction', min: 0.15, max: 0.75, step: 0.02, bigStep: 0.1 },
  blotter: { unit: 'fraction', min: 0.25, max: 0.75, step: 0.02, bigStep: 0.1 },
  live: { unit: 'fraction', min: 0.15, max: 0.85, step: 0.02, bigStep: 0.1 },
  watch: { unit: 'fraction', min: 0.12, max: 0.8, step: 0.02, bigStep: 0.1 },
};

export const DEFAULT_LAYOUT: Layout = {
  left: 290,
  ticket: 300,
  bottom: null,
  blotter: 0.5,
  live: null,
  watch: null,
  collapsed: { left: false, ticket: false, bottom: false },
};

/** The splits that may be left to their content (null). */
const AUTO_SPLITS: ReadonlySet<SplitKey> = new Set(['bottom', 'live', 'watch']);

export function clampSplit(key: SplitKey, value: number): number {
  const { min, max, unit } = SPLITS[key];
  const v = Math.min(max, Math.max(min, value));
  // Pixels are whole; fractions keep four places, which is finer than a pixel on any screen.
  return unit === 'px' ? Math.round(v) : Math.round(v * 10_000) / 10_000;
}

/** The layout with one split set (clamped); null returns an auto split to its content, and any other split to its default. */
export function withSplit(layout: Layout, key: SplitKey, value: number | null): Layout {
  if (value === null || !Number.isFinite(value)) {
    return { ...layout, [key]: AUTO_SPLITS.has(key) ? null : DEFAULT_LAYOUT[key] };
  }
  return { ...layout, [key]: clampSplit(key, value) };
}

function readSplit(raw: Record<string, unknown>, key: SplitKey): number | null {
  const v = raw[key];
  if (typeof v === 'number' && Number.isFinite(v)) return clampSplit(key, v);
  if (v === null && AUTO_SPLITS.has(key)) return null;
  return DEFAULT_LAYOUT[key];
}

/** A saved layout, read field by field: anything missing, of the wrong type or out of range falls back or is clamped. */
export function readLayout(raw: unknown): Layout {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_LAYOUT;
  const r = raw as Record<string, unknown>;
  const c = typeof r.collapsed === 'object' && r.collapsed !== null ? (r.collapsed as Record<string, unknown>) : {};
  const collapsed = Object.fromEntries(PANE_KEYS.map((k) => [k, c[k] === true])) as Record<PaneKey, boolean>;
  return {
    left: readSplit(r, 'left') ?? DEFAULT_LAYOUT.left,
    ticket: readSplit(r, 'ticket') ?? DEFAULT_LAYOUT.ticket,
    bottom: readSplit(r, 'bottom'),
    blotter: readSplit(r, 'blotter') ?? DEFAULT_LAYOUT.blotter,
    live: readSplit(r, 'live'),
    watch: readSplit(r, 'watch'),
    collapsed,
  };
}

/** Whether a layout is the default one, however it was built (a saved copy compares equal). */
export function isDefaultLayout(layout: Layout): boolean {
  const d = DEFAULT_LAYOUT;
  return (
    layout.left === d.left &&
    layout.ticket === d.ticket &&
    layout.bottom === d.bottom &&
    layout.blotter === d.blotter &&
    layout.live === d.live &&
    layout.watch === d.watch &&
    PANE_KEYS.every((k) => layout.collapsed[k] === d.collapsed[k])
  );
}

export interface LayoutSlice {
  layout: Layout;
  setSplit(key: SplitKey, value: number | null): void;
  setCollapsed(pane: PaneKey, collapsed: boolean): void;
  resetLayout(): void;
}

export const createLayoutSlice: SliceCreator<LayoutSlice> = (set) => ({
  layout: DEFAULT_LAYOUT,
  setSplit: (key, value) => set((s) => ({ layout: withSplit(s.layout, key, value) })),
  setCollapsed: (pane, collapsed) => set((s) => ({ layout: { ...s.layout, collapsed: { ...s.layout.collapsed, [pane]: collapsed } } })),
  resetLayout: () => set({ layout: DEFAULT_LAYOUT }),
});

/**
 * Where the texts of the chart's markers go (a fill's "B 0.010", a model
 * signal's "L 81.2%"), so that texts on neighbouring bars never cover one
 * another: texts whose boxes would overlap side by side, on the same side of
 * the bars, are stacked with the price labels' layout (`layoutLabels`),
 * below the bars downwards and above them upwards; a crowd of more than
 * `maxStack` collapses into one text ("B 0.010 +3"). Texts clear of their
 * neighbours stay where they are. Pure: the markers primitive draws the
 * result.
 */
import { layoutLabels } from './labelLayout';

export interface MarkerText {
  id: string;
  /** The bar's centre, pixels from the pane's left. */
  x: number;
  /** Where the text's middle would be on its own (under or over its bar's markers). */
  y: number;
  width: number;
  side: 'above' | 'below';
}

export interface PlacedMarkerText<T extends MarkerText> {
  items: T[];
  x: number;
  /** Where the text's box starts. */
  top: number;
  collapsed: boolean;
}

export interface MarkerTextOptions {
  height: number;
  /** Space kept between texts, across and down. */
  gap: number;
  top: number;
  bottom: number;
  maxStack: number;
}

/** Runs of texts (in order of x) each overlapping the one before it side by side. */
function sideBySide<T extends MarkerText>(sorted: readonly T[], gap: number): T[][] {
  const runs: T[][] = [];
  for (const t of sorted) {
    const run = runs[runs.length - 1];
    const prev = run?.[run.length - 1];
    if (run && prev && t.x - prev.x < (t.width + prev.width) / 2 + gap) run.push(t);
    else runs.push([t]);
  }
  return runs;
}

export function layoutMarkerTexts<T extends MarkerText>(texts: readonly T[], o: MarkerTextOptions): PlacedMarkerText<T>[] {
  const out: PlacedMarkerText<T>[] = [];
  for (const side of ['below', 'above'] as const) {
    const mine = texts.filter((t) => t.side === side && Number.isFinite(t.x) && Number.isFinite(t.y)).sort((a, b) => a.x - b.x);
    // Above the bars, the layout works on the mirrored pane so that a stack grows upwards, away from the candles.
    const flip = (y: number) => (side === 'below' ? y : -y);
    const bounds = side === 'below' ? { top: o.top, bottom: o.bottom } : { top: -o.bottom, bottom: -o.top };
    for (const run of sideBySide(mine, o.gap)) {
      const byId = new Map(run.map((t) => [t.id, t]));
      const placed = layoutLabels(
        run.map((t) => ({ id: t.id, y: flip(t.y) })),
        { height: o.height, gap: o.gap, top: bounds.top, bottom: bounds.bottom, maxStack: o.maxStack },
      );
      for (const p of placed) {
        const items = p.items.map((i) => byId.get(i.id)!).sort((a, b) => a.x - b.x);
        const top = side === 'below' ? p.top : -(p.top + o.height);
        out.push({ items, x: items[0]!.x, top, collapsed: p.collapsed });
      }
    }
  }
  return out;
}

/**
 * Where the chart's price labels go (orders, the position, alerts), so they
 * never pile up: labels whose lines are close are stacked one under another
 * around their lines; a crowd of more than `maxStack` close labels collapses
 * into one ("4 orders 100.5–101.2"); and when even that does not fit the
 * pane, the nearest neighbours merge until it does. Pinned labels (the
 * position) never merge with anything. Labels stay between `top` (under the
 * legend) and `bottom`. Pure: the chart's primitive draws what this returns.
 */

export interface LabelItem {
  id: string;
  /** The line's y in the pane, pixels from the top. */
  y: number;
  /** Never collapsed or merged: always a label of its own. */
  pinned?: boolean;
}

export interface PlacedLabel<T extends LabelItem> {
  items: T[];
  /** Where the label's box starts. */
  top: number;
  /** Where its line (or its lines' middle, for a collapsed label) is. */
  anchorY: number;
  collapsed: boolean;
}

export interface LabelLayoutOptions {
  /** A label box's height. */
  height: number;
  /** Space between stacked boxes. */
  gap: number;
  /** Highest a box may start (under the legend). */
  top: number;
  /** Lowest a box may end. */
  bottom: number;
  /** Close labels stacked at most; more collapse into one. */
  maxStack: number;
}

interface Entry<T extends LabelItem> {
  items: T[];
  anchorY: number;
  pinned: boolean;
}

const mean = (items: readonly LabelItem[]) => items.reduce((s, i) => s + i.y, 0) / items.length;

function entry<T extends LabelItem>(items: T[]): Entry<T> {
  return { items, anchorY: mean(items), pinned: items.some((i) => i.pinned === true) };
}

/** Runs of items whose lines are closer than one label's pitch, in order of y. */
function clusters<T extends LabelItem>(sorted: readonly T[], pitch: number): T[][] {
  const out: T[][] = [];
  for (const item of sorted) {
    const last = out[out.length - 1];
    if (last && item.y - last[last.length - 1]!.y < pitch) last.push(item);
    else out.push([item]);
  }
  return out;
}

/** Box tops for entries in order: each near its anchor, none overlapping, all inside [top, bottom]. */
function place(anchors: readonly number[], o: LabelLayoutOptions): number[] {
  const pitch = o.height + o.gap;
  const lowest = o.bottom - o.height;
  const tops = anchors.map((a) => Math.min(lowest, Math.max(o.top, a - o.height / 2)));
  for (let i = 1; i < tops.length; i++) tops[i] = Math.max(tops[i]!, tops[i - 1]! + pitch);
  if (tops.length > 0 && tops[tops.length - 1]! > lowest) {
    tops[tops.length - 1] = lowest;
    for (let i = tops.length - 2; i >= 0; i--) tops[i] = Math.min(tops[i]!, tops[i + 1]! - pitch);
  }
  // Only when nothing fits does a box go above `top`; keep it on screen at least.
  return tops.map((t) => Math.max(t, Math.min(o.top, 0)));
}

export function layoutLabels<T extends LabelItem>(items: readonly T[], options: LabelLayoutOptions): PlacedLabel<T>[] {
  const o = options;
  if (!(o.height > 0) || o.gap < 0 || !(o.maxStack >= 1)) throw new RangeError('label height must be positive, gap not negative and maxStack at least 1');
  const pitch = o.height + o.gap;
  const sorted = items.filter((i) => Number.isFinite(i.y)).sort((a, b) => a.y - b.y || (a.id < b.id ? -1 : 1));
  let entries: Entry<T>[] = [];
  for (const run of clusters(sorted, pitch)) {
    const loose = run.filter((i) => i.pinned !== true);
    const pinned = run.filter((i) => i.pinned === true);
    const parts = [...pinned.map((p) => entry([p])), ...(loose.length > o.maxStack ? [entry(loose)] : loose.map((l) => entry([l])))];
    entries.push(...parts.sort((a, b) => a.anchorY - b.anchorY));
  }
  // Still too many to fit: merge the closest pair of neighbours that are not pinned, until they fit or none is left.
  const slots = Math.max(1, Math.floor((o.bottom - o.top + o.gap) / pitch));
  while (entries.length > slots) {
    let best = -1;
    let bestGap = Infinity;
    for (let i = 0; i + 1 < entries.length; i++) {
      if (entries[i]!.pinned || entries[i + 1]!.pinned) continue;
      const gap = entries[i + 1]!.anchorY - entries[i]!.anchorY;
      if (gap < bestGap) {
        bestGap = gap;
        best = i;
      }
    }
    if (best < 0) break;
    const merged = entry([...entries[best]!.items, ...entries[best + 1]!.items]);
    entries = [...entries.slice(0, best), merged, ...entries.slice(best + 2)];
  }
  const tops = place(
    entries.map((e) => e.anchorY),
    o,
  );
  return entries.map((e, i) => ({ items: e.items, top: tops[i]!, anchorY: e.anchorY, collapsed: e.items.length > 1 }));
}

/** The in-pane label column's width for these texts in a monospace font: what the chart keeps clear right of the last candle. */
export function labelColumnWidth(texts: readonly string[], charWidth: number, padding: number): number {
  const longest = texts.reduce((m, t) => Math.max(m, t.length), 0);
  return longest === 0 ? 0 : Math.ceil(longest * charWidth + padding);
}

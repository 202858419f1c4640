/**
 * Which points of a long equity curve to send when a client asks for at most
 * so many (a chart is a few thousand pixels wide; a million-bar run has a
 * million points, and sending them all cost the main thread most of a
 * second). The curve is cut into equal spans of consecutive points, and each
 * span keeps its first and last point, its highest and lowest equity and its
 * deepest drawdown: the drawn curve keeps every peak, trough and the worst
 * drawdown of the run, and starts and ends where the run did.
 */

/** Points a span can keep: first, last, highest, lowest, deepest drawdown. */
const KEPT_PER_SPAN = 5;

/**
 * The indices (ascending, no repeats) of the points to keep of `count`, at
 * most `maxPoints` of them; every index when `count` is within it.
 * `equityAt` and `drawdownAt` read point i (drawdown as a percentage below
 * the peak; the deepest is the one furthest from 0, whatever its sign).
 */
export function thinnedIndices(count: number, maxPoints: number, equityAt: (i: number) => number, drawdownAt: (i: number) => number): number[] {
  if (count <= maxPoints) return Array.from({ length: count }, (_, i) => i);
  const spans = Math.max(1, Math.floor(maxPoints / KEPT_PER_SPAN));
  const kept: number[] = [];
  for (let s = 0; s < spans; s++) {
    const from = Math.floor((s * count) / spans);
    const to = Math.floor(((s + 1) * count) / spans);
    let high = from;
    let low = from;
    let deepest = from;
    for (let i = from + 1; i < to; i++) {
      const equity = equityAt(i);
      if (equity > equityAt(high)) high = i;
      if (equity < equityAt(low)) low = i;
      if (Math.abs(drawdownAt(i)) > Math.abs(drawdownAt(deepest))) deepest = i;
    }
    const span = [from, high, low, deepest, to - 1].sort((a, b) => a - b);
    for (const i of span) if (kept.length === 0 || kept[kept.length - 1]! < i) kept.push(i);
  }
  return kept;
}

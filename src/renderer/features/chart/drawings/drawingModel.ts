/**
 * The trader's drawings on a chart (horizontal line, trend line, rectangle)
 * and the arithmetic behind placing, hitting and moving them. Points are kept
 * as (time in ms, price), so a drawing stays where it was drawn whatever the
 * timeframe; the chart works in logical bar indexes, so times and indexes are
 * converted through the bars on screen, extrapolating by the bar length left
 * of the first bar and right of the last (a line may reach into the future).
 */
export const DRAWING_KINDS = ['hline', 'trend', 'rect'] as const;
export type DrawingKind = (typeof DRAWING_KINDS)[number];

export interface ChartPoint {
  time: number;
  price: number;
}

export type Drawing =
  | { id: string; kind: 'hline'; price: number; color: string }
  | { id: string; kind: 'trend' | 'rect'; a: ChartPoint; b: ChartPoint; color: string };

/** Which part of a drawing the pointer is on: its body (to move it) or one of its points (to reshape it). */
export type DrawingPart = 'body' | 'a' | 'b';

export interface ScreenPoint {
  x: number;
  y: number;
}

/** Drawings kept per chart at most. */
export const MAX_DRAWINGS = 200;
export const DRAWING_COLOR = '#4ea1ff';

/** Index of the last time ≤ t, or -1 (times sorted ascending). */
function floorIndex(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** A time as a (fractional) logical index over the bars' times; null without bars. */
export function timeToLogical(times: readonly number[], barMs: number, t: number): number | null {
  const n = times.length;
  if (n === 0) return null;
  const first = times[0]!;
  const last = times[n - 1]!;
  if (t <= first) return (t - first) / barMs;
  if (t >= last) return n - 1 + (t - last) / barMs;
  const i = floorIndex(times, t);
  const span = times[i + 1]! - times[i]!;
  return i + (span > 0 ? (t - times[i]!) / span : 0);
}

/** A logical index back to a time (the inverse of timeToLogical); null without bars. */
export function logicalToTime(times: readonly number[], barMs: number, logical: number): number | null {
  const n = times.length;
  if (n === 0 || !Number.isFinite(logical)) return null;
  if (logical <= 0) return times[0]! + logical * barMs;
  if (logical >= n - 1) return times[n - 1]! + (logical - (n - 1)) * barMs;
  const i = Math.floor(logical);
  return times[i]! + (logical - i) * (times[i + 1]! - times[i]!);
}

function distanceToSegment(p: ScreenPoint, a: ScreenPoint, b: ScreenPoint): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/**
 * The part of a drawing at `p`, given the drawing's points on screen (for a
 * horizontal line only `y` of `a` counts), or null when the pointer misses it
 * by more than `tolerance` pixels. Points win over the body, so a short line
 * can still be reshaped.
 */
export function hitPart(kind: DrawingKind, a: ScreenPoint, b: ScreenPoint, p: ScreenPoint, tolerance: number): DrawingPart | null {
  if (kind === 'hline') return Math.abs(p.y - a.y) <= tolerance ? 'body' : null;
  if (Math.hypot(p.x - a.x, p.y - a.y) <= tolerance) return 'a';
  if (Math.hypot(p.x - b.x, p.y - b.y) <= tolerance) return 'b';
  if (kind === 'trend') return distanceToSegment(p, a, b) <= tolerance ? 'body' : null;
  const [left, right] = [Math.min(a.x, b.x), Math.max(a.x, b.x)];
  const [top, bottom] = [Math.min(a.y, b.y), Math.max(a.y, b.y)];
  const inside = p.x >= left - tolerance && p.x <= right + tolerance && p.y >= top - tolerance && p.y <= bottom + tolerance;
  return inside ? 'body' : null;
}

/** A point moved by whole logical bars and a price difference (a drag). */
function shifted(point: ChartPoint, times: readonly number[], barMs: number, dLogical: number, dPrice: number): ChartPoint {
  const logical = timeToLogical(times, barMs, point.time);
  const time = logical === null ? point.time : (logicalToTime(times, barMs, logical + dLogical) ?? point.time);
  return { time, price: point.price + dPrice };
}

/**
 * The drawing as it is after dragging `part` from `from` to `to` (logical
 * index and price): the body moves whole, a point goes where the pointer is.
 */
export function dragDrawing(
  drawing: Drawing,
  part: DrawingPart,
  from: { logical: number; price: number },
  to: { logical: number; price: number },
  times: readonly number[],
  barMs: number,
): Drawing {
  const dLogical = to.logical - from.logical;
  const dPrice = to.price - from.price;
  if (drawing.kind === 'hline') return { ...drawing, price: drawing.price + dPrice };
  if (part === 'body') {
    return { ...drawing, a: shifted(drawing.a, times, barMs, dLogical, dPrice), b: shifted(drawing.b, times, barMs, dLogical, dPrice) };
  }
  const time = logicalToTime(times, barMs, to.logical);
  const point = { time: time ?? drawing[part].time, price: to.price };
  return { ...drawing, [part]: point };
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isPoint = (x: unknown): x is ChartPoint => typeof x === 'object' && x !== null && finite((x as ChartPoint).time) && finite((x as ChartPoint).price);
const COLOR = /^#[0-9a-f]{6}$/i;

/** Saved drawings read back: malformed ones, unknown kinds and repeated ids are dropped. */
export function parseDrawings(raw: unknown): Drawing[] {
  if (!Array.isArray(raw)) return [];
  const out: Drawing[] = [];
  const ids = new Set<string>();
  for (const item of raw) {
    if (out.length >= MAX_DRAWINGS) break;
    if (typeof item !== 'object' || item === null) continue;
    const r = item as Record<string, unknown>;
    if (typeof r.id !== 'string' || r.id.length === 0 || r.id.length > 40 || ids.has(r.id)) continue;
    const color = typeof r.color === 'string' && COLOR.test(r.color) ? r.color : DRAWING_COLOR;
    if (r.kind === 'hline' && finite(r.price)) out.push({ id: r.id, kind: 'hline', price: r.price, color });
    else if ((r.kind === 'trend' || r.kind === 'rect') && isPoint(r.a) && isPoint(r.b)) {
      out.push({ id: r.id, kind: r.kind, a: { time: r.a.time, price: r.a.price }, b: { time: r.b.time, price: r.b.price }, color });
    } else continue;
    ids.add(r.id);
  }
  return out;
}

/**
 * An optimization's trials, read: sorted by their objective (unscored trials
 * last), the parameters that actually varied, and a heat map of the
 * objective over two of them. An axis with few distinct values gets a column
 * per value; a continuous one (random or TPE samples) is cut into equal-width
 * bins. A cell shows the best objective of the trials that fall in it, since
 * the other parameters vary too.
 */
import type { OptimizeTrial } from '../../../shared/contract';
import { numberText } from '../strategies/paramForm';

export type ParamScalar = number | boolean | string;

/** Best first; trials that could not be scored go last, in their original order. */
export function sortTrials(trials: readonly OptimizeTrial[]): OptimizeTrial[] {
  return trials
    .map((t, i) => ({ t, i }))
    .sort((a, b) => {
      const x = a.t.objective;
      const y = b.t.objective;
      if (x === null && y === null) return a.i - b.i;
      if (x === null) return 1;
      if (y === null) return -1;
      return y - x || a.i - b.i;
    })
    .map((x) => x.t);
}

/** Parameters that take more than one value across the trials, in the order they first appear. */
export function varyingParams(trials: readonly OptimizeTrial[]): string[] {
  const seen = new Map<string, Set<string>>();
  for (const t of trials) {
    for (const [k, v] of Object.entries(t.params)) {
      let set = seen.get(k);
      if (!set) seen.set(k, (set = new Set()));
      set.add(`${typeof v}:${String(v)}`);
    }
  }
  return [...seen].filter(([, values]) => values.size > 1).map(([k]) => k);
}

/** Where a trial sits on the map: its row and column, or null when it has no place there. */
export function cellOf(trial: OptimizeTrial, trials: readonly OptimizeTrial[], xParam: string, yParam: string | null, maxBins = 12): { row: number; col: number } | null {
  const xAxis = axisBins(trials.map((t) => t.params[xParam]), maxBins);
  const col = xAxis.indexOf(trial.params[xParam]);
  if (col < 0) return null;
  if (yParam === null) return { row: 0, col };
  const row = axisBins(trials.map((t) => t.params[yParam]), maxBins).indexOf(trial.params[yParam]);
  return row < 0 ? null : { row, col };
}

export interface Axis {
  labels: string[];
  /** The bin of a value, or -1 when it has none (missing, or of another kind). */
  indexOf(value: ParamScalar | undefined): number;
}

function compareScalars(a: ParamScalar, b: ParamScalar): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** Short label for a bin edge: at most 4 significant digits, no float noise. */
export function edgeText(n: number): string {
  if (n === 0) return '0';
  return numberText(Number(n.toPrecision(4)));
}

/**
 * An axis over `values`: one column per distinct value when there are at
 * most `maxBins` of them, else `maxBins` equal-width numeric bins
 * ("10–14.5"); the last bin includes its upper edge.
 */
export function axisBins(values: readonly (ParamScalar | undefined)[], maxBins = 12): Axis {
  const present = values.filter((v): v is ParamScalar => v !== undefined);
  const distinct = [...new Map(present.map((v) => [`${typeof v}:${String(v)}`, v])).values()].sort(compareScalars);
  const numeric = distinct.length > 0 && distinct.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (distinct.length <= maxBins || !numeric) {
    const keys = distinct.map((v) => `${typeof v}:${String(v)}`);
    return {
      labels: distinct.map((v) => (typeof v === 'number' ? numberText(v) : String(v))),
      indexOf: (v) => (v === undefined ? -1 : keys.indexOf(`${typeof v}:${String(v)}`)),
    };
  }
  const nums = distinct as number[];
  const lo = nums[0]!;
  const hi = nums[nums.length - 1]!;
  const width = (hi - lo) / maxBins;
  const labels = Array.from({ length: maxBins }, (_, i) => `${edgeText(lo + i * width)}–${edgeText(lo + (i + 1) * width)}`);
  return {
    labels,
    indexOf: (v) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) return -1;
      return Math.min(maxBins - 1, Math.floor((v - lo) / width));
    },
  };
}

export interface Heatmap {
  x: string[];
  y: string[];
  /** cells[row][column]: the best objective in that bin, null when no scored trial fell in it. */
  cells: (number | null)[][];
  /** Trials per cell, scored or not. */
  counts: number[][];
  /** best[row][column]: the index (in the trials given) of the trial whose objective the cell shows. */
  best: (number | null)[][];
  min: number | null;
  max: number | null;
}

/** The heat map of the objective over `xParam` and `yParam`; with no `yParam` (one searched parameter), a single row. */
export function buildHeatmap(trials: readonly OptimizeTrial[], xParam: string, yParam: string | null, maxBins = 12): Heatmap {
  const xAxis = axisBins(trials.map((t) => t.params[xParam]), maxBins);
  const yAxis: Axis = yParam === null ? { labels: ['all'], indexOf: () => 0 } : axisBins(trials.map((t) => t.params[yParam]), maxBins);
  const cells: (number | null)[][] = yAxis.labels.map(() => xAxis.labels.map(() => null));
  const counts: number[][] = yAxis.labels.map(() => xAxis.labels.map(() => 0));
  const best: (number | null)[][] = yAxis.labels.map(() => xAxis.labels.map(() => null));
  let min: number | null = null;
  let max: number | null = null;
  for (const [i, t] of trials.entries()) {
    const xi = xAxis.indexOf(t.params[xParam]);
    const yi = yAxis.indexOf(yParam === null ? undefined : t.params[yParam]);
    if (xi < 0 || yi < 0) continue;
    counts[yi]![xi]! += 1;
    const v = t.objective;
    if (v === null || !Number.isFinite(v)) continue;
    const row = cells[yi]!;
    const prev = row[xi];
    if (prev === null || prev === undefined || v > prev) {
      row[xi] = v;
      best[yi]![xi] = i;
    }
    min = min === null ? v : Math.min(min, v);
    max = max === null ? v : Math.max(max, v);
  }
  return { x: xAxis.labels, y: yAxis.labels, cells, counts, best, min, max };
}

/** Stops of the colour scale, low to high: deep blue through teal and green to yellow (readable on the dark theme). */
export const HEAT_STOPS: readonly (readonly [number, number, number])[] = [
  [38, 24, 95],
  [33, 102, 172],
  [22, 160, 133],
  [94, 201, 98],
  [253, 231, 37],
];

/** Where a value sits between min and max, 0..1 (0.5 when every value is the same). */
export function heatPosition(value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || max <= min) return 0.5;
  return Math.min(1, Math.max(0, (value - min) / (max - min)));
}

/** The scale's colour at position 0..1, as an `rgb()` string. */
export function heatColor(t: number): string {
  const clamped = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  const scaled = clamped * (HEAT_STOPS.length - 1);
  const i = Math.min(HEAT_STOPS.length - 2, Math.floor(scaled));
  const f = scaled - i;
  const a = HEAT_STOPS[i]!;
  const b = HEAT_STOPS[i + 1]!;
  const mix = (k: 0 | 1 | 2) => Math.round(a[k] + (b[k] - a[k]) * f);
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}

/** The legend's CSS gradient, same stops as `heatColor`. */
export function heatGradient(): string {
  const stops = HEAT_STOPS.map((c, i) => `rgb(${c[0]}, ${c[1]}, ${c[2]}) ${((i / (HEAT_STOPS.length - 1)) * 100).toFixed(0)}%`);
  return `linear-gradient(90deg, ${stops.join(', ')})`;
}

/** Text colour that stays readable on a cell of the scale. */
export function heatTextColor(t: number): string {
  return t > 0.55 ? '#0a0d12' : '#f1f4f8';
}

/**
 * The geometry of a sparkline: an SVG path through a series' values, with a
 * gap wherever a value is missing, scaled to the box from zero (or the
 * lowest value, when it is negative) to the highest value or the threshold,
 * whichever is higher, so a threshold line always shows where it lies.
 */
export interface SparklineGeometry {
  /** The `d` of the line; empty when there is nothing to draw. */
  path: string;
  /** The threshold's height in the box, when one is given. */
  thresholdY: number | null;
  max: number;
}

export function sparkline(values: ReadonlyArray<number | null>, width: number, height: number, threshold?: number | null): SparklineGeometry {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const top = Math.max(0, ...known, threshold ?? 0);
  const bottom = Math.min(0, ...known);
  const span = top - bottom || 1;
  // A line at the very edge is half cut off by the box: keep a pixel of margin.
  const pad = 1;
  const y = (v: number) => round(pad + (height - 2 * pad) * (1 - (v - bottom) / span));
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const parts: string[] = [];
  let drawing = false;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      drawing = false;
      return;
    }
    parts.push(`${drawing ? 'L' : 'M'}${round(i * step)},${y(v)}`);
    drawing = true;
  });
  // A lone point between gaps gets a short stroke, or it would not show at all.
  const path = parts.map((part, i) => (part.startsWith('M') && (parts[i + 1] === undefined || parts[i + 1]!.startsWith('M')) ? `${part}h1` : part)).join('');
  return { path, thresholdY: threshold === null || threshold === undefined ? null : y(threshold), max: top };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

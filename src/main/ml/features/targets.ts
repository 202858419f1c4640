/**
 * Training targets from closes: the log return over the next `horizon` bars
 * and its direction beyond a threshold. The target at row k uses closes k and
 * k + horizon only, so it exists for every row but the last `horizon`: those
 * rows have NaN targets (their future has not happened) and must be left out
 * of training. Live, `OutcomeLabeler` answers the same target for a row as
 * soon as its horizon has closed, so the online model learns each realised
 * outcome exactly once.
 */
import { z } from 'zod';
import type { Bar } from '../../../shared/domain';

/** Class codes as the models see them. */
export const DIRECTION = Object.freeze({ long: 0, short: 1, neutral: 2 });
export type DirectionCode = (typeof DIRECTION)[keyof typeof DIRECTION];
export const DIRECTION_NAMES = ['long', 'short', 'neutral'] as const;

export const targetSpecSchema = z.object({
  /** Bars ahead the return is measured over (N). */
  horizon: z.number().int().min(1).max(10_000),
  /** Log return beyond which the direction is long (> threshold) or short (< -threshold); neutral in between, both ends included. */
  threshold: z.number().min(0),
});
export type TargetSpec = z.infer<typeof targetSpecSchema>;

/** Direction code of a forward log return; NaN stays NaN. */
export function directionOf(forwardReturn: number, threshold: number): number {
  if (Number.isNaN(forwardReturn)) return Number.NaN;
  if (forwardReturn > threshold) return DIRECTION.long;
  if (forwardReturn < -threshold) return DIRECTION.short;
  return DIRECTION.neutral;
}

export interface Targets {
  /** ln(close[k + N] / close[k]); NaN for the last N rows. */
  forwardReturn: Float64Array;
  /** DIRECTION code (0 long, 1 short, 2 neutral); NaN for the last N rows. */
  direction: Float64Array;
  /** Rows with a target: 0 .. labelled - 1. */
  labelled: number;
}

export function computeTargets(bars: readonly Pick<Bar, 'close'>[], spec: TargetSpec): Targets {
  const { horizon, threshold } = targetSpecSchema.parse(spec);
  const n = bars.length;
  const forwardReturn = new Float64Array(n).fill(Number.NaN);
  const direction = new Float64Array(n).fill(Number.NaN);
  for (let k = 0; k + horizon < n; k++) {
    const r = Math.log((bars[k + horizon] as Bar).close / (bars[k] as Bar).close);
    forwardReturn[k] = r;
    direction[k] = directionOf(r, threshold);
  }
  return { forwardReturn, direction, labelled: Math.max(0, n - horizon) };
}

/** A row whose outcome just became known. */
export interface Outcome<T> {
  /** What was stored with the row (its features, the prediction made then, ...). */
  row: T;
  forwardReturn: number;
  direction: DirectionCode;
}

/**
 * The streaming side of `computeTargets`: push each closed bar's close with
 * whatever belongs to that row; once `horizon` more bars have closed, the row
 * comes back with its realised target. Holds at most `horizon` rows.
 */
export class OutcomeLabeler<T> {
  private readonly spec: TargetSpec;
  private readonly pending: Array<{ close: number; row: T }> = [];

  constructor(spec: TargetSpec) {
    this.spec = targetSpecSchema.parse(spec);
  }

  push(close: number, row: T): Outcome<T> | null {
    this.pending.push({ close, row });
    if (this.pending.length <= this.spec.horizon) return null;
    const start = this.pending.shift() as { close: number; row: T };
    const forwardReturn = Math.log(close / start.close);
    return { row: start.row, forwardReturn, direction: directionOf(forwardReturn, this.spec.threshold) as DirectionCode };
  }

  /** Rows still waiting for their horizon to close. */
  get waiting(): number {
    return this.pending.length;
  }
}

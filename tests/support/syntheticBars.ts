/**
 * Deterministic daily bars for strategy tests: a geometric random walk from
 * a seed, so a test can run a strategy over hundreds of bars that trend,
 * range and gap without a data file, and every run sees the same bars.
 * Prices sit on a 0.01 tick and every bar is consistent (low ≤ open, close
 * ≤ high; low > 0), as an exchange would report them.
 */
import { Prng } from '../../src/main/core/prng';
import type { Bar } from '../../src/shared/domain';

export interface SyntheticBarOptions {
  seed: number;
  /** Default 600. */
  count?: number;
  /** First close; default 100. */
  start?: number;
  /** Daily volatility of the log return; default 0.02. */
  volatility?: number;
  /** Daily drift of the log return; default 0. */
  drift?: number;
  /** First bar's time; default 2020-01-01 UTC. */
  from?: number;
}

const DAY_MS = 86_400_000;
const TICK = 0.01;

/** Rounds to the tick, in hundredths, so 0.1 + 0.2 style dust never reaches a price. */
function onTick(price: number): number {
  return Math.max(TICK, Math.round(price / TICK) / 100);
}

export function syntheticBars(options: SyntheticBarOptions): Bar[] {
  const rng = new Prng(options.seed);
  const count = options.count ?? 600;
  const sigma = options.volatility ?? 0.02;
  const drift = options.drift ?? 0;
  let time = options.from ?? Date.UTC(2020, 0, 1);
  let previousClose = onTick(options.start ?? 100);
  const bars: Bar[] = [];
  for (let i = 0; i < count; i++) {
    // Overnight gaps are small next to the day's move, as on most markets.
    const open = onTick(previousClose * Math.exp(0.2 * sigma * rng.normal()));
    const close = onTick(open * Math.exp(drift + sigma * rng.normal()));
    const high = onTick(Math.max(open, close) * (1 + 0.5 * sigma * Math.abs(rng.normal())));
    const low = onTick(Math.min(open, close) * (1 - 0.5 * sigma * Math.abs(rng.normal())));
    bars.push({
      time,
      open,
      high: Math.max(high, open, close),
      low: Math.min(low, open, close),
      close,
      volume: 1_000 + rng.int(9_000),
    });
    previousClose = close;
    time += DAY_MS;
  }
  return bars;
}

/**
 * Seeded synthetic bar series for the ML tests and benchmarks: a random walk
 * with drift, or noise around a fixed level, with a volatility that may vary
 * bar by bar (to stage a volatility burst). Same seed, same bars.
 */
import type { Bar } from '../../../shared/domain';
import { Prng } from '../../core/prng';

export interface SyntheticBarsOptions {
  count: number;
  seed: number;
  /** Open time of the first bar (ms). */
  start?: number;
  /** Bar length (ms); one hour by default. */
  interval?: number;
  startPrice?: number;
  /** 'walk': each close moves from the last; 'level': closes scatter around startPrice and never go anywhere. */
  shape?: 'walk' | 'level';
  /** Mean one-bar log return (walk only). */
  drift?: number;
  /** One-bar log-return standard deviation, constant or per bar index. */
  sigma?: number | ((index: number) => number);
  /** Mean volume per bar. */
  volume?: number;
}

export function syntheticBars(options: SyntheticBarsOptions): Bar[] {
  const { count, seed, start = Date.UTC(2024, 0, 1), interval = 3_600_000, startPrice = 100, shape = 'walk', drift = 0, sigma = 0.01, volume = 1_000 } = options;
  const rng = new Prng(seed);
  const sigmaAt = typeof sigma === 'function' ? sigma : () => sigma;
  const bars: Bar[] = [];
  let previous = startPrice;
  for (let i = 0; i < count; i++) {
    const s = sigmaAt(i);
    const close = shape === 'walk' ? previous * Math.exp(drift + s * rng.normal()) : startPrice * Math.exp(s * rng.normal());
    const open = previous;
    const high = Math.max(open, close) * Math.exp(Math.abs(rng.normal()) * s * 0.5);
    const low = Math.min(open, close) * Math.exp(-Math.abs(rng.normal()) * s * 0.5);
    bars.push({ time: start + i * interval, open, high, low, close, volume: volume * Math.exp(0.3 * rng.normal()) });
    previous = close;
  }
  return bars;
}

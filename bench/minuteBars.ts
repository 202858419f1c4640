/** The benches' seeded random walk of one-minute bars at cent precision, from 2022-01-01 UTC. */
import type { Bar } from '../src/shared/domain';

export const MINUTE = 60_000;

export function minuteBars(count: number, seed = 5): Bar[] {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const bars = new Array<Bar>(count);
  let price = 100;
  for (let i = 0; i < count; i++) {
    const open = price;
    const close = Math.max(1, Math.round(open * (1 + (random() - 0.5) * 0.002) * 100) / 100);
    const high = Math.round(Math.max(open, close) * (1 + random() * 0.0005) * 100) / 100;
    const low = Math.round(Math.min(open, close) * (1 - random() * 0.0005) * 100) / 100;
    bars[i] = { time: Date.UTC(2022, 0, 1) + i * MINUTE, open, high, low, close, volume: 10 };
    price = close;
  }
  return bars;
}

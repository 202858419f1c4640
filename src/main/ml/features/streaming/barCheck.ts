/**
 * The one gate every streaming ML component puts a bar through: closed bars
 * arrive strictly in time order with finite, positive prices (returns are
 * logarithms) and a finite, non-negative volume. A bad bar is refused loudly
 * rather than poisoning every rolling window after it.
 */
import type { Bar } from '../../../../shared/domain';

export function checkBar(bar: Bar, previousTime: number): void {
  if (!Number.isFinite(bar.time)) throw new RangeError(`bar time must be a finite number, got ${bar.time}`);
  if (bar.time <= previousTime) throw new RangeError(`bars must arrive in time order: ${bar.time} after ${previousTime}`);
  for (const key of ['open', 'high', 'low', 'close'] as const) {
    const value = bar[key];
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`bar ${key} must be a positive finite number, got ${value} at ${bar.time}`);
  }
  if (!Number.isFinite(bar.volume) || bar.volume < 0) throw new RangeError(`bar volume must be a non-negative finite number, got ${bar.volume} at ${bar.time}`);
}

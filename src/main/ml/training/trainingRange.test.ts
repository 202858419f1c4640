import { describe, expect, it } from 'vitest';
import { FEATURES_WARMUP } from '../features/featureSet';
import { syntheticBars } from '../features/syntheticBars';
import { minimumTrainingBars } from './trainModel';
import { barsInRange, checkTrainingRange, fmtRange, requireTrainingBars } from './trainingRange';

const T0 = Date.UTC(2024, 0, 1);
const bars = syntheticBars({ count: 10, seed: 1, start: T0, interval: 60_000 });

describe('training range', () => {
  it('keeps the bars opening at or after from and before to', () => {
    expect(barsInRange(bars, {})).toBe(bars);
    expect(barsInRange(bars, { from: T0 + 2 * 60_000, to: T0 + 5 * 60_000 }).map((b) => b.time)).toEqual([T0 + 120_000, T0 + 180_000, T0 + 240_000]);
    expect(barsInRange(bars, { from: T0 + 90_000 })).toHaveLength(8);
    expect(barsInRange(bars, { to: T0 + 1 })).toEqual([bars[0]]);
    expect(barsInRange(bars, { from: T0 + 3_600_000 })).toEqual([]);
  });

  it('refuses an empty range, naming both ends', () => {
    expect(() => checkTrainingRange({ from: T0, to: T0 })).toThrow('The training range is empty: from 2024-01-01 00:00 UTC is not before to 2024-01-01 00:00 UTC.');
    expect(() => checkTrainingRange({ from: T0 + 1_000, to: T0 })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', data: { from: T0 + 1_000, to: T0 } }));
    expect(() => checkTrainingRange({ from: T0 })).not.toThrow();
    expect(() => checkTrainingRange({ from: T0, to: T0 + 1 })).not.toThrow();
  });

  it('refuses too few bars for the folds, naming the range, the count and what is needed', () => {
    const needed = minimumTrainingBars(5);
    expect(() => requireTrainingBars(needed, { from: T0 }, 5)).not.toThrow();
    expect(() => requireTrainingBars(120, { from: T0, to: T0 + 120 * 60_000 }, 5)).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        message: `The range 2024-01-01 00:00 UTC → 2024-01-01 02:00 UTC holds 120 bars; training 4 walk-forward folds over 5 bars needs at least ${needed} (${FEATURES_WARMUP - 1} of them warm up the features). Choose a longer range.`,
        data: { from: T0, to: T0 + 120 * 60_000, bars: 120, needed },
      }),
    );
    expect(() => requireTrainingBars(1, {}, 1)).toThrow(/^The data holds 1 bar; training 4 walk-forward folds over 1 bar needs/);
  });

  it('says an open-ended range in words', () => {
    expect(fmtRange({ from: T0 + 1_500 })).toBe('from 2024-01-01 00:00:01 UTC');
    expect(fmtRange({ to: T0 })).toBe('before 2024-01-01 00:00 UTC');
  });
});

/** Bar spacing: the most common gap, named as the engine names timeframes, plus weeks and calendar months. */
import { describe, expect, it } from 'vitest';
import { detectBarSpacing } from './barSpacing';

const at = (...times: number[]): { time: number }[] => times.map((time) => ({ time }));
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

describe('detectBarSpacing', () => {
  it('has no answer for fewer than two bars', () => {
    expect(detectBarSpacing([])).toBeNull();
    expect(detectBarSpacing(at(0))).toBeNull();
  });

  it.each([
    ['1m', MIN],
    ['5m', 5 * MIN],
    ['15m', 15 * MIN],
    ['1h', HOUR],
    ['4h', 4 * HOUR],
    ['1d', DAY],
  ] as const)('names %s bars as the engine timeframe', (label, ms) => {
    expect(detectBarSpacing(at(0, ms, 2 * ms, 3 * ms))).toEqual({ label, ms, timeframe: label });
  });

  it('takes the most common gap, so weekends and holes do not count', () => {
    // Monday to Friday, twice, with a missing Wednesday.
    const days = [0, 1, 2, 3, 4, 7, 8, 10, 11].map((d) => d * DAY);
    expect(detectBarSpacing(at(...days))?.label).toBe('1d');
  });

  it('prefers the finer spacing on a tie', () => {
    expect(detectBarSpacing(at(0, HOUR, 2 * HOUR, 4 * HOUR, 6 * HOUR))?.label).toBe('1h');
  });

  it('names weeks and calendar months, whose lengths vary', () => {
    expect(detectBarSpacing(at(0, 7 * DAY, 14 * DAY))).toEqual({ label: '1w', ms: 7 * DAY, timeframe: null });
    const monthEnds = [Date.UTC(2024, 0, 31), Date.UTC(2024, 1, 29), Date.UTC(2024, 2, 31), Date.UTC(2024, 3, 30), Date.UTC(2024, 4, 31)];
    expect(detectBarSpacing(at(...monthEnds))).toEqual({ label: '1M', ms: 2_629_746_000, timeframe: null });
    const monthStarts = [Date.UTC(2023, 11, 1), Date.UTC(2024, 0, 1), Date.UTC(2024, 1, 1), Date.UTC(2024, 2, 1)];
    expect(detectBarSpacing(at(...monthStarts))?.label).toBe('1M');
  });

  it('names other spacings in their largest whole unit', () => {
    expect(detectBarSpacing(at(0, 30 * MIN, 60 * MIN))).toEqual({ label: '30m', ms: 30 * MIN, timeframe: null });
    expect(detectBarSpacing(at(0, 2 * HOUR, 4 * HOUR))?.label).toBe('2h');
    expect(detectBarSpacing(at(0, 3 * DAY, 6 * DAY))?.label).toBe('3d');
    expect(detectBarSpacing(at(0, 15_000, 30_000))?.label).toBe('15s');
    expect(detectBarSpacing(at(0, 250, 500))?.label).toBe('250ms');
  });
});

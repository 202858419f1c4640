import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { syntheticBars } from '../features/syntheticBars';
import { classifyRegimes, DEFAULT_REGIME_PARAMS, RegimeClassifier, regimeWarmup, type RegimeReading } from './regimeClassifier';
import type { RegimeLabel } from './regimeRules';

function share(labels: Array<RegimeLabel | null>, label: RegimeLabel): number {
  const known = labels.filter((l) => l !== null);
  return known.filter((l) => l === label).length / known.length;
}

describe('regime classifier on synthetic markets', () => {
  it('labels nothing before its warm-up and every bar after it', () => {
    const labels = classifyRegimes(syntheticBars({ count: 200, seed: 1 }));
    expect(regimeWarmup()).toBe(71);
    expect(labels.slice(0, 70).every((l) => l === null)).toBe(true);
    expect(labels.slice(70).every((l) => l !== null)).toBe(true);
  });

  it('calls a steady uptrend trending up, and its mirror trending down', () => {
    for (const seed of [1, 2, 3]) {
      const up = classifyRegimes(syntheticBars({ count: 500, seed, drift: 0.003, sigma: 0.004 }));
      const down = classifyRegimes(syntheticBars({ count: 500, seed, drift: -0.003, sigma: 0.004 }));
      expect(share(up, 'trending_up'), `seed ${seed}`).toBe(1);
      expect(share(down, 'trending_down'), `seed ${seed}`).toBe(1);
    }
  });

  it('calls a flat noisy series ranging', () => {
    for (const seed of [1, 2, 3]) {
      const labels = classifyRegimes(syntheticBars({ count: 500, seed, shape: 'level', sigma: 0.01 }));
      expect(share(labels, 'ranging'), `seed ${seed}`).toBeGreaterThan(0.95);
      expect(share(labels, 'trending_up') + share(labels, 'trending_down'), `seed ${seed}`).toBeLessThan(0.02);
    }
  });

  it('calls a volatility burst volatile within a few bars, and the calm before it not', () => {
    for (const seed of [1, 2, 3]) {
      const burstAt = 300;
      const bars = syntheticBars({ count: 360, seed, shape: 'level', sigma: (i) => (i >= burstAt && i < burstAt + 40 ? 0.05 : 0.01) });
      const labels = classifyRegimes(bars);
      expect(labels.slice(0, burstAt).includes('volatile'), `seed ${seed}: volatile before the burst`).toBe(false);
      const during = labels.slice(burstAt + 3, burstAt + 30);
      expect(share(during, 'volatile'), `seed ${seed}`).toBeGreaterThan(0.9);
    }
  });

  it('measures with inputs that never include a later bar', () => {
    const bars = syntheticBars({ count: 300, seed: 8, sigma: 0.01 });
    const k = 180;
    const future = syntheticBars({ count: 119, seed: 77, start: (bars[k] as Bar).time + 3_600_000, startPrice: 3, sigma: 0.1 });
    const read = (series: Bar[]) => {
      const c = new RegimeClassifier();
      return series.map((b) => c.update(b));
    };
    const a = read(bars);
    const b = read([...bars.slice(0, k + 1), ...future]);
    expect(b.slice(0, k + 1)).toEqual(a.slice(0, k + 1));
    expect(b[k + 1]).not.toEqual(a[k + 1] as RegimeReading);
  });

  it('reads a market with no range as no trend, and still sees the trend that follows it', () => {
    const flat: Bar[] = Array.from({ length: 100 }, (_, i) => ({ time: i * 3_600_000, open: 5, high: 5, low: 5, close: 5, volume: 1 }));
    const flatLabels = classifyRegimes(flat);
    expect(flatLabels.slice(70).every((l) => l === 'ranging')).toBe(true);
    const trend = syntheticBars({ count: 200, seed: 4, start: 100 * 3_600_000, startPrice: 5, drift: 0.003, sigma: 0.004 });
    const labels = classifyRegimes([...flat, ...trend]);
    expect(labels.slice(70).every((l) => l !== null)).toBe(true);
    // Waking from a dead-flat market first reads as volatile (its trailing median volatility is 0); once that passes, the trend shows.
    expect(share(labels.slice(250), 'trending_up')).toBe(1);
  });

  it('validates its parameters', () => {
    expect(() => new RegimeClassifier({ ...DEFAULT_REGIME_PARAMS, minHistory: 500 })).toThrow(/minHistory/);
    expect(() => new RegimeClassifier({ ...DEFAULT_REGIME_PARAMS, adxPeriod: 1 })).toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { Prng } from '../../core/prng';
import { RollingExtremes } from './rollingExtremes';

describe('rolling extremes', () => {
  it('are the lowest and highest price of the window, forgetting what left it', () => {
    const r = new RollingExtremes(10_000);
    r.push(0, 100);
    r.push(3_000, 95);
    r.push(6_000, 104);
    expect([r.min(), r.max()]).toEqual([95, 104]);
    r.push(12_000, 101); // 100 (t=0) has left; 95 (t=3000) is still in [2000, 12000]
    expect([r.min(), r.max()]).toEqual([95, 104]);
    r.push(14_000, 102); // now 95 has left too
    expect([r.min(), r.max()]).toEqual([101, 104]);
    r.evict(30_000);
    expect([r.min(), r.max()]).toEqual([null, null]);
  });

  it('agree with a scan of the window on a long random walk', () => {
    const rng = new Prng(5);
    const r = new RollingExtremes(60_000);
    const seen: Array<[number, number]> = [];
    let t = 0;
    let p = 100;
    for (let i = 0; i < 5_000; i++) {
      t += Math.floor(rng.next() * 2_000);
      p *= 1 + (rng.next() - 0.5) * 0.01;
      r.push(t, p);
      seen.push([t, p]);
      const inWindow = seen.filter(([st]) => st >= t - 60_000).map(([, v]) => v);
      expect(r.min()).toBe(Math.min(...inWindow));
      expect(r.max()).toBe(Math.max(...inWindow));
    }
  });

  it('takes older prices after newer ones, as a window seeded late does', () => {
    const r = new RollingExtremes(60_000);
    r.push(50_000, 100);
    r.push(51_000, 99);
    r.addOlder([
      { t: 20_000, price: 97 },
      { t: 30_000, price: 103 },
      { t: 40_000, price: 98 },
    ]);
    expect([r.min(), r.max()]).toEqual([97, 103]);
    r.push(85_000, 100); // 97 (t=20000) has left; 98 (t=40000) is the lowest left
    expect([r.min(), r.max()]).toEqual([98, 103]);
    r.push(95_000, 100); // 103 (t=30000) has left too
    expect([r.min(), r.max()]).toEqual([98, 100]);
    r.addOlder([{ t: 10_000, price: 50 }]); // older than the window: gone at the next eviction
    r.evict(95_000);
    expect(r.min()).toBe(98);
  });

  it('refuses a window that is not positive and ignores prices that are not numbers', () => {
    expect(() => new RollingExtremes(0)).toThrow(RangeError);
    const r = new RollingExtremes(1_000);
    r.push(0, Number.NaN);
    expect(r.min()).toBeNull();
  });
});

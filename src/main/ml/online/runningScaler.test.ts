import { describe, expect, it } from 'vitest';
import { Prng } from '../../core/prng';
import { RunningScaler } from './runningScaler';

describe('running scaler', () => {
  it('matches two-pass mean and population sd, far from the origin', () => {
    const rng = new Prng(2);
    const rows = Array.from({ length: 5000 }, () => [1e6 + rng.normal() * 0.01, rng.normal() * 50 - 7]);
    const scaler = new RunningScaler(2);
    for (const r of rows) scaler.update(r);
    const mean = [0, 1].map((j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
    const sd = [0, 1].map((j) => Math.sqrt(rows.reduce((s, r) => s + (r[j]! - mean[j]!) ** 2, 0) / rows.length));
    const stats = scaler.statistics();
    expect(stats.mean[0]).toBeCloseTo(mean[0]!, 6);
    expect(stats.sd[0]! / sd[0]!).toBeCloseTo(1, 6);
    expect(stats.sd[1]! / sd[1]!).toBeCloseTo(1, 10);
    const z = scaler.transform([mean[0]! + sd[0]!, mean[1]! - 2 * sd[1]!], new Float64Array(2));
    expect(z[0]).toBeCloseTo(1, 5);
    expect(z[1]).toBeCloseTo(-2, 9);
  });

  it('maps a feature that never varied to 0, and round-trips its state', () => {
    const scaler = new RunningScaler(2);
    scaler.update([3, 1]);
    scaler.update([3, 2]);
    expect(Array.from(scaler.transform([3, 2], new Float64Array(2)))).toEqual([0, 1]);
    const copy = RunningScaler.fromJSON(JSON.parse(JSON.stringify(scaler)));
    expect(copy.toJSON()).toEqual(scaler.toJSON());
    expect(copy.samples).toBe(2);
  });
});

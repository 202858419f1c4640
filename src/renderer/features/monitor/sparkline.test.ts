import { describe, expect, it } from 'vitest';
import { sparkline } from './sparkline';

describe('sparkline', () => {
  it('draws from zero to the highest value, left to right across the box', () => {
    const g = sparkline([0, 5, 10], 100, 22);
    expect(g.path).toBe('M0,21L50,11L100,1');
    expect(g.max).toBe(10);
    expect(g.thresholdY).toBeNull();
  });

  it('leaves a gap where a value is missing, and marks a lone point', () => {
    const g = sparkline([1, null, 1, 1, null, 1], 50, 12);
    expect(g.path).toBe('M0,1h1M20,1L30,1M50,1h1');
  });

  it('scales to the threshold when it is above every value, so its line shows', () => {
    const g = sparkline([10, 20], 10, 42, 40);
    expect(g.max).toBe(40);
    expect(g.thresholdY).toBe(1);
    expect(g.path).toBe('M0,31L10,21');
  });

  it('draws nothing for no values or only missing ones', () => {
    expect(sparkline([], 100, 20).path).toBe('');
    expect(sparkline([null, null], 100, 20).path).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { snapToTick } from './snapToTick';

describe('snapping a chart price to the tick', () => {
  it('takes the nearest tick', () => {
    expect(snapToTick(80123.44, '0.1')).toBe('80123.4');
    expect(snapToTick(80123.46, '0.1')).toBe('80123.5');
    expect(snapToTick(2.00014, '0.0001')).toBe('2.0001');
    expect(snapToTick(0.7, '0.5')).toBe('0.5');
  });

  it('has no price below the first tick or off the scale', () => {
    expect(snapToTick(0.02, '0.1')).toBeNull();
    expect(snapToTick(-5, '0.1')).toBeNull();
    expect(snapToTick(Number.NaN, '0.1')).toBeNull();
  });
});

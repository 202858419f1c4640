import { describe, expect, it } from 'vitest';
import { RingHistory } from './ringHistory';

describe('RingHistory', () => {
  it('keeps items oldest first until full', () => {
    const ring = new RingHistory<number>(3);
    expect(ring.latest()).toBeUndefined();
    expect(ring.toArray()).toEqual([]);
    ring.push(1);
    ring.push(2);
    expect(ring.toArray()).toEqual([1, 2]);
    expect(ring.latest()).toBe(2);
    expect(ring.size).toBe(2);
  });

  it('drops the oldest once full, however many times it wraps', () => {
    const ring = new RingHistory<number>(3);
    for (let i = 1; i <= 10; i++) ring.push(i);
    expect(ring.toArray()).toEqual([8, 9, 10]);
    expect(ring.latest()).toBe(10);
    expect(ring.size).toBe(3);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingHistory(0)).toThrow(RangeError);
    expect(() => new RingHistory(1.5)).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../engine/ports/clock';
import { KeyedThrottle } from './keyedThrottle';

describe('keyed throttle', () => {
  it('sends at once after a quiet second, folds a burst into one send at its end, and keeps keys apart', () => {
    const clock = new SimulatedClock(0);
    const sent: Array<[string, number]> = [];
    const throttle = new KeyedThrottle(clock, 1_000, (key) => sent.push([key, clock.now()]));
    throttle.request('a');
    throttle.request('a');
    throttle.request('b');
    clock.advanceBy(300);
    throttle.request('a');
    expect(sent).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
    clock.advanceBy(700);
    expect(sent).toEqual([
      ['a', 0],
      ['b', 0],
      ['a', 1_000],
    ]);
    clock.advanceBy(5_000);
    throttle.request('a');
    expect(sent.at(-1)).toEqual(['a', 6_000]);
    expect(sent).toHaveLength(4);
  });

  it('sends nothing more once stopped', () => {
    const clock = new SimulatedClock(0);
    const sent: string[] = [];
    const throttle = new KeyedThrottle(clock, 1_000, (key) => sent.push(key));
    throttle.request('a');
    throttle.request('a');
    throttle.stop();
    clock.advanceBy(2_000);
    expect(sent).toEqual(['a']);
    expect(() => new KeyedThrottle(clock, 0, () => undefined)).toThrow(/positive/);
  });
});

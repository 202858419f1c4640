import { describe, expect, it } from 'vitest';
import { decidingWindows, defaultPeriod, processedAt, withAssumedStart } from './decidingWindows';

describe("an instance's deciding windows", () => {
  const events = [
    { time: 50, kind: 'started' as const },
    { time: 20, kind: 'paused' as const },
    { time: 10, kind: 'started' as const },
    { time: 30, kind: 'resumed' as const },
    { time: 40, kind: 'stopped' as const },
    // An emergency stop while it was stopped changes nothing.
    { time: 45, kind: 'stopped' as const },
  ];

  it('opens at a start or resume and closes at a pause, stop or error, in time order', () => {
    expect(decidingWindows(events)).toEqual([
      { from: 10, to: 20 },
      { from: 30, to: 40 },
      { from: 50, to: Number.POSITIVE_INFINITY },
    ]);
  });

  it('counts a bar as processed when it closed inside a window', () => {
    const windows = decidingWindows(events);
    expect([10, 11, 20, 21, 29, 35, 40, 41, 50, 51, 1e12].map((t) => processedAt(windows, t))).toEqual([false, true, true, false, false, true, true, false, false, true, true]);
    expect(processedAt(decidingWindows([{ time: 5, kind: 'error' }]), 6)).toBe(false);
  });

  it('covers, by default, the first start to now, or to when it last stopped deciding', () => {
    const windows = decidingWindows(events);
    expect(defaultPeriod(windows, 100, {})).toEqual({ from: 10, to: 100 });
    expect(defaultPeriod(windows.slice(0, 2), 100, {})).toEqual({ from: 10, to: 40 });
    expect(defaultPeriod(windows, 100, { from: 15, to: 60 })).toEqual({ from: 15, to: 60 });
    expect(defaultPeriod([], 100, {})).toBeNull();
    expect(defaultPeriod([], 100, { from: 5 })).toEqual({ from: 5, to: 100 });
  });

  it('assumes a start at its creation when the log no longer holds it, and ignores what came before its creation', () => {
    // Its start was pruned: the earliest entry left is a pause.
    expect(withAssumedStart([{ time: 30, kind: 'paused' }, { time: 40, kind: 'resumed' }], 10, true)).toEqual([
      { time: 10, kind: 'started' },
      { time: 30, kind: 'paused' },
      { time: 40, kind: 'resumed' },
    ]);
    // Nothing left and running now: running since its creation; nothing left and stopped: it never ran as far as anyone can tell.
    expect(withAssumedStart([], 10, true)).toEqual([{ time: 10, kind: 'started' }]);
    expect(withAssumedStart([], 10, false)).toEqual([]);
    // An emergency stop before it existed is not its own; its start is still in the log.
    expect(withAssumedStart([{ time: 5, kind: 'stopped' }, { time: 12, kind: 'started' }], 10, true)).toEqual([{ time: 12, kind: 'started' }]);
  });
});

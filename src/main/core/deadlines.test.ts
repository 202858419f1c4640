import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineQueue } from './deadlines';

describe('DeadlineQueue', () => {
  let now = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    now = 0;
  });
  afterEach(() => {
    // The spy first: it wraps the fake setTimeout, and must not outlive the fake timers.
    vi.restoreAllMocks();
    vi.useRealTimers();
  });
  const advance = (ms: number) => {
    now += ms;
    vi.advanceTimersByTime(ms);
  };

  it('fires a deadline that was not cancelled, once, when it is due', () => {
    const queue = new DeadlineQueue(() => now);
    const fired: string[] = [];
    queue.watch(100, () => fired.push('a'));
    advance(99);
    expect(fired).toEqual([]);
    advance(1);
    expect(fired).toEqual(['a']);
    advance(1_000);
    expect(fired).toEqual(['a']);
    expect(queue.size).toBe(0);
  });

  it('never fires a cancelled deadline, and fires the ones behind it on time', () => {
    const queue = new DeadlineQueue(() => now);
    const fired: string[] = [];
    const first = queue.watch(100, () => fired.push('first'));
    advance(10);
    queue.watch(100, () => fired.push('second'));
    first.cancel();
    advance(95);
    expect(fired).toEqual([]);
    advance(5);
    expect(fired).toEqual(['second']);
  });

  it('fires deadlines of different lengths in deadline order, whatever order they were set in', () => {
    const queue = new DeadlineQueue(() => now);
    const fired: number[] = [];
    for (const ms of [300, 100, 200]) queue.watch(ms, () => fired.push(ms));
    advance(150);
    expect(fired).toEqual([100]);
    advance(200);
    expect(fired).toEqual([100, 200, 300]);
  });

  it('uses one timer for any number of deadlines, and keeps no cancelled ones', () => {
    const queue = new DeadlineQueue(() => now);
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    for (let i = 0; i < 10_000; i++) queue.watch(30_000, () => {}).cancel();
    expect(setTimeoutSpy.mock.calls.length).toBeLessThanOrEqual(1);
    expect(queue.size).toBe(0);
    const kept = queue.watch(30_000, () => {});
    expect(queue.size).toBe(1);
    kept.cancel();
    expect(queue.size).toBe(0);
  });
});

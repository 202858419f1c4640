import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimulatedClock } from './clock';

const T0 = 1_700_000_000_000;

/** Deterministic pseudo-random numbers, so the large runs are reproducible. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('SimulatedClock', () => {
  it('fires tasks in time order whatever order they were scheduled in, each at its own time', () => {
    const clock = new SimulatedClock(T0);
    const fired: Array<[string, number]> = [];
    for (const [name, delay] of [['c', 30], ['a', 10], ['d', 40], ['b', 20]] as const) {
      clock.after(delay, () => fired.push([name, clock.now() - T0]));
    }
    clock.advanceBy(25);
    expect(fired).toEqual([['a', 10], ['b', 20]]);
    expect(clock.now()).toBe(T0 + 25);
    clock.advanceTo(T0 + 100);
    expect(fired).toEqual([['a', 10], ['b', 20], ['c', 30], ['d', 40]]);
    expect(clock.now()).toBe(T0 + 100);
    expect(clock.pending).toBe(0);
  });

  it('fires tasks due at the same time in the order they were scheduled', () => {
    const clock = new SimulatedClock(T0);
    const fired: number[] = [];
    // Interleave two due times so a heap that ignored scheduling order would scramble them.
    for (let i = 0; i < 50; i += 1) clock.after(i % 2 === 0 ? 5 : 7, () => fired.push(i));
    clock.advanceBy(10);
    const evens = Array.from({ length: 25 }, (_, k) => 2 * k);
    expect(fired).toEqual([...evens, ...evens.map((n) => n + 1)]);
  });

  it('does not fire a cancelled task, even one cancelled by an earlier task due at the same time', () => {
    const clock = new SimulatedClock(T0);
    const fired: string[] = [];
    clock.after(5, () => {
      fired.push('first');
      second.cancel();
    });
    const second = clock.after(5, () => fired.push('second'));
    const third = clock.after(8, () => fired.push('third'));
    clock.after(9, () => fired.push('fourth'));
    third.cancel();
    third.cancel(); // twice is harmless
    expect(clock.pending).toBe(3);
    clock.advanceBy(10);
    expect(fired).toEqual(['first', 'fourth']);
    expect(clock.pending).toBe(0);
  });

  it('runs a task scheduled by a task for "now" in the same advance, after the tasks already due then', () => {
    const clock = new SimulatedClock(T0);
    const fired: Array<[string, number]> = [];
    clock.after(10, () => {
      fired.push(['parent', clock.now() - T0]);
      clock.after(0, () => fired.push(['child', clock.now() - T0]));
      clock.after(-5, () => fired.push(['negative delay', clock.now() - T0]));
      clock.after(3, () => fired.push(['later child', clock.now() - T0]));
    });
    clock.after(10, () => fired.push(['sibling', clock.now() - T0]));
    clock.advanceBy(20);
    expect(fired).toEqual([
      ['parent', 10],
      ['sibling', 10],
      ['child', 10],
      ['negative delay', 10],
      ['later child', 13],
    ]);
  });

  it('repeats `every` task at its interval, including several times within one advance, until cancelled', () => {
    const clock = new SimulatedClock(T0);
    const ticks: number[] = [];
    const handle = clock.every(100, () => ticks.push(clock.now() - T0));
    clock.advanceBy(350);
    expect(ticks).toEqual([100, 200, 300]);
    clock.advanceBy(50);
    expect(ticks).toEqual([100, 200, 300, 400]);
    handle.cancel();
    clock.advanceBy(1_000);
    expect(ticks).toEqual([100, 200, 300, 400]);
    expect(clock.pending).toBe(0);
  });

  it('lets an `every` task cancel itself from inside its callback', () => {
    const clock = new SimulatedClock(T0);
    let runs = 0;
    const handle = clock.every(10, () => {
      runs += 1;
      if (runs === 3) handle.cancel();
    });
    clock.advanceBy(1_000);
    expect(runs).toBe(3);
    expect(clock.pending).toBe(0);
  });

  it('interleaves periodic and one-shot tasks by time, and a tie by when each was (re)armed', () => {
    const clock = new SimulatedClock(T0);
    const fired: string[] = [];
    clock.every(10, () => fired.push(`tick@${clock.now() - T0}`));
    clock.after(20, () => fired.push('once@20'));
    clock.advanceBy(30);
    // The tick re-arms for 20 when it fires at 10, after 'once@20' was scheduled.
    expect(fired).toEqual(['tick@10', 'once@20', 'tick@20', 'tick@30']);
  });

  it('refuses to go back in time, to repeat at a non-positive interval, or to be advanced from inside a task', () => {
    const clock = new SimulatedClock(T0);
    expect(() => clock.advanceTo(T0 - 1)).toThrow(/cannot go back/);
    expect(() => clock.every(0, () => undefined)).toThrow(RangeError);
    clock.after(1, () => clock.advanceBy(1));
    expect(() => clock.advanceBy(5)).toThrow(/already advancing/);
    // The failed advance leaves the clock usable.
    clock.after(1, () => undefined);
    expect(() => clock.advanceBy(5)).not.toThrow();
  });

  it('stops an advance at a task that throws, with time at that task and the rest still scheduled', () => {
    const clock = new SimulatedClock(T0);
    const fired: number[] = [];
    clock.after(5, () => {
      throw new Error('boom');
    });
    clock.after(6, () => fired.push(6));
    expect(() => clock.advanceBy(10)).toThrow('boom');
    expect(clock.now()).toBe(T0 + 5);
    clock.advanceTo(T0 + 10);
    expect(fired).toEqual([6]);
  });

  it('keeps 100k tasks in (time, scheduling order), with cancels and re-arms, through a heap', () => {
    const clock = new SimulatedClock(T0);
    const random = lcg(7);
    const n = 100_000;
    const fired: Array<{ at: number; id: number; due: number }> = [];
    const handles = [];
    for (let id = 0; id < n; id += 1) {
      const due = Math.floor(random() * 10_000); // many ties
      handles.push(clock.after(due, () => fired.push({ at: clock.now() - T0, id, due })));
    }
    const cancelled = new Set<number>();
    for (let id = 0; id < n; id += 3) {
      handles[id]!.cancel();
      cancelled.add(id);
    }
    let periodic = 0;
    clock.every(7, () => (periodic += 1));
    expect(clock.pending).toBe(n - cancelled.size + 1);
    expect(clock.nextDueAt()).toBeGreaterThanOrEqual(T0);

    clock.advanceBy(10_000);

    expect(fired).toHaveLength(n - cancelled.size);
    expect(fired.some((f) => cancelled.has(f.id))).toBe(false);
    expect(fired.every((f) => f.at === f.due)).toBe(true);
    const outOfOrder = fired.findIndex((b, i) => {
      const a = fired[i - 1];
      return a !== undefined && !(a.due < b.due || (a.due === b.due && a.id < b.id));
    });
    expect(outOfOrder).toBe(-1);
    expect(periodic).toBe(Math.floor(10_000 / 7));
    expect(clock.pending).toBe(1);
  });

  describe('advanceAndSettle', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /** An async chain the way engine code writes one: awaits, with a timer on the clock in the middle. */
    function asyncChain(clock: SimulatedClock, log: string[]): Promise<void> {
      const sleep = (ms: number) => new Promise<void>((resolve) => clock.after(ms, resolve));
      return (async () => {
        log.push(`start@${clock.now() - T0}`);
        await Promise.resolve();
        for (let i = 0; i < 100; i += 1) await null; // a long microtask chain
        await sleep(50);
        log.push(`woke@${clock.now() - T0}`);
        await new Promise<void>((resolve) => setImmediate(resolve)); // one macrotask deferral
        await sleep(25);
        log.push(`done@${clock.now() - T0}`);
      })();
    }

    it('drains an async chain between tasks, so timers that continuations set fire within the same advance', async () => {
      const clock = new SimulatedClock(T0);
      const log: string[] = [];
      clock.after(10, () => void asyncChain(clock, log));
      const later: number[] = [];
      clock.after(70, () => later.push(clock.now() - T0));

      await clock.advanceAndSettle(100);

      expect(log).toEqual(['start@10', 'woke@60', 'done@85']);
      expect(later).toEqual([70]);
      expect(clock.now()).toBe(T0 + 100);
    });

    it('a plain advanceTo leaves the continuation waiting: the difference the settling makes', async () => {
      const clock = new SimulatedClock(T0);
      const log: string[] = [];
      clock.after(10, () => void asyncChain(clock, log));
      clock.advanceBy(100);
      expect(log).toEqual(['start@10']);
      await clock.advanceAndSettle();
      expect(log).toEqual(['start@10']); // its timer is armed for 100 + 50 now
      await clock.advanceAndSettle(50);
      expect(log).toEqual(['start@10', 'woke@150']);
    });

    it('first settles work started before the call, then runs what is due now when given no time', async () => {
      const clock = new SimulatedClock(T0);
      const log: string[] = [];
      const chain = asyncChain(clock, log); // started by the test itself, not by a task
      await clock.advanceAndSettle();
      expect(log).toEqual(['start@0']);
      expect(clock.nextDueAt()).toBe(T0 + 50);
      await clock.advanceAndSettle(75);
      await chain;
      expect(log).toEqual(['start@0', 'woke@50', 'done@75']);
    });

    it('keeps working while a test has installed fake timers', async () => {
      const clock = new SimulatedClock(T0);
      vi.useFakeTimers();
      const log: string[] = [];
      clock.after(1, () =>
        void (async () => {
          await Promise.resolve();
          clock.after(1, () => log.push(`after continuation@${clock.now() - T0}`));
        })(),
      );
      await clock.advanceAndSettle(5);
      expect(log).toEqual(['after continuation@2']);
    });

    it('refuses a second driver while one is settling', async () => {
      const clock = new SimulatedClock(T0);
      const first = clock.advanceAndSettle(10);
      await expect(clock.advanceAndSettle(10)).rejects.toThrow(/already advancing/);
      expect(() => clock.advanceBy(1)).toThrow(/already advancing/);
      await first;
      expect(clock.now()).toBe(T0 + 10);
    });
  });
});

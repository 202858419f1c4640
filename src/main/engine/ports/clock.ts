/**
 * Where engine time comes from. Engine code never reads the wall clock
 * directly, so a backtest drives the same code with a simulated clock.
 */

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Runs `fn` every `intervalMs` until cancelled. */
  every(intervalMs: number, fn: () => void): TimerHandle;
  /** Runs `fn` once after `delayMs`. */
  after(delayMs: number, fn: () => void): TimerHandle;
}

export class LiveClock implements Clock {
  now(): number {
    return Date.now();
  }

  every(intervalMs: number, fn: () => void): TimerHandle {
    const handle = setInterval(fn, intervalMs);
    handle.unref?.();
    return { cancel: () => clearInterval(handle) };
  }

  after(delayMs: number, fn: () => void): TimerHandle {
    const handle = setTimeout(fn, delayMs);
    handle.unref?.();
    return { cancel: () => clearTimeout(handle) };
  }
}

interface ScheduledTask {
  dueAt: number;
  intervalMs: number | null;
  fn: () => void;
  cancelled: boolean;
}

/** A clock that only moves when told to: for backtests and deterministic tests. */
export class SimulatedClock implements Clock {
  private current: number;
  private tasks: ScheduledTask[] = [];

  constructor(startMs: number) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  every(intervalMs: number, fn: () => void): TimerHandle {
    return this.schedule(this.current + intervalMs, intervalMs, fn);
  }

  after(delayMs: number, fn: () => void): TimerHandle {
    return this.schedule(this.current + delayMs, null, fn);
  }

  /** Moves time forward to `targetMs`, running every task that falls due, in time order. */
  advanceTo(targetMs: number): void {
    if (targetMs < this.current) throw new Error(`Simulated time cannot go back (${targetMs} < ${this.current})`);
    for (;;) {
      const next = this.tasks
        .filter((t) => !t.cancelled && t.dueAt <= targetMs)
        .sort((a, b) => a.dueAt - b.dueAt)[0];
      if (!next) break;
      this.current = next.dueAt;
      if (next.intervalMs === null) next.cancelled = true;
      else next.dueAt += next.intervalMs;
      next.fn();
    }
    this.tasks = this.tasks.filter((t) => !t.cancelled);
    this.current = targetMs;
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  private schedule(dueAt: number, intervalMs: number | null, fn: () => void): TimerHandle {
    const task: ScheduledTask = { dueAt, intervalMs, fn, cancelled: false };
    this.tasks.push(task);
    return { cancel: () => (task.cancelled = true) };
  }
}

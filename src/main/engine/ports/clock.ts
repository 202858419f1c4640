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

/** Taken when this module loads, so fake timers installed later (a test's) cannot stall `advanceAndSettle`. */
const nextMacrotask = globalThis.setImmediate;

interface ScheduledTask {
  dueAt: number;
  /** Scheduling order: among tasks due at the same time, the one scheduled first fires first. */
  seq: number;
  intervalMs: number | null;
  fn: () => void;
  /** Position in the heap; -1 once fired (one-shot) or cancelled. */
  index: number;
}

export interface SimulatedClockOptions {
  /**
   * How many macrotask turns `advanceAndSettle` waits after each task it
   * fires. One turn completes every promise chain already under way, however
   * long; each further turn also covers one level of work that defers itself
   * with `setImmediate`. Default 3.
   */
  settleTurns?: number;
}

/**
 * A clock that only moves when told to: for backtests and deterministic
 * tests. Tasks sit in a binary min-heap keyed by (due time, scheduling
 * order), so scheduling, cancelling and firing each cost O(log n), and tasks
 * due at the same moment fire in the order they were scheduled, including
 * tasks scheduled by a task for "now", which fire in the same advance.
 *
 * A task that throws stops the advance there: the error reaches the caller,
 * `now()` reads the failing task's time, and a periodic task stays scheduled.
 */
export class SimulatedClock implements Clock {
  private current: number;
  private readonly heap: ScheduledTask[] = [];
  private sequence = 0;
  private advancing = false;
  private readonly settleTurns: number;

  constructor(startMs: number, options: SimulatedClockOptions = {}) {
    this.current = startMs;
    this.settleTurns = Math.max(1, Math.floor(options.settleTurns ?? 3));
  }

  now(): number {
    return this.current;
  }

  every(intervalMs: number, fn: () => void): TimerHandle {
    // A zero interval would fire forever without time moving.
    if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) throw new RangeError(`every() needs a positive, finite interval (got ${intervalMs})`);
    return this.schedule(this.current + intervalMs, intervalMs, fn);
  }

  after(delayMs: number, fn: () => void): TimerHandle {
    // Like setTimeout: a negative or missing delay means "as soon as time is next advanced".
    return this.schedule(this.current + (delayMs > 0 ? delayMs : 0), null, fn);
  }

  /** How many tasks are scheduled (periodic ones count once). */
  get pending(): number {
    return this.heap.length;
  }

  /** When the next task falls due, or null when nothing is scheduled. */
  nextDueAt(): number | null {
    return this.heap[0]?.dueAt ?? null;
  }

  /**
   * Moves time forward to `targetMs`, running every task that falls due, in
   * (time, scheduling order). Synchronous: promise work the tasks start runs
   * after it returns; use `advanceAndSettle` to wait for it task by task.
   */
  advanceTo(targetMs: number): void {
    this.beginAdvance(targetMs);
    try {
      while (this.fireNext(targetMs));
      this.current = targetMs;
    } finally {
      this.advancing = false;
    }
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.current + ms);
  }

  /**
   * Moves time forward by `ms` (default 0: just run what is due now), letting
   * async work settle before the first task and after each one. Settling
   * waits `settleTurns` macrotask turns (`setImmediate`, the real one even
   * under fake timers). What it guarantees: every
   * promise chain under way when a turn starts (awaits on already-settled
   * promises, microtasks, `process.nextTick`) has run to its end, or to its
   * next wait on something that has not happened yet, before the next task
   * fires; so a task that an async continuation schedules on this clock
   * fires in the same call if it falls due by the target. What it does not
   * cover: waits on real I/O or on the real clock, and chains that defer
   * themselves with `setImmediate` more than `settleTurns - 1` times.
   */
  async advanceAndSettle(ms = 0): Promise<void> {
    const targetMs = this.current + ms;
    this.beginAdvance(targetMs);
    try {
      await this.settle();
      while (this.fireNext(targetMs)) await this.settle();
      this.current = targetMs;
    } finally {
      this.advancing = false;
    }
  }

  private beginAdvance(targetMs: number): void {
    if (Number.isNaN(targetMs)) throw new RangeError('Simulated time cannot advance to NaN');
    if (targetMs < this.current) throw new RangeError(`Simulated time cannot go back (${targetMs} < ${this.current})`);
    // Time has one driver: a task (or a continuation it awaits) advancing the clock would fire tasks out of order.
    if (this.advancing) throw new Error('SimulatedClock is already advancing; advance it from one place at a time');
    this.advancing = true;
  }

  private async settle(): Promise<void> {
    for (let turn = 0; turn < this.settleTurns; turn += 1) await new Promise<void>((resolve) => nextMacrotask(resolve));
  }

  /** Fires the earliest task due by `targetMs`; false when there is none. */
  private fireNext(targetMs: number): boolean {
    const task = this.heap[0];
    if (!task || task.dueAt > targetMs) return false;
    this.removeAt(0);
    this.current = task.dueAt;
    // Re-armed before it runs, so the task may cancel itself from inside.
    if (task.intervalMs !== null) {
      task.dueAt += task.intervalMs;
      task.seq = this.sequence++;
      this.insert(task);
    }
    task.fn();
    return true;
  }

  private schedule(dueAt: number, intervalMs: number | null, fn: () => void): TimerHandle {
    const task: ScheduledTask = { dueAt, seq: this.sequence++, intervalMs, fn, index: -1 };
    this.insert(task);
    return {
      cancel: () => {
        if (task.index >= 0) this.removeAt(task.index);
      },
    };
  }

  private insert(task: ScheduledTask): void {
    task.index = this.heap.length;
    this.heap.push(task);
    this.siftUp(task.index);
  }

  private removeAt(index: number): void {
    const removed = this.heap[index]!;
    const last = this.heap.pop()!;
    removed.index = -1;
    if (last === removed) return;
    this.heap[index] = last;
    last.index = index;
    // The task moved into the hole may belong above or below it.
    this.siftUp(index);
    this.siftDown(last.index);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    const task = heap[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (!firesBefore(task, parent)) break;
      heap[index] = parent;
      parent.index = index;
      index = parentIndex;
    }
    heap[index] = task;
    task.index = index;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const task = heap[index]!;
    const size = heap.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && firesBefore(heap[right]!, heap[left]!) ? right : left;
      const candidate = heap[child]!;
      if (!firesBefore(candidate, task)) break;
      heap[index] = candidate;
      candidate.index = index;
      index = child;
    }
    heap[index] = task;
    task.index = index;
  }
}

function firesBefore(a: ScheduledTask, b: ScheduledTask): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq);
}

/**
 * Many deadlines on one timer. A strategy's handler calls are each watched
 * for overrunning their budget; a backtest makes several calls per bar, and
 * a timer per call (set, then cleared microseconds later) cost more than the
 * calls. Here a deadline is an entry in a list kept in deadline order, and a
 * single timer is armed for the earliest one that is still wanted.
 */
export interface Deadline {
  cancel(): void;
}

interface Entry {
  at: number;
  fire: () => void;
  cancelled: boolean;
}

export class DeadlineQueue {
  /** Pending entries from `head` on, in deadline order; cancelled ones are dropped when they reach the front. */
  private entries: Entry[] = [];
  private head = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = Infinity;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Calls `fire` once, `ms` from now, unless cancelled first. */
  watch(ms: number, fire: () => void): Deadline {
    const entry: Entry = { at: this.now() + ms, fire, cancelled: false };
    let index = this.entries.length;
    // Deadlines of one length arrive in order, so this almost never moves.
    while (index > this.head && this.entries[index - 1]!.at > entry.at) index -= 1;
    this.entries.splice(index, 0, entry);
    if (entry.at < this.timerAt) this.arm(entry.at);
    return {
      cancel: () => {
        entry.cancelled = true;
        this.dropCancelledFront();
      },
    };
  }

  /** Deadlines still waiting. */
  get size(): number {
    let count = 0;
    for (let i = this.head; i < this.entries.length; i++) if (!this.entries[i]!.cancelled) count += 1;
    return count;
  }

  private dropCancelledFront(): void {
    while (this.head < this.entries.length && this.entries[this.head]!.cancelled) this.head += 1;
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
      // Nothing left to watch: the timer may stay armed (it finds nothing); clearing it here would cost a clear per call.
    } else if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  private arm(at: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.expire(), Math.max(0, at - this.now()));
    // A watchdog must not keep the process alive on its own.
    this.timer.unref?.();
  }

  private expire(): void {
    this.timer = null;
    this.timerAt = Infinity;
    const now = this.now();
    const due: Entry[] = [];
    while (this.head < this.entries.length && this.entries[this.head]!.at <= now) {
      const entry = this.entries[this.head]!;
      this.head += 1;
      if (!entry.cancelled) due.push(entry);
    }
    this.dropCancelledFront();
    const next = this.entries[this.head];
    if (next) this.arm(next.at);
    for (const entry of due) entry.fire();
  }
}

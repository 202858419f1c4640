/**
 * Coalesces high-rate state events before a transport sends them: for a topic
 * that has a key (by default the contract's `coalescedTopics`), only the latest
 * value per (topic, key) is kept and delivered on the next flush, at most one
 * flush per interval; every other event is delivered at once, in order, and
 * never dropped. The timer is injected so tests are deterministic, and nothing
 * here knows about Electron or sockets: the IPC and WebSocket transports share
 * it.
 */
import { coalescedTopics, isEventTopic } from '../../shared/contract';

/** Cancels a scheduled callback; calling it after the callback ran is harmless. */
export type CancelScheduled = () => void;
export type Schedule = (fn: () => void, ms: number) => CancelScheduled;
/** The coalescing key of an event, or undefined when the event must pass through untouched. */
export type CoalesceKeyOf = (topic: string, data: unknown) => string | undefined;

export interface EventCoalescerOptions<T extends string = string> {
  /** Upper bound on how long a coalesced value waits; ~16 ms is one frame. */
  flushIntervalMs: number;
  schedule: Schedule;
  deliver: (topic: T, data: unknown) => void;
  /** Which events coalesce and under which key; defaults to the contract's `coalescedTopics`. */
  keyOf?: CoalesceKeyOf;
  /** Told when `deliver` or `keyOf` throws; one failing event never stops the others. */
  onError?: (error: unknown, topic: T) => void;
}

/** A timer-backed `Schedule` for production use. */
export const timerSchedule: Schedule = (fn, ms) => {
  const handle = setTimeout(fn, ms);
  return () => clearTimeout(handle);
};

/** The contract's coalescing rule: topics listed in `coalescedTopics`, keyed by their key function. */
export const contractKeyOf: CoalesceKeyOf = (topic, data) => {
  if (!isEventTopic(topic)) return undefined;
  const key = coalescedTopics[topic] as ((payload: unknown) => string) | undefined;
  return key === undefined ? undefined : key(data);
};

interface Pending<T extends string> {
  topic: T;
  data: unknown;
}

export class EventCoalescer<T extends string = string> {
  private readonly flushIntervalMs: number;
  private readonly schedule: Schedule;
  private readonly deliverFn: (topic: T, data: unknown) => void;
  private readonly keyOf: CoalesceKeyOf;
  private readonly onError: (error: unknown, topic: T) => void;
  /** Map order is first-seen order within a frame; a newer value replaces the older in place. */
  private pending = new Map<string, Pending<T>>();
  private cancelFlush: CancelScheduled | undefined;
  private disposed = false;

  constructor(options: EventCoalescerOptions<T>) {
    if (!Number.isFinite(options.flushIntervalMs) || options.flushIntervalMs < 0) {
      throw new RangeError(`flushIntervalMs must be a finite number >= 0, got ${options.flushIntervalMs}`);
    }
    this.flushIntervalMs = options.flushIntervalMs;
    this.schedule = options.schedule;
    this.deliverFn = options.deliver;
    this.keyOf = options.keyOf ?? contractKeyOf;
    this.onError =
      options.onError ??
      ((error, topic) => {
        console.error(`[keel] event delivery failed for topic ${topic}:`, error);
      });
  }

  /** Queues a coalesced event (latest wins until the next flush) or delivers any other event now. */
  push(topic: T, data: unknown): void {
    if (this.disposed) return;
    let key: string | undefined;
    try {
      key = this.keyOf(topic, data);
    } catch (error) {
      // A payload the key function cannot read is still delivered: better
      // uncoalesced than lost.
      this.onError(error, topic);
      key = undefined;
    }
    if (key === undefined) {
      this.deliver(topic, data);
      return;
    }
    // The NUL separator keeps keys of different topics apart.
    this.pending.set(`${topic}\u0000${key}`, { topic, data });
    if (this.cancelFlush === undefined) {
      this.cancelFlush = this.schedule(() => {
        this.cancelFlush = undefined;
        this.flush();
      }, this.flushIntervalMs);
    }
  }

  /** Delivers every pending coalesced value now (in first-seen order) and clears the timer. */
  flush(): void {
    if (this.cancelFlush !== undefined) {
      this.cancelFlush();
      this.cancelFlush = undefined;
    }
    if (this.pending.size === 0) return;
    // Swap first: a delivery that pushes again lands in the next frame.
    const batch = this.pending;
    this.pending = new Map();
    for (const { topic, data } of batch.values()) this.deliver(topic, data);
  }

  /** Number of coalesced values waiting for the next flush. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Stops the timer and discards pending values; later pushes are ignored. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.cancelFlush !== undefined) {
      this.cancelFlush();
      this.cancelFlush = undefined;
    }
    this.pending.clear();
  }

  private deliver(topic: T, data: unknown): void {
    try {
      this.deliverFn(topic, data);
    } catch (error) {
      this.onError(error, topic);
    }
  }
}

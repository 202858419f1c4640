/**
 * The engine's message bus: contract events, published synchronously in
 * order. Transports subscribe to everything and decide what to coalesce.
 *
 * The bus is also the engine's outbox: while a journal transaction is open
 * (`atomically`), events wait; they go out when the outermost transaction
 * commits and are dropped if it rolls back, so no subscriber ever sees a
 * change that is later undone. A nested transaction that fails drops only
 * its own events.
 *
 * A subscriber may name the topics it wants. A publisher whose payload costs
 * something to build (a venue's positions, its account summary) asks
 * `wants(topic)` first: with no subscriber for it (a backtest has few) the
 * work is skipped.
 */
import type { EventPayload, EventTopic } from '../../shared/contract';
import { consoleLogger, type Logger } from './ports/logger';

export type BusListener = <T extends EventTopic>(topic: T, payload: EventPayload<T>) => void;

interface Pending {
  topic: EventTopic;
  payload: unknown;
}

export class EventBus {
  private readonly listeners = new Set<BusListener>();
  /** How many subscribers take each named topic; those that take every topic are counted apart. */
  private readonly interest = new Map<EventTopic, number>();
  private everything = 0;
  private readonly held: Pending[] = [];
  /** Where each open transaction's events start in `held`, innermost last. */
  private readonly marks: number[] = [];

  constructor(private readonly log: Logger = consoleLogger) {}

  publish<T extends EventTopic>(topic: T, payload: EventPayload<T>): void {
    if (this.marks.length > 0) {
      this.held.push({ topic, payload });
      return;
    }
    this.deliver(topic, payload);
  }

  /** Subscribes to every topic, or only to `topics` (the listener is then called for those only). */
  subscribe(listener: BusListener, topics?: readonly EventTopic[]): () => void {
    const wanted = topics ? new Set<EventTopic>(topics) : null;
    const subscribed: BusListener = wanted ? (topic, payload) => {
      if (wanted.has(topic)) listener(topic, payload);
    } : listener;
    this.listeners.add(subscribed);
    if (wanted) for (const topic of wanted) this.interest.set(topic, (this.interest.get(topic) ?? 0) + 1);
    else this.everything += 1;
    let subscribedNow = true;
    return () => {
      if (!subscribedNow) return;
      subscribedNow = false;
      this.listeners.delete(subscribed);
      if (wanted) for (const topic of wanted) this.interest.set(topic, this.interest.get(topic)! - 1);
      else this.everything -= 1;
    };
  }

  /** True when some subscriber takes `topic`. */
  wants(topic: EventTopic): boolean {
    return this.everything > 0 || (this.interest.get(topic) ?? 0) > 0;
  }

  /**
   * Runs `work` (a journal transaction) with this bus as its outbox: what it
   * publishes is delivered after it returns, or dropped if it throws.
   */
  atomically<T>(work: () => T): T {
    this.marks.push(this.held.length);
    let result: T;
    try {
      result = work();
    } catch (error) {
      this.held.length = this.marks.pop()!;
      throw error;
    }
    this.marks.pop();
    if (this.marks.length === 0 && this.held.length > 0) this.release();
    return result;
  }

  private release(): void {
    const pending = this.held.splice(0);
    for (const { topic, payload } of pending) this.deliver(topic, payload as EventPayload<typeof topic>);
  }

  private deliver<T extends EventTopic>(topic: T, payload: EventPayload<T>): void {
    for (const listener of this.listeners) {
      try {
        listener(topic, payload);
      } catch (error) {
        // One faulty subscriber (a closed socket, a UI bug) must not stop the engine or other subscribers.
        this.log.error(`[bus] listener failed on ${topic}`, error);
      }
    }
  }
}

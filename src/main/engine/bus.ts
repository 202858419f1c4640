/**
 * The engine's message bus: contract events, published synchronously in
 * order. Transports subscribe to everything and decide what to coalesce.
 *
 * The bus is also the engine's outbox: while a journal transaction is open
 * (`atomically`), events wait; they go out when the outermost transaction
 * commits and are dropped if it rolls back, so no subscriber ever sees a
 * change that is later undone. A nested transaction that fails drops only
 * its own events.
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

  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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

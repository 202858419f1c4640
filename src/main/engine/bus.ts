/**
 * The engine's message bus: contract events, published synchronously in
 * order. Transports subscribe to everything and decide what to coalesce.
 */
import type { EventPayload, EventTopic } from '../../shared/contract';

export type BusListener = <T extends EventTopic>(topic: T, payload: EventPayload<T>) => void;

export class EventBus {
  private readonly listeners = new Set<BusListener>();

  publish<T extends EventTopic>(topic: T, payload: EventPayload<T>): void {
    for (const listener of this.listeners) {
      try {
        listener(topic, payload);
      } catch (error) {
        // One faulty subscriber (a closed socket, a UI bug) must not stop the engine or other subscribers.
        console.error(`[bus] listener failed on ${topic}:`, error);
      }
    }
  }

  subscribe(listener: BusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

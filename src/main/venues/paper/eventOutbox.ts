/**
 * Where the paper venue's events wait until the command that produced them
 * has finished, then go out in the order they were produced. A listener that
 * reacts by calling the venue again gets a consistent venue, and the events
 * of its command are appended behind the ones being delivered rather than
 * overtaking them. A throwing listener is reported, never allowed to stop
 * delivery to the others.
 */
import type { ExecutionEvent, MarketEvent } from '../../engine/venue';

type Queued = { exec: ExecutionEvent; market?: undefined } | { exec?: undefined; market: MarketEvent };

export class EventOutbox {
  private readonly execListeners = new Set<(event: ExecutionEvent) => void>();
  private readonly marketListeners = new Set<(event: MarketEvent) => void>();
  private queue: Queued[] = [];
  private delivering = false;

  constructor(private readonly onError: (error: unknown) => void) {}

  onExecution(listener: (event: ExecutionEvent) => void): () => void {
    this.execListeners.add(listener);
    return () => this.execListeners.delete(listener);
  }

  onMarket(listener: (event: MarketEvent) => void): () => void {
    this.marketListeners.add(listener);
    return () => this.marketListeners.delete(listener);
  }

  /** False when nobody listens to market data, so it need not be built. */
  get wantsMarket(): boolean {
    return this.marketListeners.size > 0;
  }

  execution(event: ExecutionEvent): void {
    this.queue.push({ exec: event });
  }

  market(event: MarketEvent): void {
    this.queue.push({ market: event });
  }

  /** Delivers everything queued, including what listeners queue meanwhile. */
  deliver(): void {
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let i = 0; i < this.queue.length; i++) {
        const item = this.queue[i]!;
        if (item.exec) {
          for (const listener of this.execListeners) this.call(listener, item.exec);
        } else {
          for (const listener of this.marketListeners) this.call(listener, item.market);
        }
      }
    } finally {
      this.queue = [];
      this.delivering = false;
    }
  }

  private call<E>(listener: (event: E) => void, event: E): void {
    try {
      listener(event);
    } catch (error) {
      this.onError(error);
    }
  }
}

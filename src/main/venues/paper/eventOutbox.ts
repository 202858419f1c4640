/**
 * Where the paper venue's events wait until the command that produced them
 * has finished, then go out in the order they were produced. Execution
 * reports and market data are two streams, like a real exchange's private
 * and public feeds: each keeps its own order, and the execution reports of a
 * command go out before its market data.
 *
 * Execution reports are delivered inside the store transaction that records
 * the changes they report (the unit of work calls `deliverExecutions` from
 * within it), so a listener that journals them synchronously commits
 * together with the venue. Market data goes out after the commit.
 *
 * A listener that reacts by calling the venue again gets a consistent venue,
 * and the events of its command are appended behind the ones being delivered
 * rather than overtaking them (still inside the same transaction, when called
 * from an execution listener). A throwing listener is reported, never allowed
 * to stop delivery to the others or to abort the transaction.
 */
import type { ExecutionEvent, MarketEvent } from '../../engine/ports/venue';

export class EventOutbox {
  private readonly execListeners = new Set<(event: ExecutionEvent) => void>();
  private readonly marketListeners = new Set<(event: MarketEvent) => void>();
  private readonly executions: ExecutionEvent[] = [];
  private readonly marketEvents: MarketEvent[] = [];
  private deliveringExecutions = false;
  private deliveringMarket = false;

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

  /** True while execution reports wait for delivery. */
  get hasExecutions(): boolean {
    return this.executions.length > 0;
  }

  execution(event: ExecutionEvent): void {
    this.executions.push(event);
  }

  market(event: MarketEvent): void {
    this.marketEvents.push(event);
  }

  /**
   * Delivers every queued execution report, including those listeners queue
   * meanwhile. Call it inside the transaction that recorded them; a nested
   * call (a listener's own command) leaves its reports to the delivery under
   * way, which is inside the same transaction.
   */
  deliverExecutions(): void {
    if (this.deliveringExecutions) return;
    this.deliveringExecutions = true;
    try {
      const queue = this.executions;
      for (let i = 0; i < queue.length; i++) {
        const event = queue[i]!;
        for (const listener of this.execListeners) this.call(listener, event);
      }
    } finally {
      this.executions.length = 0;
      this.deliveringExecutions = false;
    }
  }

  /**
   * Delivers every queued market event, including those listeners queue
   * meanwhile. Waits while execution reports are being delivered: the
   * outermost command delivers market data once its transaction is over.
   */
  deliverMarket(): void {
    if (this.deliveringMarket || this.deliveringExecutions) return;
    this.deliveringMarket = true;
    try {
      const queue = this.marketEvents;
      for (let i = 0; i < queue.length; i++) {
        const event = queue[i]!;
        for (const listener of this.marketListeners) this.call(listener, event);
      }
    } finally {
      this.marketEvents.length = 0;
      this.deliveringMarket = false;
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

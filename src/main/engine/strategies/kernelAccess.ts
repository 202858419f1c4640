/**
 * What a strategy instance needs from the kernel, and nothing more: order
 * submission and cancels stamped with its id, its own orders, the account,
 * the instrument and the price, the clock, the activity feed. The runtime
 * builds it over the engine; the same code serves live and backtests.
 */
import type { AccountSummary, Fill, Instrument, Order } from '../../../shared/domain';
import type { PlaceOrderParams } from '../../../shared/contract';
import type { SubmitOutcome } from '../engine';
import type { Clock } from '../ports/clock';

export interface StrategyKernel {
  readonly clock: Clock;
  /**
   * Sends an order through the engine's command queue, like every command.
   * `stillWanted` is asked when its turn comes: a strategy stopped while the
   * order waited in the queue sends nothing.
   */
  submit(params: PlaceOrderParams, strategyId: string, stillWanted?: () => boolean): Promise<SubmitOutcome>;
  /** Through the command queue. */
  cancel(orderId: string): Promise<void>;
  /** Through the command queue: asks the venue to cancel every open order of this strategy; answers how many were asked. */
  cancelAllOf(strategyId: string): Promise<number>;
  openOrdersOf(strategyId: string): Order[];
  order(orderId: string): Order | undefined;
  /** Resolves when the order is done (filled, canceled, rejected, expired), or after `timeoutMs` of engine time with its state then. */
  settled(orderId: string, timeoutMs: number): Promise<Order | undefined>;
  instrument(venue: string, symbol: string): Instrument;
  /** Bid, ask and last as numbers; NaN where the market has none. */
  quote(venue: string, symbol: string): { bid: number; ask: number; last: number };
  account(venue: string): AccountSummary;
  /** The venue's costs a sizing rule must count: taker fee rate, any entry spread, and the share of margin all-in sizing keeps back. */
  costs(venue: string, symbol: string): { feeRate: number; entrySpread: number; reserve: number };
  record(level: 'info' | 'warning' | 'error', message: string, data?: unknown): void;
}

/** What the runtime routes to an instance: its own fills and order changes. */
export interface OwnEvent {
  order?: Order;
  fill?: Fill;
}

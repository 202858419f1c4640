/**
 * What a strategy does when something happens to it. Every handler is
 * optional; each runs inside the instance's guard (a throw or an overrun puts
 * the instance in `error` with the reason, and nothing else is touched).
 */
import type { Bar, Fill, Order } from '../../../shared/domain';

export type Awaitable = void | Promise<void>;

/** The strategy's own position: what its own fills add up to (other traders on the same symbol are not in it). */
export interface OwnPosition {
  /** Signed quantity: + long, − short, 0 flat. */
  quantity: number;
  /** Average entry price of what is open; null when flat. */
  entryPrice: number | null;
  /** At the current price, before exit fees. */
  unrealizedPnl: number;
}

export interface StrategyHandlers {
  /** Once, after the warm-up history is fed and before the first live bar. */
  onStart?(): Awaitable;
  /** Each closed bar of its stream after the warm-up. The bar is the newest closed one; nothing later exists for it. */
  onBar?(bar: Bar): Awaitable;
  /** Each change of one of its own orders (accepted, triggered, filled, canceled, rejected, expired). */
  onOrder?(order: Order): Awaitable;
  /** Each fill of one of its own orders, once. */
  onFill?(fill: Fill): Awaitable;
  /** Its own position changed (after a fill). */
  onPosition?(position: OwnPosition): Awaitable;
  /** A timer it set with `ctx.setTimer` fired. */
  onTimer?(name: string): Awaitable;
  /** Once, when it stops (by the trader, a limit or the emergency stop); it can no longer place orders. */
  onStop?(): Awaitable;
}

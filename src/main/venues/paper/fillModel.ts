/**
 * How and when orders meet the market at the paper exchange: the fill
 * model. The exchange core owns order intake, order state, the account and
 * the reports; a fill model decides, for an order just accepted (or a stop
 * just triggered) and for every change of the market, what fills, at what
 * price, with what liquidity role and fee. It acts only through the
 * exchange's `FillContext`, so every fill, cancel and expiry goes through the
 * same bookkeeping whatever the model.
 *
 * Two models: `BookWalkFillModel` (the default: takers walk the market's
 * book, resting orders fill as the book and its trades go through them) and
 * `NextBarOpenFillModel` (for bar-driven markets: everything is worked on the
 * next bar, market orders at its open).
 */
import type { Dec } from '../../../shared/decimal';
import { isConditionalType, type Instrument } from '../../../shared/domain';
import type { ExchangeAccount } from './exchangeAccount';
import type { InstrumentMath } from './instruments';
import type { MatchingBook } from './matchingEngine';
import type { InstrumentMarket, MarketUpdate } from './marketSource';
import type { PaperOrder, PaperOrderStatus } from './paperOrder';

export type LiquidityRole = 'maker' | 'taker';

/** One instrument as the exchange trades it. */
export interface TradedInstrument {
  readonly instrument: Instrument;
  readonly math: InstrumentMath;
  /** The market its orders meet. */
  readonly market: InstrumentMarket;
  /** The user's resting limit orders and armed stops on it. */
  readonly orders: MatchingBook<PaperOrder>;
  /** Its open reduce-only orders, re-checked when the position closes or flips. */
  readonly reduceOnly: Set<PaperOrder>;
  /** Its trailing stops that trail (see `paperTrailing`). */
  readonly trailing: Set<PaperOrder>;
  /** The exact mark, cached until the market moves. */
  mark: Dec | null;
  /** Tick size as a float (mark estimates). */
  readonly tickSize: number;
}

/** What a fill model may do at the exchange. Every method keeps orders, account, store and events in step. */
export interface FillContext {
  readonly account: ExchangeAccount;
  /**
   * Lots of `order` that may fill now: what remains, clipped to the position
   * for reduce-only orders, and, given a price, to what the account can
   * settle at it (cash accounts).
   */
  fillableLots(order: PaperOrder, atTicks?: number, liquidity?: LiquidityRole): number;
  /** Books one fill of `order` (account, fee, fill report, event). The order stays open: end it with `finish` or one of the helpers. */
  fill(traded: TradedInstrument, order: PaperOrder, ticks: number, lots: number, liquidity: LiquidityRole, now: number): void;
  /** Puts a limit order on the book to wait, holding funds for it at its price. */
  rest(traded: TradedInstrument, order: PaperOrder): void;
  /** Arms a stop order, holding funds for it at its stop (stop-market) or limit (stop-limit) price. */
  arm(traded: TradedInstrument, order: PaperOrder): void;
  /** Holds funds for an order that waits off the book (a market order waiting for the next bar) at `ticks`. */
  hold(order: PaperOrder, ticks: number): void;
  /**
   * Triggers an armed stop: off the book, funds released, OrderTriggered.
   * Returns false when it was reduce-only and nothing is left to reduce (it
   * is then canceled); otherwise the caller executes it.
   */
  trigger(traded: TradedInstrument, order: PaperOrder, now: number): boolean;
  /** Ends an order (filled, canceled, expired), releasing what it held; `event` reports it. */
  finish(order: PaperOrder, status: PaperOrderStatus, now: number, reason?: string, event?: 'OrderCanceled' | 'OrderExpired'): void;
  /** Ends a market, IOC or FOK order after it took what it could: filled, canceled (reduce-only with nothing left), or expired with `reason`. */
  completeImmediate(order: PaperOrder, now: number, reason: string): void;
  /** After a maker fill: a filled order leaves the book; a partly filled one holds funds for what is left. */
  afterMakerFill(order: PaperOrder, now: number): void;
  /** Open orders of `symbol` in the order the exchange accepted them (a copy: orders may end while it is walked). */
  openOrders(symbol: string): PaperOrder[];
}

export interface FillModel {
  /** Fee per tick × lot (Dec units) of a fill on `math`'s instrument with this liquidity role. */
  feeK(math: InstrumentMath, liquidity: LiquidityRole): bigint;
  /**
   * An order the exchange just accepted, or a stop just triggered (it then
   * executes as its market or limit part): fill it, rest it, arm it, or hold
   * it for later.
   */
  execute(order: PaperOrder, traded: TradedInstrument, context: FillContext, now: number): void;
  /** The instrument's market changed: fill or trigger what it reached. */
  marketChanged(update: MarketUpdate, traded: TradedInstrument, context: FillContext, now: number): void;
}

/** Why the rest of a reduce-only order is canceled when its position is gone. */
export const NOTHING_LEFT_TO_REDUCE = 'reduce-only: no position left to reduce, remainder canceled';

/** Orders that wait for a trigger: stops, take-profits and trailing stops. */
export function isStop(order: PaperOrder): boolean {
  return isConditionalType(order.type);
}

/** Conditional orders that work as market orders once triggered (the others as limits at their price). */
export function marketOnTrigger(order: PaperOrder): boolean {
  return order.type === 'stop' || order.type === 'take_profit' || order.type === 'trailing_stop';
}

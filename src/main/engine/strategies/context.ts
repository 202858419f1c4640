/**
 * What a strategy sees and may do: its bars and indicators, its own position
 * and orders, the account's margin, order submission stamped with its id,
 * sizing helpers, persisted state, a logger into the activity feed, and the
 * clock. The same context serves live trading and backtests; a strategy
 * cannot tell which it runs in.
 */
import type { RegimeLabelName } from '../../../shared/contract/ml';
import type { Bar, Instrument, Order, OrderSide, TimeInForce } from '../../../shared/domain';
import type { OwnPosition } from './handlers';
import type { Indicators } from './indicators';
import type { ModelScore } from './modelScoring';

/** How big an order is: a quantity, or a rule resolved when the order is sent. */
export type Sizing =
  /** A quantity in base units. */
  | { quantity: number | string }
  /** Worth this much in the quote currency at the current price. */
  | { value: number }
  /** Worth this share (0.1 = 10 %) of the account's equity, times the leverage. */
  | { equityFraction: number }
  /** Everything the available margin buys at the entry price after costs; with `share` (0 < share ≤ 1), that share of it. */
  | { allIn: true; share?: number }
  /** Loses `riskFraction` of equity if the price moves `stopDistance` against it. */
  | { riskFraction: number; stopDistance: number };

export interface OrderIntent {
  side: OrderSide;
  /** Default `market`. */
  type?: 'market' | 'limit' | 'stop' | 'stop_limit';
  size: Sizing;
  price?: number;
  stopPrice?: number;
  timeInForce?: TimeInForce;
  postOnly?: boolean;
  reduceOnly?: boolean;
  /** Why: becomes the strategy's last signal and goes into its log. */
  reason?: string;
  /** The model signal that caused it (`ModelScore.signalId`): the order is linked to it once it exists. */
  signalId?: string;
}

/** Models scored for the strategy (declared through a `model` parameter). */
export interface StrategyModels {
  /**
   * The newest closed bar scored by the model `model` names (a `model`
   * parameter's value); the signal is recorded as it is scored. Null when
   * no score can be given now, with the reason in the strategy's log (no
   * usable version, model expired, features still warming up, the scoring
   * failed or timed out): no decision should come from that bar.
   */
  score(model: string): Promise<ModelScore | null>;
  /** Records whether the strategy acted on the signal, and why not ("confidence 0.62 below 0.75"). */
  decide(signalId: string, acted: boolean, note: string): void;
}

export interface StrategyLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Small JSON values kept with the instance across restarts. */
export interface StrategyState {
  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export interface Quote {
  bid: number;
  ask: number;
  last: number;
}

export interface StrategyContext {
  readonly id: string;
  readonly venue: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly clock: { now(): number };
  readonly log: StrategyLog;
  readonly state: StrategyState;
  /** Indicators bound to the bar stream: created in `create`, updated before each handler sees a bar. */
  readonly indicators: Indicators;
  /** Model scoring, for a strategy with a `model` parameter (any other gets an error for asking). */
  readonly models: StrategyModels;
  /**
   * The market regime at the newest closed bar (trending up or down,
   * ranging, volatile); null while the classifier warms up. For a strategy
   * that declares `usesRegime` or a `model` parameter.
   */
  regime(): RegimeLabelName | null;
  /** Closed bars, oldest first, the newest last: at most `count` (default all kept, up to 5,000). */
  bars(count?: number): readonly Bar[];
  instrument(): Instrument;
  /** The price now: what a market order would meet. */
  quote(): Quote;
  position(): OwnPosition;
  /** Its own orders that are still working. */
  openOrders(): Order[];
  /** Margin the account has free for new positions, in the quote currency. */
  availableMargin(): number;
  equity(): number;
  /**
   * Sends an order stamped with this strategy's id, through the same risk
   * checks as a person's plus the strategy's own limits. A market order is
   * awaited until it is done (filled, or ended), so the account already
   * shows it when this returns. Answers null, with the reason in its log,
   * when Keel or the venue refused it or the size came to zero.
   */
  submit(intent: OrderIntent): Promise<Order | null>;
  buy(size: Sizing, reason?: string): Promise<Order | null>;
  sell(size: Sizing, reason?: string): Promise<Order | null>;
  cancel(orderId: string): Promise<void>;
  /** Cancels its own open orders (nobody else's); answers how many were asked to cancel. */
  cancelAll(): Promise<number>;
  /** Closes its own position with a reduce-only market order; null when flat. */
  closePosition(reason?: string): Promise<Order | null>;
  /** Sizes in base units, rounded down to the instrument's lot (0 when it does not reach one lot). */
  readonly size: SizingHelpers;
  /** Records a decision as its last signal (shown in the Strategies panel). */
  signal(text: string): void;
  /** Calls `onTimer(name)` every `everyMs` of engine time until cleared or stopped. */
  setTimer(name: string, everyMs: number): void;
  clearTimer(name: string): void;
}

export interface SizingHelpers {
  fixed(quantity: number): number;
  value(quoteValue: number, side: OrderSide): number;
  equityFraction(fraction: number, side: OrderSide): number;
  allIn(side: OrderSide): number;
  risk(riskFraction: number, stopDistance: number): number;
}

/**
 * The port every venue sits behind: the paper venue today, ccxt exchanges
 * next. Commands go in (submit, cancel, cancel all); execution reports come
 * out as past-tense events; reports of orders, fills, positions and balances
 * serve start-up reconciliation. Raw venue payloads never leave the adapter.
 */
import type { Bar } from '../../core/candles';
import type { VenueStats } from './venueStats';
import type { Balance, Instrument, MarginMode, OrderBook, OrderSide, OrderType, Ticker, TimeInForce, Timeframe, Trailing } from '../../../shared/domain';

export type VenueConnectivity = 'connected' | 'degraded' | 'disconnected';

export interface SubmitOrder {
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  /** Decimal strings, already validated against the instrument's precision. */
  quantity: string;
  price: string | null;
  stopPrice: string | null;
  timeInForce: TimeInForce;
  postOnly: boolean;
  reduceOnly: boolean;
  /** A trailing stop's trail (type `trailing_stop`). */
  trailing?: Trailing | null;
  /**
   * A bracket's take-profit and stop-loss, for a venue that holds them
   * itself (`features.brackets`): accepted with this order, reduce-only on
   * the other side, working only as this order fills and sized to its fills.
   */
  attached?: AttachedSubmit[];
  /** The other leg of an OCO pair, for a venue that holds OCO pairs itself (`features.oco`). */
  oco?: SubmitOrder;
}

/** A take-profit or stop-loss sent with its entry. */
export interface AttachedSubmit {
  clientOrderId: string;
  role: 'tp' | 'sl';
  type: OrderType;
  price: string | null;
  stopPrice: string | null;
  trailing: Trailing | null;
}

/**
 * New terms for a working order (null: unchanged), with what the order is
 * now: some venues want every field of the order again.
 */
export interface AmendOrder {
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  quantity: string | null;
  price: string | null;
  stopPrice: string | null;
  current: { quantity: string; price: string | null; stopPrice: string | null };
}

/** What a venue can do with orders beyond placing and cancelling plain ones. Absent: none of it. */
export interface VenueOrderFeatures {
  /** Order types it takes. */
  types: readonly OrderType[];
  /** Whether it changes this order's terms in place (the order keeps its id); otherwise Keel cancels and replaces it. */
  amendsInPlace(order: { type: OrderType; reduceOnly: boolean; role?: string | null | undefined }, change: { quantity: boolean; price: boolean; stopPrice: boolean }): boolean;
  /** Holds a bracket's children and works them as the entry fills; otherwise Keel places them when it fills. */
  brackets: boolean;
  /** Holds OCO pairs; otherwise Keel places both legs and cancels the other when one triggers or completes. */
  oco: boolean;
  /** The trails it can hold a trailing stop by. */
  trailing: { distance: boolean; percent: boolean };
}

export interface CancelOrder {
  clientOrderId: string;
  symbol: string;
}

/** Execution reports, in the order the venue produced them. */
export type ExecutionEvent =
  | { type: 'OrderAccepted'; clientOrderId: string; venueOrderId: string; timestamp: number }
  | { type: 'OrderRejected'; clientOrderId: string; reason: string; code: VenueRejectCode; timestamp: number }
  | { type: 'OrderTriggered'; clientOrderId: string; timestamp: number }
  | {
      type: 'OrderFilled';
      clientOrderId: string;
      venueOrderId: string;
      tradeId: string;
      side: OrderSide;
      symbol: string;
      quantity: string;
      price: string;
      fee: string;
      feeCurrency: string;
      liquidity: 'maker' | 'taker';
      timestamp: number;
      /** True when the venue made this fill itself, closing a position whose margin ran out: its order is the venue's, not Keel's. */
      liquidation?: boolean;
    }
  | { type: 'OrderCanceled'; clientOrderId: string; reason: string; timestamp: number }
  | { type: 'OrderCancelRejected'; clientOrderId: string; reason: string; timestamp: number }
  | { type: 'OrderExpired'; clientOrderId: string; reason: string; timestamp: number }
  /**
   * The order's terms now. `requested`: the answer to Keel's amend; otherwise
   * the venue changed them itself (`reason` says why: a take-profit sized to
   * its entry's fills, an OCO leg reduced by the other's).
   */
  | {
      type: 'OrderAmended';
      clientOrderId: string;
      quantity: string;
      price: string | null;
      stopPrice: string | null;
      requested: boolean;
      reason: string | null;
      timestamp: number;
    }
  | { type: 'OrderAmendRejected'; clientOrderId: string; reason: string; timestamp: number }
  /** A trailing stop's trigger moved behind the price. */
  | { type: 'OrderTrailed'; clientOrderId: string; stopPrice: string; timestamp: number }
  /** Funding was settled on an open perpetual position: no order is involved, so it names none. */
  | ({ type: 'FundingSettled'; clientOrderId?: undefined } & VenueFundingReport);

/** A funding payment as the venue settled it; `fundingId` is its key, as a trade id is a fill's. */
export interface VenueFundingReport {
  fundingId: string;
  symbol: string;
  /** The interval's rate as a fraction; positive: longs pay shorts. Null where the venue's funding history does not state it (Binance, OKX). */
  rate: string | null;
  markPrice: string | null;
  /** Signed position it was charged on; null where the venue's history does not state it. */
  quantity: string | null;
  /** Received (positive) or paid (negative), in `currency`. */
  amount: string;
  currency: string;
  /** The funding time settled (on the venue's grid). */
  fundingTime: number;
  timestamp: number;
}

export type VenueRejectCode =
  | 'INSUFFICIENT_MARGIN'
  | 'MIN_NOTIONAL'
  | 'INVALID_PRECISION'
  | 'REDUCE_ONLY_REJECTED'
  | 'LEVERAGE_BRACKET_EXCEEDED'
  | 'POST_ONLY_REJECTED'
  | 'NO_LIQUIDITY'
  | 'DUPLICATE_CLIENT_ORDER_ID'
  | 'VENUE_REJECTED';

export interface VenueOrderReport {
  clientOrderId: string;
  venueOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  quantity: string;
  filledQuantity: string;
  price: string | null;
  stopPrice: string | null;
  status: 'open' | 'partially_filled' | 'filled' | 'canceled' | 'rejected' | 'expired';
  triggered: boolean;
  updatedAt: number;
}

/** A fill as the venue recorded it: the same facts as an OrderFilled event. */
export type VenueFillReport = Omit<Extract<ExecutionEvent, { type: 'OrderFilled' }>, 'type'>;

export interface VenuePositionReport {
  symbol: string;
  /** Signed: positive long, negative short. */
  quantity: string;
  entryPrice: string;
  leverage: number;
}

/**
 * What a venue says of a position's margin when Keel cannot work it out
 * itself (a real exchange, whose brackets Keel does not hold): its
 * liquidation price (null: none, or not stated) and its maintenance margin
 * at the mark the venue valued it at.
 */
export interface VenueMarginReport {
  liquidationPrice: string | null;
  maintenanceMargin: string | null;
  markPrice: string | null;
  /** When the venue said so. */
  timestamp: number;
}

export interface MarketTrade {
  symbol: string;
  price: string;
  quantity: string;
  side: OrderSide;
  timestamp: number;
}

export type MarketEvent = { type: 'ticker'; ticker: Ticker } | { type: 'trade'; trade: MarketTrade };

export interface VenuePort {
  readonly id: string;
  /** True for venues where no real money is at stake. */
  readonly paper: boolean;
  /**
   * How the venue's connection is, when it can tell: connected, degraded
   * (trading works, updates may be late: a stream fell back to polling), or
   * disconnected (nothing can be sent or heard). Optional: a venue that never
   * reports is taken to be connected while it answers.
   */
  onConnectivity?(listener: (state: VenueConnectivity, reason: string | null) => void): () => void;

  /**
   * How long after a send the venue may still act on it (a real exchange can
   * process a request it never answered, seconds later). Until then, "no
   * record of this order" is not an answer: the engine asks again. Absent or
   * 0: the venue's answer is final at once (the paper venue).
   */
  readonly unknownOutcomeDeadlineMs?: number;

  /** True when the venue reports every trade printed (`onMarket` trade events); absent: it reports none. */
  readonly streamsTrades?: boolean;

  start(): Promise<void>;
  stop(): Promise<void>;

  instruments(): Instrument[];
  candles(symbol: string, timeframe: Timeframe, limit: number): Promise<Bar[]>;
  ticker(symbol: string): Ticker;
  orderBook(symbol: string, depth: number): OrderBook;

  /**
   * Sends an order. Resolves once the venue has taken the request; the
   * outcome (accepted, rejected, fills) arrives as execution events, which
   * may be emitted before this promise resolves. Rejects only when the
   * request's fate is unknown (transport failure): the caller must then query
   * `orderReport` rather than send again.
   */
  submit(command: SubmitOrder): Promise<void>;
  cancel(command: CancelOrder): Promise<void>;
  /** Cancels every open order, optionally for one symbol; outcomes arrive as events. */
  cancelAll(symbol?: string): Promise<void>;
  /** Refused (a thrown error saying why) when the position open there cannot take it. */
  setLeverage(symbol: string, leverage: number): Promise<void>;
  /** Cross or isolated margin for a symbol, while it is flat. Absent: the venue's mode cannot be set through Keel. */
  setMarginMode?(symbol: string, mode: MarginMode): Promise<void>;

  /** What it can do with orders beyond plain ones (absent: nothing). */
  readonly orderFeatures?: VenueOrderFeatures;
  /**
   * Changes a working order's terms in place. Resolves once the venue has
   * answered; the outcome arrives as `OrderAmended` or `OrderAmendRejected`.
   * Rejects only when the outcome is unknown: the engine then asks the venue
   * about the order, never sends the amend again.
   */
  amend?(command: AmendOrder): Promise<void>;

  /**
   * The venue's own record of one order, or undefined when it has none.
   * The symbol comes along because many exchanges can only look an order up
   * within its market.
   */
  orderReport(clientOrderId: string, symbol: string): Promise<VenueOrderReport | undefined>;
  openOrderReports(): Promise<VenueOrderReport[]>;
  /** Fills at or after `sinceMs`, oldest first: how fills missed while away (or in a crash) are recovered. */
  fillReports(sinceMs: number): Promise<VenueFillReport[]>;
  /** Funding payments settled at or after `sinceMs`, oldest first: how payments missed while away are recovered. Absent: the venue does not report them. */
  fundingReports?(sinceMs: number): Promise<VenueFundingReport[]>;
  positionReports(): Promise<VenuePositionReport[]>;
  /**
   * The margin figures the venue last stated for an open position (kept
   * fresh by the venue itself), or undefined. Absent: the venue states none,
   * and Keel's books work them out from the instrument's brackets.
   */
  positionMargin?(symbol: string): VenueMarginReport | undefined;
  balanceReports(): Promise<Balance[]>;

  onExecution(listener: (event: ExecutionEvent) => void): () => void;
  onMarket(listener: (event: MarketEvent) => void): () => void;

  /** How its requests and feeds are faring, for the system monitor. Absent: the venue reports none. */
  stats?(): VenueStats;
}

/**
 * The port every venue sits behind: the paper venue today, ccxt exchanges
 * next. Commands go in (submit, cancel, cancel all); execution reports come
 * out as past-tense events; reports of orders, fills, positions and balances
 * serve start-up reconciliation. Raw venue payloads never leave the adapter.
 */
import type { Bar } from '../../core/candles';
import type { Balance, Instrument, OrderBook, OrderSide, OrderType, Ticker, TimeInForce, Timeframe } from '../../../shared/domain';

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
    }
  | { type: 'OrderCanceled'; clientOrderId: string; reason: string; timestamp: number }
  | { type: 'OrderCancelRejected'; clientOrderId: string; reason: string; timestamp: number }
  | { type: 'OrderExpired'; clientOrderId: string; reason: string; timestamp: number };

export type VenueRejectCode =
  | 'INSUFFICIENT_MARGIN'
  | 'MIN_NOTIONAL'
  | 'INVALID_PRECISION'
  | 'REDUCE_ONLY_REJECTED'
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
  setLeverage(symbol: string, leverage: number): Promise<void>;

  /**
   * The venue's own record of one order, or undefined when it has none.
   * The symbol comes along because many exchanges can only look an order up
   * within its market.
   */
  orderReport(clientOrderId: string, symbol: string): Promise<VenueOrderReport | undefined>;
  openOrderReports(): Promise<VenueOrderReport[]>;
  /** Fills at or after `sinceMs`, oldest first: how fills missed while away (or in a crash) are recovered. */
  fillReports(sinceMs: number): Promise<VenueFillReport[]>;
  positionReports(): Promise<VenuePositionReport[]>;
  balanceReports(): Promise<Balance[]>;

  onExecution(listener: (event: ExecutionEvent) => void): () => void;
  onMarket(listener: (event: MarketEvent) => void): () => void;
}

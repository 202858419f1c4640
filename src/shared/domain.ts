/**
 * Domain types that cross the contract, each defined once as a zod schema so
 * the host can validate and the renderer can trust the same shape. Prices,
 * quantities and money are decimal strings; timestamps are epoch milliseconds;
 * symbols are ccxt unified symbols.
 */
import { z } from 'zod';
import { Dec } from './decimal';

/** The longest decimal text the contract accepts: more than any price, quantity or balance needs. */
export const MAX_DECIMAL_CHARS = 40;

const DECIMAL_HINT = 'must be a decimal number such as "0.5": digits and one optional dot, no plus sign, spaces, leading zeros or exponent';

/**
 * A decimal string such as "0.0015" or "-12.5": the one grammar of `Dec`, at
 * most 18 decimals and 40 characters. Each check aborts the chain, so
 * oversized text is refused before anything parses it.
 */
export const decimalString = z
  .string()
  .max(MAX_DECIMAL_CHARS, { abort: true, message: `must be at most ${MAX_DECIMAL_CHARS} characters` })
  .refine((s) => Dec.isValid(s), { message: DECIMAL_HINT, abort: true });

/** A decimal string that may not be negative (quantities, prices, balances). */
export const unsignedDecimalString = decimalString.refine((s) => !s.startsWith('-'), {
  message: 'must not be negative',
  abort: true,
});

export const positiveDecimalString = unsignedDecimalString.refine((s) => Dec.parse(s).isPositive(), {
  message: 'must be greater than zero',
});

/** Free text a person or program may send (reasons, labels): bounded. */
export const MAX_TEXT_CHARS = 200;

export const venueId = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{1,31}$/, 'must be a venue id such as "paper" or "binance"');
export const symbol = z
  .string()
  .regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}(?::[A-Z0-9]{1,20})?$/, 'must be a unified symbol such as "BTC/USDT:USDT"');
export const timestampMs = z.number().int().nonnegative();

export const ORDER_SIDES = ['buy', 'sell'] as const;
/**
 * `take_profit` and `take_profit_limit` trigger when the price reaches their
 * stop price from the other side than a stop's (a sell take-profit when it
 * rises to it); `trailing_stop` is a stop-market whose stop price the venue
 * moves behind the best price since it was placed (see `trailingSchema`).
 */
export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop_limit', 'take_profit', 'take_profit_limit', 'trailing_stop'] as const;
export const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK'] as const;
export const ORDER_STATUSES = [
  'pending_new',
  'open',
  'partially_filled',
  'pending_cancel',
  'filled',
  'canceled',
  'rejected',
  'expired',
] as const;
export const TERMINAL_ORDER_STATUSES = ['filled', 'canceled', 'rejected', 'expired'] as const;
export const TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;
/**
 * Who sent an order: a person at the desk, the automation API (JSON-RPC
 * clients other than the UI), a strategy, the emergency stop, nobody Keel
 * knows (found on the venue), or the venue itself closing a position whose
 * margin ran out (a liquidation).
 */
export const ORDER_SOURCES = ['manual', 'api', 'strategy', 'emergency', 'external', 'liquidation'] as const;
/** How a perpetual position is margined: from the whole account's balance (cross) or from margin set aside for it alone (isolated). */
export const MARGIN_MODES = ['cross', 'isolated'] as const;

export const orderSide = z.enum(ORDER_SIDES);
export const orderType = z.enum(ORDER_TYPES);
export const timeInForce = z.enum(TIME_IN_FORCE);
export const orderStatus = z.enum(ORDER_STATUSES);
export const timeframe = z.enum(TIMEFRAMES);
export const orderSource = z.enum(ORDER_SOURCES);

export type OrderSide = z.infer<typeof orderSide>;
export type OrderType = z.infer<typeof orderType>;
export type TimeInForce = z.infer<typeof timeInForce>;
export type OrderStatus = z.infer<typeof orderStatus>;
export type Timeframe = z.infer<typeof timeframe>;
export type OrderSourceKind = z.infer<typeof orderSource>;
export const marginMode = z.enum(MARGIN_MODES);
export type MarginMode = z.infer<typeof marginMode>;

export const TIMEFRAME_MS: Record<Timeframe, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};

export function isTerminalStatus(status: OrderStatus): boolean {
  return (TERMINAL_ORDER_STATUSES as readonly string[]).includes(status);
}

/**
 * One bracket of a perpetual's maintenance-margin table, as exchanges publish
 * them: a position whose notional (at the mark) is in [notionalFloor,
 * notionalCap) needs notional × maintenanceRate − maintenanceAmount of
 * margin, and may use at most maxLeverage. The amounts make the maintenance
 * margin continuous across brackets.
 */
export const marginTierSchema = z.object({
  notionalFloor: decimalString,
  notionalCap: decimalString,
  maintenanceRate: decimalString,
  maintenanceAmount: decimalString,
  maxLeverage: z.number().int().positive(),
});
export type MarginTier = z.infer<typeof marginTierSchema>;

/** Order types that carry a limit price. */
export function hasLimitPrice(type: OrderType): boolean {
  return type === 'limit' || type === 'stop_limit' || type === 'take_profit_limit';
}

/** Order types placed with a stop (trigger) price; a trailing stop's is set by the venue as it trails. */
export function hasStopPrice(type: OrderType): boolean {
  return type === 'stop' || type === 'stop_limit' || type === 'take_profit' || type === 'take_profit_limit';
}

/** Order types that wait for a trigger before they work. */
export function isConditionalType(type: OrderType): boolean {
  return hasStopPrice(type) || type === 'trailing_stop';
}

/**
 * Which way the price must move to trigger an order: a buy stop (or buy
 * trailing stop) and a sell take-profit trigger when it rises to the stop
 * price; a sell stop and a buy take-profit when it falls to it.
 */
export function triggerDirection(type: OrderType, side: OrderSide): 'rise' | 'fall' {
  const takeProfit = type === 'take_profit' || type === 'take_profit_limit';
  return (side === 'buy') !== takeProfit ? 'rise' : 'fall';
}

/**
 * How a trailing stop trails: a fixed price distance behind the best price
 * since it was placed, or a percentage of that price ("1.5" is 1.5 %).
 */
export const trailingSchema = z.union([
  z.object({ distance: positiveDecimalString }).strict(),
  z.object({ percent: positiveDecimalString.refine((s) => Dec.parse(s).lt(Dec.parse('100')), { message: 'must be below 100' }) }).strict(),
]);
export type Trailing = z.infer<typeof trailingSchema>;

/**
 * An order's place in a group: the `entry` of a bracket, its take-profit
 * (`tp`) or stop-loss (`sl`), or a leg of an OCO pair (`oco`). Within a
 * group the orders other than the entry are one-cancels-other.
 */
export const ORDER_ROLES = ['entry', 'tp', 'sl', 'oco'] as const;
export const orderRole = z.enum(ORDER_ROLES);
export type OrderRole = z.infer<typeof orderRole>;

/**
 * A take-profit or stop-loss an entry carries: what to place (reduce-only,
 * opposite side) when the entry fills, under the client order id chosen with
 * the entry. `orderId` is set once it exists as an order; `refused` says why
 * it could not be placed (it is never retried).
 */
export const attachedOrderSchema = z.object({
  role: z.enum(['tp', 'sl']),
  clientOrderId: z.string(),
  type: orderType,
  price: decimalString.nullable(),
  stopPrice: decimalString.nullable(),
  trailing: trailingSchema.nullable(),
  orderId: z.string().nullable(),
  refused: z.string().nullable(),
});
export type AttachedOrder = z.infer<typeof attachedOrderSchema>;

/**
 * An amend on its way to the venue: the terms asked for, and how. In place,
 * the venue keeps the order; as cancel-replace, the order is cancelled and
 * `replacement` (its client order id chosen before anything was sent) takes
 * its place. Kept on the order until the venue's answer is known, so a
 * restart finds it and settles it from the venue's report.
 */
export const amendInFlightSchema = z.object({
  mode: z.enum(['in_place', 'cancel_replace']),
  quantity: decimalString.nullable(),
  price: decimalString.nullable(),
  stopPrice: decimalString.nullable(),
  replacementClientOrderId: z.string().nullable(),
  requestedAt: timestampMs,
});
export type AmendInFlight = z.infer<typeof amendInFlightSchema>;

export const instrumentSchema = z.object({
  venue: venueId,
  symbol,
  base: z.string(),
  quote: z.string(),
  settle: z.string(),
  kind: z.enum(['spot', 'linear_perpetual']),
  tickSize: decimalString,
  lotSize: decimalString,
  minQuantity: decimalString,
  minNotional: decimalString,
  makerFee: decimalString,
  takerFee: decimalString,
  maxLeverage: z.number().int().positive(),
  defaultLeverage: z.number().int().positive(),
  /** Perpetuals: the maintenance-margin brackets, lowest first. Absent: the venue does not say, and Keel shows no liquidation price. */
  marginTiers: z.array(marginTierSchema).optional(),
  /** Perpetuals: the fee charged on the notional of a liquidation ("0.005"). */
  liquidationFeeRate: decimalString.optional(),
});
export type Instrument = z.infer<typeof instrumentSchema>;

export const orderSchema = z.object({
  id: z.string(),
  clientOrderId: z.string(),
  venueOrderId: z.string().nullable(),
  venue: venueId,
  symbol,
  side: orderSide,
  type: orderType,
  quantity: decimalString,
  price: decimalString.nullable(),
  stopPrice: decimalString.nullable(),
  timeInForce: timeInForce,
  postOnly: z.boolean(),
  reduceOnly: z.boolean(),
  status: orderStatus,
  filledQuantity: decimalString,
  averagePrice: decimalString.nullable(),
  triggered: z.boolean(),
  source: orderSource,
  sourceId: z.string().nullable(),
  createdAt: timestampMs,
  updatedAt: timestampMs,
  rejectReason: z.string().nullable(),
  /** A trailing stop's trail; its `stopPrice` is where the venue last put the trigger. */
  trailing: trailingSchema.nullable().optional(),
  /** Its place in a bracket or an OCO pair (absent: a plain order). */
  role: orderRole.nullable().optional(),
  /** A take-profit or stop-loss: its entry; the second leg of an OCO pair: the first. */
  parentId: z.string().nullable().optional(),
  /** The group it belongs to: the id of the bracket's entry or of the OCO pair's first leg. */
  groupId: z.string().nullable().optional(),
  /** An entry's take-profit and stop-loss, placed (reduce-only) as it fills. */
  attached: z.array(attachedOrderSchema).optional(),
  /** An OCO leg: the quantity the pair was placed for (what one leg fills comes off the other). */
  groupQuantity: decimalString.optional(),
  /** An amend by cancel-replace: the order this one replaced, and the one that replaced this. */
  replacesId: z.string().nullable().optional(),
  replacedById: z.string().nullable().optional(),
  /** An amend waiting for the venue's answer. */
  amending: amendInFlightSchema.nullable().optional(),
});
export type Order = z.infer<typeof orderSchema>;

/**
 * One entry of an order's history: what happened (Keel submitted it, the
 * venue accepted, filled, canceled it; a venue report set its status), what
 * Keel made of it (applied; ignored as a harmless duplicate or late report;
 * refused as impossible) and the status after it.
 */
export const ORDER_EVENT_TYPES = [
  'OrderSubmitted',
  'OrderAccepted',
  'OrderRejected',
  'OrderTriggered',
  'OrderFilled',
  'OrderCancelRequested',
  'OrderCanceled',
  'OrderExpired',
  'OrderCancelRejected',
  'OrderStatusReported',
  /** Keel asked the venue to change the order's price, stop price or quantity. */
  'OrderAmendRequested',
  /** The order's terms changed: by the amend asked for, or by the venue (a take-profit sized to its entry's fills). */
  'OrderAmended',
  /** The venue, or the race with a fill, left the order as it was. */
  'OrderAmendRejected',
] as const;
export const orderEventType = z.enum(ORDER_EVENT_TYPES);
export type OrderEventType = z.infer<typeof orderEventType>;

export const orderEventDetailSchema = z
  .object({
    /** Why it was ignored or refused, or the venue's reason. */
    reason: z.string(),
    /** The real-world race it came through (a fill during a cancel request, a late fill, ...). */
    edge: z.string(),
    venueOrderId: z.string(),
    tradeId: z.string(),
    quantity: decimalString,
    price: decimalString,
    fee: decimalString,
    liquidity: z.enum(['maker', 'taker']),
    /** For a status report: what the venue said. */
    reported: z.string(),
    /** An amend's stop price (its `price` and `quantity` are the fields above). */
    stopPrice: decimalString,
    /** How an amend was carried out. */
    mode: z.enum(['in_place', 'cancel_replace']),
    /** The order this event links to: a cancel-replace's replacement or the order it replaced, a take-profit's entry. */
    linkedOrderId: z.string(),
  })
  .partial();
export type OrderEventDetail = z.infer<typeof orderEventDetailSchema>;

export const orderEventSchema = z.object({
  id: z.number().int(),
  orderId: z.string(),
  timestamp: timestampMs,
  type: orderEventType,
  outcome: z.enum(['applied', 'ignored', 'anomaly']),
  /** The order's status after this event. */
  status: orderStatus,
  detail: orderEventDetailSchema,
});
export type OrderEvent = z.infer<typeof orderEventSchema>;

export const fillSchema = z.object({
  tradeId: z.string(),
  orderId: z.string(),
  clientOrderId: z.string(),
  venue: venueId,
  symbol,
  side: orderSide,
  quantity: decimalString,
  price: decimalString,
  fee: decimalString,
  feeCurrency: z.string(),
  liquidity: z.enum(['maker', 'taker']),
  realizedPnl: decimalString,
  timestamp: timestampMs,
  /** True when the venue made this fill closing the position in a liquidation. */
  liquidation: z.boolean().optional(),
});
export type Fill = z.infer<typeof fillSchema>;

export const positionSchema = z.object({
  venue: venueId,
  symbol,
  side: z.enum(['long', 'short']),
  quantity: decimalString,
  entryPrice: decimalString,
  markPrice: decimalString,
  notional: decimalString,
  unrealizedPnl: decimalString,
  /** PnL this position has realized, net of every fee paid and with the funding it paid or received (what a trader keeps). */
  realizedPnl: decimalString,
  /** The same before fees and funding. */
  realizedPnlGross: decimalString,
  feesPaid: decimalString,
  /** Funding this position received (positive) or paid (negative) since it opened. */
  funding: decimalString,
  leverage: z.number().int().positive(),
  marginMode: marginMode,
  /** Initial margin at the mark (|quantity| × mark / leverage). */
  margin: decimalString,
  /** Unrealized PnL as a percentage of the margin the position was opened with (entry notional / leverage). */
  roePercent: decimalString,
  /** The mark at which the position is liquidated, on the instrument's tick; null when it cannot be (no margin table, or more margin than the notional). */
  liquidationPrice: decimalString.nullable(),
  /** Maintenance margin / margin balance as a fraction (1 = liquidation), of the position (isolated) or of the cross account; null without a margin table. */
  marginRatio: decimalString.nullable(),
  updatedAt: timestampMs,
});
export type Position = z.infer<typeof positionSchema>;

export const balanceSchema = z.object({
  currency: z.string(),
  total: decimalString,
});
export type Balance = z.infer<typeof balanceSchema>;

export const accountSummarySchema = z.object({
  venue: venueId,
  currency: z.string(),
  balance: decimalString,
  equity: decimalString,
  unrealizedPnl: decimalString,
  /** Realized PnL since the account started (or was reset), net of fees and with funding. */
  realizedPnl: decimalString,
  /** The same before fees and funding; realizedPnlGross − feesPaid + funding = realizedPnl. */
  realizedPnlGross: decimalString,
  feesPaid: decimalString,
  /** Funding received (positive) or paid (negative) since the account started. */
  funding: decimalString,
  marginUsed: decimalString,
  orderMargin: decimalString,
  available: decimalString,
  balances: z.array(balanceSchema),
  /** Leverage in force per instrument (set by the trader, or the instrument's default). */
  leverage: z.record(z.string(), z.number().int().positive()),
  /** Margin mode per instrument (cross unless the trader chose isolated). */
  marginModes: z.record(z.string(), marginMode),
  updatedAt: timestampMs,
});
export type AccountSummary = z.infer<typeof accountSummarySchema>;

/**
 * A funding payment on a perpetual position, journaled as its own ledger
 * entry: the venue's id for it, the rate and mark it was settled at, the
 * signed position it applied to and the amount (positive: received).
 */
export const fundingEntrySchema = z.object({
  kind: z.literal('funding'),
  id: z.string(),
  venue: venueId,
  symbol,
  /** Funding rate of the interval as a fraction ("0.0001" is 0.01 %); positive: longs pay shorts. Null when the venue's funding history does not say. */
  rate: decimalString.nullable(),
  /** Null when the venue's funding history does not say. */
  markPrice: decimalString.nullable(),
  /** Signed position it was charged on (positive long); null when the venue's funding history does not say. */
  quantity: decimalString.nullable(),
  amount: decimalString,
  currency: z.string(),
  /** The funding time it settles (epoch ms, on the 8-hour grid). */
  fundingTime: timestampMs,
  timestamp: timestampMs,
});
export type FundingEntry = z.infer<typeof fundingEntrySchema>;

/** An entry of an account's ledger that is not a fill. Funding is the only kind today. */
export const ledgerEntrySchema = z.discriminatedUnion('kind', [fundingEntrySchema]);
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

/**
 * A bar as venues, the simulated market and the chart keep it: plain numbers,
 * cheap to fold trades into and to draw. Market data crosses the contract as
 * a `Candle` of exact decimal strings; a backtest dataset's bars, which are
 * floats from a file and only drawn, cross as they are (`datasets.bars`).
 */
export interface Bar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** A bar as the contract carries it: prices at the instrument's tick precision and volume in whole lots, as exact decimal strings. */
export const candleSchema = z.object({
  time: timestampMs,
  open: decimalString,
  high: decimalString,
  low: decimalString,
  close: decimalString,
  volume: decimalString,
});
export type Candle = z.infer<typeof candleSchema>;

export const tickerSchema = z.object({
  venue: venueId,
  symbol,
  bid: decimalString,
  ask: decimalString,
  last: decimalString,
  mark: decimalString,
  open24h: decimalString,
  high24h: decimalString,
  low24h: decimalString,
  change24h: decimalString,
  changePercent24h: z.number(),
  volume24h: decimalString,
  timestamp: timestampMs,
  /** Perpetuals: the index (spot) price the funding basis is measured against. */
  indexPrice: decimalString.optional(),
  /** Perpetuals: the funding rate the next settlement would charge now, as a fraction ("0.0001" is 0.01 %); positive: longs pay shorts. */
  fundingRate: decimalString.optional(),
  /** Perpetuals: when funding is next settled (epoch ms). */
  nextFundingTime: timestampMs.optional(),
});
export type Ticker = z.infer<typeof tickerSchema>;

export const bookLevelSchema = z.tuple([decimalString, decimalString]);
export const orderBookSchema = z.object({
  venue: venueId,
  symbol,
  bids: z.array(bookLevelSchema),
  asks: z.array(bookLevelSchema),
  timestamp: timestampMs,
});
export type OrderBook = z.infer<typeof orderBookSchema>;

export const activitySchema = z.object({
  id: z.number().int(),
  timestamp: timestampMs,
  level: z.enum(['info', 'warning', 'error']),
  category: z.enum(['order', 'fill', 'position', 'account', 'system', 'risk', 'anomaly', 'strategy']),
  message: z.string(),
  data: z.unknown().optional(),
});
export type Activity = z.infer<typeof activitySchema>;

export const venueStatusSchema = z.object({
  venue: venueId,
  state: z.enum(['connecting', 'reconciling', 'ready', 'blocked', 'disconnected']),
  reason: z.string().nullable(),
  paper: z.boolean(),
});
export type VenueStatus = z.infer<typeof venueStatusSchema>;

/** The contract's `market` domain: instruments, candles, tickers, books and the recent trades (time and sales). */
import { z } from 'zod';
import {
  candleSchema,
  instrumentSchema,
  orderBookSchema,
  orderSide,
  positiveDecimalString,
  symbol,
  tickerSchema,
  timeframe,
  timestampMs,
  venueId,
} from '../domain';
import { method, venueSymbol } from './common';

/** Trades kept per instrument for `market.trades`. */
export const MAX_RECENT_TRADES = 500;

/** One print on the venue's tape, as the engine heard it. */
export const marketTradeSchema = z.object({
  /** Order of arrival per instrument (1, 2, ...), restarting with the engine: a key for rows, not a venue trade id. */
  seq: z.number().int().positive(),
  price: positiveDecimalString,
  quantity: positiveDecimalString,
  /** The aggressor's side. */
  side: orderSide,
  timestamp: timestampMs,
});
export type MarketTradeView = z.infer<typeof marketTradeSchema>;

export const marketMethods = {
  'market.instruments': method('query', z.object({ venue: venueId.optional() }).strict(), z.array(instrumentSchema)),
  'market.candles': method(
    'query',
    z
      .object({ venue: venueId, symbol, timeframe, limit: z.number().int().min(1).max(5000).optional() })
      .strict(),
    z.array(candleSchema),
  ),
  'market.ticker': method('query', venueSymbol, tickerSchema),
  'market.tickers': method('query', z.object({ venue: venueId.optional() }).strict(), z.array(tickerSchema)),
  'market.orderBook': method(
    'query',
    z.object({ venue: venueId, symbol, depth: z.number().int().min(1).max(100).optional() }).strict(),
    orderBookSchema,
  ),
  'market.trades': method(
    'query',
    z.object({ venue: venueId, symbol, limit: z.number().int().min(1).max(MAX_RECENT_TRADES).optional() }).strict(),
    z.object({
      /** Newest first. */
      trades: z.array(marketTradeSchema),
      /** False when the venue sends Keel no trade stream: the list then stays empty. */
      streamed: z.boolean(),
    }),
  ),
} as const;

/** A 1-minute candle update: the whole current bar, so the latest value alone is enough. */
export const candleEventSchema = z.object({ venue: venueId, symbol, timeframe: z.literal('1m'), candle: candleSchema });

export const marketEvents = {
  'market.tick': tickerSchema,
  'market.candle': candleEventSchema,
} as const;

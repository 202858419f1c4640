/** The contract's `market` domain: instruments, candles, tickers and books. */
import { z } from 'zod';
import { candleSchema, instrumentSchema, orderBookSchema, symbol, tickerSchema, timeframe, venueId } from '../domain';
import { method, venueSymbol } from './common';

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
} as const;

/** A 1-minute candle update: the whole current bar, so the latest value alone is enough. */
export const candleEventSchema = z.object({ venue: venueId, symbol, timeframe: z.literal('1m'), candle: candleSchema });

export const marketEvents = {
  'market.tick': tickerSchema,
  'market.candle': candleEventSchema,
} as const;

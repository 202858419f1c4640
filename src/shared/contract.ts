/**
 * The contract: the one typed list of methods and events through which the
 * renderer (over Electron IPC or the headless WebSocket) talks to the engine.
 * Every method has a zod schema for its params and its result; the host
 * validates params on every call because the renderer is untrusted.
 *
 * `kind: 'command'` methods change engine state and run one at a time;
 * `kind: 'query'` methods may run concurrently.
 */
import { z } from 'zod';
import {
  accountSummarySchema,
  activitySchema,
  candleSchema,
  fillSchema,
  instrumentSchema,
  orderBookSchema,
  orderSchema,
  orderSide,
  orderType,
  positionSchema,
  MAX_TEXT_CHARS,
  positiveDecimalString,
  symbol,
  tickerSchema,
  timeInForce,
  timeframe,
  venueId,
  venueStatusSchema,
} from './domain';
import {
  emergencyReportSchema,
  hotkeyStatusSchema,
  orderDeniedSchema,
  riskConfigSchema,
  riskProfileSchema,
  riskStateSchema,
  riskStatusSchema,
  riskUsageSchema,
  settingsSchema,
} from './risk';

const empty = z.object({}).strict();
const ok = z.object({ ok: z.literal(true) });

/** Every page of a list answers at most this many rows; `nextCursor` fetches the next. */
export const MAX_PAGE_ROWS = 10_000;

/**
 * An opaque position in a list, returned as `nextCursor` and handed back to
 * continue after it. Keel makes them; clients only pass them on.
 */
export const cursorSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a cursor returned by an earlier page');

export const orderIdSchema = z.string().min(1).max(64);

export const clientOrderIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,36}$/, 'must be 1-36 letters, digits, "-" or "_"');

export const placeOrderParams = z
  .object({
    venue: venueId,
    symbol,
    side: orderSide,
    type: orderType,
    quantity: positiveDecimalString,
    price: positiveDecimalString.optional(),
    stopPrice: positiveDecimalString.optional(),
    timeInForce: timeInForce.optional(),
    postOnly: z.boolean().optional(),
    reduceOnly: z.boolean().optional(),
    clientOrderId: clientOrderIdSchema.optional(),
    /** The trader's explicit override of the fat-finger price band for this one order. */
    overridePriceBand: z.boolean().optional(),
    /**
     * The trader's explicit confirmation that a stop whose trigger is already
     * crossed (a buy stop at or below the last price, a sell stop at or above
     * it) should trigger at once. Without it such a stop is refused.
     */
    triggerNow: z.boolean().optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    const needsPrice = p.type === 'limit' || p.type === 'stop_limit';
    const needsStop = p.type === 'stop' || p.type === 'stop_limit';
    if (needsPrice && p.price === undefined) {
      ctx.addIssue({ code: 'custom', path: ['price'], message: `a ${p.type} order needs a limit price` });
    }
    if (!needsPrice && p.price !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['price'], message: `a ${p.type} order takes no limit price` });
    }
    if (needsStop && p.stopPrice === undefined) {
      ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: `a ${p.type} order needs a stop price` });
    }
    if (!needsStop && p.stopPrice !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: `a ${p.type} order takes no stop price` });
    }
    if (p.postOnly && p.type !== 'limit') {
      ctx.addIssue({ code: 'custom', path: ['postOnly'], message: 'post-only applies to limit orders only' });
    }
    if (p.postOnly && p.timeInForce !== undefined && p.timeInForce !== 'GTC') {
      ctx.addIssue({ code: 'custom', path: ['postOnly'], message: 'post-only orders must be GTC' });
    }
    if (p.triggerNow && !needsStop) {
      ctx.addIssue({ code: 'custom', path: ['triggerNow'], message: 'trigger-now applies to stop and stop-limit orders only' });
    }
  });
export type PlaceOrderParams = z.infer<typeof placeOrderParams>;

const venueSymbol = z.object({ venue: venueId, symbol }).strict();

/**
 * How the host schedules a method: queries run at once; commands run one at a
 * time in arrival order; urgent commands (the emergency stop, escalating the
 * trading state) run at once, ahead of queued commands, because they only
 * ever stop trading and must not wait behind a slow venue.
 */
export type MethodKind = 'command' | 'query' | 'urgent';

function method<P extends z.ZodType, R extends z.ZodType>(kind: MethodKind, params: P, result: R) {
  return { kind, params, result };
}

/** More than there are topics, so a client may list each; far fewer than a hostile list. */
export const MAX_SUBSCRIBE_TOPICS = 64;

export const methods = {
  'system.info': method(
    'query',
    empty,
    z.object({
      name: z.literal('Keel'),
      version: z.string(),
      mode: z.enum(['desktop', 'headless']),
      dataDir: z.string(),
      startedAt: z.number(),
      venues: z.array(venueStatusSchema),
    }),
  ),
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
  'orders.place': method('command', placeOrderParams, orderSchema),
  /** One order by Keel's id or by the client order id it was placed with (a client that lost an acknowledgement finds its order here). */
  'orders.get': method(
    'query',
    z.union([z.object({ orderId: orderIdSchema }).strict(), z.object({ clientOrderId: clientOrderIdSchema }).strict()]),
    orderSchema,
  ),
  'orders.cancel': method('command', z.object({ orderId: orderIdSchema }).strict(), orderSchema),
  'orders.cancelAll': method(
    'command',
    z.object({ venue: venueId.optional(), symbol: symbol.optional() }).strict(),
    z.object({ canceled: z.array(orderSchema), failed: z.array(z.object({ orderId: z.string(), reason: z.string() })) }),
  ),
  /** Orders, newest first, a page at a time: pass `nextCursor` back as `cursor` for the next page (null: there is none). */
  'orders.list': method(
    'query',
    z
      .object({
        status: z.enum(['open', 'all']).optional(),
        limit: z.number().int().min(1).max(MAX_PAGE_ROWS).optional(),
        cursor: cursorSchema.optional(),
      })
      .strict(),
    z.object({ orders: z.array(orderSchema), nextCursor: cursorSchema.nullable() }),
  ),
  /** Fills, newest first, paged like `orders.list`. */
  'fills.list': method(
    'query',
    z.object({ limit: z.number().int().min(1).max(MAX_PAGE_ROWS).optional(), cursor: cursorSchema.optional() }).strict(),
    z.object({ fills: z.array(fillSchema), nextCursor: cursorSchema.nullable() }),
  ),
  'positions.list': method('query', empty, z.array(positionSchema)),
  'positions.close': method('command', venueSymbol, orderSchema),
  /** "Flatten all": a reduce-only market order for every open position (on one venue, or all). Allowed to a person while HALTED. */
  'positions.closeAll': method(
    'command',
    z.object({ venue: venueId.optional() }).strict(),
    z.object({ orders: z.array(orderSchema), failed: z.array(z.object({ venue: venueId, symbol, reason: z.string() })) }),
  ),
  'account.summary': method('query', z.object({ venue: venueId.optional() }).strict(), accountSummarySchema),
  'account.reset': method(
    'command',
    z.object({ venue: venueId.optional(), balance: positiveDecimalString.optional() }).strict(),
    accountSummarySchema,
  ),
  'account.setLeverage': method(
    'command',
    z.object({ venue: venueId, symbol, leverage: z.number().int().min(1).max(125) }).strict(),
    ok,
  ),
  'activity.list': method(
    'query',
    z.object({ limit: z.number().int().min(1).max(5000).optional() }).strict(),
    z.array(activitySchema),
  ),
  'risk.status': method('query', empty, riskStatusSchema),
  'risk.limits.get': method('query', z.object({ venue: venueId.optional() }).strict(), riskConfigSchema),
  'risk.limits.set': method('command', z.object({ config: riskConfigSchema }).strict(), riskConfigSchema),
  'risk.profiles.list': method('query', empty, z.array(riskProfileSchema)),
  'risk.state.set': method(
    'urgent',
    z.object({ state: z.enum(['REDUCING', 'HALTED']), reason: z.string().min(1).max(MAX_TEXT_CHARS).optional() }).strict(),
    riskStateSchema,
  ),
  'emergency.stop': method(
    'urgent',
    z.object({ flatten: z.boolean(), trigger: z.enum(['button', 'window-hotkey']).optional() }).strict(),
    emergencyReportSchema,
  ),
  'emergency.rearm': method('command', z.object({ confirm: z.literal(true) }).strict(), riskStateSchema),
  'emergency.reports': method(
    'query',
    z.object({ limit: z.number().int().min(1).max(100).optional() }).strict(),
    z.array(emergencyReportSchema),
  ),
  'settings.get': method('query', empty, settingsSchema),
  'settings.set': method('command', z.object({ settings: settingsSchema.partial() }).strict(), settingsSchema),
  'hotkey.status': method('query', empty, hotkeyStatusSchema),
  'paper.faults.set': method(
    'command',
    z
      .object({
        orderFailureRate: z.number().min(0).max(1).optional(),
        cancelFailureRate: z.number().min(0).max(1).optional(),
        latencyMs: z.number().int().min(0).max(10_000).optional(),
      })
      .strict(),
    ok,
  ),
  'events.subscribe': method(
    'query',
    z.object({ topics: z.array(z.string().max(64)).min(1).max(MAX_SUBSCRIBE_TOPICS) }).strict(),
    z.object({ topics: z.array(z.string()) }),
  ),
} as const;

export type Methods = typeof methods;


export type MethodName = keyof Methods;
export type MethodParams<M extends MethodName> = z.input<Methods[M]['params']>;
export type MethodResult<M extends MethodName> = z.infer<Methods[M]['result']>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/** A 1-minute candle update: the whole current bar, so the latest value alone is enough. */
export const candleEventSchema = z.object({ venue: venueId, symbol, timeframe: z.literal('1m'), candle: candleSchema });

export const events = {
  'market.tick': tickerSchema,
  'market.candle': candleEventSchema,
  'orders.updated': orderSchema,
  'fills.new': fillSchema,
  'positions.updated': z.object({ venue: venueId, positions: z.array(positionSchema) }),
  'account.updated': accountSummarySchema,
  'activity.new': activitySchema,
  'system.health': z.object({ venues: z.array(venueStatusSchema), eventLoopLagMs: z.number() }),
  'orders.denied': orderDeniedSchema,
  'risk.state': riskStateSchema,
  'risk.usage': riskUsageSchema,
  'emergency.report': emergencyReportSchema,
  'hotkey.status': hotkeyStatusSchema,
  'settings.updated': settingsSchema,
} as const;

export type Events = typeof events;
export type EventTopic = keyof Events;
export type EventPayload<T extends EventTopic> = z.infer<Events[T]>;

export function isEventTopic(name: string): name is EventTopic {
  return Object.prototype.hasOwnProperty.call(events, name);
}

/**
 * State topics whose latest value per key supersedes earlier ones. The host
 * may coalesce these (latest per key per frame); every other topic is
 * delivered in full and in order.
 */
export const coalescedTopics: Partial<{ [T in EventTopic]: (payload: EventPayload<T>) => string }> = {
  'market.tick': (t) => `${t.venue}|${t.symbol}`,
  'market.candle': (c) => `${c.venue}|${c.symbol}|${c.candle.time}`,
  'positions.updated': (p) => p.venue,
  'account.updated': (a) => a.venue,
  'system.health': () => 'health',
  'risk.usage': (u) => u.venue,
};

/** The shape the preload exposes as `window.keel` and the browser client mimics. */
export interface KeelBridge {
  invoke(method: string, params: unknown): Promise<unknown>;
  on(listener: (topic: string, data: unknown) => void): () => void;
}

/** What travels back over IPC for every invoke: never a thrown error. */
export type InvokeOutcome = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string; data?: unknown } };

export const IPC_INVOKE_CHANNEL = 'keel:invoke';
export const IPC_EVENT_CHANNEL = 'keel:event';

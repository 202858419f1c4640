/** The contract's `orders` and `fills` domains: placing, cancelling and listing orders, and the fills they make. */
import { z } from 'zod';
import {
  fillSchema,
  hasLimitPrice,
  hasStopPrice,
  orderEventSchema,
  orderSchema,
  orderSide,
  orderSource,
  orderType,
  positiveDecimalString,
  symbol,
  timeInForce,
  trailingSchema,
  venueId,
  type OrderType,
} from '../domain';
import { cursorSchema, MAX_PAGE_ROWS, method } from './common';

export const orderIdSchema = z.string().min(1).max(64);

/** A strategy's id or an API client's name, as orders carry it in `sourceId`. */
export const sourceIdSchema = z.string().min(1).max(64);

export const clientOrderIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,36}$/, 'must be 1-36 letters, digits, "-" or "_"');

/** A take-profit or stop-loss attached to an entry: it triggers at `triggerPrice`, then works at market, or as a limit at `price`. */
export const triggerLegSchema = z.object({ triggerPrice: positiveDecimalString, price: positiveDecimalString.optional() }).strict();

/** A stop-loss may instead trail the price (see `trailingSchema`) from the moment the entry fills. */
export const stopLossSchema = z.union([triggerLegSchema, z.object({ trailing: trailingSchema }).strict()]);

/** The order types an OCO pair's legs may have: anything that waits (a market order fills at once). */
const OCO_LEG_TYPES = ['limit', 'stop', 'stop_limit', 'take_profit', 'take_profit_limit', 'trailing_stop'] as const;

/**
 * The second leg of an OCO pair: same instrument, side, quantity and
 * reduce-only as the order it is placed with. When either leg fills, its
 * fills come off the other; when either triggers or completes, the other is
 * canceled.
 */
export const ocoLegSchema = z
  .object({
    type: z.enum(OCO_LEG_TYPES),
    price: positiveDecimalString.optional(),
    stopPrice: positiveDecimalString.optional(),
    trailing: trailingSchema.optional(),
    clientOrderId: z.string().regex(/^[A-Za-z0-9_-]{1,36}$/, 'must be 1-36 letters, digits, "-" or "_"').optional(),
  })
  .strict();

/** Entry types a bracket (take-profit and stop-loss) may be attached to. */
const BRACKET_ENTRY_TYPES: readonly OrderType[] = ['market', 'limit', 'stop', 'stop_limit'];

/** Checks that an order (or an OCO leg) carries exactly the prices its type needs. */
function checkPrices(
  ctx: z.RefinementCtx,
  at: (string | number)[],
  p: { type: OrderType; price?: string | undefined; stopPrice?: string | undefined; trailing?: unknown },
): void {
  const needsPrice = hasLimitPrice(p.type);
  const needsStop = hasStopPrice(p.type);
  const words = p.type.replaceAll('_', '-');
  if (needsPrice && p.price === undefined) ctx.addIssue({ code: 'custom', path: [...at, 'price'], message: `a ${words} order needs a limit price` });
  if (!needsPrice && p.price !== undefined) ctx.addIssue({ code: 'custom', path: [...at, 'price'], message: `a ${words} order takes no limit price` });
  if (needsStop && p.stopPrice === undefined) ctx.addIssue({ code: 'custom', path: [...at, 'stopPrice'], message: `a ${words} order needs a stop price` });
  if (!needsStop && p.stopPrice !== undefined) {
    const why = p.type === 'trailing_stop' ? 'a trailing stop takes no stop price: the venue sets it as it trails' : `a ${words} order takes no stop price`;
    ctx.addIssue({ code: 'custom', path: [...at, 'stopPrice'], message: why });
  }
  if (p.type === 'trailing_stop' && p.trailing === undefined) ctx.addIssue({ code: 'custom', path: [...at, 'trailing'], message: 'a trailing stop needs its trail: a distance or a percent' });
  if (p.type !== 'trailing_stop' && p.trailing !== undefined) ctx.addIssue({ code: 'custom', path: [...at, 'trailing'], message: 'a trail applies to trailing stops only' });
}

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
    /** A trailing stop's trail (type `trailing_stop` only). */
    trailing: trailingSchema.optional(),
    /** A bracket: the take-profit and stop-loss placed (reduce-only, opposite side) as this entry fills. */
    takeProfit: triggerLegSchema.optional(),
    stopLoss: stopLossSchema.optional(),
    /** An OCO pair: this order and `oco` are placed together; see `ocoLegSchema`. */
    oco: ocoLegSchema.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    checkPrices(ctx, [], p);
    if (p.postOnly && p.type !== 'limit') {
      ctx.addIssue({ code: 'custom', path: ['postOnly'], message: 'post-only applies to limit orders only' });
    }
    if (p.postOnly && p.timeInForce !== undefined && p.timeInForce !== 'GTC') {
      ctx.addIssue({ code: 'custom', path: ['postOnly'], message: 'post-only orders must be GTC' });
    }
    if (p.triggerNow && !hasStopPrice(p.type)) {
      ctx.addIssue({ code: 'custom', path: ['triggerNow'], message: 'trigger-now applies to orders with a stop price only' });
    }
    const bracket = p.takeProfit !== undefined || p.stopLoss !== undefined;
    if (bracket && !BRACKET_ENTRY_TYPES.includes(p.type)) {
      ctx.addIssue({ code: 'custom', path: ['takeProfit'], message: 'a take-profit or stop-loss attaches to a market, limit, stop or stop-limit entry' });
    }
    if (bracket && p.reduceOnly) {
      ctx.addIssue({ code: 'custom', path: ['reduceOnly'], message: 'a take-profit or stop-loss attaches to an entry, not to a reduce-only order' });
    }
    if (p.oco !== undefined) {
      checkPrices(ctx, ['oco'], p.oco);
      if (bracket) ctx.addIssue({ code: 'custom', path: ['oco'], message: 'an OCO pair takes no take-profit or stop-loss' });
      if (!(OCO_LEG_TYPES as readonly string[]).includes(p.type)) ctx.addIssue({ code: 'custom', path: ['type'], message: 'both legs of an OCO pair must wait: a market order fills at once' });
      if (p.timeInForce !== undefined && p.timeInForce !== 'GTC') ctx.addIssue({ code: 'custom', path: ['timeInForce'], message: 'OCO legs are GTC' });
      if (p.oco.clientOrderId !== undefined && p.oco.clientOrderId === p.clientOrderId) {
        ctx.addIssue({ code: 'custom', path: ['oco', 'clientOrderId'], message: 'each leg needs its own client order id' });
      }
    }
  });
export type PlaceOrderParams = z.infer<typeof placeOrderParams>;

/**
 * A change to a working order: a new limit price, stop price or quantity
 * (the whole quantity, filled part included). At least one.
 */
export const amendOrderParams = z
  .object({
    orderId: orderIdSchema,
    price: positiveDecimalString.optional(),
    stopPrice: positiveDecimalString.optional(),
    quantity: positiveDecimalString.optional(),
  })
  .strict()
  .refine((p) => p.price !== undefined || p.stopPrice !== undefined || p.quantity !== undefined, {
    message: 'name at least one of price, stopPrice and quantity to change',
  });
export type AmendOrderParams = z.infer<typeof amendOrderParams>;

export const orderMethods = {
  'orders.place': method('command', placeOrderParams, orderSchema),
  /** One order by Keel's id or by the client order id it was placed with (a client that lost an acknowledgement finds its order here). */
  'orders.get': method(
    'query',
    z.union([z.object({ orderId: orderIdSchema }).strict(), z.object({ clientOrderId: clientOrderIdSchema }).strict()]),
    orderSchema,
  ),
  'orders.cancel': method('command', z.object({ orderId: orderIdSchema }).strict(), orderSchema),
  /** Cancels open orders, narrowed by venue, symbol and who sent them (`source`, and `sourceId`: a strategy's id, an API client's name). */
  'orders.cancelAll': method(
    'command',
    z
      .object({ venue: venueId.optional(), symbol: symbol.optional(), source: orderSource.optional(), sourceId: sourceIdSchema.optional() })
      .strict(),
    z.object({ canceled: z.array(orderSchema), failed: z.array(z.object({ orderId: z.string(), reason: z.string() })) }),
  ),
  /** An order's whole history, oldest first: what happened to it, what Keel made of each event, the status after. */
  'orders.events': method('query', z.object({ orderId: orderIdSchema }).strict(), z.array(orderEventSchema)),
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
  /**
   * Changes a working order's price, stop price or quantity: in place where
   * the venue can (the order keeps its id), by cancel-replace otherwise
   * (answered with the replacement, which links to the order it replaced).
   */
  'orders.amend': method('command', amendOrderParams, orderSchema),
} as const;

/** `orders.denied` is the risk stage's event: see ./risk. */
export const orderEvents = {
  'orders.updated': orderSchema,
  'fills.new': fillSchema,
  /** One new entry of an order's history (`orders.events`), ignored and refused events included. */
  'orders.history': orderEventSchema.omit({ id: true }),
} as const;

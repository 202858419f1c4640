/** The contract's `orders` and `fills` domains: placing, cancelling and listing orders, and the fills they make. */
import { z } from 'zod';
import {
  fillSchema,
  orderEventSchema,
  orderSchema,
  orderSide,
  orderSource,
  orderType,
  positiveDecimalString,
  symbol,
  timeInForce,
  venueId,
} from '../domain';
import { cursorSchema, MAX_PAGE_ROWS, method } from './common';

export const orderIdSchema = z.string().min(1).max(64);

/** A strategy's id or an API client's name, as orders carry it in `sourceId`. */
export const sourceIdSchema = z.string().min(1).max(64);

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
} as const;

/** `orders.denied` is the risk stage's event: see ./risk. */
export const orderEvents = {
  'orders.updated': orderSchema,
  'fills.new': fillSchema,
  /** One new entry of an order's history (`orders.events`), ignored and refused events included. */
  'orders.history': orderEventSchema.omit({ id: true }),
} as const;

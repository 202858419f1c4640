/**
 * The contract's price alerts: a price to cross, or a move of some percent
 * within a window of minutes, watched by the engine (so they fire with no
 * window open), kept in the journal, and announced when they fire the way
 * fills are. An alert fires once and is then kept as triggered, with what
 * happened in words, until it is removed.
 */
import { z } from 'zod';
import { MAX_TEXT_CHARS, positiveDecimalString, symbol, timestampMs, venueId } from '../domain';
import { method, ok } from './common';

export const PRICE_ALERT_KINDS = ['cross', 'move'] as const;
export const PRICE_ALERT_STATUSES = ['active', 'triggered'] as const;
/** A crossing goes up through its price or down through it; a move counts up, down or either way. */
export const PRICE_ALERT_DIRECTIONS = ['up', 'down', 'either'] as const;

/** Active alerts the engine watches at most, over every instrument. */
export const MAX_ACTIVE_PRICE_ALERTS = 200;
/** Triggered alerts kept; older ones are dropped first. */
export const MAX_TRIGGERED_PRICE_ALERTS = 500;
/** The longest window a move is measured over: a day. */
export const MAX_ALERT_WINDOW_MINUTES = 1_440;
/** The largest move an alert waits for, in percent. */
export const MAX_ALERT_PERCENT = 100;

const note = z.string().trim().max(MAX_TEXT_CHARS);

export const priceAlertSchema = z.object({
  id: z.string(),
  venue: venueId,
  symbol,
  kind: z.enum(PRICE_ALERT_KINDS),
  direction: z.enum(PRICE_ALERT_DIRECTIONS),
  /** The price a crossing waits for; null for a move. */
  price: positiveDecimalString.nullable(),
  /** The move a move alert waits for, in percent ("2.5"); null for a crossing. */
  percent: positiveDecimalString.nullable(),
  /** How far back a move is measured; null for a crossing. */
  windowMinutes: z.number().int().min(1).max(MAX_ALERT_WINDOW_MINUTES).nullable(),
  note: z.string(),
  status: z.enum(PRICE_ALERT_STATUSES),
  createdAt: timestampMs,
  triggeredAt: timestampMs.nullable(),
  /** The last price that fired it. */
  triggerPrice: positiveDecimalString.nullable(),
  /** What happened, in words, once it fired. */
  message: z.string().nullable(),
});
export type PriceAlert = z.infer<typeof priceAlertSchema>;

export const addPriceAlertParams = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('cross'),
      venue: venueId,
      symbol,
      price: positiveDecimalString,
      /** Default: the side the price is on now (above the last price: up). */
      direction: z.enum(['up', 'down']).optional(),
      note: note.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('move'),
      venue: venueId,
      symbol,
      percent: positiveDecimalString,
      windowMinutes: z.number().int().min(1).max(MAX_ALERT_WINDOW_MINUTES),
      /** Default: either way. */
      direction: z.enum(PRICE_ALERT_DIRECTIONS).optional(),
      note: note.optional(),
    })
    .strict(),
]);
export type AddPriceAlertParams = z.infer<typeof addPriceAlertParams>;

export const listPriceAlertsParams = z
  .object({
    venue: venueId.optional(),
    symbol: symbol.optional(),
    /** Default: all. */
    status: z.enum([...PRICE_ALERT_STATUSES, 'all']).optional(),
  })
  .strict();
export type ListPriceAlertsParams = z.infer<typeof listPriceAlertsParams>;

export const alertMethods = {
  /** Newest first. */
  'alerts.price.list': method('query', listPriceAlertsParams, z.object({ alerts: z.array(priceAlertSchema) })),
  'alerts.price.add': method('command', addPriceAlertParams, priceAlertSchema),
  'alerts.price.remove': method('command', z.object({ id: z.string().min(1).max(64) }).strict(), ok),
} as const;

export const alertEvents = {
  /** An alert was set. */
  'alerts.price.updated': priceAlertSchema,
  /** An alert fired: the same path as a fill's notice (toast, sound, desktop notification). */
  'alerts.price.triggered': priceAlertSchema,
  'alerts.price.removed': z.object({ id: z.string() }),
} as const;

/**
 * The contract's `reconciliation` domain: comparing Keel's books with a
 * venue's, at start-up, after a reconnect or when the trader asks, and the
 * persisted report of what was found.
 */
import { z } from 'zod';
import { decimalString, orderSide, orderStatus, symbol, timestampMs, venueId } from '../domain';
import { method } from './common';

/**
 * One difference between Keel's books and the venue's, or one thing that
 * matched. Blocking items keep the venue from trading until the trader has
 * resolved each (or a later reconciliation finds them gone).
 */
export const RECONCILIATION_ITEM_KINDS = ['matched', 'missing_at_venue', 'missing_in_keel', 'quantity_mismatch', 'unknown_outcome', 'external_order', 'balance_drift'] as const;
export const RECONCILIATION_ACTIONS = ['adopt', 'cancel', 'flatten', 'accept'] as const;
export const reconciliationActionSchema = z.enum(RECONCILIATION_ACTIONS);
export type ReconciliationAction = z.infer<typeof reconciliationActionSchema>;

export const reconciliationItemSchema = z.object({
  id: z.string(),
  kind: z.enum(RECONCILIATION_ITEM_KINDS),
  subject: z.enum(['order', 'position', 'balance']),
  symbol: symbol.nullable(),
  /** The order concerned (Keel's id when Keel has it; the client order id in any case). */
  orderId: z.string().nullable(),
  clientOrderId: z.string().nullable(),
  /** Each side's figure as text (a quantity, a balance, an order's state); null where that side has nothing. */
  keel: z.string().nullable(),
  venue: z.string().nullable(),
  /** The evidence in words. */
  detail: z.string(),
  /** True while it keeps the venue from trading. */
  blocking: z.boolean(),
  /** What the trader can do about it. */
  actions: z.array(reconciliationActionSchema),
  resolution: z.object({ action: z.union([reconciliationActionSchema, z.literal('automatic')]), note: z.string().nullable(), at: timestampMs }).nullable(),
});
export type ReconciliationItem = z.infer<typeof reconciliationItemSchema>;

export const reconciliationAuditEntrySchema = z.object({
  id: z.number().int(),
  venue: venueId,
  at: timestampMs,
  reportId: z.string(),
  itemId: z.string(),
  kind: z.enum(RECONCILIATION_ITEM_KINDS),
  symbol: symbol.nullable(),
  action: reconciliationActionSchema,
  note: z.string().nullable(),
  /** What came of it, in words ("position set to 0.002 as the venue reports"). */
  outcome: z.string(),
});
export type ReconciliationAuditEntry = z.infer<typeof reconciliationAuditEntrySchema>;

export const reconciliationReportSchema = z.object({
  id: z.string(),
  venue: venueId,
  /** What started it: start-up, adding the venue, a reconnect, the trader, or the background check of a trading venue. */
  trigger: z.enum(['startup', 'added', 'reconnect', 'manual', 'periodic']),
  startedAt: timestampMs,
  finishedAt: timestampMs,
  /** True when the venue was opened for trading; false leaves it blocked with `reason`. */
  ok: z.boolean(),
  reason: z.string().nullable(),
  /** Fills the venue made that Keel had not recorded, now applied once each. */
  fillsRecovered: z.number().int().nonnegative(),
  /** Orders whose status Keel brought in line with the venue's report. */
  ordersResolved: z.array(z.object({ orderId: z.string(), clientOrderId: z.string(), symbol, from: orderStatus, to: orderStatus })),
  /** Open orders on the venue that Keel did not place, adopted into the books with source `external`. */
  externalOrders: z.array(
    z.object({ orderId: z.string(), clientOrderId: z.string(), symbol, side: orderSide, quantity: decimalString, status: orderStatus }),
  ),
  /** Every position either side holds, Keel's and the venue's net quantity side by side. */
  positions: z.array(z.object({ symbol, keel: decimalString, venue: decimalString, match: z.boolean() })),
  /** Balances compared: a difference is reported, the trader decides (fees and funding can differ on a real venue). */
  balances: z.array(z.object({ currency: z.string(), keel: decimalString, venue: decimalString, match: z.boolean() })),
  /** Every difference found (and what matched), each classified, with its resolution once the trader gave one. */
  items: z.array(reconciliationItemSchema),
});
export type ReconciliationReport = z.infer<typeof reconciliationReportSchema>;

const venueParams = z.object({ venue: venueId }).strict();

export const reconciliationMethods = {
  /** Reconciles a venue now (a blocked venue can be opened again without a restart); answers the report. */
  'reconciliation.run': method('command', venueParams, reconciliationReportSchema),
  /** The venue's most recent report, or null when it has never been reconciled. */
  'reconciliation.latest': method('query', venueParams, reconciliationReportSchema.nullable()),
  /**
   * The trader's decision on one difference of the latest report: adopt an
   * external order or position, cancel an order on the venue, flatten a
   * position, or accept the venue's figure. Journaled in the audit trail;
   * answers the report as it now stands.
   */
  'reconciliation.resolve': method(
    'command',
    z.object({ venue: venueId, itemId: z.string().min(1).max(80), action: reconciliationActionSchema, note: z.string().trim().max(500).optional() }).strict(),
    reconciliationReportSchema,
  ),
  /** The venue's audit trail of resolutions, newest first. */
  'reconciliation.audit': method(
    'query',
    z.object({ venue: venueId, limit: z.number().int().min(1).max(1000).optional() }).strict(),
    z.object({ entries: z.array(reconciliationAuditEntrySchema) }),
  ),
} as const;

export const reconciliationEvents = {
  /** A new report, or a resolution changed the latest one. */
  'reconciliation.updated': reconciliationReportSchema,
} as const;

/**
 * The contract's `reconciliation` domain: comparing Keel's books with a
 * venue's, at start-up, after a reconnect or when the trader asks, and the
 * persisted report of what was found.
 */
import { z } from 'zod';
import { decimalString, orderSide, orderStatus, symbol, timestampMs, venueId } from '../domain';
import { method } from './common';

export const reconciliationReportSchema = z.object({
  id: z.string(),
  venue: venueId,
  /** What started it: start-up, adding the venue, a reconnect, or the trader. */
  trigger: z.enum(['startup', 'added', 'reconnect', 'manual']),
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
});
export type ReconciliationReport = z.infer<typeof reconciliationReportSchema>;

const venueParams = z.object({ venue: venueId }).strict();

export const reconciliationMethods = {
  /** Reconciles a venue now (a blocked venue can be opened again without a restart); answers the report. */
  'reconciliation.run': method('command', venueParams, reconciliationReportSchema),
  /** The venue's most recent report, or null when it has never been reconciled. */
  'reconciliation.latest': method('query', venueParams, reconciliationReportSchema.nullable()),
} as const;

export const reconciliationEvents = {
  'reconciliation.report': reconciliationReportSchema,
} as const;

/**
 * The contract's `positions` and `account` domains: what is held, what it is
 * worth, how it is margined, the ledger entries that are not fills (funding),
 * margin alerts, and paper account resets.
 */
import { z } from 'zod';
import {
  accountSummarySchema,
  decimalString,
  ledgerEntrySchema,
  marginMode,
  orderSchema,
  positionSchema,
  positiveDecimalString,
  symbol,
  timestampMs,
  venueId,
} from '../domain';
import { empty, method, ok, venueSymbol } from './common';

/**
 * A perpetual position's margin alert: its margin ratio reached the warning
 * level (settings: `marginWarningPercent`), or the venue liquidated it.
 */
export const marginAlertSchema = z.object({
  venue: venueId,
  symbol,
  side: z.enum(['long', 'short']),
  kind: z.enum(['warning', 'liquidated']),
  marginMode,
  /** Maintenance margin / margin balance as a fraction (1 = liquidation); null after a liquidation. */
  marginRatio: decimalString.nullable(),
  /** The warning level in force, in percent. */
  levelPercent: z.number().int(),
  liquidationPrice: decimalString.nullable(),
  /** A liquidation: the price the venue closed the position at. */
  price: decimalString.nullable(),
  message: z.string(),
  timestamp: timestampMs,
});
export type MarginAlert = z.infer<typeof marginAlertSchema>;

export const accountMethods = {
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
  /** Raising is allowed with a position open (within its margin bracket); lowering only when the margin it adds is available. */
  'account.setLeverage': method(
    'command',
    z.object({ venue: venueId, symbol, leverage: z.number().int().min(1).max(125) }).strict(),
    ok,
  ),
  /** Cross or isolated margin for a perpetual, only while it has no position and no open orders. */
  'account.setMarginMode': method('command', z.object({ venue: venueId, symbol, mode: marginMode }).strict(), ok),
  /** Ledger entries that are not fills (funding payments), newest first. */
  'account.ledgerEntries': method(
    'query',
    z.object({ venue: venueId.optional(), limit: z.number().int().min(1).max(5000).optional() }).strict(),
    z.object({ entries: z.array(ledgerEntrySchema) }),
  ),
} as const;

export const accountEvents = {
  'positions.updated': z.object({ venue: venueId, positions: z.array(positionSchema) }),
  'account.updated': accountSummarySchema,
  'positions.marginAlert': marginAlertSchema,
} as const;

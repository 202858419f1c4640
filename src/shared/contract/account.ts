/** The contract's `positions` and `account` domains: what is held, what it is worth, and paper account resets. */
import { z } from 'zod';
import { accountSummarySchema, orderSchema, positionSchema, positiveDecimalString, symbol, venueId } from '../domain';
import { empty, method, ok, venueSymbol } from './common';

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
  'account.setLeverage': method(
    'command',
    z.object({ venue: venueId, symbol, leverage: z.number().int().min(1).max(125) }).strict(),
    ok,
  ),
} as const;

export const accountEvents = {
  'positions.updated': z.object({ venue: venueId, positions: z.array(positionSchema) }),
  'account.updated': accountSummarySchema,
} as const;

/** The contract's `risk` domain: limits, profiles, the trading state, and the orders the risk stage denies. */
import { z } from 'zod';
import { MAX_TEXT_CHARS, venueId } from '../domain';
import { orderDeniedSchema, riskConfigSchema, riskProfileSchema, riskStateSchema, riskStatusSchema, riskUsageSchema } from '../risk';
import { empty, method } from './common';

export const riskMethods = {
  'risk.status': method('query', empty, riskStatusSchema),
  'risk.limits.get': method('query', z.object({ venue: venueId.optional() }).strict(), riskConfigSchema),
  'risk.limits.set': method('command', z.object({ config: riskConfigSchema }).strict(), riskConfigSchema),
  'risk.profiles.list': method('query', empty, z.array(riskProfileSchema)),
  'risk.state.set': method(
    'urgent',
    z.object({ state: z.enum(['REDUCING', 'HALTED']), reason: z.string().min(1).max(MAX_TEXT_CHARS).optional() }).strict(),
    riskStateSchema,
  ),
} as const;

export const riskEvents = {
  /** A risk refusal (OrderDenied): an event that reaches the blotter, never an exception. */
  'orders.denied': orderDeniedSchema,
  'risk.state': riskStateSchema,
  'risk.usage': riskUsageSchema,
} as const;

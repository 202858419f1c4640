/** The contract's `system` domain: what is running, and how healthy it is. */
import { z } from 'zod';
import { venueStatusSchema } from '../domain';
import { empty, method } from './common';

export const systemMethods = {
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
} as const;

export const systemEvents = {
  /** Venue states, and the main thread's event-loop delay over the last measuring window. */
  'system.health': z.object({ venues: z.array(venueStatusSchema), eventLoopLagMs: z.number() }),
} as const;

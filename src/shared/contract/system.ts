/** The contract's `system` domain: what is running, and how healthy it is. */
import { z } from 'zod';
import { venueStatusSchema } from '../domain';
import { empty, method } from './common';
import { monitorSampleSchema, systemHealthSchema, systemMetricsSchema } from './monitor';

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
  /** The system monitor: the latest sample, the last hour's history as series, the last jobs and the alert thresholds. */
  'system.metrics': method('query', empty, systemMetricsSchema),
  /** Venue states and the monitor's verdict, for an external watcher that polls rather than subscribes. */
  'system.health': method('query', empty, systemHealthSchema),
} as const;

export const systemEvents = {
  /** Venue states, and the main thread's event-loop delay over the last measuring window. */
  'system.health': z.object({ venues: z.array(venueStatusSchema), eventLoopLagMs: z.number() }),
  /** Each new monitor sample (every few seconds). */
  'system.metrics': monitorSampleSchema,
} as const;

/** The contract's `paper` domain: controls that exist only for the built-in paper venue. */
import { z } from 'zod';
import { method, ok } from './common';

export const paperMethods = {
  'paper.faults.set': method(
    'command',
    z
      .object({
        orderFailureRate: z.number().min(0).max(1).optional(),
        cancelFailureRate: z.number().min(0).max(1).optional(),
        latencyMs: z.number().int().min(0).max(10_000).optional(),
        /** Drops the venue's connection (true) or brings it back (false): how a disconnect is rehearsed. */
        disconnected: z.boolean().optional(),
      })
      .strict(),
    ok,
  ),
} as const;

/** The contract's `activity` domain: the human-readable log of what Keel did and why. */
import { z } from 'zod';
import { activitySchema } from '../domain';
import { method } from './common';

export const activityMethods = {
  'activity.list': method(
    'query',
    z.object({ limit: z.number().int().min(1).max(5000).optional() }).strict(),
    z.array(activitySchema),
  ),
} as const;

export const activityEvents = {
  'activity.new': activitySchema,
} as const;

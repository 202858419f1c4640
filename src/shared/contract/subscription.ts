/** The contract's `events` domain: which topics a connection receives. */
import { z } from 'zod';
import { method } from './common';

/** More than there are topics, so a client may list each; far fewer than a hostile list. */
export const MAX_SUBSCRIBE_TOPICS = 64;

export const subscriptionMethods = {
  'events.subscribe': method(
    'query',
    z.object({ topics: z.array(z.string().max(64)).min(1).max(MAX_SUBSCRIBE_TOPICS) }).strict(),
    z.object({ topics: z.array(z.string()) }),
  ),
} as const;

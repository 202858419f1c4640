/**
 * What a venue tells the system monitor about itself: how its requests
 * fare over a recent window, how close it is to the exchange's rate limit,
 * and when it last heard from the venue. Read-only and cheap to ask: the
 * monitor asks every few seconds.
 */
export interface VenueStats {
  /** The span the request figures cover, ending now. */
  windowMs: number;
  requests: number;
  errors: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  /** Share of the exchange's request budget in use (0..1), where the exchange says. */
  rateLimitUsage: number | null;
  /** Requests are held back by a rate limit or a ban right now. */
  rateLimited: boolean;
  /** When the venue last said anything: a response, a stream message, a market update. */
  lastMessageAt: number | null;
}

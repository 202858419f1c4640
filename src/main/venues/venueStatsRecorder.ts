/**
 * Keeps a venue's request outcomes for the system monitor: the newest few
 * hundred requests (time, duration, success) in fixed arrays, read back as
 * the count, failures and latency percentiles of the recent window, and the
 * time the venue last said anything. Recording is a few array stores on the
 * request path; the work happens when the monitor reads.
 */
import type { VenueStats } from '../engine/ports/venueStats';

export const VENUE_STATS_WINDOW_MS = 5 * 60_000;

export interface RateLimitReading {
  usage: number | null;
  limited: boolean;
}

export class VenueStatsRecorder {
  private readonly at: Float64Array;
  private readonly ms: Float64Array;
  private readonly ok: Uint8Array;
  private next = 0;
  private stored = 0;
  private heardAt: number | null = null;

  constructor(
    private readonly now: () => number,
    private readonly windowMs = VENUE_STATS_WINDOW_MS,
    private readonly capacity = 512,
  ) {
    this.at = new Float64Array(capacity);
    this.ms = new Float64Array(capacity);
    this.ok = new Uint8Array(capacity);
  }

  /** A request finished after `ms`; a successful answer is also word from the venue. */
  request(ms: number, succeeded: boolean): void {
    const now = this.now();
    this.at[this.next] = now;
    this.ms[this.next] = Math.max(0, ms);
    this.ok[this.next] = succeeded ? 1 : 0;
    this.next = (this.next + 1) % this.capacity;
    this.stored = Math.min(this.capacity, this.stored + 1);
    if (succeeded) this.heardAt = now;
  }

  /**
   * Records how a request that started at `startedAt` turns out, and hands
   * back the same promise: the caller sees no extra step in between.
   */
  track<T>(request: Promise<T>, startedAt: number): Promise<T> {
    request.then(
      () => this.request(this.now() - startedAt, true),
      () => this.request(this.now() - startedAt, false),
    );
    return request;
  }

  /** The venue said something unprompted (a stream message, a market update). */
  heard(): void {
    this.heardAt = this.now();
  }

  read(rateLimit: RateLimitReading = { usage: null, limited: false }): VenueStats {
    const since = this.now() - this.windowMs;
    const durations: number[] = [];
    let errors = 0;
    for (let i = 0; i < this.stored; i++) {
      if (this.at[i]! < since) continue;
      durations.push(this.ms[i]!);
      if (this.ok[i] === 0) errors += 1;
    }
    durations.sort((a, b) => a - b);
    const pick = (q: number) => (durations.length === 0 ? null : durations[Math.min(durations.length, Math.max(1, Math.ceil(q * durations.length))) - 1]!);
    return {
      windowMs: this.windowMs,
      requests: durations.length,
      errors,
      latencyP50Ms: pick(0.5),
      latencyP95Ms: pick(0.95),
      rateLimitUsage: rateLimit.usage,
      rateLimited: rateLimit.limited,
      lastMessageAt: this.heardAt,
    };
  }
}

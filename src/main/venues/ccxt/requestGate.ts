/**
 * The venue's rate-limit gate. Exchanges limit a whole account or IP, not one
 * call: when any request is answered 429 (with Retry-After) or 418 (a ban),
 * every request to that venue waits, and the trader is told why. The gate
 * also keeps the request weight the exchange reports (Binance's
 * X-MBX-USED-WEIGHT-1M) so a venue can slow down before it is refused.
 */

export interface GateState {
  /** Until when requests wait (ms since epoch); 0 when open. */
  blockedUntil: number;
  banned: boolean;
  reason: string | null;
  /** The last used weight the venue reported, and its limit when known. */
  usedWeight: number | null;
  /** Share of the exchange's request budget in use (0..1) as its last response said, where it says. */
  usage: number | null;
}

export interface RequestGateOptions {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Told whenever the gate closes or opens, to report the venue degraded and back. */
  onChange?: (state: GateState) => void;
  /** Back-off when a 429 names no Retry-After. */
  defaultBackoffMs?: number;
  /** A ban without a Retry-After lasts at least this long. */
  defaultBanMs?: number;
  /** The exchange's request-weight budget per minute (Binance USD-M: 2,400); near it, requests wait for the next minute. */
  weightPerMinute?: number;
}

/** Share of the weight budget past which requests wait for the next minute rather than risk a 429. */
const WEIGHT_HEADROOM = 0.95;

const DEFAULT_BACKOFF_MS = 5_000;
const DEFAULT_BAN_MS = 120_000;

export class RequestGate {
  private state: GateState = { blockedUntil: 0, banned: false, reason: null, usedWeight: null, usage: null };

  constructor(private readonly options: RequestGateOptions) {}

  get current(): GateState {
    return { ...this.state };
  }

  /** Waits while the venue is backing off. Requests are never dropped, only held. */
  async pass(): Promise<void> {
    for (;;) {
      const wait = this.state.blockedUntil - this.options.now();
      if (wait <= 0) break;
      await this.options.sleep(wait);
    }
    if (this.state.reason !== null) {
      this.state = { ...this.state, blockedUntil: 0, banned: false, reason: null };
      this.options.onChange?.(this.current);
    }
  }

  /** A response came back: reads the status and the rate-limit headers (any request's, not only failed ones). */
  observe(status: number, headers: Record<string, string | undefined>): void {
    const weight = headerNumber(headers, 'x-mbx-used-weight-1m');
    if (weight !== null) {
      this.state.usedWeight = weight;
      const budget = this.options.weightPerMinute;
      if (budget !== undefined && budget > 0) this.state.usage = weight / budget;
      if (budget !== undefined && weight >= budget * WEIGHT_HEADROOM && status < 400) {
        // Binance counts weight per calendar minute: the budget is back at the next one.
        const now = this.options.now();
        this.backOff(60_000 - (now % 60_000) + 250, false, `close to the exchange's request-weight limit (${weight} of ${budget} this minute): waiting for the next minute`);
      }
    }
    // Bybit says how many requests are left in its window and when it resets, and answers a breach with HTTP 200.
    const remaining = headerNumber(headers, 'x-bapi-limit-status');
    const resetAt = headerNumber(headers, 'x-bapi-limit-reset-timestamp');
    const limit = headerNumber(headers, 'x-bapi-limit');
    if (remaining !== null && limit !== null && limit > 0) this.state.usage = Math.min(1, Math.max(0, (limit - remaining) / limit));
    if (remaining !== null && remaining <= 0 && resetAt !== null) {
      const wait = resetAt - this.options.now();
      if (wait > 0) this.backOff(wait, false, `rate limited: waiting ${Math.ceil(wait / 1000)} s for the exchange's window to reset`);
    }
    if (status !== 429 && status !== 418) return;
    const retryAfterS = headerNumber(headers, 'retry-after');
    const banned = status === 418;
    const fallback = banned ? (this.options.defaultBanMs ?? DEFAULT_BAN_MS) : (this.options.defaultBackoffMs ?? DEFAULT_BACKOFF_MS);
    const ms = retryAfterS !== null && retryAfterS >= 0 ? retryAfterS * 1000 : fallback;
    this.backOff(ms, banned, banned ? `the venue banned this IP for ${Math.ceil(ms / 1000)} s (418)` : `rate limited: waiting ${Math.ceil(ms / 1000)} s (429)`);
  }

  /** Holds every request until `ms` from now (never shortens a longer hold). */
  backOff(ms: number, banned: boolean, reason: string): void {
    const until = this.options.now() + ms;
    if (until <= this.state.blockedUntil && !(banned && !this.state.banned)) return;
    this.state = { ...this.state, blockedUntil: Math.max(until, this.state.blockedUntil), banned: banned || this.state.banned, reason };
    this.options.onChange?.(this.current);
  }
}

function headerNumber(headers: Record<string, string | undefined>, name: string): number | null {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

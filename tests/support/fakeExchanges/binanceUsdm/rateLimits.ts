/**
 * Request weight and order-count accounting in Binance's fixed windows (the
 * current minute, the current 10 seconds) by the server clock: the numbers
 * behind X-MBX-USED-WEIGHT-1M / X-MBX-ORDER-COUNT-1M and the -1003 / -1015
 * answers once a limit is passed.
 */
import { errors } from './errors';

export interface RateLimitOptions {
  weightPerMinute: number;
  ordersPerMinute: number;
  ordersPer10s: number;
}

export const DEFAULT_LIMITS: RateLimitOptions = { weightPerMinute: 2400, ordersPerMinute: 1200, ordersPer10s: 300 };

class FixedWindow {
  private window = -1;
  private used = 0;

  constructor(private readonly widthMs: number) {}

  add(amount: number, now: number): number {
    this.roll(now);
    this.used += amount;
    return this.used;
  }

  current(now: number): number {
    this.roll(now);
    return this.used;
  }

  secondsLeft(now: number): number {
    return Math.max(1, Math.ceil(((this.window + 1) * this.widthMs - now) / 1000));
  }

  private roll(now: number): void {
    const window = Math.floor(now / this.widthMs);
    if (window !== this.window) {
      this.window = window;
      this.used = 0;
    }
  }
}

export class RateLimiter {
  private readonly weight = new FixedWindow(60_000);
  private readonly orders1m = new FixedWindow(60_000);
  private readonly orders10s = new FixedWindow(10_000);

  constructor(
    private readonly limits: RateLimitOptions,
    private readonly now: () => number,
  ) {}

  /** Counts a request's weight; throws -1003 (429 with Retry-After) once the minute's budget is spent. */
  chargeWeight(weight: number, ip: string): void {
    const now = this.now();
    const used = this.weight.add(weight, now);
    if (used > this.limits.weightPerMinute) throw errors.tooManyRequests(this.limits.weightPerMinute, ip, this.weight.secondsLeft(now));
  }

  /** Counts a new order; throws -1015 once either order window is full. */
  chargeOrder(): void {
    const now = this.now();
    const perMinute = this.orders1m.add(1, now);
    const per10s = this.orders10s.add(1, now);
    if (per10s > this.limits.ordersPer10s) throw errors.tooManyOrders(this.limits.ordersPer10s, '10 SECOND', this.orders10s.secondsLeft(now));
    if (perMinute > this.limits.ordersPerMinute) throw errors.tooManyOrders(this.limits.ordersPerMinute, 'MINUTE', this.orders1m.secondsLeft(now));
  }

  headers(orderEndpoint: boolean): Record<string, string> {
    const now = this.now();
    const headers: Record<string, string> = { 'X-MBX-USED-WEIGHT-1M': String(this.weight.current(now)) };
    if (orderEndpoint) {
      headers['X-MBX-ORDER-COUNT-10S'] = String(this.orders10s.current(now));
      headers['X-MBX-ORDER-COUNT-1M'] = String(this.orders1m.current(now));
    }
    return headers;
  }
}

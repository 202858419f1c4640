/**
 * The simulated basis of one perpetual and the funding rate it implies.
 *
 * The index (the spot price the perpetual tracks) is the model's mid
 * smoothed with a 10-minute half-life, so the perpetual trades at a premium
 * while the market runs up and at a discount while it falls. The premium
 * (mid − index) / index is averaged over the funding interval, weighted by
 * time, and the rate is the formula the large exchanges publish:
 * F = P̄ + clamp(0.01 % − P̄, −0.05 %, +0.05 %), capped at ±0.75 % per
 * interval. Positive: longs pay shorts.
 *
 * Funding is settled every 8 hours, at 00:00, 08:00 and 16:00 UTC. The state
 * holds no randomness: it follows from the price path, so a seeded market
 * has the same funding every run, and it is persisted with the market so a
 * restart continues the interval it was in.
 */
import { Dec } from '../../../shared/decimal';

export const FUNDING_INTERVAL_MS = 8 * 3_600_000;
/** The most a single settlement can charge, as a fraction of the notional. */
export const FUNDING_RATE_CAP = 0.0075;
/** The interest component per interval (0.01 %). */
export const FUNDING_INTEREST = 0.0001;
const INTEREST_BAND = 0.0005;
const INDEX_HALF_LIFE_MS = 10 * 60_000;
/** Rates are quoted to 8 decimals (0.000001 %), as exchanges quote them. */
const RATE_SCALE = 1e8;

export interface FundingState {
  /** The simulated index price. */
  index: number;
  /** Σ premium × ms over the current interval. */
  premiumSum: number;
  /** Milliseconds the premium was accumulated over. */
  premiumMs: number;
  /** The funding time the current interval started at. */
  intervalStart: number;
}

/** The funding time at or before `now` (the UTC day divides into three 8-hour intervals). */
export function fundingTimeAtOrBefore(now: number): number {
  return Math.floor(now / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS;
}

/** The rate for an average premium, before rounding. */
export function fundingRateFor(averagePremium: number): number {
  const interest = Math.min(INTEREST_BAND, Math.max(-INTEREST_BAND, FUNDING_INTEREST - averagePremium));
  return Math.min(FUNDING_RATE_CAP, Math.max(-FUNDING_RATE_CAP, averagePremium + interest));
}

export class FundingBasis {
  private s: FundingState;

  constructor(state: FundingState) {
    this.s = { ...state };
  }

  /** A basis starting now at `price`: the current interval began at the last funding time, with no premium seen yet. */
  static fresh(price: number, now: number): FundingState {
    return { index: price, premiumSum: 0, premiumMs: 0, intervalStart: fundingTimeAtOrBefore(now) };
  }

  get index(): number {
    return this.s.index;
  }

  get nextFundingTime(): number {
    return this.s.intervalStart + FUNDING_INTERVAL_MS;
  }

  /** The index follows the mid over `dtMs`, and the premium of the interval accrues. */
  advance(mid: number, dtMs: number): void {
    if (!(dtMs > 0) || !(mid > 0)) return;
    const s = this.s;
    s.index += (mid - s.index) * (1 - 2 ** (-dtMs / INDEX_HALF_LIFE_MS));
    s.premiumSum += ((mid - s.index) / s.index) * dtMs;
    s.premiumMs += dtMs;
  }

  /** The rate the next settlement would charge now, as a decimal string of at most 8 decimals. */
  rate(): string {
    const average = this.s.premiumMs > 0 ? this.s.premiumSum / this.s.premiumMs : 0;
    const rounded = Math.round(fundingRateFor(average) * RATE_SCALE) / RATE_SCALE;
    return Dec.fromNumber(rounded).roundTo(8).toString();
  }

  /** True once `now` has reached the end of the current interval. */
  due(now: number): boolean {
    return now >= this.nextFundingTime;
  }

  /**
   * Settles the interval: answers the rate and the funding time it is for
   * (the latest one at or before `now`: after a long gap the missed ones are
   * not charged one by one) and starts the next interval there.
   */
  settle(now: number): { rate: string; fundingTime: number } {
    const rate = this.rate();
    const fundingTime = fundingTimeAtOrBefore(now);
    this.s.premiumSum = 0;
    this.s.premiumMs = 0;
    this.s.intervalStart = fundingTime;
    return { rate, fundingTime };
  }

  state(): FundingState {
    return { ...this.s };
  }
}
